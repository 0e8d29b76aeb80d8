/* zonemap.h - the zones of a rule set as regions of the plane of TPP and performance
 * density, computed from the rule set's clauses (nothing about a rule lives here).
 *
 * The thresholds that the clauses applying to a chip (datacenter or not) put on TPP and on
 * PD cut the plane into rectangular cells [tpp_lo, tpp_hi) x [pd_lo, pd_hi), the half-open
 * intervals of the rule's wording ("or more" inclusive, "less than" exclusive).  No clause
 * changes its verdict inside a cell, so one evaluation per cell gives its zone exactly.
 *
 * Rule sets that also test another metric (the 2022 interconnect rule, the 2026 DRAM
 * bandwidth policy) are drawn for the chip's value of it; when that value is unknown, every
 * interval of it is tried and a cell whose zone depends on it says so (depends, with the
 * least and the most severe zone).
 */
#ifndef TPP_ZONEMAP_H
#define TPP_ZONEMAP_H

#include <stddef.h>

#include "tpp/rules.h"

/* TPP and PD share TPP_RULES_MAX_THRESHOLDS distinct thresholds: at most 17 x 17 cells. */
#define TPP_ZONEMAP_MAX_EDGES (TPP_RULES_MAX_THRESHOLDS / 2 + 2)
#define TPP_ZONEMAP_MAX_CELLS \
  ((TPP_RULES_MAX_THRESHOLDS / 2 + 1) * (TPP_RULES_MAX_THRESHOLDS / 2 + 1))

struct tpp_zonemap_cell {
  double tpp_lo, tpp_hi; /* [lo, hi): 0 and INFINITY at the open ends */
  double pd_lo, pd_hi;
  enum tpp_zone zone;     /* the zone; when it depends on an unknown metric, the most severe */
  enum tpp_zone zone_min; /* the least severe possible zone (== zone unless it depends) */
  const char *clause;     /* the deciding clause's id; NULL when not controlled or depends */
  unsigned depends;       /* bits (1u << metric): unknown metrics the zone depends on */
};

struct tpp_zonemap {
  const struct tpp_ruleset *rs;
  int datacenter;
  /* The edges of the cells on each axis: 0, the thresholds in ascending order, INFINITY. */
  double tpp_edges[TPP_ZONEMAP_MAX_EDGES];
  size_t n_tpp_edges;
  double pd_edges[TPP_ZONEMAP_MAX_EDGES];
  size_t n_pd_edges;
  /* Metrics other than TPP and PD: the values the map was drawn for (NAN unknown), and
   * which of them a clause applying to the chip tests (bit 1u << metric). */
  double other[TPP_METRIC_COUNT];
  unsigned other_used;
  /* Row-major: cell (i, j) is TPP interval i, PD interval j, at cells[j * n_tpp + i]. */
  struct tpp_zonemap_cell cells[TPP_ZONEMAP_MAX_CELLS];
  size_t n_tpp, n_pd; /* intervals on each axis (edges - 1) */
};

/* The regions of rs for a chip with this datacenter flag; `other` gives the chip's values of
 * the metrics other than TPP and PD (NULL or NAN entries: unknown).  The map points into rs:
 * keep rs alive.  0, or TPP_EINVAL for a rule set with too many thresholds. */
int tpp_zonemap_build(const struct tpp_ruleset *rs, int datacenter,
                      const double other[TPP_METRIC_COUNT], struct tpp_zonemap *m);

/* The cell holding (tpp, pd), or NULL when either is not a finite number >= 0. */
const struct tpp_zonemap_cell *tpp_zonemap_at(const struct tpp_zonemap *m, double tpp, double pd);

#endif
