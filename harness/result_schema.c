/* result_schema.c - the result document's objects and keys: one table, which the writer and
 * the reader follow (result_json.c) and docs/result-schema.md is generated from; the keys
 * that need their own code (enumerations, derived figures, facts, objects kept as they are)
 * and the re-checks of what a file derives from its rows.  See result.h. */
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "result_schema.h"
#include "tpp/claims.h"
#include "tpp/metrics.h"
#include "tpp/profile.h"
#include "tpp/provenance.h"
#include "tpp/result.h"

/* a and b agree to TPP_RESULT_REL_TOL (relative to the larger). */
static int
agree(double a, double b)
{
  return fabs(a - b) <= TPP_RESULT_REL_TOL * fmax(fabs(a), fabs(b));
}

/* --- custom fields ------------------------------------------------------------------------ */

static int
read_enum(struct rd *r, json_t *o, const char *path, const char *key, const char *(*name)(int),
          int count, int *out, const char *known)
{
  char buf[32], p[300];
  int rc = tpp_jget_string(r->c, o, path, key, 1, buf, sizeof(buf));
  if (rc < 0)
    return rc;
  for (int i = 0; i < count; i++)
    if (strcmp(buf, name(i)) == 0) {
      *out = i;
      return 0;
    }
  return tpp_jfail(r->c, TPP_EPARSE, tpp_jpath_key(p, sizeof(p), path, key),
                   "unknown %s \"%s\" (%s)", key, buf, known);
}

static const char *
precision_name(int i)
{
  return tpp_precision_name((enum tpp_precision)i);
}

static const char *
path_name(int i)
{
  return tpp_path_name((enum tpp_path)i);
}

static const char *
status_name(int i)
{
  return tpp_row_status_name((enum tpp_row_status)i);
}

static const char *
bw_kind_name(int i)
{
  return tpp_bw_kind_name((enum tpp_bw_kind)i);
}

static int
rd_precision(struct rd *r, json_t *o, const char *path, const char *key, void *base)
{
  int v, rc = read_enum(r, o, path, key, precision_name, TPP_PRECISION_COUNT, &v,
                        "fp64 fp32 tf32 fp16 bf16 fp8 int32 int16 int8 int4 fp4");
  ((struct tpp_row *)base)->precision = (enum tpp_precision)v;
  return rc;
}

static json_t *
wr_precision(const void *base)
{
  return json_string(tpp_precision_name(((const struct tpp_row *)base)->precision));
}

static int
rd_path(struct rd *r, json_t *o, const char *path, const char *key, void *base)
{
  int v, rc = read_enum(r, o, path, key, path_name, TPP_PATH_COUNT, &v, "vector or tensor");
  ((struct tpp_row *)base)->path = (enum tpp_path)v;
  return rc;
}

static json_t *
wr_path(const void *base)
{
  return json_string(tpp_path_name(((const struct tpp_row *)base)->path));
}

static int
rd_row_status(struct rd *r, json_t *o, const char *path, const char *key, void *base)
{
  int v, rc = read_enum(r, o, path, key, status_name, TPP_ROW_STATUS_COUNT, &v,
                        "ok, unsupported, skipped, error");
  ((struct tpp_row *)base)->status = (enum tpp_row_status)v;
  return rc;
}

static json_t *
wr_row_status(const void *base)
{
  return json_string(tpp_row_status_name(((const struct tpp_row *)base)->status));
}

static int
rd_bw_status(struct rd *r, json_t *o, const char *path, const char *key, void *base)
{
  int v, rc = read_enum(r, o, path, key, status_name, TPP_ROW_STATUS_COUNT, &v,
                        "ok, unsupported, skipped, error");
  ((struct tpp_bw_row *)base)->status = (enum tpp_row_status)v;
  return rc;
}

static json_t *
wr_bw_status(const void *base)
{
  return json_string(tpp_row_status_name(((const struct tpp_bw_row *)base)->status));
}

static int
rd_bw_kind(struct rd *r, json_t *o, const char *path, const char *key, void *base)
{
  struct tpp_bw_row *b = base;
  int v, rc = read_enum(r, o, path, key, bw_kind_name, TPP_BW_KIND_COUNT, &v, "read, write, copy");
  if (rc == 0)
    snprintf(b->kind, sizeof(b->kind), "%s", tpp_bw_kind_name((enum tpp_bw_kind)v));
  return rc;
}

static json_t *
wr_bw_kind(const void *base)
{
  return json_string(((const struct tpp_bw_row *)base)->kind);
}

/* "stats": null (no samples) or the statistics of the samples. */
static int
read_stats(struct rd *r, json_t *obj, const char *path, const char *key, struct tpp_stats *s)
{
  static const char *const keys[] = {"samples", "median", "min", "max",
                                     "mean",    "stddev", "cv",  NULL};
  double *const num[] = {&s->median, &s->min, &s->max, &s->mean, &s->stddev, &s->cv};
  json_t *st;
  char p[300];
  long long n;
  int rc;

  memset(s, 0, sizeof(*s));
  if ((rc = tpp_jget_object(r->c, obj, path, key, 0, &st)) != 0)
    return rc < 0 ? rc : 0;
  tpp_jpath_key(p, sizeof(p), path, key);
  if ((rc = tpp_jcheck_keys(r->c, st, p, keys)) ||
      (rc = tpp_jget_int(r->c, st, p, "samples", 1, &n)) < 0)
    return rc;
  for (size_t i = 0; i < N_OF(num); i++) {
    char q[320];
    if ((rc = tpp_jget_number(r->c, st, p, keys[i + 1], 0, num[i])) < 0)
      return rc;
    if (rc == 1)
      *num[i] = NAN;
    /* Rates, their spread and its ratio: never negative, and bounded like every figure. */
    else if (!(*num[i] >= 0 && *num[i] <= TPP_RESULT_MAX_FIGURE))
      return tpp_jfail(r->c, TPP_EPARSE, tpp_jpath_key(q, sizeof(q), p, keys[i + 1]),
                       "expected a number from 0 to %g, found %.17g", TPP_RESULT_MAX_FIGURE,
                       *num[i]);
  }
  if (n < 1)
    return tpp_jfail(r->c, TPP_EPARSE, p, "samples must be at least 1");
  if (!isnan(s->min) && !isnan(s->max)) {
    char q[320];
    if (s->min > s->max)
      return tpp_jfail(r->c, TPP_EPARSE, tpp_jpath_key(q, sizeof(q), p, "min"),
                       "min %.17g is above max %.17g", s->min, s->max);
    if (!isnan(s->mean) && !(s->min <= s->mean * (1 + TPP_RESULT_REL_TOL) &&
                             s->mean <= s->max * (1 + TPP_RESULT_REL_TOL)))
      return tpp_jfail(r->c, TPP_EPARSE, tpp_jpath_key(q, sizeof(q), p, "mean"),
                       "mean %.17g lies outside its samples' range [%.17g, %.17g]", s->mean, s->min,
                       s->max);
  }
  s->n = (size_t)n;
  return 0;
}

static json_t *
stats_json(const struct tpp_stats *s)
{
  if (s->n == 0)
    return json_null();
  return json_pack("{s:I, s:o, s:o, s:o, s:o, s:o, s:o}", "samples", (json_int_t)s->n, "median",
                   num_or_null(s->median), "min", num_or_null(s->min), "max", num_or_null(s->max),
                   "mean", num_or_null(s->mean), "stddev", num_or_null(s->stddev), "cv",
                   num_or_null(s->cv));
}

static int
rd_row_stats(struct rd *r, json_t *o, const char *path, const char *key, void *base)
{
  return read_stats(r, o, path, key, &((struct tpp_row *)base)->stats);
}

static json_t *
wr_row_stats(const void *base)
{
  return stats_json(&((const struct tpp_row *)base)->stats);
}

static int
rd_row_runs(struct rd *r, json_t *o, const char *path, const char *key, void *base)
{
  return read_stats(r, o, path, key, &((struct tpp_row *)base)->runs);
}

static json_t *
wr_row_runs(const void *base)
{
  return stats_json(&((const struct tpp_row *)base)->runs);
}

static int
rd_bw_stats(struct rd *r, json_t *o, const char *path, const char *key, void *base)
{
  return read_stats(r, o, path, key, &((struct tpp_bw_row *)base)->stats);
}

static json_t *
wr_bw_stats(const void *base)
{
  return stats_json(&((const struct tpp_bw_row *)base)->stats);
}

