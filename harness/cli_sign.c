/* cli_sign.c - `tppbench keygen` and `tppbench sign`: minisign-compatible key pairs and
 * detached signatures FILE.minisig (docs/signing.md). */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "tpp/atomicio.h"
#include "tpp/password.h"
#include "tpp/sign.h"

#define KEYGEN_DEFAULT_SECRET "tppbench.key"
#define KEYGEN_DEFAULT_PUBLIC "tppbench.pub"

/* Refuse to replace a key file unless --force: the key it holds would be lost for good. */
static int
refuse_existing(const char *path)
{
  struct stat st;
  if (lstat(path, &st) != 0)
    return 0;
  fprintf(stderr, "tppbench: %s: already exists; not overwritten (--force replaces it, and the "
                  "key it holds is lost)\n", path);
  return 2;
}

int
tpp_cli_keygen(int argc, char **argv)
{
  static const struct option longopts[] = {
      {.name = "secret-key", .has_arg = required_argument, .val = 's'},
      {.name = "public-key", .has_arg = required_argument, .val = 'p'},
      {.name = "no-password", .has_arg = no_argument, .val = 'W'},
      {.name = "password-file", .has_arg = required_argument, .val = 'P'},
      {.name = "force", .has_arg = no_argument, .val = 'f'},
      {.name = "help", .has_arg = no_argument, .val = 'h'},
      {0},
  };
  const char *sk_path = KEYGEN_DEFAULT_SECRET, *pk_path = KEYGEN_DEFAULT_PUBLIC;
  const char *password_file = NULL;
  char password[TPP_PASSWORD_MAX + 1] = "", b64[TPP_SIGN_PUBKEY_B64_LEN + 1], id[17];
  struct tpp_seckey sk;
  struct tpp_pubkey pk;
  struct tpp_diag diag = {0};
  int no_password = 0, force = 0, c, err, status;

  optind = 1;
  while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
    switch (c) {
    case 's':
      sk_path = optarg;
      break;
    case 'p':
      pk_path = optarg;
      break;
    case 'W':
      no_password = 1;
      break;
    case 'P':
      password_file = optarg;
      break;
    case 'f':
      force = 1;
      break;
    case 'h':
      tpp_cli_usage(stdout, "keygen");
      return 0;
    default:
      tpp_cli_usage(stderr, "keygen");
      return 2;
    }
  }
  if (optind != argc || strcmp(sk_path, pk_path) == 0 || (no_password && password_file)) {
    fprintf(stderr, "tppbench keygen: %s\n\n",
            optind != argc ? "takes no file arguments (--secret-key, --public-key)"
            : strcmp(sk_path, pk_path) == 0 ? "the secret and public key files must differ"
                                            : "--no-password and --password-file exclude each other");
    tpp_cli_usage(stderr, "keygen");
    return 2;
  }
  if (!force && (refuse_existing(sk_path) || refuse_existing(pk_path)))
    return 2;
  if (!no_password) {
    if ((err = tpp_password_get(password_file, sk_path, "Password for the new secret key: ", 1,
                                password, sizeof(password), &diag)))
      return tpp_cli_fail(err, &diag);
    if (!password[0]) {
      fprintf(stderr, "tppbench: %s: empty password; give one, or --no-password for a key "
                      "that is not encrypted\n", sk_path);
      return 2;
    }
    fprintf(stderr, "Deriving a key from the password (scrypt, 1 GiB)... ");
  }
  if ((err = tpp_seckey_generate(&sk, &pk, &diag)) ||
      (err = tpp_seckey_write(sk_path, &sk, no_password ? NULL : password, NULL, force, &diag))) {
    if (!no_password)
      fputc('\n', stderr);
    status = tpp_cli_fail(err, &diag);
    goto out;
  }
  if (!no_password)
    fprintf(stderr, "done\n");
  if ((err = tpp_pubkey_write(pk_path, &pk, force, &diag))) {
    if (!force)
      remove(sk_path); /* no secret key without its public key */
    status = tpp_cli_fail(err, &diag);
    goto out;
  }
  tpp_pubkey_base64(&pk, b64, sizeof(b64));
  tpp_sign_key_id_hex(pk.id, id);
  printf("secret key  %s (%s, mode 0600): keep it secret\n"
         "public key  %s (key id %s): give it to whoever checks your results\n"
         "\n"
         "sign:   tppbench sign --key %s RESULT.json\n"
         "check:  minisign -Vm RESULT.json -P %s\n"
         "        tppbench verify --trust %s ... RESULT.json\n",
         sk_path, no_password ? "not encrypted" : "encrypted", pk_path, id, sk_path, b64, pk_path);
  status = 0;
