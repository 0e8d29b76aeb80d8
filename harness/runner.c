/* runner.c - one device, every row.  See runner.h. */
#include "tpp/runner.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tpp/metrics.h"

void
tpp_run_defaults(struct tpp_run_opts *o)
{
  memset(o, 0, sizeof(*o));
  o->precisions = (1u << TPP_PRECISION_COUNT) - 1;
  o->bandwidth = 1;
  tpp_measure_defaults(&o->measure);
  o->die_area_mm2 = NAN;
  o->dies = 1;
  o->interconnect_gbs = NAN;
  o->datacenter = 1;
  o->repeat = 1;
}

static int
stopped(const struct tpp_run_opts *o)
{
  return o->stop && *o->stop;
}

static const struct tpp_backend *
backend_of(const struct tpp_device_info *info)
{
  for (size_t b = 0; tpp_backends()[b]; b++)
    if (strcmp(tpp_backends()[b]->name, info->backend) == 0)
      return tpp_backends()[b];
  return NULL;
}

size_t
tpp_run_planned_rows(const struct tpp_device_info *info, const struct tpp_run_opts *o)
{
  const struct tpp_backend *be = backend_of(info);
  size_t paths = be && be->has_tensor_path ? 2 : 1, precs = 0;
  for (int p = 0; p < TPP_PRECISION_COUNT; p++)
    precs += (o->precisions & (1u << p)) != 0;
  return paths * precs * (size_t)(o->repeat > 1 ? o->repeat : 1) +
         (o->bandwidth ? TPP_BW_KIND_COUNT : 0);
}

/* Statistics of rates (ops/s) rescaled to tera-ops/s or GB/s. */
static void
scale_stats(struct tpp_stats *s, double factor)
{
  s->median *= factor;
  s->min *= factor;
  s->max *= factor;
  s->mean *= factor;
  s->stddev *= factor;
}

static unsigned
resets(struct tpp_device *dev)
{
  return dev->backend->reset_count ? dev->backend->reset_count(dev) : 0;
}

/* Telemetry around a row; a backend without it: the device's stated maximum clock, so the
 * per-clock peak is as high as it can be (efficiency low, never high). */
static void
telemetry_begin(struct tpp_device *dev)
{
  if (dev->backend->telemetry_begin && dev->backend->telemetry_end)
    dev->backend->telemetry_begin(dev);
}

static void
telemetry_end(struct tpp_device *dev, struct tpp_telemetry *t)
{
  tpp_telemetry_clear(t);
  if (dev->backend->telemetry_begin && dev->backend->telemetry_end) {
    dev->backend->telemetry_end(dev, t);
    return;
  }
  t->clock_mhz = t->clock_mhz_min = t->clock_mhz_max = dev->info.clock_mhz_max;
  t->clock_source = "device-max";
}

/* One variant of one precision on one path into `row`.  TPP_ENOENT past the last
 * variant (nothing recorded), 0 otherwise (the row says how it went). */
