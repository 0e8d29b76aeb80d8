/* explain.c - alternative outcomes of a classification.  See explain.h for the method.
 *
 * The work is bounded (docs/rules.md, "Limits"): the zone of every cell is computed once (at
 * most 9^4 = 6561 cells: 32 thresholds over 4 metrics) into a table of prefix counts, so
 * whether a box is one zone is a constant number of look-ups.  Boxes are built metric by
 * metric; a run that has no one-zone completion is not extended (a box holding a mixed box
 * is mixed), and the first metric is scanned cell by cell for its maximal runs, each then
 * tried one step outwards on the other metrics.  At most (cells of the first metric) x
 * (2 x metrics - 1) x (runs of the others) look-ups: 5.7 million for 8 thresholds on each of
 * the four metrics (a rule set holds at most 32), about 30 ns each. */
#include "tpp/explain.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* The cells of one metric: [t[i-1], t[i]) with t[-1] = 0 and t[n] = infinity. */
struct axis {
  enum tpp_metric metric;
  double t[TPP_RULES_MAX_THRESHOLDS];
  size_t n; /* thresholds; cells = n + 1 */
  int cur;  /* the chip's cell, -1 when its value is unknown */
  int a, b; /* the box's run of cells [a, b] */
};

struct box {
  unsigned char a[TPP_METRIC_COUNT], b[TPP_METRIC_COUNT];
  enum tpp_zone zone;
};

/* The search: the cell table, the box being built, the best alternatives so far. */
struct search {
  const struct tpp_ruleset *rs;
  const struct tpp_classification *c;
  struct axis ax[TPP_METRIC_COUNT];
  size_t nax;
  size_t cstride[TPP_METRIC_COUNT]; /* cell index = sum idx[i] * cstride[i] */
  size_t pstride[TPP_METRIC_COUNT]; /* prefix index = sum j[i] * pstride[i], j in [0, n + 1] */
  unsigned char *zone;              /* per cell */
  signed char *clause;              /* per cell: clause index, -1 none */
  uint16_t *count[TPP_ZONE_COUNT];  /* per zone: cells of that zone below a corner */
  struct box best[TPP_MAX_ALTERNATIVES];
  size_t n_best;
  size_t n_maximal;
  size_t work;
};

static double
cell_lo(const struct axis *x, int i)
{
  return i == 0 ? 0.0 : x->t[i - 1];
}

static double
cell_hi(const struct axis *x, int i)
{
  return (size_t)i == x->n ? INFINITY : x->t[i];
}

/* Cells of zone z in the box [lo, hi] (inclusive, per axis), by inclusion-exclusion. */
static long
box_count(const struct search *s, enum tpp_zone z, const int *lo, const int *hi)
{
  long sum = 0;
  for (unsigned corner = 0; corner < (1u << s->nax); corner++) {
    size_t at = 0;
    int sign = 1;
    for (size_t i = 0; i < s->nax; i++) {
      if (corner & (1u << i)) {
        at += (size_t)(hi[i] + 1) * s->pstride[i];
      } else {
        at += (size_t)lo[i] * s->pstride[i];
        sign = -sign;
      }
    }
    sum += sign * (long)s->count[z][at];
  }
  return sum;
}

static long
box_volume(const struct search *s, const int *lo, const int *hi)
{
  long v = 1;
  for (size_t i = 0; i < s->nax; i++)
    v *= hi[i] - lo[i] + 1;
  return v;
}

/* The box [lo, hi] is one zone other than the chip's: 1 and *zone, else 0. */
static int
box_good(struct search *s, const int *lo, const int *hi, enum tpp_zone *zone)
{
  size_t first = 0;
  enum tpp_zone z;
  s->work++;
  for (size_t i = 0; i < s->nax; i++)
    first += (size_t)lo[i] * s->cstride[i];
  z = (enum tpp_zone)s->zone[first];
  if (z == s->c->zone || box_count(s, z, lo, hi) != box_volume(s, lo, hi))
    return 0;
  *zone = z;
  return 1;
}

