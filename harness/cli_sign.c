/* cli_sign.c - `tppbench sign`: minisign-compatible detached signatures FILE.minisig
 * (docs/signing.md); the keys come from `tppbench keygen` (cli_keygen.c) or minisign. */
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

/* A secret key others can read is no longer secret: say so (ssh refuses; we warn). */
static void
warn_if_readable(const char *path)
{
  struct stat st;
  if (stat(path, &st) == 0 && (st.st_mode & 077))
    fprintf(stderr,
            "tppbench: warning: secret key %s can be read by others (mode %04o); "
            "chmod 600 %s\n",
            path, (unsigned)(st.st_mode & 07777), path);
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
      {.name = "key",             .has_arg = required_argument, .val = 's'},
      {.name = "trusted-comment",               .has_arg = required_argument, .val = 't'},
      {.name = "legacy", .has_arg = no_argument, .val = 'l'},
      {.name = "password-file",               .has_arg = required_argument, .val = OPT_PASSWORD_FILE},
      {.name = "help",          .has_arg = no_argument, .val = 'h'},
      {0              },
  };
  const char *key_path = NULL, *comment = NULL, *password_file = NULL;
  struct tpp_seckey sk;
  struct tpp_diag diag = {0};
  char **texts = NULL, id[17];
  size_t *lens = NULL;
  int legacy = 0, c, err, status = 0, n_files;

  tpp_cli_getopt_reset();
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
    if ((err = tpp_sign_file(&sk, argv[optind + i], comment, legacy, &texts[i], &lens[i], &diag))) {
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
