/* hip_smi.c - amd-smi / rocm-smi telemetry, loaded at run time.  See hip_smi.h. */
#include "hip/hip_smi.h"

#include <dlfcn.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gpu/dlbind.h"

const char *const tpp_hip_smi_event_names[TPP_HIP_SMI_EVENT_COUNT] = {"power", "thermal", "prochot",
                                                                      "vr_thermal", "hbm_thermal"};

enum { SMI_AMD, SMI_ROCM };
enum {
  AMDSMI_INIT_AMD_GPUS = 1 << 1,
  AMDSMI_CLK_TYPE_GFX = 0,
  AMDSMI_TEMPERATURE_TYPE_EDGE = 0,
  AMDSMI_TEMPERATURE_TYPE_HOTSPOT = 1,
  AMDSMI_TEMP_CURRENT = 0,
  RSMI_INIT_FLAG_ALL_GPUS = 0x1,
  RSMI_CLK_TYPE_SYS = 0,
  RSMI_TEMP_TYPE_EDGE = 0,
  RSMI_TEMP_TYPE_JUNCTION = 1,
  RSMI_TEMP_CURRENT = 0,
  RSMI_MAX_NUM_FREQUENCIES = 33,
};

/* amdsmi_violation_status_t: 13 uint64 counters, then the active_* flags (uint8; 0xff
 * unsupported) for prochot, PPT, socket thermal, VR thermal, HBM thermal. */
#define VIOLATION_ACTIVE_OFFSET (13 * 8)

struct tpp_hip_smi {
  void *lib;
  int kind;
  int rsmi_deep_sleep; /* rsmi_frequencies_t starts with bool has_deep_sleep (ROCm 6+) */
  char name[96];
  int (*amd_init)(uint64_t);
  int (*amd_from_bdf)(uint64_t, void **);
  int (*amd_clock)(void *, int, void *);
  int (*amd_temp)(void *, int, int, int64_t *);
  int (*amd_energy)(void *, uint64_t *, float *, uint64_t *);
  int (*amd_violation)(void *, void *); /* NULL before ROCm 6.3 */
  int (*rsmi_init)(uint64_t);
  int (*rsmi_count)(uint32_t *);
  int (*rsmi_pci)(uint32_t, uint64_t *);
  int (*rsmi_clock)(uint32_t, int, void *);
  int (*rsmi_temp)(uint32_t, uint32_t, int, int64_t *);
  int (*rsmi_energy)(uint32_t, uint64_t *, float *, uint64_t *);
};

static struct tpp_hip_smi smi;
static int smi_ok;
static char smi_why[256];
static pthread_once_t smi_once = PTHREAD_ONCE_INIT;

#define A(field, name) TPP_DL_FN(struct tpp_hip_smi, field, name)
static const struct tpp_dl_fn amd_fns[] = {
    A(amd_init, "amdsmi_init"),
    A(amd_from_bdf, "amdsmi_get_processor_handle_from_bdf"),
    A(amd_clock, "amdsmi_get_clock_info"),
    A(amd_temp, "amdsmi_get_temp_metric"),
    A(amd_energy, "amdsmi_get_energy_count"),
    TPP_DL_OPT(struct tpp_hip_smi, amd_violation, "amdsmi_get_violation_status"),
};
static const struct tpp_dl_fn rocm_fns[] = {
    A(rsmi_init, "rsmi_init"),
    A(rsmi_count, "rsmi_num_monitor_devices"),
    A(rsmi_pci, "rsmi_dev_pci_id_get"),
    A(rsmi_clock, "rsmi_dev_gpu_clk_freq_get"),
    A(rsmi_temp, "rsmi_dev_temp_metric_get"),
    A(rsmi_energy, "rsmi_dev_energy_count_get"),
};
#undef A

/* The library's file name, from the path it was opened by. */
static const char *
base_name(const char *path)
{
  const char *slash = strrchr(path, '/');
  return slash ? slash + 1 : path;
}

static int
load_amd(struct tpp_hip_smi *s, char *why, size_t whylen)
{
  static const char *const names[] = {"libamd_smi.so",    "libamd_smi.so.26", "libamd_smi.so.25",
                                      "libamd_smi.so.24", "libamd_smi.so.23", NULL};
  const char *missing = NULL, *so;
  char path[1024];
  int e;
  if (!(s->lib = tpp_dl_open_rocm(names, path, sizeof(path)))) {
    snprintf(why, whylen, "no amd-smi (libamd_smi.so)");
    return -1;
  }
  so = base_name(path);
  if (tpp_dl_bind(s->lib, s, amd_fns, sizeof(amd_fns) / sizeof(amd_fns[0]), &missing) != 0)
    goto fail;
  if ((e = s->amd_init(AMDSMI_INIT_AMD_GPUS)) != 0) {
    snprintf(why, whylen, "amd-smi (%s): amdsmi_init failed (status %d)", so, e);
    goto close;
  }
  s->kind = SMI_AMD;
  snprintf(s->name, sizeof(s->name), "amd-smi (%s)", so);
  return 0;
fail:
  snprintf(why, whylen, "amd-smi (%s) lacks %s", so, missing);
close:
  dlclose(s->lib);
  s->lib = NULL;
  return -1;
}

