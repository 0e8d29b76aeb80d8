/* stats.c - see stats.h. */
#include "tpp/stats.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "tpp/error.h"

static int
cmp_double(const void *a, const void *b)
{
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

int
tpp_stats_compute(const double *samples, size_t n, struct tpp_stats *out)
{
  double *sorted;
  double sum = 0, sq = 0;

  if (n == 0)
    return TPP_EINVAL;
  for (size_t i = 0; i < n; i++)
    if (!isfinite(samples[i]))
      return TPP_EINVAL;
  sorted = malloc(n * sizeof(*sorted));
  if (!sorted)
    return TPP_ENOMEM;
  memcpy(sorted, samples, n * sizeof(*sorted));
  qsort(sorted, n, sizeof(*sorted), cmp_double);

  memset(out, 0, sizeof(*out));
  out->n = n;
  out->min = sorted[0];
  out->max = sorted[n - 1];
  out->median = n % 2 ? sorted[n / 2] : 0.5 * (sorted[n / 2 - 1] + sorted[n / 2]);
  for (size_t i = 0; i < n; i++)
    sum += sorted[i];
  out->mean = sum / (double)n;
  for (size_t i = 0; i < n; i++)
    sq += (sorted[i] - out->mean) * (sorted[i] - out->mean);
  out->stddev = n > 1 ? sqrt(sq / (double)(n - 1)) : 0.0;
  out->cv = out->mean != 0 ? out->stddev / fabs(out->mean) : 0.0;
  free(sorted);
  return 0;
}
