/* sign.c - minisign-compatible keys and signatures with libsodium.  See sign.h and
 * docs/signing.md for the formats. */
#include "tpp/sign.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "tpp/atomicio.h"

#define ALG_LEGACY "Ed"
#define ALG_HASHED "ED"
#define KDF_SCRYPT "Sc"
#define CHK_BLAKE2 "B2"
#define UNTRUSTED_PREFIX "untrusted comment: "
#define TRUSTED_PREFIX "trusted comment: "

/* Byte layouts (sign.h): public key 2+8+32, signature 2+8+64, secret key 2+2+2+32+8+8+
 * [8+64+32]. */
#define PUBKEY_BYTES (2 + TPP_SIGN_KEYID_BYTES + TPP_SIGN_PK_BYTES)
#define SIGBLOCK_BYTES (2 + TPP_SIGN_KEYID_BYTES + TPP_SIGN_SIG_BYTES)
#define KEYNUM_BYTES (TPP_SIGN_KEYID_BYTES + TPP_SIGN_SK_BYTES + TPP_SIGN_CHK_BYTES)
#define SECKEY_HEAD_BYTES (6 + TPP_SIGN_SALT_BYTES + 8 + 8)
#define SECKEY_BYTES (SECKEY_HEAD_BYTES + KEYNUM_BYTES)

/* Key and signature files are a few hundred bytes (a signature with the longest trusted
 * comment about 8 KiB); anything far larger is not one. */
#define TEXT_FILE_MAX 65536
#define MAX_LINES 8

static int
init(struct tpp_diag *diag)
{
  if (sodium_init() < 0)
    return tpp_diag_set(diag, TPP_EIO, NULL, 0, NULL, "libsodium could not be initialised");
  return 0;
}

static void
le64_store(unsigned char *p, unsigned long long v)
{
  for (int i = 0; i < 8; i++)
    p[i] = (unsigned char)(v >> (8 * i));
}

static unsigned long long
le64_load(const unsigned char *p)
{
  unsigned long long v = 0;
  for (int i = 7; i >= 0; i--)
    v = (v << 8) | p[i];
  return v;
}

void
tpp_sign_key_id_hex(const unsigned char id[TPP_SIGN_KEYID_BYTES], char out[17])
{
  snprintf(out, 17, "%016llX", le64_load(id));
}

/* ---- text files: whole, split into lines ---- */

struct text {
  char *buf;
  size_t len;
  char *line[MAX_LINES];
  size_t n_lines;
};

/* Read a small text file and split it at newlines (a trailing CR is dropped, as minisign
 * does).  Lines past MAX_LINES stay in the last one. */
static int
text_read(const char *path, const char *what, struct text *t, struct tpp_diag *diag)
{
  FILE *f;
  size_t n;
  char *p;

  memset(t, 0, sizeof(*t));
  if (!(f = fopen(path, "rb")))
    return tpp_diag_set(diag, errno == ENOENT ? TPP_ENOENT : TPP_EIO, path, 0, NULL,
                        "cannot read the %s: %s", what, strerror(errno));
  if (!(t->buf = malloc(TEXT_FILE_MAX + 1))) {
    fclose(f);
    return tpp_diag_set(diag, TPP_ENOMEM, path, 0, NULL, "out of memory");
  }
  n = fread(t->buf, 1, TEXT_FILE_MAX + 1, f);
  if (ferror(f) || n > TEXT_FILE_MAX) {
    int err = ferror(f) ? tpp_diag_set(diag, TPP_EIO, path, 0, NULL, "cannot read the %s", what)
                        : tpp_diag_set(diag, TPP_EPARSE, path, 0, NULL, "over %d bytes: not a %s",
                                       TEXT_FILE_MAX, what);
    fclose(f);
    free(t->buf);
    t->buf = NULL;
    return err;
  }
  fclose(f);
  t->buf[n] = '\0';
  t->len = n;
  if (memchr(t->buf, '\0', n)) {
    free(t->buf);
    t->buf = NULL;
    return tpp_diag_set(diag, TPP_EPARSE, path, 0, NULL, "holds NUL bytes: not a %s", what);
  }
  for (p = t->buf; *p && t->n_lines < MAX_LINES;) {
    char *nl = t->n_lines + 1 < MAX_LINES ? strchr(p, '\n') : NULL;
    size_t len;
    t->line[t->n_lines++] = p;
    if (nl)
      *nl = '\0';
    len = strlen(p);
    if (len > 0 && p[len - 1] == '\r')
      p[len - 1] = '\0';
    if (!nl)
      break;
    p = nl + 1;
  }
  return 0;
}