/* The box's conditions that say something (metrics whose run is not every cell). */
static void
box_to_scenario(const struct search *s, const struct box *bx, struct tpp_scenario *sc)
{
  sc->n_conds = 0;
  sc->zone = bx->zone;
  for (size_t i = 0; i < s->nax; i++) {
    const struct axis *x = &s->ax[i];
    struct tpp_condition *cd;
    if (bx->a[i] == 0 && (size_t)bx->b[i] == x->n)
      continue;
    cd = &sc->conds[sc->n_conds++];
    cd->metric = x->metric;
    cd->lo = cell_lo(x, bx->a[i]);
    cd->hi = cell_hi(x, bx->b[i]);
    cd->holds = x->cur >= bx->a[i] && x->cur <= bx->b[i];
  }
}

/* The deciding clause of a box: that of every cell, or NULL when they differ or none. */
static const char *
box_clause(const struct search *s, const struct box *bx)
{
  int idx[TPP_METRIC_COUNT], k = -2;
  for (size_t i = 0; i < s->nax; i++)
    idx[i] = bx->a[i];
  for (;;) {
    size_t at = 0, i;
    for (i = 0; i < s->nax; i++)
      at += (size_t)idx[i] * s->cstride[i];
    if (k == -2)
      k = s->clause[at];
    else if (k != s->clause[at])
      return NULL;
    for (i = 0; i < s->nax; i++) {
      if (idx[i] < bx->b[i]) {
        idx[i]++;
        break;
      }
      idx[i] = bx->a[i];
    }
    if (i == s->nax)
      break;
  }
  return k >= 0 ? s->rs->clauses[k].id : NULL;
}

/* Conditions the chip does not meet: fewer first. */
static size_t
changes(const struct search *s, const struct box *bx)
{
  size_t n = 0;
  for (size_t i = 0; i < s->nax; i++) {
    const struct axis *x = &s->ax[i];
    if (bx->a[i] == 0 && (size_t)bx->b[i] == x->n)
      continue;
    n += !(x->cur >= bx->a[i] && x->cur <= bx->b[i]);
  }
  return n;
}

/* Order of the alternatives: fewest changes, white first (the usual question), then the
 * order of the runs, the last metric's first. */
static int
before(const struct search *s, const struct box *x, const struct box *y)
{
  size_t cx = changes(s, x), cy = changes(s, y);
  if (cx != cy)
    return cx < cy;
  if (x->zone != y->zone)
    return x->zone < y->zone;
  for (size_t i = s->nax; i-- > 0;) {
    if (x->a[i] != y->a[i])
      return x->a[i] < y->a[i];
    if (x->b[i] != y->b[i])
      return x->b[i] < y->b[i];
  }
  return 0;
}

/* A maximal one-zone box: kept when it is among the TPP_MAX_ALTERNATIVES best. */
static void
keep(struct search *s, const struct box *bx)
{
  size_t pos = s->n_best;
  s->n_maximal++;
  while (pos > 0 && before(s, bx, &s->best[pos - 1]))
    pos--;
  if (pos >= TPP_MAX_ALTERNATIVES)
    return;
  if (s->n_best < TPP_MAX_ALTERNATIVES)
    s->n_best++;
  memmove(&s->best[pos + 1], &s->best[pos], (s->n_best - 1 - pos) * sizeof(*bx));
  s->best[pos] = *bx;
}

/* No one-cell step outwards on a metric other than the last keeps the box one zone z (the
 * last metric's run is maximal by construction). */
static int
maximal(struct search *s, int *lo, int *hi, enum tpp_zone z)
{
  for (size_t i = 1; i < s->nax; i++) {
    enum tpp_zone zz;
    int good;
    if (lo[i] > 0) {
      lo[i]--;
      good = box_good(s, lo, hi, &zz) && zz == z;
      lo[i]++;
      if (good)
        return 0;
    }
    if ((size_t)hi[i] < s->ax[i].n) {
      hi[i]++;
      good = box_good(s, lo, hi, &zz) && zz == z;
      hi[i]--;
      if (good)
        return 0;
    }
  }
  return 1;
}

/* The runs of metric `level` with those above it fixed, down to metric 0, whose columns
 * (one cell of metric 0 each) are scanned for the maximal runs of one zone.  1 when some
 * box of this subtree is one zone other than the chip's. */
