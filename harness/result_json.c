/* result_json.c - the result document's JSON, written and read by the one table of its
 * objects and keys (result_schema.c: which keys a file of each version may hold, their types,
 * what is required, what is derived and re-checked), and that table as the schema section
 * of docs/result-schema.md (tpp_result_schema_markdown).  See result.h. */
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tpp/board.h"
#include "tpp/metrics.h"
#include "tpp/profile.h"
#include "tpp/result.h"

#include "result_schema.h"

/* --- the engine ------------------------------------------------------------------------- */

static int read_object(struct rd *r, const struct object *ob, json_t *o, const char *path,
                       void *base);
static json_t *write_object(const struct object *ob, const void *base);

static void *
at(void *base, size_t off)
{
  return (char *)base + off;
}

static const void *
cat(const void *base, size_t off)
{
  return (const char *)base + off;
}

static int
in_version(const struct field *f, long long v)
{
  return f->until == 0 || v <= f->until;
}

static int
read_array(struct rd *r, const struct field *f, json_t *o, const char *path, void *base)
{
  json_t *arr, *e;
  char p[300], q[320];
  size_t i, *count = at(base, f->count_off);
  int rc;
  if ((rc = tpp_jget_array(r->c, o, path, f->key, f->flags & REQUIRED, &arr)) != 0)
    return rc < 0 ? rc : 0;
  tpp_jpath_key(p, sizeof(p), path, f->key);
  if (json_array_size(arr) > f->cap)
    return tpp_jfail(r->c, TPP_EPARSE, p, "more than %zu entries", f->cap);
  if ((f->flags & ALLOCATED) && json_array_size(arr) > 0) {
    /* Memory in proportion to what the file holds (docs/result-schema.md, limits). */
    void **slot = at(base, f->off);
    if (!(*slot = calloc(json_array_size(arr), f->sub->size)))
      return TPP_ENOMEM;
  }
  json_array_foreach (arr, i, e) {
    void *elem = (f->flags & ALLOCATED) ? at(*(void **)at(base, f->off), i * f->sub->size)
                                        : at(base, f->off + i * f->sub->size);
    tpp_jpath_index(q, sizeof(q), p, i);
    if (!json_is_object(e))
      return tpp_jfail(r->c, TPP_EPARSE, q, "expected an object");
    f->sub->init(elem);
    (*count)++;
    if ((rc = read_object(r, f->sub, e, q, elem)))
      return rc;
  }
  return 0;
}

/* A number within the bounds every result number keeps (result.h): finite, at most
 * TPP_RESULT_MAX_FIGURE (TPP_RESULT_MAX_COUNT for counts), not negative where NONNEG. */
static int
check_number(struct rd *r, const struct field *f, const char *path, double v)
{
  double max = (f->flags & COUNT) ? TPP_RESULT_MAX_COUNT : TPP_RESULT_MAX_FIGURE;
  char q[300];
  if ((f->flags & NONNEG) && v < 0)
    return tpp_jfail(r->c, TPP_EPARSE, tpp_jpath_key(q, sizeof(q), path, f->key),
                     "must not be negative, found %.17g", v);
  if (!(fabs(v) <= max))
    return tpp_jfail(r->c, TPP_EPARSE, tpp_jpath_key(q, sizeof(q), path, f->key),
                     "%.17g is beyond %g, the largest figure a result may hold "
                     "(docs/result-schema.md, resource limits)",
                     v, max);
  return 0;
}

