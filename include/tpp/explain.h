/* explain.h - what would move a chip to another zone.
 *
 * For a vendor before export: given a classification, the least restrictive conditions on
 * the rule set's metrics under which the outcome would be another zone ("with TPP < 4800
 * and PD < 1.6 it would be white"), and, when the die area is known, the zone as a function
 * of TPP on the same die (the lever a vendor actually has: fusing or clocking down).
 *
 * Every rule-set condition is an interval on one metric, so the metric space splits into
 * cells (the intervals between consecutive thresholds) with one outcome each.  A box is a
 * run of consecutive cells per metric; the alternatives are the boxes whose cells all give
 * one zone other than the chip's, keeping only the maximal ones (no larger such box holds
 * them).  Metrics are treated as independent: PD = TPP / area ties them only through the
 * same-die list.  Every maximal box is found (none is dropped unexamined) in bounded work:
 * explain.c and docs/rules.md ("Limits") say how much.
 */
#ifndef TPP_EXPLAIN_H
#define TPP_EXPLAIN_H

#include <jansson.h>
#include <stdio.h>

#include "tpp/rules.h"

#define TPP_MAX_ALTERNATIVES 12
#define TPP_MAX_SAME_DIE 16

struct tpp_tpp_segment {
  double lo, hi; /* lo <= TPP < hi; hi INFINITY for the last */
  enum tpp_zone zone;
  const char *clause;
};

struct tpp_explanation {
  struct tpp_scenario alternatives[TPP_MAX_ALTERNATIVES];
  size_t n_alternatives;
  size_t n_dropped;    /* maximal alternatives found beyond the TPP_MAX_ALTERNATIVES shown */
  size_t work;         /* box look-ups the search made (bounded: docs/rules.md, "Limits") */
  double die_area_mm2; /* for same_die; NAN when unknown */
  struct tpp_tpp_segment same_die[TPP_MAX_SAME_DIE];
  size_t n_same_die;
};

/* Fills out for a decided classification made with rs (keep rs alive: clause pointers).
 * An indeterminate classification has no alternatives (the reason already lists the
 * outcomes).  0, TPP_EINVAL, TPP_ENOMEM. */
int tpp_explain(const struct tpp_ruleset *rs, const struct tpp_classification *c,
                struct tpp_explanation *out);

/* {"alternatives": [scenario...], "alternatives_not_shown": N, "same_die": {"die_area_mm2",
 * "segments": [{"min_tpp", "below_tpp", "zone", "clause"}]} or null} */
json_t *tpp_explanation_to_json(const struct tpp_explanation *e);
void tpp_explanation_print(const struct tpp_explanation *e, FILE *out);

#endif