static int
load_rocm(struct tpp_hip_smi *s, char *why, size_t whylen)
{
  static const char *const names[] = {"librocm_smi64.so.7", "librocm_smi64.so.5", NULL};
  const char *missing = NULL, *so;
  char path[1024];
  int e;
  if (!(s->lib = tpp_dl_open_rocm(names, path, sizeof(path)))) {
    snprintf(why, whylen, "no rocm-smi (librocm_smi64.so.7 or .so.5)");
    return -1;
  }
  so = base_name(path);
  if (tpp_dl_bind(s->lib, s, rocm_fns, sizeof(rocm_fns) / sizeof(rocm_fns[0]), &missing) != 0)
    goto fail;
  if ((e = s->rsmi_init(RSMI_INIT_FLAG_ALL_GPUS)) != 0) {
    snprintf(why, whylen, "rocm-smi (%s): rsmi_init failed (status %d)", so, e);
    goto close;
  }
  s->kind = SMI_ROCM;
  s->rsmi_deep_sleep = strstr(so, ".so.5") == NULL; /* version 7 (ROCm 6) added the flag */
  snprintf(s->name, sizeof(s->name), "rocm-smi (%s)", so);
  return 0;
fail:
  snprintf(why, whylen, "rocm-smi (%s) lacks %s", so, missing);
close:
  dlclose(s->lib);
  s->lib = NULL;
  return -1;
}

static void
load_smi(void)
{
  char amd_why[128], rocm_why[128];
  memset(&smi, 0, sizeof(smi));
  if (load_amd(&smi, amd_why, sizeof(amd_why)) == 0 ||
      load_rocm(&smi, rocm_why, sizeof(rocm_why)) == 0) {
    smi_ok = 1;
    return;
  }
  snprintf(smi_why, sizeof(smi_why), "%s; %s", amd_why, rocm_why);
}

const struct tpp_hip_smi *
tpp_hip_smi_load(char *why, size_t whylen)
{
  pthread_once(&smi_once, load_smi);
  if (!smi_ok) {
    snprintf(why, whylen, "%s", smi_why);
    return NULL;
  }
  return &smi;
}

const char *
tpp_hip_smi_name(const struct tpp_hip_smi *s)
{
  return s ? s->name : "none";
}

/* Hex digits up to `stop` (at least one, at most `max`): their value, or -1. */
static long
hex_field(const char **p, char stop, int max)
{
  long v = 0;
  int n = 0;
  for (; **p && **p != stop; (*p)++, n++) {
    const char *d = strchr("0123456789abcdef", **p | 0x20);
    if (!d || !**p || n == max)
      return -1;
    v = v * 16 + (d - "0123456789abcdef");
  }
  if (n == 0 || **p != stop)
    return -1;
  if (stop)
    (*p)++;
  return v;
}

int
tpp_hip_pci_parse(const char *s, unsigned *domain, unsigned *bus, unsigned *device,
                  unsigned *function)
{
  long dom = hex_field(&s, ':', 8), b = dom < 0 ? -1 : hex_field(&s, ':', 2);
  long d = b < 0 ? -1 : hex_field(&s, '.', 2), f = d < 0 ? -1 : hex_field(&s, '\0', 1);
  if (f < 0 || d > 0x1f || f > 7)
    return -1;
  *domain = (unsigned)dom;
  *bus = (unsigned)b;
  *device = (unsigned)d;
  *function = (unsigned)f;
  return 0;
}

