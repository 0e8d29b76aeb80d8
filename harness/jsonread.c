/* jsonread.c - reading user-supplied JSON with errors that name the file, line and field.
 *
 * jansson does the parsing.  Positions of values are found again, when an error needs one,
 * by a small tokenizer that walks the original text along the value's path ("a.b[2].c").
 * The tokenizer knows strings (with escapes), numbers, literals, objects, arrays and
 * whitespace; it validates only as much as it must to find its way.  Columns count
 * characters, not bytes (UTF-8 continuation bytes are skipped), as jansson's do.
 */
#include "tpp/jsonread.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define JSONREAD_MAX_BYTES (16L * 1024 * 1024)
/* Deeper nesting than this is refused instead of recursing further (jansson's limit). */
#define JSONREAD_MAX_DEPTH 2048

/* A position in the text: the byte, its line and where that line starts. */
struct scan {
  const char *p;
  int line;
  const char *line_start;
};

static void
skip_ws(struct scan *s)
{
  for (;;) {
    char c = *s->p;
    if (c == '\n') {
      s->line++;
      s->line_start = s->p + 1;
    } else if (c != ' ' && c != '\t' && c != '\r') {
      return;
    }
    s->p++;
  }
}

static int
hex_digit(char c)
{
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

/* Four hex digits at p (after "\u"), or -1. */
static long
read_u4(const char *p)
{
  long v = 0;
  for (int i = 0; i < 4; i++) {
    int d = hex_digit(p[i]);
    if (d < 0)
      return -1;
    v = v * 16 + d;
  }
  return v;
}

static size_t
utf8_encode(long cp, unsigned char *out)
{
  if (cp < 0x80) {
    out[0] = (unsigned char)cp;
    return 1;
  }
  if (cp < 0x800) {
    out[0] = (unsigned char)(0xC0 | (cp >> 6));
    out[1] = (unsigned char)(0x80 | (cp & 0x3F));
    return 2;
  }
  if (cp < 0x10000) {
    out[0] = (unsigned char)(0xE0 | (cp >> 12));
    out[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
    out[2] = (unsigned char)(0x80 | (cp & 0x3F));
    return 3;
  }
  out[0] = (unsigned char)(0xF0 | (cp >> 18));
  out[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
  out[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
  out[3] = (unsigned char)(0x80 | (cp & 0x3F));
  return 4;
}

/* Scan the string at s->p (which is at its opening quote).  When `want` is given, *match
 * says whether the decoded string equals want[0..wantlen).  Strings never span lines
 * (a raw newline is not allowed inside one), so the line stays the same. */
static int
scan_string(struct scan *s, const char *want, size_t wantlen, int *match)
{
  const char *p = s->p + 1;
  size_t pos = 0;
  int same = 1;

  for (;;) {
    unsigned char bytes[4];
    size_t nbytes = 1;
    unsigned char c = (unsigned char)*p;

    if (c == '\0' || c < 0x20)
      return TPP_EPARSE;
    if (c == '"') {
      s->p = p + 1;
      if (match)
        *match = same && want && pos == wantlen;
      return 0;
    }
    if (c == '\\') {
      /* The escapes JSON defines, and what they decode to (keys compare decoded). */
      static const char escapes[] = "\"\\/bfnrt";
      static const char decoded[] = "\"\\/\b\f\n\r\t";
      char e = p[1];
      const char *simple = e != '\0' ? strchr(escapes, e) : NULL;
      if (simple) {
        bytes[0] = (unsigned char)decoded[simple - escapes];
        p += 2;
      } else if (e == 'u') {
        long cp = read_u4(p + 2);
        if (cp < 0)
          return TPP_EPARSE;
        p += 6;
        if (cp >= 0xD800 && cp <= 0xDBFF && p[0] == '\\' && p[1] == 'u') {
          long lo = read_u4(p + 2);
          if (lo >= 0xDC00 && lo <= 0xDFFF) {
            cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
            p += 6;
          }
        }
        nbytes = utf8_encode(cp, bytes);
      } else {
        return TPP_EPARSE;
      }
    } else {
      bytes[0] = c;
      p++;
    }
    for (size_t i = 0; i < nbytes && want; i++) {
      if (same && pos < wantlen && (unsigned char)want[pos] == bytes[i])
        pos++;
      else
        same = 0;
    }
  }
}

static int
scan_digits(struct scan *s)
{
  const char *start = s->p;
  while (*s->p >= '0' && *s->p <= '9')
    s->p++;
  return s->p > start ? 0 : TPP_EPARSE;
}

static int
scan_number(struct scan *s)
{
  if (*s->p == '-')
    s->p++;
  if (*s->p == '0')
    s->p++;
  else if (scan_digits(s) != 0)
    return TPP_EPARSE;
  if (*s->p == '.') {
    s->p++;
    if (scan_digits(s) != 0)
      return TPP_EPARSE;
  }
  if (*s->p == 'e' || *s->p == 'E') {
    s->p++;
    if (*s->p == '+' || *s->p == '-')
      s->p++;
    if (scan_digits(s) != 0)
      return TPP_EPARSE;
  }
  return 0;
}

static int
scan_literal(struct scan *s, const char *word)
{
  size_t n = strlen(word);
  if (strncmp(s->p, word, n) != 0)
    return TPP_EPARSE;
  s->p += n;
  return 0;
}

/* Skip the value at s->p (whitespace before it already skipped). */
static int
skip_value(struct scan *s, int depth)
{
  int err;
  char close;

  switch (*s->p) {
  case '"':
    return scan_string(s, NULL, 0, NULL);
  case 't':
    return scan_literal(s, "true");
  case 'f':
    return scan_literal(s, "false");
  case 'n':
    return scan_literal(s, "null");
  case '{':
  case '[':
    break;
  default:
    if (*s->p == '-' || (*s->p >= '0' && *s->p <= '9'))
      return scan_number(s);
    return TPP_EPARSE;
  }

  if (depth >= JSONREAD_MAX_DEPTH)
    return TPP_EPARSE;
  close = *s->p == '{' ? '}' : ']';
  s->p++;
  skip_ws(s);
  if (*s->p == close) {
    s->p++;
    return 0;
  }
  for (;;) {
    if (close == '}') {
      if (*s->p != '"')
        return TPP_EPARSE;
      if ((err = scan_string(s, NULL, 0, NULL)) != 0)
        return err;
      skip_ws(s);
      if (*s->p != ':')
        return TPP_EPARSE;
      s->p++;
      skip_ws(s);
    }
    if ((err = skip_value(s, depth + 1)) != 0)
      return err;
    skip_ws(s);
    if (*s->p == close) {
      s->p++;
      return 0;
    }
    if (*s->p != ',')
      return TPP_EPARSE;
    s->p++;
    skip_ws(s);
  }
}

/* Step into the object at s->p and stop at the value of member `key`. */
static int
enter_member(struct scan *s, const char *key, size_t keylen)
{
  int err;

  if (*s->p != '{')
    return *s->p == '\0' ? TPP_EPARSE : TPP_ENOENT;
  s->p++;
  skip_ws(s);
  if (*s->p == '}')
    return TPP_ENOENT;
  for (;;) {
    int match = 0;
    if (*s->p != '"')
      return TPP_EPARSE;
    if ((err = scan_string(s, key, keylen, &match)) != 0)
      return err;
    skip_ws(s);
    if (*s->p != ':')
      return TPP_EPARSE;
    s->p++;
    skip_ws(s);
    if (match)
      return 0;
    if ((err = skip_value(s, 1)) != 0)
      return err;
    skip_ws(s);
    if (*s->p == '}')
      return TPP_ENOENT;
    if (*s->p != ',')
      return TPP_EPARSE;
    s->p++;
    skip_ws(s);
  }
}

/* Step into the array at s->p and stop at element `index`. */
static int
enter_element(struct scan *s, unsigned long index)
{
  int err;

  if (*s->p != '[')
    return *s->p == '\0' ? TPP_EPARSE : TPP_ENOENT;
  s->p++;
  skip_ws(s);
  if (*s->p == ']')
    return TPP_ENOENT;
  for (unsigned long i = 0; i < index; i++) {
    if ((err = skip_value(s, 1)) != 0)
      return err;
    skip_ws(s);
    if (*s->p == ']')
      return TPP_ENOENT;
    if (*s->p != ',')
      return TPP_EPARSE;
    s->p++;
    skip_ws(s);
  }
  return 0;
}

int
tpp_jsonloc_find(const char *text, const char *path, int *line, int *column)
{
  struct scan s;
  const char *q = path ? path : "";
  int first = 1;
  int err;

  if (!text)
    return TPP_EINVAL;
  s.p = text;
  s.line = 1;
  s.line_start = text;
  skip_ws(&s);

  while (*q) {
    if (*q == '[') {
      char *end;
      unsigned long index;
      if (q[1] < '0' || q[1] > '9')
        return TPP_EINVAL;
      errno = 0;
      index = strtoul(q + 1, &end, 10);
      if (errno != 0 || *end != ']')
        return TPP_EINVAL;
      q = end + 1;
      if ((err = enter_element(&s, index)) != 0)
        return err;
    } else {
      size_t keylen;
      if (!first) {
        if (*q != '.')
          return TPP_EINVAL;
        q++;
      }
      keylen = strcspn(q, ".[");
      if (keylen == 0)
        return TPP_EINVAL;
      if ((err = enter_member(&s, q, keylen)) != 0)
        return err;
      q += keylen;
    }
    first = 0;
  }

  /* s.p is at the value; make sure it starts like one. */
  if (*s.p == '\0')
    return TPP_EPARSE;
  if (line)
    *line = s.line;
  if (column) {
    int col = 1;
    for (const char *p = s.line_start; p < s.p; p++)
      if (((unsigned char)*p & 0xC0) != 0x80)
        col++;
    *column = col;
  }
  return 0;
}

int
tpp_jload_text(const char *name, const char *text, json_t **root, struct tpp_diag *diag)
{
  json_error_t jerr;
  json_t *j;

  if (!text || !root)
    return TPP_EINVAL;
  /* Duplicate keys are an error: jansson would otherwise keep the last silently. */
  j = json_loads(text, JSON_REJECT_DUPLICATES, &jerr);
  if (!j) {
    tpp_diag_set(diag, TPP_EPARSE, name, jerr.line, NULL, "%s", jerr.text);
    if (diag)
      diag->column = jerr.column > 0 ? jerr.column : 0;
    return TPP_EPARSE;
  }
  *root = j;
  return 0;
}

int
tpp_jread_file(const char *file, char **text, size_t *len, struct tpp_diag *diag)
{
  FILE *f;
  char *buf = NULL;
  size_t n, cap = (size_t)JSONREAD_MAX_BYTES + 1;
  struct stat st;
  int err;

  if (!file || !text)
    return TPP_EINVAL;
  *text = NULL;
  f = fopen(file, "rb");
  if (!f) {
    int e = errno;
    return tpp_diag_set(diag, (e == ENOENT || e == ENOTDIR) ? TPP_ENOENT : TPP_EIO, file, 0, NULL,
                        "cannot open: %s", strerror(e));
  }
  /* One byte more than the limit, to tell "exactly 16 MiB" from "larger".  A regular file
   * gets a buffer of its size and one byte more (which shows that it grew while read); a
   * pipe or a terminal, the limit's. */
  if (fstat(fileno(f), &st) == 0 && S_ISREG(st.st_mode) && st.st_size < JSONREAD_MAX_BYTES)
    cap = (size_t)st.st_size + 1;
  buf = malloc(cap + 1);
  if (!buf) {
    err = tpp_diag_set(diag, TPP_ENOMEM, file, 0, NULL, "out of memory reading the file");
    goto fail_read;
  }
  n = fread(buf, 1, cap, f);
  if (n == cap && cap <= (size_t)JSONREAD_MAX_BYTES && !ferror(f)) {
    /* It grew since fstat: read the rest up to the limit. */
    char *more = realloc(buf, (size_t)JSONREAD_MAX_BYTES + 2);
    if (!more) {
      err = tpp_diag_set(diag, TPP_ENOMEM, file, 0, NULL, "out of memory reading the file");
      goto fail_read;
    }
    buf = more;
    n += fread(buf + n, 1, (size_t)JSONREAD_MAX_BYTES + 1 - n, f);
  }
  if (ferror(f)) {
    err = tpp_diag_set(diag, TPP_EIO, file, 0, NULL, "cannot read: %s", strerror(errno));
    goto fail_read;
  }
  if (n > (size_t)JSONREAD_MAX_BYTES) {
    /* Bad input, not a failure to read: every JSON file tppbench reads is bounded
     * (docs/result-schema.md, resource limits). */
    err = tpp_diag_set(diag, TPP_EPARSE, file, 0, NULL,
                       "the file is larger than %ld bytes (16 MiB), the limit of any JSON file "
                       "tppbench reads",
                       JSONREAD_MAX_BYTES);
    goto fail_read;
  }
  buf[n] = '\0';
  if (n == 0) {
    /* Said plainly: `tppbench fleet --json DIR > DIR/report.json` makes one. */
    err = tpp_diag_set(diag, TPP_EPARSE, file, 0, NULL, "the file is empty");
    goto fail_read;
  }
  if (strlen(buf) != n) {
    err = tpp_diag_set(diag, TPP_EPARSE, file, 0, NULL, "file contains a NUL byte");
    goto fail_read;
  }
  fclose(f);
  {
    /* Give back the unused part of the buffer. */
    char *shrunk = realloc(buf, n + 1);
    *text = shrunk ? shrunk : buf;
  }
  if (len)
    *len = n;
  return 0;

fail_read:
  free(buf);
  fclose(f);
  return err;
}

int
tpp_jload_file(const char *file, json_t **root, char **text, struct tpp_diag *diag)
{
  int err;
  if (!file || !root || !text)
    return TPP_EINVAL;
  if ((err = tpp_jread_file(file, text, NULL, diag)) != 0)
    return err;
  if ((err = tpp_jload_text(file, *text, root, diag)) != 0) {
    free(*text);
    *text = NULL;
  }
  return err;
}

/* Locate `path`; when it does not exist (a missing member), the nearest enclosing value
 * that does. */
static void
locate(const char *text, const char *path, int *line, int *column)
{
  char buf[512];

  *line = 0;
  *column = 0;
  if (!text)
    return;
  snprintf(buf, sizeof(buf), "%s", path ? path : "");
  for (;;) {
    char *dot, *bracket, *cut;
    int err = tpp_jsonloc_find(text, buf, line, column);
    if (err == 0)
      return;
    *line = 0;
    *column = 0;
    if (err != TPP_ENOENT || buf[0] == '\0')
      return;
    dot = strrchr(buf, '.');
    bracket = strrchr(buf, '[');
    cut = dot > bracket ? dot : bracket;
    if (cut)
      *cut = '\0';
    else
      buf[0] = '\0';
  }
}

int
tpp_jfail(struct tpp_jctx *c, int err, const char *path, const char *fmt, ...)
{
  char text[sizeof(((struct tpp_diag *)0)->text)];
  va_list ap;
  int line, column;

  if (!c || !c->diag)
    return err;
  va_start(ap, fmt);
  vsnprintf(text, sizeof(text), fmt, ap);
  va_end(ap);
  locate(c->text, path, &line, &column);
  tpp_diag_set(c->diag, err, c->file, line, path, "%s", text);
  c->diag->column = column;
  return err;
}

static const char *
type_name(const json_t *v)
{
  switch (json_typeof(v)) {
  case JSON_OBJECT:
    return "an object";
  case JSON_ARRAY:
    return "an array";
  case JSON_STRING:
    return "a string";
  case JSON_INTEGER:
  case JSON_REAL:
    return "a number";
  case JSON_TRUE:
  case JSON_FALSE:
    return "a boolean";
  case JSON_NULL:
  default:
    return "null";
  }
}

/* A member's path, for a message: built only when one is written (a reader asks for
 * thousands of members per file). */
#define MPATH tpp_jpath_key(mpath, sizeof(mpath), path, key)

/* The member `key` of obj: 0 with *out set, 1 when absent and optional, TPP_EPARSE when
 * absent and required (mpath: a buffer for the member's path in the message).  *out is
 * NULL unless 0 is returned: the compiler cannot see that tpp_jfail returns non-zero, so
 * callers would otherwise read an unset pointer on a path it believes possible
 * (-Wmaybe-uninitialized). */
static int
member(struct tpp_jctx *c, json_t *obj, const char *path, const char *key, int required,
       json_t **out, char *mpath, size_t mlen)
{
  json_t *v = json_object_get(obj, key);

  *out = NULL;
  if (!v || json_is_null(v)) {
    if (required)
      return tpp_jfail(c, TPP_EPARSE, tpp_jpath_key(mpath, mlen, path, key),
                       "missing required key \"%s\"", key);
    return 1;
  }
  *out = v;
  return 0;
}

int
tpp_jget_number(struct tpp_jctx *c, json_t *obj, const char *path, const char *key, int required,
                double *out)
{
  char mpath[256];
  json_t *v;
  int rc = member(c, obj, path, key, required, &v, mpath, sizeof(mpath));

  if (rc != 0)
    return rc;
  if (!json_is_number(v))
    return tpp_jfail(c, TPP_EPARSE, MPATH, "expected a number, found %s", type_name(v));
  *out = json_number_value(v);
  return 0;
}

int
tpp_jget_int(struct tpp_jctx *c, json_t *obj, const char *path, const char *key, int required,
             long long *out)
{
  char mpath[256];
  json_t *v;
  double d;
  int rc = member(c, obj, path, key, required, &v, mpath, sizeof(mpath));

  if (rc != 0)
    return rc;
  if (json_is_integer(v)) {
    *out = (long long)json_integer_value(v);
    return 0;
  }
  if (!json_is_real(v))
    return tpp_jfail(c, TPP_EPARSE, MPATH, "expected an integer, found %s", type_name(v));
  d = json_real_value(v);
  /* 2^63 is exact in a double; anything at or above it does not fit a long long. */
  if (d != floor(d) || d < -9223372036854775808.0 || d >= 9223372036854775808.0)
    return tpp_jfail(c, TPP_EPARSE, MPATH, "expected an integer, found %g", d);
  *out = (long long)d;
  return 0;
}

int
tpp_jget_bool(struct tpp_jctx *c, json_t *obj, const char *path, const char *key, int required,
              int *out)
{
  char mpath[256];
  json_t *v;
  int rc = member(c, obj, path, key, required, &v, mpath, sizeof(mpath));

  if (rc != 0)
    return rc;
  if (!json_is_boolean(v))
    return tpp_jfail(c, TPP_EPARSE, MPATH, "expected true or false, found %s", type_name(v));
  *out = json_is_true(v);
  return 0;
}

int
tpp_jget_string(struct tpp_jctx *c, json_t *obj, const char *path, const char *key, int required,
                char *buf, size_t len)
{
  char mpath[256];
  json_t *v;
  const char *s;
  size_t n;
  int rc = member(c, obj, path, key, required, &v, mpath, sizeof(mpath));

  if (rc != 0)
    return rc;
  if (!json_is_string(v))
    return tpp_jfail(c, TPP_EPARSE, MPATH, "expected a string, found %s", type_name(v));
  s = json_string_value(v);
  n = json_string_length(v);
  if (strlen(s) != n)
    return tpp_jfail(c, TPP_EPARSE, MPATH, "the string contains a NUL character");
  if (len == 0 || n >= len)
    return tpp_jfail(c, TPP_EPARSE, MPATH, "string too long (%zu bytes; at most %zu)", n,
                     len ? len - 1 : 0);
  memcpy(buf, s, n + 1);
  return 0;
}

int
tpp_jget_object(struct tpp_jctx *c, json_t *obj, const char *path, const char *key, int required,
                json_t **out)
{
  char mpath[256];
  json_t *v;
  int rc = member(c, obj, path, key, required, &v, mpath, sizeof(mpath));

  if (rc != 0)
    return rc;
  if (!json_is_object(v))
    return tpp_jfail(c, TPP_EPARSE, MPATH, "expected an object, found %s", type_name(v));
  *out = v;
  return 0;
}

int
tpp_jget_array(struct tpp_jctx *c, json_t *obj, const char *path, const char *key, int required,
               json_t **out)
{
  char mpath[256];
  json_t *v;
  int rc = member(c, obj, path, key, required, &v, mpath, sizeof(mpath));

  if (rc != 0)
    return rc;
  if (!json_is_array(v))
    return tpp_jfail(c, TPP_EPARSE, MPATH, "expected an array, found %s", type_name(v));
  *out = v;
  return 0;
}

int
tpp_jcheck_keys(struct tpp_jctx *c, json_t *obj, const char *path, const char *const *allowed)
{
  const char *key;
  json_t *v;

  /* jansson keeps insertion order, so "first" is the first in the document. */
  json_object_foreach (obj, key, v) {
    int known = 0;
    for (const char *const *a = allowed; a && *a; a++) {
      if (strcmp(*a, key) == 0) {
        known = 1;
        break;
      }
    }
    if (!known) {
      char mpath[256];
      tpp_jpath_key(mpath, sizeof(mpath), path, key);
      return tpp_jfail(c, TPP_EPARSE, mpath, "unknown key \"%s\"", key);
    }
  }
  return 0;
}

const char *
tpp_jpath_key(char *buf, size_t len, const char *path, const char *key)
{
  if (!path || !path[0])
    snprintf(buf, len, "%s", key);
  else
    snprintf(buf, len, "%s.%s", path, key);
  return buf;
}

const char *
tpp_jpath_index(char *buf, size_t len, const char *path, size_t index)
{
  snprintf(buf, len, "%s[%zu]", path ? path : "", index);
  return buf;
}

int
tpp_jparse_text(const char *name, const char *text, tpp_jparse_fn fn, void *arg,
                struct tpp_diag *diag)
{
  struct tpp_jctx c;
  json_t *root = NULL;
  int err;

  if ((err = tpp_jload_text(name, text, &root, diag)) != 0)
    return err;
  c.file = name;
  c.text = text;
  c.diag = diag;
  err = fn(&c, root, arg);
  json_decref(root);
  return err;
}

int
tpp_jparse_file(const char *file, tpp_jparse_fn fn, void *arg, struct tpp_diag *diag)
{
  json_t *root = NULL;
  char *text = NULL;
  int err;

  struct tpp_jctx c;

  /* Parsed once: the text is kept so that errors can be located in it. */
  if ((err = tpp_jload_file(file, &root, &text, diag)) != 0)
    return err;
  c.file = file;
  c.text = text;
  c.diag = diag;
  err = fn(&c, root, arg);
  json_decref(root);
  free(text);
  return err;
}
