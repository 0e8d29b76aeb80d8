/* verify.c - a measured device against its declared profile.  See verify.h. */
#define _DEFAULT_SOURCE /* strncasecmp */
#include "tpp/verify.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "tpp/metrics.h"

static const char *const verdict_names[TPP_VERDICT_COUNT] = {
    [TPP_VERDICT_INCONCLUSIVE] = "inconclusive", [TPP_VERDICT_NOT_CHECKED] = "not checked",
    [TPP_VERDICT_BORDERLINE] = "borderline",     [TPP_VERDICT_INCONSISTENT] = "inconsistent",
    [TPP_VERDICT_CONSISTENT] = "consistent",
};

const char *
tpp_verdict_name(enum tpp_verdict v)
{
  return (unsigned)v < TPP_VERDICT_COUNT ? verdict_names[v] : "?";
}

int
tpp_verdict_exit_status(enum tpp_verdict v)
{
  switch (v) {
  case TPP_VERDICT_CONSISTENT:
    return 0;
  case TPP_VERDICT_INCONSISTENT:
    return 1;
  default:
    return 3;
  }
}

void
tpp_verify_defaults(struct tpp_verify_opts *o)
{
  o->min_fraction = 0.5;
  o->tolerance = 0.05;
}

void
tpp_verification_free(struct tpp_verification *v)
{
  if (!v)
    return;
  free(v->checks);
  v->checks = NULL;
  v->n_checks = v->cap_checks = 0;
}

static struct tpp_check *add_check(struct tpp_verification *v, const char *what,
                                   enum tpp_verdict verdict, const char *finding, const char *fmt,
                                   ...) __attribute__((format(printf, 5, 6)));

static struct tpp_check *
add_check(struct tpp_verification *v, const char *what, enum tpp_verdict verdict,
          const char *finding, const char *fmt, ...)
{
  struct tpp_check *c;
  va_list ap;
  /* tpp_verify sizes the array to every check the inputs can give. */
  if (v->n_checks == v->cap_checks)
    abort();
  c = &v->checks[v->n_checks++];
  memset(c, 0, sizeof(*c));
  snprintf(c->what, sizeof(c->what), "%s", what);
  c->verdict = verdict;
  c->finding = finding;
  c->measured = c->declared = c->limit_lo = c->limit_hi = NAN;
  va_start(ap, fmt);
  vsnprintf(c->detail, sizeof(c->detail), fmt, ap);
  va_end(ap);
  return c;
}

static void
check_identity(const struct tpp_device_result *d, const struct tpp_profile *p,
               struct tpp_verification *v)
{
  const struct tpp_device_info *i = &d->info;

  if (i->pci_vendor_id == 0 || p->n_pci_device_ids == 0) {
    add_check(v, "pci id", TPP_VERDICT_NOT_CHECKED, "not checked", "%s",
              i->pci_vendor_id == 0 ? "the result has no PCI id for the device"
                                    : "the declared profile lists no PCI device id");
  } else {
    int ok = 0;
    char list[96] = "";
    size_t used = 0;
    for (size_t k = 0; k < p->n_pci_device_ids; k++) {
      ok |= i->pci_vendor_id == p->pci_vendor_id && i->pci_device_id == p->pci_device_ids[k];
      used += (size_t)snprintf(list + used, used < sizeof(list) ? sizeof(list) - used : 0,
                               "%s%04x:%04x", k ? ", " : "", p->pci_vendor_id,
                               p->pci_device_ids[k]);
    }
    add_check(v, "pci id", ok ? TPP_VERDICT_CONSISTENT : TPP_VERDICT_INCONSISTENT,
              ok ? "match" : "wrong identity", "device %04x:%04x, declared %s", i->pci_vendor_id,
              i->pci_device_id, list);
  }
  if (p->n_names > 0) {
    int ok = 0;
    for (size_t k = 0; k < p->n_names; k++)
      ok |= tpp_profile_name_matches(i->name, p->names[k]);
    add_check(v, "name", ok ? TPP_VERDICT_CONSISTENT : TPP_VERDICT_INCONSISTENT,
              ok ? "match" : "wrong identity", "driver reports \"%s\"; declared names: \"%s\"%s",
              i->name, p->names[0], p->n_names > 1 ? " and others" : "");
  }
  if (p->compute_units > 0 && i->compute_units > 0)
    add_check(v, "compute units",
              i->compute_units == p->compute_units ? TPP_VERDICT_CONSISTENT
                                                   : TPP_VERDICT_INCONSISTENT,
              i->compute_units == p->compute_units ? "match" : "wrong identity",
              "device %d, declared %d %s", i->compute_units, p->compute_units,
              p->compute_unit_type[0] ? p->compute_unit_type : "units");
  else
    add_check(v, "compute units", TPP_VERDICT_NOT_CHECKED, "not checked", "%s",
              p->compute_units ? "the device reports no count" : "the profile gives no count");
  if (isfinite(p->memory_gb) && i->global_mem_bytes > 0) {
    int ok = tpp_profile_memory_matches(p->memory_gb, (double)i->global_mem_bytes);
    add_check(v, "memory", ok ? TPP_VERDICT_CONSISTENT : TPP_VERDICT_INCONSISTENT,
              ok ? "match" : "wrong identity", "device %.1f GiB, declared %g GB",
              (double)i->global_mem_bytes / 1073741824.0, p->memory_gb);
  } else {
    add_check(v, "memory", TPP_VERDICT_NOT_CHECKED, "not checked", "size unknown");
  }
}

