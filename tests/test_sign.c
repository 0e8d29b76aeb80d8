/* test_sign.c - minisign-format keys and signatures: files made by minisign 0.11
 * (tests/data/sign/) verify here, keys written here load back, every flipped byte of a
 * signed file or of its trusted comment is caught, and bad key and signature files are
 * rejected naming the file, line and field.  (test_sign_minisign.sh runs the minisign
 * program itself against tppbench.) */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#include "testutil.h"
#include "tpp/password.h"
#include "tpp/sign.h"

#define DATA TPP_TEST_DATA "/sign/"

static char dir[512];

static void
setup(void)
{
  tpp_test_tmpdir(dir, sizeof(dir));
  ck_assert(dir[0]);
}

static void
teardown(void)
{
  char cmd[600];
  snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
  ck_assert_int_eq(system(cmd), 0);
}

/* A path in the temporary folder: one of 8 buffers in turn, so never in a loop. */
static const char *
tmp(const char *name)
{
  static char paths[8][600];
  static int next;
  char *p = paths[next++ % 8];
  snprintf(p, 600, "%s/%s", dir, name);
  return p;
}

static void
put(const char *path, const char *data, size_t len)
{
  FILE *f = fopen(path, "wb");
  ck_assert_ptr_nonnull(f);
  ck_assert_uint_eq(fwrite(data, 1, len, f), len);
  ck_assert_int_eq(fclose(f), 0);
}

static void
put_str(const char *path, const char *text)
{
  put(path, text, strlen(text));
}

/* A copy of a data file in the temporary folder; its text (malloc'd) in *text. */
static const char *
copy_data(const char *name, const char *as, char **text)
{
  char src[600];
  const char *dst = tmp(as);
  char *t;
  snprintf(src, sizeof(src), DATA "%s", name);
  t = tpp_test_slurp(src);
  ck_assert_msg(t != NULL, "cannot read %s", src);
  put_str(dst, t);
  if (text)
    *text = t;
  else
    free(t);
  return dst;
}

static int
diag_has(const struct tpp_diag *d, const char *what)
{
  char buf[1400];
  tpp_diag_format(d, buf, sizeof(buf));
  return strstr(buf, what) != NULL;
}

#define ck_diag(d, what)                                                        \
  do {                                                                          \
    char b_[1400];                                                              \
    tpp_diag_format(&(d), b_, sizeof(b_));                                      \
    ck_assert_msg(diag_has(&(d), what), "expected \"%s\" in \"%s\"", what, b_); \
  } while (0)

START_TEST(public_key_formats)
{
  struct tpp_pubkey k, k2;
  struct tpp_diag d = {0};
  char *text = tpp_test_slurp(DATA "minisign.pub"), id[17], b64[64], line2[64];
  ck_assert_ptr_nonnull(text);
  ck_assert_int_eq(tpp_pubkey_load(DATA "minisign.pub", &k, &d), 0);
  /* The id minisign printed in the comment is ours, read little-endian. */
  tpp_sign_key_id_hex(k.id, id);
  ck_assert_msg(strstr(text, id) != NULL, "id %s not in %s", id, text);
  /* The base64 line round-trips, and parses as minisign -P takes it. */
  tpp_pubkey_base64(&k, b64, sizeof(b64));
  ck_assert_int_eq(sscanf(strchr(text, '\n') + 1, "%63s", line2), 1);
  ck_assert_str_eq(b64, line2);
  ck_assert_int_eq(tpp_pubkey_open(b64, &k2, &d), 0);
  ck_assert_str_eq(k2.origin, "base64 key");
  ck_assert_mem_eq(k.pk, k2.pk, sizeof(k.pk));
  ck_assert_int_eq(tpp_pubkey_open(DATA "minisign.pub", &k2, &d), 0);
  ck_assert_str_eq(k2.origin, DATA "minisign.pub");
  free(text);
}
END_TEST

