/* cudasim.h - state the simulated driver (cudasim.c, libcuda.so.1) shares with the simulated
 * NVML (nvmlsim.c, libnvidia-ml.so.1).  Test code only. */
#ifndef TPP_CUDASIM_H
#define TPP_CUDASIM_H

#include <stdatomic.h>

/* The launching thread moves busy, busy_until and throttled; tppbench's NVML sampler thread
 * reads them (through nvmlsim.c) at the same time, as it does a real driver's: atomic, as a
 * real driver is thread-safe (a data race ThreadSanitizer found here). */
struct tppsim_state {
  int devices;
  atomic_int busy;           /* a launch is in flight */
  _Atomic double busy_until; /* CLOCK_MONOTONIC seconds the busy clock holds after one ends */
  atomic_int throttled;      /* ... at a capped clock (TPPSIM_THROTTLE) */
  int fault_at_sync;         /* error the next synchronisation reports */
  unsigned generation, resets;
  double clock_busy_mhz, clock_idle_mhz, clock_max_mhz;
};

#endif
