/* classify.c - apply a rule set to a chip's TPP, performance density and datacenter flag:
 * first matching clause, margins to every threshold, and, when the die area is unknown,
 * the outcome as a function of the area.  Also the JSON and terminal renderings.
 *
 * Unknown die area: PD = TPP / A for an area A in (0, inf), so "pd >= t" holds exactly when
 * A <= TPP/t and "pd < t" exactly when A > TPP/t.  The breakpoints TPP/t cut (0, inf) into
 * open pieces and single points; within a piece no PD condition changes, so one evaluation
 * per piece (comparing against breakpoints, never dividing again) gives the exact outcome.
 */
#include "tpp/rules.h"

#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tpp/metrics.h"

/* The chip's values as a clause sees them.  PD comes from v[TPP_METRIC_PD] when the area
 * is known; otherwise from a piece of the area axis: either the single area `lo`
 * (is_point) or the open interval (lo, hi), where no breakpoint lies strictly inside. */
struct probe {
  double v[TPP_METRIC_COUNT];
  int area_known;
  double lo, hi;
  int is_point;
};

/* The area at which PD equals t: PD >= t <=> A <= breakpoint(t). */
static double
breakpoint(double tpp, double t)
{
  if (t == 0)
    return INFINITY;
  return tpp / t;
}

static int
pd_at_least(const struct probe *p, double t)
{
  double b;
  if (p->area_known)
    return p->v[TPP_METRIC_PD] >= t;
  b = breakpoint(p->v[TPP_METRIC_TPP], t);
  return p->is_point ? p->lo <= b : b >= p->hi;
}

static int
pd_below(const struct probe *p, double t)
{
  double b;
  if (p->area_known)
    return p->v[TPP_METRIC_PD] < t;
  b = breakpoint(p->v[TPP_METRIC_TPP], t);
  return p->is_point ? p->lo > b : b <= p->lo;
}

static int
scope_applies(enum tpp_scope s, int datacenter)
{
  switch (s) {
  case TPP_SCOPE_DATACENTER:
    return datacenter;
  case TPP_SCOPE_NON_DATACENTER:
    return !datacenter;
  case TPP_SCOPE_ALL:
  default:
    return 1;
  }
}

static int
clause_matches(const struct tpp_clause *cl, const struct probe *p)
{
  for (int m = 0; m < TPP_METRIC_COUNT; m++) {
    const struct tpp_bound *b = &cl->when[m];
    if (!b->used)
      continue;
    if (m == TPP_METRIC_PD) {
      if (b->has_min && !pd_at_least(p, b->min))
        return 0;
      if (b->has_below && !pd_below(p, b->below))
        return 0;
      continue;
    }
    if (b->has_min && !(p->v[m] >= b->min))
      return 0;
    if (b->has_below && !(p->v[m] < b->below))
      return 0;
  }
  return 1;
}

/* Index of the first clause that applies to the chip and matches, or -1. */
static int
first_match(const struct tpp_ruleset *rs, int datacenter, const struct probe *p)
{
  for (size_t i = 0; i < rs->n_clauses; i++) {
    const struct tpp_clause *cl = &rs->clauses[i];
    if (scope_applies(cl->scope, datacenter) && clause_matches(cl, p))
      return (int)i;
  }
  return -1;
}

int
tpp_rules_first_match(const struct tpp_ruleset *rs, int datacenter,
                      const double v[TPP_METRIC_COUNT])
{
  struct probe p;
  memcpy(p.v, v, sizeof(p.v));
  p.area_known = 1;
  p.lo = p.hi = NAN;
  p.is_point = 1;
  return first_match(rs, datacenter, &p);
}

static void
add_margin(struct tpp_classification *out, enum tpp_metric m, double threshold)
{
  size_t i;
  for (i = 0; i < out->n_margins; i++)
    if (out->margins[i].metric == m && out->margins[i].threshold == threshold)
      return;
  /* The parser caps distinct thresholds at TPP_RULES_MAX_THRESHOLDS. */
  if (out->n_margins >= TPP_RULES_MAX_THRESHOLDS)
    return;
  /* Insert in order: metric, then threshold. */
  for (i = out->n_margins; i > 0; i--) {
    const struct tpp_margin *prev = &out->margins[i - 1];
    if (prev->metric < m || (prev->metric == m && prev->threshold < threshold))
      break;
    out->margins[i] = *prev;
  }
  out->margins[i].metric = m;
  out->margins[i].threshold = threshold;
  out->n_margins++;
}

static void
fill_margins(const struct tpp_ruleset *rs, struct tpp_classification *out)
{
  for (size_t i = 0; i < rs->n_clauses; i++) {
    const struct tpp_clause *cl = &rs->clauses[i];
    if (!scope_applies(cl->scope, out->datacenter))
      continue;
    for (int m = 0; m < TPP_METRIC_COUNT; m++) {
      const struct tpp_bound *b = &cl->when[m];
      if (!b->used)
        continue;
      if (b->has_min)
        add_margin(out, (enum tpp_metric)m, b->min);
      if (b->has_below)
        add_margin(out, (enum tpp_metric)m, b->below);
    }
  }
  for (size_t i = 0; i < out->n_margins; i++) {
    struct tpp_margin *mg = &out->margins[i];
    mg->value = tpp_classification_value(out, mg->metric);
    mg->margin = isnan(mg->value) ? NAN : mg->value - mg->threshold;
  }
}

/* Appends to a fixed buffer, silently truncating. */
struct textbuf {
  char *s;
  size_t len, used;
};