static void
text_free(struct text *t)
{
  if (t->buf) {
    sodium_memzero(t->buf, t->len); /* a secret key file passes through here */
    free(t->buf);
  }
  memset(t, 0, sizeof(*t));
}

/* Line i (0-based), "" when the file is shorter. */
static const char *
text_line(const struct text *t, size_t i)
{
  return i < t->n_lines ? t->line[i] : "";
}

/* Anything but blank lines after the first `used` lines is an error. */
static int
text_check_end(const struct text *t, size_t used, const char *path, struct tpp_diag *diag)
{
  for (size_t i = used; i < t->n_lines; i++)
    if (strspn(t->line[i], " \t\r\n") != strlen(t->line[i]))
      return tpp_diag_set(diag, TPP_EPARSE, path, (int)i + 1, NULL,
                          "unexpected text after the last line of the format");
  return 0;
}

/* Exactly `want` bytes of standard, padded base64 (what minisign writes). */
static int
b64_exact(const char *s, unsigned char *out, size_t want)
{
  size_t len = strlen(s), got = 0;
  const char *end = NULL;
  if (len == 0 ||
      sodium_base642bin(out, want, s, len, NULL, &got, &end, sodium_base64_VARIANT_ORIGINAL) != 0)
    return -1;
  return (end == s + len && got == want) ? 0 : -1;
}

static void
b64_put(char *out, size_t cap, const unsigned char *bin, size_t len)
{
  sodium_bin2base64(out, cap, bin, len, sodium_base64_VARIANT_ORIGINAL);
}

/* minisign's rule for a trusted comment: tabs, printable ASCII and well-formed UTF-8. */
static int
comment_printable(const char *s)
{
  const unsigned char *p = (const unsigned char *)s;
  while (*p) {
    unsigned c = *p++;
    int need;
    if (c == '\t' || (c >= 0x20 && c <= 0x7e))
      continue;
    if (c < 0x20 || c == 0x7f)
      return 0;
    if (c >= 0xc2 && c <= 0xdf)
      need = 1;
    else if (c >= 0xe0 && c <= 0xef)
      need = 2;
    else if (c >= 0xf0 && c <= 0xf4)
      need = 3;
    else
      return 0;
    for (; need > 0; need--, p++)
      if ((*p & 0xc0) != 0x80)
        return 0;
  }
  return 1;
}

static int
check_untrusted_line(const struct text *t, const char *path, const char *what,
                     struct tpp_diag *diag)
{
  if (strncmp(text_line(t, 0), UNTRUSTED_PREFIX, strlen(UNTRUSTED_PREFIX)) != 0)
    return tpp_diag_set(diag, TPP_EPARSE, path, 1, "untrusted comment",
                        "a %s begins with \"" UNTRUSTED_PREFIX "\"%s", what,
                        t->n_lines ? "" : " (the file is empty)");
  return 0;
}

/* ---- public keys ---- */

static int
pubkey_decode(const char *b64, struct tpp_pubkey *k, const char *path, int line,
              struct tpp_diag *diag)
{
  unsigned char raw[PUBKEY_BYTES];
  if (b64_exact(b64, raw, sizeof(raw)) != 0)
    return tpp_diag_set(diag, TPP_EPARSE, path, line, "public key",
                        "not a minisign public key (base64 of %d bytes)%s", PUBKEY_BYTES,
                        *b64 ? "" : ": the line is missing (truncated file?)");
  if (memcmp(raw, ALG_LEGACY, 2) != 0)
    return tpp_diag_set(diag, TPP_EPARSE, path, line, "public key",
                        "unsupported signature algorithm \"%c%c\" (expected \"Ed\")",
                        raw[0] >= 0x20 && raw[0] < 0x7f ? raw[0] : '?',
                        raw[1] >= 0x20 && raw[1] < 0x7f ? raw[1] : '?');
  memcpy(k->id, raw + 2, TPP_SIGN_KEYID_BYTES);
  memcpy(k->pk, raw + 2 + TPP_SIGN_KEYID_BYTES, TPP_SIGN_PK_BYTES);
  return 0;
}

int
tpp_pubkey_parse(const char *base64, struct tpp_pubkey *k, struct tpp_diag *diag)
{
  int err;
  memset(k, 0, sizeof(*k));
  if ((err = pubkey_decode(base64, k, NULL, 0, diag)) != 0)
    return err;
  snprintf(k->origin, sizeof(k->origin), "base64 key");
  return 0;
}

