/* hostclock.h - measure the clock the host's cores really run at.
 *
 * A chain of dependent integer additions retires one addition per cycle on every x86-64
 * core of the last fifteen years, so timing a long chain against CLOCK_MONOTONIC gives
 * the core clock under load, turbo included; the nominal frequency the OS reports does
 * not.  This is how tppbench records the clock of a CPU OpenCL device during a run.
 * Caveat, documented in docs/measurement.md: cores that lower their clock for wide
 * vector instructions may run the vector kernels slightly slower than this integer chain.
 */
#ifndef TPP_HOSTCLOCK_H
#define TPP_HOSTCLOCK_H

/* Clock in MHz: `threads` threads (one per core to load them all, as a kernel does) each
 * time the chain in short windows for about `seconds` and keep their fastest window (a
 * preempted window reads low, never high); the median over the threads.  NAN where the
 * architecture has no such chain here (anything but x86-64) or timing failed. */
double tpp_hostclock_mhz(int threads, double seconds);

#endif