out:
  tpp_seckey_wipe(&sk);
  tpp_password_wipe(password, sizeof(password));
  return status;
}

/* A secret key others can read is no longer secret: say so (ssh refuses; we warn). */
static void
warn_if_readable(const char *path)
{
  struct stat st;
  if (stat(path, &st) == 0 && (st.st_mode & 077))
    fprintf(stderr, "tppbench: warning: secret key %s can be read by others (mode %04o); "
                    "chmod 600 %s\n", path, (unsigned)(st.st_mode & 07777), path);
}

/* The key of --key, unlocked when encrypted. */
static int
open_secret_key(const char *path, const char *password_file, struct tpp_seckey *sk)
{
  char password[TPP_PASSWORD_MAX + 1], prompt[600];
  struct tpp_diag diag = {0};
  int err;

  if ((err = tpp_seckey_load(path, sk, &diag)))
    return tpp_cli_fail(err, &diag);
  warn_if_readable(path);
  if (!sk->encrypted)
    return 0;
  snprintf(prompt, sizeof(prompt), "Password for %s: ", path);
  if (!(err = tpp_password_get(password_file, path, prompt, 0, password, sizeof(password),
                               &diag))) {
    fprintf(stderr, "Deriving the key from the password (scrypt)... ");
    err = tpp_seckey_unlock(sk, password, &diag);
    tpp_password_wipe(password, sizeof(password));
    fprintf(stderr, "%s\n", err ? "failed" : "done");
  }
  if (err) {
    tpp_seckey_wipe(sk);
    return tpp_cli_fail(err, &diag);
  }
  return 0;
}

int
tpp_cli_sign(int argc, char **argv)
{
  enum { OPT_PASSWORD_FILE = 256 };
  static const struct option longopts[] = {
      {.name = "key", .has_arg = required_argument, .val = 's'},
      {.name = "trusted-comment", .has_arg = required_argument, .val = 't'},
      {.name = "legacy", .has_arg = no_argument, .val = 'l'},
      {.name = "password-file", .has_arg = required_argument, .val = OPT_PASSWORD_FILE},
      {.name = "help", .has_arg = no_argument, .val = 'h'},
      {0},
  };
  const char *key_path = NULL, *comment = NULL, *password_file = NULL;
  struct tpp_seckey sk;
  struct tpp_diag diag = {0};
  char **texts = NULL, id[17];
  size_t *lens = NULL;
  int legacy = 0, c, err, status = 0, n_files;

  optind = 1;
  while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
    switch (c) {
    case 's':
      key_path = optarg;
      break;
    case 't':
      comment = optarg;
      break;
    case 'l':
      legacy = 1;
      break;
    case OPT_PASSWORD_FILE:
      password_file = optarg;
      break;
    case 'h':
      tpp_cli_usage(stdout, "sign");
      return 0;
    default:
      tpp_cli_usage(stderr, "sign");
      return 2;
    }
  }
  if (!key_path || optind >= argc) {
    fprintf(stderr, "tppbench sign: give --key SECRET and one or more files\n\n");
    tpp_cli_usage(stderr, "sign");
    return 2;
  }
  n_files = argc - optind;
  if ((status = open_secret_key(key_path, password_file, &sk)))
    return status;
  if (!(texts = calloc((size_t)n_files, sizeof(*texts))) ||
      !(lens = calloc((size_t)n_files, sizeof(*lens)))) {
    status = tpp_cli_fail(TPP_ENOMEM, NULL);
    goto out;
  }
  /* Every signature is made before any is written: a missing file writes nothing. */
  for (int i = 0; i < n_files; i++)
    if ((err = tpp_sign_file(&sk, argv[optind + i], comment, legacy, &texts[i], &lens[i],
                             &diag))) {
      status = tpp_cli_fail(err, &diag);
      goto out;
    }
  tpp_sign_key_id_hex(sk.id, id);
  for (int i = 0; i < n_files; i++) {
    char sig_path[4096];
    if ((size_t)snprintf(sig_path, sizeof(sig_path), "%s.minisig", argv[optind + i]) >=
        sizeof(sig_path))
      err = tpp_diag_set(&diag, TPP_EINVAL, argv[optind + i], 0, NULL, "path too long");
    else
      err = tpp_atomic_write(sig_path, texts[i], lens[i], &diag);
    if (err) {
      status = tpp_cli_fail(err, &diag);
      goto out;
    }
    printf("%s: signed with key %s (%s)\n", sig_path, id,
           legacy ? "legacy Ed25519 over the file" : "Ed25519 over its BLAKE2b-512");
  }
out:
  for (int i = 0; texts && i < n_files; i++)
    free(texts[i]);
  free(texts);
  free(lens);
  tpp_seckey_wipe(&sk);
  return status;
}
