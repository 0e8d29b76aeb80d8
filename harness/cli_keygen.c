/* cli_keygen.c - `tppbench keygen`: a minisign-compatible Ed25519 key pair for signing
 * results (docs/signing.md). */
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
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
  fprintf(stderr,
          "tppbench: %s: already exists; not overwritten (--force replaces it, and the "
          "key it holds is lost)\n",
          path);
  return 2;
}

int
tpp_cli_keygen(int argc, char **argv)
{
  static const struct option longopts[] = {
      {.name = "secret-key",    .has_arg = required_argument, .val = 's'},
      {.name = "public-key",             .has_arg = required_argument, .val = 'p'},
      {.name = "no-password",    .has_arg = no_argument, .val = 'W'},
      {.name = "password-file",             .has_arg = required_argument, .val = 'P'},
      {.name = "force",   .has_arg = no_argument, .val = 'f'},
      {.name = "help",             .has_arg = no_argument, .val = 'h'},
      {0},
  };
  const char *sk_path = KEYGEN_DEFAULT_SECRET, *pk_path = KEYGEN_DEFAULT_PUBLIC;
  const char *password_file = NULL;
  char password[TPP_PASSWORD_MAX + 1] = "", b64[TPP_SIGN_PUBKEY_B64_LEN + 1], id[17];
  struct tpp_seckey sk;
  struct tpp_pubkey pk;
  struct tpp_diag diag = {0};
  int no_password = 0, force = 0, c, err, status;

  tpp_cli_getopt_reset();
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
            : strcmp(sk_path, pk_path) == 0
                ? "the secret and public key files must differ"
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
      fprintf(stderr,
              "tppbench: %s: empty password; give one, or --no-password for a key "
              "that is not encrypted\n",
              sk_path);
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
