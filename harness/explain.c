/* explain.c - alternative outcomes of a classification.  See explain.h for the method. */
#include "tpp/explain.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define MAX_CELLS (TPP_RULES_MAX_THRESHOLDS + 1)
#define MAX_BOXES 4096

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
  int clause; /* index, -1 none, -2 several */
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

/* Evaluate every cell of the current box; 1 when they share one zone. */
static int
box_uniform(const struct tpp_ruleset *rs, int datacenter, struct axis *ax, size_t nax,
            enum tpp_zone *zone, int *clause)
{
  int idx[TPP_METRIC_COUNT];
  double v[TPP_METRIC_COUNT];
  int first = 1;

  for (int m = 0; m < TPP_METRIC_COUNT; m++)
    v[m] = NAN;
  for (size_t i = 0; i < nax; i++)
    idx[i] = ax[i].a;
  for (;;) {
    int k;
    enum tpp_zone z;
    for (size_t i = 0; i < nax; i++)
      v[ax[i].metric] = cell_lo(&ax[i], idx[i]);
    k = tpp_rules_first_match(rs, datacenter, v);
    z = k < 0 ? TPP_ZONE_WHITE : rs->clauses[k].zone;
    if (first) {
      *zone = z;
      *clause = k;
      first = 0;
    } else if (z != *zone) {
      return 0;
    } else if (k != *clause) {
      *clause = -2;
    }
    /* next cell (odometer) */
    size_t i = 0;
    for (; i < nax; i++) {
      if (idx[i] < ax[i].b) {
        idx[i]++;
        break;
      }
      idx[i] = ax[i].a;
    }
    if (i == nax)
      return 1;
  }
}

static int
box_contains(const struct box *outer, const struct box *inner, size_t nax)
{
  for (size_t i = 0; i < nax; i++)
    if (outer->a[i] > inner->a[i] || outer->b[i] < inner->b[i])
      return 0;
  return 1;
}

/* Conditions of a box that say something: metrics whose run is not every cell. */
static void
box_to_scenario(const struct tpp_ruleset *rs, const struct box *bx, const struct axis *ax,
                size_t nax, struct tpp_scenario *sc)
{
  sc->n_conds = 0;
  sc->zone = bx->zone;
  sc->clause = bx->clause >= 0 ? rs->clauses[bx->clause].id : NULL;
  for (size_t i = 0; i < nax; i++) {
    struct tpp_condition *cd;
    if (bx->a[i] == 0 && (size_t)bx->b[i] == ax[i].n)
      continue;
    cd = &sc->conds[sc->n_conds++];
    cd->metric = ax[i].metric;
    cd->lo = cell_lo(&ax[i], bx->a[i]);
    cd->hi = cell_hi(&ax[i], bx->b[i]);
    cd->holds = ax[i].cur >= bx->a[i] && ax[i].cur <= bx->b[i];
  }
}

static size_t
changes(const struct tpp_scenario *sc)
{
  size_t n = 0;
  for (size_t i = 0; i < sc->n_conds; i++)
    n += !sc->conds[i].holds;
  return n;
}

static int
cmp_scenario(const void *pa, const void *pb)
{
  const struct tpp_scenario *a = pa, *b = pb;
  size_t ca = changes(a), cb = changes(b);
  if (ca != cb)
    return ca < cb ? -1 : 1;
  if (a->zone != b->zone)
    return a->zone < b->zone ? -1 : 1; /* white first: the usual question */
  return 0;
}

static int
find_alternatives(const struct tpp_ruleset *rs, const struct tpp_classification *c,
                  struct tpp_explanation *out)
{
  struct axis ax[TPP_METRIC_COUNT];
  struct box *boxes;
  size_t nax = 0, nb = 0;
  struct tpp_scenario all[TPP_MAX_ALTERNATIVES * 8];
  size_t n_all = 0;

  for (int m = 0; m < TPP_METRIC_COUNT; m++) {
    struct axis *x = &ax[nax];
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
    nax++;
  }
  if (nax == 0)
    return 0;
  if (!(boxes = malloc(MAX_BOXES * sizeof(*boxes))))
    return TPP_ENOMEM;

  /* Every run of cells per metric, as an odometer.  A metric whose value is unknown takes
   * every run too: its conditions never "hold". */
  for (size_t i = 0; i < nax; i++)
    ax[i].a = ax[i].b = 0;
  for (;;) {
    enum tpp_zone z = TPP_ZONE_WHITE;
    int k = -1;
    if (box_uniform(rs, c->datacenter, ax, nax, &z, &k) && z != c->zone && nb < MAX_BOXES) {
      for (size_t i = 0; i < nax; i++) {
        boxes[nb].a[i] = (unsigned char)ax[i].a;
        boxes[nb].b[i] = (unsigned char)ax[i].b;
      }
      boxes[nb].zone = z;
      boxes[nb].clause = k;
      nb++;
    }
    size_t i = 0;
    for (; i < nax; i++) {
      if ((size_t)ax[i].b < ax[i].n) {
        ax[i].b++;
        break;
      }
      if ((size_t)ax[i].a < ax[i].n) {
        ax[i].a++;
        ax[i].b = ax[i].a;
        break;
      }
      ax[i].a = ax[i].b = 0;
    }
    if (i == nax)
      break;
  }

  /* Keep the maximal boxes of each zone. */
  for (size_t i = 0; i < nb; i++) {
    int kept = 1;
    for (size_t j = 0; j < nb && kept; j++)
      if (j != i && boxes[j].zone == boxes[i].zone && box_contains(&boxes[j], &boxes[i], nax) &&
          !(box_contains(&boxes[i], &boxes[j], nax) && j > i))
        kept = 0;
    if (!kept)
      continue;
    if (n_all < sizeof(all) / sizeof(all[0]))
      box_to_scenario(rs, &boxes[i], ax, nax, &all[n_all++]);
    else
      out->n_dropped++;
  }
  free(boxes);
  qsort(all, n_all, sizeof(all[0]), cmp_scenario);
  for (size_t i = 0; i < n_all; i++) {
    if (out->n_alternatives < TPP_MAX_ALTERNATIVES)
      out->alternatives[out->n_alternatives++] = all[i];
    else
      out->n_dropped++;
  }
  return 0;
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
  return json_pack("{s:o, s:o}", "alternatives", alts, "same_die", sd);
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
