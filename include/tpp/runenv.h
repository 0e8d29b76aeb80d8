/* runenv.h - what on the host may disturb a run, said before it starts.
 *
 * A CPU device (and the host side of every launch) runs slower under a power-saving CPU
 * frequency governor, and any device measures low while other processes share it.  These
 * checks read what the OS states (cpufreq's scaling_governor, the load average against the
 * cores) and give one sentence per finding, for the result's `warnings` and for stderr.  A
 * GPU whose board facts are known (NVML) also gets a sentence on its clocks: application
 * clocks changed from their default, or clocks left unlocked (they follow power and heat).
 */
#ifndef TPP_RUNENV_H
#define TPP_RUNENV_H

#include <jansson.h>

#include "tpp/backend.h"

/* Append to warnings (a JSON array) a sentence per finding for the devices about to be
 * measured; sysroot ("" normally) prefixes /sys and /proc paths, for the tests. */
void tpp_runenv_warnings(const struct tpp_device_info *devs, size_t n, const char *sysroot,
                         json_t *warnings);

#endif