static int
read_field(struct rd *r, const struct field *f, json_t *o, const char *path, void *base)
{
  int req = (f->flags & REQUIRED) != 0, rc = 0;
  void *p = at(base, f->off);
  switch (f->type) {
  case FT_STRING:
    rc = tpp_jget_string(r->c, o, path, f->key, req, p, f->size);
    break;
  case FT_TEXT:
    if ((rc = tpp_jget_string(r->c, o, path, f->key, req, p, f->size)) == 1)
      *(char *)p = '\0';
    break;
  case FT_NUMBER:
    if ((rc = tpp_jget_number(r->c, o, path, f->key, req, p)) == 1)
      *(double *)p = NAN;
    else if (rc == 0)
      rc = check_number(r, f, path, *(double *)p);
    break;
  case FT_INT:
  case FT_UINT64: {
    long long v;
    if ((rc = tpp_jget_int(r->c, o, path, f->key, req, &v)) == 0) {
      char q[300];
      /* An int holds what the writer writes (counts, indices); a uint64 is never negative. */
      if ((f->type == FT_UINT64 || (f->flags & NONNEG)) && v < 0)
        return tpp_jfail(r->c, TPP_EPARSE, tpp_jpath_key(q, sizeof(q), path, f->key),
                         "must not be negative, found %lld", v);
      if (f->type == FT_INT && (v < INT_MIN || v > INT_MAX))
        return tpp_jfail(r->c, TPP_EPARSE, tpp_jpath_key(q, sizeof(q), path, f->key),
                         "%lld does not fit an int", v);
      if (f->type == FT_INT)
        *(int *)p = (int)v;
      else
        *(uint64_t *)p = (uint64_t)v;
    }
    break;
  }
  case FT_BOOL:
  case FT_FLAG:
    rc = tpp_jget_bool(r->c, o, path, f->key, req, p);
    break;
  case FT_OPT_BOOL:
    if ((rc = tpp_jget_bool(r->c, o, path, f->key, req, p)) == 1)
      *(int *)p = -1;
    break;
  case FT_OPT_INT: {
    long long v;
    char q[300];
    if ((rc = tpp_jget_int(r->c, o, path, f->key, req, &v)) == 1)
      *(int *)p = -1;
    else if (rc == 0 && (v < 0 || v > INT_MAX))
      return tpp_jfail(r->c, TPP_EPARSE, tpp_jpath_key(q, sizeof(q), path, f->key),
                       "expected an integer from 0 to %d, found %lld", INT_MAX, v);
    else if (rc == 0)
      *(int *)p = (int)v;
    break;
  }
  case FT_HEX16: {
    char buf[16], q[300];
    unsigned v = 0;
    size_t k;
    *(unsigned *)p = 0;
    if ((rc = tpp_jget_string(r->c, o, path, f->key, 0, buf, sizeof(buf))) != 0)
      break;
    /* Exactly what the writer writes: strtoul would also take a sign, spaces and "0x". */
    for (k = 0; k < 4 && buf[k]; k++) {
      char ch = buf[k];
      if (!((ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f')))
        break;
      v = v * 16 + (unsigned)(ch <= '9' ? ch - '0' : ch - 'a' + 10);
    }
    if (k != 4 || buf[k] || v == 0)
      return tpp_jfail(r->c, TPP_EPARSE, tpp_jpath_key(q, sizeof(q), path, f->key),
                       "expected 4 lower-case hex digits, not 0000 (e.g. \"10de\"), got \"%s\"",
                       buf);
    *(unsigned *)p = v;
    break;
  }
  case FT_OBJECT: {
    json_t *sub;
    char q[300];
    if ((rc = tpp_jget_object(r->c, o, path, f->key, req, &sub)) != 0)
      break;
    if (f->present_off != NO_PRESENT)
      *(int *)at(base, (size_t)f->present_off) = 1;
    if (f->sub->init)
      f->sub->init(p);
    rc = read_object(r, f->sub, sub, tpp_jpath_key(q, sizeof(q), path, f->key), p);
    break;
  }
  case FT_ARRAY:
    rc = read_array(r, f, o, path, base);
    break;
  case FT_CUSTOM:
    rc = f->read ? f->read(r, o, path, f->key, base) : 0;
    break;
  }
  return rc < 0 ? rc : 0;
}

static int
read_object(struct rd *r, const struct object *ob, json_t *o, const char *path, void *base)
{
  const char *keys[40];
  size_t nk = 0;
  int rc;
  for (size_t i = 0; i < ob->n && nk + 1 < N_OF(keys); i++)
    if (in_version(&ob->fields[i], r->version))
      keys[nk++] = ob->fields[i].key;
  keys[nk] = NULL;
  if ((rc = tpp_jcheck_keys(r->c, o, path, keys)))
    return rc;
  for (size_t i = 0; i < ob->n; i++)
    if (in_version(&ob->fields[i], r->version) &&
        (rc = read_field(r, &ob->fields[i], o, path, base)))
      return rc;
  return ob->check ? ob->check(r, path, base) : 0;
}

static json_t *
hex16_or_null(unsigned v)
{
  char buf[8];
  if (v == 0 || v > 0xffff)
    return json_null();
  snprintf(buf, sizeof(buf), "%04x", v);
  return json_string(buf);
}

static json_t *
write_field(const struct field *f, const void *base)
{
  const void *p = cat(base, f->off);
  switch (f->type) {
  case FT_STRING:
    return json_string(p);
  case FT_TEXT:
    return *(const char *)p ? json_string(p) : json_null();
  case FT_NUMBER:
    return num_or_null(*(const double *)p);
  case FT_INT:
    return json_integer(*(const int *)p);
  case FT_UINT64:
    return json_integer((json_int_t) * (const uint64_t *)p);
  case FT_BOOL:
    return json_boolean(*(const int *)p);
  case FT_FLAG:
    return *(const int *)p ? json_true() : NULL;
  case FT_HEX16:
    return hex16_or_null(*(const unsigned *)p);
  case FT_OPT_BOOL:
    return *(const int *)p < 0 ? json_null() : json_boolean(*(const int *)p);
  case FT_OPT_INT:
    return *(const int *)p < 0 ? json_null() : json_integer(*(const int *)p);
  case FT_OBJECT:
    if (f->present_off != NO_PRESENT && !*(const int *)cat(base, (size_t)f->present_off))
      return json_null();
    return write_object(f->sub, p);
  case FT_ARRAY: {
    json_t *arr = json_array();
    size_t n = *(const size_t *)cat(base, f->count_off);
    const void *elems = (f->flags & ALLOCATED) ? *(const void *const *)cat(base, f->off)
                                               : cat(base, f->off);
    for (size_t i = 0; i < n; i++)
      if (json_array_append_new(arr, write_object(f->sub, cat(elems, i * f->sub->size))) != 0) {
        json_decref(arr);
        return NULL;
      }
    return arr;
  }
  case FT_CUSTOM:
    return f->write ? f->write(base) : NULL;
  }
  return NULL;
}

/* NULL when any member could not be built (out of memory, a json_pack that failed): never
 * a document with keys silently missing. */
static json_t *
write_object(const struct object *ob, const void *base)
{
  json_t *o = json_object();
  for (size_t i = 0; o && i < ob->n; i++) {
    const struct field *f = &ob->fields[i];
    json_t *v;
    if (f->until != 0)
      continue; /* a key of older versions only */
    if (!(v = write_field(f, base)) && f->type == FT_FLAG)
      continue; /* a flag not set */
    if (json_object_set_new(o, f->key, v) != 0) {
      json_decref(o);
      o = NULL;
    }
  }
  return o;
}

/* --- the document ----------------------------------------------------------------------- */

json_t *
tpp_result_to_json(const struct tpp_result *r)
{
  return write_object(&tpp__result_top, r);
}

int
tpp_result_from_json(struct tpp_jctx *c, json_t *root, struct tpp_result *r)
{
  struct rd rd = {.c = c, .bit_tops = NAN, .tpp = NAN};
  json_t *devices, *e;
  char p[64];
  size_t i;
  int rc;

  memset(r, 0, sizeof(*r));
  r->budget_s = NAN;
  if (!json_is_object(root))
    return tpp_jfail(c, TPP_EPARSE, "", "expected a tppbench result object");
  if ((rc = tpp_jget_int(c, root, "", "schema_version", 1, &rd.version)) < 0)
    goto fail;
  if (rd.version < 1 || rd.version > TPP_RESULT_SCHEMA_VERSION) {
    rc = tpp_jfail(c, TPP_EPARSE, "schema_version",
                   "unsupported schema_version %lld (this tppbench reads 1 to %d)", rd.version,
                   TPP_RESULT_SCHEMA_VERSION);
    goto fail;
  }
  if ((rc = read_object(&rd, &tpp__result_top, root, "", r)))
    goto fail;
  if ((rc = tpp_jget_array(c, root, "", "devices", 1, &devices)) < 0)
    goto fail;
  if (json_array_size(devices) > TPP_MAX_DEVICES) {
    /* A result is one node; each device costs a few tens of KB while read. */
    rc = tpp_jfail(c, TPP_EPARSE, "devices",
                   "%zu devices; a result holds at most %d (one node; docs/result-schema.md, "
                   "resource limits)",
                   json_array_size(devices), TPP_MAX_DEVICES);
    goto fail;
  }
  r->devices = calloc(json_array_size(devices) + 1, sizeof(*r->devices));
  if (!r->devices) {
    rc = TPP_ENOMEM;
    goto fail;
  }
  json_array_foreach (devices, i, e) {
    struct tpp_device_result *d = &r->devices[r->n_devices];
    tpp_jpath_index(p, sizeof(p), "devices", i);
    if (!json_is_object(e)) {
      rc = tpp_jfail(c, TPP_EPARSE, p, "expected an object");
      goto fail;
    }
    tpp__result_device.init(d);
    rd.tpp = NAN;
    rd.tpp_precision[0] = '\0';
    rc = read_object(&rd, &tpp__result_device, e, p, d);
    r->n_devices++; /* counted even on failure so tpp_result_free releases its placement */
    if (rc)
      goto fail;
  }
  return 0;

fail:
  tpp_result_free(r);
  return rc < 0 ? rc : TPP_EPARSE;
}

static int
result_from_json_cb(struct tpp_jctx *c, json_t *root, void *r)
{
  return tpp_result_from_json(c, root, r);
}

int
tpp_result_load(const char *file, struct tpp_result *r, struct tpp_diag *diag)
{
  memset(r, 0, sizeof(*r));
  return tpp_jparse_file(file, result_from_json_cb, r, diag);
}

struct checked_load {
  struct tpp_result *r;
  const struct tpp_ruleset *rs;
};

/* Each device whose file classification was made under rs's id, classified again under the
 * stored reading, must land in the stored zone. */
static int
check_zones(struct tpp_jctx *c, struct tpp_result *r, const struct tpp_ruleset *rs)
{
  struct tpp_ruleset *under = NULL;
  int rc = 0;

  for (size_t i = 0; i < r->n_devices && rc == 0; i++) {
    struct tpp_device_result *d = &r->devices[i];
    char p[96], rd[96];
    if (!d->stored.present || strcmp(d->stored.rules, rs->id) != 0)
      continue;
    if (!under && !(under = malloc(sizeof(*under)))) {
      rc = TPP_ENOMEM;
      break;
    }
    *under = *rs;
    under->readings.chosen = d->stored.reading;
    tpp_jpath_index(p, sizeof(p), "devices", i);
    if ((rc = tpp_device_result_classify(d, under)) != 0) {
      rc = tpp_jfail(c, TPP_EPARSE, p, "cannot be classified again under %s: %s", rs->id,
                     tpp_strerror(rc));
      break;
    }
    /* A file written before lower-bound TPPs were left undecided stored the zone at the
     * bound: one of the outcomes the classification now lists. */
    if (d->cls.zone != d->stored.zone &&
        !(d->cls.tpp_lower_bound && d->cls.zone == TPP_ZONE_INDETERMINATE &&
          tpp_classification_possible(&d->cls, d->stored.zone))) {
      tpp_reading_format(rd, sizeof(rd), &d->stored.reading);
      strncat(p, ".classification.zone", sizeof(p) - strlen(p) - 1);
      rc = tpp_jfail(c, TPP_EPARSE, p,
                     "stored zone \"%s\" contradicts the rows: classified again under %s "
                     "(%s) they give \"%s\"",
                     tpp_zone_name(d->stored.zone), rs->id, rd, tpp_zone_name(d->cls.zone));
      break;
    }
    /* Left classified under rs itself: the classification points into its rule set, and
     * `under` is freed below. */
    if ((rc = tpp_device_result_classify(d, rs)) != 0)
      rc = tpp_jfail(c, TPP_EPARSE, p, "cannot be classified under %s: %s", rs->id,
                     tpp_strerror(rc));
  }
  free(under);
  return rc;
}

int
tpp_result_from_json_checked(struct tpp_jctx *c, json_t *root, const struct tpp_ruleset *rs,
                             struct tpp_result *r)
{
  int rc = tpp_result_from_json(c, root, r);
  if (rc == 0 && (rc = check_zones(c, r, rs)) != 0)
    tpp_result_free(r);
  return rc;
}

static int
result_checked_cb(struct tpp_jctx *c, json_t *root, void *arg)
{
  struct checked_load *l = arg;
  return tpp_result_from_json_checked(c, root, l->rs, l->r);
}

int
tpp_result_recognise(json_t *root, char *what, size_t len)
{
  json_t *tool = json_object_get(root, "tool"), *name = json_object_get(tool, "name");
  json_t *kind = json_object_get(root, "kind");
  if (!json_is_object(root)) {
    snprintf(what, len, "not a JSON object");
    return 0;
  }
  if (tool && !(json_is_string(name) && strcmp(json_string_value(name), "tppbench") == 0)) {
    snprintf(what, len, "not written by tppbench (\"tool\" names %s)",
             json_is_string(name) ? json_string_value(name) : "no tool");
    return 0;
  }
  if (kind) {
    snprintf(what, len, "a tppbench %s report, not a result",
             json_is_string(kind) ? json_string_value(kind) : "(unnamed)");
    return 0;
  }
  /* Results of schema 1 may lack "tool": then the two keys every result has decide. */
  if (!tool && !(json_object_get(root, "schema_version") && json_object_get(root, "devices"))) {
    snprintf(what, len,
             "not a tppbench result (no \"tool\" naming tppbench, nor \"schema_version\" "
             "with \"devices\")");
    return 0;
  }
  what[0] = '\0';
  return 1;
}

int
tpp_result_load_checked(const char *file, const struct tpp_ruleset *rs, struct tpp_result *r,
                        struct tpp_diag *diag)
{
  struct checked_load l = {r, rs};
  memset(r, 0, sizeof(*r));
  return tpp_jparse_file(file, result_checked_cb, &l, diag);
}

int
tpp_result_parse_checked(const char *name, const char *text, const struct tpp_ruleset *rs,
                         struct tpp_result *r, struct tpp_diag *diag)
{
  struct checked_load l = {r, rs};
  memset(r, 0, sizeof(*r));
  return tpp_jparse_text(name, text, result_checked_cb, &l, diag);
}

/* --- the schema, documented ------------------------------------------------------------- */

struct md {
  char *buf;
  size_t len, cap;
};

static void md_add(struct md *m, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void
md_add(struct md *m, const char *fmt, ...)
{
  va_list ap;
  int n;
  for (;;) {
    va_start(ap, fmt);
    n = vsnprintf(m->buf ? m->buf + m->len : NULL, m->buf ? m->cap - m->len : 0, fmt, ap);
    va_end(ap);
    if (n < 0)
      return;
    if (m->buf && m->len + (size_t)n < m->cap) {
      m->len += (size_t)n;
      return;
    }
    {
      size_t cap = (m->cap + (size_t)n + 1) * 2;
      char *grown = realloc(m->buf, cap);
      if (!grown)
        return;
      m->buf = grown;
      m->cap = cap;
    }
  }
}

static void
md_table(struct md *m, const char *heading, const struct object *ob)
{
  md_add(m, "%s\n\n| key | type | meaning |\n| --- | --- | --- |\n", heading);
  for (size_t i = 0; i < ob->n; i++) {
    const struct field *f = &ob->fields[i];
    static const char *const types[] = {
        [FT_STRING] = "string",
        [FT_TEXT] = "string or null",
        [FT_NUMBER] = "number or null",
        [FT_INT] = "integer",
        [FT_UINT64] = "integer",
        [FT_BOOL] = "boolean",
        [FT_FLAG] = "true",
        [FT_HEX16] = "string or null",
        [FT_OPT_BOOL] = "boolean or null",
        [FT_OPT_INT] = "integer or null",
        [FT_OBJECT] = "object",
        [FT_ARRAY] = "array",
        [FT_CUSTOM] = "",
    };
    const char *type = f->type == FT_CUSTOM ? f->type_doc : types[f->type];
    if (f->type == FT_OBJECT && f->present_off != NO_PRESENT)
      type = "object or null";
    md_add(m, "| `%s` | %s | ", f->key, type);
    if (f->until)
      md_add(m, "*v1–%d only* ", f->until);
    else if (f->since > 1)
      md_add(m, "*v%d* ", f->since);
    if (f->flags & REQUIRED)
      md_add(m, "required; ");
    if (f->flags & NONNEG)
      md_add(m, "≥ 0; ");
    if (f->flags & DERIVED)
      md_add(m, "derived: ");
    md_add(m, "%s |\n", f->doc);
  }
  md_add(m, "\n");
}

char *
tpp_result_schema_markdown(void)
{
  struct md m = {0};
  md_add(&m, "<!-- Generated from the table in harness/result_json.c: do not edit here.  "
             "test_result_schema checks it; `build/tests/test_result_schema --write "
             "docs/result-schema.md` rewrites it. -->\n\n");
  for (const struct schema_section *sec = tpp__result_sections; sec->heading; sec++)
    md_table(&m, sec->heading, sec->object);
  return m.buf;
}

json_t *
tpp__result_write(const struct object *ob, const void *base)
{
  return write_object(ob, base);
}

/* --- the schema, as JSON Schema (docs/result.schema.json) ------------------------------- */

/* The JSON types of a type as the doc writes it ("string or null", "object"). */
static json_t *
json_types(const char *doc_type, int nullable)
{
  static const char *const names[] = {"string", "number", "integer", "boolean",
                                      "object", "array",  "null"};
  json_t *t = json_array();
  for (size_t i = 0; i < N_OF(names); i++) {
    const char *p = strstr(doc_type, names[i]);
    size_t n = strlen(names[i]);
    if (p && (p == doc_type || p[-1] == ' ') && (p[n] == '\0' || p[n] == ' '))
      json_array_append_new(t, json_string(names[i]));
  }
  if (nullable && !strstr(doc_type, "null"))
    json_array_append_new(t, json_string("null"));
  if (json_array_size(t) == 1) {
    json_t *one = json_incref(json_array_get(t, 0));
    json_decref(t);
    return one;
  }
  return t;
}

/* An enumeration of names(0..count-1). */
static json_t *
json_enum(const char *(*name)(int), int count)
{
  json_t *e = json_array();
  for (int i = 0; i < count; i++)
    json_array_append_new(e, json_string(name(i)));
  return e;
}

static const char *
js_precision(int i)
{
  return tpp_precision_name((enum tpp_precision)i);
}
static const char *
js_path(int i)
{
  return tpp_path_name((enum tpp_path)i);
}
static const char *
js_status(int i)
{
  return tpp_row_status_name((enum tpp_row_status)i);
}
static const char *
js_bw_kind(int i)
{
  return tpp_bw_kind_name((enum tpp_bw_kind)i);
}

static json_t *schema_object(const struct object *ob);

/* What the table does not say of a custom key: its values, its members. */
static void
schema_custom(const struct field *f, json_t *s)
{
  if (strcmp(f->key, "precision") == 0)
    json_object_set_new(s, "enum", json_enum(js_precision, TPP_PRECISION_COUNT));
  else if (strcmp(f->key, "path") == 0)
    json_object_set_new(s, "enum", json_enum(js_path, TPP_PATH_COUNT));
  else if (strcmp(f->key, "status") == 0)
    json_object_set_new(s, "enum", json_enum(js_status, TPP_ROW_STATUS_COUNT));
  else if (strcmp(f->key, "kind") == 0)
    json_object_set_new(s, "enum", json_enum(js_bw_kind, TPP_BW_KIND_COUNT));
  else if (strcmp(f->key, "schema_version") == 0) {
    json_object_set_new(s, "minimum", json_integer(1));
    json_object_set_new(s, "maximum", json_integer(TPP_RESULT_SCHEMA_VERSION));
  } else if (strcmp(f->key, "labels") == 0) {
    json_object_set_new(s, "maxProperties", json_integer(TPP_LABELS_MAX));
    json_object_set_new(s, "propertyNames",
                        json_pack("{s:s}", "pattern", "^[A-Za-z0-9_.-]{1,64}$"));
    /* 256 bytes of UTF-8 are at most 256 characters: tppbench checks the bytes. */
    json_object_set_new(s, "additionalProperties",
                        json_pack("{s:s, s:i}", "type", "string", "maxLength", 256));
  } else if (strcmp(f->key, "facts") == 0) {
    json_object_set_new(s, "propertyNames", json_pack("{s:s}", "pattern", "^[a-z0-9_]{1,31}$"));
    json_object_set_new(s, "additionalProperties", json_pack("{s:s}", "type", "string"));
  } else if (strcmp(f->key, "command_line") == 0 || strcmp(f->key, "tpp_from") == 0 ||
             strcmp(f->key, "advisories") == 0) {
    json_object_set_new(s, "items",
                        strcmp(f->key, "command_line") == 0
                            ? json_pack("{s:s}", "type", "string")
                            : json_pack("{s:s, s:{s:s}}", "type", "object", "additionalProperties",
                                        "type", "string"));
  } else if (strcmp(f->key, "unavailable") == 0) {
    json_t *keys = json_array();
    for (int k = 0; k < TPP_BOARD_KEY_COUNT; k++)
      json_array_append_new(keys, json_string(tpp_board_key_name((enum tpp_board_key)k)));
    json_object_set_new(s, "propertyNames", json_pack("{s:o}", "enum", keys));
    json_object_set_new(s, "additionalProperties", json_pack("{s:s}", "type", "string"));
  } else if (strcmp(f->key, "stats") == 0) {
    /* read_stats: samples at least 1; the rates and their spread from 0 to the bound. */
    static const char *const figs[] = {"median", "min", "max", "mean", "stddev", "cv"};
    json_t *props = json_pack("{s:{s:s, s:i}}", "samples", "type", "integer", "minimum", 1);
    for (size_t i = 0; i < N_OF(figs); i++)
      json_object_set_new(props, figs[i],
                          json_pack("{s:[s, s], s:i, s:f}", "type", "number", "null", "minimum", 0,
                                    "maximum", TPP_RESULT_MAX_FIGURE));
    json_object_set_new(s, "properties", props);
    json_object_set_new(s, "required", json_pack("[s]", "samples"));
    json_object_set_new(s, "additionalProperties", json_false());
  } else if (strcmp(f->key, "tool") == 0) {
    json_object_set_new(s, "properties",
                        json_pack("{s:{s:s}, s:{s:s}, s:{s:s}}", "name", "const", "tppbench",
                                  "version", "type", "string", "git_describe", "type", "string"));
  }
}

/* The bounds the reader enforces (read_field, check_number), so an independent validator
 * refuses what tppbench refuses: numbers finite and at most TPP_RESULT_MAX_FIGURE in
 * magnitude (TPP_RESULT_MAX_COUNT for counts), not negative where NONNEG; ints within an
 * int; uint64 not negative.  ("minimum"/"maximum" apply to numbers only: null still passes.) */
static void
schema_bounds(const struct field *f, json_t *s)
{
  double max = (f->flags & COUNT) ? TPP_RESULT_MAX_COUNT : TPP_RESULT_MAX_FIGURE;
  switch (f->type) {
  case FT_NUMBER:
    json_object_set_new(s, "minimum", (f->flags & NONNEG) ? json_integer(0) : json_real(-max));
    json_object_set_new(s, "maximum", json_real(max));
    break;
  case FT_INT:
    json_object_set_new(s, "minimum", json_integer((f->flags & NONNEG) ? 0 : INT_MIN));
    json_object_set_new(s, "maximum", json_integer(INT_MAX));
    break;
  case FT_OPT_INT:
    json_object_set_new(s, "minimum", json_integer(0));
    json_object_set_new(s, "maximum", json_integer(INT_MAX));
    break;
  case FT_UINT64:
    json_object_set_new(s, "minimum", json_integer(0));
    break;
  default:
    break;
  }
}

static json_t *
schema_field(const struct field *f)
{
  static const char *const types[] = {
      [FT_STRING] = "string",
      [FT_TEXT] = "string or null",
      [FT_NUMBER] = "number or null",
      [FT_INT] = "integer",
      [FT_UINT64] = "integer",
      [FT_BOOL] = "boolean",
      [FT_FLAG] = "boolean",
      [FT_HEX16] = "string or null",
      [FT_OPT_BOOL] = "boolean or null",
      [FT_OPT_INT] = "integer or null",
      [FT_OBJECT] = "object",
      [FT_ARRAY] = "array",
      [FT_CUSTOM] = "",
  };
  /* The reader takes null for any key that is not required (as if it were absent). */
  int nullable = !(f->flags & REQUIRED);
  json_t *s;
  char desc[2048];

  if (f->type == FT_OBJECT) {
    json_t *sub = schema_object(f->sub);
    s = nullable ? json_pack("{s:[o, {s:s}]}", "anyOf", sub, "type", "null") : sub;
  } else {
    s = json_object();
    json_object_set_new(s, "type",
                        json_types(f->type == FT_CUSTOM ? f->type_doc : types[f->type], nullable));
    if (f->type == FT_ARRAY) {
      json_object_set_new(s, "items", schema_object(f->sub));
      json_object_set_new(s, "maxItems", json_integer((json_int_t)f->cap));
    } else if (f->type == FT_HEX16)
      json_object_set_new(s, "pattern", json_string("^[0-9a-fA-F]{4}$"));
    else if (f->type == FT_CUSTOM)
      schema_custom(f, s);
    schema_bounds(f, s);
  }
  if (f->until)
    snprintf(desc, sizeof(desc), "(versions 1 to %d only) %s", f->until, f->doc);
  else if (f->since > 1)
    snprintf(desc, sizeof(desc), "(version %d on) %s", f->since, f->doc);
  else
    snprintf(desc, sizeof(desc), "%s", f->doc);
  json_object_set_new(s, "description", json_string(desc));
  return s;
}

static json_t *
schema_object(const struct object *ob)
{
  json_t *props = json_object(), *req = json_array();
  for (size_t i = 0; i < ob->n; i++) {
    json_object_set_new(props, ob->fields[i].key, schema_field(&ob->fields[i]));
    if (ob->fields[i].flags & REQUIRED)
      json_array_append_new(req, json_string(ob->fields[i].key));
  }
  return json_pack("{s:s, s:o, s:o, s:b}", "type", "object", "properties", props, "required", req,
                   "additionalProperties", 0);
}

char *
tpp_result_json_schema(void)
{
  json_t *s = json_object(), *top = schema_object(&tpp__result_top), *devices;
  char *text;
  json_object_set_new(s, "$schema", json_string("https://json-schema.org/draft/2020-12/schema"));
  json_object_set_new(s, "title", json_string("tppbench result"));
  json_object_set_new(
      s, "description",
      json_string("A tppbench result file, schema versions 1 to " TPP_RESULT_SCHEMA_VERSION_TEXT
                  ".  Generated from the table in harness/result_schema.c (docs/result-schema.md "
                  "says the same in prose): do not edit.  It checks the keys, their types and "
                  "values; tppbench's reader also re-checks what a file derives from its rows "
                  "(docs/result-schema.md, re-checks on reading)."));
  /* devices: an array of the device object (written by its own function in the table). */
  devices = json_object_get(json_object_get(top, "properties"), "devices");
  json_object_set_new(devices, "items", schema_object(&tpp__result_device));
  json_object_update(s, top);
  json_decref(top);
  text = json_dumps(s, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
  json_decref(s);
  if (text) {
    size_t n = strlen(text);
    char *nl = realloc(text, n + 2);
    if (!nl) {
      free(text);
      return NULL;
    }
    memcpy(nl + n, "\n", 2);
    text = nl;
  }
  return text;
}
