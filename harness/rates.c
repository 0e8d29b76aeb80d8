/* rates.c - the strict reader of profiles/rates/<backend>.json.  See rates.h. */
#include "tpp/rates.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tpp/jsonread.h"
#include "tpp/paths.h"

struct load {
  struct tpp_rates *r;
  const char *backend;
  const char *const *archs;
};

static int
arch_ok(const char *a, const char *const *archs)
{
  if (!a[0])
    return 0;
  if (archs) {
    for (; *archs; archs++)
      if (strcmp(*archs, a) == 0)
        return 1;
    return 0;
  }
  for (; *a; a++)
    if (!((*a >= 'a' && *a <= 'z') || (*a >= '0' && *a <= '9') || strchr("-_.", *a)))
      return 0;
  return 1;
}

static void
list_archs(const char *const *archs, char *buf, size_t len)
{
  size_t n = 0;
  buf[0] = '\0';
  if (!archs) {
    snprintf(buf, len, "lower case letters, digits, '-', '_' and '.'");
    return;
  }
  for (; *archs && n < len; archs++)
    n += (size_t)snprintf(buf + n, len - n, "%s%s", n ? " " : "", *archs);
}

/* "source": with a "sources" object, ids of it (separated by commas or spaces); without,
 * a citation of at least 10 characters. */
static int
check_source(struct tpp_jctx *c, json_t *e, json_t *sources, const char *p)
{
  json_t *v = json_object_get(e, "source");
  char q[320], ids[512];
  tpp_jpath_key(q, sizeof(q), p, "source");
  if (!json_is_string(v) || json_string_length(v) == 0)
    return tpp_jfail(c, TPP_EPARSE, q, "every rate needs a source a reader can check");
  if (!sources)
    return json_string_length(v) >= 10
               ? 0
               : tpp_jfail(c, TPP_EPARSE, q, "a source is a citation: document, date, URL");
  snprintf(ids, sizeof(ids), "%s", json_string_value(v));
  for (char *save = NULL, *tok = strtok_r(ids, ", ", &save); tok; tok = strtok_r(NULL, ", ", &save))
    if (!json_is_string(json_object_get(sources, tok)))
      return tpp_jfail(c, TPP_EPARSE, q, "\"%s\" is not one of the table's \"sources\"", tok);
  return 0;
}

/* Append one rate; *dup is the index of an earlier entry with the same key, or -1. */
static int
add(struct tpp_rates *r, const struct tpp_rate *x, int *dup)
{
  struct tpp_rate *grown;
  *dup = -1;
  for (size_t i = 0; i < r->n; i++)
    if (strcmp(r->e[i].arch, x->arch) == 0 && r->e[i].precision == x->precision &&
        r->e[i].path == x->path && strcmp(r->e[i].variant, x->variant) == 0) {
      *dup = r->e[i].index;
      return 0;
    }
  if (!(grown = realloc(r->e, (r->n + 1) * sizeof(*grown))))
    return TPP_ENOMEM;
  r->e = grown;
  r->e[r->n++] = *x;
  return 0;
}

static int
read_entry(struct tpp_jctx *c, const struct load *l, json_t *e, json_t *sources, size_t index)
{
  static const char *const keys[] = {
      "arch", "precision", "path", "variant", "ops_per_clock_per_unit", "source", "note", NULL};
  struct tpp_rate x;
  json_t *arch, *v, *one = NULL;
  char p[64], q[320], name[32];
  size_t i;
  int rc;

  memset(&x, 0, sizeof(x));
  x.index = (int)index;
  tpp_jpath_index(p, sizeof(p), "rates", index);
  if (!json_is_object(e))
    return tpp_jfail(c, TPP_EPARSE, p, "expected an object");
  if ((rc = tpp_jcheck_keys(c, e, p, keys)))
    return rc;
  v = json_object_get(e, "note");
  if (v && !json_is_string(v))
    return tpp_jfail(c, TPP_EPARSE, tpp_jpath_key(q, sizeof(q), p, "note"), "expected a string");
  if ((rc = tpp_jget_string(c, e, p, "precision", 1, name, sizeof(name))) < 0)
    return rc;
  if (tpp_precision_parse(name, &x.precision) != 0)
    return tpp_jfail(c, TPP_EPARSE, tpp_jpath_key(q, sizeof(q), p, "precision"),
                     "unknown precision \"%s\"", name);
  if ((rc = tpp_jget_string(c, e, p, "path", 1, name, sizeof(name))) < 0)
    return rc;
  if (tpp_path_parse(name, &x.path) != 0)
    return tpp_jfail(c, TPP_EPARSE, tpp_jpath_key(q, sizeof(q), p, "path"),
                     "unknown path \"%s\" (vector or tensor)", name);
  if ((rc = tpp_jget_string(c, e, p, "variant", 0, x.variant, sizeof(x.variant))) < 0 ||
      (rc = tpp_jget_number(c, e, p, "ops_per_clock_per_unit", 1, &x.ops_per_clock_per_unit)) < 0)
    return rc;
  if (!(x.ops_per_clock_per_unit > 0) || !isfinite(x.ops_per_clock_per_unit))
    return tpp_jfail(c, TPP_EPARSE, tpp_jpath_key(q, sizeof(q), p, "ops_per_clock_per_unit"),
                     "expected a positive number");
  if ((rc = check_source(c, e, sources, p)))
    return rc;

  tpp_jpath_key(q, sizeof(q), p, "arch");
  arch = json_object_get(e, "arch");
  if (json_is_string(arch))
    arch = one = json_pack("[O]", arch);
  if (!json_is_array(arch) || json_array_size(arch) == 0) {
    json_decref(one);
    return tpp_jfail(c, TPP_EPARSE, q, "expected an architecture or a non-empty array of them");
  }
  json_array_foreach (arch, i, v) {
    char at[340], known[400];
    int dup;
    if (one)
      snprintf(at, sizeof(at), "%s", q);
    else
      tpp_jpath_index(at, sizeof(at), q, i);
    list_archs(l->archs, known, sizeof(known));
    if (!json_is_string(v) || json_string_length(v) >= sizeof(x.arch) ||
        !arch_ok(json_string_value(v), l->archs)) {
      json_decref(one);
      return tpp_jfail(c, TPP_EPARSE, at, "not an architecture of the %s backend (%s)",
                       l->r->backend[0] ? l->r->backend : "table's", known);
    }
    snprintf(x.arch, sizeof(x.arch), "%s", json_string_value(v));
    if ((rc = add(l->r, &x, &dup)) != 0) {
      json_decref(one);
      return rc;
    }
    if (dup >= 0) {
      json_decref(one);
      return tpp_jfail(c, TPP_EPARSE, p, "a second rate for %s %s %s%s%s (first: rates[%d])",
                       x.arch, tpp_precision_name(x.precision), tpp_path_name(x.path),
                       x.variant[0] ? " " : "", x.variant, dup);
    }
  }
  json_decref(one);
  return 0;
}