static int
profile_has_path(const struct tpp_profile *p, enum tpp_path path)
{
  for (size_t i = 0; i < p->n_peaks; i++)
    if (p->peaks[i].path == path)
      return 1;
  return 0;
}

/* The best ok row of a precision on a path (highest median), or NULL. */
static const struct tpp_row *
best_ok_row(const struct tpp_device_result *d, enum tpp_precision prec, enum tpp_path path)
{
  const struct tpp_row *best = NULL;
  for (size_t i = 0; i < d->n_rows; i++) {
    const struct tpp_row *r = &d->rows[i];
    if (r->status == TPP_ROW_OK && r->precision == prec && r->path == path &&
        (!best || r->tops > best->tops))
      best = r;
  }
  return best;
}

/* The precisions and units that set the declared TPP under the chosen reading: every
 * profile peak whose contribution ties the one (or, aggregate, the two) that set it.
 * sets[i] is 0, or the group (1, or 2 for the aggregate's second unit) peak i belongs to:
 * measuring any member of a group measures that part of the TPP. */
static void
tpp_setters(const struct tpp_profile *p, const struct tpp_reading *rd, int *sets)
{
  struct tpp_peak peaks[TPP_PROFILE_MAX_PEAKS];
  size_t n = tpp_profile_figures(p, peaks, TPP_PROFILE_MAX_PEAKS), best[2];
  memset(sets, 0, n * sizeof(*sets));
  if (isnan(tpp_tpp_read(peaks, n, rd, best)))
    return;
  for (int k = 0; k < 2; k++) {
    double top;
    if (best[k] >= n)
      continue;
    top = peaks[best[k]].tops * tpp_reading_bits(rd, peaks[best[k]].precision);
    for (size_t i = 0; i < n; i++)
      if (peaks[i].path == peaks[best[k]].path &&
          peaks[i].tops * tpp_reading_bits(rd, peaks[i].precision) == top)
        sets[i] = k + 1;
  }
}