/* bit_tops: derived from tops; kept for the row's re-check. */
static int
rd_bit_tops(struct rd *r, json_t *o, const char *path, const char *key, void *base)
{
  int rc = tpp_jget_number(r->c, o, path, key, 0, &r->bit_tops);
  (void)base;
  if (rc == 1)
    r->bit_tops = NAN;
  return rc < 0 ? rc : 0;
}

static json_t *
wr_bit_tops(const void *base)
{
  const struct tpp_row *row = base;
  return num_or_null(tpp_bit_tops(row->precision, row->tops));
}

/* A derived value the reader recomputes: only its type is checked. */
static int
rd_ignored_number(struct rd *r, json_t *o, const char *path, const char *key, void *base)
{
  double v;
  int rc = tpp_jget_number(r->c, o, path, key, 0, &v);
  (void)base;
  return rc < 0 ? rc : 0;
}

static int
rd_ignored_string(struct rd *r, json_t *o, const char *path, const char *key, void *base)
{
  char v[256];
  int rc = tpp_jget_string(r->c, o, path, key, 0, v, sizeof(v));
  (void)base;
  return rc < 0 ? rc : 0;
}

static int
rd_ignored_bool(struct rd *r, json_t *o, const char *path, const char *key, void *base)
{
  int v, rc = tpp_jget_bool(r->c, o, path, key, 0, &v);
  (void)base;
  return rc < 0 ? rc : 0;
}

static int
rd_ignored_int(struct rd *r, json_t *o, const char *path, const char *key, void *base)
{
  long long v;
  int rc = tpp_jget_int(r->c, o, path, key, 0, &v);
  (void)base;
  return rc < 0 ? rc : 0;
}

/* facts (schema 3): {"compute_capability": "9.0", ...}. */
static int
rd_facts(struct rd *r, json_t *o, const char *path, const char *key, void *base)
{
  struct tpp_device_info *i = base;
  json_t *facts, *v;
  const char *k;
  char q[300], p[340];
  int rc;
  if ((rc = tpp_jget_object(r->c, o, path, key, 0, &facts)) != 0)
    return rc < 0 ? rc : 0;
  tpp_jpath_key(q, sizeof(q), path, key);
  json_object_foreach (facts, k, v) {
    tpp_jpath_key(p, sizeof(p), q, k);
    if (!json_is_string(v))
      return tpp_jfail(r->c, TPP_EPARSE, p, "expected a string");
    if ((rc = tpp_facts_set(&i->facts, k, json_string_value(v))) == TPP_EINVAL)
      return tpp_jfail(r->c, TPP_EPARSE, p, "a fact's name is lower case letters, digits and _");
    if (rc != 0)
      return tpp_jfail(r->c, TPP_EPARSE, p, "more facts than %d, or longer than %d bytes in all",
                       TPP_FACTS_MAX, TPP_FACTS_TEXT);
  }
  return 0;
}

static json_t *
wr_facts(const void *base)
{
  const struct tpp_facts *f = &((const struct tpp_device_info *)base)->facts;
  json_t *o = json_object();
  for (unsigned k = 0; k < f->n; k++)
    json_object_set_new(o, f->e[k].key, json_string(f->text + f->e[k].at));
  return o;
}

/* compute_capability and extensions (schema 1 and 2): identity keys that became facts. */
static int
rd_legacy_fact(struct rd *r, json_t *o, const char *path, const char *key, void *base)
{
  struct tpp_device_info *i = base;
  char buf[TPP_FACTS_TEXT], p[300];
  int rc = tpp_jget_string(r->c, o, path, key, 0, buf, sizeof(buf));
  if (rc != 0)
    return rc < 0 ? rc : 0;
  if (strcmp(key, "compute_capability") == 0) {
    int major, minor;
    char end;
    if (sscanf(buf, "%d.%d%c", &major, &minor, &end) != 2)
      return tpp_jfail(r->c, TPP_EPARSE, tpp_jpath_key(p, sizeof(p), path, key),
                       "expected \"MAJOR.MINOR\", got \"%s\"", buf);
  }
  if (buf[0] && tpp_facts_set(&i->facts, key, buf) != 0)
    return tpp_jfail(r->c, TPP_EPARSE, tpp_jpath_key(p, sizeof(p), path, key), "too long");
  return 0;
}

/* A JSON object kept as it is (host, placement: topo.h's), or null. */
static int
read_passthrough(struct rd *r, json_t *o, const char *path, const char *key, json_t **out)
{
  json_t *v;
  int rc = tpp_jget_object(r->c, o, path, key, 0, &v);
  if (rc == 0)
    *out = json_incref(v);
  return rc < 0 ? rc : 0;
}

static int
rd_placement(struct rd *r, json_t *o, const char *path, const char *key, void *base)
{
  return read_passthrough(r, o, path, key, &((struct tpp_device_result *)base)->placement);
}

static json_t *
wr_placement(const void *base)
{
  const struct tpp_device_result *d = base;
  return d->placement ? json_deep_copy(d->placement) : json_null();
}

static int
rd_host(struct rd *r, json_t *o, const char *path, const char *key, void *base)
{
  return read_passthrough(r, o, path, key, &((struct tpp_result *)base)->host);
}

static json_t *
wr_host(const void *base)
{
  const struct tpp_result *res = base;
  return res->host ? json_deep_copy(res->host) : json_null();
}

/* "complete": absent (older files, or a run that finished) reads as true. */
static int
rd_complete(struct rd *r, json_t *o, const char *path, const char *key, void *base)
{
  int v = 1, rc = tpp_jget_bool(r->c, o, path, key, 0, &v);
  if (rc < 0)
    return rc;
  ((struct tpp_result *)base)->incomplete = rc == 0 && !v;
  return 0;
}

static json_t *
wr_complete(const void *base)
{
  return json_boolean(!((const struct tpp_result *)base)->incomplete);
}

static int
rd_warnings(struct rd *r, json_t *o, const char *path, const char *key, void *base)
{
  json_t *arr, *e;
  char p[300], q[320];
  size_t i;
  int rc = tpp_jget_array(r->c, o, path, key, 0, &arr);
  if (rc != 0)
    return rc < 0 ? rc : 0;
  tpp_jpath_key(p, sizeof(p), path, key);
  if (json_array_size(arr) > 64)
    return tpp_jfail(r->c, TPP_EPARSE, p, "more than 64 entries");
  json_array_foreach (arr, i, e) {
    if (!json_is_string(e) || json_string_length(e) > 512)
      return tpp_jfail(r->c, TPP_EPARSE, tpp_jpath_index(q, sizeof(q), p, i),
                       "expected a string of at most 512 bytes");
  }
  ((struct tpp_result *)base)->warnings = json_incref(arr);
  return 0;
}

static json_t *
wr_warnings(const void *base)
{
  const struct tpp_result *res = base;
  return res->warnings ? json_deep_copy(res->warnings) : json_array();
}

/* "node": what the run measured at once.  Only `concurrent` and `wall_s` are facts of the
 * run; the counts, total and worst zone are derived from devices[] and recomputed. */
static int
rd_node(struct rd *r, json_t *o, const char *path, const char *key, void *base)
{
  static const char *const keys[] = {"devices",     "measured",   "failed",
                                     "interrupted", "concurrent", "wall_s",
                                     "tpp_total",   "worst_zone", NULL};
  struct tpp_result *res = base;
  json_t *n;
  char p[300];
  long long ignored;
  double num;
  char zone[32];
  int rc = tpp_jget_object(r->c, o, path, key, 0, &n);
  if (rc != 0)
    return rc < 0 ? rc : 0;
  tpp_jpath_key(p, sizeof(p), path, key);
  if ((rc = tpp_jcheck_keys(r->c, n, p, keys)) ||
      (rc = tpp_jget_bool(r->c, n, p, "concurrent", 1, &res->node.concurrent)) < 0 ||
      (rc = tpp_jget_number(r->c, n, p, "wall_s", 1, &res->node.wall_s)) < 0)
    return rc;
  for (int k = 0; k < 4; k++)
    if ((rc = tpp_jget_int(r->c, n, p, keys[k], 0, &ignored)) < 0)
      return rc;
  if ((rc = tpp_jget_number(r->c, n, p, "tpp_total", 0, &num)) < 0 ||
      (rc = tpp_jget_string(r->c, n, p, "worst_zone", 0, zone, sizeof(zone))) < 0)
    return rc;
  if (!(res->node.wall_s >= 0))
    return tpp_jfail(r->c, TPP_EPARSE, p, "wall_s must not be negative");
  res->node.present = 1;
  return 0;
}