static int
read_table(struct tpp_jctx *c, json_t *root, void *arg)
{
  static const char *const keys[] = {"schema_version", "backend", "unit", "description",
                                     "sources",        "rates",   NULL};
  const struct load *l = arg;
  struct tpp_rates *r = l->r;
  json_t *rates, *sources = NULL, *e;
  long long version;
  size_t i;
  int rc;

  if (!json_is_object(root))
    return tpp_jfail(c, TPP_EPARSE, "", "expected an object");
  if ((rc = tpp_jcheck_keys(c, root, "", keys)) ||
      (rc = tpp_jget_int(c, root, "", "schema_version", 1, &version)) < 0)
    return rc;
  if (version != TPP_RATES_SCHEMA_VERSION)
    return tpp_jfail(c, TPP_EPARSE, "schema_version", "unsupported schema_version %lld (%d)",
                     version, TPP_RATES_SCHEMA_VERSION);
  if ((rc = tpp_jget_string(c, root, "", "backend", 1, r->backend, sizeof(r->backend))) < 0 ||
      (rc = tpp_jget_string(c, root, "", "unit", 1, r->unit, sizeof(r->unit))) < 0)
    return rc;
  if (l->backend && strcmp(r->backend, l->backend) != 0)
    return tpp_jfail(c, TPP_EPARSE, "backend", "a table for \"%s\", not for the %s backend",
                     r->backend, l->backend);
  if ((rc = tpp_jget_object(c, root, "", "sources", 0, &sources)) < 0)
    return rc;
  if (rc == 0) {
    const char *k;
    json_t *v;
    json_object_foreach (sources, k, v) {
      char q[300];
      if (!json_is_string(v) || json_string_length(v) < 10)
        return tpp_jfail(c, TPP_EPARSE, tpp_jpath_key(q, sizeof(q), "sources", k),
                         "a source is a citation: document, date, URL");
    }
  } else {
    sources = NULL;
  }
  if ((rc = tpp_jget_array(c, root, "", "rates", 1, &rates)) < 0)
    return rc;
  json_array_foreach (rates, i, e)
    if ((rc = read_entry(c, l, e, sources, i)))
      return rc;
  return 0;
}

int
tpp_rates_load(const char *file, const char *backend, const char *const *archs, struct tpp_rates *r,
               struct tpp_diag *diag)
{
  struct load l = {r, backend, archs};
  int rc;
  memset(r, 0, sizeof(*r));
  snprintf(r->file, sizeof(r->file), "%s", file);
  if ((rc = tpp_jparse_file(file, read_table, &l, diag)) != 0)
    tpp_rates_free(r);
  return rc;
}

int
tpp_rates_find(const char *backend, const char *const *archs, struct tpp_rates *r,
               struct tpp_diag *diag)
{
  const char *const *dirs = tpp_profile_dirs();
  memset(r, 0, sizeof(*r));
  for (int d = 0; dirs[d]; d++) {
    char path[1100];
    FILE *f;
    snprintf(path, sizeof(path), "%s/rates/%s.json", dirs[d], backend);
    if (!(f = fopen(path, "r")))
      continue;
    fclose(f);
    return tpp_rates_load(path, backend, archs, r, diag);
  }
  return TPP_ENOENT;
}

double
tpp_rates_lookup(const struct tpp_rates *r, const char *arch, enum tpp_precision p,
                 enum tpp_path path, const char *variant)
{
  double generic = NAN;
  for (size_t i = 0; r && arch && i < r->n; i++) {
    const struct tpp_rate *e = &r->e[i];
    if (strcmp(e->arch, arch) != 0 || e->precision != p || e->path != path)
      continue;
    if (e->variant[0] && variant && strstr(variant, e->variant))
      return e->ops_per_clock_per_unit;
    if (!e->variant[0] && isnan(generic))
      generic = e->ops_per_clock_per_unit;
  }
  return generic;
}

void
tpp_rates_free(struct tpp_rates *r)
{
  if (!r)
    return;
  free(r->e);
  r->e = NULL;
  r->n = 0;
}
