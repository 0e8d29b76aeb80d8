/* zonemap.c - the zones of a rule set on the TPP x PD plane (zonemap.h).  Each cell is
 * classified once, at a point inside it, by the same first-match the classifier uses. */
#include "tpp/zonemap.h"

#include <math.h>
#include <string.h>

/* A point strictly inside [lo, hi) (lo >= 0, hi > lo, hi may be INFINITY). */
static double
inside(double lo, double hi)
{
  if (isinf(hi))
    return lo > 0 ? lo * 2 : 1;
  return lo + (hi - lo) / 2;
}

/* 0, the thresholds, INFINITY; their number. */
static size_t
edges_of(const struct tpp_ruleset *rs, int datacenter, enum tpp_metric m, double *e, size_t cap)
{
  size_t n = tpp_rules_thresholds(rs, datacenter, m, e + 1, cap - 2);
  /* A threshold at 0 is the same edge as the start. */
  if (n > 0 && e[1] == 0) {
    memmove(e + 1, e + 2, (n - 1) * sizeof(e[0]));
    n--;
  }
  e[0] = 0;
  e[n + 1] = INFINITY;
  return n + 2;
}

/* An unknown metric the clauses test: its intervals, each tried at a point inside. */
struct unknown_metric {
  enum tpp_metric metric;
  double edges[TPP_RULES_MAX_THRESHOLDS + 2];
  size_t n_edges;
};

static void
classify_cell(struct tpp_zonemap *m, struct tpp_zonemap_cell *c, const struct unknown_metric *unk,
              size_t n_unk)
{
  double v[TPP_METRIC_COUNT];
  size_t combos = 1, tried = 0;
  int first = 1;

  for (size_t u = 0; u < n_unk; u++)
    combos *= unk[u].n_edges - 1;
  for (int k = 0; k < TPP_METRIC_COUNT; k++)
    v[k] = m->other[k];
  v[TPP_METRIC_TPP] = inside(c->tpp_lo, c->tpp_hi);
  v[TPP_METRIC_PD] = inside(c->pd_lo, c->pd_hi);
  c->depends = 0;
  for (size_t k = 0; k < combos; k++, tried++) {
    size_t rest = k;
    enum tpp_zone z;
    const char *clause;
    int idx;
    for (size_t u = 0; u < n_unk; u++) {
      size_t i = rest % (unk[u].n_edges - 1);
      rest /= unk[u].n_edges - 1;
      v[unk[u].metric] = inside(unk[u].edges[i], unk[u].edges[i + 1]);
    }
    idx = tpp_rules_first_match(m->rs, m->datacenter, v);
    z = idx < 0 ? TPP_ZONE_WHITE : m->rs->clauses[idx].zone;
    clause = idx < 0 ? NULL : m->rs->clauses[idx].id;
    if (first) {
      c->zone = c->zone_min = z;
      c->clause = clause;
      first = 0;
      continue;
    }
    if (z != c->zone || z != c->zone_min ||
        (clause != c->clause && (!clause || !c->clause || strcmp(clause, c->clause) != 0))) {
      /* Another outcome in another interval of an unknown metric: note which ones. */
      for (size_t u = 0; u < n_unk; u++)
        c->depends |= 1u << unk[u].metric;
      c->clause = NULL;
    }
    if (z > c->zone)
      c->zone = z;
    if (z < c->zone_min)
      c->zone_min = z;
  }
}

int
tpp_zonemap_build(const struct tpp_ruleset *rs, int datacenter,
                  const double other[TPP_METRIC_COUNT], struct tpp_zonemap *m)
{
  struct unknown_metric unk[TPP_METRIC_COUNT];
  size_t n_unk = 0;

  memset(m, 0, sizeof(*m));
  m->rs = rs;
  m->datacenter = datacenter;
  {
    double te[TPP_RULES_MAX_THRESHOLDS + 2], pe[TPP_RULES_MAX_THRESHOLDS + 2];
    size_t nt = edges_of(rs, datacenter, TPP_METRIC_TPP, te, TPP_RULES_MAX_THRESHOLDS + 2);
    size_t np = edges_of(rs, datacenter, TPP_METRIC_PD, pe, TPP_RULES_MAX_THRESHOLDS + 2);
    if (nt > TPP_ZONEMAP_MAX_EDGES || np > TPP_ZONEMAP_MAX_EDGES ||
        (nt - 1) * (np - 1) > TPP_ZONEMAP_MAX_CELLS)
      return TPP_EINVAL;
    memcpy(m->tpp_edges, te, nt * sizeof(te[0]));
    memcpy(m->pd_edges, pe, np * sizeof(pe[0]));
    m->n_tpp_edges = nt;
    m->n_pd_edges = np;
  }
  m->n_tpp = m->n_tpp_edges - 1;
  m->n_pd = m->n_pd_edges - 1;
  for (int k = 0; k < TPP_METRIC_COUNT; k++) {
    double t[TPP_RULES_MAX_THRESHOLDS];
    m->other[k] = other ? other[k] : NAN;
    if (k == TPP_METRIC_TPP || k == TPP_METRIC_PD)
      continue;
    if (tpp_rules_thresholds(rs, datacenter, (enum tpp_metric)k, t, TPP_RULES_MAX_THRESHOLDS) == 0)
      continue;
    m->other_used |= 1u << k;
    if (isnan(m->other[k])) {
      unk[n_unk].metric = (enum tpp_metric)k;
      unk[n_unk].n_edges = edges_of(rs, datacenter, (enum tpp_metric)k, unk[n_unk].edges,
                                    TPP_RULES_MAX_THRESHOLDS + 2);
      n_unk++;
    }
  }
  for (size_t j = 0; j < m->n_pd; j++)
    for (size_t i = 0; i < m->n_tpp; i++) {
      struct tpp_zonemap_cell *c = &m->cells[j * m->n_tpp + i];
      c->tpp_lo = m->tpp_edges[i];
      c->tpp_hi = m->tpp_edges[i + 1];
      c->pd_lo = m->pd_edges[j];
      c->pd_hi = m->pd_edges[j + 1];
      classify_cell(m, c, unk, n_unk);
    }
  return 0;
}

/* The interval [e[k], e[k + 1]) holding x. */
static size_t
interval_of(const double *e, size_t n_edges, double x)
{
  size_t k = 0;
  while (k + 2 < n_edges && x >= e[k + 1])
    k++;
  return k;
}

const struct tpp_zonemap_cell *
tpp_zonemap_at(const struct tpp_zonemap *m, double tpp, double pd)
{
  if (!isfinite(tpp) || !isfinite(pd) || tpp < 0 || pd < 0)
    return NULL;
  return &m->cells[interval_of(m->pd_edges, m->n_pd_edges, pd) * m->n_tpp +
                   interval_of(m->tpp_edges, m->n_tpp_edges, tpp)];
}