int
tpp_pubkey_load(const char *path, struct tpp_pubkey *k, struct tpp_diag *diag)
{
  struct text t;
  int err;

  memset(k, 0, sizeof(*k));
  if ((err = text_read(path, "public key file", &t, diag)) != 0)
    return err;
  if (!(err = check_untrusted_line(&t, path, "public key file", diag)) &&
      !(err = pubkey_decode(text_line(&t, 1), k, path, 2, diag)))
    err = text_check_end(&t, 2, path, diag);
  text_free(&t);
  if (!err)
    snprintf(k->origin, sizeof(k->origin), "%s", path);
  return err;
}

int
tpp_pubkey_open(const char *file_or_base64, struct tpp_pubkey *k, struct tpp_diag *diag)
{
  struct stat st;
  if (stat(file_or_base64, &st) == 0 || strlen(file_or_base64) != TPP_SIGN_PUBKEY_B64_LEN)
    return tpp_pubkey_load(file_or_base64, k, diag);
  if (tpp_pubkey_parse(file_or_base64, k, diag) == 0)
    return 0;
  return tpp_diag_set(diag, TPP_ENOENT, file_or_base64, 0, NULL,
                      "no such public key file, and not a minisign base64 public key");
}

void
tpp_pubkey_base64(const struct tpp_pubkey *k, char *buf, size_t cap)
{
  unsigned char raw[PUBKEY_BYTES];
  if (cap < TPP_SIGN_PUBKEY_B64_LEN + 1) {
    if (cap)
      buf[0] = '\0';
    return;
  }
  memcpy(raw, ALG_LEGACY, 2);
  memcpy(raw + 2, k->id, TPP_SIGN_KEYID_BYTES);
  memcpy(raw + 2 + TPP_SIGN_KEYID_BYTES, k->pk, TPP_SIGN_PK_BYTES);
  b64_put(buf, cap, raw, sizeof(raw));
}

int
tpp_pubkey_write(const char *path, const struct tpp_pubkey *k, int replace, struct tpp_diag *diag)
{
  char b64[TPP_SIGN_PUBKEY_B64_LEN + 1], id[17], text[200];
  int n;
  tpp_pubkey_base64(k, b64, sizeof(b64));
  tpp_sign_key_id_hex(k->id, id);
  n = snprintf(text, sizeof(text), UNTRUSTED_PREFIX "minisign public key %s\n%s\n", id, b64);
  return tpp_atomic_write_new(path, text, (size_t)n, 0644, replace, diag);
}

/* ---- secret keys ---- */

/* BLAKE2b-256 over "Ed" || key id || secret key, as minisign computes it. */
static void
seckey_checksum(const struct tpp_seckey *k, unsigned char out[TPP_SIGN_CHK_BYTES])
{
  crypto_generichash_state st;
  crypto_generichash_init(&st, NULL, 0, TPP_SIGN_CHK_BYTES);
  crypto_generichash_update(&st, (const unsigned char *)ALG_LEGACY, 2);
  crypto_generichash_update(&st, k->id, sizeof(k->id));
  crypto_generichash_update(&st, k->sk, sizeof(k->sk));
  crypto_generichash_final(&st, out, TPP_SIGN_CHK_BYTES);
}

/* The Ed25519 secret key is seed (32) || public key (32): the public half must be the one
 * the seed gives, which catches a damaged key that carries no checksum. */
static int
seckey_consistent(const struct tpp_seckey *k)
{
  unsigned char pk[crypto_sign_PUBLICKEYBYTES], sk[crypto_sign_SECRETKEYBYTES];
  int ok;
  crypto_sign_seed_keypair(pk, sk, k->sk);
  ok = sodium_memcmp(pk, k->sk + 32, sizeof(pk)) == 0;
  sodium_memzero(sk, sizeof(sk));
  return ok;
}

/* XOR id || sk || chk with the scrypt stream of the password. */
static int
seckey_xor(struct tpp_seckey *k, const char *password, unsigned long long ops, size_t mem)
{
  unsigned char stream[KEYNUM_BYTES];
  unsigned char *parts[] = {k->id, k->sk, k->chk};
  size_t sizes[] = {sizeof(k->id), sizeof(k->sk), sizeof(k->chk)}, off = 0;
  if (crypto_pwhash_scryptsalsa208sha256(stream, sizeof(stream), password, strlen(password),
                                         k->salt, ops, mem) != 0)
    return -1;
  for (size_t i = 0; i < 3; i++)
    for (size_t j = 0; j < sizes[i]; j++)
      parts[i][j] ^= stream[off++];
  sodium_memzero(stream, sizeof(stream));
  return 0;
}

int
tpp_seckey_generate(struct tpp_seckey *sk, struct tpp_pubkey *pk, struct tpp_diag *diag)
{
  int err;
  memset(sk, 0, sizeof(*sk));
  memset(pk, 0, sizeof(*pk));
  if ((err = init(diag)) != 0)
    return err;
  randombytes_buf(sk->id, sizeof(sk->id));
  crypto_sign_keypair(pk->pk, sk->sk);
  memcpy(pk->id, sk->id, sizeof(sk->id));
  seckey_checksum(sk, sk->chk);
  return 0;
}