static json_t *
wr_node(const void *base)
{
  const struct tpp_result *res = base;
  size_t measured = 0, failed = 0, interrupted = 0;
  double total = 0;
  enum tpp_zone worst = TPP_ZONE_WHITE;
  int any_tpp = 0;
  if (!res->node.present)
    return json_null();
  for (size_t i = 0; i < res->n_devices; i++) {
    const struct tpp_device_result *d = &res->devices[i];
    failed += d->error[0] != '\0';
    measured += d->error[0] == '\0';
    interrupted += d->interrupted != 0;
    if (isfinite(d->tpp)) {
      total += d->tpp;
      any_tpp = 1;
    }
    worst = tpp_zone_worse(worst, d->cls.zone);
  }
  return json_pack("{s:I, s:I, s:I, s:I, s:b, s:f, s:o, s:s}", "devices",
                   (json_int_t)res->n_devices, "measured", (json_int_t)measured, "failed",
                   (json_int_t)failed, "interrupted", (json_int_t)interrupted, "concurrent",
                   res->node.concurrent, "wall_s", res->node.wall_s, "tpp_total",
                   any_tpp ? json_real(total) : json_null(), "worst_zone",
                   res->n_devices ? tpp_zone_name(worst) : "indeterminate");
}

static int
rd_tool(struct rd *r, json_t *o, const char *path, const char *key, void *base)
{
  struct tpp_result *res = base;
  json_t *tool;
  static const char *const keys[] = {"name", "version", "git_describe", NULL};
  char name[16], p[300];
  int rc = tpp_jget_object(r->c, o, path, key, 0, &tool);
  if (rc != 0)
    return rc < 0 ? rc : 0;
  tpp_jpath_key(p, sizeof(p), path, key);
  if ((rc = tpp_jcheck_keys(r->c, tool, p, keys)) != 0 ||
      (rc = tpp_jget_string(r->c, tool, p, "name", 1, name, sizeof(name))) != 0)
    return rc;
  if (strcmp(name, "tppbench") != 0) {
    char q[320];
    return tpp_jfail(r->c, TPP_EPARSE, tpp_jpath_key(q, sizeof(q), p, "name"),
                     "\"%s\" is not tppbench", name);
  }
  rc = tpp_jget_string(r->c, tool, p, "version", 0, res->tool_version, sizeof(res->tool_version));
  if (rc >= 0)
    rc = tpp_jget_string(r->c, tool, p, "git_describe", 0, res->git_describe,
                         sizeof(res->git_describe));
  return rc < 0 ? rc : 0;
}

static json_t *
wr_tool(const void *base)
{
  const struct tpp_result *res = base;
  json_t *o = json_pack("{s:s, s:s}", "name", "tppbench", "version", res->tool_version);
  if (o && res->git_describe[0])
    json_object_set_new(o, "git_describe", json_string(res->git_describe));
  return o;
}

/* labels (schema 4): {"case": "A-17", ...}, checked as --label checks them. */
static int
rd_labels(struct rd *r, json_t *o, const char *path, const char *key, void *base)
{
  struct tpp_result *res = base;
  json_t *v;
  char why[200], p[300];
  int rc = tpp_jget_object(r->c, o, path, key, 0, &v);
  if (rc != 0)
    return rc < 0 ? rc : 0;
  if (tpp_labels_check(v, why, sizeof(why)) != 0)
    return tpp_jfail(r->c, TPP_EPARSE, tpp_jpath_key(p, sizeof(p), path, key), "%s", why);
  res->labels = json_incref(v);
  return 0;
}

static json_t *
wr_labels(const void *base)
{
  const struct tpp_result *res = base;
  return res->labels ? json_deep_copy(res->labels) : json_object();
}

/* provenance.command_line: the arguments, as strings. */
static int
rd_command_line(struct rd *r, json_t *o, const char *path, const char *key, void *base)
{
  struct tpp_provenance *prov = base;
  json_t *arr, *e;
  size_t i;
  char p[300], q[320];
  int rc = tpp_jget_array(r->c, o, path, key, 0, &arr);
  if (rc != 0)
    return rc < 0 ? rc : 0;
  tpp_jpath_key(p, sizeof(p), path, key);
  json_array_foreach (arr, i, e)
    if (!json_is_string(e))
      return tpp_jfail(r->c, TPP_EPARSE, tpp_jpath_index(q, sizeof(q), p, i), "expected a string");
  prov->command_line = json_incref(arr);
  return 0;
}

static json_t *
wr_command_line(const void *base)
{
  const struct tpp_provenance *prov = base;
  return prov->command_line ? json_deep_copy(prov->command_line) : json_null();
}

static int
rd_advisories(struct rd *r, json_t *o, const char *path, const char *key, void *base)
{
  static const char *const keys[] = {"text", "date", "source", NULL};
  struct tpp_device_result *d = base;
  json_t *arr;
  char apath[300];
  int rc;
  if ((rc = tpp_jget_array(r->c, o, path, key, 0, &arr)) != 0)
    return rc < 0 ? rc : 0;
  tpp_jpath_key(apath, sizeof(apath), path, key);
  if (json_array_size(arr) > TPP_PROFILE_MAX_ADVISORIES)
    return tpp_jfail(r->c, TPP_EPARSE, apath, "at most %d advisories", TPP_PROFILE_MAX_ADVISORIES);
  for (size_t i = 0; i < json_array_size(arr); i++) {
    struct tpp_advisory *a = &d->profile.advisories[i];
    json_t *e = json_array_get(arr, i);
    char ip[320];
    tpp_jpath_index(ip, sizeof(ip), apath, i);
    if (!json_is_object(e))
      return tpp_jfail(r->c, TPP_EPARSE, ip, "expected an object");
    if ((rc = tpp_jcheck_keys(r->c, e, ip, keys)) ||
        (rc = tpp_jget_string(r->c, e, ip, "text", 1, a->text, sizeof(a->text))) ||
        (rc = tpp_jget_string(r->c, e, ip, "date", 1, a->date, sizeof(a->date))) ||
        (rc = tpp_jget_string(r->c, e, ip, "source", 1, a->source, sizeof(a->source))))
      return rc;
    d->profile.n_advisories = i + 1;
  }
  return 0;
}

static json_t *
wr_advisories(const void *base)
{
  const struct tpp_device_result *d = base;
  return tpp_advisory_list_json(d->profile.advisories, d->profile.n_advisories);
}

static int
rd_tpp(struct rd *r, json_t *o, const char *path, const char *key, void *base)
{
  int rc = tpp_jget_number(r->c, o, path, key, 0, &r->tpp);
  (void)base;
  if (rc == 1)
    r->tpp = NAN;
  return rc < 0 ? rc : 0;
}

static json_t *
wr_tpp(const void *base)
{
  return num_or_null(((const struct tpp_device_result *)base)->tpp);
}

static int
rd_tpp_precision(struct rd *r, json_t *o, const char *path, const char *key, void *base)
{
  int rc = tpp_jget_string(r->c, o, path, key, 0, r->tpp_precision, sizeof(r->tpp_precision));
  (void)base;
  if (rc == 1)
    r->tpp_precision[0] = '\0';
  return rc < 0 ? rc : 0;
}

static json_t *
wr_tpp_precision(const void *base)
{
  const struct tpp_device_result *d = base;
  return d->tpp_row >= 0 ? json_string(tpp_precision_name(d->rows[d->tpp_row].precision))
                         : json_null();
}

static int
rd_tpp_from(struct rd *r, json_t *o, const char *path, const char *key, void *base)
{
  json_t *v;
  int rc = tpp_jget_array(r->c, o, path, key, 0, &v);
  (void)base;
  return rc < 0 ? rc : 0;
}

static json_t *
wr_tpp_from(const void *base)
{
  const struct tpp_device_result *d = base;
  json_t *from = json_array();
  int set_by[2] = {d->tpp_row, d->tpp_row_other};
  for (int k = 0; k < 2; k++)
    if (set_by[k] >= 0 && (size_t)set_by[k] < d->n_rows)
      json_array_append_new(from, json_pack("{s:s, s:s}", "precision",
                                            tpp_precision_name(d->rows[set_by[k]].precision),
                                            "path", tpp_path_name(d->rows[set_by[k]].path)));
  return from;
}

static json_t *
wr_tpp_lower_bound(const void *base)
{
  return json_boolean(tpp_device_result_tpp_lower_bound(base));
}

static json_t *
wr_dram_bw(const void *base)
{
  return num_or_null(((const struct tpp_device_result *)base)->dram_bw_gbs);
}

static json_t *
wr_dram_bw_source(const void *base)
{
  return json_string(((const struct tpp_device_result *)base)->dram_bw_source);
}

