/* sign.h - Ed25519 keys and detached signatures in minisign's formats (libsodium).
 *
 * A result signed here verifies with `minisign -Vm RESULT.json -p KEY.pub`, and a file
 * signed by minisign verifies here.  The formats (docs/signing.md has the byte layouts):
 *  - public key file: "untrusted comment: ..." then base64 of "Ed" || key id (8) || key (32);
 *  - secret key file: "untrusted comment: ..." then base64 of "Ed" || kdf ("Sc" scrypt or
 *    two zero bytes: not encrypted) || "B2" || salt (32) || opslimit (8, LE) || memlimit
 *    (8, LE) || [key id (8) || secret key (64) || BLAKE2b-256 checksum (32)], the bracket
 *    XORed with scrypt-salsa208-sha256(password, salt) when encrypted;
 *  - signature file FILE.minisig: untrusted comment line; base64 of "ED" (Ed25519 over the
 *    BLAKE2b-512 of the file, minisign's default since 0.10) or "Ed" (over the file itself,
 *    the legacy form) || key id (8) || signature (64); "trusted comment: TEXT"; base64 of
 *    the global signature, Ed25519 over signature (64) || TEXT.
 * A key id is shown as minisign shows it: the 8 bytes read as a little-endian 64-bit number
 * in 16 upper-case hex digits.
 */
#ifndef TPP_SIGN_H
#define TPP_SIGN_H

#include <stddef.h>

#include "tpp/error.h"

#define TPP_SIGN_KEYID_BYTES 8
#define TPP_SIGN_PK_BYTES 32
#define TPP_SIGN_SK_BYTES 64
#define TPP_SIGN_SIG_BYTES 64
#define TPP_SIGN_CHK_BYTES 32
#define TPP_SIGN_SALT_BYTES 32
/* Longest trusted comment, in bytes: minisign reads a line of at most 8191 bytes, which
 * holds "trusted comment: ", 8173 bytes and the newline. */
#define TPP_SIGN_COMMENT_MAX 8173
/* Base64 of a public key (42 bytes): 56 characters. */
#define TPP_SIGN_PUBKEY_B64_LEN 56

struct tpp_pubkey {
  unsigned char id[TPP_SIGN_KEYID_BYTES];
  unsigned char pk[TPP_SIGN_PK_BYTES];
  char origin[512]; /* the file it was read from, or "base64 key" */
};

/* A secret key as read from its file.  While `encrypted`, id/sk/chk hold the XORed bytes
 * and tpp_seckey_unlock must run before signing. */
struct tpp_seckey {
  char file[512];
  int encrypted;
  unsigned char salt[TPP_SIGN_SALT_BYTES];
  unsigned long long opslimit, memlimit;
  unsigned char id[TPP_SIGN_KEYID_BYTES];
  unsigned char sk[TPP_SIGN_SK_BYTES];
  unsigned char chk[TPP_SIGN_CHK_BYTES];
};

/* Cost of scrypt for an encrypted secret key.  NULL where one is asked for: minisign's
 * (libsodium's "sensitive" limits, 1 GiB; halved while the memory cannot be had). */
struct tpp_kdf_limits {
  unsigned long long opslimit, memlimit;
};

struct tpp_signature {
  int prehashed; /* 1: "ED", signature over BLAKE2b-512(file); 0: legacy "Ed" */
  unsigned char id[TPP_SIGN_KEYID_BYTES];
  unsigned char sig[TPP_SIGN_SIG_BYTES];
  char trusted_comment[TPP_SIGN_COMMENT_MAX + 1];
  unsigned char global_sig[TPP_SIGN_SIG_BYTES];
};

/* The key id as minisign prints it ("F2933259E8450D4E"). */
void tpp_sign_key_id_hex(const unsigned char id[TPP_SIGN_KEYID_BYTES], char out[17]);

