/* rules.c - rule sets: parsing and validating profiles/rules/<id>.json, finding them by
 * name or path.  The format is documented in docs/rules.md; every check below has a
 * message that names the file, line and field.  Classification lives in classify.c.
 */
#include "tpp/rules.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tpp/jsonread.h"
#include "tpp/provenance.h"

/* A clause may test each metric once; thresholds are collected across the whole rule
 * set so that classification can never run out of room for margins or area ranges. */
#define RULES_MAX_PD_THRESHOLDS ((TPP_RULES_MAX_RANGES - 1) / 2)

struct threshold_set {
  enum tpp_metric metric[TPP_RULES_MAX_THRESHOLDS];
  double value[TPP_RULES_MAX_THRESHOLDS];
  size_t n;
  size_t n_pd;
};

static const char *const zone_names[TPP_ZONE_COUNT] = {
    [TPP_ZONE_INDETERMINATE] = "indeterminate",
    [TPP_ZONE_WHITE] = "white",
    [TPP_ZONE_GREY] = "grey",
    [TPP_ZONE_BLACK] = "black",
};

static const char *const scope_names[] = {
    [TPP_SCOPE_ALL] = "all",
    [TPP_SCOPE_DATACENTER] = "datacenter",
    [TPP_SCOPE_NON_DATACENTER] = "non_datacenter",
};

static const char *const metric_names[TPP_METRIC_COUNT] = {
    [TPP_METRIC_TPP] = "tpp",
    [TPP_METRIC_PD] = "pd",
    [TPP_METRIC_INTERCONNECT] = "interconnect_gbs",
    [TPP_METRIC_DRAM_BW] = "dram_bandwidth_gbs",
};

static const char *const metric_labels[TPP_METRIC_COUNT] = {
    [TPP_METRIC_TPP] = "TPP",
    [TPP_METRIC_PD] = "PD",
    [TPP_METRIC_INTERCONNECT] = "interconnect",
    [TPP_METRIC_DRAM_BW] = "DRAM bandwidth",
};

static const char *const confidence_names[TPP_CONF_COUNT] = {
    [TPP_CONF_PRIMARY] = "primary",
    [TPP_CONF_SECONDARY] = "secondary",
    [TPP_CONF_DERIVED] = "derived",
    [TPP_CONF_RECALLED] = "recalled",
};

const char *
tpp_zone_name(enum tpp_zone z)
{
  if ((unsigned)z >= TPP_ZONE_COUNT)
    return "?";
  return zone_names[z];
}

/* Severity for a node: white < grey < indeterminate < black (an undecided device may be
 * black, but a black one is black whatever the others are). */
static int
zone_rank(enum tpp_zone z)
{
  switch (z) {
  case TPP_ZONE_WHITE:
    return 0;
  case TPP_ZONE_GREY:
    return 1;
  case TPP_ZONE_BLACK:
    return 3;
  default:
    return 2;
  }
}

enum tpp_zone
tpp_zone_worse(enum tpp_zone a, enum tpp_zone b)
{
  return zone_rank(b) > zone_rank(a) ? b : a;
}

int
tpp_zone_parse(const char *name, enum tpp_zone *out)
{
  for (int z = 0; z < TPP_ZONE_COUNT; z++)
    if (strcmp(name, zone_names[z]) == 0) {
      *out = (enum tpp_zone)z;
      return 0;
    }
  return TPP_EINVAL;
}

/* A zone a clause can give (white, grey, black), or -1: "indeterminate" is an outcome of
 * classification, never a clause's verdict. */
static int
decided_zone(const char *name)
{
  enum tpp_zone z;
  if (tpp_zone_parse(name, &z) != 0 || z == TPP_ZONE_INDETERMINATE)
    return -1;
  return (int)z;
}

const char *
tpp_metric_name(enum tpp_metric m)
{
  if ((unsigned)m >= TPP_METRIC_COUNT)
    return "?";
  return metric_names[m];
}

const char *
tpp_metric_label(enum tpp_metric m)
{
  if ((unsigned)m >= TPP_METRIC_COUNT)
    return "?";
  return metric_labels[m];
}

const char *
tpp_metric_unit(enum tpp_metric m)
{
  return m == TPP_METRIC_INTERCONNECT || m == TPP_METRIC_DRAM_BW ? " GB/s" : "";
}

