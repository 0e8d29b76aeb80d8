/* result.c - result documents: TPP per device, rows as classifier figures, run status.  Their
 * JSON, out and back in, is result_json.c.  See result.h and docs/result-schema.md. */
#include "tpp/result.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tpp/metrics.h"
#include "tpp/profile.h"

static const char *const status_names[TPP_ROW_STATUS_COUNT] = {
    [TPP_ROW_SKIPPED] = "skipped",
    [TPP_ROW_UNSUPPORTED] = "unsupported",
    [TPP_ROW_ERROR] = "error",
    [TPP_ROW_OK] = "ok",
};

const char *
tpp_row_status_name(enum tpp_row_status s)
{
  return (unsigned)s < TPP_ROW_STATUS_COUNT ? status_names[s] : "?";
}

void
tpp_device_result_set_profile(struct tpp_device_result *d, const struct tpp_profile *p,
                              const char *matched_by, int dc_forced)
{
  d->has_profile = 1;
  snprintf(d->profile.id, sizeof(d->profile.id), "%s", p->id);
  snprintf(d->profile.name, sizeof(d->profile.name), "%s %s", p->vendor, p->name);
  snprintf(d->profile.matched_by, sizeof(d->profile.matched_by), "%s", matched_by);
  snprintf(d->profile.file, sizeof(d->profile.file), "%s", p->path);
  snprintf(d->profile.sha256, sizeof(d->profile.sha256), "%s", p->sha256);
  d->profile.die_area_mm2 = p->die_area_mm2;
  d->profile.die_area_estimate = p->die_area_estimate;
  d->profile.datacenter = p->datacenter;
  d->profile.memory_bw_gbs = p->memory_bw_gbs;
  d->profile.interconnect_gbs = p->interconnect_gbs;
  memcpy(d->profile.advisories, p->advisories, sizeof(d->profile.advisories));
  d->profile.n_advisories = p->n_advisories;
  if (strncmp(d->die_area_source, "--die-area", 10) != 0 && isfinite(p->die_area_mm2)) {
    d->die_area_mm2 = p->die_area_mm2;
    snprintf(d->die_area_source, sizeof(d->die_area_source), "profile:%s%s", p->id,
             p->die_area_estimate ? " (estimate)" : "");
  }
  if (!dc_forced)
    d->datacenter = p->datacenter;
  if (isnan(d->interconnect_gbs) && isfinite(p->interconnect_gbs)) {
    d->interconnect_gbs = p->interconnect_gbs;
    snprintf(d->interconnect_source, sizeof(d->interconnect_source), "profile:%s", p->id);
  }
}

void
tpp_device_result_figures(const struct tpp_device_result *d, struct tpp_device_figures *out)
{
  size_t n = 0, nu = 0;
  for (size_t i = 0; i < d->n_rows && n < TPP_MAX_ROWS; i++) {
    const struct tpp_row *r = &d->rows[i];
    if (r->status == TPP_ROW_OK && r->unchecked && isfinite(r->tops)) {
      out->unchecked[nu].precision = r->precision;
      out->unchecked[nu].tops = r->tops;
      out->unchecked[nu].has_path = 1;
      out->unchecked[nu].path = r->path;
      nu++;
    }
    if (!tpp_row_counts(r))
      continue;
    /* An interrupted device may lack the row that sets its TPP: every figure is a bound. */
    out->lower_bound[n] = r->lower_bound || d->interrupted;
    out->peaks[n].precision = r->precision;
    out->peaks[n].tops = r->tops;
    out->peaks[n].has_path = 1;
    out->peaks[n].path = r->path;
    /* A row without samples has no spread: its ends are its median. */
    out->lo[n] = r->stats.n && isfinite(r->stats.min) ? r->stats.min : r->tops;
    out->hi[n] = r->stats.n && isfinite(r->stats.max) ? r->stats.max : r->tops;
    /* With --repeat the borderline logic sees the wider of the within-run and the
     * between-run spread. */
    if (r->runs.n > 1 && isfinite(r->runs.min) && isfinite(r->runs.max)) {
      out->lo[n] = fmin(out->lo[n], r->runs.min);
      out->hi[n] = fmax(out->hi[n], r->runs.max);
    }
    out->row[n] = (int)i;
    n++;
  }
  out->fig.peaks = out->peaks;
  out->fig.lo = out->lo;
  out->fig.hi = out->hi;
  out->fig.lower_bound = out->lower_bound;
  out->fig.n = n;
  out->fig.unchecked = out->unchecked;
  out->fig.n_unchecked = nu;
}

