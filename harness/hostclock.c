/* hostclock.c - dependent-add chains timed against CLOCK_MONOTONIC.  See hostclock.h. */
#include "tpp/hostclock.h"

#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <time.h>

#include "tpp/stats.h"

#define CHAIN_ADDS_PER_CALL 10000u /* 100 × .rept 100 */

static double
now_s(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

#if defined(__x86_64__)
/* 10,000 dependent additions: each needs the previous result, so one per cycle.  The
 * addend is a register, not an immediate: recent Intel cores fold chains of add-immediate
 * at register rename and retire several per cycle (measured here: "16 GHz"). */
static uint64_t
add_chain(uint64_t x)
{
  uint64_t one = 1;
  for (int i = 0; i < 100; i++)
    __asm__ volatile(".rept 100\n\taddq %1, %0\n\t.endr" : "+r"(x) : "r"(one));
  return x;
}

struct chain_job {
  double seconds;
  double mhz;
};

/* Short windows, and the fastest one: a window in which the thread was preempted or
 * shared its core reads low, never high (nothing retires the chain faster than one add
 * per cycle), so the maximum is the clock.  64 calls = 640,000 adds, about 0.2 ms. */
static void *
chain_thread(void *arg)
{
  struct chain_job *job = arg;
  uint64_t x = 0, expect = 0;
  double start, t0, t1, best = 0;

  x = add_chain(x); /* fault in, wake the core */
  expect = CHAIN_ADDS_PER_CALL;
  start = t1 = now_s();
  do {
    t0 = t1;
    for (int i = 0; i < 64; i++)
      x = add_chain(x);
    expect += 64u * CHAIN_ADDS_PER_CALL;
    t1 = now_s();
    if (t1 > t0 && 64.0 * CHAIN_ADDS_PER_CALL / (t1 - t0) > best)
      best = 64.0 * CHAIN_ADDS_PER_CALL / (t1 - t0);
  } while (t1 - start < job->seconds);
  /* x == expect proves the chain ran; a mismatch means no reading. */
  job->mhz = x == expect && best > 0 ? best / 1e6 : NAN;
  return NULL;
}

double
tpp_hostclock_mhz(int threads, double seconds)
{
  struct chain_job *jobs;
  pthread_t *tids;
  double *mhz, result = NAN;
  int started = 0, n = 0;
  struct tpp_stats st;

  if (threads < 1)
    threads = 1;
  jobs = calloc((size_t)threads, sizeof(*jobs));
  tids = calloc((size_t)threads, sizeof(*tids));
  mhz = calloc((size_t)threads, sizeof(*mhz));
  if (!jobs || !tids || !mhz)
    goto out;
  for (; started < threads; started++) {
    jobs[started].seconds = seconds;
    if (pthread_create(&tids[started], NULL, chain_thread, &jobs[started]) != 0)
      break;
  }
  for (int i = 0; i < started; i++) {
    pthread_join(tids[i], NULL);
    if (isfinite(jobs[i].mhz))
      mhz[n++] = jobs[i].mhz;
  }
  if (n > 0 && tpp_stats_compute(mhz, (size_t)n, &st) == 0)
    result = st.median;
out:
  free(jobs);
  free(tids);
  free(mhz);
  return result;
}
#else
double
tpp_hostclock_mhz(int threads, double seconds)
{
  (void)threads;
  (void)seconds;
  return NAN;
}
#endif
