/* runenv.c - governor, load and GPU clock checks before a run.  See runenv.h. */
#include "tpp/runenv.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "tpp/board.h"

static void add(json_t *warnings, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void
add(json_t *warnings, const char *fmt, ...)
{
  char buf[512];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(buf, sizeof(buf), fmt, ap);
  va_end(ap);
  json_array_append_new(warnings, json_string(buf));
}

/* The governors of the CPUs that are not "performance", e.g. "powersave on 16 of 16 CPUs";
 * 0 when all are (or cpufreq is absent: a VM or a container without it states nothing). */
static int
governor(const char *sysroot, char *which, size_t len, int *n_bad, int *n_all)
{
  *n_bad = *n_all = 0;
  which[0] = '\0';
  for (int cpu = 0; cpu < 4096; cpu++) {
    char path[512], g[64] = "";
    FILE *f;
    snprintf(path, sizeof(path), "%s/sys/devices/system/cpu/cpu%d/cpufreq/scaling_governor",
             sysroot, cpu);
    if (!(f = fopen(path, "r")))
      break;
    if (fgets(g, sizeof(g), f))
      g[strcspn(g, "\n")] = '\0';
    fclose(f);
    (*n_all)++;
    if (strcmp(g, "performance") != 0) {
      (*n_bad)++;
      if (!which[0])
        snprintf(which, len, "%s", g);
    }
  }
  return *n_bad > 0;
}

void
tpp_runenv_warnings(const struct tpp_device_info *devs, size_t n, const char *sysroot,
                    json_t *warnings)
{
  int cpu_dev = 0, bad, all;
  char g[64];
  for (size_t i = 0; i < n; i++)
    cpu_dev |= strcmp(devs[i].type, "cpu") == 0;
  if (governor(sysroot, g, sizeof(g), &bad, &all))
    add(warnings,
        "CPU frequency governor is \"%s\" on %d of %d CPUs, not \"performance\": %s "
        "(cpupower frequency-set -g performance)",
        g, bad, all,
        cpu_dev ? "a CPU device may measure below its capability"
                : "the host side of each launch may be slower");
  if (cpu_dev) {
    /* A CPU device computes on the host's cores: any other load takes cycles from it. */
    char path[512];
    double load = -1;
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    FILE *f;
    snprintf(path, sizeof(path), "%s/proc/loadavg", sysroot);
    if ((f = fopen(path, "r")) != NULL) {
      if (fscanf(f, "%lf", &load) != 1)
        load = -1;
      fclose(f);
    }
    if (cores > 0 && load > 0.5 * (double)cores)
      add(warnings,
          "other processes load the host: load average %.2f on %ld CPUs; a CPU device shares "
          "its cores with them and may measure low",
          load, cores);
  }
  /* A GPU's clock: set by an administrator, or left to boost with power and temperature;
   * other processes computing on it. */
  for (size_t i = 0; i < n; i++) {
    const struct tpp_board *b = &devs[i].board;
    if (devs[i].has_board && tpp_board_known(b, TPP_BOARD_COMPUTE_PROCESSES) &&
        b->compute_processes > 0)
      add(warnings,
          "%s: %d other process%s computing on the device: %s its units and memory bandwidth, "
          "so it may measure low (nvidia-smi lists them)",
          devs[i].selector, b->compute_processes, b->compute_processes == 1 ? " is" : "es are",
          b->compute_processes == 1 ? "it shares" : "they share");
    if (!devs[i].has_board || !tpp_board_known(b, TPP_BOARD_APP_CLOCK_SM_MHZ) ||
        !tpp_board_known(b, TPP_BOARD_APP_CLOCK_SM_DEFAULT_MHZ))
      continue;
    if (b->app_clock_sm_mhz != b->app_clock_sm_default_mhz)
      add(warnings,
          "%s: application clocks set to SM %d MHz (default %d MHz): the device does not run "
          "as shipped (nvidia-smi -rac resets them)",
          devs[i].selector, b->app_clock_sm_mhz, b->app_clock_sm_default_mhz);
    else
      add(warnings,
          "%s: clocks not locked: the SM clock follows power and temperature, so TOPS may "
          "differ from run to run (each row's clock is measured while it runs; --repeat shows "
          "the spread between runs)",
          devs[i].selector);
  }
}