int
tpp_hip_smi_open(const struct tpp_hip_smi *s, const char *pci_bus_id,
                 struct tpp_hip_smi_device *dev, char *why, size_t whylen)
{
  unsigned dom, bus, d, fn;
  memset(dev, 0, sizeof(*dev));
  if (tpp_hip_pci_parse(pci_bus_id, &dom, &bus, &d, &fn) != 0) {
    snprintf(why, whylen, "'%s' is not a PCI address", pci_bus_id);
    return -1;
  }
  dev->smi = s;
  if (s->kind == SMI_AMD) {
    /* amdsmi_bdf_t: function bits 0-2, device 3-7, bus 8-15, domain 16-63 */
    uint64_t bdf = fn | (uint64_t)d << 3 | (uint64_t)bus << 8 | (uint64_t)dom << 16;
    int e = s->amd_from_bdf(bdf, &dev->handle);
    if (e != 0) {
      snprintf(why, whylen, "%s knows no device at %s (status %d)", s->name, pci_bus_id, e);
      return -1;
    }
    return 0;
  }
  {
    /* BDFID: domain bits 32-63, partition 28-31 (ignored), bus 8-15, device 3-7, function 0-2 */
    uint64_t want = (uint64_t)dom << 32 | bus << 8 | d << 3 | fn;
    uint32_t n = 0;
    if (s->rsmi_count(&n) == 0)
      for (uint32_t i = 0; i < n; i++) {
        uint64_t id;
        if (s->rsmi_pci(i, &id) == 0 && (id & ~0xf0000000ull) == want) {
          dev->index = i;
          return 0;
        }
      }
    snprintf(why, whylen, "%s knows no device at %s", s->name, pci_bus_id);
    return -1;
  }
}

void
tpp_hip_smi_read(const struct tpp_hip_smi_device *dev, struct tpp_hip_smi_reading *r)
{
  const struct tpp_hip_smi *s = dev->smi;
  uint64_t energy = 0, ts = 0;
  float res = 0;
  int64_t mc = 0;
  r->clock_mhz = r->temperature_c = r->energy_j = r->energy_time_s = NAN;
  r->events = 0;
  r->events_known = 0;
  if (s->kind == SMI_AMD) {
    uint32_t clk[16] = {0}; /* amdsmi_clk_info_t: 32 bytes, the clock first */
    unsigned char vio[512];
    if (s->amd_clock(dev->handle, AMDSMI_CLK_TYPE_GFX, clk) == 0 && clk[0] > 0)
      r->clock_mhz = clk[0];
    if (s->amd_temp(dev->handle, AMDSMI_TEMPERATURE_TYPE_HOTSPOT, AMDSMI_TEMP_CURRENT, &mc) == 0 ||
        s->amd_temp(dev->handle, AMDSMI_TEMPERATURE_TYPE_EDGE, AMDSMI_TEMP_CURRENT, &mc) == 0)
      r->temperature_c = mc / 1000.0;
    if (s->amd_energy(dev->handle, &energy, &res, &ts) == 0 && res > 0) {
      r->energy_j = (double)energy * res * 1e-6;
      r->energy_time_s = ts * 1e-9;
    }
    memset(vio, 0xff, sizeof(vio));
    if (s->amd_violation && s->amd_violation(dev->handle, vio) == 0) {
      /* order of the active_* flags: prochot, PPT, socket thermal, VR, HBM */
      static const unsigned bit[5] = {TPP_HIP_SMI_EVENT_PROCHOT, TPP_HIP_SMI_EVENT_POWER,
                                      TPP_HIP_SMI_EVENT_THERMAL, TPP_HIP_SMI_EVENT_VR,
                                      TPP_HIP_SMI_EVENT_HBM};
      for (int i = 0; i < 5; i++) {
        unsigned char a = vio[VIOLATION_ACTIVE_OFFSET + i];
        if (a == 1)
          r->events |= bit[i];
        r->events_known |= a != 0xff;
      }
    }
    return;
  }
  {
    /* rsmi_frequencies_t: [bool has_deep_sleep;] uint32 num_supported; uint32 current;
     * uint64 frequency[33] (Hz) */
    uint64_t f[RSMI_MAX_NUM_FREQUENCIES + 2] = {0};
    const unsigned char *b = (const unsigned char *)f;
    size_t at = s->rsmi_deep_sleep ? 4 : 0;
    if (s->rsmi_clock(dev->index, RSMI_CLK_TYPE_SYS, f) == 0) {
      uint32_t n, cur;
      memcpy(&n, b + at, 4);
      memcpy(&cur, b + at + 4, 4);
      if (cur < n && n <= RSMI_MAX_NUM_FREQUENCIES) {
        uint64_t hz;
        memcpy(&hz, b + at + 8 + (s->rsmi_deep_sleep ? 4 : 0) + 8 * (size_t)cur, 8);
        r->clock_mhz = hz / 1e6;
      }
    }
    if (s->rsmi_temp(dev->index, RSMI_TEMP_TYPE_JUNCTION, RSMI_TEMP_CURRENT, &mc) == 0 ||
        s->rsmi_temp(dev->index, RSMI_TEMP_TYPE_EDGE, RSMI_TEMP_CURRENT, &mc) == 0)
      r->temperature_c = mc / 1000.0;
    if (s->rsmi_energy(dev->index, &energy, &res, &ts) == 0 && res > 0) {
      r->energy_j = (double)energy * res * 1e-6;
      r->energy_time_s = ts * 1e-9;
    }
  }
}