/* The spread of the DRAM bandwidth the rules see: that of its row, when measured. */
static void
bw_spread(const struct tpp_device_result *d, struct tpp_chip_facts *f)
{
  for (size_t i = 0; i < d->n_bw; i++) {
    const struct tpp_bw_row *b = &d->bw[i];
    if (b->status == TPP_ROW_OK && b->gbs == d->dram_bw_gbs && b->stats.n) {
      f->dram_bw_lo = b->stats.min;
      f->dram_bw_hi = b->stats.max;
    }
  }
}

size_t
tpp_profile_figures(const struct tpp_profile *p, struct tpp_peak *peaks, size_t cap)
{
  size_t n = 0;
  for (size_t i = 0; i < p->n_peaks && n < cap; i++, n++) {
    peaks[n].precision = p->peaks[i].precision;
    peaks[n].tops = p->peaks[i].tops;
    peaks[n].has_path = 1;
    peaks[n].path = p->peaks[i].path;
  }
  return n;
}

void
tpp_device_result_facts(const struct tpp_device_result *d, struct tpp_chip_facts *f)
{
  struct tpp_device_figures figs, *df = &figs; /* ~4 KB */
  tpp_chip_facts_init(f);
  f->tpp = d->tpp;
  f->die_area_mm2 = d->die_area_mm2;
  f->datacenter = d->datacenter;
  f->interconnect_gbs = d->interconnect_gbs;
  f->dram_bw_gbs = d->dram_bw_gbs;
  f->tpp_lower_bound = tpp_device_result_tpp_lower_bound(d);
  f->tpp_unchecked = d->tpp_unchecked;
  tpp_device_result_figures(d, df);
  if (df->fig.n > 0) {
    /* The spread's ends are read from the rows' ends, as TPP is from their medians. */
    for (size_t i = 0; i < df->fig.n; i++)
      df->peaks[i].tops = df->lo[i];
    f->tpp_lo = tpp_tpp_read(df->peaks, df->fig.n, &d->cls.reading, NULL);
    for (size_t i = 0; i < df->fig.n; i++)
      df->peaks[i].tops = df->hi[i];
    f->tpp_hi = tpp_tpp_read(df->peaks, df->fig.n, &d->cls.reading, NULL);
  }
  bw_spread(d, f);
}

int
tpp_row_counts(const struct tpp_row *r)
{
  return r->status == TPP_ROW_OK && !r->unchecked;
}

int
tpp_device_result_tpp_lower_bound(const struct tpp_device_result *d)
{
  int set_by[2] = {d->tpp_row, d->tpp_row_other};
  for (int k = 0; k < 2; k++)
    if (set_by[k] >= 0 && (size_t)set_by[k] < d->n_rows &&
        (d->rows[set_by[k]].lower_bound || d->interrupted))
      return 1;
  return 0;
}

int
tpp_device_result_classify(struct tpp_device_result *d, const struct tpp_ruleset *rs)
{
  struct tpp_device_figures figs, *df = &figs; /* ~4 KB */
  struct tpp_chip_facts facts;
  const struct tpp_bw_row *bw = NULL;
  size_t best[2];
  int err;

  for (size_t i = 0; i < d->n_bw; i++)
    if (d->bw[i].status == TPP_ROW_OK && isfinite(d->bw[i].gbs) && (!bw || d->bw[i].gbs > bw->gbs))
      bw = &d->bw[i];
  d->dram_bw_gbs = NAN;
  d->dram_bw_source[0] = '\0';
  if (bw) {
    d->dram_bw_gbs = bw->gbs;
    snprintf(d->dram_bw_source, sizeof(d->dram_bw_source), "measured (%s)", bw->kind);
  } else if (d->has_profile && isfinite(d->profile.memory_bw_gbs)) {
    d->dram_bw_gbs = d->profile.memory_bw_gbs;
    snprintf(d->dram_bw_source, sizeof(d->dram_bw_source), "profile:%s", d->profile.id);
  }

  if (!isnan(d->die_area_mm2) && !(d->die_area_mm2 > 0 && isfinite(d->die_area_mm2))) {
    char why[300];
    snprintf(why, sizeof(why),
             "Not classified: the die area %g mm² (%s) is not a positive "
             "number",
             d->die_area_mm2, d->die_area_source[0] ? d->die_area_source : "?");
    d->tpp = NAN;
    d->tpp_row = d->tpp_row_other = -1;
    tpp_classification_unknown(&d->cls, rs, why);
    return TPP_EINVAL;
  }
  tpp_device_result_figures(d, df);
  d->tpp = tpp_tpp_read(df->fig.peaks, df->fig.n, &rs->readings.chosen, best);
  d->tpp_row = best[0] < df->fig.n ? df->row[best[0]] : -1;
  d->tpp_row_other = best[1] < df->fig.n ? df->row[best[1]] : -1;
  /* Rows nothing bounded from above are not in TPP; the highest of them is shown beside it
   * when it would set TPP higher. */
  d->tpp_unchecked = NAN;
  for (size_t i = 0; i < d->n_rows; i++) {
    double b = tpp_bit_tops(d->rows[i].precision, d->rows[i].tops);
    if (d->rows[i].status == TPP_ROW_OK && d->rows[i].unchecked && isfinite(b) &&
        !(d->tpp_unchecked >= b))
      d->tpp_unchecked = b;
  }
  if (d->tpp_unchecked <= d->tpp)
    d->tpp_unchecked = NAN;
  tpp_chip_facts_init(&facts);
  facts.die_area_mm2 = d->die_area_mm2;
  facts.datacenter = d->datacenter;
  facts.interconnect_gbs = d->interconnect_gbs;
  facts.dram_bw_gbs = d->dram_bw_gbs;
  bw_spread(d, &facts);
  err = tpp_classify_figures(rs, &facts, &df->fig, &d->cls);
  if (err != 0) {
    char why[200];
    snprintf(why, sizeof(why), "not classified: %s", tpp_strerror(err));
    tpp_classification_unknown(&d->cls, rs, why);
    return err;
  }
  if (d->error[0] && isnan(d->tpp))
    snprintf(d->cls.reason, sizeof(d->cls.reason),
             "Not measured (%s): no clause of %s can be "
             "tested",
             d->error, rs->id);
  return 0;
}