/* A public key from minisign's base64 string (what `minisign -P` takes). */
int tpp_pubkey_parse(const char *base64, struct tpp_pubkey *k, struct tpp_diag *diag);
/* A public key file. */
int tpp_pubkey_load(const char *path, struct tpp_pubkey *k, struct tpp_diag *diag);
/* A file when one exists by that name, else a base64 key string (what --trust takes). */
int tpp_pubkey_open(const char *file_or_base64, struct tpp_pubkey *k, struct tpp_diag *diag);
/* The base64 string of a public key into buf (>= TPP_SIGN_PUBKEY_B64_LEN + 1). */
void tpp_pubkey_base64(const struct tpp_pubkey *k, char *buf, size_t cap);
/* Write a public key file (mode 0644) atomically; replace = 0 refuses an existing file. */
int tpp_pubkey_write(const char *path, const struct tpp_pubkey *k, int replace,
                     struct tpp_diag *diag);

/* A fresh random key pair with a random key id (as `minisign -G`). */
int tpp_seckey_generate(struct tpp_seckey *sk, struct tpp_pubkey *pk, struct tpp_diag *diag);
/* Read a secret key file.  An encrypted key is left locked. */
int tpp_seckey_load(const char *path, struct tpp_seckey *k, struct tpp_diag *diag);
/* Decrypt a locked key with the password and check its checksum.  TPP_ESIGN when the
 * password is wrong (or the file damaged).  No-op on a key that is not encrypted. */
int tpp_seckey_unlock(struct tpp_seckey *k, const char *password, struct tpp_diag *diag);
/* Write a secret key file (mode 0600) atomically, encrypted with `password` (NULL: not
 * encrypted, as `minisign -W`); limits NULL: minisign's.  replace = 0 refuses an existing
 * file. */
int tpp_seckey_write(const char *path, const struct tpp_seckey *k, const char *password,
                     const struct tpp_kdf_limits *limits, int replace, struct tpp_diag *diag);
/* The public half of an unlocked secret key. */
void tpp_seckey_public(const struct tpp_seckey *k, struct tpp_pubkey *pk);
/* Zero the key material. */
void tpp_seckey_wipe(struct tpp_seckey *k);

/* Sign `file` with an unlocked key: the text of FILE.minisig, malloc'd, into *text and
 * *len.  trusted_comment NULL: minisign's default "timestamp:<unix>\tfile:<basename>"
 * (with "\thashed" for a prehashed signature).  legacy: the "Ed" form (minisign -l). */
int tpp_sign_file(const struct tpp_seckey *k, const char *file, const char *trusted_comment,
                  int legacy, char **text, size_t *len, struct tpp_diag *diag);

/* Read a signature file. */
int tpp_signature_load(const char *path, struct tpp_signature *s, struct tpp_diag *diag);
/* Check a signature of `file` with key k (whose id must be the signature's): TPP_ESIGN
 * naming what failed (the file's signature, or the trusted comment's). */
int tpp_signature_verify(const struct tpp_signature *s, const struct tpp_pubkey *k,
                         const char *file, struct tpp_diag *diag);
/* The same over bytes already read (`file` names them in messages). */
int tpp_signature_verify_bytes(const struct tpp_signature *s, const struct tpp_pubkey *k,
                               const char *file, const void *bytes, size_t len,
                               struct tpp_diag *diag);

/* What tpp_sign_check_trusted found. */
struct tpp_sig_check {
  const struct tpp_pubkey *key; /* the trusted key that verified the file */
  char key_id[17];
  int prehashed;
  char trusted_comment[TPP_SIGN_COMMENT_MAX + 1];
};

/* `file` must carry FILE.minisig, signed by one of keys[0..n_keys).  0 and *who, or
 * TPP_ESIGN (missing signature, unknown key id, bad signature, trusted comment altered)
 * or TPP_EPARSE (corrupt signature file) with the diag naming the file and the reason. */
int tpp_sign_check_trusted(const char *file, const struct tpp_pubkey *keys, size_t n_keys,
                           struct tpp_sig_check *who, struct tpp_diag *diag);
/* The same for the bytes of `file` already read (FILE.minisig is read from disk): a reader
 * that checks and then parses uses the one copy it read for both, so a file swapped on disk
 * between the two cannot pass unsigned content. */
int tpp_sign_check_trusted_bytes(const char *file, const void *bytes, size_t len,
                                 const struct tpp_pubkey *keys, size_t n_keys,
                                 struct tpp_sig_check *who, struct tpp_diag *diag);

#endif