/* One declared precision and unit against the best ok row measured for it. */
static void
check_capability(const struct tpp_row *r, double declared, double clk,
                 const struct tpp_verify_opts *o, struct tpp_verification *v, const char *what,
                 int sets_tpp)
{
  char basis[160];
  double lo = r->stats.n ? r->stats.min : r->tops, hi = r->stats.n ? r->stats.max : r->tops;
  /* --repeat: the wider of the within-run and the between-run spread. */
  if (r->runs.n > 1) {
    lo = fmin(lo, r->runs.min);
    hi = fmax(hi, r->runs.max);
  }
  double mclk = r->telemetry.clock_mhz, at_clock, over, under;
  struct tpp_check *c;

  at_clock = declared;
  if (isfinite(clk) && clk > 0 && isfinite(mclk) && mclk > 0)
    at_clock = declared * mclk / clk;
  over = at_clock * (1 + o->tolerance);
  under = declared * o->min_fraction;
  if (at_clock != declared)
    snprintf(basis, sizeof(basis), "declared %.4g at %.0f MHz, scaled to the measured %.0f MHz",
             declared, clk, mclk);
  else
    snprintf(basis, sizeof(basis), "declared %.4g (%s)", declared,
             isfinite(clk) ? "measured clock unknown: not scaled"
                           : "its clock is not given: not scaled");
  if (lo > over)
    c = add_check(v, what, TPP_VERDICT_INCONSISTENT, "over-capable",
                  "measured %.4g TOPS (lowest sample %.4g) > %.4g: %s, + %.0f%%", r->tops, lo, over,
                  basis, 100 * o->tolerance);
  else if (hi > over)
    c = add_check(v, what, TPP_VERDICT_BORDERLINE, "borderline over-capable",
                  "the limit %.4g lies within the measured spread %.4g..%.4g TOPS", over, lo, hi);
  else if (hi < under)
    c = add_check(v, what, TPP_VERDICT_INCONSISTENT, "under-performing",
                  "measured %.4g TOPS (highest sample %.4g) < %.4g = %.2f x declared %.4g%s",
                  r->tops, hi, under, o->min_fraction, declared,
                  isfinite(mclk) && isfinite(clk) && mclk < 0.8 * clk ? " (the clock was low: "
                                                                        "check throttling)"
                                                                      : "");
  else if (lo < under)
    c = add_check(v, what, TPP_VERDICT_BORDERLINE, "borderline under-performing",
                  "the floor %.4g lies within the measured spread %.4g..%.4g TOPS", under, lo, hi);
  else
    c = add_check(v, what, TPP_VERDICT_CONSISTENT, "within range",
                  "measured %.4g TOPS = %.0f%% of declared %.4g", r->tops, 100 * r->tops / declared,
                  declared);
  snprintf(c->kernel, sizeof(c->kernel), "%s", r->kernel);
  c->sets_tpp = sets_tpp;
  c->measured = r->tops;
  c->declared = declared;
  c->limit_lo = under;
  c->limit_hi = over;
}

/* Why a declared precision and unit has no ok row: the first error, unsupported or skipped
 * row for it, in that order; NULL when the result has no row for it at all. */
static const struct tpp_row *
why_not_ok(const struct tpp_device_result *d, enum tpp_precision prec, enum tpp_path path)
{
  static const enum tpp_row_status order[] = {TPP_ROW_ERROR, TPP_ROW_UNSUPPORTED, TPP_ROW_SKIPPED};
  for (size_t k = 0; k < sizeof(order) / sizeof(order[0]); k++)
    for (size_t i = 0; i < d->n_rows; i++)
      if (d->rows[i].precision == prec && d->rows[i].path == path && d->rows[i].status == order[k])
        return &d->rows[i];
  return NULL;
}

/* Every precision and unit the declared product has a figure for: a capability check, or
 * a line saying why it was not measured. */
static void
check_declared(const struct tpp_device_result *d, const struct tpp_profile *p,
               const struct tpp_ruleset *rs, const struct tpp_verify_opts *o,
               struct tpp_verification *v, size_t *compared)
{
  int sets[TPP_PROFILE_MAX_PEAKS], group_seen[3] = {0, 0, 0}, group_ok[3] = {0, 0, 0};
  tpp_setters(p, &rs->readings.chosen, sets);
  for (size_t i = 0; i < p->n_peaks; i++) {
    const struct tpp_profile_peak *pk = &p->peaks[i];
    const struct tpp_row *r;
    char what[48];
    double clk, declared;
    int dup = 0, sets_tpp = 0;
    for (size_t j = 0; j < p->n_peaks; j++)
      if (p->peaks[j].precision == pk->precision && p->peaks[j].path == pk->path) {
        dup |= j < i;
        if (sets[j])
          sets_tpp = sets[j];
      }
    if (dup)
      continue; /* one check per precision and unit, against its highest figure */
    declared = tpp_profile_peak(p, pk->precision, pk->path, &clk);
    snprintf(what, sizeof(what), "%s %s", tpp_precision_name(pk->precision),
             tpp_path_name(pk->path));
    group_seen[sets_tpp] = 1;
    if ((r = best_ok_row(d, pk->precision, pk->path)) != NULL) {
      check_capability(r, declared, clk, o, v, what, sets_tpp);
      group_ok[sets_tpp] = 1;
      (*compared)++;
      continue;
    }
    r = why_not_ok(d, pk->precision, pk->path);
    if (r && r->status == TPP_ROW_ERROR)
      continue; /* its error row is a finding of its own, below */
    {
      /* A row the interrupted run never reached is unknown, not absent: inconclusive. */
      struct tpp_check *c = add_check(
          v, what, !r && d->interrupted ? TPP_VERDICT_INCONCLUSIVE : TPP_VERDICT_NOT_CHECKED,
          !r && d->interrupted               ? "not measured: the run was interrupted"
          : !r                               ? "not in the result"
          : r->status == TPP_ROW_UNSUPPORTED ? "unsupported"
                                             : "not requested",
          "declared %.4g TOPS%s; %s", declared, sets_tpp ? " (sets the declared TPP)" : "",
          r ? (r->reason[0] ? r->reason : tpp_row_status_name(r->status))
            : "the result has no row for it");
      c->sets_tpp = sets_tpp;
      c->declared = declared;
      if (r)
        snprintf(c->kernel, sizeof(c->kernel), "%s", r->kernel);
    }
  }
  for (int g = 1; g < 3; g++)
    v->tpp_unmeasured |= group_seen[g] && !group_ok[g];
}

