/* metrics.c - see metrics.h. */
#include "tpp/metrics.h"

#include "tpp/error.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

static const char *const reading_names[TPP_READ_COUNT] = {
    [TPP_READ_HIGHEST] = "highest",
    [TPP_READ_AGGREGATE] = "aggregate",
};

const char *
tpp_tpp_reading_name(enum tpp_tpp_reading r)
{
  return (unsigned)r < TPP_READ_COUNT ? reading_names[r] : "?";
}

int
tpp_tpp_reading_parse(const char *name, enum tpp_tpp_reading *out)
{
  for (int i = 0; i < TPP_READ_COUNT; i++)
    if (strcasecmp(name, reading_names[i]) == 0) {
      *out = (enum tpp_tpp_reading)i;
      return 0;
    }
  return TPP_EINVAL;
}

void
tpp_reading_format(char *buf, size_t len, const struct tpp_reading *r)
{
  snprintf(buf, len, "%s TPP, TF32 as %d bits", tpp_tpp_reading_name(r->tpp),
           tpp_reading_bits(r, TPP_TF32));
}

int
tpp_reading_equal(const struct tpp_reading *a, const struct tpp_reading *b)
{
  return a->tpp == b->tpp && tpp_reading_bits(a, TPP_TF32) == tpp_reading_bits(b, TPP_TF32);
}

int
tpp_reading_bits(const struct tpp_reading *r, enum tpp_precision p)
{
  if (r && p == TPP_TF32 && r->tf32_bits > 0)
    return r->tf32_bits;
  return tpp_precision_bits(p);
}

double
tpp_tpp_read(const struct tpp_peak *peaks, size_t n, const struct tpp_reading *r, size_t best[2])
{
  double unit_best[TPP_PATH_COUNT] = {NAN, NAN};
  size_t unit_idx[TPP_PATH_COUNT] = {SIZE_MAX, SIZE_MAX};
  double tpp = NAN;
  size_t top = SIZE_MAX;

  if (best)
    best[0] = best[1] = SIZE_MAX;
  for (size_t i = 0; i < n; i++) {
    int bits = tpp_reading_bits(r, peaks[i].precision);
    double v = bits > 0 && !isnan(peaks[i].tops) ? peaks[i].tops * bits : NAN;
    if (isnan(v))
      continue;
    if (isnan(tpp) || v > tpp) {
      tpp = v;
      top = i;
    }
    if (!r || r->tpp != TPP_READ_AGGREGATE)
      continue;
    if (!peaks[i].has_path || (unsigned)peaks[i].path >= TPP_PATH_COUNT)
      return NAN; /* the units cannot be told apart */
    if (isnan(unit_best[peaks[i].path]) || v > unit_best[peaks[i].path]) {
      unit_best[peaks[i].path] = v;
      unit_idx[peaks[i].path] = i;
    }
  }
  if (isnan(tpp) || !r || r->tpp != TPP_READ_AGGREGATE) {
    if (best && !isnan(tpp))
      best[0] = top;
    return tpp;
  }
  /* Aggregate: the best figure of each kind of unit, larger first. */
  {
    int big = isnan(unit_best[TPP_PATH_VECTOR]) ||
                      (!isnan(unit_best[TPP_PATH_TENSOR]) &&
                       unit_best[TPP_PATH_TENSOR] >= unit_best[TPP_PATH_VECTOR])
                  ? TPP_PATH_TENSOR
                  : TPP_PATH_VECTOR;
    int small = big == TPP_PATH_TENSOR ? TPP_PATH_VECTOR : TPP_PATH_TENSOR;
    tpp = unit_best[big] + (isnan(unit_best[small]) ? 0 : unit_best[small]);
    if (best) {
      best[0] = unit_idx[big];
      best[1] = unit_idx[small];
    }
  }
  return tpp;
}

double
tpp_bit_tops(enum tpp_precision p, double tops)
{
  int bits = tpp_precision_bits(p);
  if (bits <= 0 || isnan(tops))
    return NAN;
  return tops * bits;
}

double
tpp_total_processing_performance(const struct tpp_peak *peaks, size_t n, size_t *best)
{
  double tpp = NAN;
  for (size_t i = 0; i < n; i++) {
    double v = tpp_bit_tops(peaks[i].precision, peaks[i].tops);
    if (isnan(v))
      continue;
    if (isnan(tpp) || v > tpp) {
      tpp = v;
      if (best)
        *best = i;
    }
  }
  return tpp;
}

double
tpp_performance_density(double tpp, double die_area_mm2)
{
  if (isnan(tpp) || isnan(die_area_mm2) || !(die_area_mm2 > 0))
    return NAN;
  return tpp / die_area_mm2;
}

int
tpp_die_area_check(double area_mm2, int dies, char *why, size_t len)
{
  if (dies < 1 || dies > TPP_DIES_MAX) {
    snprintf(why, len, "%d dies: expected 1 to %d", dies, TPP_DIES_MAX);
    return TPP_EINVAL;
  }
  if (!(area_mm2 > 0) || !isfinite(area_mm2)) {
    snprintf(why, len, "%g mm² is not a positive area", area_mm2);
    return TPP_EINVAL;
  }
  if (area_mm2 > dies * TPP_DIE_MAX_MM2) {
    snprintf(why, len,
             "%g mm² is more than %d die%s can be (at most %g mm² each, the 26 x 33 mm field a "
             "scanner exposes in one shot); a package of N logic dies needs --dies N",
             area_mm2, dies, dies == 1 ? "" : "s", TPP_DIE_MAX_MM2);
    return TPP_EINVAL;
  }
  return 0;
}

double
tpp_peak_tops(int units, double ops_per_clock_per_unit, double clock_mhz)
{
  if (units <= 0 || isnan(ops_per_clock_per_unit) || isnan(clock_mhz) || clock_mhz <= 0)
    return NAN;
  return units * ops_per_clock_per_unit * clock_mhz * 1e6 / 1e12;
}

double
tpp_efficiency(double measured_tops, double peak_tops)
{
  if (isnan(measured_tops) || isnan(peak_tops) || !(peak_tops > 0))
    return NAN;
  return measured_tops / peak_tops;
}