static json_t *
wr_tpp_unchecked(const void *base)
{
  return num_or_null(((const struct tpp_device_result *)base)->tpp_unchecked);
}

/* What the stored "classification" says, for the re-check: rules, zone, reading. */
static int
rd_classification(struct rd *r, json_t *dev, const char *dpath, const char *key, void *base)
{
  struct tpp_device_result *d = base;
  json_t *o, *jr;
  char p[300], q[340], name[32];
  int rc;

  if ((rc = tpp_jget_object(r->c, dev, dpath, key, 0, &o)) != 0)
    return rc < 0 ? rc : 0;
  tpp_jpath_key(p, sizeof(p), dpath, key);
  if ((rc = tpp_jget_string(r->c, o, p, "rules", 0, d->stored.rules, sizeof(d->stored.rules))) < 0)
    return rc;
  if ((rc = tpp_jget_string(r->c, o, p, "zone", 0, name, sizeof(name))) < 0)
    return rc;
  if (rc == 0 && tpp_zone_parse(name, &d->stored.zone) != 0)
    return tpp_jfail(r->c, TPP_EPARSE, tpp_jpath_key(q, sizeof(q), p, "zone"),
                     "unknown zone \"%s\" (black, grey, white, indeterminate)", name);
  d->stored.present = rc == 0 && d->stored.rules[0];
  if ((rc = tpp_jget_object(r->c, o, p, "reading", 0, &jr)) < 0)
    return rc;
  if (rc == 0) {
    char rp[320];
    long long bits;
    tpp_jpath_key(rp, sizeof(rp), p, "reading");
    if ((rc = tpp_jget_string(r->c, jr, rp, "tpp_reading", 1, name, sizeof(name))) < 0)
      return rc;
    if (tpp_tpp_reading_parse(name, &d->stored.reading.tpp) != 0)
      return tpp_jfail(r->c, TPP_EPARSE, tpp_jpath_key(q, sizeof(q), rp, "tpp_reading"),
                       "unknown TPP reading \"%s\" (highest, aggregate)", name);
    if ((rc = tpp_jget_int(r->c, jr, rp, "tf32_bits", 1, &bits)) < 0)
      return rc;
    if (bits < 1 || bits > 64)
      return tpp_jfail(r->c, TPP_EPARSE, tpp_jpath_key(q, sizeof(q), rp, "tf32_bits"),
                       "a bit length must be 1 to 64, found %lld", bits);
    d->stored.reading.tf32_bits = (int)bits;
  }
  return 0;
}

static json_t *
wr_classification(const void *base)
{
  return tpp_classification_to_json(&((const struct tpp_device_result *)base)->cls);
}

/* --- re-checks of what a file derives from its rows ------------------------------------- */

/* A row's derived figures against the figures they come from. */
static int
check_row(struct rd *r, const char *path, void *base)
{
  const struct tpp_row *row = base;
  const struct tpp_stats *st = &row->stats;
  double bit_tops = r->bit_tops;
  char p[300];

  r->bit_tops = NAN; /* for the next row */
  if (row->status == TPP_ROW_OK && !(row->tops > 0))
    return tpp_jfail(r->c, TPP_EPARSE, tpp_jpath_key(p, sizeof(p), path, "tops"),
                     "a row with status ok needs a positive tops");
  /* An output that did not match the host's values is an error row, never a figure. */
  if (row->status == TPP_ROW_OK && !row->verified)
    return tpp_jfail(r->c, TPP_EPARSE, tpp_jpath_key(p, sizeof(p), path, "verified"),
                     "a row with status ok must be verified (its output matched the host's "
                     "values); an unverified measurement is an error row");
  if (st->n && !isnan(st->median)) {
    if (!isnan(st->min) && !isnan(st->max) &&
        !(st->min <= st->median * (1 + TPP_RESULT_REL_TOL) &&
          st->median <= st->max * (1 + TPP_RESULT_REL_TOL)))
      return tpp_jfail(r->c, TPP_EPARSE, tpp_jpath_key(p, sizeof(p), path, "stats.median"),
                       "median %.17g lies outside its samples' range [%.17g, %.17g]", st->median,
                       st->min, st->max);
    if (!isnan(row->tops) && !agree(row->tops, st->median))
      return tpp_jfail(r->c, TPP_EPARSE, tpp_jpath_key(p, sizeof(p), path, "tops"),
                       "tops %.17g contradicts its samples' median %.17g (stats.median)", row->tops,
                       st->median);
  }
  if (!isnan(bit_tops)) {
    double want = tpp_bit_tops(row->precision, row->tops);
    if (isnan(want) || !agree(bit_tops, want))
      return tpp_jfail(r->c, TPP_EPARSE, tpp_jpath_key(p, sizeof(p), path, "bit_tops"),
                       "bit_tops %.17g is not tops x %d bits (%.17g)", bit_tops,
                       tpp_precision_bits(row->precision), want);
  }
  if (!isnan(row->efficiency)) {
    double want = tpp_efficiency(row->tops, row->peak_tops);
    if (row->status == TPP_ROW_OK && row->efficiency > 1 + TPP_RESULT_REL_TOL)
      return tpp_jfail(r->c, TPP_EPARSE, tpp_jpath_key(p, sizeof(p), path, "efficiency"),
                       "efficiency %.17g is above 1 on a row with status ok (a measurement "
                       "above the per-clock peak is an error)",
                       row->efficiency);
    if (!isnan(want) && !agree(row->efficiency, want))
      return tpp_jfail(r->c, TPP_EPARSE, tpp_jpath_key(p, sizeof(p), path, "efficiency"),
                       "efficiency %.17g is not tops / peak_tops (%.17g)", row->efficiency, want);
  }
  return 0;
}

/* A bandwidth row: ok only with a positive, verified figure that its samples agree with. */
static int
check_bw(struct rd *r, const char *path, void *base)
{
  const struct tpp_bw_row *b = base;
  const struct tpp_stats *st = &b->stats;
  char p[300];

  if (b->status == TPP_ROW_OK && !(b->gbs > 0))
    return tpp_jfail(r->c, TPP_EPARSE, tpp_jpath_key(p, sizeof(p), path, "gbs"),
                     "a row with status ok needs a positive gbs");
  if (b->status == TPP_ROW_OK && !b->verified)
    return tpp_jfail(r->c, TPP_EPARSE, tpp_jpath_key(p, sizeof(p), path, "verified"),
                     "a row with status ok must be verified (the sampled elements matched the "
                     "host's pattern)");
  if (st->n && !isnan(st->median) && !isnan(b->gbs) && !agree(b->gbs, st->median))
    return tpp_jfail(r->c, TPP_EPARSE, tpp_jpath_key(p, sizeof(p), path, "gbs"),
                     "gbs %.17g contradicts its samples' median %.17g (stats.median)", b->gbs,
                     st->median);
  return 0;
}

/* The device's stored TPP (and its precision) against its ok rows under the stored reading. */
static int
check_device(struct rd *r, const char *path, void *base)
{
  const struct tpp_device_result *d = base;
  struct tpp_device_figures figs;
  const char *prec = r->tpp_precision;
  double tpp = r->tpp, want;
  size_t best[2];
  char p[300], rd[96];

  if (isfinite(d->die_area_mm2) && !(d->die_area_mm2 > 0))
    return tpp_jfail(r->c, TPP_EPARSE, tpp_jpath_key(p, sizeof(p), path, "die_area_mm2"),
                     "die area must be positive");
  if (isfinite(d->die_area_mm2)) {
    /* No larger than the dies its source says it covers (claims.h). */
    char why[300];
    if (tpp_die_area_check(d->die_area_mm2, tpp_die_area_source_dies(d->die_area_source), why,
                           sizeof(why)) != 0)
      return tpp_jfail(r->c, TPP_EPARSE, tpp_jpath_key(p, sizeof(p), path, "die_area_mm2"),
                       "%s (die_area_source \"%s\")", why, d->die_area_source);
  }
  tpp_device_result_figures(d, &figs);
  want = tpp_tpp_read(figs.fig.peaks, figs.fig.n, &d->stored.reading, best);
  tpp_reading_format(rd, sizeof(rd), &d->stored.reading);
  if (!isnan(tpp) && (isnan(want) || !agree(tpp, want)))
    return tpp_jfail(r->c, TPP_EPARSE, tpp_jpath_key(p, sizeof(p), path, "tpp"),
                     "tpp %.17g is not the TPP of the rows with status ok (%s: %.17g)", tpp, rd,
                     want);
  if (prec[0] && !isnan(tpp)) {
    /* Any row that ties with the one that sets TPP may be named. */
    double top = figs.peaks[best[0]].tops *
                 tpp_reading_bits(&d->stored.reading, figs.peaks[best[0]].precision);
    int ok = 0;
    for (size_t i = 0; i < figs.fig.n; i++)
      ok |= strcmp(tpp_precision_name(figs.peaks[i].precision), prec) == 0 &&
            agree(figs.peaks[i].tops *
                      tpp_reading_bits(&d->stored.reading, figs.peaks[i].precision),
                  top);
    if (!ok)
      return tpp_jfail(r->c, TPP_EPARSE, tpp_jpath_key(p, sizeof(p), path, "tpp_precision"),
                       "\"%s\" is not the precision of a row that sets the TPP (%s)", prec,
                       tpp_precision_name(figs.peaks[best[0]].precision));
  }
  return 0;
}

