/* provenance.c - hashes, labels and what a run records about how it was made.  See
 * provenance.h. */
#include "tpp/provenance.h"

#include <errno.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

void
tpp_sha256_hex(const void *bytes, size_t len, char out[TPP_SHA256_HEX])
{
  unsigned char h[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(h, bytes, len);
  sodium_bin2hex(out, TPP_SHA256_HEX, h, sizeof(h));
}

int
tpp_sha256_file(const char *path, char out[TPP_SHA256_HEX], struct tpp_diag *diag)
{
  unsigned char buf[65536], h[crypto_hash_sha256_BYTES];
  crypto_hash_sha256_state st;
  FILE *f = fopen(path, "rb");
  size_t n;
  int err = 0;

  out[0] = '\0';
  if (!f)
    return tpp_diag_set(diag, errno == ENOENT ? TPP_ENOENT : TPP_EIO, path, 0, NULL,
                        "cannot open: %s", strerror(errno));
  crypto_hash_sha256_init(&st);
  while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
    crypto_hash_sha256_update(&st, buf, n);
  if (ferror(f))
    err = tpp_diag_set(diag, TPP_EIO, path, 0, NULL, "read error");
  fclose(f);
  if (err)
    return err;
  crypto_hash_sha256_final(&st, h);
  sodium_bin2hex(out, TPP_SHA256_HEX, h, sizeof(h));
  return 0;
}

/* Is s valid UTF-8 (no overlong forms, no surrogates, at most U+10FFFF)? */
static int
utf8_valid(const unsigned char *s)
{
  while (*s) {
    unsigned c = *s, n, cp;
    if (c < 0x80) {
      s++;
      continue;
    }
    if (c >= 0xc2 && c <= 0xdf)
      n = 1, cp = c & 0x1f;
    else if (c >= 0xe0 && c <= 0xef)
      n = 2, cp = c & 0x0f;
    else if (c >= 0xf0 && c <= 0xf4)
      n = 3, cp = c & 0x07;
    else
      return 0;
    for (unsigned i = 1; i <= n; i++) {
      if ((s[i] & 0xc0) != 0x80)
        return 0;
      cp = (cp << 6) | (s[i] & 0x3f);
    }
    if ((n == 2 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) ||
        (n == 3 && (cp < 0x10000 || cp > 0x10ffff)))
      return 0;
    s += n + 1;
  }
  return 1;
}

/* Why key/value is not a label, or NULL. */
static const char *
label_problem(const char *key, size_t key_len, const char *value)
{
  if (key_len == 0 || key_len > TPP_LABEL_KEY_MAX)
    return "a key is 1 to 64 characters";
  for (size_t i = 0; i < key_len; i++)
    if (!((key[i] >= 'A' && key[i] <= 'Z') || (key[i] >= 'a' && key[i] <= 'z') ||
          (key[i] >= '0' && key[i] <= '9') || key[i] == '_' || key[i] == '.' || key[i] == '-'))
      return "a key is made of A-Z a-z 0-9 _ . -";
  if (strlen(value) > TPP_LABEL_VALUE_MAX)
    return "a value is at most 256 bytes";
  if (!utf8_valid((const unsigned char *)value))
    return "a value must be UTF-8";
  return NULL;
}

int
tpp_label_add(json_t **labels, const char *arg, const char *opt, struct tpp_diag *diag)
{
  const char *eq = strchr(arg, '='), *why;
  char key[TPP_LABEL_KEY_MAX + 1];
  json_t *v;

  if (!eq)
    return tpp_diag_set(diag, TPP_EINVAL, NULL, 0, opt, "\"%s\": expected KEY=VALUE", arg);
  if ((why = label_problem(arg, (size_t)(eq - arg), eq + 1)))
    return tpp_diag_set(diag, TPP_EINVAL, NULL, 0, opt, "\"%s\": %s", arg, why);
  memcpy(key, arg, (size_t)(eq - arg));
  key[eq - arg] = '\0';
  if (!*labels && !(*labels = json_object()))
    return TPP_ENOMEM;
  if (json_object_get(*labels, key))
    return tpp_diag_set(diag, TPP_EINVAL, NULL, 0, opt, "label \"%s\" given twice", key);
  if (json_object_size(*labels) >= TPP_LABELS_MAX)
    return tpp_diag_set(diag, TPP_EINVAL, NULL, 0, opt, "at most %d labels", TPP_LABELS_MAX);
  if (!(v = json_string(eq + 1)) || json_object_set_new(*labels, key, v) != 0)
    return TPP_ENOMEM;
  return 0;
}

int
tpp_labels_check(json_t *labels, char *why, size_t len)
{
  const char *k, *problem;
  json_t *v;
  if (!json_is_object(labels)) {
    snprintf(why, len, "expected an object");
    return -1;
  }
  if (json_object_size(labels) > TPP_LABELS_MAX) {
    snprintf(why, len, "at most %d labels", TPP_LABELS_MAX);
    return -1;
  }
  json_object_foreach (labels, k, v) {
    if (!json_is_string(v)) {
      snprintf(why, len, "label \"%s\": expected a string", k);
      return -1;
    }
    if ((problem = label_problem(k, strlen(k), json_string_value(v)))) {
      snprintf(why, len, "label \"%s\": %s", k, problem);
      return -1;
    }
  }
  return 0;
}

void
tpp_utc_now(char *buf, size_t len)
{
  time_t t = time(NULL);
  struct tm tm;
  gmtime_r(&t, &tm);
  strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

void
tpp_provenance_collect(struct tpp_provenance *p, int argc, const char *const *argv)
{
  struct tpp_diag diag = {0};
  ssize_t n;

  if (sodium_init() < 0)
    snprintf(p->binary_error, sizeof(p->binary_error), "libsodium could not be initialised");
  n = readlink("/proc/self/exe", p->binary_path, sizeof(p->binary_path) - 1);
  p->binary_path[n > 0 ? n : 0] = '\0';
  if (n <= 0)
    snprintf(p->binary_error, sizeof(p->binary_error), "/proc/self/exe: %s", strerror(errno));
  else if (!p->binary_error[0] && tpp_sha256_file("/proc/self/exe", p->binary_sha256, &diag))
    tpp_diag_format(&diag, p->binary_error, sizeof(p->binary_error));
  if ((p->command_line = json_array()))
    for (int i = 0; i < argc; i++) {
      json_t *a = json_string(argv[i]); /* NULL when not UTF-8 */
      json_array_append_new(p->command_line, a ? a : json_string("<not UTF-8>"));
    }
  if (gethostname(p->hostname, sizeof(p->hostname)) != 0)
    p->hostname[0] = '\0';
  p->hostname[sizeof(p->hostname) - 1] = '\0';
}

void
tpp_provenance_free(struct tpp_provenance *p)
{
  json_decref(p->command_line);
  p->command_line = NULL;
}