START_TEST(minisign_signatures_verify)
{
  struct tpp_pubkey k;
  struct tpp_signature s;
  struct tpp_sig_check who;
  struct tpp_diag d = {0};
  ck_assert_int_eq(tpp_pubkey_load(DATA "minisign.pub", &k, &d), 0);

  ck_assert_int_eq(tpp_signature_load(DATA "result.json.minisig", &s, &d), 0);
  ck_assert_int_eq(s.prehashed, 1);
  ck_assert_str_eq(s.trusted_comment, "timestamp:1767225600\tfile:result.json\thashed");
  ck_assert_int_eq(tpp_signature_verify(&s, &k, DATA "result.json", &d), 0);

  ck_assert_int_eq(tpp_signature_load(DATA "result.json.legacy.minisig", &s, &d), 0);
  ck_assert_int_eq(s.prehashed, 0);
  ck_assert_str_eq(s.trusted_comment, "legacy test signature");
  ck_assert_int_eq(tpp_signature_verify(&s, &k, DATA "result.json", &d), 0);

  ck_assert_int_eq(tpp_sign_check_trusted(DATA "result.json", &k, 1, &who, &d), 0);
  ck_assert_ptr_eq(who.key, &k);
  ck_assert_int_eq(who.prehashed, 1);
  ck_assert_str_eq(who.trusted_comment, "timestamp:1767225600\tfile:result.json\thashed");
}
END_TEST

/* Every single flipped bit of the signed file fails, prehashed and legacy. */
START_TEST(flipped_byte_anywhere_fails)
{
  const char *sigs[] = {"result.json.minisig", "result.json.legacy.minisig"};
  struct tpp_pubkey k;
  struct tpp_signature s;
  struct tpp_diag d = {0};
  char *text;
  const char *file = copy_data("result.json", "r.json", &text);
  size_t len = strlen(text);

  ck_assert_int_eq(tpp_pubkey_load(DATA "minisign.pub", &k, &d), 0);
  for (size_t v = 0; v < 2; v++) {
    char sig[600];
    snprintf(sig, sizeof(sig), DATA "%s", sigs[v]);
    ck_assert_int_eq(tpp_signature_load(sig, &s, &d), 0);
    for (size_t i = 0; i < len; i++) {
      text[i] ^= (char)(1u << (i % 8));
      put(file, text, len);
      ck_assert_int_eq(tpp_signature_verify(&s, &k, file, &d), TPP_ESIGN);
      ck_diag(d, "bad signature");
      text[i] ^= (char)(1u << (i % 8));
    }
    /* Appending or truncating fails too; the original passes. */
    put(file, text, len - 1);
    ck_assert_int_eq(tpp_signature_verify(&s, &k, file, &d), TPP_ESIGN);
    put(file, text, len);
    ck_assert_int_eq(tpp_signature_verify(&s, &k, file, &d), 0);
  }
  free(text);
}
END_TEST

/* Any change to the trusted comment, even one byte, fails its global signature. */
START_TEST(trusted_comment_tampered)
{
  struct tpp_pubkey k;
  struct tpp_sig_check who;
  struct tpp_diag d = {0};
  char *sig, *tc, *end;
  const char *file = copy_data("result.json", "r.json", NULL);
  const char *sig_path = copy_data("result.json.minisig", "r.json.minisig", &sig);

  ck_assert_int_eq(tpp_pubkey_load(DATA "minisign.pub", &k, &d), 0);
  tc = strstr(sig, "\ntrusted comment: ") + strlen("\ntrusted comment: ");
  end = strchr(tc, '\n');
  for (char *p = tc; p < end; p++) {
    char was = *p;
    *p = (char)(was == '9' ? '8' : was == '\t' ? ' ' : was + 1);
    put_str(sig_path, sig);
    ck_assert_msg(tpp_sign_check_trusted(file, &k, 1, &who, &d) == TPP_ESIGN,
                  "comment byte %d changed: \"%s\" passed", (int)(p - tc), who.trusted_comment);
    ck_diag(d, "trusted comment tampered");
    ck_diag(d, "r.json");
    *p = was;
  }
  put_str(sig_path, sig);
  ck_assert_int_eq(tpp_sign_check_trusted(file, &k, 1, &who, &d), 0);
  free(sig);
}
END_TEST

