/* measure.h - the measurement method, the same for every backend and kernel.
 *
 *  1. warm-up: one launch at the smallest size (compiles, faults pages in, wakes clocks);
 *  2. size: the launch size doubles until one launch takes at least target_launch_s;
 *  3. verify the output of that launch against the host;
 *  4. repeat timed launches until the time budget is spent (at least min_samples, at most
 *     max_samples); each sample is one launch timed with device events;
 *  5. verify again: the last timed launch must also be right;
 *  6. statistics over the samples (throughput per launch): median, min, max, CV.
 */
#ifndef TPP_MEASURE_H
#define TPP_MEASURE_H

#include "tpp/backend.h"
#include "tpp/stats.h"

struct tpp_measure_opts {
  double budget_s;        /* time for the repeated launches of one row */
  double target_launch_s; /* one launch at least this long */
  int min_samples, max_samples;
};

void tpp_measure_defaults(struct tpp_measure_opts *o);

struct tpp_measurement {
  size_t units; /* launch size chosen */
  double ops_per_launch;
  struct tpp_stats rate; /* operations per second over the samples */
  double median_rate;    /* = rate.median */
  char why[256];         /* verification or timing failure, if any */
};

/* Run the method above.  0, TPP_EVERIFY / TPP_ETIME / a backend error (m->why says). */
int tpp_measure(struct tpp_workload *w, const struct tpp_measure_opts *o,
                struct tpp_measurement *m);

#endif
