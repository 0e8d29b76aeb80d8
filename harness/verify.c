/* verify.c - a measured device against its declared profile.  See verify.h. */
#define _DEFAULT_SOURCE /* strncasecmp */
#include "tpp/verify.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "tpp/metrics.h"

static const char *const verdict_names[] = {
    [TPP_VERDICT_CONSISTENT] = "consistent",
    [TPP_VERDICT_BORDERLINE] = "borderline",
    [TPP_VERDICT_INCONCLUSIVE] = "inconclusive",
    [TPP_VERDICT_INCONSISTENT] = "inconsistent",
    [TPP_VERDICT_NOT_CHECKED] = "not checked",
};

const char *
tpp_verdict_name(enum tpp_verdict v)
{
  return (unsigned)v <= TPP_VERDICT_NOT_CHECKED ? verdict_names[v] : "?";
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

static struct tpp_check *add_check(struct tpp_verification *v, const char *what,
                                   enum tpp_verdict verdict, const char *finding,
                                   const char *fmt, ...) __attribute__((format(printf, 5, 6)));

static struct tpp_check *
add_check(struct tpp_verification *v, const char *what, enum tpp_verdict verdict,
          const char *finding, const char *fmt, ...)
{
  struct tpp_check *c;
  va_list ap;
  if (v->n_checks == TPP_VERIFY_MAX_CHECKS)
    return NULL;
  c = &v->checks[v->n_checks++];
  snprintf(c->what, sizeof(c->what), "%s", what);
  c->verdict = verdict;
  c->finding = finding;
  c->measured = c->declared = c->limit_lo = c->limit_hi = NAN;
  va_start(ap, fmt);
  vsnprintf(c->detail, sizeof(c->detail), fmt, ap);
  va_end(ap);
  return c;
}

static int
name_contains(const char *hay, const char *needle)
{
  size_t n = strlen(needle);
  for (; *hay; hay++)
    if (strncasecmp(hay, needle, n) == 0)
      return 1;
  return 0;
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
      ok |= name_contains(i->name, p->names[k]);
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

/* Is this precision one a datasheet gives (int16/int32 are tppbench's own rows)? */
static int
datasheet_precision(enum tpp_precision p)
{
  return p != TPP_INT16 && p != TPP_INT32;
}

static int
profile_has_path(const struct tpp_profile *p, enum tpp_path path)
{
  for (size_t i = 0; i < p->n_peaks; i++)
    if (p->peaks[i].path == path)
      return 1;
  return 0;
}

static void
check_row(const struct tpp_row *r, const struct tpp_profile *p, const struct tpp_verify_opts *o,
          struct tpp_verification *v, size_t *compared)
{
  char what[48], basis[160];
  double clk, declared = tpp_profile_peak(p, r->precision, r->path, &clk);
  double lo = r->stats.n ? r->stats.min : r->tops, hi = r->stats.n ? r->stats.max : r->tops;
  double mclk = r->telemetry.clock_mhz, at_clock, over, under;
  struct tpp_check *c;

  snprintf(what, sizeof(what), "%s %s", tpp_precision_name(r->precision), tpp_path_name(r->path));
  if (isnan(declared)) {
    /* A matrix precision the declared product does not have at all is a capability it
     * should not show; a vector row without a datasheet figure is simply not compared. */
    if (r->path == TPP_PATH_TENSOR && profile_has_path(p, TPP_PATH_TENSOR) && r->verified) {
      c = add_check(v, what, TPP_VERDICT_INCONSISTENT, "not in the declared product",
                    "measured %.4g TOPS (verified), but the declared product has no %s %s figure",
                    r->tops, tpp_precision_name(r->precision), tpp_path_name(r->path));
      if (c)
        c->measured = r->tops;
      (*compared)++;
    }
    return;
  }
  (*compared)++;
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
                  "measured %.4g TOPS (lowest sample %.4g) > %.4g: %s, + %.0f%%", r->tops, lo,
                  over, basis, 100 * o->tolerance);
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
  if (c) {
    c->measured = r->tops;
    c->declared = declared;
    c->limit_lo = under;
    c->limit_hi = over;
  }
}

static int
check_class(const struct tpp_device_result *d, const struct tpp_profile *p,
            const struct tpp_ruleset *rs, struct tpp_verification *v)
{
  struct tpp_chip_facts df, mf;
  const struct tpp_classification *dc = &v->declared_cls, *mc = &v->measured_cls;
  int err;

  tpp_chip_facts_init(&df);
  df.tpp = tpp_profile_tpp(p, NULL);
  df.die_area_mm2 = p->die_area_mm2;
  df.datacenter = p->datacenter;
  df.interconnect_gbs = p->interconnect_gbs;
  df.dram_bw_gbs = p->memory_bw_gbs;
  if ((err = tpp_classify(rs, &df, &v->declared_cls)) != 0)
    return err;
  /* The measured chip (TPP, spread, DRAM bandwidth) on the declared die. */
  tpp_device_result_facts(d, &mf);
  mf.die_area_mm2 = df.die_area_mm2;
  mf.datacenter = df.datacenter;
  mf.interconnect_gbs = df.interconnect_gbs;
  if (isnan(mf.dram_bw_gbs))
    mf.dram_bw_gbs = df.dram_bw_gbs;
  if ((err = tpp_classify(rs, &mf, &v->measured_cls)) != 0)
    return err;
  if (mc->zone == TPP_ZONE_INDETERMINATE || dc->zone == TPP_ZONE_INDETERMINATE) {
    add_check(v, "class", TPP_VERDICT_NOT_CHECKED, "not checked",
              "measured %s, declared %s under %s", tpp_zone_name(mc->zone), tpp_zone_name(dc->zone),
              rs->id);
  } else if (mc->zone > dc->zone) {
    add_check(v, "class", mc->borderline && mc->borderline_zone <= dc->zone
                              ? TPP_VERDICT_BORDERLINE : TPP_VERDICT_INCONSISTENT,
              "class above declared",
              "measured TPP %.6g on the declared %g mm² die is %s (%s); the declared product is "
              "%s (%s) under %s",
              mc->tpp, p->die_area_mm2, tpp_zone_name(mc->zone), mc->clause ? mc->clause : "-",
              tpp_zone_name(dc->zone), dc->clause ? dc->clause : "not controlled", rs->id);
  } else {
    add_check(v, "class", TPP_VERDICT_CONSISTENT,
              mc->zone == dc->zone ? "same class" : "class below declared",
              "measured TPP %.6g: %s; declared TPP %.6g: %s (%s)%s", mc->tpp,
              tpp_zone_name(mc->zone), dc->tpp, tpp_zone_name(dc->zone), rs->id,
              mc->zone < dc->zone ? "; a measurement reads below the theoretical peak the rule "
                                    "uses, so classify the declared figures for the export class"
                                  : "");
  }
  return 0;
}

int
tpp_verify(const struct tpp_device_result *d, const struct tpp_profile *declared,
           const struct tpp_ruleset *rs, const struct tpp_verify_opts *o,
           struct tpp_verification *out)
{
  size_t compared = 0, n_bad = 0, n_border = 0, used = 0;
  int err;

  if (!d || !declared || !rs || !o || !out)
    return TPP_EINVAL;
  memset(out, 0, sizeof(*out));
  snprintf(out->declared_id, sizeof(out->declared_id), "%s", declared->id);
  snprintf(out->declared_name, sizeof(out->declared_name), "%s %s", declared->vendor,
           declared->name);
  check_identity(d, declared, out);
  for (size_t i = 0; i < d->n_rows; i++)
    if (d->rows[i].status == TPP_ROW_OK && datasheet_precision(d->rows[i].precision))
      check_row(&d->rows[i], declared, o, out, &compared);
  if ((err = check_class(d, declared, rs, out)) != 0)
    return err;

  for (size_t i = 0; i < out->n_checks; i++) {
    n_bad += out->checks[i].verdict == TPP_VERDICT_INCONSISTENT;
    n_border += out->checks[i].verdict == TPP_VERDICT_BORDERLINE;
  }
  if (n_bad)
    out->verdict = TPP_VERDICT_INCONSISTENT;
  else if (compared == 0)
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
    if (c->verdict != TPP_VERDICT_INCONSISTENT && c->verdict != TPP_VERDICT_BORDERLINE)
      continue;
    used += (size_t)snprintf(out->summary + used, sizeof(out->summary) - used, "%s %s: %s",
                             used && strchr(out->summary, ':') ? ";" : ":", c->what, c->finding);
  }
  if (out->verdict == TPP_VERDICT_INCONCLUSIVE && used < sizeof(out->summary))
    snprintf(out->summary + used, sizeof(out->summary) - used,
             ": no measured precision has a declared figure to compare with");
  return 0;
}

static json_t *
num_or_null(double v)
{
  return isfinite(v) ? json_real(v) : json_null();
}

json_t *
tpp_verification_to_json(const struct tpp_verification *v)
{
  json_t *checks = json_array();
  for (size_t i = 0; i < v->n_checks; i++) {
    const struct tpp_check *c = &v->checks[i];
    json_array_append_new(
        checks, json_pack("{s:s, s:s, s:s, s:s, s:o, s:o, s:o, s:o}", "check", c->what,
                          "verdict", tpp_verdict_name(c->verdict), "finding", c->finding,
                          "detail", c->detail, "measured_tops", num_or_null(c->measured),
                          "declared_tops", num_or_null(c->declared), "floor_tops",
                          num_or_null(c->limit_lo), "ceiling_tops", num_or_null(c->limit_hi)));
  }
  return json_pack("{s:s, s:s, s:s, s:s, s:o, s:o, s:o}", "declared", v->declared_id,
                   "declared_name", v->declared_name, "verdict", tpp_verdict_name(v->verdict),
                   "summary", v->summary, "checks", checks, "declared_classification",
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
  fprintf(out, "verdict     %s\n", tpp_verdict_name(v->verdict));
  fprintf(out, "            %s\n", v->summary);
}