/* Corrupt signature files: EPARSE naming the signature file, the line and the field. */
START_TEST(corrupt_signature_files)
{
  enum { LITERAL, NO_TC_PREFIX, NO_LINE4, TRAILING, CONTROL_CHAR };
  static const struct {
    int kind;
    const char *text, *expect;
  } cases[] = {
      {LITERAL,      "",                                                                                                               ":1: untrusted comment"                                },
      {LITERAL,      "untrusted: x\nRUT0\n",                                                                                           ":1: untrusted comment"                                },
      {LITERAL,      "untrusted comment: x\n",                                                                                         ":2: signature: corrupt signature file: not a minisign"},
      {LITERAL,      "untrusted comment: x\nRUT01rpxWiZXo8an/JyRjKGDJgybm!!\ntrusted comment: a\nAA==\n",
       ":2: signature"                                                                                                                                                                        },
      {LITERAL,
       "untrusted comment: x\nWFgAAQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyAhIiMkJSYnKCkqKywtLi8wMTIzNDU2Nzg5Ojs8PT4/QEFCQ0RFRkc=\n",
       ":2: signature: corrupt signature file: unsupported"                                                                                                                                   },
      {NO_TC_PREFIX, NULL,                                                                                                             ":3: trusted comment"                                  },
      {NO_LINE4,     NULL,                                                                                                             ":4: global signature"                                 },
      {TRAILING,     NULL,                                                                                                             ":5: corrupt signature file: unexpected text"          },
      {CONTROL_CHAR, NULL,                                                                                                             ":3: trusted comment: corrupt signature file: longer"  },
  };
  struct tpp_pubkey k;
  struct tpp_sig_check who;
  struct tpp_diag d = {0};
  char *good, *text, *l3, *l4;
  const char *file = copy_data("result.json", "r.json", NULL), *sig_path = tmp("r.json.minisig");

  ck_assert_int_eq(tpp_pubkey_load(DATA "minisign.pub", &k, &d), 0);
  good = tpp_test_slurp(DATA "result.json.minisig");
  ck_assert_ptr_nonnull(good);
  l3 = strstr(good, "\ntrusted comment: ") + 1;
  l4 = strchr(l3, '\n') + 1;
  for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
    ck_assert_ptr_nonnull(text = calloc(1, strlen(good) + 64));
    switch (cases[i].kind) {
    case LITERAL:
      strcpy(text, cases[i].text);
      break;
    case NO_TC_PREFIX:
      sprintf(text, "%.*sTrusted comment: x\n%s", (int)(l3 - good), good, l4);
      break;
    case NO_LINE4:
      sprintf(text, "%.*s", (int)(l4 - good), good);
      break;
    case TRAILING:
      sprintf(text, "%sextra\n", good);
      break;
    default:
      sprintf(text, "%.*strusted comment: a\033b\n%s", (int)(l3 - good), good, l4);
    }
    put_str(sig_path, text);
    ck_assert_msg(tpp_sign_check_trusted(file, &k, 1, &who, &d) == TPP_EPARSE,
                  "case %zu: not rejected as corrupt", i);
    ck_diag(d, "r.json.minisig");
    ck_diag(d, cases[i].expect);
    ck_diag(d, "corrupt signature file");
    free(text);
  }
  free(good);
}
END_TEST