void
tpp_device_result_not_measured(struct tpp_device_result *d, const char *why)
{
  snprintf(d->error, sizeof(d->error), "%s", why && why[0] ? why : "not measured");
  d->n_rows = 0;
  d->n_bw = 0;
  d->tpp = NAN;
  d->tpp_row = d->tpp_row_other = -1;
  tpp_classification_unknown(&d->cls, NULL, d->error);
}

int
tpp_result_run_status(const struct tpp_result *r, size_t *failed, size_t *errors, size_t *measured)
{
  size_t nf = 0, ne = 0, nm = 0;
  for (size_t k = 0; k < r->n_devices; k++) {
    const struct tpp_device_result *d = &r->devices[k];
    nf += d->error[0] != '\0';
    for (size_t i = 0; i < d->n_rows; i++) {
      ne += d->rows[i].status == TPP_ROW_ERROR;
      nm += d->rows[i].status == TPP_ROW_OK;
    }
    for (size_t i = 0; i < d->n_bw; i++)
      ne += d->bw[i].status == TPP_ROW_ERROR;
  }
  if (failed)
    *failed = nf;
  if (errors)
    *errors = ne;
  if (measured)
    *measured = nm;
  return nm > 0 && nf == 0 && ne == 0 ? 0 : 1;
}

struct tpp_row *
tpp_device_result_add_row(struct tpp_device_result *d)
{
  struct tpp_row *grown, *row;
  if (d->n_rows >= TPP_MAX_ROWS)
    return NULL;
  /* One more each time: a run adds at most TPP_MAX_ROWS, and a reader allocates at once. */
  if (!(grown = realloc(d->rows, (d->n_rows + 1) * sizeof(*grown))))
    return NULL;
  d->rows = grown;
  row = &d->rows[d->n_rows++];
  memset(row, 0, sizeof(*row));
  row->tops = row->peak_tops = row->efficiency = row->ops_per_launch = NAN;
  tpp_telemetry_clear(&row->telemetry);
  return row;
}

void
tpp_device_result_free(struct tpp_device_result *d)
{
  free(d->rows);
  d->rows = NULL;
  d->n_rows = 0;
  json_decref(d->placement);
  d->placement = NULL;
}

void
tpp_result_free(struct tpp_result *r)
{
  if (!r)
    return;
  for (size_t i = 0; i < r->n_devices; i++)
    tpp_device_result_free(&r->devices[i]);
  free(r->devices);
  json_decref(r->host);
  json_decref(r->labels);
  tpp_provenance_free(&r->prov);
  r->labels = NULL;
  json_decref(r->warnings);
  r->devices = NULL;
  r->host = NULL;
  r->warnings = NULL;
  r->n_devices = 0;
}

long
tpp_result_find_simulated(const struct tpp_result *r)
{
  for (size_t i = 0; i < r->n_devices; i++)
    if (r->devices[i].info.simulated)
      return (long)i;
  return -1;
}