int
tpp_seckey_load(const char *path, struct tpp_seckey *k, struct tpp_diag *diag)
{
  unsigned char raw[SECKEY_BYTES], zero[TPP_SIGN_CHK_BYTES] = {0}, chk[TPP_SIGN_CHK_BYTES];
  struct text t;
  const unsigned char *p = raw;
  int err;

  memset(k, 0, sizeof(*k));
  if ((err = init(diag)) != 0 || (err = text_read(path, "secret key file", &t, diag)) != 0)
    return err;
  if ((err = check_untrusted_line(&t, path, "secret key file", diag)) != 0)
    goto out;
  if (b64_exact(text_line(&t, 1), raw, sizeof(raw)) != 0) {
    err = tpp_diag_set(diag, TPP_EPARSE, path, 2, "secret key",
                       "not a minisign secret key (base64 of %d bytes)%s", SECKEY_BYTES,
                       *text_line(&t, 1) ? "" : ": the line is missing (truncated file?)");
    goto out;
  }
  if ((err = text_check_end(&t, 2, path, diag)) != 0)
    goto out;
  if (memcmp(p, ALG_LEGACY, 2) != 0) {
    err = tpp_diag_set(diag, TPP_EPARSE, path, 2, "secret key",
                       "unsupported signature algorithm (expected \"Ed\")");
    goto out;
  }
  if (memcmp(p + 4, CHK_BLAKE2, 2) != 0) {
    err = tpp_diag_set(diag, TPP_EPARSE, path, 2, "secret key",
                       "unsupported checksum algorithm (expected \"B2\")");
    goto out;
  }
  if (memcmp(p + 2, KDF_SCRYPT, 2) == 0) {
    k->encrypted = 1;
  } else if (p[2] != 0 || p[3] != 0) {
    err = tpp_diag_set(diag, TPP_EPARSE, path, 2, "secret key",
                       "unsupported key derivation (expected \"Sc\" or none)");
    goto out;
  }
  p += 6;
  memcpy(k->salt, p, sizeof(k->salt));
  p += sizeof(k->salt);
  k->opslimit = le64_load(p);
  k->memlimit = le64_load(p + 8);
  p += 16;
  memcpy(k->id, p, sizeof(k->id));
  memcpy(k->sk, p + sizeof(k->id), sizeof(k->sk));
  memcpy(k->chk, p + sizeof(k->id) + sizeof(k->sk), sizeof(k->chk));
  snprintf(k->file, sizeof(k->file), "%s", path);
  if (!k->encrypted) {
    /* minisign -W leaves the checksum zero; one that is there must match. */
    seckey_checksum(k, chk);
    if ((sodium_memcmp(k->chk, zero, sizeof(zero)) != 0 &&
         sodium_memcmp(k->chk, chk, sizeof(chk)) != 0) ||
        !seckey_consistent(k))
      err = tpp_diag_set(diag, TPP_EPARSE, path, 2, "secret key",
                         "damaged: the key does not match its checksum");
    sodium_memzero(chk, sizeof(chk));
  }
out:
  sodium_memzero(raw, sizeof(raw));
  text_free(&t);
  if (err)
    tpp_seckey_wipe(k);
  return err;
}

int
tpp_seckey_unlock(struct tpp_seckey *k, const char *password, struct tpp_diag *diag)
{
  struct tpp_seckey locked;
  unsigned char chk[TPP_SIGN_CHK_BYTES];
  int err;

  if (!k->encrypted)
    return 0;
  if ((err = init(diag)) != 0)
    return err;
  locked = *k;
  if (k->memlimit > (unsigned long long)SIZE_MAX ||
      seckey_xor(k, password, k->opslimit, (size_t)k->memlimit) != 0) {
    err = tpp_diag_set(diag, TPP_ENOMEM, k->file, 2, "secret key",
                       "cannot derive the key from the password (scrypt with opslimit %llu, "
                       "memlimit %llu bytes): out of memory, or a damaged key file",
                       k->opslimit, k->memlimit);
    goto out;
  }
  seckey_checksum(k, chk);
  if (sodium_memcmp(chk, k->chk, sizeof(chk)) != 0 || !seckey_consistent(k)) {
    *k = locked; /* still locked: another password may be tried */
    err = tpp_diag_set(diag, TPP_ESIGN, k->file, 0, NULL,
                       "wrong password for this secret key (or a damaged key file)");
    goto out;
  }
  k->encrypted = 0;
out:
  sodium_memzero(chk, sizeof(chk));
  sodium_memzero(&locked, sizeof(locked));
  return err;
}