/* Rows the declared product has no figure for (a matrix precision it lacks, measured and
 * verified, is a capability it should not show), and every row that ended in an error. */
static void
check_other_rows(const struct tpp_device_result *d, const struct tpp_profile *p,
                 const struct tpp_ruleset *rs, struct tpp_verification *v, size_t *compared)
{
  int sets[TPP_PROFILE_MAX_PEAKS];
  tpp_setters(p, &rs->readings.chosen, sets);
  for (size_t i = 0; i < d->n_rows; i++) {
    const struct tpp_row *r = &d->rows[i];
    char what[48];
    double declared = tpp_profile_peak(p, r->precision, r->path, NULL);
    snprintf(what, sizeof(what), "%s %s", tpp_precision_name(r->precision), tpp_path_name(r->path));
    if (r->status == TPP_ROW_ERROR) {
      struct tpp_check *c;
      int sets_tpp = 0;
      for (size_t j = 0; j < p->n_peaks; j++)
        sets_tpp |= sets[j] && p->peaks[j].precision == r->precision && p->peaks[j].path == r->path;
      c = add_check(
          v, what, TPP_VERDICT_NOT_CHECKED, "measurement error", "kernel %s: %s%s%s",
          r->kernel[0] ? r->kernel : "(none)", r->reason[0] ? r->reason : "no reason recorded",
          isnan(declared)                         ? ""
          : best_ok_row(d, r->precision, r->path) ? "; another kernel measured it"
                                                  : "; the declared figure was not checked",
          sets_tpp && !best_ok_row(d, r->precision, r->path) ? " (it sets the declared TPP)" : "");
      snprintf(c->kernel, sizeof(c->kernel), "%s", r->kernel);
      c->sets_tpp = sets_tpp;
      c->declared = declared;
      v->n_errors++;
      continue;
    }
    /* A matrix precision the declared product does not have, once per precision. */
    if (r->status != TPP_ROW_OK || !isnan(declared) || r->path != TPP_PATH_TENSOR ||
        !profile_has_path(p, TPP_PATH_TENSOR) || !r->verified ||
        best_ok_row(d, r->precision, r->path) != r)
      continue;
    {
      struct tpp_check *c = add_check(
          v, what, TPP_VERDICT_INCONSISTENT, "not in the declared product",
          "measured %.4g TOPS (verified), but the declared product has no %s %s figure", r->tops,
          tpp_precision_name(r->precision), tpp_path_name(r->path));
      snprintf(c->kernel, sizeof(c->kernel), "%s", r->kernel);
      c->measured = r->tops;
      (*compared)++;
    }
  }
}

/* The class comparison under each reading: declared datasheet figures against the measured
 * rows on the declared die. */
