/* metrics.c - see metrics.h. */
#include "tpp/metrics.h"

#include <math.h>

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