const char *
tpp_confidence_name(enum tpp_confidence c)
{
  if ((unsigned)c >= TPP_CONF_COUNT)
    return "?";
  return confidence_names[c];
}

void
tpp_chip_facts_init(struct tpp_chip_facts *f)
{
  f->tpp = NAN;
  f->die_area_mm2 = NAN;
  f->datacenter = 1;
  f->interconnect_gbs = NAN;
  f->dram_bw_gbs = NAN;
  f->tpp_lo = f->tpp_hi = NAN;
  f->dram_bw_lo = f->dram_bw_hi = NAN;
  f->tpp_lower_bound = 0;
  f->tpp_unchecked = NAN;
}

/* Record a threshold; TPP_EPARSE when the rule set uses too many distinct ones. */
static int
note_threshold(struct tpp_jctx *c, struct threshold_set *ts, enum tpp_metric m, double v,
               const char *path)
{
  for (size_t i = 0; i < ts->n; i++)
    if (ts->metric[i] == m && ts->value[i] == v)
      return 0;
  if (ts->n >= TPP_RULES_MAX_THRESHOLDS)
    return tpp_jfail(c, TPP_EPARSE, path,
                     "too many distinct thresholds in the rule set (at most %d)",
                     TPP_RULES_MAX_THRESHOLDS);
  if (m == TPP_METRIC_PD) {
    if (ts->n_pd >= RULES_MAX_PD_THRESHOLDS)
      return tpp_jfail(c, TPP_EPARSE, path,
                       "too many distinct pd thresholds in the rule set (at most %d)",
                       RULES_MAX_PD_THRESHOLDS);
    ts->n_pd++;
  }
  ts->metric[ts->n] = m;
  ts->value[ts->n] = v;
  ts->n++;
  return 0;
}

/* One bound limit ("min" or "below"): a finite number, not negative. */
static int
parse_limit(struct tpp_jctx *c, json_t *jb, const char *path, const char *key, int *has,
            double *out)
{
  char kpath[256];
  int rc = tpp_jget_number(c, jb, path, key, 0, out);

  if (rc < 0)
    return rc;
  *has = rc == 0;
  if (!*has)
    return 0;
  tpp_jpath_key(kpath, sizeof(kpath), path, key);
  if (!isfinite(*out))
    return tpp_jfail(c, TPP_EPARSE, kpath, "\"%s\" must be a finite number", key);
  if (*out < 0)
    return tpp_jfail(c, TPP_EPARSE, kpath, "\"%s\" must not be negative (found %g)", key, *out);
  return 0;
}

static int
parse_bound(struct tpp_jctx *c, json_t *jb, const char *path, enum tpp_metric m,
            struct tpp_bound *b, struct threshold_set *ts)
{
  static const char *const keys[] = {"min", "below", NULL};
  char kpath[256];
  int err;

  if (!json_is_object(jb))
    return tpp_jfail(c, TPP_EPARSE, path, "expected an object with \"min\" and/or \"below\"");
  if ((err = tpp_jcheck_keys(c, jb, path, keys)) != 0)
    return err;
  if ((err = parse_limit(c, jb, path, "min", &b->has_min, &b->min)) != 0)
    return err;
  if ((err = parse_limit(c, jb, path, "below", &b->has_below, &b->below)) != 0)
    return err;
  if (!b->has_min && !b->has_below)
    return tpp_jfail(c, TPP_EPARSE, path, "a bound needs \"min\", \"below\" or both");
  if (b->has_min && b->has_below && !(b->min < b->below))
    return tpp_jfail(c, TPP_EPARSE, path, "empty interval: min %g is not below %g", b->min,
                     b->below);
  b->used = 1;
  if (b->has_min && (err = note_threshold(c, ts, m, b->min,
                                          tpp_jpath_key(kpath, sizeof(kpath), path, "min"))) != 0)
    return err;
  if (b->has_below &&
      (err = note_threshold(c, ts, m, b->below,
                            tpp_jpath_key(kpath, sizeof(kpath), path, "below"))) != 0)
    return err;
  return 0;
}

static int
parse_when(struct tpp_jctx *c, json_t *jw, const char *path, struct tpp_clause *cl,
           struct threshold_set *ts)
{
  const char *key;
  json_t *v;