static int
measure_row(struct tpp_device *dev, const struct tpp_run_opts *o, int variant, struct tpp_row *row)
{
  const struct tpp_backend *be = dev->backend;
  struct tpp_workload w = {0};
  struct tpp_measurement m;
  char why[256] = "";
  unsigned resets_before = resets(dev);
  double peak_at_max;
  int err;

  if (!be->prepare_peak) {
    if (variant > 0)
      return TPP_ENOENT;
    row->status = TPP_ROW_UNSUPPORTED;
    snprintf(row->reason, sizeof(row->reason), "the %s backend has no compute kernels", be->name);
    return 0;
  }
  err = be->prepare_peak(dev, row->precision, row->path, variant, &w, why, sizeof(why));
  if (err == TPP_ENOENT)
    return err;
  if (err) {
    row->status = err == TPP_EUNSUP ? TPP_ROW_UNSUPPORTED : TPP_ROW_ERROR;
    snprintf(row->reason, sizeof(row->reason), "%s", why[0] ? why : tpp_strerror(err));
    row->device_reset = resets(dev) != resets_before;
    return 0;
  }
  snprintf(row->kernel, sizeof(row->kernel), "%s", w.kernel ? w.kernel : "");
  if (w.image && w.image_len)
    tpp_sha256_hex(w.image, w.image_len, row->kernel_sha256);
  row->lower_bound = w.lower_bound;
  telemetry_begin(dev);
  err = tpp_measure(&w, &o->measure, &m);
  telemetry_end(dev, &row->telemetry);
  snprintf(row->clock_source, sizeof(row->clock_source), "%s",
           row->telemetry.clock_source ? row->telemetry.clock_source : "");
  row->telemetry.clock_source = NULL; /* the row keeps its own copy */
  w.release(w.impl);
  row->device_reset = resets(dev) != resets_before;
  if (err) {
    row->status = TPP_ROW_ERROR;
    row->verified = 0;
    snprintf(row->reason, sizeof(row->reason), "%s: %s", tpp_strerror(err), m.why);
    return 0;
  }
  row->verified = 1;
  row->stats = m.rate;
  scale_stats(&row->stats, 1e-12);
  row->tops = row->stats.median;
  row->ops_per_launch = m.ops_per_launch;
  {
    double per_clock = tpp_device_ops_per_clock(dev, row->precision, row->path, row->kernel);
    row->peak_tops = tpp_peak_tops(1, per_clock, row->telemetry.clock_mhz);
    peak_at_max = tpp_peak_tops(1, per_clock, row->telemetry.clock_mhz_max);
  }
  row->efficiency = tpp_efficiency(row->tops, row->peak_tops);
  /* Without a per-clock rate (or a clock) nothing bounds the figure from above: it is
   * shown, flagged, and kept out of TPP (result.h). */
  row->unchecked = isnan(row->peak_tops);
  /* The gate is judged at the highest clock seen while the timed launches ran, so a clock
   * that moved during the row cannot fail a genuine chip; efficiency stays per mean clock. */
  if (isnan(peak_at_max))
    peak_at_max = row->peak_tops;
  if (row->tops > peak_at_max) {
    /* Faster than the hardware can go: the peak table, the clock or the timing is wrong,
     * and the figure must not stand as a measurement. */
    row->status = TPP_ROW_ERROR;
    snprintf(row->reason, sizeof(row->reason),
             "%s: %.4g TOPS is %.1f%% of the %.4g TOPS per-clock peak at the highest clock "
             "seen, %.0f MHz (mean %.0f MHz)",
             tpp_strerror(TPP_EPEAK), row->tops, 100 * row->tops / peak_at_max, peak_at_max,
             row->telemetry.clock_mhz_max, row->telemetry.clock_mhz);
    return 0;
  }
  row->status = TPP_ROW_OK;
  return 0;
}

static void
measure_bw(struct tpp_device *dev, const struct tpp_run_opts *o, enum tpp_bw_kind kind,
           struct tpp_bw_row *b)
{
  struct tpp_workload w = {0};
  struct tpp_measurement m;
  char why[256] = "";
  unsigned resets_before = resets(dev);
  int err;
  snprintf(b->kind, sizeof(b->kind), "%s", tpp_bw_kind_name(kind));
  if (!dev->backend->prepare_bandwidth) {
    b->status = TPP_ROW_UNSUPPORTED;
    snprintf(b->reason, sizeof(b->reason), "the %s backend has no memory bandwidth kernels",
             dev->backend->name);
    return;
  }
  err = dev->backend->prepare_bandwidth(dev, kind, &w, why, sizeof(why));
  if (err) {
    b->status = err == TPP_EUNSUP ? TPP_ROW_UNSUPPORTED : TPP_ROW_ERROR;
    snprintf(b->reason, sizeof(b->reason), "%s", why[0] ? why : tpp_strerror(err));
    b->device_reset = resets(dev) != resets_before;
    return;
  }
  snprintf(b->kernel, sizeof(b->kernel), "%s", w.kernel ? w.kernel : "");
  if (w.image && w.image_len)
    tpp_sha256_hex(w.image, w.image_len, b->kernel_sha256);
  err = tpp_measure(&w, &o->measure, &m);
  w.release(w.impl);
  b->device_reset = resets(dev) != resets_before;
  if (err) {
    b->status = TPP_ROW_ERROR;
    snprintf(b->reason, sizeof(b->reason), "%s: %s", tpp_strerror(err), m.why);
    return;
  }
  b->verified = 1;
  b->stats = m.rate;
  scale_stats(&b->stats, 1e-9);
  b->gbs = b->stats.median;
  b->bytes_per_launch = m.ops_per_launch;
  b->status = TPP_ROW_OK;
}

