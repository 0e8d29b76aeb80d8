/* cuda_rates.c - the strict reader of profiles/cuda-rates.json.  See cuda_rates.h. */
#include "cuda/cuda_rates.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "tpp/jsonread.h"
#include "tpp/paths.h"

const int tpp_cuda_supported_ccs[] = {75, 80, 86, 87, 89, 90, 100, 103, 110, 120, 121, 0};

static int
cc_supported(long long cc)
{
  for (int i = 0; tpp_cuda_supported_ccs[i]; i++)
    if (tpp_cuda_supported_ccs[i] == cc)
      return 1;
  return 0;
}

static int
read_entry(struct tpp_jctx *c, json_t *e, const char *p, struct tpp_cuda_rate *out)
{
  static const char *const keys[] = {
      "cc", "precision", "path", "variant", "ops_per_clock_per_sm", "source", "note", NULL};
  char name[32], q[300];
  json_t *ccs, *v;
  size_t i;
  int rc;

  memset(out, 0, sizeof(*out));
  if (!json_is_object(e))
    return tpp_jfail(c, TPP_EPARSE, p, "expected an object");
  v = json_object_get(e, "note");
  if (v && !json_is_string(v))
    return tpp_jfail(c, TPP_EPARSE, tpp_jpath_key(q, sizeof(q), p, "note"), "expected a string");
  if ((rc = tpp_jcheck_keys(c, e, p, keys)) || (rc = tpp_jget_array(c, e, p, "cc", 1, &ccs)) < 0)
    return rc;
  tpp_jpath_key(q, sizeof(q), p, "cc");
  if (json_array_size(ccs) == 0 || json_array_size(ccs) > sizeof(out->ccs) / sizeof(out->ccs[0]))
    return tpp_jfail(c, TPP_EPARSE, q, "expected 1 to %zu compute capabilities",
                     sizeof(out->ccs) / sizeof(out->ccs[0]));
  json_array_foreach (ccs, i, v) {
    char r[320];
    tpp_jpath_index(r, sizeof(r), q, i);
    if (!json_is_integer(v) || !cc_supported(json_integer_value(v)))
      return tpp_jfail(c, TPP_EPARSE, r,
                       "expected a supported compute capability x 10 (75, 80, "
                       "86, 87, 89, 90, 100, 103, 110, 120, 121)");
    out->ccs[out->n_ccs++] = (int)json_integer_value(v);
  }
  if ((rc = tpp_jget_string(c, e, p, "precision", 1, name, sizeof(name))) < 0)
    return rc;
  if (tpp_precision_parse(name, &out->precision) != 0)
    return tpp_jfail(c, TPP_EPARSE, tpp_jpath_key(q, sizeof(q), p, "precision"),
                     "unknown precision \"%s\"", name);
  if ((rc = tpp_jget_string(c, e, p, "path", 1, name, sizeof(name))) < 0)
    return rc;
  if (tpp_path_parse(name, &out->path) != 0)
    return tpp_jfail(c, TPP_EPARSE, tpp_jpath_key(q, sizeof(q), p, "path"),
                     "unknown path \"%s\" (vector or tensor)", name);
  if ((rc = tpp_jget_string(c, e, p, "variant", 0, out->variant, sizeof(out->variant))) < 0 ||
      (rc = tpp_jget_number(c, e, p, "ops_per_clock_per_sm", 1, &out->ops_per_clock_per_sm)) < 0)
    return rc;
  if (!(out->ops_per_clock_per_sm > 0) || !isfinite(out->ops_per_clock_per_sm))
    return tpp_jfail(c, TPP_EPARSE, tpp_jpath_key(q, sizeof(q), p, "ops_per_clock_per_sm"),
                     "expected a positive number");
  /* a rate without a source is not evidence */
  v = json_object_get(e, "source");
  if (!json_is_string(v) || json_string_length(v) < 10)
    return tpp_jfail(c, TPP_EPARSE, tpp_jpath_key(q, sizeof(q), p, "source"),
                     "every rate needs a source a reader can check");
  return 0;
}

