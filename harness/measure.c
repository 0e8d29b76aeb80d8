/* measure.c - warm-up, sizing, verified repeated timing.  See measure.h. */
#include "tpp/measure.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void
tpp_measure_defaults(struct tpp_measure_opts *o)
{
  o->budget_s = 1.0;
  o->target_launch_s = 0.05;
  o->min_samples = 7;
  o->max_samples = 200;
}

static int
launch(struct tpp_workload *w, size_t units, int timed, double *seconds, struct tpp_measurement *m)
{
  char why[sizeof(m->why) - 48] = "";
  int err = w->run(w->impl, units, timed, seconds, why, sizeof(why));
  if (err) /* the backend's words (failing call, driver error) are the cause: keep them */
    snprintf(m->why, sizeof(m->why), "launch of %zu units failed: %s", units,
             why[0] ? why : tpp_strerror(err));
  else if (!(*seconds > 0) || !isfinite(*seconds)) {
    snprintf(m->why, sizeof(m->why), "device timer gave %g s for a launch", *seconds);
    err = TPP_ETIME;
  }
  return err;
}

int
tpp_measure(struct tpp_workload *w, const struct tpp_measure_opts *o, struct tpp_measurement *m)
{
  double t = 0, spent = 0, *rates = NULL;
  size_t units = w->min_units ? w->min_units : 1;
  int n = 0, err;

  memset(m, 0, sizeof(*m));
  /* 1. warm-up */
  if ((err = launch(w, units, 0, &t, m)))
    return err;
  /* 2. size: grow until one launch is long enough to time well */
  while (t < o->target_launch_s && units < w->max_units) {
    double grow = t > 0 ? o->target_launch_s / t * 1.2 : 2.0;
    size_t next;
    if (grow < 2.0)
      grow = 2.0;
    if (grow > 64.0)
      grow = 64.0;
    next = (size_t)((double)units * grow);
    units = next > w->max_units ? w->max_units : next;
    if ((err = launch(w, units, 0, &t, m)))
      return err;
  }
  /* 3. the sized launch must be right */
  if ((err = w->verify(w->impl, units, m->why, sizeof(m->why))))
    return err;

  /* 4. repeat */
  rates = malloc((size_t)o->max_samples * sizeof(*rates));
  if (!rates)
    return TPP_ENOMEM;
  m->units = units;
  m->ops_per_launch = w->ops_per_unit * (double)units;
  while (n < o->max_samples && (n < o->min_samples || spent < o->budget_s)) {
    if ((err = launch(w, units, 1, &t, m)))
      goto out;
    rates[n++] = m->ops_per_launch / t;
    spent += t;
  }
  /* 5. and so must the last timed one */
  if ((err = w->verify(w->impl, units, m->why, sizeof(m->why))))
    goto out;
  /* 6. */
  err = tpp_stats_compute(rates, (size_t)n, &m->rate);
  m->median_rate = m->rate.median;
out:
  free(rates);
  return err;
}