/* --- the table ------------------------------------------------------------------------- */

static void
init_row(void *base)
{
  struct tpp_row *row = base;
  memset(row, 0, sizeof(*row));
  tpp_telemetry_clear(&row->telemetry);
  row->tops = row->peak_tops = row->efficiency = row->ops_per_launch = NAN;
}

static void
init_bw(void *base)
{
  struct tpp_bw_row *b = base;
  memset(b, 0, sizeof(*b));
  b->gbs = b->bytes_per_launch = NAN;
}

static void
init_identity(void *base)
{
  struct tpp_device_info *i = base;
  memset(i, 0, sizeof(*i));
  i->clock_mhz_max = i->power_limit_w = NAN;
  tpp_board_clear(&i->board);
}

static void
init_profile(void *base)
{
  struct tpp_device_result *d = base;
  d->profile.die_area_mm2 = d->profile.memory_bw_gbs = d->profile.interconnect_gbs = NAN;
}

static void
init_device(void *base)
{
  struct tpp_device_result *d = base;
  memset(d, 0, sizeof(*d));
  d->datacenter = 1;
  d->tpp_row = d->tpp_row_other = -1;
  d->die_area_mm2 = d->interconnect_gbs = d->dram_bw_gbs = d->tpp_unchecked = d->tpp = NAN;
}

typedef struct tpp_telemetry TEL;
static const struct field telemetry_fields[] = {
    F("samples", FT_INT, TEL, samples, NONNEG, 1, "readings behind the figures"),
    F("clock_mhz_min", FT_NUMBER, TEL, clock_mhz_min, NONNEG, 1, "lowest clock read"),
    F("clock_mhz_max", FT_NUMBER, TEL, clock_mhz_max, NONNEG, 1,
      "highest clock read; the > 100% gate is judged at it"),
    F("power_w", FT_NUMBER, TEL, power_w, NONNEG, 1,
      "mean board power (NVML's readings; amd-smi: the energy counter over the timed launches)"),
    F("power_w_max", FT_NUMBER, TEL, power_w_max, NONNEG, 1, "highest power seen"),
    F("temperature_c_max", FT_NUMBER, TEL, temperature_c_max, 0, 1, "highest temperature seen"),
    F("clock_events", FT_STRING, TEL, clock_events, 0, 1,
      "the clock events (throttle reasons) seen, comma-separated, named by the backend: NVML's "
      "`sw_power_cap`, `hw_slowdown`, `sw_thermal_slowdown`, ...; amd-smi's `power`, `thermal`, "
      "`prochot`, `vr_thermal`, `hbm_thermal`; empty when none"),
    C("clock_event_reasons", "integer", rd_ignored_int, NULL, 0, 1, 2,
      "NVML's clock-event bits: read from versions 1 and 2 (their names are in `clock_events`), "
      "no longer written"),
};
/* No init: the row's clears it, and its clock_mhz is read before it. */
static const struct object telemetry_obj = {
    "telemetry", sizeof(TEL), telemetry_fields, N_OF(telemetry_fields), NULL, NULL};

typedef struct tpp_row ROW;
static const struct field row_fields[] = {
    C("precision", "string", rd_precision, wr_precision, REQUIRED, 1, 0,
      "`fp64 fp32 tf32 fp16 bf16 fp8 int32 int16 int8 int4 fp4`"),
    C("path", "string", rd_path, wr_path, REQUIRED, 1, 0,
      "`vector` (SIMD / CUDA cores / vector ALU) or `tensor` (matrix units)"),
    C("status", "string", rd_row_status, wr_row_status, REQUIRED, 1, 0,
      "`ok`; `unsupported` (the device or backend lacks it); `skipped` (not requested with "
      "`--precisions`); `error` (the kernel failed, its output did not match the host's values, "
      "or it ran above its per-clock peak)"),
    F("reason", FT_TEXT, ROW, reason, 0, 1, "why the status is not `ok`; null when it is"),
    F("kernel", FT_TEXT, ROW, kernel, 0, 1,
      "the variant measured, e.g. `fma.float16x16` (FMA on float16 vectors, 16 independent "
      "chains), `wgmma.m64n256k16.f32acc`, `v_mfma_f32_32x32x8_f16`"),
    F("kernel_sha256", FT_TEXT, ROW, kernel_sha256, 0, 4,
      "SHA-256 (hex) of the embedded image the kernel was loaded from: the OpenCL source text, "
      "the CUDA fatbin, the HIP code object; null when none was loaded"),
    F("tops", FT_NUMBER, ROW, tops, NONNEG, 1,
      "median tera-operations per second over the timed launches; a multiply-add counts 2"),
    C("bit_tops", "number or null", rd_bit_tops, wr_bit_tops, DERIVED, 1, 0,
      "`tops` × the bit length of the operation (64, 32, 32 for TF32, 16, 8, 4)"),
    C("stats", "object or null", rd_row_stats, wr_row_stats, 0, 1, 0,
      "over the timed launches, in TOPS: `samples`, `median`, `min`, `max`, `mean`, `stddev`, "
      "`cv` (stddev / mean: 0.01 is 1 %); null without samples"),
    F("ops_per_launch", FT_NUMBER, ROW, ops_per_launch, NONNEG | COUNT, 1,
      "operations in one timed launch"),
    F("clock_mhz", FT_NUMBER, ROW, telemetry.clock_mhz, NONNEG, 1,
      "the device clock during the row: the mean of the readings (CPU devices: before and after "
      "the row; NVML, amd-smi, rocm-smi: taken only while timed launches were in flight); "
      "efficiency uses it"),
    F("clock_source", FT_TEXT, ROW, clock_source, 0, 1,
      "how it was read: `host-add-chain` (CPU devices: measured before and after the row, see "
      "measurement.md), `nvml`, `amd-smi`, `rocm-smi` (sampled during the row), `device-max` "
      "(only the stated maximum is known)"),
    OBJ("telemetry", ROW, telemetry, &telemetry_obj, 0, 1,
        "what was observed during the row (below); null where the backend cannot observe it"),
    F("peak_tops", FT_NUMBER, ROW, peak_tops, NONNEG, 1,
      "theoretical peak at `clock_mhz` from the per-clock rate tables (`profiles/rates/`); null "
      "when the device is not in them"),
    F("efficiency", FT_NUMBER, ROW, efficiency, NONNEG, 1,
      "`tops / peak_tops`; null when unknown.  A figure above the per-clock peak at the highest "
      "clock seen in the row (`telemetry.clock_mhz_max`) turns the row into an `error`"),
    F("verified", FT_BOOL, ROW, verified, REQUIRED, 1,
      "the output of the sized launch and of the last timed launch matched the host's values"),
    F("unchecked", FT_BOOL, ROW, unchecked, 0, 3,
      "ok, but no per-clock rate (or clock) was known, so nothing bounded the figure from "
      "above: not counted in `tpp` (the same for every backend).  Absent (older files) reads "
      "as false"),
    F("lower_bound", FT_BOOL, ROW, lower_bound, 0, 3,
      "the kernel is known to stay below the device's peak path (mma.sync on Hopper; every "
      "tensor row on sm_100/103/110, which lack a tcgen05 kernel).  Absent reads as false"),
    F("device_reset", FT_BOOL, ROW, device_reset, 0, 3,
      "a sticky error during the row made the backend reset the device (CUDA: primary context "
      "reset; HIP: hipDeviceReset; modules reloaded) so the next rows could run.  Absent reads "
      "as false"),
    C("runs", "object or null", rd_row_runs, wr_row_runs, 0, 4, 0,
      "with `--repeat N`: the N runs' medians as `stats` (`samples` is N), or null.  `stats` is "
      "then the run whose median is the middle one; the borderline logic uses the wider of "
      "`stats` and `runs` (min to max)"),
};
static const struct object row_obj = {"measurements[]", sizeof(ROW), row_fields,
                                      N_OF(row_fields), init_row,    check_row};