static int
search_level(struct search *s, size_t level)
{
  int lo[TPP_METRIC_COUNT], hi[TPP_METRIC_COUNT], any = 0;
  for (size_t i = 0; i < s->nax; i++) {
    lo[i] = s->ax[i].a;
    hi[i] = s->ax[i].b;
  }
  if (level == 0) {
    struct box bx;
    int start = -1;
    enum tpp_zone run_zone = TPP_ZONE_INDETERMINATE;
    for (int col = 0; col <= (int)s->ax[0].n + 1; col++) {
      enum tpp_zone z = TPP_ZONE_INDETERMINATE;
      int good = 0;
      if (col <= (int)s->ax[0].n) {
        lo[0] = hi[0] = col;
        good = box_good(s, lo, hi, &z);
      }
      if (start >= 0 && (!good || z != run_zone)) {
        /* the run [start, col - 1] of metric 0 is maximal along it */
        lo[0] = start;
        hi[0] = col - 1;
        if (maximal(s, lo, hi, run_zone)) {
          for (size_t i = 0; i < s->nax; i++) {
            bx.a[i] = (unsigned char)lo[i];
            bx.b[i] = (unsigned char)hi[i];
          }
          bx.zone = run_zone;
          keep(s, &bx);
        }
        start = -1;
      }
      if (good && start < 0) {
        start = col;
        run_zone = z;
      }
      any |= good;
    }
    return any;
  }
  for (int a = 0; a <= (int)s->ax[level].n; a++)
    for (int b = a; b <= (int)s->ax[level].n; b++) {
      s->ax[level].a = a;
      s->ax[level].b = b;
      /* A run with no one-zone completion: every longer run holds it. */
      if (!search_level(s, level - 1))
        break;
      any = 1;
    }
  return any;
}

/* The zone and clause of every cell, and the prefix counts of each zone. */
static int
fill_cells(struct search *s)
{
  size_t ncells = 1, nprefix = 1;
  int idx[TPP_METRIC_COUNT] = {0};
  double v[TPP_METRIC_COUNT];

  for (size_t i = 0; i < s->nax; i++) {
    s->cstride[i] = ncells;
    s->pstride[i] = nprefix;
    ncells *= s->ax[i].n + 1;
    nprefix *= s->ax[i].n + 2;
  }
  s->zone = malloc(ncells);
  s->clause = malloc(ncells);
  s->count[0] = calloc(nprefix * TPP_ZONE_COUNT, sizeof(uint16_t));
  if (!s->zone || !s->clause || !s->count[0])
    return TPP_ENOMEM;
  for (int z = 1; z < TPP_ZONE_COUNT; z++)
    s->count[z] = s->count[0] + (size_t)z * nprefix;
  for (int m = 0; m < TPP_METRIC_COUNT; m++)
    v[m] = NAN;
  for (size_t at = 0; at < ncells; at++) {
    size_t p = 0;
    int k;
    for (size_t i = 0; i < s->nax; i++) {
      idx[i] = (int)(at / s->cstride[i] % (s->ax[i].n + 1));
      v[s->ax[i].metric] = cell_lo(&s->ax[i], idx[i]);
      p += (size_t)(idx[i] + 1) * s->pstride[i];
    }
    k = tpp_rules_first_match(s->rs, s->c->datacenter, v);
    s->zone[at] = (unsigned char)(k < 0 ? TPP_ZONE_WHITE : s->rs->clauses[k].zone);
    s->clause[at] = (signed char)k;
    s->count[s->zone[at]][p] = 1;
  }
  /* Prefix sums along each axis in turn. */
  for (size_t i = 0; i < s->nax; i++)
    for (size_t p = 0; p < nprefix; p++)
      if (p / s->pstride[i] % (s->ax[i].n + 2) > 0)
        for (int z = 0; z < TPP_ZONE_COUNT; z++)
          s->count[z][p] += s->count[z][p - s->pstride[i]];
  return 0;
}

static int
find_alternatives(const struct tpp_ruleset *rs, const struct tpp_classification *c,
                  struct tpp_explanation *out)
{
  struct search *s = calloc(1, sizeof(*s));
  int err = 0;