START_TEST(missing_and_unknown_keys)
{
  struct tpp_pubkey keys[2];
  struct tpp_sig_check who;
  struct tpp_diag d = {0};
  const char *file = copy_data("result.json", "r.json", NULL);

  ck_assert_int_eq(tpp_pubkey_load(DATA "minisign-enc.pub", &keys[0], &d), 0);
  ck_assert_int_eq(tpp_pubkey_load(DATA "minisign.pub", &keys[1], &d), 0);
  /* No signature file. */
  ck_assert_int_eq(tpp_sign_check_trusted(file, keys, 2, &who, &d), TPP_ESIGN);
  ck_diag(d, "missing signature file");
  ck_diag(d, "r.json.minisig");
  /* Signed by a key that is not trusted. */
  copy_data("result.json.minisig", "r.json.minisig", NULL);
  ck_assert_int_eq(tpp_sign_check_trusted(file, keys, 1, &who, &d), TPP_ESIGN);
  ck_diag(d, "unknown key id");
  /* Two trusted keys: the second one verifies. */
  ck_assert_int_eq(tpp_sign_check_trusted(file, keys, 2, &who, &d), 0);
  ck_assert_ptr_eq(who.key, &keys[1]);
  /* A key with the right id but another public key: bad signature, not unknown. */
  memcpy(keys[0].id, keys[1].id, sizeof(keys[0].id));
  ck_assert_int_eq(tpp_sign_check_trusted(file, keys, 1, &who, &d), TPP_ESIGN);
  ck_diag(d, "bad signature");
}
END_TEST

static void
sign_and_check(const struct tpp_seckey *sk, const struct tpp_pubkey *pk, int legacy)
{
  struct tpp_sig_check who;
  struct tpp_diag d = {0};
  char *text;
  size_t len;
  const char *file = copy_data("result.json", "s.json", NULL);
  ck_assert_int_eq(tpp_sign_file(sk, file, NULL, legacy, &text, &len, &d), 0);
  ck_assert_uint_eq(strlen(text), len);
  put(tmp("s.json.minisig"), text, len);
  ck_assert_int_eq(tpp_sign_check_trusted(file, pk, 1, &who, &d), 0);
  ck_assert_int_eq(who.prehashed, !legacy);
  ck_assert_ptr_nonnull(strstr(who.trusted_comment, "\tfile:s.json"));
  ck_assert_int_eq(strstr(who.trusted_comment, "\thashed") != NULL, !legacy);
  ck_assert_ptr_nonnull(strstr(text, legacy ? "\nRW" : "\nRU")); /* "Ed" / "ED" */
  free(text);
}

START_TEST(keys_without_password)
{
  struct tpp_seckey sk, sk2;
  struct tpp_pubkey pk, pk2;
  struct tpp_diag d = {0};
  struct stat st;
  char *before, *after;

  ck_assert_int_eq(tpp_seckey_generate(&sk, &pk, &d), 0);
  ck_assert_int_eq(tpp_seckey_write(tmp("k.key"), &sk, NULL, NULL, 0, &d), 0);
  ck_assert_int_eq(tpp_pubkey_write(tmp("k.pub"), &pk, 0, &d), 0);
  ck_assert_int_eq(stat(tmp("k.key"), &st), 0);
  ck_assert_int_eq(st.st_mode & 0777, 0600);
  ck_assert_int_eq(stat(tmp("k.pub"), &st), 0);
  ck_assert_int_eq(st.st_mode & 0777, 0644);
  /* Never replaced without asking; the old key stays. */
  before = tpp_test_slurp(tmp("k.key"));
  ck_assert_int_eq(tpp_seckey_generate(&sk2, &pk2, &d), 0);
  ck_assert_int_eq(tpp_seckey_write(tmp("k.key"), &sk2, NULL, NULL, 0, &d), TPP_EINVAL);
  ck_diag(d, "already exists");
  ck_assert_int_eq(tpp_pubkey_write(tmp("k.pub"), &pk2, 0, &d), TPP_EINVAL);
  after = tpp_test_slurp(tmp("k.key"));
  ck_assert_str_eq(before, after);
  free(after);
  ck_assert_int_eq(tpp_seckey_write(tmp("k.key"), &sk2, NULL, NULL, 1, &d), 0);
  after = tpp_test_slurp(tmp("k.key"));
  ck_assert_str_ne(before, after);
  free(before);
  free(after);

  ck_assert_int_eq(tpp_seckey_load(tmp("k.key"), &sk, &d), 0);
  ck_assert_int_eq(sk.encrypted, 0);
  ck_assert_int_eq(tpp_pubkey_load(tmp("k.pub"), &pk, &d), 0);
  ck_assert_mem_ne(pk.pk, pk2.pk, sizeof(pk.pk)); /* k.pub was not replaced */
  sign_and_check(&sk, &pk2, 0);
  sign_and_check(&sk, &pk2, 1);
  tpp_seckey_wipe(&sk);
  tpp_seckey_wipe(&sk2);
}
END_TEST