typedef struct tpp_bw_row BW;
static const struct field bw_fields[] = {
    C("kind", "string", rd_bw_kind, wr_bw_kind, REQUIRED, 1, 0, "`read`, `write`, `copy`"),
    C("status", "string", rd_bw_status, wr_bw_status, REQUIRED, 1, 0, "as for `measurements[]`"),
    F("reason", FT_TEXT, BW, reason, 0, 1, "why the status is not `ok`; null when it is"),
    F("kernel", FT_TEXT, BW, kernel, 0, 1, "the kernel and buffer, e.g. `read.uint4x268435456`"),
    F("kernel_sha256", FT_TEXT, BW, kernel_sha256, 0, 4, "as for `measurements[]`"),
    F("gbs", FT_NUMBER, BW, gbs, NONNEG, 1,
      "median, 10⁹ bytes per second; copy counts the bytes read plus the bytes written"),
    C("stats", "object or null", rd_bw_stats, wr_bw_stats, 0, 1, 0,
      "as for `measurements[]`, in GB/s"),
    F("bytes_per_launch", FT_NUMBER, BW, bytes_per_launch, NONNEG | COUNT, 1,
      "bytes moved in one launch"),
    F("verified", FT_BOOL, BW, verified, REQUIRED, 1,
      "the sampled elements matched the host's pattern"),
    F("device_reset", FT_BOOL, BW, device_reset, 0, 3, "as for `measurements[]`"),
};
static const struct object bw_obj = {"memory_bandwidth[]", sizeof(BW), bw_fields,
                                     N_OF(bw_fields),      init_bw,    check_bw};

/* board.unavailable: {"serial": "nvmlDeviceGetSerial: Not Supported", ...}, for keys that
 * are null. */
static int
rd_board_unavailable(struct rd *r, json_t *o, const char *path, const char *key, void *base)
{
  struct tpp_board *b = base;
  json_t *un, *v;
  const char *k;
  char q[300], p[340];
  int rc;
  if ((rc = tpp_jget_object(r->c, o, path, key, 0, &un)) != 0)
    return rc < 0 ? rc : 0;
  tpp_jpath_key(q, sizeof(q), path, key);
  json_object_foreach (un, k, v) {
    int bk = tpp_board_key_parse(k);
    tpp_jpath_key(p, sizeof(p), q, k);
    if (bk < 0)
      return tpp_jfail(r->c, TPP_EPARSE, p, "not a key of the board");
    if (!json_is_string(v))
      return tpp_jfail(r->c, TPP_EPARSE, p, "expected a string (why it is unknown)");
    if (tpp_board_known(b, (enum tpp_board_key)bk))
      return tpp_jfail(r->c, TPP_EPARSE, p, "%s has a value and a reason it is unknown", k);
    snprintf(b->why[bk], sizeof(b->why[bk]), "%s", json_string_value(v));
  }
  return 0;
}

static json_t *
wr_board_unavailable(const void *base)
{
  const struct tpp_board *b = base;
  json_t *o = json_object();
  for (int k = 0; o && k < TPP_BOARD_KEY_COUNT; k++)
    if (!tpp_board_known(b, (enum tpp_board_key)k) && b->why[k][0])
      json_object_set_new(o, tpp_board_key_name((enum tpp_board_key)k), json_string(b->why[k]));
  return o;
}

typedef struct tpp_board BRD;
static const struct field board_fields[] = {
    F("source", FT_TEXT, BRD, source, 0, 4,
      "the management library that answered: `nvml`; null when none could be used (`error`)"),
    F("error", FT_TEXT, BRD, error, 0, 4,
      "why nothing could be read (`NVML not loaded: ...`, no handle for the bus id), or null"),
    F("serial", FT_TEXT, BRD, serial, 0, 4, "the board's serial number (`nvmlDeviceGetSerial`)"),
    F("vbios_version", FT_TEXT, BRD, vbios_version, 0, 4,
      "the firmware (VBIOS) version (`nvmlDeviceGetVbiosVersion`)"),
    F("ecc_mode", FT_OPT_BOOL, BRD, ecc_mode, 0, 4,
      "ECC enabled now (`nvmlDeviceGetEccMode`, current)"),
    F("ecc_mode_pending", FT_OPT_BOOL, BRD, ecc_mode_pending, 0, 4,
      "ECC enabled after the next reboot (pending)"),
    F("mig_mode", FT_OPT_BOOL, BRD, mig_mode, 0, 4,
      "Multi-Instance GPU mode enabled now (`nvmlDeviceGetMigMode`, current); null also where "
      "the board has no MIG"),
    F("mig_mode_pending", FT_OPT_BOOL, BRD, mig_mode_pending, 0, 4,
      "MIG mode after the next GPU reset (pending)"),
    F("persistence_mode", FT_OPT_BOOL, BRD, persistence_mode, 0, 4,
      "the driver stays loaded with no client (`nvmlDeviceGetPersistenceMode`)"),
    F("pcie_link_gen", FT_OPT_INT, BRD, pcie_link_gen, 0, 4,
      "PCIe link generation now (`nvmlDeviceGetCurrPcieLinkGeneration`; an idle board may "
      "train down to save power, so read it beside the maximum)"),
    F("pcie_link_gen_max", FT_OPT_INT, BRD, pcie_link_gen_max, 0, 4,
      "highest generation the board and its slot support (`nvmlDeviceGetMaxPcieLinkGeneration`)"),
    F("pcie_link_width", FT_OPT_INT, BRD, pcie_link_width, 0, 4,
      "PCIe lanes now (`nvmlDeviceGetCurrPcieLinkWidth`)"),
    F("pcie_link_width_max", FT_OPT_INT, BRD, pcie_link_width_max, 0, 4,
      "most lanes (`nvmlDeviceGetMaxPcieLinkWidth`)"),
    F("app_clock_sm_mhz", FT_OPT_INT, BRD, app_clock_sm_mhz, 0, 4,
      "SM application clock in MHz (`nvmlDeviceGetApplicationsClock`, NVML_CLOCK_SM): the "
      "target an administrator may set with `nvidia-smi -ac`"),
    F("app_clock_sm_default_mhz", FT_OPT_INT, BRD, app_clock_sm_default_mhz, 0, 4,
      "its default (`nvmlDeviceGetDefaultApplicationsClock`): a value other than this says the "
      "application clocks were changed"),
    F("app_clock_mem_mhz", FT_OPT_INT, BRD, app_clock_mem_mhz, 0, 4,
      "memory application clock in MHz (NVML_CLOCK_MEM)"),
    F("app_clock_mem_default_mhz", FT_OPT_INT, BRD, app_clock_mem_default_mhz, 0, 4, "its default"),
    F("compute_processes", FT_OPT_INT, BRD, compute_processes, NONNEG, 4,
      "processes holding a compute context on the device when it was listed, before tppbench "
      "opened it: they share its units and memory"),
    C("unavailable", "object", rd_board_unavailable, wr_board_unavailable, 0, 4, 0,
      "why each null key above is unknown: `{\"serial\": \"nvmlDeviceGetSerial: Not "
      "Supported\"}`, the library's own error (`nvmlErrorString`) or the function it lacks"),
};
static const struct object board_obj = {"identity.board",   sizeof(BRD), board_fields,
                                        N_OF(board_fields), NULL,        NULL};