static int
check_class(const struct tpp_device_result *d, const struct tpp_profile *p,
            const struct tpp_ruleset *rs, struct tpp_verification *v)
{
  struct tpp_peak peaks[TPP_PROFILE_MAX_PEAKS];
  struct tpp_figures dfig = {.peaks = peaks};
  struct tpp_device_figures mfig;
  struct tpp_chip_facts df, mf;
  const struct tpp_classification *dc = &v->declared_cls, *mc = &v->measured_cls;
  int err;

  dfig.n = tpp_profile_figures(p, peaks, TPP_PROFILE_MAX_PEAKS);
  tpp_chip_facts_init(&df);
  df.die_area_mm2 = p->die_area_mm2;
  df.datacenter = p->datacenter;
  df.interconnect_gbs = p->interconnect_gbs;
  df.dram_bw_gbs = p->memory_bw_gbs;
  if ((err = tpp_classify_figures(rs, &df, &dfig, &v->declared_cls)) != 0)
    return err;
  /* The measured chip (TPP, spread, DRAM bandwidth) on the declared die. */
  tpp_device_result_facts(d, &mf);
  tpp_device_result_figures(d, &mfig);
  mf.die_area_mm2 = df.die_area_mm2;
  mf.datacenter = df.datacenter;
  mf.interconnect_gbs = df.interconnect_gbs;
  if (isnan(mf.dram_bw_gbs))
    mf.dram_bw_gbs = df.dram_bw_gbs;
  if ((err = tpp_classify_figures(rs, &mf, &mfig.fig, &v->measured_cls)) != 0)
    return err;
  if (mc->zone == TPP_ZONE_INDETERMINATE && dc->zone != TPP_ZONE_INDETERMINATE &&
      dc->zone < TPP_ZONE_BLACK &&
      (tpp_classification_possible(mc, TPP_ZONE_BLACK) ||
       (dc->zone < TPP_ZONE_GREY && tpp_classification_possible(mc, TPP_ZONE_GREY)))) {
    /* Undecided (a lower-bound TPP, an unknown figure) and one of its outcomes is above the
     * declared class: nothing says the chip is not. */
    add_check(v, "class", TPP_VERDICT_INCONCLUSIVE, "class may be above declared",
              "measured %s under %s (%s); the declared product is %s", tpp_zone_name(mc->zone),
              rs->id, mc->reason, tpp_zone_name(dc->zone));
  } else if (mc->zone == TPP_ZONE_INDETERMINATE || dc->zone == TPP_ZONE_INDETERMINATE) {
    add_check(v, "class", TPP_VERDICT_NOT_CHECKED, "not checked",
              "measured %s, declared %s under %s", tpp_zone_name(mc->zone), tpp_zone_name(dc->zone),
              rs->id);
  } else if (mc->zone > dc->zone) {
    add_check(v, "class",
              mc->borderline && mc->borderline_zone <= dc->zone ? TPP_VERDICT_BORDERLINE
                                                                : TPP_VERDICT_INCONSISTENT,
              "class above declared",
              "measured TPP %.6g on the declared %g mm² die is %s (%s); the declared product is "
              "%s (%s) under %s",
              mc->tpp, p->die_area_mm2, tpp_zone_name(mc->zone), mc->clause ? mc->clause : "-",
              tpp_zone_name(dc->zone), dc->clause ? dc->clause : "not controlled", rs->id);
  } else if (v->tpp_unmeasured) {
    /* Without the precision that sets the declared TPP the measured TPP is not comparable:
     * only a class above the declared one would have been a finding. */
    add_check(v, "class", TPP_VERDICT_NOT_CHECKED, "not checked",
              "measured TPP %.6g: %s, declared TPP %.6g: %s (%s); the precision that sets the "
              "declared TPP was not measured ok, so the classes cannot be compared",
              mc->tpp, tpp_zone_name(mc->zone), dc->tpp, tpp_zone_name(dc->zone), rs->id);
  } else if (mc->borderline && mc->borderline_zone > dc->zone) {
    add_check(v, "class", TPP_VERDICT_BORDERLINE, "class possibly above declared",
              "measured TPP %.6g: %s, declared %s (%s); %s", mc->tpp, tpp_zone_name(mc->zone),
              tpp_zone_name(dc->zone), rs->id, mc->borderline_reason);
  } else {
    add_check(v, "class", TPP_VERDICT_CONSISTENT,
              mc->zone == dc->zone ? "same class" : "class below declared",
              "measured TPP %.6g: %s; declared TPP %.6g: %s (%s)%s", mc->tpp,
              tpp_zone_name(mc->zone), dc->tpp, tpp_zone_name(dc->zone), rs->id,
              mc->zone < dc->zone ? "; a measurement reads below the theoretical peak the rule "
                                    "uses, so classify the declared figures for the export class"
                                  : "");
  }
  /* Under the other readings: both classifications list them in the same order. */
  v->n_readings = 0;
  for (size_t i = 0; i < dc->n_readings && i < mc->n_readings; i++) {
    const struct tpp_reading_outcome *a = &dc->readings[i], *b = &mc->readings[i];
    int above = a->evaluated && b->evaluated && a->zone != TPP_ZONE_INDETERMINATE &&
                b->zone != TPP_ZONE_INDETERMINATE && b->zone > a->zone;
    int above_now = mc->zone != TPP_ZONE_INDETERMINATE && dc->zone != TPP_ZONE_INDETERMINATE &&
                    mc->zone > dc->zone;
    if (!a->differs && above == above_now)
      continue;
    v->readings[v->n_readings].reading = a->reading;
    v->readings[v->n_readings].declared_zone = a->zone;
    v->readings[v->n_readings].measured_zone = b->zone;
    v->readings[v->n_readings].above = above;
    v->n_readings++;
  }
  return 0;
}