START_TEST(keys_with_password)
{
  /* scrypt at its least cost: the format is the same, the test fast. */
  const struct tpp_kdf_limits cheap = {crypto_pwhash_scryptsalsa208sha256_OPSLIMIT_MIN,
                                       crypto_pwhash_scryptsalsa208sha256_MEMLIMIT_MIN};
  struct tpp_seckey sk;
  struct tpp_pubkey pk;
  struct tpp_diag d = {0};
  char *text;
  size_t len;

  ck_assert_int_eq(tpp_seckey_generate(&sk, &pk, &d), 0);
  ck_assert_int_eq(tpp_seckey_write(tmp("e.key"), &sk, "pässword", &cheap, 0, &d), 0);
  tpp_seckey_wipe(&sk);
  ck_assert_int_eq(tpp_seckey_load(tmp("e.key"), &sk, &d), 0);
  ck_assert_int_eq(sk.encrypted, 1);
  ck_assert(sk.opslimit == cheap.opslimit && sk.memlimit == cheap.memlimit);
  ck_assert_int_eq(tpp_sign_file(&sk, tmp("e.key"), NULL, 0, &text, &len, &d), TPP_EINVAL);
  ck_assert_int_eq(tpp_seckey_unlock(&sk, "password", &d), TPP_ESIGN);
  ck_diag(d, "wrong password");
  ck_diag(d, "e.key");
  ck_assert_int_eq(sk.encrypted, 1);
  ck_assert_int_eq(tpp_seckey_unlock(&sk, "pässword", &d), 0);
  ck_assert_int_eq(sk.encrypted, 0);
  sign_and_check(&sk, &pk, 0);
  tpp_seckey_wipe(&sk);
}
END_TEST

/* minisign's own key files: -W (no checksum written) and encrypted (1 GiB scrypt). */
START_TEST(minisign_secret_keys)
{
  struct tpp_seckey sk;
  struct tpp_pubkey pk, derived;
  struct tpp_diag d = {0};

  ck_assert_int_eq(tpp_seckey_load(DATA "minisign.key", &sk, &d), 0);
  ck_assert_int_eq(sk.encrypted, 0);
  ck_assert_int_eq(tpp_pubkey_load(DATA "minisign.pub", &pk, &d), 0);
  sign_and_check(&sk, &pk, 0);

  ck_assert_int_eq(tpp_seckey_load(DATA "minisign-enc.key", &sk, &d), 0);
  ck_assert_int_eq(sk.encrypted, 1);
  ck_assert_int_eq(tpp_seckey_unlock(&sk, "correct horse", &d), 0);
  ck_assert_int_eq(tpp_pubkey_load(DATA "minisign-enc.pub", &pk, &d), 0);
  tpp_seckey_public(&sk, &derived);
  ck_assert_mem_eq(derived.id, pk.id, sizeof(pk.id));
  ck_assert_mem_eq(derived.pk, pk.pk, sizeof(pk.pk));
  sign_and_check(&sk, &pk, 1);
  tpp_seckey_wipe(&sk);
}
END_TEST