  json_object_foreach (jw, key, v) {
    char mpath[256];
    int m, err;
    tpp_jpath_key(mpath, sizeof(mpath), path, key);
    for (m = 0; m < TPP_METRIC_COUNT; m++)
      if (strcmp(key, metric_names[m]) == 0)
        break;
    if (m == TPP_METRIC_COUNT)
      return tpp_jfail(c, TPP_EPARSE, mpath,
                       "unknown metric \"%s\" (known: tpp, pd, interconnect_gbs, "
                       "dram_bandwidth_gbs)",
                       key);
    if ((err = parse_bound(c, v, mpath, (enum tpp_metric)m, &cl->when[m], ts)) != 0)
      return err;
  }
  return 0;
}

/* Look `s` up in names[0..n); its index, or -1. */
static int
lookup(const char *s, const char *const *names, int n)
{
  for (int i = 0; i < n; i++)
    if (strcmp(s, names[i]) == 0)
      return i;
  return -1;
}

static int
parse_clause(struct tpp_jctx *c, json_t *jc, const char *path, struct tpp_clause *cl,
             struct threshold_set *ts)
{
  static const char *const keys[] = {"id", "zone", "applies_to", "when", "note", NULL};
  char buf[32], kpath[256];
  json_t *jw;
  int err, i;

  if (!json_is_object(jc))
    return tpp_jfail(c, TPP_EPARSE, path, "expected a clause object");
  if ((err = tpp_jcheck_keys(c, jc, path, keys)) != 0)
    return err;

  if ((err = tpp_jget_string(c, jc, path, "id", 1, cl->id, sizeof(cl->id))) != 0)
    return err;
  if (!cl->id[0])
    return tpp_jfail(c, TPP_EPARSE, tpp_jpath_key(kpath, sizeof(kpath), path, "id"),
                     "the clause id must not be empty");

  if ((err = tpp_jget_string(c, jc, path, "zone", 1, buf, sizeof(buf))) != 0)
    return err;
  i = decided_zone(buf);
  if (i < 0)
    return tpp_jfail(c, TPP_EPARSE, tpp_jpath_key(kpath, sizeof(kpath), path, "zone"),
                     "unknown zone \"%s\" (known: black, grey, white)", buf);
  cl->zone = (enum tpp_zone)i;

  cl->scope = TPP_SCOPE_ALL;
  err = tpp_jget_string(c, jc, path, "applies_to", 0, buf, sizeof(buf));
  if (err < 0)
    return err;
  if (err == 0) {
    i = lookup(buf, scope_names, (int)(sizeof(scope_names) / sizeof(scope_names[0])));
    if (i < 0)
      return tpp_jfail(c, TPP_EPARSE, tpp_jpath_key(kpath, sizeof(kpath), path, "applies_to"),
                       "unknown scope \"%s\" (known: all, datacenter, non_datacenter)", buf);
    cl->scope = (enum tpp_scope)i;
  }

  if ((err = tpp_jget_object(c, jc, path, "when", 1, &jw)) != 0)
    return err;
  if ((err = parse_when(c, jw, tpp_jpath_key(kpath, sizeof(kpath), path, "when"), cl, ts)) != 0)
    return err;

  err = tpp_jget_string(c, jc, path, "note", 0, cl->note, sizeof(cl->note));
  return err < 0 ? err : 0;
}

static int
parse_confidence(struct tpp_jctx *c, json_t *obj, const char *path, enum tpp_confidence *out)
{
  char buf[32], kpath[256];
  int err, i;
  if ((err = tpp_jget_string(c, obj, path, "confidence", 1, buf, sizeof(buf))) != 0)
    return err;
  i = lookup(buf, confidence_names, TPP_CONF_COUNT);
  if (i < 0)
    return tpp_jfail(c, TPP_EPARSE, tpp_jpath_key(kpath, sizeof(kpath), path, "confidence"),
                     "unknown confidence \"%s\" (known: primary, secondary, derived, recalled)",
                     buf);
  *out = (enum tpp_confidence)i;
  return 0;
}

/* One quantity (is_share 0: "tpp" required) or share (is_share 1: exactly one of
 * "max_fraction", "min_fraction", in (0, 1]). */
static int
parse_quantity(struct tpp_jctx *c, json_t *jq, const char *path, int is_share,
               struct tpp_quantity *q)
{
  static const char *const qkeys[] = {"id", "title", "per", "tpp", "confidence", "source", NULL};
  static const char *const skeys[] = {"id",           "title",      "per",    "max_fraction",
                                      "min_fraction", "confidence", "source", NULL};
  char kpath[256];
  int err, has_max, has_min;

