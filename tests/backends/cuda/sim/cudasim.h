/* cudasim.h - state the simulated driver (cudasim.c, libcuda.so.1) shares with the simulated
 * NVML (nvmlsim.c, libnvidia-ml.so.1).  Test code only. */
#ifndef TPP_CUDASIM_H
#define TPP_CUDASIM_H

struct tppsim_state {
  int devices;
  int busy;          /* a launch is in flight */
  double busy_until; /* CLOCK_MONOTONIC seconds the busy clock holds after one ends */
  int throttled;     /* ... at a capped clock (TPPSIM_THROTTLE) */
  int fault_at_sync; /* error the next synchronisation reports */
  unsigned generation, resets;
  double clock_busy_mhz, clock_idle_mhz, clock_max_mhz;
};

#endif