typedef struct tpp_device_info ID;
static const struct field identity_fields[] = {
    F("backend", FT_STRING, ID, backend, REQUIRED, 1, "`opencl`, `cuda`, `hip`"),
    F("selector", FT_STRING, ID, selector, REQUIRED, 1,
      "what `--device` takes: `opencl:0.0`, `cuda:1`, `hip:0`"),
    F("platform_index", FT_INT, ID, platform_index, NONNEG, 1, "OpenCL platform; 0 elsewhere"),
    F("device_index", FT_INT, ID, device_index, NONNEG, 1,
      "index within the backend (or platform)"),
    F("name", FT_STRING, ID, name, REQUIRED, 1, "as the driver names it"),
    F("vendor", FT_STRING, ID, vendor, 0, 1, "the vendor"),
    F("platform", FT_STRING, ID, platform, 0, 1,
      "OpenCL platform, `CUDA driver API`, `HIP runtime`"),
    F("driver_version", FT_STRING, ID, driver_version, 0, 1, "the driver's or runtime's version"),
    F("device_version", FT_STRING, ID, device_version, 0, 1,
      "`OpenCL 3.0 ...`, `sm_90`, the gfx architecture"),
    F("type", FT_STRING, ID, type, 0, 1, "`cpu`, `gpu`, `accelerator`, `other`"),
    F("compute_units", FT_INT, ID, compute_units, NONNEG, 1, "cores, SMs, CUs"),
    F("clock_mhz_max", FT_NUMBER, ID, clock_mhz_max, NONNEG, 1, "as the device states it, or null"),
    F("global_mem_bytes", FT_UINT64, ID, global_mem_bytes, 0, 1, "device memory"),
    F("max_alloc_bytes", FT_UINT64, ID, max_alloc_bytes, 0, 1, "largest single allocation"),
    F("pci_bus_id", FT_TEXT, ID, pci_bus_id, 0, 1, "`dddd:bb:dd.f`, or null"),
    F("pci_vendor_id", FT_HEX16, ID, pci_vendor_id, 0, 2,
      "4 hex digits from the PCI bus via hwloc, or null"),
    F("pci_device_id", FT_HEX16, ID, pci_device_id, 0, 2,
      "4 hex digits from the PCI bus via hwloc, or null"),
    F("uuid", FT_TEXT, ID, uuid, 0, 1, "the driver's UUID (`GPU-...`), or null where it has none"),
    F("power_limit_w", FT_NUMBER, ID, power_limit_w, NONNEG, 1, "enforced board limit, or null"),
    C("facts", "object", rd_facts, wr_facts, 0, 3, 0,
      "what only the device's backend knows, as strings: `compute_capability` (`\"9.0\"`, CUDA), "
      "`gfx_arch` (the gcnArchName, `\"gfx942:sramecc+:xnack-\"`, HIP), `extensions` (OpenCL), "
      "`llvm_cpu` (the LLVM target CPU of a PoCL CPU device, the key of its rates)"),
    C("compute_capability", "string or null", rd_legacy_fact, NULL, 0, 1, 2,
      "read from versions 1 and 2 into the fact of that name"),
    C("extensions", "string", rd_legacy_fact, NULL, 0, 1, 2,
      "read from versions 1 and 2 into the fact of that name"),
    {.key = "board",
       .type = FT_OBJECT,
       .off = offsetof(ID, board),
       .since = 4,
       .sub = &board_obj,
       .present_off = offsetof(ID, has_board),
       .doc = "what the board's management library says ([below](#identityboard)); null where "
            "the backend has none (OpenCL, HIP for now)"},
    F("simulated", FT_FLAG, ID, simulated, 0, 3,
      "present and true only for a device of a test driver (tests/backends/cuda/sim, "
      "tests/backends/hip/sim): its figures are not measurements"),
};
static const struct object identity_obj = {
    "identity", sizeof(ID), identity_fields, N_OF(identity_fields), init_identity, NULL};

typedef struct tpp_device_result DEV;
static const struct field profile_fields[] = {
    F("id", FT_STRING, DEV, profile.id, REQUIRED, 2, "the profile's id"),
    F("name", FT_STRING, DEV, profile.name, 0, 2, "vendor and name"),
    F("matched_by", FT_STRING, DEV, profile.matched_by, 0, 2,
      "`pci 10de:2330, name \"H100 80GB HBM3\", 132 SM, 80 GB` or `--profile`"),
    F("file", FT_TEXT, DEV, profile.file, 0, 4, "the profile file it was read from"),
    F("sha256", FT_TEXT, DEV, profile.sha256, 0, 4,
      "SHA-256 (hex) of the profile file's bytes as parsed; null for older files"),
    F("die_area_mm2", FT_NUMBER, DEV, profile.die_area_mm2, NONNEG, 2, "what the profile declares"),
    F("die_area_estimate", FT_BOOL, DEV, profile.die_area_estimate, 0, 2,
      "the area is a third party's estimate"),
    F("datacenter", FT_BOOL, DEV, profile.datacenter, 0, 2, "a datacenter product"),
    F("memory_bandwidth_gbs", FT_NUMBER, DEV, profile.memory_bw_gbs, NONNEG, 2,
      "datasheet, or null"),
    F("interconnect_gbs", FT_NUMBER, DEV, profile.interconnect_gbs, NONNEG, 2,
      "datasheet, or null"),
    C("advisories", "array", rd_advisories, wr_advisories, 0, 2, 0,
      "`[{\"text\", \"date\", \"source\"}]`, the profile's advisories with their citations "
      "(absent in results written before them)"),
};
static const struct object profile_obj = {
    "profile", sizeof(DEV), profile_fields, N_OF(profile_fields), init_profile, NULL};

static const struct field device_fields[] = {
    OBJ("identity", DEV, info, &identity_obj, REQUIRED, 1, "the device (below)"),
    F("error", FT_TEXT, DEV, error, 0, 3,
      "why the device could not be measured (its open or setup failed), or null.  Such a device "
      "has no rows, TPP null and zone `indeterminate`, never white"),
    F("interrupted", FT_FLAG, DEV, interrupted, 0, 4,
      "present and true when the run was interrupted before every requested row of the device "
      "was measured: `tpp` is then a lower bound (`tpp_lower_bound`)"),
    C("placement", "object or null", rd_placement, wr_placement, 0, 1, 0,
      "where the measuring thread ran: `pci_bus_id`, `found` (in the hwloc topology), "
      "`numa_nodes`, `cpuset`, `bound`, `note`"),
    F("die_area_mm2", FT_NUMBER, DEV, die_area_mm2, 0, 1,
      "applicable die area, or null when unknown"),
    F("die_area_source", FT_STRING, DEV, die_area_source, 0, 1,
      "`--die-area` (one die), `--die-area (N dies)` (run with `--dies N`), `profile:<id>` "
      "(with ` (estimate)` when the profile's area is a third party's estimate) or `unknown`.  "
      "The area may be at most N × 858 mm² for the N dies the source covers "
      "([limits](#resource-limits))"),
    F("datacenter", FT_BOOL, DEV, datacenter, 0, 1,
      "false when run with `--non-datacenter`, or when the matched profile is not a datacenter "
      "product (and `--datacenter` was not given)"),
    {.key = "profile",
       .type = FT_OBJECT,
       .off = 0,
       .since = 2,
       .sub = &profile_obj,
       .present_off = offsetof(DEV, has_profile),
       .doc = "the device profile matched or named (below; docs/profiles.md), or null"},
    F("interconnect_gbs", FT_NUMBER, DEV, interconnect_gbs, NONNEG, 2,
      "chip-to-chip I/O for rules that test it (not measured), or null"),
    F("interconnect_source", FT_STRING, DEV, interconnect_source, 0, 2,
      "`--interconnect`, `profile:<id>` or `unknown`"),
    C("dram_bandwidth_gbs", "number or null", rd_ignored_number, wr_dram_bw, DERIVED, 2, 0,
      "the DRAM bandwidth the rules see: the best `ok` memory-bandwidth row, or the profile's "
      "figure"),
    C("dram_bandwidth_source", "string", rd_ignored_string, wr_dram_bw_source, DERIVED, 2, 0,
      "`measured (read)`, `profile:<id>`"),
    ARR("measurements", DEV, rows, n_rows, TPP_MAX_ROWS, &row_obj, REQUIRED | ALLOCATED, 1,
        "one row per precision, path and kernel variant (below)"),
    ARR("memory_bandwidth", DEV, bw, n_bw, TPP_MAX_BW_ROWS, &bw_obj, 0, 1,
        "one row per access pattern (below)"),
    C("tpp", "number or null", rd_tpp, wr_tpp, DERIVED, 1, 0,
      "TPP of the rows with status `ok` that are not `unchecked`, under the reading in "
      "`classification.reading` (by default the highest `bit_tops`); null when none"),
    C("tpp_precision", "string or null", rd_tpp_precision, wr_tpp_precision, DERIVED, 1, 0,
      "the precision that sets it"),
    C("tpp_from", "array", rd_tpp_from, wr_tpp_from, DERIVED, 3, 0,
      "`[{\"precision\", \"path\"}]`, the row that sets TPP (two under the aggregate reading: the "
      "best vector-unit and the best matrix-unit row)"),
    C("tpp_lower_bound", "boolean", rd_ignored_bool, wr_tpp_lower_bound, DERIVED, 3, 0,
      "true when a row setting `tpp` is a `lower_bound` row: the device's TPP is at least this"),
    C("tpp_unchecked", "number or null", rd_ignored_number, wr_tpp_unchecked, DERIVED, 3, 0,
      "the highest `bit_tops` of an `ok` but `unchecked` row when it exceeds `tpp`, else null: "
      "shown beside TPP, never in it"),
    C("classification", "object", rd_classification, wr_classification, DERIVED, 1, 0,
      "as printed by `tppbench classify --json` without `explanation` ([below](#classification)); "
      "a reader recomputes it, and checks the stored `zone` ([below](#re-checks-on-reading))"),
};
const struct object tpp__result_device = {"devices[]",         sizeof(DEV), device_fields,
                                          N_OF(device_fields), init_device, check_device};