int
tpp_seckey_write(const char *path, const struct tpp_seckey *k, const char *password,
                 const struct tpp_kdf_limits *limits, int replace, struct tpp_diag *diag)
{
  struct tpp_seckey e = *k;
  unsigned char raw[SECKEY_BYTES], *p = raw;
  char text[512];
  int n, err;

  if (k->encrypted)
    return tpp_diag_set(diag, TPP_EINVAL, path, 0, NULL, "the key is locked");
  if ((err = init(diag)) != 0)
    return err;
  memset(raw, 0, sizeof(raw));
  memcpy(p, ALG_LEGACY, 2);
  memcpy(p + 4, CHK_BLAKE2, 2);
  seckey_checksum(&e, e.chk);
  if (password) {
    unsigned long long ops = crypto_pwhash_scryptsalsa208sha256_OPSLIMIT_SENSITIVE;
    size_t mem = crypto_pwhash_scryptsalsa208sha256_MEMLIMIT_SENSITIVE;
    memcpy(p + 2, KDF_SCRYPT, 2);
    randombytes_buf(e.salt, sizeof(e.salt));
    if (limits) {
      ops = limits->opslimit;
      mem = (size_t)limits->memlimit;
      err = seckey_xor(&e, password, ops, mem);
    } else {
      /* As minisign: halve the cost while the memory cannot be had. */
      while ((err = seckey_xor(&e, password, ops, mem)) != 0 &&
             ops / 2 >= crypto_pwhash_scryptsalsa208sha256_OPSLIMIT_MIN &&
             mem / 2 >= crypto_pwhash_scryptsalsa208sha256_MEMLIMIT_MIN) {
        ops /= 2;
        mem /= 2;
      }
    }
    if (err) {
      err = tpp_diag_set(diag, TPP_ENOMEM, path, 0, NULL,
                         "cannot derive a key from the password: out of memory");
      goto out;
    }
    memcpy(p + 6, e.salt, sizeof(e.salt));
    le64_store(p + 6 + sizeof(e.salt), ops);
    le64_store(p + 14 + sizeof(e.salt), mem);
  }
  p += SECKEY_HEAD_BYTES;
  memcpy(p, e.id, sizeof(e.id));
  memcpy(p + sizeof(e.id), e.sk, sizeof(e.sk));
  memcpy(p + sizeof(e.id) + sizeof(e.sk), e.chk, sizeof(e.chk));
  n = snprintf(text, sizeof(text), UNTRUSTED_PREFIX "tppbench secret key, %s (minisign format)\n",
               password ? "encrypted" : "not encrypted");
  b64_put(text + n, sizeof(text) - (size_t)n - 1, raw, sizeof(raw));
  strcat(text, "\n");
  err = tpp_atomic_write_new(path, text, strlen(text), 0600, replace, diag);
  sodium_memzero(text, sizeof(text));
out:
  sodium_memzero(raw, sizeof(raw));
  tpp_seckey_wipe(&e);
  return err;
}

void
tpp_seckey_public(const struct tpp_seckey *k, struct tpp_pubkey *pk)
{
  memset(pk, 0, sizeof(*pk));
  memcpy(pk->id, k->id, sizeof(k->id));
  crypto_sign_ed25519_sk_to_pk(pk->pk, k->sk);
  snprintf(pk->origin, sizeof(pk->origin), "%s", k->file);
}

void
tpp_seckey_wipe(struct tpp_seckey *k)
{
  sodium_memzero(k, sizeof(*k));
}

/* ---- signatures ---- */

/* What is signed: BLAKE2b-512 of the file (prehashed), or the file itself (legacy).
 * *msg is malloc'd. */
static int
message_load(const char *file, int prehashed, unsigned char **msg, size_t *len,
             struct tpp_diag *diag)
{
  unsigned char buf[65536];
  crypto_generichash_state st;
  FILE *f = fopen(file, "rb");
  size_t n, cap = 0;