static int
same_key(const struct tpp_cuda_rate *a, const struct tpp_cuda_rate *b, int *cc)
{
  if (a->precision != b->precision || a->path != b->path || strcmp(a->variant, b->variant) != 0)
    return 0;
  for (int i = 0; i < a->n_ccs; i++)
    for (int j = 0; j < b->n_ccs; j++)
      if (a->ccs[i] == b->ccs[j]) {
        *cc = a->ccs[i];
        return 1;
      }
  return 0;
}

static int
read_table(struct tpp_jctx *c, json_t *root, void *arg)
{
  static const char *const keys[] = {"schema_version", "description", "sources", "rates", NULL};
  struct tpp_cuda_rates *r = arg;
  json_t *rates, *e;
  long long version;
  size_t i;
  int rc;

  r->n = 0;
  if (!json_is_object(root))
    return tpp_jfail(c, TPP_EPARSE, "", "expected an object");
  if ((rc = tpp_jcheck_keys(c, root, "", keys)) ||
      (rc = tpp_jget_int(c, root, "", "schema_version", 1, &version)) < 0)
    return rc;
  if (version != 1)
    return tpp_jfail(c, TPP_EPARSE, "schema_version", "unsupported schema_version %lld (1)",
                     version);
  if ((rc = tpp_jget_array(c, root, "", "rates", 1, &rates)) < 0)
    return rc;
  if (json_array_size(rates) > TPP_CUDA_RATES_MAX)
    return tpp_jfail(c, TPP_EPARSE, "rates", "more than %d entries", TPP_CUDA_RATES_MAX);
  json_array_foreach (rates, i, e) {
    char p[64];
    int cc;
    tpp_jpath_index(p, sizeof(p), "rates", i);
    if ((rc = read_entry(c, e, p, &r->e[r->n])))
      return rc;
    for (int j = 0; j < r->n; j++)
      if (same_key(&r->e[j], &r->e[r->n], &cc))
        return tpp_jfail(c, TPP_EPARSE, p, "a second rate for sm_%d %s %s%s%s (first: rates[%d])",
                         cc, tpp_precision_name(r->e[j].precision), tpp_path_name(r->e[j].path),
                         r->e[j].variant[0] ? " " : "", r->e[j].variant, j);
    r->n++;
  }
  return 0;
}

int
tpp_cuda_rates_load(const char *file, struct tpp_cuda_rates *r, struct tpp_diag *diag)
{
  return tpp_jparse_file(file, read_table, r, diag);
}

int
tpp_cuda_rates_find(struct tpp_cuda_rates *r, char *path, size_t pathlen, struct tpp_diag *diag)
{
  const char *const *dirs = tpp_profile_dirs();
  for (int d = 0; dirs[d]; d++) {
    FILE *f;
    snprintf(path, pathlen, "%s/cuda-rates.json", dirs[d]);
    if (!(f = fopen(path, "r")))
      continue;
    fclose(f);
    return tpp_cuda_rates_load(path, r, diag);
  }
  path[0] = '\0';
  r->n = 0;
  return TPP_ENOENT;
}

double
tpp_cuda_rate_lookup(const struct tpp_cuda_rates *r, int cc, enum tpp_precision p,
                     enum tpp_path path, const char *variant)
{
  double generic = NAN;
  for (int i = 0; r && i < r->n; i++) {
    const struct tpp_cuda_rate *e = &r->e[i];
    int match = 0;
    for (int j = 0; j < e->n_ccs; j++)
      match |= e->ccs[j] == cc;
    if (!match || e->precision != p || e->path != path)
      continue;
    if (e->variant[0] && variant && strstr(variant, e->variant))
      return e->ops_per_clock_per_sm;
    if (!e->variant[0] && isnan(generic))
      generic = e->ops_per_clock_per_sm;
  }
  return generic;
}