/* Bad key files: the file, the line, the field, what is wrong. */
START_TEST(bad_key_files)
{
  struct tpp_seckey sk;
  struct tpp_pubkey pk;
  struct tpp_diag d = {0};
  char *key = tpp_test_slurp(DATA "minisign.key"), *pub = tpp_test_slurp(DATA "minisign.pub");
  char *line2, buf[600];

  ck_assert_ptr_nonnull(key);
  ck_assert_ptr_nonnull(pub);
  ck_assert_int_eq(tpp_seckey_load(tmp("none.key"), &sk, &d), TPP_ENOENT);
  ck_diag(d, "none.key");
  ck_assert_int_eq(tpp_pubkey_open(tmp("none.pub"), &pk, &d), TPP_ENOENT);
  ck_diag(d, "none.pub");

  /* Truncated: the base64 line cut short, or gone. */
  line2 = strchr(key, '\n') + 1;
  snprintf(buf, sizeof(buf), "%.*s\n", (int)(line2 - key + 100), key);
  put_str(tmp("t.key"), buf);
  ck_assert_int_eq(tpp_seckey_load(tmp("t.key"), &sk, &d), TPP_EPARSE);
  ck_diag(d, "t.key:2: secret key: not a minisign secret key");
  snprintf(buf, sizeof(buf), "%.*s", (int)(line2 - key), key);
  put_str(tmp("t.key"), buf);
  ck_assert_int_eq(tpp_seckey_load(tmp("t.key"), &sk, &d), TPP_EPARSE);
  ck_diag(d, "truncated");
  put_str(tmp("t.pub"), "untrusted comment: minisign public key 0\n");
  ck_assert_int_eq(tpp_pubkey_load(tmp("t.pub"), &pk, &d), TPP_EPARSE);
  ck_diag(d, "t.pub:2: public key");
  put_str(tmp("t.pub"), strchr(pub, '\n') + 1); /* comment line gone */
  ck_assert_int_eq(tpp_pubkey_load(tmp("t.pub"), &pk, &d), TPP_EPARSE);
  ck_diag(d, "t.pub:1: untrusted comment");

  /* A damaged unencrypted key (no checksum in minisign's -W files): the public half no
   * longer matches the seed.  Base64 char 120 lies in the secret key's seed. */
  snprintf(buf, sizeof(buf), "%s", key);
  line2 = strchr(buf, '\n') + 1;
  line2[120] = line2[120] == 'A' ? 'B' : 'A';
  put_str(tmp("d.key"), buf);
  ck_assert_int_eq(tpp_seckey_load(tmp("d.key"), &sk, &d), TPP_EPARSE);
  ck_diag(d, "damaged");

  /* Another algorithm than Ed25519 ("Ed" in base64 begins "RW"). */
  snprintf(buf, sizeof(buf), "%s", pub);
  line2 = strchr(buf, '\n') + 1;
  line2[0] = 'Q';
  put_str(tmp("a.pub"), buf);
  ck_assert_int_eq(tpp_pubkey_load(tmp("a.pub"), &pk, &d), TPP_EPARSE);
  ck_diag(d, "unsupported signature algorithm");
  free(key);
  free(pub);
}
END_TEST

START_TEST(trusted_comment_rules)
{
  struct tpp_seckey sk;
  struct tpp_pubkey pk;
  struct tpp_sig_check who;
  struct tpp_diag d = {0};
  char *text, *longest;
  size_t len;
  const char *file = copy_data("result.json", "c.json", NULL);

  ck_assert_int_eq(tpp_seckey_generate(&sk, &pk, &d), 0);
  ck_assert_int_eq(tpp_sign_file(&sk, file, "two\nlines", 0, &text, &len, &d), TPP_EINVAL);
  ck_diag(d, "--trusted-comment");
  ck_assert_int_eq(tpp_sign_file(&sk, file, "bell\a", 0, &text, &len, &d), TPP_EINVAL);
  ck_assert_int_eq(tpp_sign_file(&sk, file, "bad \xff utf-8", 0, &text, &len, &d), TPP_EINVAL);
  ck_assert_ptr_nonnull(longest = malloc(TPP_SIGN_COMMENT_MAX + 2));
  memset(longest, 'x', TPP_SIGN_COMMENT_MAX + 1);
  longest[TPP_SIGN_COMMENT_MAX + 1] = '\0';
  ck_assert_int_eq(tpp_sign_file(&sk, file, longest, 0, &text, &len, &d), TPP_EINVAL);
  longest[TPP_SIGN_COMMENT_MAX] = '\0';
  ck_assert_int_eq(tpp_sign_file(&sk, file, longest, 0, &text, &len, &d), 0);
  put(tmp("c.json.minisig"), text, len);
  free(text);
  ck_assert_int_eq(tpp_sign_check_trusted(file, &pk, 1, &who, &d), 0);
  ck_assert_str_eq(who.trusted_comment, longest);
  ck_assert_int_eq(tpp_sign_file(&sk, file, "lab 7\tcase ü-12", 0, &text, &len, &d), 0);
  free(text);
  free(longest);
  tpp_seckey_wipe(&sk);
}
END_TEST

