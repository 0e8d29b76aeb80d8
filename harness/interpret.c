/* interpret.c - classification under every reading of the rule a rule set admits (the
 * highest or the aggregate TPP, TF32 at 32 or 19 bits): the verdict under the chosen
 * reading, and which other readings would give another zone ("interpretation-sensitive").
 * See rules.h and docs/rules.md. */
#include "tpp/rules.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* TPP and its spread under one reading.  The spread ends are read from the figures' lowest
 * and highest samples the same way as the median. */
static double
read_facts(const struct tpp_figures *fig, const struct tpp_reading *r, struct tpp_peak *tmp,
           struct tpp_chip_facts *f)
{
  size_t best[2];
  f->tpp = tpp_tpp_read(fig->peaks, fig->n, r, best);
  f->tpp_lo = f->tpp_hi = NAN;
  /* A lower bound when a figure that sets TPP under this reading is one. */
  f->tpp_lower_bound = 0;
  for (int k = 0; k < 2 && fig->lower_bound && !isnan(f->tpp); k++)
    f->tpp_lower_bound |= best[k] < fig->n && fig->lower_bound[best[k]];
  /* The TPP with the unchecked figures in, when they would raise it. */
  f->tpp_unchecked = NAN;
  if (fig->n_unchecked > 0) {
    double u;
    memcpy(tmp, fig->peaks, fig->n * sizeof(*tmp));
    memcpy(tmp + fig->n, fig->unchecked, fig->n_unchecked * sizeof(*tmp));
    u = tpp_tpp_read(tmp, fig->n + fig->n_unchecked, r, NULL);
    if (u > f->tpp || (isnan(f->tpp) && !isnan(u)))
      f->tpp_unchecked = u;
  }
  if (fig->lo && fig->hi && !isnan(f->tpp)) {
    memcpy(tmp, fig->peaks, fig->n * sizeof(*tmp));
    for (size_t i = 0; i < fig->n; i++)
      tmp[i].tops = isnan(fig->lo[i]) ? fig->peaks[i].tops : fig->lo[i];
    f->tpp_lo = tpp_tpp_read(tmp, fig->n, r, NULL);
    for (size_t i = 0; i < fig->n; i++)
      tmp[i].tops = isnan(fig->hi[i]) ? fig->peaks[i].tops : fig->hi[i];
    f->tpp_hi = tpp_tpp_read(tmp, fig->n, r, NULL);
  }
  return f->tpp;
}

void
tpp_classification_unknown(struct tpp_classification *out, const struct tpp_ruleset *rs,
                           const char *reason)
{
  memset(out, 0, sizeof(*out));
  out->rules_id = rs ? rs->id : NULL;
  out->tpp = out->pd = out->die_area_mm2 = NAN;
  out->interconnect_gbs = out->dram_bw_gbs = NAN;
  out->datacenter = 1;
  out->zone = TPP_ZONE_INDETERMINATE;
  snprintf(out->reason, sizeof(out->reason), "%s", reason ? reason : "not classified");
  if (rs)
    out->reading = rs->readings.chosen;
}

int
tpp_classify_figures(const struct tpp_ruleset *rs, const struct tpp_chip_facts *base,
                     const struct tpp_figures *fig, struct tpp_classification *out)
{
  struct tpp_reading all[TPP_MAX_READINGS];
  struct tpp_classification *alt = NULL;
  struct tpp_peak *tmp = NULL;
  struct tpp_chip_facts f;
  size_t n;
  int err = 0;

  if (!rs || !base || !fig || !out || (fig->n && !fig->peaks) ||
      (fig->n_unchecked && !fig->unchecked))
    return TPP_EINVAL;
  n = tpp_ruleset_readings(rs, all);
  alt = malloc(sizeof(*alt));
  tmp = malloc((fig->n + fig->n_unchecked + 1) * sizeof(*tmp));
  if (!alt || !tmp) {
    err = TPP_ENOMEM;
    goto out;
  }
  f = *base;
  if (isnan(read_facts(fig, &all[0], tmp, &f)) && fig->n > 0) {
    err = TPP_EINVAL; /* aggregate reading of figures whose units are unknown */
    goto out;
  }
  if ((err = tpp_classify(rs, &f, out)) != 0)
    goto out;
  out->reading = all[0];
  out->n_readings = 0;
  out->interpretation_sensitive = 0;
  for (size_t i = 1; i < n; i++) {
    struct tpp_reading_outcome *o = &out->readings[out->n_readings++];
    memset(o, 0, sizeof(*o));
    o->reading = all[i];
    o->tpp = NAN;
    o->zone = TPP_ZONE_INDETERMINATE;
    f = *base;
    if (isnan(read_facts(fig, &all[i], tmp, &f)) && fig->n > 0) {
      snprintf(o->why, sizeof(o->why),
               "the figures do not say which unit (vector or matrix) each runs on");
      continue;
    }
    if ((err = tpp_classify(rs, &f, alt)) != 0)
      goto out;
    o->evaluated = 1;
    o->tpp = alt->tpp;
    o->zone = alt->zone;
    o->clause = alt->clause;
    o->differs = alt->zone != out->zone;
    out->interpretation_sensitive |= o->differs;
  }
out:
  free(alt);
  free(tmp);
  return err;
}