  if (!json_is_object(jq))
    return tpp_jfail(c, TPP_EPARSE, path, "expected an object");
  if ((err = tpp_jcheck_keys(c, jq, path, is_share ? skeys : qkeys)) != 0)
    return err;
  q->tpp = q->max_fraction = q->min_fraction = NAN;
  if ((err = tpp_jget_string(c, jq, path, "id", 1, q->id, sizeof(q->id))) != 0)
    return err;
  if (!q->id[0])
    return tpp_jfail(c, TPP_EPARSE, tpp_jpath_key(kpath, sizeof(kpath), path, "id"),
                     "the id must not be empty");
  if ((err = tpp_jget_string(c, jq, path, "title", 1, q->title, sizeof(q->title))) != 0)
    return err;
  if ((err = tpp_jget_string(c, jq, path, "per", 0, q->per, sizeof(q->per))) < 0)
    return err;
  if ((err = tpp_jget_string(c, jq, path, "source", 1, q->source, sizeof(q->source))) != 0)
    return err;
  if ((err = parse_confidence(c, jq, path, &q->confidence)) != 0)
    return err;
  if (!is_share) {
    if ((err = tpp_jget_number(c, jq, path, "tpp", 1, &q->tpp)) != 0)
      return err;
    if (!(q->tpp > 0 && isfinite(q->tpp)))
      return tpp_jfail(c, TPP_EPARSE, tpp_jpath_key(kpath, sizeof(kpath), path, "tpp"),
                       "expected a positive TPP, found %g", q->tpp);
    return 0;
  }
  if ((err = parse_limit(c, jq, path, "max_fraction", &has_max, &q->max_fraction)) != 0)
    return err;
  if ((err = parse_limit(c, jq, path, "min_fraction", &has_min, &q->min_fraction)) != 0)
    return err;
  if (has_max == has_min)
    return tpp_jfail(c, TPP_EPARSE, path,
                     "a share needs exactly one of \"max_fraction\" and "
                     "\"min_fraction\"");
  {
    double f = has_max ? q->max_fraction : q->min_fraction;
    if (!(f > 0 && f <= 1))
      return tpp_jfail(
          c, TPP_EPARSE,
          tpp_jpath_key(kpath, sizeof(kpath), path, has_max ? "max_fraction" : "min_fraction"),
          "a fraction must be in (0, 1], found %g", f);
  }
  return 0;
}

static int
parse_quantity_list(struct tpp_jctx *c, json_t *ja, const char *key, int is_share,
                    struct tpp_quantity *qs, size_t *n_out)
{
  char path[64];
  json_t *arr;
  size_t n;
  int err;

  tpp_jpath_key(path, sizeof(path), "accounting", key);
  if ((err = tpp_jget_array(c, ja, "accounting", key, 0, &arr)) != 0)
    return err < 0 ? err : 0;
  n = json_array_size(arr);
  if (n > TPP_ACCOUNTING_MAX) {
    char ipath[96];
    return tpp_jfail(c, TPP_EPARSE, tpp_jpath_index(ipath, sizeof(ipath), path, TPP_ACCOUNTING_MAX),
                     "too many entries (%zu; at most %d)", n, TPP_ACCOUNTING_MAX);
  }
  for (size_t i = 0; i < n; i++) {
    char ipath[96];
    tpp_jpath_index(ipath, sizeof(ipath), path, i);
    if ((err = parse_quantity(c, json_array_get(arr, i), ipath, is_share, &qs[i])) != 0)
      return err;
    for (size_t j = 0; j < i; j++)
      if (strcmp(qs[j].id, qs[i].id) == 0)
        return tpp_jfail(c, TPP_EPARSE, ipath, "duplicate id \"%s\"", qs[i].id);
    *n_out = i + 1;
  }
  return 0;
}