struct backend_entry {
  char name[16];
  struct tpp_backend_status status;
};
typedef struct backend_entry BE;
static const struct field backend_fields[] = {
    F("name", FT_STRING, BE, name, REQUIRED, 1, "the backend"),
    F("available", FT_BOOL, BE, status.available, REQUIRED, 1, "its runtime loaded and answered"),
    F("reason", FT_TEXT, BE, status.reason, 0, 1,
      "what was found, or why not: `no AMD driver (...)`, `no NVIDIA driver (...)`"),
};
static void
init_backend(void *base)
{
  memset(base, 0, sizeof(BE));
}
static const struct object backend_obj = {"backends[]",         sizeof(BE),   backend_fields,
                                          N_OF(backend_fields), init_backend, NULL};

static json_t *
wr_schema_version(const void *base)
{
  (void)base;
  return json_integer(TPP_RESULT_SCHEMA_VERSION);
}

static json_t *
wr_devices(const void *base)
{
  const struct tpp_result *res = base;
  json_t *arr = json_array();
  for (size_t i = 0; i < res->n_devices; i++)
    json_array_append_new(arr, tpp__result_write(&tpp__result_device, &res->devices[i]));
  return arr;
}

_Static_assert(sizeof(BE) == sizeof(((struct tpp_result *)0)->backends[0]),
               "backends[] entries and struct backend_entry differ");

typedef struct tpp_provenance PROV;
static const struct field binary_fields[] = {
    F("path", FT_TEXT, PROV, binary_path, 0, 4, "the tppbench executable (`/proc/self/exe`)"),
    F("sha256", FT_TEXT, PROV, binary_sha256, 0, 4,
      "SHA-256 (hex) of that file; null when it could not be read (`error` says why)"),
    F("error", FT_TEXT, PROV, binary_error, 0, 4, "why the binary was not hashed, or null"),
};
static const struct object binary_obj = {"provenance.binary", sizeof(PROV), binary_fields,
                                         N_OF(binary_fields), NULL,         NULL};

static const struct field prov_rules_fields[] = {
    F("id", FT_TEXT, PROV, rules_id, 0, 4, "the rule set the run classified under"),
    F("file", FT_TEXT, PROV, rules_file, 0, 4, "the rule-set file"),
    F("sha256", FT_TEXT, PROV, rules_sha256, 0, 4, "SHA-256 (hex) of its bytes as parsed"),
};
static const struct object prov_rules_obj = {
    "provenance.rules", sizeof(PROV), prov_rules_fields, N_OF(prov_rules_fields), NULL, NULL};

static const struct field prov_fields[] = {
    {.key = "binary",
     .type = FT_OBJECT,
     .since = 4,
     .sub = &binary_obj,
     .present_off = NO_PRESENT,
     .doc = "the program that measured (below)"},
    C("command_line", "array or null", rd_command_line, wr_command_line, 0, 4, 0,
      "the arguments as given, `argv[0]` first, each a string"),
    F("started", FT_TEXT, PROV, started, 0, 4, "UTC time the run started, ISO 8601"),
    F("finished", FT_TEXT, PROV, finished, 0, 4, "UTC time the result was written, ISO 8601"),
    F("hostname", FT_TEXT, PROV, hostname, 0, 4, "the machine's host name (`gethostname`)"),
    {.key = "rules",
     .type = FT_OBJECT,
     .since = 4,
     .sub = &prov_rules_obj,
     .present_off = NO_PRESENT,
     .doc = "the rule set (below); the device profiles' files and hashes are under each "
            "device's `profile`"               },
};
static const struct object prov_obj = {"provenance",      sizeof(PROV), prov_fields,
                                       N_OF(prov_fields), NULL,         NULL};

/* The top level.  schema_version is read first, devices last (their array grows with the
 * file): both by tpp_result_from_json. */
typedef struct tpp_result RES;
static const struct field top_fields[] = {
    C("schema_version", "integer", NULL, wr_schema_version, REQUIRED, 1, 0,
      "4 (tppbench reads 1 to 4; version 1 lacks the keys marked *v2*, versions 1 and 2 those "
      "marked *v3*, versions 1 to 3 those marked *v4*)"),
    C("tool", "object", rd_tool, wr_tool, 0, 1, 0,
      "`{\"name\": \"tppbench\", \"version\": \"0.1.0\", \"git_describe\": "
      "\"v0.1.0-12-g1a2b3c4\"}`; `name` is required there and no other key; `git_describe` "
      "(*v4*) is `git describe --tags --always --dirty` of the source it was built from, "
      "`unknown` outside a checkout"),
    F("created", FT_STRING, RES, created, 0, 1, "UTC time the run started, ISO 8601"),
    F("budget_s", FT_NUMBER, RES, budget_s, NONNEG, 1,
      "time budget of the timed launches of one row (`--budget`)"),
    C("complete", "boolean", rd_complete, wr_complete, 0, 4, 0,
      "false when the run was stopped (SIGINT, SIGTERM) before every requested row was "
      "measured: the rows present are real, the missing ones unknown.  Absent reads as true"),
    F("incomplete_reason", FT_TEXT, RES, incomplete_reason, 0, 4,
      "why it is not complete: `interrupted by SIGINT after 5 of 22 rows`; null when complete"),
    F("repeat", FT_INT, RES, repeat, 0, 4, "whole measurements per row (`--repeat`); 1 by default"),
    C("warnings", "array", rd_warnings, wr_warnings, 0, 4, 0,
      "strings: what may have disturbed the run (CPU governor not `performance`, other load "
      "on the device's cores, a GPU's application clocks changed or not locked, other "
      "processes computing on a GPU)"),
    C("node", "object or null", rd_node, wr_node, 0, 4, 0,
      "the node as measured by this run: `devices`, `measured`, `failed`, `interrupted` "
      "(counts), `concurrent` (true: one thread per device, all at once), `wall_s`, "
      "`tpp_total` (sum of the devices' `tpp`), `worst_zone` (black, else indeterminate, "
      "else grey, else white); null in results of one device written before schema 4"),
    C("host", "object or null", rd_host, wr_host, 0, 1, 0,
      "the machine, from hwloc ([below](#host)), or null"),
    ARR("backends", RES, backends, n_backends, TPP_MAX_BACKENDS, &backend_obj, 0, 1,
        "every backend tried; a missing driver shows here"),
    {.key = "provenance",
       .type = FT_OBJECT,
       .off = offsetof(RES, prov),
       .since = 4,
       .sub = &prov_obj,
       .present_off = offsetof(RES, has_provenance),
       .doc = "how the result was made ([below](#provenance)), or null (files not written by "
            "`run`)"},
    C("labels", "object", rd_labels, wr_labels, 0, 4, 0,
      "the user's `--label KEY=VALUE`s (case id, purchase order, asset tag, operator): keys "
      "`[A-Za-z0-9_.-]{1,64}`, string values of at most 256 bytes of UTF-8; `{}` when none"),
    C("devices", "array", NULL, wr_devices, REQUIRED, 1, 0,
      "one entry per measured device (below); empty when none was found; at most 1024 "
      "([limits](#resource-limits))"),
};
const struct object tpp__result_top = {"top level",      sizeof(RES), top_fields,
                                       N_OF(top_fields), NULL,        NULL};

const struct schema_section tpp__result_sections[] = {
    {"## Top level",             &tpp__result_top   },
    {"### `backends[]`",         &backend_obj       },
    {"### `provenance`",         &prov_obj          },
    {"### `provenance.binary`",  &binary_obj        },
    {"### `provenance.rules`",   &prov_rules_obj    },
    {"## `devices[]`",           &tpp__result_device},
    {"### `identity`",           &identity_obj      },
    {"### `identity.board`",     &board_obj         },
    {"### `profile`",            &profile_obj       },
    {"### `measurements[]`",     &row_obj           },
    {"### `telemetry`",          &telemetry_obj     },
    {"### `memory_bandwidth[]`", &bw_obj            },
    {NULL,                       NULL               },
};