int
tpp_verify(const struct tpp_device_result *d, const struct tpp_profile *declared,
           const struct tpp_ruleset *rs, const struct tpp_verify_opts *o,
           struct tpp_verification *out)
{
  size_t compared = 0, n_bad = 0, n_border = 0, n_open = 0, used = 0;
  int err;

  if (!d || !declared || !rs || !o || !out)
    return TPP_EINVAL;
  memset(out, 0, sizeof(*out));
  /* Identity (4), one per declared figure, one per row, the class: never more. */
  out->cap_checks = 4 + declared->n_peaks + d->n_rows + 1;
  if (!(out->checks = calloc(out->cap_checks, sizeof(*out->checks))))
    return TPP_ENOMEM;
  snprintf(out->declared_id, sizeof(out->declared_id), "%s", declared->id);
  snprintf(out->declared_name, sizeof(out->declared_name), "%s %s", declared->vendor,
           declared->name);
  check_identity(d, declared, out);
  check_declared(d, declared, rs, o, out, &compared);
  check_other_rows(d, declared, rs, out, &compared);
  if ((err = check_class(d, declared, rs, out)) != 0) {
    tpp_verification_free(out);
    return err;
  }

  for (size_t i = 0; i < out->n_checks; i++) {
    n_bad += out->checks[i].verdict == TPP_VERDICT_INCONSISTENT;
    n_border += out->checks[i].verdict == TPP_VERDICT_BORDERLINE;
    n_open += out->checks[i].verdict == TPP_VERDICT_INCONCLUSIVE;
  }
  if (n_bad)
    out->verdict = TPP_VERDICT_INCONSISTENT;
  else if (out->tpp_unmeasured || compared == 0 || n_open)
    out->verdict = TPP_VERDICT_INCONCLUSIVE;
  else if (n_border)
    out->verdict = TPP_VERDICT_BORDERLINE;
  else
    out->verdict = TPP_VERDICT_CONSISTENT;

  used = (size_t)snprintf(out->summary, sizeof(out->summary), "%s as declared %s",
                          out->verdict == TPP_VERDICT_CONSISTENT     ? "Consistent"
                          : out->verdict == TPP_VERDICT_INCONSISTENT ? "NOT consistent"
                          : out->verdict == TPP_VERDICT_BORDERLINE   ? "Borderline"
                                                                     : "Inconclusive",
                          out->declared_name);
  for (size_t i = 0; i < out->n_checks && used < sizeof(out->summary); i++) {
    const struct tpp_check *c = &out->checks[i];
    int unmeasured_setter = out->tpp_unmeasured && c->sets_tpp &&
                            c->verdict == TPP_VERDICT_NOT_CHECKED;
    if (c->verdict != TPP_VERDICT_INCONSISTENT && c->verdict != TPP_VERDICT_BORDERLINE &&
        c->verdict != TPP_VERDICT_INCONCLUSIVE && !unmeasured_setter)
      continue;
    used += (size_t)snprintf(out->summary + used, sizeof(out->summary) - used, "%s %s: %s%s",
                             used && strchr(out->summary, ':') ? ";" : ":", c->what, c->finding,
                             unmeasured_setter
                                 ? " (it sets the declared TPP, so the class cannot be checked "
                                   "against what was measured)"
                                 : "");
  }
  if (out->verdict == TPP_VERDICT_INCONCLUSIVE && compared == 0 && used < sizeof(out->summary))
    used += (size_t)snprintf(out->summary + used, sizeof(out->summary) - used,
                             "%s no measured precision has a declared figure to compare with",
                             strchr(out->summary, ':') ? ";" : ":");
  if (out->n_errors && used < sizeof(out->summary))
    snprintf(out->summary + used, sizeof(out->summary) - used,
             "%s %zu row%s ended in an error (listed above)", strchr(out->summary, ':') ? ";" : ":",
             out->n_errors, out->n_errors == 1 ? "" : "s");
  return 0;
}

