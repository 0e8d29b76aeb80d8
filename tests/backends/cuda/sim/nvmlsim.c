/* nvmlsim.c - a simulated NVML (libnvidia-ml.so.1) beside the simulated driver (cudasim.c):
 * clocks, power, temperature and clock-event reasons of the simulated H100s.  The SM clock is
 * 1755 MHz while a launch is in flight (1275 MHz with the sw_power_cap reason when the
 * driver throttles it), 345 MHz idle, as an H100 SXM reads.  Test code only; never
 * installed.  TPPSIM_NVML_FAIL=1 makes nvmlInit fail.
 *
 * Board facts (serial, VBIOS, ECC, MIG, persistence, PCIe link, application clocks) as an
 * H100 SXM5 reports them, the serial numbered by device.  TPPSIM_NVML_NOT_SUPPORTED=
 * nvmlDeviceGetSerial,... makes the named functions return NVML_ERROR_NOT_SUPPORTED;
 * TPPSIM_APP_CLOCK_SM=MHZ sets the SM application clock away from its default;
 * TPPSIM_NVML_PROCESSES=N puts N other compute processes on every device. */
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gpusim.h"

#define EXPORT __attribute__((visibility("default")))

enum {
  NVML_OK = 0,
  NVML_ERROR_UNINITIALIZED = 1,
  NVML_ERROR_INVALID_ARGUMENT = 2,
  NVML_ERROR_NOT_SUPPORTED = 3,
  NVML_ERROR_NOT_FOUND = 6,
  NVML_ERROR_DRIVER_NOT_LOADED = 9
};

static struct tppsim_state *state;
static double (*clock_now)(void);

static int
attach(void)
{
  void *lib;
  if (state)
    return 1;
  lib = dlopen("libcuda.so.1", RTLD_NOW | RTLD_NOLOAD);
  if (!lib)
    lib = dlopen("libcuda.so.1", RTLD_NOW);
  if (!lib)
    return 0;
  state = ((struct tppsim_state * (*)(void)) dlsym(lib, "tppsim_get_state"))();
  *(void **)&clock_now = dlsym(lib, "tppsim_clock_mhz");
  return state && clock_now;
}

EXPORT int
nvmlInit_v2(void)
{
  const char *f = getenv("TPPSIM_NVML_FAIL");
  if (f && *f == '1')
    return NVML_ERROR_DRIVER_NOT_LOADED;
  return attach() ? NVML_OK : NVML_ERROR_DRIVER_NOT_LOADED;
}

EXPORT int
nvmlShutdown(void)
{
  return NVML_OK;
}

EXPORT int
nvmlDeviceGetHandleByPciBusId_v2(const char *bus, void **h)
{
  unsigned dom, b, d, fn;
  if (!state || sscanf(bus, "%x:%x:%x.%x", &dom, &b, &d, &fn) != 4)
    return NVML_ERROR_INVALID_ARGUMENT;
  for (int i = 0; i < 8; i++)
    if ((unsigned)(0x18 + 0x10 * i) == b && i < (state->devices ? state->devices : 8)) {
      *h = (void *)(size_t)(0x2000 + i);
      return NVML_OK;
    }
  return NVML_ERROR_NOT_FOUND;
}

EXPORT int
nvmlDeviceGetClockInfo(void *h, int type, unsigned *mhz)
{
  (void)h;
  if (type != 1) /* NVML_CLOCK_SM */
    return NVML_ERROR_INVALID_ARGUMENT;
  *mhz = (unsigned)clock_now();
  return NVML_OK;
}

EXPORT int
nvmlDeviceGetMaxClockInfo(void *h, int type, unsigned *mhz)
{
  (void)h;
  (void)type;
  *mhz = (unsigned)state->clock_max_mhz;
  return NVML_OK;
}

EXPORT int
nvmlDeviceGetPowerUsage(void *h, unsigned *mw)
{
  (void)h;
  *mw = state->busy ? (state->throttled ? 699500 : 642300) : 71800;
  return NVML_OK;
}

EXPORT int
nvmlDeviceGetEnforcedPowerLimit(void *h, unsigned *mw)
{
  (void)h;
  *mw = 700000;
  return NVML_OK;
}

EXPORT int
nvmlDeviceGetTemperature(void *h, int sensor, unsigned *c)
{
  (void)h;
  (void)sensor;
  *c = state->busy ? 63 : 34;
  return NVML_OK;
}

EXPORT int
nvmlDeviceGetCurrentClocksEventReasons(void *h, unsigned long long *r)
{
  (void)h;
  *r = state->busy ? (state->throttled ? 0x4ull : 0) : 0x1ull; /* sw_power_cap; gpu_idle */
  return NVML_OK;
}

EXPORT int
nvmlSystemGetDriverVersion(char *buf, unsigned len)
{
  const char *v = getenv("TPPSIM_DRIVER_STRING");
  snprintf(buf, len, "%s", v && *v ? v : "580.65.06");
  return NVML_OK;
}

/* --- board facts -------------------------------------------------------------------- */