  if (!s)
    return TPP_ENOMEM;
  s->rs = rs;
  s->c = c;
  for (int m = 0; m < TPP_METRIC_COUNT; m++) {
    struct axis *x = &s->ax[s->nax];
    double v = tpp_classification_value(c, (enum tpp_metric)m);
    x->metric = (enum tpp_metric)m;
    x->n = tpp_rules_thresholds(rs, c->datacenter, x->metric, x->t, TPP_RULES_MAX_THRESHOLDS);
    if (x->n == 0)
      continue;
    x->cur = -1;
    if (!isnan(v))
      for (size_t i = 0; i <= x->n; i++)
        if (v >= cell_lo(x, (int)i) && v < cell_hi(x, (int)i))
          x->cur = (int)i;
    s->nax++;
  }
  if (s->nax > 0 && (err = fill_cells(s)) == 0) {
    search_level(s, s->nax - 1);
    for (size_t i = 0; i < s->n_best; i++) {
      struct tpp_scenario *sc = &out->alternatives[out->n_alternatives++];
      box_to_scenario(s, &s->best[i], sc);
      sc->clause = box_clause(s, &s->best[i]);
    }
    out->n_dropped = s->n_maximal - s->n_best;
  }
  out->work = s->work;
  free(s->zone);
  free(s->clause);
  free(s->count[0]);
  free(s);
  return err;
}

/* The zone as a function of TPP with the die area fixed: cut the TPP axis at every TPP
 * threshold and at every PD threshold times the area. */
static void
same_die(const struct tpp_ruleset *rs, const struct tpp_classification *c,
         struct tpp_explanation *out)
{
  double tt[TPP_RULES_MAX_THRESHOLDS], pt[TPP_RULES_MAX_THRESHOLDS];
  double cut[2 * TPP_RULES_MAX_THRESHOLDS + 1];
  size_t ntt, npt, nc = 0;
  double area = c->die_area_mm2;

  if (!(area > 0) || isnan(c->tpp))
    return;
  ntt = tpp_rules_thresholds(rs, c->datacenter, TPP_METRIC_TPP, tt, TPP_RULES_MAX_THRESHOLDS);
  npt = tpp_rules_thresholds(rs, c->datacenter, TPP_METRIC_PD, pt, TPP_RULES_MAX_THRESHOLDS);
  cut[nc++] = 0;
  for (size_t i = 0; i < ntt; i++)
    cut[nc++] = tt[i];
  for (size_t i = 0; i < npt; i++)
    cut[nc++] = pt[i] * area;
  /* sort, unique */
  for (size_t i = 1; i < nc; i++)
    for (size_t j = i; j > 0 && cut[j - 1] > cut[j]; j--) {
      double t = cut[j];
      cut[j] = cut[j - 1];
      cut[j - 1] = t;
    }
  out->die_area_mm2 = area;
  for (size_t i = 0; i < nc; i++) {
    double lo = cut[i], hi = i + 1 < nc ? cut[i + 1] : INFINITY, v[TPP_METRIC_COUNT];
    struct tpp_tpp_segment *s;
    int k;
    if (i + 1 < nc && cut[i + 1] == lo)
      continue;
    /* Evaluate inside the segment, away from its rounded ends. */
    v[TPP_METRIC_TPP] = isinf(hi) ? 2 * lo + 1 : (lo + hi) / 2;
    v[TPP_METRIC_PD] = v[TPP_METRIC_TPP] / area;
    v[TPP_METRIC_INTERCONNECT] = c->interconnect_gbs;
    v[TPP_METRIC_DRAM_BW] = c->dram_bw_gbs;
    k = tpp_rules_first_match(rs, c->datacenter, v);
    if (out->n_same_die > 0) {
      s = &out->same_die[out->n_same_die - 1];
      if (s->zone == (k < 0 ? TPP_ZONE_WHITE : rs->clauses[k].zone) &&
          (k < 0 ? s->clause == NULL : s->clause && strcmp(s->clause, rs->clauses[k].id) == 0)) {
        s->hi = hi;
        continue;
      }
    }
    if (out->n_same_die == TPP_MAX_SAME_DIE)
      break;
    s = &out->same_die[out->n_same_die++];
    s->lo = lo;
    s->hi = hi;
    s->zone = k < 0 ? TPP_ZONE_WHITE : rs->clauses[k].zone;
    s->clause = k < 0 ? NULL : rs->clauses[k].id;
  }
}

