/* stats.h - summary statistics of repeated timings. */
#ifndef TPP_STATS_H
#define TPP_STATS_H

#include <stddef.h>

struct tpp_stats {
  size_t n;
  double median, min, max, mean;
  double stddev; /* sample standard deviation (n - 1) */
  double cv;     /* stddev / mean: the run-to-run spread, 0.01 = 1 % */
};

/* Summarise n >= 1 samples (the array is not modified).  0, or TPP_EINVAL for n == 0 or a
 * non-finite sample, TPP_ENOMEM. */
int tpp_stats_compute(const double *samples, size_t n, struct tpp_stats *out);

#endif