/* Does TPPSIM_NVML_NOT_SUPPORTED name fn (in a comma-separated list)? */
static int
not_supported(const char *fn)
{
  const char *list = getenv("TPPSIM_NVML_NOT_SUPPORTED"), *p;
  size_t n = strlen(fn);
  for (p = list; p && (p = strstr(p, fn)) != NULL; p += n)
    if ((p == list || p[-1] == ',') && (p[n] == '\0' || p[n] == ','))
      return 1;
  return 0;
}

#define UNSUPPORTED_IF_ASKED()         \
  do {                                 \
    if (not_supported(__func__))       \
      return NVML_ERROR_NOT_SUPPORTED; \
  } while (0)

EXPORT const char *
nvmlErrorString(int r)
{
  switch (r) {
  case NVML_OK:
    return "Success";
  case NVML_ERROR_UNINITIALIZED:
    return "Uninitialized";
  case NVML_ERROR_INVALID_ARGUMENT:
    return "Invalid Argument";
  case NVML_ERROR_NOT_SUPPORTED:
    return "Not Supported";
  case NVML_ERROR_NOT_FOUND:
    return "Not Found";
  case NVML_ERROR_DRIVER_NOT_LOADED:
    return "Driver Not Loaded";
  default:
    return "Unknown Error";
  }
}

EXPORT int
nvmlDeviceGetSerial(void *h, char *buf, unsigned len)
{
  UNSUPPORTED_IF_ASKED();
  snprintf(buf, len, "165422000%04u", (unsigned)((size_t)h - 0x2000));
  return NVML_OK;
}

EXPORT int
nvmlDeviceGetVbiosVersion(void *h, char *buf, unsigned len)
{
  (void)h;
  UNSUPPORTED_IF_ASKED();
  snprintf(buf, len, "96.00.99.00.01");
  return NVML_OK;
}

EXPORT int
nvmlDeviceGetEccMode(void *h, int *current, int *pending)
{
  (void)h;
  UNSUPPORTED_IF_ASKED();
  *current = 1;
  *pending = 1;
  return NVML_OK;
}

EXPORT int
nvmlDeviceGetMigMode(void *h, unsigned *current, unsigned *pending)
{
  (void)h;
  UNSUPPORTED_IF_ASKED();
  *current = 0;
  *pending = 0;
  return NVML_OK;
}

EXPORT int
nvmlDeviceGetPersistenceMode(void *h, int *mode)
{
  (void)h;
  UNSUPPORTED_IF_ASKED();
  *mode = 1;
  return NVML_OK;
}

EXPORT int
nvmlDeviceGetCurrPcieLinkGeneration(void *h, unsigned *v)
{
  (void)h;
  UNSUPPORTED_IF_ASKED();
  *v = 5;
  return NVML_OK;
}

EXPORT int
nvmlDeviceGetMaxPcieLinkGeneration(void *h, unsigned *v)
{
  (void)h;
  UNSUPPORTED_IF_ASKED();
  *v = 5;
  return NVML_OK;
}

EXPORT int
nvmlDeviceGetCurrPcieLinkWidth(void *h, unsigned *v)
{
  (void)h;
  UNSUPPORTED_IF_ASKED();
  *v = 16;
  return NVML_OK;
}

EXPORT int
nvmlDeviceGetMaxPcieLinkWidth(void *h, unsigned *v)
{
  (void)h;
  UNSUPPORTED_IF_ASKED();
  *v = 16;
  return NVML_OK;
}

/* The count only, as tppbench asks: NVML_ERROR_INSUFFICIENT_SIZE (7) when there are some. */
EXPORT int
nvmlDeviceGetComputeRunningProcesses_v3(void *h, unsigned *count, void *infos)
{
  const char *env = getenv("TPPSIM_NVML_PROCESSES");
  unsigned n = env ? (unsigned)atoi(env) : 0;
  (void)h;
  UNSUPPORTED_IF_ASKED();
  if (n > *count || (!infos && n > 0)) {
    *count = n;
    return 7;
  }
  *count = n;
  return NVML_OK;
}

static int
default_app_clock(int type, unsigned *mhz)
{
  if (type == 1) /* NVML_CLOCK_SM */
    *mhz = (unsigned)state->clock_max_mhz;
  else if (type == 2) /* NVML_CLOCK_MEM */
    *mhz = 2619;
  else
    return NVML_ERROR_INVALID_ARGUMENT;
  return NVML_OK;
}

EXPORT int
nvmlDeviceGetDefaultApplicationsClock(void *h, int type, unsigned *mhz)
{
  (void)h;
  UNSUPPORTED_IF_ASKED();
  return default_app_clock(type, mhz);
}

EXPORT int
nvmlDeviceGetApplicationsClock(void *h, int type, unsigned *mhz)
{
  const char *set = getenv("TPPSIM_APP_CLOCK_SM");
  (void)h;
  UNSUPPORTED_IF_ASKED();
  if (type == 1 && set && *set) {
    *mhz = (unsigned)atoi(set);
    return NVML_OK;
  }
  return default_app_clock(type, mhz);
}