static void tb_add(struct textbuf *tb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void
tb_add(struct textbuf *tb, const char *fmt, ...)
{
  va_list ap;
  int n;
  if (tb->used >= tb->len)
    return;
  va_start(ap, fmt);
  n = vsnprintf(tb->s + tb->used, tb->len - tb->used, fmt, ap);
  va_end(ap);
  if (n > 0)
    tb->used += (size_t)n;
}

/* Reasons are sentences. */
static void
capitalise(char *s)
{
  s[0] = (char)toupper((unsigned char)s[0]);
}

static const char *
chip_kind(int datacenter)
{
  return datacenter ? "datacenter" : "non-datacenter";
}

/* v to 6 significant digits, or more where 6 would print a threshold that v is not equal
 * to, so that "PD 5.92 < 5.92" or "TPP 4800" for 4799.999 never appears. */
static const char *
fmt_value(char *buf, size_t len, double v, const struct tpp_classification *c)
{
  for (int prec = 6; prec < 17; prec++) {
    double back;
    int clash = 0;
    snprintf(buf, len, "%.*g", prec, v);
    back = strtod(buf, NULL);
    for (size_t i = 0; i < c->n_margins; i++)
      if (back == c->margins[i].threshold && v != c->margins[i].threshold)
        clash = 1;
    if (!clash)
      return buf;
  }
  snprintf(buf, len, "%.17g", v);
  return buf;
}

/* "TPP 2896 >= 2400 and < 4800, PD 4.75924 >= 1.6 and < 5.92" for the clause's bounds. */
static void
describe_conditions(struct textbuf *tb, const struct tpp_clause *cl,
                    const struct tpp_classification *c)
{
  int any = 0;
  for (int m = 0; m < TPP_METRIC_COUNT; m++) {
    const struct tpp_bound *b = &cl->when[m];
    double v = tpp_classification_value(c, (enum tpp_metric)m);
    const char *label = tpp_metric_label((enum tpp_metric)m);
    char num[32];
    if (!b->used)
      continue;
    tb_add(tb, "%s%s", any ? ", " : "", label);
    if (isnan(v))
      tb_add(tb, " (unknown)");
    else
      tb_add(tb, " %s", fmt_value(num, sizeof(num), v, c));
    if (b->has_min)
      tb_add(tb, " >= %g", b->min);
    if (b->has_below)
      tb_add(tb, "%s < %g", b->has_min ? " and" : "", b->below);
    any = 1;
  }
  if (!any)
    tb_add(tb, "matched without conditions");
}

/* "TPP < 4800", "2400 <= TPP < 4800", "interconnect >= 600 GB/s", "any PD". */
static void
tb_condition(struct textbuf *tb, const struct tpp_condition *cd)
{
  const char *label = tpp_metric_label(cd->metric), *unit = tpp_metric_unit(cd->metric);
  int has_lo = cd->lo > 0, has_hi = isfinite(cd->hi);
  if (has_lo && has_hi)
    tb_add(tb, "%g <= %s < %g%s", cd->lo, label, cd->hi, unit);
  else if (has_lo)
    tb_add(tb, "%s >= %g%s", label, cd->lo, unit);
  else if (has_hi)
    tb_add(tb, "%s < %g%s", label, cd->hi, unit);
  else
    tb_add(tb, "any %s", label);
}

void
tpp_condition_format(char *buf, size_t len, const struct tpp_condition *cd)
{
  struct textbuf tb = {buf, len, 0};
  if (len == 0)
    return;
  buf[0] = '\0';
  tb_condition(&tb, cd);
}

/* "area <= 506.8 mm²", "506.8 < area <= 1875.0 mm²", "area > 1875.0 mm²", "any area". */
static void
describe_range(struct textbuf *tb, const struct tpp_area_range *r, const char *noun)
{
  int open_lo = r->lo == 0 && !r->lo_inclusive;
  int open_hi = isinf(r->hi);

  if (r->lo == r->hi) {
    tb_add(tb, "%s = %.1f mm²", noun, r->lo);
  } else if (open_lo && open_hi) {
    tb_add(tb, "any %s", noun);
  } else if (open_lo) {
    tb_add(tb, "%s %s %.1f mm²", noun, r->hi_inclusive ? "<=" : "<", r->hi);
  } else if (open_hi) {
    tb_add(tb, "%s %s %.1f mm²", noun, r->lo_inclusive ? ">=" : ">", r->lo);
  } else {
    tb_add(tb, "%.1f %s %s %s %.1f mm²", r->lo, r->lo_inclusive ? "<=" : "<", noun,
           r->hi_inclusive ? "<=" : "<", r->hi);
  }
}

static void
describe_outcome(struct textbuf *tb, enum tpp_zone z, const char *clause)
{
  if (clause)
    tb_add(tb, "%s (%s)", tpp_zone_name(z), clause);
  else if (z == TPP_ZONE_WHITE)
    tb_add(tb, "%s (not controlled)", tpp_zone_name(z));
  else
    tb_add(tb, "%s", tpp_zone_name(z));
}

static void
decide(const struct tpp_ruleset *rs, struct tpp_classification *out, int k)
{
  if (k < 0) {
    out->zone = TPP_ZONE_WHITE;
    out->clause = NULL;
    out->note = NULL;
    return;
  }
  out->zone = rs->clauses[k].zone;
  out->clause = rs->clauses[k].id;
  out->note = rs->clauses[k].note[0] ? rs->clauses[k].note : NULL;
}

static void
reason_decided(const struct tpp_ruleset *rs, struct tpp_classification *out, int k,
               int area_unknown)
{
  struct textbuf tb = {out->reason, sizeof(out->reason), 0};
  char num[32];

  if (k >= 0) {
    const struct tpp_clause *cl = &rs->clauses[k];
    describe_conditions(&tb, cl, out);
    if (cl->scope != TPP_SCOPE_ALL)
      tb_add(&tb, " (%s, %s chip)", cl->id, chip_kind(out->datacenter));
    else
      tb_add(&tb, " (%s)", cl->id);
  } else {
    tb_add(&tb, "no clause of %s matches a %s chip with TPP %s", rs->id, chip_kind(out->datacenter),
           fmt_value(num, sizeof(num), out->tpp, out));
    if (!area_unknown)
      tb_add(&tb, " and PD %s", fmt_value(num, sizeof(num), out->pd, out));
    tb_add(&tb, ": not controlled");
  }
  if (area_unknown)
    tb_add(&tb, ", whatever the die area");
  capitalise(out->reason);
}

/* Piece i of the area axis cut at bp[0..nb): even i are open intervals, odd i the points. */
static void
piece(const double *bp, size_t nb, size_t i, struct probe *p)
{
  size_t j = i / 2;
  if (i % 2 == 1) {
    p->is_point = 1;
    p->lo = p->hi = bp[j];
  } else {
    p->is_point = 0;
    p->lo = j == 0 ? 0.0 : bp[j - 1];
    p->hi = j == nb ? INFINITY : bp[j];
  }
}

static void
classify_unknown_area(const struct tpp_ruleset *rs, struct tpp_classification *out)
{
  double bp[2 * TPP_RULES_MAX_CLAUSES];
  int owner[TPP_RULES_MAX_RANGES];
  size_t nb = 0, npieces;
  struct probe probe;
  struct textbuf tb = {out->reason, sizeof(out->reason), 0};
  char num[32];

  probe.v[TPP_METRIC_TPP] = out->tpp;
  probe.v[TPP_METRIC_PD] = NAN;
  probe.v[TPP_METRIC_INTERCONNECT] = out->interconnect_gbs;
  probe.v[TPP_METRIC_DRAM_BW] = out->dram_bw_gbs;
  probe.area_known = 0;

  /* Breakpoints from the PD bounds of clauses that apply to this chip, sorted, unique. */
  for (size_t i = 0; i < rs->n_clauses; i++) {
    const struct tpp_clause *cl = &rs->clauses[i];
    const struct tpp_bound *b = &cl->when[TPP_METRIC_PD];
    double t[2];
    int nt = 0;
    if (!scope_applies(cl->scope, out->datacenter) || !b->used)
      continue;
    if (b->has_min)
      t[nt++] = b->min;
    if (b->has_below)
      t[nt++] = b->below;
    for (int k = 0; k < nt; k++) {
      double v = breakpoint(out->tpp, t[k]);
      size_t pos;
      int dup = 0;
      if (!(v > 0) || isinf(v))
        continue;
      for (pos = 0; pos < nb && bp[pos] <= v; pos++)
        if (bp[pos] == v)
          dup = 1;
      if (dup)
        continue;
      memmove(&bp[pos + 1], &bp[pos], (nb - pos) * sizeof(bp[0]));
      bp[pos] = v;
      nb++;
    }
  }
  /* The parser allows at most (TPP_RULES_MAX_RANGES - 1) / 2 distinct PD thresholds, so
   * the 2 nb + 1 pieces always fit. */
  npieces = 2 * nb + 1;
  if (npieces > TPP_RULES_MAX_RANGES)
    npieces = TPP_RULES_MAX_RANGES;

  out->n_ranges = 0;
  for (size_t i = 0; i < npieces; i++) {
    struct tpp_area_range *r;
    int k;
    piece(bp, nb, i, &probe);
    k = first_match(rs, out->datacenter, &probe);
    if (out->n_ranges > 0 && owner[out->n_ranges - 1] == k) {
      r = &out->ranges[out->n_ranges - 1];
      r->hi = probe.hi;
      r->hi_inclusive = probe.is_point;
      continue;
    }
    r = &out->ranges[out->n_ranges];
    owner[out->n_ranges] = k;
    out->n_ranges++;
    r->lo = probe.lo;
    r->hi = probe.hi;
    r->lo_inclusive = probe.is_point;
    r->hi_inclusive = probe.is_point;
    r->zone = k < 0 ? TPP_ZONE_WHITE : rs->clauses[k].zone;
    r->clause = k < 0 ? NULL : rs->clauses[k].id;
  }

  if (out->n_ranges == 1) {
    decide(rs, out, owner[0]);
    reason_decided(rs, out, owner[0], 1);
    return;
  }
  out->zone = TPP_ZONE_INDETERMINATE;
  out->clause = NULL;
  out->note = NULL;
  tb_add(&tb, "%s chip with TPP %s and an unknown die area: ", chip_kind(out->datacenter),
         fmt_value(num, sizeof(num), out->tpp, out));
  for (size_t i = 0; i < out->n_ranges; i++) {
    const struct tpp_area_range *r = &out->ranges[i];
    tb_add(&tb, "%s", i == 0 ? "" : i + 1 == out->n_ranges ? " and " : ", ");
    describe_outcome(&tb, r->zone, r->clause);
    tb_add(&tb, " for ");
    describe_range(&tb, r, "area");
  }
  capitalise(out->reason);
}

double
tpp_classification_value(const struct tpp_classification *c, enum tpp_metric m)
{
  switch (m) {
  case TPP_METRIC_TPP:
    return c->tpp;
  case TPP_METRIC_PD:
    return c->pd;
  case TPP_METRIC_INTERCONNECT:
    return c->interconnect_gbs;
  case TPP_METRIC_DRAM_BW:
    return c->dram_bw_gbs;
  default:
    return NAN;
  }
}

/* Classification with every metric but (possibly) the die area known. */
static void
classify_known(const struct tpp_ruleset *rs, struct tpp_classification *out)
{
  struct probe probe;
  int k;

  if (isnan(out->die_area_mm2)) {
    classify_unknown_area(rs, out);
    return;
  }
  for (int m = 0; m < TPP_METRIC_COUNT; m++)
    probe.v[m] = tpp_classification_value(out, (enum tpp_metric)m);
  probe.area_known = 1;
  probe.lo = probe.hi = out->die_area_mm2;
  probe.is_point = 1;
  k = first_match(rs, out->datacenter, &probe);
  decide(rs, out, k);
  reason_decided(rs, out, k, 0);
}

/* Sorted distinct thresholds of metric m in the clauses that apply to the chip. */
static size_t
thresholds_of(const struct tpp_ruleset *rs, int datacenter, enum tpp_metric m, double *t,
              size_t cap)
{
  size_t n = 0;
  for (size_t i = 0; i < rs->n_clauses; i++) {
    const struct tpp_bound *b = &rs->clauses[i].when[m];
    double v[2];
    int nv = 0;
    if (!scope_applies(rs->clauses[i].scope, datacenter) || !b->used)
      continue;
    if (b->has_min)
      v[nv++] = b->min;
    if (b->has_below)
      v[nv++] = b->below;
    for (int k = 0; k < nv; k++) {
      size_t pos;
      int dup = 0;
      for (pos = 0; pos < n && t[pos] <= v[k]; pos++)
        if (t[pos] == v[k])
          dup = 1;
      if (dup || n == cap)
        continue;
      memmove(&t[pos + 1], &t[pos], (n - pos) * sizeof(t[0]));
      t[pos] = v[k];
      n++;
    }
  }
  return n;
}

size_t
tpp_rules_thresholds(const struct tpp_ruleset *rs, int datacenter, enum tpp_metric m, double *t,
                     size_t cap)
{
  return thresholds_of(rs, datacenter, m, t, cap);
}

static int
same_outcome(const struct tpp_classification *a, const struct tpp_classification *b)
{
  if (a->zone != b->zone)
    return 0;
  if (!a->clause || !b->clause)
    return a->clause == b->clause;
  return strcmp(a->clause, b->clause) == 0;
}

/* Some metric other than TPP and PD that decides the outcome is unknown: classify once per
 * combination of its intervals.  One outcome for all: decided ("whatever the ...").
 * Otherwise the zone is indeterminate and scenarios[] lists the outcomes.  TPP_EINVAL when
 * they do not all fit (a rule set the parser would have rejected). */
static int
classify_unknown_metrics(const struct tpp_ruleset *rs, struct tpp_classification *out,
                         const enum tpp_metric *unk, size_t n_unk)
{
  double t[2][TPP_RULES_MAX_THRESHOLDS];
  size_t nt[2] = {0, 0}, cells[2] = {1, 1}, total;
  struct tpp_classification first, trial;
  struct textbuf tb = {out->reason, sizeof(out->reason), 0};
  int all_same = 1;

  for (size_t u = 0; u < n_unk; u++) {
    nt[u] = thresholds_of(rs, out->datacenter, unk[u], t[u], TPP_RULES_MAX_THRESHOLDS);
    cells[u] = nt[u] + 1;
  }
  first = *out;
  total = cells[0] * cells[1];
  /* Never decide from some of the outcomes: the parser rejects rule sets with more. */
  if (total > TPP_MAX_SCENARIOS)
    return TPP_EINVAL;
  out->n_scenarios = 0;
  for (size_t i = 0; i < total; i++) {
    struct tpp_scenario *sc = &out->scenarios[out->n_scenarios++];
    size_t idx[2] = {i % cells[0], i / cells[0]};
    trial = *out;
    sc->n_conds = 0;
    for (size_t u = 0; u < n_unk; u++) {
      struct tpp_condition *cd = &sc->conds[sc->n_conds++];
      cd->metric = unk[u];
      cd->lo = idx[u] == 0 ? 0.0 : t[u][idx[u] - 1];
      cd->hi = idx[u] == nt[u] ? INFINITY : t[u][idx[u]];
      cd->holds = 0;
      if (unk[u] == TPP_METRIC_INTERCONNECT)
        trial.interconnect_gbs = cd->lo;
      else
        trial.dram_bw_gbs = cd->lo;
    }
    classify_known(rs, &trial);
    sc->zone = trial.zone;
    sc->clause = trial.clause;
    if (i == 0)
      first = trial;
    else if (!same_outcome(&first, &trial))
      all_same = 0;
  }
  if (all_same) {
    size_t used;
    /* Keep the decided outcome, say the unknown metrics do not matter. */
    out->zone = first.zone;
    out->clause = first.clause;
    out->note = first.note;
    memcpy(out->ranges, first.ranges, sizeof(out->ranges));
    out->n_ranges = first.n_ranges;
    out->n_scenarios = 0;
    snprintf(out->reason, sizeof(out->reason), "%s", first.reason);
    used = strlen(out->reason);
    tb.used = used;
    for (size_t u = 0; u < n_unk; u++)
      tb_add(&tb, "%s %s", u == 0 ? ", whatever the" : " and the", tpp_metric_label(unk[u]));
    return 0;
  }
  out->zone = TPP_ZONE_INDETERMINATE;
  out->clause = NULL;
  out->note = NULL;
  out->n_ranges = 0;
  tb_add(&tb, "Depends on the unknown ");
  for (size_t u = 0; u < n_unk; u++)
    tb_add(&tb, "%s%s", u ? " and " : "", tpp_metric_label(unk[u]));
  tb_add(&tb, ":");
  for (size_t i = 0; i < out->n_scenarios; i++) {
    const struct tpp_scenario *sc = &out->scenarios[i];
    tb_add(&tb, "%s ", i ? ";" : "");
    describe_outcome(&tb, sc->zone, sc->clause);
    tb_add(&tb, " for ");
    for (size_t k = 0; k < sc->n_conds; k++) {
      tb_add(&tb, "%s", k ? " and " : "");
      tb_condition(&tb, &sc->conds[k]);
    }
  }
  return 0;
}

/* Core classification from the facts, without the borderline check. */
static int
classify_facts(const struct tpp_ruleset *rs, const struct tpp_chip_facts *facts,
               struct tpp_classification *out)
{
  enum tpp_metric unk[2];
  size_t n_unk = 0;

  if (!isnan(facts->tpp) && !(facts->tpp >= 0 && isfinite(facts->tpp)))
    return TPP_EINVAL;
  if (!isnan(facts->die_area_mm2) && !(facts->die_area_mm2 > 0 && isfinite(facts->die_area_mm2)))
    return TPP_EINVAL;
  if ((!isnan(facts->interconnect_gbs) && !(facts->interconnect_gbs >= 0)) ||
      (!isnan(facts->dram_bw_gbs) && !(facts->dram_bw_gbs >= 0)))
    return TPP_EINVAL;

  memset(out, 0, sizeof(*out));
  out->rules_id = rs->id;
  out->tpp = facts->tpp;
  out->die_area_mm2 = facts->die_area_mm2;
  out->pd = tpp_performance_density(facts->tpp, facts->die_area_mm2);
  out->interconnect_gbs = facts->interconnect_gbs;
  out->dram_bw_gbs = facts->dram_bw_gbs;
  out->datacenter = facts->datacenter != 0;
  out->clause = NULL;
  out->note = NULL;
  out->at_least = TPP_ZONE_INDETERMINATE;
  out->tpp_unchecked = isfinite(facts->tpp_unchecked) && !(facts->tpp_unchecked <= facts->tpp)
                           ? facts->tpp_unchecked
                           : NAN;
  fill_margins(rs, out);

  if (isnan(out->tpp)) {
    out->zone = TPP_ZONE_INDETERMINATE;
    snprintf(out->reason, sizeof(out->reason),
             "TPP unknown: nothing was measured, so no clause of %s can be tested", rs->id);
    return 0;
  }
  for (int m = TPP_METRIC_INTERCONNECT; m < TPP_METRIC_COUNT; m++) {
    double t[TPP_RULES_MAX_THRESHOLDS];
    if (isnan(tpp_classification_value(out, (enum tpp_metric)m)) &&
        thresholds_of(rs, out->datacenter, (enum tpp_metric)m, t, TPP_RULES_MAX_THRESHOLDS) > 0)
      unk[n_unk++] = (enum tpp_metric)m;
  }
  if (n_unk > 0)
    return classify_unknown_metrics(rs, out, unk, n_unk);
  classify_known(rs, out);
  return 0;
}

/* The zones a classification leaves possible, as bits (1u << zone).  Every zone when TPP is
 * unknown, or when it is indeterminate and lists nothing. */
static unsigned
possible_zones(const struct tpp_classification *c)
{
  const unsigned any = (1u << TPP_ZONE_WHITE) | (1u << TPP_ZONE_GREY) | (1u << TPP_ZONE_BLACK);
  unsigned z = 0;
  if (c->zone != TPP_ZONE_INDETERMINATE)
    return 1u << c->zone;
  if (isnan(c->tpp) || (c->n_ranges == 0 && c->n_scenarios == 0))
    return any;
  for (size_t i = 0; i < c->n_ranges; i++)
    z |= 1u << c->ranges[i].zone;
  for (size_t i = 0; i < c->n_scenarios; i++)
    z |= c->scenarios[i].zone == TPP_ZONE_INDETERMINATE ? any : 1u << c->scenarios[i].zone;
  return z;
}

int
tpp_classification_possible(const struct tpp_classification *c, enum tpp_zone z)
{
  return (possible_zones(c) >> z) & 1u;
}

static void
add_unique_sorted(double *v, size_t *n, double x)
{
  size_t pos;
  for (pos = 0; pos < *n && v[pos] <= x; pos++)
    if (v[pos] == x)
      return;
  memmove(&v[pos + 1], &v[pos], (*n - pos) * sizeof(v[0]));
  v[pos] = x;
  (*n)++;
}

/* TPP is a lower bound L: classify at every TPP from L up (at L, at each TPP where a TPP or
 * PD threshold is crossed, and inside each interval between them; beyond the last, one
 * point stands for all).  One outcome throughout: decided.  Otherwise indeterminate, the
 * outcomes by TPP in scenarios[] (runs of one outcome; past TPP_MAX_SCENARIOS - 1 runs the
 * rest is one indeterminate run), and at_least the least severe zone possible. */
static int
classify_above(const struct tpp_ruleset *rs, const struct tpp_chip_facts *facts,
               struct tpp_classification *out)
{
  double cut[2 * TPP_RULES_MAX_THRESHOLDS + 1], t[TPP_RULES_MAX_THRESHOLDS];
  size_t nc = 0, n;
  struct tpp_classification *alt;
  struct tpp_scenario runs[TPP_MAX_SCENARIOS];
  size_t n_runs = 0;
  unsigned possible = 0, same = 1;
  double lower = facts->tpp;
  struct textbuf tb;
  char num[32];

  out->tpp_lower_bound = 1;
  cut[nc++] = lower;
  n = thresholds_of(rs, out->datacenter, TPP_METRIC_TPP, t, TPP_RULES_MAX_THRESHOLDS);
  for (size_t i = 0; i < n; i++)
    if (t[i] > lower)
      add_unique_sorted(cut, &nc, t[i]);
  if (!isnan(facts->die_area_mm2)) {
    n = thresholds_of(rs, out->datacenter, TPP_METRIC_PD, t, TPP_RULES_MAX_THRESHOLDS);
    for (size_t i = 0; i < n; i++)
      if (t[i] * facts->die_area_mm2 > lower && isfinite(t[i] * facts->die_area_mm2))
        add_unique_sorted(cut, &nc, t[i] * facts->die_area_mm2);
  }
  if (!(alt = malloc(sizeof(*alt))))
    return TPP_ENOMEM;
  /* Items in TPP order: the point cut[i], then the open interval above it. */
  for (size_t item = 0; item < 2 * nc; item++) {
    size_t i = item / 2;
    double x = item % 2 == 0 ? cut[i] : i + 1 < nc ? (cut[i] + cut[i + 1]) / 2 : 2 * cut[i] + 1;
    double hi = item % 2 == 0 ? nextafter(cut[i], INFINITY) : i + 1 < nc ? cut[i + 1] : INFINITY;
    const struct tpp_classification *c = out;
    struct tpp_scenario *r;
    int err;
    if (item > 0) {
      struct tpp_chip_facts f = *facts;
      f.tpp = x;
      f.tpp_lo = f.tpp_hi = f.dram_bw_lo = f.dram_bw_hi = NAN;
      if ((err = classify_facts(rs, &f, alt)) != 0) {
        free(alt);
        return err;
      }
      c = alt;
    }
    possible |= possible_zones(c);
    same &= c->zone == out->zone && (c->clause == out->clause ||
                                     (c->clause && out->clause && !strcmp(c->clause, out->clause)));
    r = n_runs ? &runs[n_runs - 1] : NULL;
    if (r && r->zone == c->zone &&
        (r->clause == c->clause || (r->clause && c->clause && !strcmp(r->clause, c->clause)))) {
      r->conds[0].hi = hi;
      continue;
    }
    if (r && n_runs == TPP_MAX_SCENARIOS) {
      /* no room: the rest is one run, undecided */
      r->zone = TPP_ZONE_INDETERMINATE;
      r->clause = NULL;
      r->conds[0].hi = INFINITY;
      continue;
    }
    r = &runs[n_runs++];
    memset(r, 0, sizeof(*r));
    r->n_conds = 1;
    r->conds[0].metric = TPP_METRIC_TPP;
    r->conds[0].lo = item % 2 == 0 ? cut[i] : nextafter(cut[i], INFINITY);
    r->conds[0].hi = hi;
    r->zone = c->zone;
    r->clause = c->clause;
  }
  free(alt);
  tb.s = out->reason;
  tb.len = sizeof(out->reason);
  if (same && out->zone != TPP_ZONE_INDETERMINATE) {
    tb.used = strlen(out->reason);
    tb_add(&tb, "; TPP is a lower bound, and no higher TPP gives another zone");
    return 0;
  }
  out->zone = TPP_ZONE_INDETERMINATE;
  out->clause = NULL;
  out->note = NULL;
  out->n_ranges = 0;
  for (int z = TPP_ZONE_WHITE; z < TPP_ZONE_COUNT; z++)
    if ((possible >> z) & 1u) {
      out->at_least = (enum tpp_zone)z;
      break;
    }
  memcpy(out->scenarios, runs, n_runs * sizeof(runs[0]));
  out->n_scenarios = n_runs;
  for (size_t k = 0; k < n_runs; k++)
    out->scenarios[k].conds[0].holds = 0;
  out->scenarios[0].conds[0].holds = 1;
  tb.used = 0;
  out->reason[0] = '\0';
  tb_add(&tb,
         "TPP %s is a lower bound (a kernel known to stay below the device's peak path set "
         "it), and a higher TPP gives another zone:",
         fmt_value(num, sizeof(num), lower, out));
  for (size_t k = 0; k < n_runs; k++) {
    const struct tpp_scenario *sc = &out->scenarios[k];
    tb_add(&tb, "%s ", k ? ";" : "");
    describe_outcome(&tb, sc->zone, sc->clause);
    tb_add(&tb, " for ");
    tb_condition(&tb, &sc->conds[0]);
  }
  if (out->at_least > TPP_ZONE_WHITE)
    tb_add(&tb, "; at least %s", tpp_zone_name(out->at_least));
  return 0;
}

/* Is the verdict at one end of the measured spread another zone?  Fills borderline. */
static void
check_spread(const struct tpp_ruleset *rs, const struct tpp_chip_facts *facts,
             struct tpp_classification *out)
{
  static const struct {
    enum tpp_metric m;
    size_t value, lo, hi;
  } spreads[] = {
      {TPP_METRIC_TPP,     offsetof(struct tpp_chip_facts, tpp),
       offsetof(struct tpp_chip_facts, tpp_lo),     offsetof(struct tpp_chip_facts, tpp_hi)    },
      {TPP_METRIC_DRAM_BW, offsetof(struct tpp_chip_facts, dram_bw_gbs),
       offsetof(struct tpp_chip_facts, dram_bw_lo), offsetof(struct tpp_chip_facts, dram_bw_hi)},
  };
  if (out->zone == TPP_ZONE_INDETERMINATE)
    return;
  if (isfinite(out->tpp_unchecked)) {
    /* An unchecked figure: not in TPP, but the chip could reach its zone. */
    struct tpp_chip_facts f = *facts;
    struct tpp_classification alt;
    char num[32];
    f.tpp = out->tpp_unchecked;
    f.tpp_lo = f.tpp_hi = NAN;
    unsigned other;
    if (classify_facts(rs, &f, &alt) == 0 &&
        (other = possible_zones(&alt) & ~(1u << out->zone)) != 0) {
      out->borderline = 1;
      out->borderline_zone = TPP_ZONE_BLACK;
      while (!((other >> out->borderline_zone) & 1u))
        out->borderline_zone--;
      if (alt.zone == TPP_ZONE_INDETERMINATE)
        alt.clause = NULL;
      snprintf(out->borderline_reason, sizeof(out->borderline_reason),
               "Borderline: an ok figure that nothing bounded from above (no per-clock peak to "
               "check it against; not counted in TPP) gives TPP %s, which could be %s%s%s%s",
               fmt_value(num, sizeof(num), out->tpp_unchecked, out),
               tpp_zone_name(out->borderline_zone), alt.clause ? " (" : "",
               alt.clause ? alt.clause : "",
               alt.clause                               ? ")"
               : out->borderline_zone == TPP_ZONE_WHITE ? " (not controlled)"
                                                        : "");
      return;
    }
  }
  for (size_t i = 0; i < sizeof(spreads) / sizeof(spreads[0]); i++) {
    const char *base = (const char *)facts;
    double ends[2];
    memcpy(&ends[0], base + spreads[i].lo, sizeof(double));
    memcpy(&ends[1], base + spreads[i].hi, sizeof(double));
    for (int e = 0; e < 2; e++) {
      struct tpp_chip_facts f = *facts;
      struct tpp_classification alt;
      if (!isfinite(ends[e]) || ends[e] < 0)
        continue;
      memcpy((char *)&f + spreads[i].value, &ends[e], sizeof(double));
      if (classify_facts(rs, &f, &alt) != 0 || alt.zone == TPP_ZONE_INDETERMINATE ||
          alt.zone == out->zone)
        continue;
      out->borderline = 1;
      out->borderline_zone = alt.zone;
      snprintf(out->borderline_reason, sizeof(out->borderline_reason),
               "Borderline: the %s %s of the measured %s (%.6g%s) would be %s%s%s%s, so a "
               "threshold lies within the run-to-run spread (it is wider than the distance to "
               "the threshold); measure again or longer",
               e == 0 ? "lowest" : "highest", "sample", tpp_metric_label(spreads[i].m), ends[e],
               tpp_metric_unit(spreads[i].m), tpp_zone_name(alt.zone), alt.clause ? " (" : "",
               alt.clause ? alt.clause : "", alt.clause ? ")" : " (not controlled)");
      return;
    }
  }
}

int
tpp_classify(const struct tpp_ruleset *rs, const struct tpp_chip_facts *facts,
             struct tpp_classification *out)
{
  int err;
  if (!rs || !facts || !out)
    return TPP_EINVAL;
  if ((err = classify_facts(rs, facts, out)) != 0)
    return err;
  if (facts->tpp_lower_bound && !isnan(facts->tpp) && (err = classify_above(rs, facts, out)) != 0)
    return err;
  check_spread(rs, facts, out);
  return 0;
}

/* A number, or null for NAN and infinities (JSON has neither). */
static json_t *
number_or_null(double v)
{
  return isfinite(v) ? json_real(v) : json_null();
}

static json_t *
string_or_null(const char *s)
{
  return s ? json_string(s) : json_null();
}

/* json_object_set_new that remembers a failure (it frees `v` either way). */
static void
put(json_t *obj, const char *key, json_t *v, int *failed)
{
  if (!v || json_object_set_new(obj, key, v) != 0)
    *failed = 1;
}

/* {"tpp_reading": "highest", "tf32_bits": 32} */
static json_t *
reading_json(const struct tpp_reading *r)
{
  return json_pack("{s:s, s:i}", "tpp_reading", tpp_tpp_reading_name(r->tpp), "tf32_bits",
                   tpp_reading_bits(r, TPP_TF32));
}

json_t *
tpp_condition_to_json(const struct tpp_condition *cd)
{
  return json_pack("{s:s, s:o, s:o, s:b}", "metric", tpp_metric_name(cd->metric), "min",
                   cd->lo > 0 ? json_real(cd->lo) : json_null(), "below", number_or_null(cd->hi),
                   "holds", cd->holds);
}

json_t *
tpp_scenario_to_json(const struct tpp_scenario *sc)
{
  json_t *conds = json_array();
  char text[256];
  struct textbuf tb = {text, sizeof(text), 0};
  text[0] = '\0';
  for (size_t k = 0; conds && k < sc->n_conds; k++) {
    json_array_append_new(conds, tpp_condition_to_json(&sc->conds[k]));
    tb_add(&tb, "%s", k ? " and " : "");
    tb_condition(&tb, &sc->conds[k]);
  }
  return json_pack("{s:o, s:s, s:o, s:s}", "conditions", conds ? conds : json_null(), "zone",
                   tpp_zone_name(sc->zone), "clause", string_or_null(sc->clause), "text", text);
}

json_t *
tpp_classification_to_json(const struct tpp_classification *c)
{
  json_t *o, *margins, *ranges;
  int failed = 0;

  if (!c)
    return NULL;
  o = json_object();
  if (!o)
    return NULL;
  put(o, "rules", string_or_null(c->rules_id), &failed);
  put(o, "tpp", number_or_null(c->tpp), &failed);
  put(o, "performance_density", number_or_null(c->pd), &failed);
  put(o, "die_area_mm2", number_or_null(c->die_area_mm2), &failed);
  put(o, "interconnect_gbs", number_or_null(c->interconnect_gbs), &failed);
  put(o, "dram_bandwidth_gbs", number_or_null(c->dram_bw_gbs), &failed);
  put(o, "datacenter", json_boolean(c->datacenter), &failed);
  put(o, "zone", json_string(tpp_zone_name(c->zone)), &failed);
  put(o, "clause", string_or_null(c->clause), &failed);
  put(o, "note", string_or_null(c->note), &failed);
  put(o, "reason", json_string(c->reason), &failed);
  put(o, "tpp_lower_bound", json_boolean(c->tpp_lower_bound), &failed);
  put(o, "at_least",
      c->at_least != TPP_ZONE_INDETERMINATE ? json_string(tpp_zone_name(c->at_least)) : json_null(),
      &failed);
  put(o, "tpp_unchecked", number_or_null(c->tpp_unchecked), &failed);

  margins = json_array();
  for (size_t i = 0; margins && i < c->n_margins; i++) {
    const struct tpp_margin *m = &c->margins[i];
    json_t *e = json_object();
    if (!e) {
      failed = 1;
      break;
    }
    put(e, "metric", json_string(tpp_metric_name(m->metric)), &failed);
    put(e, "threshold", number_or_null(m->threshold), &failed);
    put(e, "value", number_or_null(m->value), &failed);
    put(e, "margin", number_or_null(m->margin), &failed);
    if (json_array_append_new(margins, e) != 0)
      failed = 1;
  }
  put(o, "margins", margins, &failed);

  ranges = json_array();
  for (size_t i = 0; ranges && i < c->n_ranges; i++) {
    const struct tpp_area_range *r = &c->ranges[i];
    json_t *e = json_object();
    if (!e) {
      failed = 1;
      break;
    }
    put(e, "min_mm2", number_or_null(r->lo), &failed);
    put(e, "max_mm2", number_or_null(r->hi), &failed);
    put(e, "min_inclusive", json_boolean(r->lo_inclusive), &failed);
    put(e, "max_inclusive", json_boolean(r->hi_inclusive), &failed);
    put(e, "zone", json_string(tpp_zone_name(r->zone)), &failed);
    put(e, "clause", string_or_null(r->clause), &failed);
    if (json_array_append_new(ranges, e) != 0)
      failed = 1;
  }
  put(o, "die_area_ranges", ranges, &failed);
  {
    json_t *sc = json_array();
    for (size_t i = 0; sc && i < c->n_scenarios; i++)
      if (json_array_append_new(sc, tpp_scenario_to_json(&c->scenarios[i])) != 0)
        failed = 1;
    put(o, "scenarios", sc, &failed);
  }
  put(o, "borderline",
      c->borderline ? json_pack("{s:s, s:s}", "other_zone", tpp_zone_name(c->borderline_zone),
                                "reason", c->borderline_reason)
                    : json_null(),
      &failed);
  put(o, "reading", reading_json(&c->reading), &failed);
  put(o, "interpretation_sensitive", json_boolean(c->interpretation_sensitive), &failed);
  {
    json_t *in = json_array(), *ne = json_array();
    for (size_t i = 0; in && ne && i < c->n_readings; i++) {
      const struct tpp_reading_outcome *r = &c->readings[i];
      json_t *e = reading_json(&r->reading);
      if (!e) {
        failed = 1;
        break;
      }
      if (r->differs) {
        char text[256];
        struct textbuf tb = {text, sizeof(text), 0};
        char rd[96];
        tpp_reading_format(rd, sizeof(rd), &r->reading);
        tb_add(&tb, "%s: TPP %.6g, ", rd, r->tpp);
        describe_outcome(&tb, r->zone, r->clause);
        put(e, "tpp", number_or_null(r->tpp), &failed);
        put(e, "zone", json_string(tpp_zone_name(r->zone)), &failed);
        put(e, "clause", string_or_null(r->clause), &failed);
        put(e, "text", json_string(text), &failed);
        if (json_array_append_new(in, e) != 0)
          failed = 1;
      } else if (!r->evaluated) {
        put(e, "reason", json_string(r->why), &failed);
        if (json_array_append_new(ne, e) != 0)
          failed = 1;
      } else {
        json_decref(e);
      }
    }
    put(o, "interpretations", in, &failed);
    put(o, "readings_not_evaluated", ne, &failed);
  }

  if (failed) {
    json_decref(o);
    return NULL;
  }
  return o;
}

/* The reading used, and every other reading that gives another zone or could not be
 * evaluated. */
static void
print_readings(const struct tpp_classification *c, FILE *out)
{
  char rd[96];
  int first = 1;
  tpp_reading_format(rd, sizeof(rd), &c->reading);
  fprintf(out, "reading     %s\n", rd);
  for (size_t i = 0; i < c->n_readings; i++) {
    const struct tpp_reading_outcome *r = &c->readings[i];
    char line[256];
    struct textbuf tb = {line, sizeof(line), 0};
    if (r->evaluated && !r->differs)
      continue;
    line[0] = '\0';
    tpp_reading_format(rd, sizeof(rd), &r->reading);
    if (r->evaluated) {
      tb_add(&tb, "%s: TPP %.6g, ", rd, r->tpp);
      describe_outcome(&tb, r->zone, r->clause);
    } else {
      tb_add(&tb, "%s: not evaluated (%s)", rd, r->why);
    }
    fprintf(out, "%s%s\n", first ? "other       " : "            ", line);
    first = 0;
  }
}

void
tpp_classification_print(const struct tpp_classification *c, FILE *out)
{
  char num[32];

  if (!c || !out)
    return;
  fprintf(out, "rules       %s\n", c->rules_id ? c->rules_id : "?");
  if (c->clause)
    fprintf(out, "zone        %s (%s)", tpp_zone_name(c->zone), c->clause);
  else if (c->zone == TPP_ZONE_WHITE)
    fprintf(out, "zone        white (not controlled)");
  else if (c->at_least > TPP_ZONE_WHITE)
    fprintf(out, "zone        indeterminate, at least %s", tpp_zone_name(c->at_least));
  else
    fprintf(out, "zone        %s", tpp_zone_name(c->zone));
  fprintf(out, "%s\n",
          c->interpretation_sensitive ? "; interpretation-sensitive (other readings below)" : "");
  if (c->note)
    fprintf(out, "note        %s\n", c->note);
  fprintf(out, "reason      %s\n", c->reason);
  fprintf(out, "chip        %s\n", chip_kind(c->datacenter));
  if (isnan(c->tpp))
    fprintf(out, "TPP         unknown\n");
  else
    fprintf(out, "TPP         %s%s\n", fmt_value(num, sizeof(num), c->tpp, c),
            c->tpp_lower_bound ? " (a lower bound: the true TPP may be higher)" : "");
  if (isfinite(c->tpp_unchecked))
    fprintf(out, "unchecked   TPP %s from a figure nothing bounded from above (not counted)\n",
            fmt_value(num, sizeof(num), c->tpp_unchecked, c));
  if (!isnan(c->pd))
    fprintf(out, "PD          %s (die area %g mm²)\n", fmt_value(num, sizeof(num), c->pd, c),
            c->die_area_mm2);
  else if (isnan(c->die_area_mm2))
    fprintf(out, "PD          unknown (die area unknown)\n");
  else
    fprintf(out, "PD          unknown\n");
  if (!isnan(c->interconnect_gbs))
    fprintf(out, "I/O BW      %g GB/s (chip-to-chip interconnect)\n", c->interconnect_gbs);
  if (!isnan(c->dram_bw_gbs))
    fprintf(out, "DRAM BW     %g GB/s\n", c->dram_bw_gbs);
  if (c->borderline)
    fprintf(out, "borderline  %s\n", c->borderline_reason);
  print_readings(c, out);
  for (size_t i = 0; i < c->n_margins; i++) {
    const struct tpp_margin *m = &c->margins[i];
    fprintf(out, "%s %s %g%s: ", i == 0 ? "margins    " : "           ",
            tpp_metric_label(m->metric), m->threshold, tpp_metric_unit(m->metric));
    if (isnan(m->margin))
      fprintf(out, "unknown\n");
    else
      fprintf(out, "%+.6g\n", m->margin);
  }
  for (size_t i = 0; i < c->n_ranges; i++) {
    const struct tpp_area_range *r = &c->ranges[i];
    char line[160];
    struct textbuf tb = {line, sizeof(line), 0};
    describe_range(&tb, r, "die area");
    tb_add(&tb, ": ");
    describe_outcome(&tb, r->zone, r->clause);
    fprintf(out, "%s%s\n", i == 0 ? "by area     " : "            ", line);
  }
  for (size_t i = 0; i < c->n_scenarios; i++) {
    const struct tpp_scenario *sc = &c->scenarios[i];
    char line[256];
    struct textbuf tb = {line, sizeof(line), 0};
    line[0] = '\0';
    for (size_t k = 0; k < sc->n_conds; k++) {
      tb_add(&tb, "%s", k ? " and " : "");
      tb_condition(&tb, &sc->conds[k]);
    }
    tb_add(&tb, ": ");
    describe_outcome(&tb, sc->zone, sc->clause);
    fprintf(out, "%s%s\n", i == 0 ? "if          " : "            ", line);
  }
}