START_TEST(password_files)
{
  char pw[TPP_PASSWORD_MAX + 1], *big;
  struct tpp_diag d = {0};

  put_str(tmp("pw"), "s3cret word\r\nsecond line\n");
  ck_assert_int_eq(tpp_password_get(tmp("pw"), "k.key", "Password: ", 1, pw, sizeof(pw), &d), 0);
  ck_assert_str_eq(pw, "s3cret word");
  put_str(tmp("pw2"), "from env");
  setenv(TPP_PASSWORD_ENV, tmp("pw2"), 1);
  ck_assert_int_eq(tpp_password_get(NULL, "k.key", "Password: ", 0, pw, sizeof(pw), &d), 0);
  ck_assert_str_eq(pw, "from env");
  ck_assert_int_eq(tpp_password_get(tmp("pw"), "k.key", "Password: ", 0, pw, sizeof(pw), &d), 0);
  ck_assert_str_eq(pw, "s3cret word"); /* the option wins over the environment */
  setenv(TPP_PASSWORD_ENV, tmp("nope"), 1);
  ck_assert_int_eq(tpp_password_get(NULL, "k.key", "Password: ", 0, pw, sizeof(pw), &d),
                   TPP_ENOENT);
  ck_diag(d, "nope");
  ck_diag(d, TPP_PASSWORD_ENV);
  unsetenv(TPP_PASSWORD_ENV);
  ck_assert_ptr_nonnull(big = malloc(TPP_PASSWORD_MAX + 3));
  memset(big, 'p', TPP_PASSWORD_MAX + 1);
  strcpy(big + TPP_PASSWORD_MAX + 1, "\n");
  put_str(tmp("pw3"), big);
  ck_assert_int_eq(tpp_password_get(tmp("pw3"), "k.key", "Password: ", 0, pw, sizeof(pw), &d),
                   TPP_EINVAL);
  ck_diag(d, "longer than");
  free(big);
}
END_TEST

static Suite *
suite(void)
{
  Suite *s = suite_create("sign");
  TCase *tc = tcase_create("minisign");
  tcase_add_checked_fixture(tc, setup, teardown);
  tcase_set_timeout(tc, 120); /* minisign's encrypted key: scrypt with 1 GiB */
  tcase_add_test(tc, public_key_formats);
  tcase_add_test(tc, minisign_signatures_verify);
  tcase_add_test(tc, flipped_byte_anywhere_fails);
  tcase_add_test(tc, trusted_comment_tampered);
  tcase_add_test(tc, corrupt_signature_files);
  tcase_add_test(tc, missing_and_unknown_keys);
  tcase_add_test(tc, keys_without_password);
  tcase_add_test(tc, keys_with_password);
  tcase_add_test(tc, minisign_secret_keys);
  tcase_add_test(tc, bad_key_files);
  tcase_add_test(tc, trusted_comment_rules);
  tcase_add_test(tc, password_files);
  suite_add_tcase(s, tc);
  return s;
}

int
main(void)
{
  return tpp_test_run(suite());
}