int
tpp_explain(const struct tpp_ruleset *rs, const struct tpp_classification *c,
            struct tpp_explanation *out)
{
  if (!rs || !c || !out)
    return TPP_EINVAL;
  memset(out, 0, sizeof(*out));
  out->die_area_mm2 = NAN;
  if (c->zone == TPP_ZONE_INDETERMINATE)
    return 0;
  same_die(rs, c, out);
  return find_alternatives(rs, c, out);
}

json_t *
tpp_explanation_to_json(const struct tpp_explanation *e)
{
  json_t *alts = json_array(), *segs = json_array(), *sd;
  for (size_t i = 0; i < e->n_alternatives; i++)
    json_array_append_new(alts, tpp_scenario_to_json(&e->alternatives[i]));
  for (size_t i = 0; i < e->n_same_die; i++) {
    const struct tpp_tpp_segment *s = &e->same_die[i];
    json_array_append_new(segs, json_pack("{s:f, s:o, s:s, s:o}", "min_tpp", s->lo, "below_tpp",
                                          isinf(s->hi) ? json_null() : json_real(s->hi), "zone",
                                          tpp_zone_name(s->zone), "clause",
                                          s->clause ? json_string(s->clause) : json_null()));
  }
  sd = e->n_same_die ? json_pack("{s:f, s:o}", "die_area_mm2", e->die_area_mm2, "segments", segs)
                     : (json_decref(segs), json_null());
  return json_pack("{s:o, s:I, s:o}", "alternatives", alts, "alternatives_not_shown",
                   (json_int_t)e->n_dropped, "same_die", sd);
}

static void
print_outcome(FILE *out, enum tpp_zone z, const char *clause)
{
  if (clause)
    fprintf(out, "%s (%s)", tpp_zone_name(z), clause);
  else if (z == TPP_ZONE_WHITE)
    fprintf(out, "white (not controlled)");
  else
    fprintf(out, "%s", tpp_zone_name(z));
}

void
tpp_explanation_print(const struct tpp_explanation *e, FILE *out)
{
  for (size_t i = 0; i < e->n_alternatives; i++) {
    const struct tpp_scenario *sc = &e->alternatives[i];
    int any_holds = 0, first = 1;
    fprintf(out, "%s", i == 0 ? "would be   " : "           ");
    print_outcome(out, sc->zone, sc->clause);
    fprintf(out, " with ");
    for (size_t k = 0; k < sc->n_conds; k++) {
      char buf[96];
      if (sc->conds[k].holds) {
        any_holds = 1;
        continue;
      }
      tpp_condition_format(buf, sizeof(buf), &sc->conds[k]);
      fprintf(out, "%s%s", first ? "" : " and ", buf);
      first = 0;
    }
    if (any_holds) {
      fprintf(out, " (still ");
      first = 1;
      for (size_t k = 0; k < sc->n_conds; k++) {
        char buf[96];
        if (!sc->conds[k].holds)
          continue;
        tpp_condition_format(buf, sizeof(buf), &sc->conds[k]);
        fprintf(out, "%s%s", first ? "" : " and ", buf);
        first = 0;
      }
      fprintf(out, ")");
    }
    fprintf(out, "\n");
  }
  if (e->n_dropped)
    fprintf(out, "           (%zu more not shown)\n", e->n_dropped);
  for (size_t i = 0; i < e->n_same_die; i++) {
    const struct tpp_tpp_segment *s = &e->same_die[i];
    if (i == 0)
      fprintf(out, "same die    keeping %g mm²: ", e->die_area_mm2);
    else
      fprintf(out, "            ");
    if (s->lo == 0)
      fprintf(out, "TPP < %.6g: ", s->hi);
    else if (isinf(s->hi))
      fprintf(out, "TPP >= %.6g: ", s->lo);
    else
      fprintf(out, "%.6g <= TPP < %.6g: ", s->lo, s->hi);
    print_outcome(out, s->zone, s->clause);
    fprintf(out, "\n");
  }
}