/* The optional "accounting" section (docs/rules.md). */
static int
parse_accounting(struct tpp_jctx *c, json_t *ja, struct tpp_accounting *a)
{
  static const char *const keys[] = {"unit", "counted_zones", "quantities", "shares", NULL};
  static const char *const ukeys[] = {"name", "tpp", "confidence", "source", NULL};
  json_t *ju, *jz;
  int err;

  if (!json_is_object(ja))
    return tpp_jfail(c, TPP_EPARSE, "accounting", "expected an object");
  if ((err = tpp_jcheck_keys(c, ja, "accounting", keys)) != 0)
    return err;
  if ((err = tpp_jget_object(c, ja, "accounting", "unit", 1, &ju)) != 0)
    return err;
  if ((err = tpp_jcheck_keys(c, ju, "accounting.unit", ukeys)) != 0)
    return err;
  if ((err = tpp_jget_string(c, ju, "accounting.unit", "name", 1, a->unit_name,
                             sizeof(a->unit_name))) != 0)
    return err;
  if ((err = tpp_jget_number(c, ju, "accounting.unit", "tpp", 1, &a->unit_tpp)) != 0)
    return err;
  if (!(a->unit_tpp > 0 && isfinite(a->unit_tpp)))
    return tpp_jfail(c, TPP_EPARSE, "accounting.unit.tpp", "expected a positive TPP, found %g",
                     a->unit_tpp);
  if ((err = parse_confidence(c, ju, "accounting.unit", &a->unit_confidence)) != 0)
    return err;
  if ((err = tpp_jget_string(c, ju, "accounting.unit", "source", 1, a->unit_source,
                             sizeof(a->unit_source))) != 0)
    return err;
  if ((err = tpp_jget_array(c, ja, "accounting", "counted_zones", 1, &jz)) != 0)
    return err;
  if (json_array_size(jz) == 0)
    return tpp_jfail(c, TPP_EPARSE, "accounting.counted_zones", "name at least one zone");
  for (size_t i = 0; i < json_array_size(jz); i++) {
    char ipath[64];
    json_t *z = json_array_get(jz, i);
    int k = json_is_string(z) ? decided_zone(json_string_value(z)) : -1;
    tpp_jpath_index(ipath, sizeof(ipath), "accounting.counted_zones", i);
    if (k < 0)
      return tpp_jfail(c, TPP_EPARSE, ipath, "expected a zone: black, grey or white");
    a->counted_zones |= 1u << k;
  }
  if ((err = parse_quantity_list(c, ja, "quantities", 0, a->quantities, &a->n_quantities)) != 0)
    return err;
  return parse_quantity_list(c, ja, "shares", 1, a->shares, &a->n_shares);
}

/* A rule set without an "interpretations" section admits both readings of each kind. */
static void
default_readings(struct tpp_readings *rd)
{
  static const char builtin[] = "built in (docs/rules.md, Readings of the rule)";
  memset(rd, 0, sizeof(*rd));
  rd->tpp[0] = TPP_READ_HIGHEST;
  rd->tpp[1] = TPP_READ_AGGREGATE;
  rd->n_tpp = 2;
  rd->tf32_bits[0] = 32;
  rd->tf32_bits[1] = 19;
  rd->n_tf32 = 2;
  for (size_t i = 0; i < rd->n_tpp; i++)
    snprintf(rd->tpp_source[i], sizeof(rd->tpp_source[i]), "%s", builtin);
  for (size_t i = 0; i < rd->n_tf32; i++)
    snprintf(rd->tf32_source[i], sizeof(rd->tf32_source[i]), "%s", builtin);
  rd->chosen.tpp = rd->tpp[0];
  rd->chosen.tf32_bits = rd->tf32_bits[0];
}