  *msg = NULL;
  *len = 0;
  if (!f)
    return tpp_diag_set(diag, errno == ENOENT ? TPP_ENOENT : TPP_EIO, file, 0, NULL,
                        "cannot read: %s", strerror(errno));
  if (prehashed)
    crypto_generichash_init(&st, NULL, 0, crypto_generichash_BYTES_MAX);
  while ((n = fread(buf, 1, sizeof(buf), f)) > 0) {
    if (prehashed) {
      crypto_generichash_update(&st, buf, n);
      continue;
    }
    if (*len + n > cap) {
      unsigned char *m = realloc(*msg, cap = 2 * (*len + n));
      if (!m) {
        fclose(f);
        free(*msg);
        *msg = NULL;
        return tpp_diag_set(diag, TPP_ENOMEM, file, 0, NULL, "out of memory");
      }
      *msg = m;
    }
    memcpy(*msg + *len, buf, n);
    *len += n;
  }
  if (ferror(f)) {
    fclose(f);
    free(*msg);
    *msg = NULL;
    return tpp_diag_set(diag, TPP_EIO, file, 0, NULL, "read error");
  }
  fclose(f);
  if (prehashed) {
    if (!(*msg = malloc(crypto_generichash_BYTES_MAX)))
      return tpp_diag_set(diag, TPP_ENOMEM, file, 0, NULL, "out of memory");
    crypto_generichash_final(&st, *msg, crypto_generichash_BYTES_MAX);
    *len = crypto_generichash_BYTES_MAX;
  }
  return 0;
}

/* signature || trusted comment, what the global signature covers; malloc'd. */
static unsigned char *
global_message(const unsigned char sig[TPP_SIGN_SIG_BYTES], const char *comment, size_t *len)
{
  size_t clen = strlen(comment);
  unsigned char *m = malloc(TPP_SIGN_SIG_BYTES + clen + 1);
  if (m) {
    memcpy(m, sig, TPP_SIGN_SIG_BYTES);
    memcpy(m + TPP_SIGN_SIG_BYTES, comment, clen);
    *len = TPP_SIGN_SIG_BYTES + clen;
  }
  return m;
}

int
tpp_sign_file(const struct tpp_seckey *k, const char *file, const char *trusted_comment, int legacy,
              char **text, size_t *len, struct tpp_diag *diag)
{
  struct tpp_signature s;
  struct tpp_pubkey pk;
  unsigned char block[SIGBLOCK_BYTES], *msg = NULL, *gmsg = NULL;
  size_t msg_len, gmsg_len, cap;
  char id[17];
  const char *base = strrchr(file, '/');
  int err;

  *text = NULL;
  *len = 0;
  if (k->encrypted)
    return tpp_diag_set(diag, TPP_EINVAL, k->file, 0, NULL, "the key is locked");
  if ((err = init(diag)) != 0)
    return err;
  memset(&s, 0, sizeof(s));
  s.prehashed = !legacy;
  memcpy(s.id, k->id, sizeof(s.id));
  if (trusted_comment) {
    if (strlen(trusted_comment) > TPP_SIGN_COMMENT_MAX || !comment_printable(trusted_comment))
      return tpp_diag_set(diag, TPP_EINVAL, NULL, 0, "--trusted-comment",
                          "one line of at most %d bytes of printable text (UTF-8, tabs) expected",
                          TPP_SIGN_COMMENT_MAX);
    snprintf(s.trusted_comment, sizeof(s.trusted_comment), "%s", trusted_comment);
  } else {
    snprintf(s.trusted_comment, sizeof(s.trusted_comment), "timestamp:%lld\tfile:%s%s",
             (long long)time(NULL), base ? base + 1 : file, legacy ? "" : "\thashed");
    if (!comment_printable(s.trusted_comment))
      return tpp_diag_set(diag, TPP_EINVAL, file, 0, NULL,
                          "the file name is not printable text; give --trusted-comment");
  }
  if ((err = message_load(file, s.prehashed, &msg, &msg_len, diag)) != 0)
    return err;
  crypto_sign_detached(s.sig, NULL, msg, msg_len, k->sk);
  if (!(gmsg = global_message(s.sig, s.trusted_comment, &gmsg_len))) {
    err = tpp_diag_set(diag, TPP_ENOMEM, file, 0, NULL, "out of memory");
    goto out;
  }
  crypto_sign_detached(s.global_sig, NULL, gmsg, gmsg_len, k->sk);
  /* Check the pair with the key's own public half before handing it out. */
  tpp_seckey_public(k, &pk);
  if (crypto_sign_verify_detached(s.sig, msg, msg_len, pk.pk) != 0 ||
      crypto_sign_verify_detached(s.global_sig, gmsg, gmsg_len, pk.pk) != 0) {
    err = tpp_diag_set(diag, TPP_ESIGN, k->file, 0, NULL,
                       "damaged secret key: its signature does not verify with its public key");
    goto out;
  }
  memcpy(block, s.prehashed ? ALG_HASHED : ALG_LEGACY, 2);
  memcpy(block + 2, s.id, sizeof(s.id));
  memcpy(block + 2 + sizeof(s.id), s.sig, sizeof(s.sig));
  cap = 200 + strlen(s.trusted_comment) +
        2 * sodium_base64_ENCODED_LEN(SIGBLOCK_BYTES, sodium_base64_VARIANT_ORIGINAL);
  if (!(*text = malloc(cap))) {
    err = tpp_diag_set(diag, TPP_ENOMEM, file, 0, NULL, "out of memory");
    goto out;
  }
  tpp_sign_key_id_hex(s.id, id);
  *len = (size_t)snprintf(*text, cap, UNTRUSTED_PREFIX "signature from tppbench secret key %s\n",
                          id);
  b64_put(*text + *len, cap - *len, block, sizeof(block));
  *len += strlen(*text + *len);
  *len += (size_t)snprintf(*text + *len, cap - *len, "\n" TRUSTED_PREFIX "%s\n", s.trusted_comment);
  b64_put(*text + *len, cap - *len, s.global_sig, sizeof(s.global_sig));
  *len += strlen(*text + *len);
  *len += (size_t)snprintf(*text + *len, cap - *len, "\n");
out:
  free(msg);
  free(gmsg);
  return err;
}