/* One pass over every compute row into rows[] (*n of them); 1 when stopped before the end. */
static int
measure_pass(struct tpp_device *dev, const struct tpp_run_opts *o, const char *sel,
             struct tpp_row *rows, size_t *n)
{
  *n = 0;
  for (int path = 0; path < TPP_PATH_COUNT; path++) {
    if (path == TPP_PATH_TENSOR && !dev->backend->has_tensor_path)
      continue;
    for (int p = 0; p < TPP_PRECISION_COUNT; p++) {
      for (int v = 0; v < TPP_MAX_VARIANTS && *n < TPP_MAX_ROWS; v++) {
        struct tpp_row *row = &rows[*n];
        char what[64];
        size_t k = 0;
        memset(row, 0, sizeof(*row));
        row->precision = (enum tpp_precision)p;
        row->path = (enum tpp_path)path;
        row->tops = row->peak_tops = row->efficiency = row->ops_per_launch = NAN;
        tpp_telemetry_clear(&row->telemetry);
        if (!(o->precisions & (1u << p))) {
          row->status = TPP_ROW_SKIPPED;
          snprintf(row->reason, sizeof(row->reason), "not requested (--precisions)");
          (*n)++;
          break;
        }
        if (stopped(o))
          return 1;
        snprintf(what, sizeof(what), "%s %s%s", tpp_precision_name(row->precision),
                 tpp_path_name(row->path), v ? " (next kernel variant)" : "");
        if (o->progress)
          k = tpp_progress_begin(o->progress, sel, what, v == 0);
        if (measure_row(dev, o, v, row) == TPP_ENOENT)
          break;
        (*n)++;
        if (o->progress)
          tpp_progress_row(o->progress, k, sel, row, v == 0);
        if (row->status == TPP_ROW_UNSUPPORTED)
          break;
      }
    }
  }
  return 0;
}

static int
cmp_median(const void *a, const void *b)
{
  double x = (*(const struct tpp_row *const *)a)->stats.median;
  double y = (*(const struct tpp_row *const *)b)->stats.median;
  return (x > y) - (x < y);
}

/* Row i of the passes into out: the first one that is not ok if any (a failure in one run
 * stands), else the run of the middle median, with the runs' medians as out->runs. */
static void
combine_runs(struct tpp_row *const *pass, size_t n_pass, struct tpp_row *out)
{
  const struct tpp_row *sorted[64];
  double med[64];
  size_t n = 0;
  for (size_t r = 0; r < n_pass && n < 64; r++) {
    if (pass[r]->status != TPP_ROW_OK) {
      *out = *pass[r];
      return;
    }
    sorted[n++] = pass[r];
  }
  qsort(sorted, n, sizeof(sorted[0]), cmp_median);
  *out = *sorted[(n - 1) / 2];
  for (size_t r = 0; r < n; r++)
    med[r] = sorted[r]->stats.median;
  tpp_stats_compute(med, n, &out->runs);
}

int
tpp_run_device(const struct tpp_device_info *info, const struct tpp_run_opts *o,
               struct tpp_topo *topo, struct tpp_device_result *d, struct tpp_diag *diag)
{
  struct tpp_device *dev = NULL;
  int err;