/* One list of "interpretations": [{"value", "source"}], the first the default. */
static int
parse_reading_list(struct tpp_jctx *c, json_t *ji, const char *key, struct tpp_readings *rd)
{
  static const char *const keys[] = {"value", "source", NULL};
  int is_tpp = strcmp(key, "tpp_reading") == 0;
  size_t cap = is_tpp ? TPP_READ_COUNT : TPP_TF32_READINGS;
  char path[64];
  json_t *arr;
  size_t n;
  int err;

  tpp_jpath_key(path, sizeof(path), "interpretations", key);
  if ((err = tpp_jget_array(c, ji, "interpretations", key, 0, &arr)) != 0)
    return err < 0 ? err : 0;
  n = json_array_size(arr);
  if (n == 0 || n > cap)
    return tpp_jfail(c, TPP_EPARSE, path, "expected 1 to %zu readings, found %zu", cap, n);
  for (size_t i = 0; i < n; i++) {
    char ipath[96], vpath[128], name[32];
    json_t *e = json_array_get(arr, i);
    tpp_jpath_index(ipath, sizeof(ipath), path, i);
    tpp_jpath_key(vpath, sizeof(vpath), ipath, "value");
    if (!json_is_object(e))
      return tpp_jfail(c, TPP_EPARSE, ipath, "expected an object with \"value\" and \"source\"");
    if ((err = tpp_jcheck_keys(c, e, ipath, keys)) != 0)
      return err;
    if (is_tpp) {
      enum tpp_tpp_reading r;
      if ((err = tpp_jget_string(c, e, ipath, "value", 1, name, sizeof(name))) != 0)
        return err;
      if (tpp_tpp_reading_parse(name, &r) != 0)
        return tpp_jfail(c, TPP_EPARSE, vpath,
                         "unknown TPP reading \"%s\" (known: highest, aggregate)", name);
      for (size_t j = 0; j < i; j++)
        if (rd->tpp[j] == r)
          return tpp_jfail(c, TPP_EPARSE, vpath, "reading \"%s\" listed twice", name);
      rd->tpp[i] = r;
      err = tpp_jget_string(c, e, ipath, "source", 1, rd->tpp_source[i], sizeof(rd->tpp_source[i]));
    } else {
      long long bits;
      if ((err = tpp_jget_int(c, e, ipath, "value", 1, &bits)) != 0)
        return err;
      if (bits < 1 || bits > 64)
        return tpp_jfail(c, TPP_EPARSE, vpath, "a bit length must be 1 to 64, found %lld", bits);
      for (size_t j = 0; j < i; j++)
        if (rd->tf32_bits[j] == (int)bits)
          return tpp_jfail(c, TPP_EPARSE, vpath, "bit length %lld listed twice", bits);
      rd->tf32_bits[i] = (int)bits;
      err = tpp_jget_string(c, e, ipath, "source", 1, rd->tf32_source[i],
                            sizeof(rd->tf32_source[i]));
    }
    if (err != 0)
      return err;
  }
  if (is_tpp)
    rd->n_tpp = n;
  else
    rd->n_tf32 = n;
  return 0;
}

/* The optional "interpretations" section (docs/rules.md). */
static int
parse_interpretations(struct tpp_jctx *c, json_t *ji, struct tpp_readings *rd)
{
  static const char *const keys[] = {"tpp_reading", "tf32_bits", NULL};
  int err;
  if (!json_is_object(ji))
    return tpp_jfail(c, TPP_EPARSE, "interpretations", "expected an object");
  if ((err = tpp_jcheck_keys(c, ji, "interpretations", keys)) != 0 ||
      (err = parse_reading_list(c, ji, "tpp_reading", rd)) != 0 ||
      (err = parse_reading_list(c, ji, "tf32_bits", rd)) != 0)
    return err;
  rd->chosen.tpp = rd->tpp[0];
  rd->chosen.tf32_bits = rd->tf32_bits[0];
  return 0;
}

int
tpp_ruleset_choose_reading(struct tpp_ruleset *rs, const struct tpp_reading *r, const char *field,
                           struct tpp_diag *diag)
{
  const struct tpp_readings *rd = &rs->readings;
  int tpp_ok = 0, tf32_ok = 0;
  for (size_t i = 0; i < rd->n_tpp; i++)
    tpp_ok |= rd->tpp[i] == r->tpp;
  for (size_t i = 0; i < rd->n_tf32; i++)
    tf32_ok |= rd->tf32_bits[i] == tpp_reading_bits(r, TPP_TF32);
  if (!tpp_ok)
    return tpp_diag_set(diag, TPP_EINVAL, NULL, 0, field,
                        "rule set %s does not admit the %s reading of TPP", rs->id,
                        tpp_tpp_reading_name(r->tpp));
  if (!tf32_ok)
    return tpp_diag_set(diag, TPP_EINVAL, NULL, 0, field,
                        "rule set %s does not admit TF32 as %d bits", rs->id,
                        tpp_reading_bits(r, TPP_TF32));
  rs->readings.chosen.tpp = r->tpp;
  rs->readings.chosen.tf32_bits = tpp_reading_bits(r, TPP_TF32);
  return 0;
}