static json_t *
num_or_null(double v)
{
  return isfinite(v) ? json_real(v) : json_null();
}

int
tpp_verification_sensitive(const struct tpp_verification *v)
{
  const struct tpp_classification *dc = &v->declared_cls, *mc = &v->measured_cls;
  int above_now = mc->zone != TPP_ZONE_INDETERMINATE && dc->zone != TPP_ZONE_INDETERMINATE &&
                  mc->zone > dc->zone;
  for (size_t i = 0; i < v->n_readings; i++)
    if (v->readings[i].above != above_now)
      return 1;
  return 0;
}

json_t *
tpp_verification_to_json(const struct tpp_verification *v)
{
  json_t *checks = json_array(), *readings = json_array();
  for (size_t i = 0; i < v->n_checks; i++) {
    const struct tpp_check *c = &v->checks[i];
    json_array_append_new(
        checks,
        json_pack("{s:s, s:s, s:s, s:o, s:b, s:s, s:o, s:o, s:o, s:o}", "check", c->what, "verdict",
                  tpp_verdict_name(c->verdict), "finding", c->finding, "kernel",
                  c->kernel[0] ? json_string(c->kernel) : json_null(), "sets_declared_tpp",
                  c->sets_tpp, "detail", c->detail, "measured_tops", num_or_null(c->measured),
                  "declared_tops", num_or_null(c->declared), "floor_tops", num_or_null(c->limit_lo),
                  "ceiling_tops", num_or_null(c->limit_hi)));
  }
  for (size_t i = 0; i < v->n_readings; i++) {
    const struct tpp_verify_reading *r = &v->readings[i];
    json_array_append_new(
        readings,
        json_pack("{s:s, s:i, s:s, s:s, s:s}", "tpp_reading", tpp_tpp_reading_name(r->reading.tpp),
                  "tf32_bits", tpp_reading_bits(&r->reading, TPP_TF32), "declared_zone",
                  tpp_zone_name(r->declared_zone), "measured_zone", tpp_zone_name(r->measured_zone),
                  "class", r->above ? "class above declared" : "not above declared"));
  }
  return json_pack("{s:s, s:s, s:s, s:s, s:b, s:o, s:o, s:o, s:o}", "declared", v->declared_id,
                   "declared_name", v->declared_name, "verdict", tpp_verdict_name(v->verdict),
                   "summary", v->summary, "interpretation_sensitive", tpp_verification_sensitive(v),
                   "interpretations", readings, "checks", checks, "declared_classification",
                   tpp_classification_to_json(&v->declared_cls), "measured_classification",
                   tpp_classification_to_json(&v->measured_cls));
}

void
tpp_verification_print(const struct tpp_verification *v, FILE *out)
{
  fprintf(out, "declared    %s (%s)\n", v->declared_name, v->declared_id);
  for (size_t i = 0; i < v->n_checks; i++) {
    const struct tpp_check *c = &v->checks[i];
    const char *mark = c->verdict == TPP_VERDICT_CONSISTENT     ? "ok  "
                       : c->verdict == TPP_VERDICT_INCONSISTENT ? "FAIL"
                       : c->verdict == TPP_VERDICT_BORDERLINE   ? "~   "
                                                                : "-   ";
    fprintf(out, "  %s %-14s %s: %s\n", mark, c->what, c->finding, c->detail);
  }
  for (size_t i = 0; i < v->n_readings; i++) {
    const struct tpp_verify_reading *r = &v->readings[i];
    char rd[96];
    tpp_reading_format(rd, sizeof(rd), &r->reading);
    fprintf(out, "%s%s: declared %s, measured %s (%s)\n", i ? "            " : "readings    ", rd,
            tpp_zone_name(r->declared_zone), tpp_zone_name(r->measured_zone),
            r->above ? "class above declared" : "not above declared");
  }
  fprintf(out, "verdict     %s%s\n", tpp_verdict_name(v->verdict),
          tpp_verification_sensitive(v)
              ? "; interpretation-sensitive: the class check differs under another reading of "
                "the rule (readings above)"
          : v->n_readings ? "; the declared class is interpretation-sensitive (readings above), "
                            "the class check is not"
                          : "");
  fprintf(out, "            %s\n", v->summary);
}
