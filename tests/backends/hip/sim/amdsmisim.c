/* amdsmisim.c - a simulated amd-smi (libamd_smi.so) beside the simulated HIP runtime
 * (hipsim.c): the GFX clock, hotspot temperature, energy counter and PPT violation of the
 * simulated MI300Xs.  The clock is 1900 MHz while a launch is in flight (1500 MHz with an
 * active PPT violation when the runtime throttles it), 132 MHz idle; the energy counter runs
 * at the simulated power over simulated time, in units of 15.3 microjoules as an MI300X's
 * does.  Signatures and layouts are those harness/backends/hip/hip_smi.c reads.  Test code
 * only; never installed. */
#include <dlfcn.h>
#include <stdint.h>
#include <string.h>

#include "gpusim.h"

#define EXPORT __attribute__((visibility("default")))

enum { AMDSMI_OK = 0, AMDSMI_STATUS_INVAL = 1, AMDSMI_STATUS_NOT_FOUND = 31 };

static struct tppsim_state *state;
static double (*clock_now)(void);
static void (*energy_now)(double *, double *);

static int
attach(void)
{
  void *lib;
  if (state)
    return 1;
  if (!(lib = dlopen("libamdhip64.so.6", RTLD_NOW | RTLD_NOLOAD)) &&
      !(lib = dlopen("libamdhip64.so.6", RTLD_NOW)))
    return 0;
  state = ((struct tppsim_state * (*)(void)) dlsym(lib, "tppsim_get_state"))();
  *(void **)&clock_now = dlsym(lib, "tppsim_clock_mhz");
  *(void **)&energy_now = dlsym(lib, "tppsim_energy");
  return state && clock_now && energy_now;
}

EXPORT int amdsmi_init(uint64_t flags);
EXPORT int amdsmi_get_processor_handle_from_bdf(uint64_t bdf, void **h);
EXPORT int amdsmi_get_clock_info(void *h, int type, void *info);
EXPORT int amdsmi_get_temp_metric(void *h, int sensor, int metric, int64_t *t);
EXPORT int amdsmi_get_energy_count(void *h, uint64_t *e, float *res, uint64_t *ts);
EXPORT int amdsmi_get_violation_status(void *h, void *v);

int
amdsmi_init(uint64_t flags)
{
  (void)flags;
  return attach() ? AMDSMI_OK : AMDSMI_STATUS_INVAL;
}

/* amdsmi_bdf_t: function bits 0-2, device 3-7, bus 8-15, domain 16-63; the simulated
 * devices sit on buses 0x0c, 0x1c, ... (hipsim.c). */
int
amdsmi_get_processor_handle_from_bdf(uint64_t bdf, void **h)
{
  unsigned bus = (unsigned)(bdf >> 8) & 0xff;
  for (int i = 0; state && i < state->devices; i++)
    if (bus == (unsigned)(0x0c + 0x10 * i) && (bdf & 0xff) == 0 && (bdf >> 16) == 0) {
      *h = (void *)(uintptr_t)(0x3000 + i);
      return AMDSMI_OK;
    }
  return AMDSMI_STATUS_NOT_FOUND;
}

/* amdsmi_clk_info_t: the current clock (MHz) first. */
int
amdsmi_get_clock_info(void *h, int type, void *info)
{
  uint32_t clk = (uint32_t)clock_now();
  (void)h;
  if (type != 0) /* AMDSMI_CLK_TYPE_GFX */
    return AMDSMI_STATUS_INVAL;
  memset(info, 0, 32);
  memcpy(info, &clk, 4);
  return AMDSMI_OK;
}

int
amdsmi_get_temp_metric(void *h, int sensor, int metric, int64_t *t)
{
  (void)h;
  (void)metric;
  *t = (state->busy ? 71 : 38) * 1000 + (sensor == 1 ? 6000 : 0); /* hotspot runs warmer */
  return AMDSMI_OK;
}

int
amdsmi_get_energy_count(void *h, uint64_t *e, float *res, uint64_t *ts)
{
  double j, s;
  (void)h;
  energy_now(&j, &s);
  *res = 15.3f;
  *e = (uint64_t)(j / 15.3e-6);
  *ts = (uint64_t)(s * 1e9);
  return AMDSMI_OK;
}

/* amdsmi_violation_status_t: 13 uint64 counters, then the active flags of prochot, PPT,
 * socket thermal, VR thermal, HBM thermal. */
int
amdsmi_get_violation_status(void *h, void *v)
{
  unsigned char *b = v;
  (void)h;
  memset(b, 0, 13 * 8 + 5);
  b[13 * 8 + 1] = state->busy && state->throttled;
  return AMDSMI_OK;
}