size_t
tpp_ruleset_readings(const struct tpp_ruleset *rs, struct tpp_reading *out)
{
  const struct tpp_readings *rd = &rs->readings;
  size_t n = 0;
  out[n++] = rd->chosen;
  for (size_t i = 0; i < rd->n_tpp; i++)
    for (size_t j = 0; j < rd->n_tf32 && n < TPP_MAX_READINGS; j++) {
      struct tpp_reading r = {.tpp = rd->tpp[i], .tf32_bits = rd->tf32_bits[j]};
      if (!tpp_reading_equal(&r, &rd->chosen))
        out[n++] = r;
    }
  return n;
}

/* "YYYY-MM-DD" with plausible month and day. */
static int
valid_date(const char *s)
{
  int y, m, d;
  char tail;
  if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
    return 0;
  for (int i = 0; i < 10; i++)
    if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
      return 0;
  if (sscanf(s, "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3)
    return 0;
  return m >= 1 && m <= 12 && d >= 1 && d <= 31;
}

static int
parse_root(struct tpp_jctx *c, json_t *root, struct tpp_ruleset *rs)
{
  static const char *const keys[] = {"schema_version",  "id",      "title", "source",
                                     "effective",       "clauses", "notes", "accounting",
                                     "interpretations", NULL};
  struct threshold_set ts;
  long long version;
  json_t *clauses, *notes, *accounting, *interp;
  size_t n;
  int err;

  memset(&ts, 0, sizeof(ts));
  rs->accounting.unit_tpp = NAN;
  default_readings(&rs->readings);
  if (!json_is_object(root))
    return tpp_jfail(c, TPP_EPARSE, "", "a rule set must be a JSON object");
  if ((err = tpp_jcheck_keys(c, root, "", keys)) != 0)
    return err;

  if ((err = tpp_jget_int(c, root, "", "schema_version", 1, &version)) != 0)
    return err;
  if (version != TPP_RULES_SCHEMA_VERSION)
    return tpp_jfail(c, TPP_EPARSE, "schema_version",
                     "unsupported schema_version %lld (this tppbench reads %d)", version,
                     TPP_RULES_SCHEMA_VERSION);

  if ((err = tpp_jget_string(c, root, "", "id", 1, rs->id, sizeof(rs->id))) != 0)
    return err;
  if (!rs->id[0])
    return tpp_jfail(c, TPP_EPARSE, "id", "the rule set id must not be empty");
  if ((err = tpp_jget_string(c, root, "", "title", 0, rs->title, sizeof(rs->title))) < 0)
    return err;
  if ((err = tpp_jget_string(c, root, "", "source", 0, rs->source, sizeof(rs->source))) < 0)
    return err;
  err = tpp_jget_string(c, root, "", "effective", 0, rs->effective, sizeof(rs->effective));
  if (err < 0)
    return err;
  if (err == 0 && !valid_date(rs->effective))
    return tpp_jfail(c, TPP_EPARSE, "effective", "expected a date YYYY-MM-DD, found \"%s\"",
                     rs->effective);
  /* Free text of any length: only its type is checked. */
  notes = json_object_get(root, "notes");
  if (notes && !json_is_null(notes) && !json_is_string(notes))
    return tpp_jfail(c, TPP_EPARSE, "notes", "expected a string");

  if ((err = tpp_jget_array(c, root, "", "clauses", 1, &clauses)) != 0)
    return err;
  n = json_array_size(clauses);
  if (n == 0)
    return tpp_jfail(c, TPP_EPARSE, "clauses", "a rule set needs at least one clause");
  if (n > TPP_RULES_MAX_CLAUSES) {
    char ipath[64];
    return tpp_jfail(c, TPP_EPARSE,
                     tpp_jpath_index(ipath, sizeof(ipath), "clauses", TPP_RULES_MAX_CLAUSES),
                     "too many clauses (%zu; at most %d)", n, TPP_RULES_MAX_CLAUSES);
  }
  for (size_t i = 0; i < n; i++) {
    char ipath[64];
    tpp_jpath_index(ipath, sizeof(ipath), "clauses", i);
    if ((err = parse_clause(c, json_array_get(clauses, i), ipath, &rs->clauses[i], &ts)) != 0)
      return err;
    rs->n_clauses = i + 1;
  }
  /* With the interconnect and the DRAM bandwidth both unknown, the classifier lists one
   * outcome per pair of their intervals: all of them must fit, or it could not decide. */
  for (int dc = 0; dc < 2; dc++) {
    double t[TPP_RULES_MAX_THRESHOLDS];
    size_t ni = tpp_rules_thresholds(rs, dc, TPP_METRIC_INTERCONNECT, t, TPP_RULES_MAX_THRESHOLDS);
    size_t nd = tpp_rules_thresholds(rs, dc, TPP_METRIC_DRAM_BW, t, TPP_RULES_MAX_THRESHOLDS);
    if ((ni + 1) * (nd + 1) > TPP_MAX_SCENARIOS)
      return tpp_jfail(c, TPP_EPARSE, "clauses",
                       "%zu interconnect_gbs and %zu dram_bandwidth_gbs thresholds apply to "
                       "%s chips: (%zu + 1) x (%zu + 1) = %zu outcomes when they are unknown, "
                       "at most %d (docs/rules.md, \"Limits\")",
                       ni, nd, dc ? "datacenter" : "non-datacenter", ni, nd, (ni + 1) * (nd + 1),
                       TPP_MAX_SCENARIOS);
  }
  interp = json_object_get(root, "interpretations");
  if (interp && !json_is_null(interp) &&
      (err = parse_interpretations(c, interp, &rs->readings)) != 0)
    return err;
  accounting = json_object_get(root, "accounting");
  if (accounting && !json_is_null(accounting))
    return parse_accounting(c, accounting, &rs->accounting);
  return 0;
}

static int
parse_root_cb(struct tpp_jctx *c, json_t *root, void *rs)
{
  int err = parse_root(c, root, rs);
  /* The hash of exactly the text parsed, for a result's provenance. */
  if (err == 0)
    tpp_sha256_hex(c->text, strlen(c->text), ((struct tpp_ruleset *)rs)->sha256);
  return err;
}

/* A failed parse leaves nothing half-filled behind. */
static int
finish(int err, const char *name, struct tpp_ruleset *rs)
{
  if (err != 0) {
    memset(rs, 0, sizeof(*rs));
    return err;
  }
  snprintf(rs->path, sizeof(rs->path), "%s", name);
  return 0;
}

int
tpp_ruleset_parse(const char *name, const char *text, struct tpp_ruleset *rs, struct tpp_diag *diag)
{
  if (!text || !rs)
    return TPP_EINVAL;
  memset(rs, 0, sizeof(*rs));
  if (!name)
    name = "<rules>";
  return finish(tpp_jparse_text(name, text, parse_root_cb, rs, diag), name, rs);
}

int
tpp_ruleset_load(const char *path, struct tpp_ruleset *rs, struct tpp_diag *diag)
{
  if (!path || !rs)
    return TPP_EINVAL;
  memset(rs, 0, sizeof(*rs));
  return finish(tpp_jparse_file(path, parse_root_cb, rs, diag), path, rs);
}

static int
looks_like_file(const char *s)
{
  size_t n = strlen(s);
  return strchr(s, '/') != NULL || (n >= 5 && strcmp(s + n - 5, ".json") == 0);
}

int
tpp_ruleset_open(const char *name_or_file, const char *const *search_dirs, struct tpp_ruleset *rs,
                 struct tpp_diag *diag)
{
  char tried[sizeof(((struct tpp_diag *)0)->text)] = "";
  size_t used = 0;

  if (!name_or_file || !name_or_file[0] || !rs)
    return tpp_diag_set(diag, TPP_EINVAL, NULL, 0, "rules", "no rule set named");
  if (looks_like_file(name_or_file))
    return tpp_ruleset_load(name_or_file, rs, diag);

  for (const char *const *d = search_dirs; d && *d; d++) {
    char path[512];
    int err;
    int n = snprintf(path, sizeof(path), "%s/%s.json", *d, name_or_file);
    if (n < 0 || (size_t)n >= sizeof(path))
      continue;
    err = tpp_ruleset_load(path, rs, diag);
    if (err != TPP_ENOENT)
      return err;
    if (used < sizeof(tried)) {
      n = snprintf(tried + used, sizeof(tried) - used, "%s%s", used ? ", " : "", path);
      if (n > 0)
        used += (size_t)n;
    }
  }
  return tpp_diag_set(diag, TPP_ENOENT, NULL, 0, "rules", "no rule set \"%s\" (tried: %s)",
                      name_or_file, used ? tried : "no search directories");
}
