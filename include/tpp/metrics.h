/* metrics.h - the arithmetic of 3A090: bit-length-weighted TOPS, TPP, performance density,
 * per-clock efficiency.  Pure functions; NAN stands for "unknown" throughout.
 */
#ifndef TPP_METRICS_H
#define TPP_METRICS_H

#include <stddef.h>

#include "tpp/precision.h"

/* One dense throughput figure: tera-operations per second, a MAC counted as 2. */
struct tpp_peak {
  enum tpp_precision precision;
  double tops;
};

/* tops × bit length of the operation (the quantity TPP maximises). */
double tpp_bit_tops(enum tpp_precision p, double tops);

/* TPP = the highest tops × bits over the figures given (NAN entries ignored).
 * Returns NAN when there is none; *best (may be NULL) gets the index of the winner. */
double tpp_total_processing_performance(const struct tpp_peak *peaks, size_t n, size_t *best);

/* PD = TPP / applicable die area (mm²); NAN when either is unknown or the area is not > 0. */
double tpp_performance_density(double tpp, double die_area_mm2);

/* Theoretical peak in TOPS: units × ops per clock per unit × clock (MHz).  NAN if unknown. */
double tpp_peak_tops(int units, double ops_per_clock_per_unit, double clock_mhz);

/* measured / peak; NAN when the peak is unknown or not > 0. */
double tpp_efficiency(double measured_tops, double peak_tops);

#endif