int
tpp_signature_load(const char *path, struct tpp_signature *s, struct tpp_diag *diag)
{
  unsigned char block[SIGBLOCK_BYTES];
  struct text t;
  const char *tc;
  int err;

  memset(s, 0, sizeof(*s));
  if ((err = text_read(path, "signature file", &t, diag)) != 0)
    return err;
  if ((err = check_untrusted_line(&t, path, "signature file", diag)) != 0)
    goto out;
  if (b64_exact(text_line(&t, 1), block, sizeof(block)) != 0) {
    err = tpp_diag_set(diag, TPP_EPARSE, path, 2, "signature",
                       "not a minisign signature (base64 of %d bytes)%s", SIGBLOCK_BYTES,
                       *text_line(&t, 1) ? "" : ": the line is missing (truncated file?)");
    goto out;
  }
  if (memcmp(block, ALG_HASHED, 2) == 0) {
    s->prehashed = 1;
  } else if (memcmp(block, ALG_LEGACY, 2) != 0) {
    err = tpp_diag_set(diag, TPP_EPARSE, path, 2, "signature",
                       "unsupported signature algorithm (expected \"ED\" or \"Ed\")");
    goto out;
  }
  memcpy(s->id, block + 2, sizeof(s->id));
  memcpy(s->sig, block + 2 + sizeof(s->id), sizeof(s->sig));
  tc = text_line(&t, 2);
  if (strncmp(tc, TRUSTED_PREFIX, strlen(TRUSTED_PREFIX)) != 0) {
    err = tpp_diag_set(diag, TPP_EPARSE, path, 3, "trusted comment",
                       "expected a line beginning with \"" TRUSTED_PREFIX "\"");
    goto out;
  }
  tc += strlen(TRUSTED_PREFIX);
  if (strlen(tc) > TPP_SIGN_COMMENT_MAX || !comment_printable(tc)) {
    err = tpp_diag_set(diag, TPP_EPARSE, path, 3, "trusted comment",
                       "longer than %d bytes, or not printable text", TPP_SIGN_COMMENT_MAX);
    goto out;
  }
  snprintf(s->trusted_comment, sizeof(s->trusted_comment), "%s", tc);
  if (b64_exact(text_line(&t, 3), s->global_sig, sizeof(s->global_sig)) != 0) {
    err = tpp_diag_set(diag, TPP_EPARSE, path, 4, "global signature",
                       "not base64 of a %d-byte signature%s", TPP_SIGN_SIG_BYTES,
                       *text_line(&t, 3) ? "" : ": the line is missing (truncated file?)");
    goto out;
  }
  err = text_check_end(&t, 4, path, diag);
out:
  text_free(&t);
  return err;
}

