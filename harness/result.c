/* result.c - result documents: TPP per device, JSON out and back in.  See result.h and
 * docs/result-schema.md. */
#include "tpp/result.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tpp/claims.h"
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

static int
status_parse(const char *name, enum tpp_row_status *out)
{
  for (int i = 0; i < TPP_ROW_STATUS_COUNT; i++)
    if (strcmp(name, status_names[i]) == 0) {
      *out = (enum tpp_row_status)i;
      return 0;
    }
  return TPP_EINVAL;
}

void
tpp_device_result_set_profile(struct tpp_device_result *d, const struct tpp_profile *p,
                              const char *matched_by, int dc_forced)
{
  d->has_profile = 1;
  snprintf(d->profile.id, sizeof(d->profile.id), "%s", p->id);
  snprintf(d->profile.name, sizeof(d->profile.name), "%s %s", p->vendor, p->name);
  snprintf(d->profile.matched_by, sizeof(d->profile.matched_by), "%s", matched_by);
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
    out->lower_bound[n] = r->lower_bound;
    out->peaks[n].precision = r->precision;
    out->peaks[n].tops = r->tops;
    out->peaks[n].has_path = 1;
    out->peaks[n].path = r->path;
    /* A row without samples has no spread: its ends are its median. */
    out->lo[n] = r->stats.n && isfinite(r->stats.min) ? r->stats.min : r->tops;
    out->hi[n] = r->stats.n && isfinite(r->stats.max) ? r->stats.max : r->tops;
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
    if (set_by[k] >= 0 && (size_t)set_by[k] < d->n_rows && d->rows[set_by[k]].lower_bound)
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

/* --- writing ------------------------------------------------------------------------ */

static json_t *
num_or_null(double v)
{
  return isfinite(v) ? json_real(v) : json_null();
}

static json_t *
stats_json(const struct tpp_stats *s)
{
  if (s->n == 0)
    return json_null();
  return json_pack("{s:I, s:o, s:o, s:o, s:o, s:o, s:o}", "samples", (json_int_t)s->n, "median",
                   num_or_null(s->median), "min", num_or_null(s->min), "max", num_or_null(s->max),
                   "mean", num_or_null(s->mean), "stddev", num_or_null(s->stddev), "cv",
                   num_or_null(s->cv));
}

static json_t *
hex16_or_null(unsigned v)
{
  char buf[8];
  if (v == 0 || v > 0xffff)
    return json_null();
  snprintf(buf, sizeof(buf), "%04x", v);
  return json_string(buf);
}

static json_t *
profile_json(const struct tpp_device_result *d)
{
  if (!d->has_profile)
    return json_null();
  return json_pack("{s:s, s:s, s:s, s:o, s:b, s:b, s:o, s:o, s:o}", "id", d->profile.id, "name",
                   d->profile.name, "matched_by", d->profile.matched_by, "die_area_mm2",
                   num_or_null(d->profile.die_area_mm2), "die_area_estimate",
                   d->profile.die_area_estimate, "datacenter", d->profile.datacenter,
                   "memory_bandwidth_gbs", num_or_null(d->profile.memory_bw_gbs),
                   "interconnect_gbs", num_or_null(d->profile.interconnect_gbs), "advisories",
                   tpp_advisory_list_json(d->profile.advisories, d->profile.n_advisories));
}

static json_t *
identity_json(const struct tpp_device_info *i)
{
  json_t *o = json_object();
  json_object_set_new(o, "backend", json_string(i->backend));
  json_object_set_new(o, "selector", json_string(i->selector));
  json_object_set_new(o, "platform_index", json_integer(i->platform_index));
  json_object_set_new(o, "device_index", json_integer(i->device_index));
  json_object_set_new(o, "name", json_string(i->name));
  json_object_set_new(o, "vendor", json_string(i->vendor));
  json_object_set_new(o, "platform", json_string(i->platform));
  json_object_set_new(o, "driver_version", json_string(i->driver_version));
  json_object_set_new(o, "device_version", json_string(i->device_version));
  json_object_set_new(o, "type", json_string(i->type));
  json_object_set_new(o, "compute_units", json_integer(i->compute_units));
  json_object_set_new(o, "clock_mhz_max", num_or_null(i->clock_mhz_max));
  json_object_set_new(o, "global_mem_bytes", json_integer((json_int_t)i->global_mem_bytes));
  json_object_set_new(o, "max_alloc_bytes", json_integer((json_int_t)i->max_alloc_bytes));
  json_object_set_new(o, "pci_bus_id", i->pci_bus_id[0] ? json_string(i->pci_bus_id) : json_null());
  json_object_set_new(o, "pci_vendor_id", hex16_or_null(i->pci_vendor_id));
  json_object_set_new(o, "pci_device_id",
                      i->pci_vendor_id ? hex16_or_null(i->pci_device_id) : json_null());
  json_object_set_new(o, "uuid", i->uuid[0] ? json_string(i->uuid) : json_null());
  if (i->cc_major > 0) {
    char cc[16];
    snprintf(cc, sizeof(cc), "%d.%d", i->cc_major, i->cc_minor);
    json_object_set_new(o, "compute_capability", json_string(cc));
  } else {
    json_object_set_new(o, "compute_capability", json_null());
  }
  json_object_set_new(o, "power_limit_w", num_or_null(i->power_limit_w));
  json_object_set_new(o, "extensions", json_string(i->extensions));
  if (i->simulated) /* written only for a simulated device: it can never pass for a real one */
    json_object_set_new(o, "simulated", json_true());
  return o;
}

static json_t *
telemetry_json(const struct tpp_telemetry *t)
{
  char events[256];
  json_t *o = json_object();
  tpp_clock_events_format(t->clock_event_reasons, events, sizeof(events));
  json_object_set_new(o, "samples", json_integer(t->samples));
  json_object_set_new(o, "clock_mhz_min", num_or_null(t->clock_mhz_min));
  json_object_set_new(o, "clock_mhz_max", num_or_null(t->clock_mhz_max));
  json_object_set_new(o, "power_w", num_or_null(t->power_w));
  json_object_set_new(o, "power_w_max", num_or_null(t->power_w_max));
  json_object_set_new(o, "temperature_c_max", num_or_null(t->temperature_c_max));
  json_object_set_new(o, "clock_event_reasons", json_integer((json_int_t)t->clock_event_reasons));
  json_object_set_new(o, "clock_events", json_string(events));
  return o;
}

static json_t *
row_json(const struct tpp_row *r)
{
  json_t *o = json_object();
  json_object_set_new(o, "precision", json_string(tpp_precision_name(r->precision)));
  json_object_set_new(o, "path", json_string(tpp_path_name(r->path)));
  json_object_set_new(o, "status", json_string(tpp_row_status_name(r->status)));
  json_object_set_new(o, "reason", r->reason[0] ? json_string(r->reason) : json_null());
  json_object_set_new(o, "kernel", r->kernel[0] ? json_string(r->kernel) : json_null());
  json_object_set_new(o, "tops", num_or_null(r->tops));
  json_object_set_new(o, "bit_tops", num_or_null(tpp_bit_tops(r->precision, r->tops)));
  json_object_set_new(o, "stats", stats_json(&r->stats));
  json_object_set_new(o, "ops_per_launch", num_or_null(r->ops_per_launch));
  json_object_set_new(o, "clock_mhz", num_or_null(r->telemetry.clock_mhz));
  json_object_set_new(o, "clock_source",
                      r->clock_source[0] ? json_string(r->clock_source) : json_null());
  json_object_set_new(o, "telemetry", telemetry_json(&r->telemetry));
  json_object_set_new(o, "peak_tops", num_or_null(r->peak_tops));
  json_object_set_new(o, "efficiency", num_or_null(r->efficiency));
  json_object_set_new(o, "verified", json_boolean(r->verified));
  json_object_set_new(o, "unchecked", json_boolean(r->unchecked));
  json_object_set_new(o, "lower_bound", json_boolean(r->lower_bound));
  json_object_set_new(o, "device_reset", json_boolean(r->device_reset));
  return o;
}

static json_t *
bw_json(const struct tpp_bw_row *b)
{
  json_t *o = json_object();
  json_object_set_new(o, "kind", json_string(b->kind));
  json_object_set_new(o, "status", json_string(tpp_row_status_name(b->status)));
  json_object_set_new(o, "reason", b->reason[0] ? json_string(b->reason) : json_null());
  json_object_set_new(o, "kernel", b->kernel[0] ? json_string(b->kernel) : json_null());
  json_object_set_new(o, "gbs", num_or_null(b->gbs));
  json_object_set_new(o, "stats", stats_json(&b->stats));
  json_object_set_new(o, "bytes_per_launch", num_or_null(b->bytes_per_launch));
  json_object_set_new(o, "verified", json_boolean(b->verified));
  json_object_set_new(o, "device_reset", json_boolean(b->device_reset));
  return o;
}

static json_t *
device_json(const struct tpp_device_result *d)
{
  json_t *o = json_object(), *rows = json_array(), *bws = json_array();
  json_object_set_new(o, "identity", identity_json(&d->info));
  json_object_set_new(o, "error", d->error[0] ? json_string(d->error) : json_null());
  json_object_set_new(o, "placement", d->placement ? json_deep_copy(d->placement) : json_null());
  json_object_set_new(o, "die_area_mm2", num_or_null(d->die_area_mm2));
  json_object_set_new(o, "die_area_source", json_string(d->die_area_source));
  json_object_set_new(o, "datacenter", json_boolean(d->datacenter));
  json_object_set_new(o, "profile", profile_json(d));
  json_object_set_new(o, "interconnect_gbs", num_or_null(d->interconnect_gbs));
  json_object_set_new(o, "interconnect_source", json_string(d->interconnect_source));
  json_object_set_new(o, "dram_bandwidth_gbs", num_or_null(d->dram_bw_gbs));
  json_object_set_new(o, "dram_bandwidth_source", json_string(d->dram_bw_source));
  for (size_t i = 0; i < d->n_rows; i++)
    json_array_append_new(rows, row_json(&d->rows[i]));
  json_object_set_new(o, "measurements", rows);
  for (size_t i = 0; i < d->n_bw; i++)
    json_array_append_new(bws, bw_json(&d->bw[i]));
  json_object_set_new(o, "memory_bandwidth", bws);
  json_object_set_new(o, "tpp", num_or_null(d->tpp));
  json_object_set_new(o, "tpp_precision",
                      d->tpp_row >= 0
                          ? json_string(tpp_precision_name(d->rows[d->tpp_row].precision))
                          : json_null());
  {
    json_t *from = json_array();
    int set_by[2] = {d->tpp_row, d->tpp_row_other};
    for (int k = 0; k < 2; k++)
      if (set_by[k] >= 0 && (size_t)set_by[k] < d->n_rows)
        json_array_append_new(from, json_pack("{s:s, s:s}", "precision",
                                              tpp_precision_name(d->rows[set_by[k]].precision),
                                              "path", tpp_path_name(d->rows[set_by[k]].path)));
    json_object_set_new(o, "tpp_from", from);
  }
  json_object_set_new(o, "tpp_lower_bound", json_boolean(tpp_device_result_tpp_lower_bound(d)));
  json_object_set_new(o, "tpp_unchecked", num_or_null(d->tpp_unchecked));
  json_object_set_new(o, "classification", tpp_classification_to_json(&d->cls));
  return o;
}

json_t *
tpp_result_to_json(const struct tpp_result *r)
{
  json_t *o = json_object(), *backends = json_array(), *devices = json_array();
  json_object_set_new(o, "schema_version", json_integer(TPP_RESULT_SCHEMA_VERSION));
  json_object_set_new(o, "tool",
                      json_pack("{s:s, s:s}", "name", "tppbench", "version", r->tool_version));
  json_object_set_new(o, "created", json_string(r->created));
  json_object_set_new(o, "budget_s", num_or_null(r->budget_s));
  json_object_set_new(o, "host", r->host ? json_deep_copy(r->host) : json_null());
  for (size_t i = 0; i < r->n_backends; i++)
    json_array_append_new(backends, json_pack("{s:s, s:b, s:s}", "name", r->backends[i].name,
                                              "available", r->backends[i].status.available,
                                              "reason", r->backends[i].status.reason));
  json_object_set_new(o, "backends", backends);
  for (size_t i = 0; i < r->n_devices; i++)
    json_array_append_new(devices, device_json(&r->devices[i]));
  json_object_set_new(o, "devices", devices);
  return o;
}

/* --- reading ------------------------------------------------------------------------ */

/* A number that may be null (NAN then). */
static int
get_opt_number(struct tpp_jctx *c, json_t *obj, const char *path, const char *key, double *out)
{
  int rc = tpp_jget_number(c, obj, path, key, 0, out);
  if (rc == 1)
    *out = NAN;
  return rc < 0 ? rc : 0;
}

static int
get_opt_string(struct tpp_jctx *c, json_t *obj, const char *path, const char *key, char *buf,
               size_t len)
{
  int rc = tpp_jget_string(c, obj, path, key, 0, buf, len);
  if (rc == 1)
    buf[0] = '\0';
  return rc < 0 ? rc : 0;
}

static int
read_stats(struct tpp_jctx *c, json_t *obj, const char *path, struct tpp_stats *s)
{
  static const char *const keys[] = {"samples", "median", "min", "max",
                                     "mean",    "stddev", "cv",  NULL};
  json_t *st;
  char p[256];
  long long n;
  int rc;

  memset(s, 0, sizeof(*s));
  if ((rc = tpp_jget_object(c, obj, path, "stats", 0, &st)) != 0)
    return rc < 0 ? rc : 0;
  tpp_jpath_key(p, sizeof(p), path, "stats");
  if ((rc = tpp_jcheck_keys(c, st, p, keys)) ||
      (rc = tpp_jget_int(c, st, p, "samples", 1, &n)) < 0 ||
      (rc = get_opt_number(c, st, p, "median", &s->median)) ||
      (rc = get_opt_number(c, st, p, "min", &s->min)) ||
      (rc = get_opt_number(c, st, p, "max", &s->max)) ||
      (rc = get_opt_number(c, st, p, "mean", &s->mean)) ||
      (rc = get_opt_number(c, st, p, "stddev", &s->stddev)) ||
      (rc = get_opt_number(c, st, p, "cv", &s->cv)))
    return rc;
  if (n < 1)
    return tpp_jfail(c, TPP_EPARSE, p, "samples must be at least 1");
  s->n = (size_t)n;
  return 0;
}

static int
read_telemetry(struct tpp_jctx *c, json_t *row, const char *path, struct tpp_telemetry *t)
{
  static const char *const keys[] = {
      "samples",           "clock_mhz_min",       "clock_mhz_max", "power_w", "power_w_max",
      "temperature_c_max", "clock_event_reasons", "clock_events",  NULL};
  json_t *o;
  char p[256];
  long long v;
  int rc;

  if ((rc = tpp_jget_object(c, row, path, "telemetry", 0, &o)) != 0)
    return rc < 0 ? rc : 0;
  tpp_jpath_key(p, sizeof(p), path, "telemetry");
  if ((rc = tpp_jcheck_keys(c, o, p, keys)) ||
      (rc = get_opt_number(c, o, p, "clock_mhz_min", &t->clock_mhz_min)) ||
      (rc = get_opt_number(c, o, p, "clock_mhz_max", &t->clock_mhz_max)) ||
      (rc = get_opt_number(c, o, p, "power_w", &t->power_w)) ||
      (rc = get_opt_number(c, o, p, "power_w_max", &t->power_w_max)) ||
      (rc = get_opt_number(c, o, p, "temperature_c_max", &t->temperature_c_max)))
    return rc;
  if ((rc = tpp_jget_int(c, o, p, "samples", 0, &v)) < 0)
    return rc;
  t->samples = rc == 0 ? (int)v : 0;
  if ((rc = tpp_jget_int(c, o, p, "clock_event_reasons", 0, &v)) < 0)
    return rc;
  t->clock_event_reasons = rc == 0 ? (unsigned long long)v : 0;
  return 0; /* "clock_events" is derived from the bits */
}

static int
read_status(struct tpp_jctx *c, json_t *obj, const char *path, enum tpp_row_status *st)
{
  char name[32], p[256];
  int rc = tpp_jget_string(c, obj, path, "status", 1, name, sizeof(name));
  if (rc < 0)
    return rc;
  if (status_parse(name, st) != 0)
    return tpp_jfail(c, TPP_EPARSE, tpp_jpath_key(p, sizeof(p), path, "status"),
                     "unknown status \"%s\" (ok, unsupported, skipped, error)", name);
  return 0;
}

/* --- re-checks of what a file derives from its rows ----------------------------------- */

/* a and b agree to TPP_RESULT_REL_TOL (relative to the larger). */
static int
agree(double a, double b)
{
  return fabs(a - b) <= TPP_RESULT_REL_TOL * fmax(fabs(a), fabs(b));
}

/* A row's derived figures against the figures they come from.  bit_tops is what the file
 * says (NAN: null or absent). */
static int
check_row(struct tpp_jctx *c, const char *path, const struct tpp_row *r, double bit_tops)
{
  const struct tpp_stats *st = &r->stats;
  char p[300];

  if (st->n && !isnan(st->median)) {
    if (!isnan(st->min) && !isnan(st->max) &&
        !(st->min <= st->median * (1 + TPP_RESULT_REL_TOL) &&
          st->median <= st->max * (1 + TPP_RESULT_REL_TOL)))
      return tpp_jfail(c, TPP_EPARSE, tpp_jpath_key(p, sizeof(p), path, "stats.median"),
                       "median %.17g lies outside its samples' range [%.17g, %.17g]", st->median,
                       st->min, st->max);
    if (!isnan(r->tops) && !agree(r->tops, st->median))
      return tpp_jfail(c, TPP_EPARSE, tpp_jpath_key(p, sizeof(p), path, "tops"),
                       "tops %.17g contradicts its samples' median %.17g (stats.median)", r->tops,
                       st->median);
  }
  if (!isnan(bit_tops)) {
    double want = tpp_bit_tops(r->precision, r->tops);
    if (isnan(want) || !agree(bit_tops, want))
      return tpp_jfail(c, TPP_EPARSE, tpp_jpath_key(p, sizeof(p), path, "bit_tops"),
                       "bit_tops %.17g is not tops x %d bits (%.17g)", bit_tops,
                       tpp_precision_bits(r->precision), want);
  }
  if (!isnan(r->efficiency)) {
    double want = tpp_efficiency(r->tops, r->peak_tops);
    if (r->status == TPP_ROW_OK && r->efficiency > 1 + TPP_RESULT_REL_TOL)
      return tpp_jfail(c, TPP_EPARSE, tpp_jpath_key(p, sizeof(p), path, "efficiency"),
                       "efficiency %.17g is above 1 on a row with status ok (a measurement "
                       "above the per-clock peak is an error)",
                       r->efficiency);
    if (!isnan(want) && !agree(r->efficiency, want))
      return tpp_jfail(c, TPP_EPARSE, tpp_jpath_key(p, sizeof(p), path, "efficiency"),
                       "efficiency %.17g is not tops / peak_tops (%.17g)", r->efficiency, want);
  }
  return 0;
}

/* The device's stored TPP (and its precision) against its ok rows under the stored
 * reading.  tpp and prec are what the file says (NAN / "": null or absent). */
static int
check_tpp(struct tpp_jctx *c, const char *path, const struct tpp_device_result *d, double tpp,
          const char *prec)
{
  struct tpp_device_figures figs;
  size_t best[2];
  double want;
  char p[300], rd[96];

  tpp_device_result_figures(d, &figs);
  want = tpp_tpp_read(figs.fig.peaks, figs.fig.n, &d->stored.reading, best);
  tpp_reading_format(rd, sizeof(rd), &d->stored.reading);
  if (!isnan(tpp) && (isnan(want) || !agree(tpp, want)))
    return tpp_jfail(c, TPP_EPARSE, tpp_jpath_key(p, sizeof(p), path, "tpp"),
                     "tpp %.17g is not the TPP of the rows with status ok (%s: %.17g)", tpp, rd,
                     want);
  if (prec[0] && !isnan(tpp)) {
    /* Any row that ties with the one that sets TPP may be named. */
    double top = figs.peaks[best[0]].tops *
                 tpp_reading_bits(&d->stored.reading, figs.peaks[best[0]].precision);
    int ok = 0;
    for (size_t i = 0; i < figs.fig.n; i++)
      ok |= strcmp(tpp_precision_name(figs.peaks[i].precision), prec) == 0 &&
            agree(figs.peaks[i].tops *
                      tpp_reading_bits(&d->stored.reading, figs.peaks[i].precision),
                  top);
    if (!ok)
      return tpp_jfail(c, TPP_EPARSE, tpp_jpath_key(p, sizeof(p), path, "tpp_precision"),
                       "\"%s\" is not the precision of a row that sets the TPP (%s)", prec,
                       tpp_precision_name(figs.peaks[best[0]].precision));
  }
  return 0;
}

/* What the stored "classification" says, for the re-check: rules, zone, reading. */
static int
read_stored_classification(struct tpp_jctx *c, json_t *dev, const char *dpath,
                           struct tpp_device_result *d)
{
  json_t *o, *jr;
  char p[256], q[300], name[32];
  int rc;

  if ((rc = tpp_jget_object(c, dev, dpath, "classification", 0, &o)) != 0)
    return rc < 0 ? rc : 0;
  tpp_jpath_key(p, sizeof(p), dpath, "classification");
  if ((rc = tpp_jget_string(c, o, p, "rules", 0, d->stored.rules, sizeof(d->stored.rules))) < 0)
    return rc;
  if ((rc = tpp_jget_string(c, o, p, "zone", 0, name, sizeof(name))) < 0)
    return rc;
  if (rc == 0 && tpp_zone_parse(name, &d->stored.zone) != 0)
    return tpp_jfail(c, TPP_EPARSE, tpp_jpath_key(q, sizeof(q), p, "zone"),
                     "unknown zone \"%s\" (black, grey, white, indeterminate)", name);
  d->stored.present = rc == 0 && d->stored.rules[0];
  if ((rc = tpp_jget_object(c, o, p, "reading", 0, &jr)) < 0)
    return rc;
  if (rc == 0) {
    char rp[300];
    long long bits;
    tpp_jpath_key(rp, sizeof(rp), p, "reading");
    if ((rc = tpp_jget_string(c, jr, rp, "tpp_reading", 1, name, sizeof(name))) < 0)
      return rc;
    if (tpp_tpp_reading_parse(name, &d->stored.reading.tpp) != 0)
      return tpp_jfail(c, TPP_EPARSE, tpp_jpath_key(q, sizeof(q), rp, "tpp_reading"),
                       "unknown TPP reading \"%s\" (highest, aggregate)", name);
    if ((rc = tpp_jget_int(c, jr, rp, "tf32_bits", 1, &bits)) < 0)
      return rc;
    if (bits < 1 || bits > 64)
      return tpp_jfail(c, TPP_EPARSE, tpp_jpath_key(q, sizeof(q), rp, "tf32_bits"),
                       "a bit length must be 1 to 64, found %lld", bits);
    d->stored.reading.tf32_bits = (int)bits;
  }
  return 0;
}

static int
read_row(struct tpp_jctx *c, json_t *o, const char *path, struct tpp_row *r)
{
  static const char *const keys[] = {
      "precision", "path",       "status",         "reason",    "kernel",       "tops",
      "bit_tops",  "stats",      "ops_per_launch", "clock_mhz", "clock_source", "telemetry",
      "peak_tops", "efficiency", "verified",       "unchecked", "lower_bound",  "device_reset",
      NULL};
  char name[32], p[256];
  double bit_tops;
  int rc;

  memset(r, 0, sizeof(*r));
  tpp_telemetry_clear(&r->telemetry);
  if ((rc = tpp_jcheck_keys(c, o, path, keys)))
    return rc;
  if ((rc = tpp_jget_string(c, o, path, "precision", 1, name, sizeof(name))) < 0)
    return rc;
  if (tpp_precision_parse(name, &r->precision) != 0)
    return tpp_jfail(c, TPP_EPARSE, tpp_jpath_key(p, sizeof(p), path, "precision"),
                     "unknown precision \"%s\"", name);
  if ((rc = tpp_jget_string(c, o, path, "path", 1, name, sizeof(name))) < 0)
    return rc;
  if (tpp_path_parse(name, &r->path) != 0)
    return tpp_jfail(c, TPP_EPARSE, tpp_jpath_key(p, sizeof(p), path, "path"),
                     "unknown path \"%s\" (vector or tensor)", name);
  if ((rc = read_status(c, o, path, &r->status)) ||
      (rc = get_opt_string(c, o, path, "reason", r->reason, sizeof(r->reason))) ||
      (rc = get_opt_string(c, o, path, "kernel", r->kernel, sizeof(r->kernel))) ||
      (rc = get_opt_number(c, o, path, "tops", &r->tops)) ||
      (rc = get_opt_number(c, o, path, "bit_tops", &bit_tops)) ||
      (rc = read_stats(c, o, path, &r->stats)) ||
      (rc = get_opt_number(c, o, path, "ops_per_launch", &r->ops_per_launch)) ||
      (rc = get_opt_number(c, o, path, "clock_mhz", &r->telemetry.clock_mhz)) ||
      (rc = get_opt_string(c, o, path, "clock_source", r->clock_source, sizeof(r->clock_source))) ||
      (rc = read_telemetry(c, o, path, &r->telemetry)) ||
      (rc = get_opt_number(c, o, path, "peak_tops", &r->peak_tops)) ||
      (rc = get_opt_number(c, o, path, "efficiency", &r->efficiency)) ||
      (rc = tpp_jget_bool(c, o, path, "verified", 1, &r->verified)) < 0 ||
      /* absent in files written before these flags existed: false */
      (rc = tpp_jget_bool(c, o, path, "unchecked", 0, &r->unchecked)) < 0 ||
      (rc = tpp_jget_bool(c, o, path, "lower_bound", 0, &r->lower_bound)) < 0 ||
      (rc = tpp_jget_bool(c, o, path, "device_reset", 0, &r->device_reset)) < 0)
    return rc;
  if (r->status == TPP_ROW_OK && !(r->tops > 0))
    return tpp_jfail(c, TPP_EPARSE, tpp_jpath_key(p, sizeof(p), path, "tops"),
                     "a row with status ok needs a positive tops");
  return check_row(c, path, r, bit_tops);
}

static int
read_bw(struct tpp_jctx *c, json_t *o, const char *path, struct tpp_bw_row *b)
{
  static const char *const keys[] = {"kind",  "status",           "reason",   "kernel",       "gbs",
                                     "stats", "bytes_per_launch", "verified", "device_reset", NULL};
  int rc;
  memset(b, 0, sizeof(*b));
  if ((rc = tpp_jcheck_keys(c, o, path, keys)) ||
      (rc = tpp_jget_string(c, o, path, "kind", 1, b->kind, sizeof(b->kind))) < 0 ||
      (rc = read_status(c, o, path, &b->status)) ||
      (rc = get_opt_string(c, o, path, "reason", b->reason, sizeof(b->reason))) ||
      (rc = get_opt_string(c, o, path, "kernel", b->kernel, sizeof(b->kernel))) ||
      (rc = get_opt_number(c, o, path, "gbs", &b->gbs)) ||
      (rc = read_stats(c, o, path, &b->stats)) ||
      (rc = get_opt_number(c, o, path, "bytes_per_launch", &b->bytes_per_launch)) ||
      (rc = tpp_jget_bool(c, o, path, "verified", 1, &b->verified)) < 0 ||
      (rc = tpp_jget_bool(c, o, path, "device_reset", 0, &b->device_reset)) < 0)
    return rc;
  return 0;
}

/* "10de" or null/absent (0). */
static int
read_hex16(struct tpp_jctx *c, json_t *o, const char *path, const char *key, unsigned *out)
{
  char buf[16], q[300], *end;
  int rc = tpp_jget_string(c, o, path, key, 0, buf, sizeof(buf));
  unsigned long v;
  *out = 0;
  if (rc != 0)
    return rc < 0 ? rc : 0;
  v = strtoul(buf, &end, 16);
  if (strlen(buf) != 4 || *end || v == 0)
    return tpp_jfail(c, TPP_EPARSE, tpp_jpath_key(q, sizeof(q), path, key),
                     "expected 4 hex digits, got \"%s\"", buf);
  *out = (unsigned)v;
  return 0;
}

/* "advisories" of a device's profile object: optional (results written before advisories
 * have none), each {"text", "date", "source"} with all three. */
static int
read_advisories(struct tpp_jctx *c, json_t *o, const char *ppath, struct tpp_device_result *d)
{
  static const char *const keys[] = {"text", "date", "source", NULL};
  json_t *arr;
  char apath[288];
  int rc;
  if ((rc = tpp_jget_array(c, o, ppath, "advisories", 0, &arr)) != 0)
    return rc < 0 ? rc : 0;
  tpp_jpath_key(apath, sizeof(apath), ppath, "advisories");
  if (json_array_size(arr) > TPP_PROFILE_MAX_ADVISORIES)
    return tpp_jfail(c, TPP_EPARSE, apath, "at most %d advisories", TPP_PROFILE_MAX_ADVISORIES);
  for (size_t i = 0; i < json_array_size(arr); i++) {
    struct tpp_advisory *a = &d->profile.advisories[i];
    json_t *e = json_array_get(arr, i);
    char ipath[320];
    tpp_jpath_index(ipath, sizeof(ipath), apath, i);
    if (!json_is_object(e))
      return tpp_jfail(c, TPP_EPARSE, ipath, "expected an object");
    if ((rc = tpp_jcheck_keys(c, e, ipath, keys)) ||
        (rc = tpp_jget_string(c, e, ipath, "text", 1, a->text, sizeof(a->text))) ||
        (rc = tpp_jget_string(c, e, ipath, "date", 1, a->date, sizeof(a->date))) ||
        (rc = tpp_jget_string(c, e, ipath, "source", 1, a->source, sizeof(a->source))))
      return rc;
    d->profile.n_advisories = i + 1;
  }
  return 0;
}

/* The "profile" object of a device (schema 2), or null. */
static int
read_profile(struct tpp_jctx *c, json_t *dev, const char *dpath, struct tpp_device_result *d)
{
  static const char *const keys[] = {"id",
                                     "name",
                                     "matched_by",
                                     "die_area_mm2",
                                     "die_area_estimate",
                                     "datacenter",
                                     "memory_bandwidth_gbs",
                                     "interconnect_gbs",
                                     "advisories",
                                     NULL};
  json_t *o;
  char p[256];
  int rc;
  if ((rc = tpp_jget_object(c, dev, dpath, "profile", 0, &o)) != 0)
    return rc < 0 ? rc : 0;
  tpp_jpath_key(p, sizeof(p), dpath, "profile");
  d->has_profile = 1;
  if ((rc = tpp_jcheck_keys(c, o, p, keys)) ||
      (rc = tpp_jget_string(c, o, p, "id", 1, d->profile.id, sizeof(d->profile.id))) < 0 ||
      (rc = get_opt_string(c, o, p, "name", d->profile.name, sizeof(d->profile.name))) ||
      (rc = get_opt_string(c, o, p, "matched_by", d->profile.matched_by,
                           sizeof(d->profile.matched_by))) ||
      (rc = get_opt_number(c, o, p, "die_area_mm2", &d->profile.die_area_mm2)) ||
      (rc = tpp_jget_bool(c, o, p, "die_area_estimate", 0, &d->profile.die_area_estimate)) < 0 ||
      (rc = tpp_jget_bool(c, o, p, "datacenter", 0, &d->profile.datacenter)) < 0 ||
      (rc = get_opt_number(c, o, p, "memory_bandwidth_gbs", &d->profile.memory_bw_gbs)) ||
      (rc = get_opt_number(c, o, p, "interconnect_gbs", &d->profile.interconnect_gbs)) ||
      (rc = read_advisories(c, o, p, d)))
    return rc;
  return 0;
}

static int
read_identity(struct tpp_jctx *c, json_t *dev, const char *dpath, struct tpp_device_info *i)
{
  json_t *o;
  char p[256];
  long long v;
  int rc;

  static const char *const keys[] = {"backend",
                                     "selector",
                                     "platform_index",
                                     "device_index",
                                     "name",
                                     "vendor",
                                     "platform",
                                     "driver_version",
                                     "device_version",
                                     "type",
                                     "compute_units",
                                     "clock_mhz_max",
                                     "global_mem_bytes",
                                     "max_alloc_bytes",
                                     "pci_bus_id",
                                     "uuid",
                                     "compute_capability",
                                     "power_limit_w",
                                     "extensions",
                                     "pci_vendor_id",
                                     "pci_device_id",
                                     "simulated",
                                     NULL};
  memset(i, 0, sizeof(*i));
  if ((rc = tpp_jget_object(c, dev, dpath, "identity", 1, &o)) < 0)
    return rc;
  tpp_jpath_key(p, sizeof(p), dpath, "identity");
  if ((rc = tpp_jcheck_keys(c, o, p, keys)))
    return rc;
#define STR(key, field, required)                                                     \
  if ((rc = tpp_jget_string(c, o, p, key, required, i->field, sizeof(i->field))) < 0) \
    return rc;
  STR("backend", backend, 1)
  STR("selector", selector, 1)
  STR("name", name, 1)
  STR("vendor", vendor, 0)
  STR("platform", platform, 0)
  STR("driver_version", driver_version, 0)
  STR("device_version", device_version, 0)
  STR("type", type, 0)
  STR("pci_bus_id", pci_bus_id, 0)
  STR("uuid", uuid, 0)
  STR("extensions", extensions, 0)
#undef STR
  {
    char cc[16] = "";
    if ((rc = tpp_jget_string(c, o, p, "compute_capability", 0, cc, sizeof(cc))) < 0)
      return rc;
    if (rc == 0 && sscanf(cc, "%d.%d", &i->cc_major, &i->cc_minor) != 2) {
      char q[300];
      return tpp_jfail(c, TPP_EPARSE, tpp_jpath_key(q, sizeof(q), p, "compute_capability"),
                       "expected \"MAJOR.MINOR\", got \"%s\"", cc);
    }
  }
  if ((rc = tpp_jget_bool(c, o, p, "simulated", 0, &i->simulated)) < 0)
    return rc;
  if ((rc = get_opt_number(c, o, p, "power_limit_w", &i->power_limit_w)) ||
      (rc = read_hex16(c, o, p, "pci_vendor_id", &i->pci_vendor_id)) ||
      (rc = read_hex16(c, o, p, "pci_device_id", &i->pci_device_id)))
    return rc;
#define INT(key, expr)                              \
  if ((rc = tpp_jget_int(c, o, p, key, 0, &v)) < 0) \
    return rc;                                      \
  if (rc == 0)                                      \
    expr;
  INT("platform_index", i->platform_index = (int)v)
  INT("device_index", i->device_index = (int)v)
  INT("compute_units", i->compute_units = (int)v)
  INT("global_mem_bytes", i->global_mem_bytes = (uint64_t)v)
  INT("max_alloc_bytes", i->max_alloc_bytes = (uint64_t)v)
#undef INT
  return get_opt_number(c, o, p, "clock_mhz_max", &i->clock_mhz_max);
}

static int
read_device(struct tpp_jctx *c, json_t *o, const char *path, struct tpp_device_result *d)
{
  static const char *const keys[] = {"identity",
                                     "error",
                                     "placement",
                                     "die_area_mm2",
                                     "die_area_source",
                                     "datacenter",
                                     "measurements",
                                     "memory_bandwidth",
                                     "tpp",
                                     "tpp_precision",
                                     "tpp_from",
                                     "classification",
                                     "profile",
                                     "interconnect_gbs",
                                     "interconnect_source",
                                     "dram_bandwidth_gbs",
                                     "dram_bandwidth_source",
                                     "tpp_lower_bound",
                                     "tpp_unchecked",
                                     NULL};
  json_t *rows, *bws, *e, *placement, *from;
  char p[256], q[256], prec[32];
  double tpp;
  size_t i;
  int rc;

  memset(d, 0, sizeof(*d));
  d->datacenter = 1;
  d->tpp_row = d->tpp_row_other = -1;
  d->interconnect_gbs = d->dram_bw_gbs = d->tpp_unchecked = d->tpp = NAN; /* until classified */
  if ((rc = tpp_jcheck_keys(c, o, path, keys)) || (rc = read_identity(c, o, path, &d->info)) ||
      (rc = get_opt_string(c, o, path, "error", d->error, sizeof(d->error))) ||
      (rc = read_profile(c, o, path, d)) ||
      (rc = get_opt_number(c, o, path, "interconnect_gbs", &d->interconnect_gbs)) ||
      (rc = get_opt_string(c, o, path, "interconnect_source", d->interconnect_source,
                           sizeof(d->interconnect_source))) ||
      (rc = get_opt_number(c, o, path, "die_area_mm2", &d->die_area_mm2)) ||
      (rc = get_opt_string(c, o, path, "die_area_source", d->die_area_source,
                           sizeof(d->die_area_source))) ||
      (rc = tpp_jget_bool(c, o, path, "datacenter", 0, &d->datacenter)) < 0)
    return rc;
  if (isfinite(d->die_area_mm2) && !(d->die_area_mm2 > 0))
    return tpp_jfail(c, TPP_EPARSE, tpp_jpath_key(p, sizeof(p), path, "die_area_mm2"),
                     "die area must be positive");
  if (isfinite(d->die_area_mm2)) {
    /* No larger than the dies its source says it covers (claims.h). */
    char why[300];
    if (tpp_die_area_check(d->die_area_mm2, tpp_die_area_source_dies(d->die_area_source), why,
                           sizeof(why)) != 0)
      return tpp_jfail(c, TPP_EPARSE, tpp_jpath_key(p, sizeof(p), path, "die_area_mm2"),
                       "%s (die_area_source \"%s\")", why, d->die_area_source);
  }
  if ((rc = tpp_jget_object(c, o, path, "placement", 0, &placement)) < 0)
    return rc;
  if (rc == 0)
    d->placement = json_incref(placement);
  if ((rc = tpp_jget_array(c, o, path, "measurements", 1, &rows)) < 0)
    return rc;
  tpp_jpath_key(p, sizeof(p), path, "measurements");
  if (json_array_size(rows) > TPP_MAX_ROWS)
    return tpp_jfail(c, TPP_EPARSE, p, "more than %d rows", TPP_MAX_ROWS);
  json_array_foreach (rows, i, e) {
    tpp_jpath_index(q, sizeof(q), p, i);
    if (!json_is_object(e))
      return tpp_jfail(c, TPP_EPARSE, q, "expected an object");
    if ((rc = read_row(c, e, q, &d->rows[d->n_rows++])))
      return rc;
  }
  if ((rc = tpp_jget_array(c, o, path, "memory_bandwidth", 0, &bws)) < 0)
    return rc;
  if (rc == 0) {
    tpp_jpath_key(p, sizeof(p), path, "memory_bandwidth");
    if (json_array_size(bws) > TPP_MAX_BW_ROWS)
      return tpp_jfail(c, TPP_EPARSE, p, "more than %d rows", TPP_MAX_BW_ROWS);
    json_array_foreach (bws, i, e) {
      tpp_jpath_index(q, sizeof(q), p, i);
      if (!json_is_object(e))
        return tpp_jfail(c, TPP_EPARSE, q, "expected an object");
      if ((rc = read_bw(c, e, q, &d->bw[d->n_bw++])))
        return rc;
    }
  }
  /* Derived figures: only checked (the reader recomputes them). */
  if ((rc = get_opt_number(c, o, path, "tpp", &tpp)) ||
      (rc = get_opt_string(c, o, path, "tpp_precision", prec, sizeof(prec))) ||
      (rc = tpp_jget_array(c, o, path, "tpp_from", 0, &from)) < 0 ||
      (rc = read_stored_classification(c, o, path, d)))
    return rc;
  return check_tpp(c, path, d, tpp, prec);
}

int
tpp_result_from_json(struct tpp_jctx *c, json_t *root, struct tpp_result *r)
{
  static const char *const keys[] = {"schema_version", "tool",     "created", "budget_s",
                                     "host",           "backends", "devices", NULL};
  json_t *devices, *backends, *host, *tool, *e;
  long long version;
  char p[64];
  size_t i;
  int rc;

  memset(r, 0, sizeof(*r));
  if (!json_is_object(root))
    return tpp_jfail(c, TPP_EPARSE, "", "expected a tppbench result object");
  if ((rc = tpp_jget_int(c, root, "", "schema_version", 1, &version)) < 0)
    goto fail;
  if (version < 1 || version > TPP_RESULT_SCHEMA_VERSION) {
    rc = tpp_jfail(c, TPP_EPARSE, "schema_version",
                   "unsupported schema_version %lld (this tppbench reads 1 to %d)", version,
                   TPP_RESULT_SCHEMA_VERSION);
    goto fail;
  }
  if ((rc = tpp_jcheck_keys(c, root, "", keys)) ||
      (rc = get_opt_string(c, root, "", "created", r->created, sizeof(r->created))) ||
      (rc = get_opt_number(c, root, "", "budget_s", &r->budget_s)))
    goto fail;
  if ((rc = tpp_jget_object(c, root, "", "tool", 0, &tool)) < 0 ||
      (rc == 0 &&
       (rc = get_opt_string(c, tool, "tool", "version", r->tool_version, sizeof(r->tool_version)))))
    goto fail;
  if ((rc = tpp_jget_object(c, root, "", "host", 0, &host)) < 0)
    goto fail;
  if (rc == 0)
    r->host = json_incref(host);
  if ((rc = tpp_jget_array(c, root, "", "backends", 0, &backends)) < 0)
    goto fail;
  if (rc == 0) {
    json_array_foreach (backends, i, e) {
      tpp_jpath_index(p, sizeof(p), "backends", i);
      if (r->n_backends == TPP_MAX_BACKENDS)
        break;
      if (!json_is_object(e)) {
        rc = tpp_jfail(c, TPP_EPARSE, p, "expected an object");
        goto fail;
      }
      if ((rc = tpp_jget_string(c, e, p, "name", 1, r->backends[r->n_backends].name,
                                sizeof(r->backends[0].name))) < 0 ||
          (rc = tpp_jget_bool(c, e, p, "available", 1,
                              &r->backends[r->n_backends].status.available)) < 0 ||
          (rc = get_opt_string(c, e, p, "reason", r->backends[r->n_backends].status.reason,
                               sizeof(r->backends[0].status.reason))))
        goto fail;
      r->n_backends++;
    }
  }
  if ((rc = tpp_jget_array(c, root, "", "devices", 1, &devices)) < 0)
    goto fail;
  r->devices = calloc(json_array_size(devices) + 1, sizeof(*r->devices));
  if (!r->devices) {
    rc = TPP_ENOMEM;
    goto fail;
  }
  json_array_foreach (devices, i, e) {
    tpp_jpath_index(p, sizeof(p), "devices", i);
    if (!json_is_object(e)) {
      rc = tpp_jfail(c, TPP_EPARSE, p, "expected an object");
      goto fail;
    }
    rc = read_device(c, e, p, &r->devices[r->n_devices]);
    r->n_devices++; /* counted even on failure so tpp_result_free releases its placement */
    if (rc)
      goto fail;
  }
  return 0;

fail:
  tpp_result_free(r);
  return rc < 0 ? rc : TPP_EPARSE;
}

static int
result_from_json_cb(struct tpp_jctx *c, json_t *root, void *r)
{
  return tpp_result_from_json(c, root, r);
}

int
tpp_result_load(const char *file, struct tpp_result *r, struct tpp_diag *diag)
{
  memset(r, 0, sizeof(*r));
  return tpp_jparse_file(file, result_from_json_cb, r, diag);
}

struct checked_load {
  struct tpp_result *r;
  const struct tpp_ruleset *rs;
};

/* Each device whose file classification was made under rs's id, classified again under the
 * stored reading, must land in the stored zone. */
static int
check_zones(struct tpp_jctx *c, struct tpp_result *r, const struct tpp_ruleset *rs)
{
  struct tpp_ruleset *under = NULL;
  int rc = 0;

  for (size_t i = 0; i < r->n_devices && rc == 0; i++) {
    struct tpp_device_result *d = &r->devices[i];
    char p[96], rd[96];
    if (!d->stored.present || strcmp(d->stored.rules, rs->id) != 0)
      continue;
    if (!under && !(under = malloc(sizeof(*under)))) {
      rc = TPP_ENOMEM;
      break;
    }
    *under = *rs;
    under->readings.chosen = d->stored.reading;
    tpp_jpath_index(p, sizeof(p), "devices", i);
    if ((rc = tpp_device_result_classify(d, under)) != 0) {
      rc = tpp_jfail(c, TPP_EPARSE, p, "cannot be classified again under %s: %s", rs->id,
                     tpp_strerror(rc));
      break;
    }
    /* A file written before lower-bound TPPs were left undecided stored the zone at the
     * bound: one of the outcomes the classification now lists. */
    if (d->cls.zone != d->stored.zone &&
        !(d->cls.tpp_lower_bound && d->cls.zone == TPP_ZONE_INDETERMINATE &&
          tpp_classification_possible(&d->cls, d->stored.zone))) {
      tpp_reading_format(rd, sizeof(rd), &d->stored.reading);
      strncat(p, ".classification.zone", sizeof(p) - strlen(p) - 1);
      rc = tpp_jfail(c, TPP_EPARSE, p,
                     "stored zone \"%s\" contradicts the rows: classified again under %s "
                     "(%s) they give \"%s\"",
                     tpp_zone_name(d->stored.zone), rs->id, rd, tpp_zone_name(d->cls.zone));
      break;
    }
    /* Left classified under rs itself: the classification points into its rule set, and
     * `under` is freed below. */
    if ((rc = tpp_device_result_classify(d, rs)) != 0)
      rc = tpp_jfail(c, TPP_EPARSE, p, "cannot be classified under %s: %s", rs->id,
                     tpp_strerror(rc));
  }
  free(under);
  return rc;
}

static int
result_checked_cb(struct tpp_jctx *c, json_t *root, void *arg)
{
  struct checked_load *l = arg;
  int rc = tpp_result_from_json(c, root, l->r);
  if (rc == 0 && (rc = check_zones(c, l->r, l->rs)) != 0)
    tpp_result_free(l->r);
  return rc;
}

int
tpp_result_load_checked(const char *file, const struct tpp_ruleset *rs, struct tpp_result *r,
                        struct tpp_diag *diag)
{
  struct checked_load l = {r, rs};
  memset(r, 0, sizeof(*r));
  return tpp_jparse_file(file, result_checked_cb, &l, diag);
}

void
tpp_result_free(struct tpp_result *r)
{
  if (!r)
    return;
  for (size_t i = 0; i < r->n_devices; i++)
    json_decref(r->devices[i].placement);
  free(r->devices);
  json_decref(r->host);
  r->devices = NULL;
  r->host = NULL;
  r->n_devices = 0;
}
