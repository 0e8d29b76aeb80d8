/* runner.h - measure one device: every precision row, memory bandwidth, clocks, checks.
 *
 * A row that cannot run is recorded (unsupported, skipped or error, with the reason) and
 * the others still run; only a device that cannot be opened at all fails the call.
 */
#ifndef TPP_RUNNER_H
#define TPP_RUNNER_H

#include <signal.h>
#include <stdio.h>

#include "tpp/measure.h"
#include "tpp/progress.h"
#include "tpp/result.h"
#include "tpp/topo.h"

struct tpp_run_opts {
  unsigned precisions; /* mask of (1u << enum tpp_precision) to measure */
  int bandwidth;       /* measure device-memory bandwidth */
  struct tpp_measure_opts measure;
  double die_area_mm2;     /* NAN unknown */
  int dies;                /* logic dies die_area_mm2 covers (--dies) */
  double interconnect_gbs; /* NAN unknown */
  int datacenter;
  struct tpp_progress *progress; /* numbers and reports the rows; NULL: silent */
  int repeat;                    /* whole measurements of the compute rows (--repeat), >= 1 */
  /* Nonzero: stop before the next row (a signal arrived); the device is then left
   * `interrupted` with the rows finished so far.  NULL: never. */
  volatile sig_atomic_t *stop;
};

void tpp_run_defaults(struct tpp_run_opts *o);

/* The rows tpp_run_device will report for the device under o (progress's [k/N]): every
 * requested precision on each path the backend has, times o->repeat, and the bandwidth
 * rows. */
size_t tpp_run_planned_rows(const struct tpp_device_info *info, const struct tpp_run_opts *o);

/* Measure the device into d (d->placement is set when topo is given).  0, or an error
 * from opening the device (diag says why). */
int tpp_run_device(const struct tpp_device_info *info, const struct tpp_run_opts *o,
                   struct tpp_topo *topo, struct tpp_device_result *d, struct tpp_diag *diag);

#endif