int
tpp_signature_verify_bytes(const struct tpp_signature *s, const struct tpp_pubkey *k,
                           const char *file, const void *bytes, size_t len, struct tpp_diag *diag)
{
  unsigned char hash[crypto_generichash_BYTES_MAX], *gmsg = NULL;
  const unsigned char *msg = bytes;
  size_t msg_len = len, gmsg_len;
  char sid[17], kid[17];
  int err;

  if ((err = init(diag)) != 0)
    return err;
  tpp_sign_key_id_hex(s->id, sid);
  tpp_sign_key_id_hex(k->id, kid);
  if (memcmp(s->id, k->id, sizeof(s->id)) != 0)
    return tpp_diag_set(diag, TPP_ESIGN, file, 0, NULL, "signed by key %s, not by key %s (%s)", sid,
                        kid, k->origin);
  if (s->prehashed) { /* BLAKE2b-512 of the bytes, as minisign signs by default */
    crypto_generichash(hash, sizeof(hash), bytes, len, NULL, 0);
    msg = hash;
    msg_len = sizeof(hash);
  }
  if (crypto_sign_verify_detached(s->sig, msg, msg_len, k->pk) != 0)
    return tpp_diag_set(diag, TPP_ESIGN, file, 0, NULL,
                        "bad signature: the file is not what key %s signed (changed after "
                        "signing?)",
                        kid);
  if (!(gmsg = global_message(s->sig, s->trusted_comment, &gmsg_len)))
    return tpp_diag_set(diag, TPP_ENOMEM, file, 0, NULL, "out of memory");
  if (crypto_sign_verify_detached(s->global_sig, gmsg, gmsg_len, k->pk) != 0)
    err = tpp_diag_set(diag, TPP_ESIGN, file, 0, NULL,
                       "trusted comment tampered: its signature by key %s does not verify", kid);
  free(gmsg);
  return err;
}

int
tpp_signature_verify(const struct tpp_signature *s, const struct tpp_pubkey *k, const char *file,
                     struct tpp_diag *diag)
{
  unsigned char *bytes = NULL;
  size_t len = 0;
  int err;
  if ((err = init(diag)) != 0 || (err = message_load(file, 0, &bytes, &len, diag)) != 0)
    return err;
  err = tpp_signature_verify_bytes(s, k, file, bytes, len, diag);
  free(bytes);
  return err;
}

int
tpp_sign_check_trusted_bytes(const char *file, const void *bytes, size_t len,
                             const struct tpp_pubkey *keys, size_t n_keys,
                             struct tpp_sig_check *who, struct tpp_diag *diag)
{
  struct tpp_signature *s;
  char sig_path[4096], sid[17], known[256] = "";
  size_t used = 0;
  int err = 0, tried = 0;

  memset(who, 0, sizeof(*who));
  if ((size_t)snprintf(sig_path, sizeof(sig_path), "%s.minisig", file) >= sizeof(sig_path))
    return tpp_diag_set(diag, TPP_EINVAL, file, 0, NULL, "path too long");
  if (access(sig_path, F_OK) != 0 && errno == ENOENT)
    return tpp_diag_set(diag, TPP_ESIGN, file, 0, NULL,
                        "missing signature file %s: with --trust every result must be signed "
                        "(tppbench sign --key KEY %s)",
                        sig_path, file);
  if (!(s = malloc(sizeof(*s))))
    return tpp_diag_set(diag, TPP_ENOMEM, file, 0, NULL, "out of memory");
  if ((err = tpp_signature_load(sig_path, s, diag)) != 0) {
    if (err == TPP_EPARSE) { /* say what it is */
      char why[sizeof(diag->text)];
      snprintf(why, sizeof(why), "%s", diag->text);
      snprintf(diag->text, sizeof(diag->text), "corrupt signature file: %s", why);
    }
    goto out;
  }
  tpp_sign_key_id_hex(s->id, sid);
  for (size_t i = 0; i < n_keys; i++) {
    char kid[17];
    if (memcmp(keys[i].id, s->id, sizeof(s->id)) != 0) {
      tpp_sign_key_id_hex(keys[i].id, kid);
      if (used < sizeof(known))
        used += (size_t)snprintf(known + used, sizeof(known) - used, "%s%s", used ? ", " : "", kid);
      continue;
    }
    tried = 1;
    if ((err = tpp_signature_verify_bytes(s, &keys[i], file, bytes, len, diag)) == 0) {
      who->key = &keys[i];
      snprintf(who->key_id, sizeof(who->key_id), "%s", sid);
      who->prehashed = s->prehashed;
      snprintf(who->trusted_comment, sizeof(who->trusted_comment), "%s", s->trusted_comment);
      goto out;
    }
  }
  if (!tried)
    err = tpp_diag_set(diag, TPP_ESIGN, file, 0, NULL,
                       "unknown key id: %s was signed by key %s, which is not a trusted key "
                       "(--trust gave %s)",
                       sig_path, sid, used ? known : "none");
out:
  free(s);
  return err;
}

int
tpp_sign_check_trusted(const char *file, const struct tpp_pubkey *keys, size_t n_keys,
                       struct tpp_sig_check *who, struct tpp_diag *diag)
{
  unsigned char *bytes = NULL;
  size_t len = 0;
  int err;
  memset(who, 0, sizeof(*who));
  if ((err = init(diag)) != 0 || (err = message_load(file, 0, &bytes, &len, diag)) != 0)
    return err;
  err = tpp_sign_check_trusted_bytes(file, bytes, len, keys, n_keys, who, diag);
  free(bytes);
  return err;
}