  memset(d, 0, sizeof(*d));
  d->info = *info;
  d->die_area_mm2 = o->die_area_mm2;
  if (isnan(o->die_area_mm2))
    snprintf(d->die_area_source, sizeof(d->die_area_source), "unknown");
  else if (o->dies > 1) /* read back by tpp_die_area_source_dies (claims.h) */
    snprintf(d->die_area_source, sizeof(d->die_area_source), "--die-area (%d dies)", o->dies);
  else
    snprintf(d->die_area_source, sizeof(d->die_area_source), "--die-area");
  d->datacenter = o->datacenter;
  d->interconnect_gbs = o->interconnect_gbs;
  snprintf(d->interconnect_source, sizeof(d->interconnect_source), "%s",
           isnan(o->interconnect_gbs) ? "unknown" : "--interconnect");
  d->dram_bw_gbs = NAN;
  d->tpp = NAN;
  d->tpp_row = d->tpp_row_other = -1;
  if (topo) {
    d->placement = tpp_topo_place_device(topo, info->pci_bus_id, strcmp(info->type, "cpu") == 0);
    tpp_topo_pci_ids(topo, info->pci_bus_id, &d->info.pci_vendor_id, &d->info.pci_device_id);
  }
  if ((err = tpp_device_open(&d->info, &dev, diag)))
    return err;

  {
    /* Each pass is measured into TPP_MAX_ROWS rows of its own; d keeps the rows of the
     * first pass (combined with the others under --repeat), allocated to what it holds. */
    int runs = o->repeat > 64 ? 64 : o->repeat > 1 ? o->repeat : 1, done = 1;
    struct tpp_row *passes = calloc((size_t)runs * TPP_MAX_ROWS, sizeof(*passes));
    size_t n = 0;
    if (!passes) {
      tpp_device_close(dev);
      return tpp_diag_set(diag, TPP_ENOMEM, NULL, 0, NULL, "out of memory for the rows of %s",
                          d->info.selector);
    }
    d->interrupted = measure_pass(dev, o, info->selector, passes, &n);
    /* The whole pass again, so drift over time shows as a spread between runs. */
    for (int r = 1; r < runs && !d->interrupted; r++) {
      size_t m;
      if (measure_pass(dev, o, info->selector, passes + (size_t)r * TPP_MAX_ROWS, &m) || m != n)
        break; /* stopped: the runs finished so far count */
      done++;
    }
    for (size_t i = 0; i < n && done > 1; i++) {
      struct tpp_row *pass[64], first = passes[i];
      pass[0] = &first;
      for (int r = 1; r < done; r++)
        pass[r] = &passes[(size_t)r * TPP_MAX_ROWS + i];
      if (first.status != TPP_ROW_SKIPPED)
        combine_runs(pass, (size_t)done, &passes[i]);
    }
    for (size_t i = 0; i < n; i++) {
      struct tpp_row *row = tpp_device_result_add_row(d);
      if (!row) {
        free(passes);
        tpp_device_close(dev);
        return tpp_diag_set(diag, TPP_ENOMEM, NULL, 0, NULL, "out of memory for the rows of %s",
                            d->info.selector);
      }
      *row = passes[i];
    }
    free(passes);
  }
  if (o->bandwidth) {
    for (int k = 0; k < TPP_BW_KIND_COUNT && d->n_bw < TPP_MAX_BW_ROWS && !d->interrupted; k++) {
      struct tpp_bw_row *b;
      char what[32];
      size_t row_k = 0;
      if (stopped(o)) {
        d->interrupted = 1;
        break;
      }
      b = &d->bw[d->n_bw++];
      b->gbs = b->bytes_per_launch = NAN;
      snprintf(what, sizeof(what), "memory %s", tpp_bw_kind_name((enum tpp_bw_kind)k));
      if (o->progress)
        row_k = tpp_progress_begin(o->progress, info->selector, what, 1);
      measure_bw(dev, o, (enum tpp_bw_kind)k, b);
      if (o->progress)
        tpp_progress_bw(o->progress, row_k, info->selector, b);
    }
  }
  tpp_device_close(dev);
  return 0;
}
