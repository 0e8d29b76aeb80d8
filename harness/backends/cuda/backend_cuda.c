/* backend_cuda.c - the CUDA backend: devices and identity through the driver API (loaded at
 * run time), kernels from the fatbins embedded at build time (cuda_kernels.h), grids sized
 * by the driver's occupancy answer, timing with CUDA events, telemetry sampled from NVML
 * while timed launches are in flight; per-clock rates come from profiles/rates/cuda.json,
 * keyed "sm_90" (the core reads them, rates.h).
 *
 * Errors keep their cause: the failing call and the driver's error name and text go into
 * the row's reason.  A sticky error (an illegal address, a kernel fault: the context is
 * unusable afterwards) resets the device's primary context and drops the loaded modules,
 * so the next rows run in a fresh context; buffers of the old one are forgotten, never
 * freed again (a generation count tells them apart).  A device that cannot be reset is
 * "lost": its remaining rows say so without touching it.
 */
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cuda/cuda_driver.h"
#include "cuda/cuda_kernels.h"
#include "tpp/backend.h"

#define MAX_DEVICES 64
#define MAX_OUT_BYTES (256u << 20)
#define BW_MAX_BYTES (4ull << 30)
#define BW_THREADS_PER_BLOCK 256
#define VERIFY_SAMPLES 64
#define SAMPLE_PERIOD_NS 2000000L /* NVML every 2 ms while a timed launch runs */

/* NVML readings of one row, taken only while a timed launch is in flight: the clock of
 * an idle H100 (345 MHz) between launches, during warm-up, sizing or the host's check
 * must not dilute the clock the per-clock peak uses. */
struct sampler {
  pthread_t thread;
  int running;
  atomic_int stop;
  atomic_int in_flight; /* a timed launch is running */
  pthread_mutex_t lock; /* guards the sums (the thread and the launching thread add) */
  nvmlDevice_t nvdev;
  const struct tpp_nvml *nvml;
  int n;
  double clock_sum, clock_min, clock_max, power_sum, power_max, temp_max;
  unsigned long long reasons;
};

#ifndef TPP_CUDA_TOOLKIT13
#define TPP_CUDA_TOOLKIT13 ""
#define TPP_CUDA_TOOLKIT12 ""
#endif
/* The toolkit that built each image (backend.cmake): "13.0", "" when none. */
static const char *const tpp_cuda_image_toolkit[TPP_CUDA_IMAGE_COUNT] = {TPP_CUDA_TOOLKIT13,
                                                                         TPP_CUDA_TOOLKIT12};

/* The backend's state of an open device (struct tpp_device's priv). */
struct cuda_dev {
  const struct tpp_device_info *info; /* the core's */
  const struct tpp_cuda_driver *drv;
  CUdevice cu;
  CUcontext ctx;
  int cc; /* 90 for 9.0 */
  int sms;
  CUmodule modules[TPP_CUDA_MOD_COUNT];
  char module_err[TPP_CUDA_MOD_COUNT][224]; /* why a module did not load, "" */
  nvmlDevice_t nvdev;
  const struct tpp_nvml *nvml;
  struct sampler sampler;
  unsigned generation; /* bumped by every context reset: older buffers are gone */
  unsigned resets;
  char lost[224]; /* non-empty: the device could not be reset; nothing more runs */
};

static struct cuda_dev *
as_cuda(struct tpp_device *d)
{
  return d->priv;
}

/* NVML's clock-event ("throttle") reason bits, as nvml.h numbers them, and their names in
 * the result. */
static const struct {
  unsigned long long bit;
  const char *name;
} clock_events[] = {
    {0x1ull,   "gpu_idle"                   },
    {0x2ull,   "applications_clocks_setting"},
    {0x4ull,   "sw_power_cap"               },
    {0x8ull,   "hw_slowdown"                },
    {0x10ull,  "sync_boost"                 },
    {0x20ull,  "sw_thermal_slowdown"        },
    {0x40ull,  "hw_thermal_slowdown"        },
    {0x80ull,  "hw_power_brake_slowdown"    },
    {0x100ull, "display_clock_setting"      },
};

static void
add_clock_events(struct tpp_telemetry *t, unsigned long long reasons)
{
  char other[32];
  for (size_t i = 0; i < sizeof(clock_events) / sizeof(clock_events[0]); i++)
    if (reasons & clock_events[i].bit) {
      tpp_telemetry_add_event(t, clock_events[i].name);
      reasons &= ~clock_events[i].bit;
    }
  if (reasons) {
    snprintf(other, sizeof(other), "other(0x%llx)", reasons);
    tpp_telemetry_add_event(t, other);
  }
}

/* Architectures profiles/rates/cuda.json may name: those the kernels are built for. */
static const char *const rate_archs[] = {"sm_75",  "sm_80",  "sm_86",  "sm_87",  "sm_89",  "sm_90",
                                         "sm_100", "sm_103", "sm_110", "sm_120", "sm_121", NULL};

static void device_reset(struct cuda_dev *dev, const char *cause);

/* 0 for success; else the call and the driver's error into why, a context reset when the
 * error is sticky, and TPP_EBACKEND. */
static int
check(struct cuda_dev *dev, CUresult r, const char *what, char *why, size_t whylen)
{
  if (r == TPP_CU_SUCCESS)
    return 0;
  tpp_cuda_describe(r, what, why, whylen);
  if (dev && tpp_cuda_error_is_sticky(r))
    device_reset(dev, why);
  return TPP_EBACKEND;
}

/* --- discovery ---------------------------------------------------------------------- */

static int
fatbins_built(void)
{
  for (int m = 0; m < TPP_CUDA_MOD_COUNT; m++)
    if (tpp_cuda_fatbins[TPP_CUDA_IMAGE_13][m] && tpp_cuda_fatbin_sizes[TPP_CUDA_IMAGE_13][m])
      return 1;
  return 0;
}

static void
cuda_probe(struct tpp_backend_status *st)
{
  const struct tpp_cuda_driver *drv;
  int n = 0, version = 0;
  memset(st, 0, sizeof(*st));
  if (!fatbins_built()) {
    snprintf(st->reason, sizeof(st->reason),
             "built without CUDA kernels (no CUDA toolkit at build time)");
    return;
  }
  if (tpp_cuda_driver_load(&drv, st->reason, sizeof(st->reason)) != 0)
    return;
  drv->DriverGetVersion(&version);
  if (drv->DeviceGetCount(&n) != TPP_CU_SUCCESS || n == 0) {
    snprintf(st->reason, sizeof(st->reason), "CUDA driver %d.%d: no devices", version / 1000,
             version % 1000 / 10);
    return;
  }
  st->available = 1;
  snprintf(st->reason, sizeof(st->reason), "CUDA driver %d.%d, %d device%s", version / 1000,
           version % 1000 / 10, n, n == 1 ? "" : "s");
}

static void
format_uuid(const CUuuid *u, char *buf, size_t len)
{
  const unsigned char *b = (const unsigned char *)u->bytes;
  snprintf(buf, len, "GPU-%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
           b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13],
           b[14], b[15]);
}

static void
fill_info(const struct tpp_cuda_driver *drv, CUdevice cu, int index, struct tpp_device_info *i)
{
  int v = 0, bus = 0, dev = 0, dom = 0, version = 0;
  int major = 0, minor = 0;
  size_t mem = 0;
  CUuuid uuid;
  char cc[16];
  const struct tpp_nvml *nvml = tpp_nvml_load();

  memset(i, 0, sizeof(*i));
  snprintf(i->backend, sizeof(i->backend), "cuda");
  snprintf(i->selector, sizeof(i->selector), "cuda:%d", index);
  i->device_index = index;
  drv->DeviceGetName(i->name, (int)sizeof(i->name) - 1, cu);
  snprintf(i->vendor, sizeof(i->vendor), "NVIDIA");
  drv->DriverGetVersion(&version);
  snprintf(i->platform, sizeof(i->platform), "CUDA driver API");
  snprintf(i->driver_version, sizeof(i->driver_version), "%d.%d", version / 1000,
           version % 1000 / 10);
  snprintf(i->type, sizeof(i->type), "gpu");
  drv->DeviceGetAttribute(&i->compute_units, TPP_CU_ATTR_MULTIPROCESSOR_COUNT, cu);
  drv->DeviceGetAttribute(&major, TPP_CU_ATTR_CC_MAJOR, cu);
  drv->DeviceGetAttribute(&minor, TPP_CU_ATTR_CC_MINOR, cu);
  snprintf(i->device_version, sizeof(i->device_version), "sm_%d%d", major, minor);
  snprintf(cc, sizeof(cc), "%d.%d", major, minor);
  tpp_facts_set(&i->facts, "compute_capability", cc);
  i->clock_mhz_max = drv->DeviceGetAttribute(&v, TPP_CU_ATTR_CLOCK_RATE, cu) == 0 && v > 0
                         ? v / 1000.0
                         : NAN;
  drv->DeviceTotalMem(&mem, cu);
  i->global_mem_bytes = mem;
  i->max_alloc_bytes = mem;
  drv->DeviceGetAttribute(&bus, TPP_CU_ATTR_PCI_BUS_ID, cu);
  drv->DeviceGetAttribute(&dev, TPP_CU_ATTR_PCI_DEVICE_ID, cu);
  drv->DeviceGetAttribute(&dom, TPP_CU_ATTR_PCI_DOMAIN_ID, cu);
  snprintf(i->pci_bus_id, sizeof(i->pci_bus_id), "%04x:%02x:%02x.0", dom, bus, dev);
  if (drv->DeviceGetUuid(&uuid, cu) == TPP_CU_SUCCESS)
    format_uuid(&uuid, i->uuid, sizeof(i->uuid));
  i->simulated = drv->simulated;
  i->power_limit_w = NAN;
  if (nvml) {
    nvmlDevice_t h;
    unsigned mw = 0, mhz = 0;
    if (nvml->DeviceGetHandleByPciBusId(i->pci_bus_id, &h) == 0) {
      if (nvml->DeviceGetEnforcedPowerLimit(h, &mw) == 0)
        i->power_limit_w = mw / 1000.0;
      if (nvml->DeviceGetMaxClockInfo(h, TPP_NVML_CLOCK_SM, &mhz) == 0 && mhz > 0)
        i->clock_mhz_max = mhz;
    }
  }
}

static int
cuda_list(struct tpp_device_info **out, size_t *n_out, char *why, size_t whylen)
{
  const struct tpp_cuda_driver *drv;
  struct tpp_device_info *devs;
  int n = 0;

  *out = NULL;
  *n_out = 0;
  if (tpp_cuda_driver_load(&drv, why, whylen) != 0 || drv->DeviceGetCount(&n) != 0 || n <= 0)
    return 0;
  if (n > MAX_DEVICES)
    n = MAX_DEVICES;
  devs = calloc((size_t)n, sizeof(*devs));
  if (!devs)
    return TPP_ENOMEM;
  for (int i = 0; i < n; i++) {
    CUdevice cu;
    if (drv->DeviceGet(&cu, i) == TPP_CU_SUCCESS)
      fill_info(drv, cu, i, &devs[(*n_out)++]);
  }
  *out = devs;
  return 0;
}

static int
cuda_open(struct tpp_device *core, struct tpp_diag *diag)
{
  const struct tpp_device_info *info = &core->info;
  const char *cc = tpp_facts_get(&info->facts, "compute_capability");
  struct cuda_dev *dev;
  char why[256];
  int major = 0, minor = 0;
  CUresult r;

  dev = calloc(1, sizeof(*dev));
  if (!dev)
    return TPP_ENOMEM;
  if (tpp_cuda_driver_load(&dev->drv, why, sizeof(why)) != 0)
    goto fail_driver;
  dev->info = info;
  if ((r = dev->drv->DeviceGet(&dev->cu, info->device_index)) != TPP_CU_SUCCESS ||
      (r = dev->drv->DevicePrimaryCtxRetain(&dev->ctx, dev->cu)) != TPP_CU_SUCCESS) {
    check(dev, r, "opening the device", why, sizeof(why));
    goto fail_driver;
  }
  if ((r = dev->drv->CtxSetCurrent(dev->ctx)) != TPP_CU_SUCCESS) {
    check(dev, r, "cuCtxSetCurrent", why, sizeof(why));
    goto fail_ctx;
  }
  if (cc)
    sscanf(cc, "%d.%d", &major, &minor);
  dev->cc = major * 10 + minor;
  dev->sms = info->compute_units;
  snprintf(core->arch, sizeof(core->arch), "sm_%d", dev->cc);
  pthread_mutex_init(&dev->sampler.lock, NULL);
  dev->nvml = tpp_nvml_load();
  if (dev->nvml && dev->nvml->DeviceGetHandleByPciBusId(info->pci_bus_id, &dev->nvdev) != 0)
    dev->nvml = NULL;
  core->priv = dev;
  return 0;

fail_ctx:
  dev->drv->DevicePrimaryCtxRelease(dev->cu);
fail_driver:
  free(dev);
  return tpp_diag_set(diag, TPP_ENODEV, NULL, 0, NULL, "cannot open %s: %s", info->selector, why);
}

static void
cuda_close(struct tpp_device *d)
{
  struct cuda_dev *dev = as_cuda(d);
  if (!dev)
    return;
  for (int m = 0; m < TPP_CUDA_MOD_COUNT; m++)
    if (dev->modules[m])
      dev->drv->ModuleUnload(dev->modules[m]);
  if (!dev->lost[0])
    dev->drv->DevicePrimaryCtxRelease(dev->cu);
  pthread_mutex_destroy(&dev->sampler.lock);
  free(dev);
}

/* Reset the primary context after a sticky error: every allocation, event and module of
 * the old context is gone (the generation tells the workloads), the modules reload on
 * next use.  When the reset itself fails the device is lost. */
static void
device_reset(struct cuda_dev *dev, const char *cause)
{
  const struct tpp_cuda_driver *drv = dev->drv;
  char why[224];
  CUcontext ctx = NULL;
  CUresult r;
  if (dev->lost[0])
    return;
  dev->generation++;
  dev->resets++;
  memset(dev->modules, 0, sizeof(dev->modules));
  memset(dev->module_err, 0, sizeof(dev->module_err));
  if ((r = drv->DevicePrimaryCtxReset(dev->cu)) != TPP_CU_SUCCESS ||
      (r = drv->DevicePrimaryCtxRetain(&ctx, dev->cu)) != TPP_CU_SUCCESS) {
    tpp_cuda_describe(r, "resetting the device", why, sizeof(why));
    snprintf(dev->lost, sizeof(dev->lost), "%s, after %.96s", why, cause);
    return;
  }
  drv->DevicePrimaryCtxRelease(dev->cu); /* the reset kept our retain: one is enough */
  dev->ctx = ctx;
  if ((r = drv->CtxSetCurrent(ctx)) != TPP_CU_SUCCESS) {
    tpp_cuda_describe(r, "cuCtxSetCurrent after the reset", why, sizeof(why));
    snprintf(dev->lost, sizeof(dev->lost), "%s", why);
  }
}

static unsigned
cuda_reset_count(struct tpp_device *d)
{
  return as_cuda(d)->resets;
}

/* Which embedded image the driver can load: CUDA 13 code needs a driver of CUDA 13.0 or
 * later (R580+); older drivers (R525-R575, CUDA 12.x) get the CUDA 12 build when this
 * binary has one (NVIDIA CUDA Compatibility guide, minor version compatibility table). */
static enum tpp_cuda_image
pick_image(const struct cuda_dev *dev, int version, enum tpp_cuda_module m)
{
  (void)dev;
  if (version >= 13000 || !tpp_cuda_fatbins[TPP_CUDA_IMAGE_12][m])
    return TPP_CUDA_IMAGE_13;
  return TPP_CUDA_IMAGE_12;
}

/* The module holding a kernel, loaded on first use.  The driver picks the SASS for this
 * device from the fatbin, or JIT-compiles the PTX for a newer one.  A failure keeps the
 * driver's error, its version and which toolkit built the image. */
static int
get_module(struct cuda_dev *dev, enum tpp_cuda_module m, CUmodule *mod, char *why, size_t whylen)
{
  if (dev->lost[0]) {
    snprintf(why, whylen, "not run: the device was lost (%s)", dev->lost);
    return TPP_EBACKEND;
  }
  if (!dev->modules[m] && !dev->module_err[m][0]) {
    int version = 0;
    enum tpp_cuda_image img;
    char call[96], drvdesc[96];
    CUresult r;
    dev->drv->DriverGetVersion(&version);
    img = pick_image(dev, version, m);
    if (!tpp_cuda_fatbins[img][m]) {
      snprintf(why, whylen, "kernel module %d not built", (int)m);
      return TPP_EUNSUP;
    }
    tpp_cuda_driver_describe(drvdesc, sizeof(drvdesc));
    if (img == TPP_CUDA_IMAGE_13 && version < 13000) {
      snprintf(dev->module_err[m], sizeof(dev->module_err[m]),
               "this build holds only kernels built by CUDA %s, which need a driver of CUDA 13.0 "
               "or later (R580+); the driver is %s",
               tpp_cuda_image_toolkit[img], drvdesc);
    } else if ((r = dev->drv->ModuleLoadData(&dev->modules[m], tpp_cuda_fatbins[img][m])) !=
               TPP_CU_SUCCESS) {
      snprintf(call, sizeof(call), "cuModuleLoadData (sm_%d, image built by CUDA %s)", dev->cc,
               tpp_cuda_image_toolkit[img]);
      tpp_cuda_describe(r, call, why, whylen);
      snprintf(dev->module_err[m], sizeof(dev->module_err[m]), "%.160s; driver %s", why, drvdesc);
      dev->modules[m] = NULL;
      if (r == TPP_CU_ERROR_NO_BINARY_FOR_GPU) {
        snprintf(why, whylen, "%s", dev->module_err[m]);
        return TPP_EUNSUP;
      }
      if (tpp_cuda_error_is_sticky(r))
        device_reset(dev, why);
    }
  }
  if (dev->module_err[m][0]) {
    snprintf(why, whylen, "%s", dev->module_err[m]);
    return TPP_EBACKEND;
  }
  *mod = dev->modules[m];
  return 0;
}

/* Blocks of `threads` one SM holds at once for fn, from the driver. */
static int
occupancy(struct cuda_dev *dev, CUfunction fn, unsigned threads, unsigned shared, unsigned *blocks,
          char *why, size_t whylen)
{
  int n = 0;
  int rc = check(dev,
                 dev->drv->OccupancyMaxActiveBlocksPerMultiprocessor(&n, fn, (int)threads, shared),
                 "cuOccupancyMaxActiveBlocksPerMultiprocessor", why, whylen);
  if (rc)
    return rc;
  if (n < 1) {
    snprintf(why, whylen,
             "cuOccupancyMaxActiveBlocksPerMultiprocessor: no block of %u threads fits "
             "an SM",
             threads);
    return TPP_EBACKEND;
  }
  *blocks = (unsigned)n;
  return 0;
}

/* --- peak kernels ------------------------------------------------------------------- */

static int
runs_on(const struct tpp_cuda_kernel *k, int cc)
{
  return cc >= k->min_cc && (k->max_cc == 0 || cc <= k->max_cc);
}

/* Variant `index` of (p, path) that runs on this device, or NULL; *any_exists says whether
 * some kernel for (p, path) exists for other devices. */
static const struct tpp_cuda_kernel *
find_kernel(const struct cuda_dev *dev, enum tpp_precision p, enum tpp_path path, int index,
            int *any_exists)
{
  const struct tpp_cuda_kernel *const *ks = tpp_cuda_kernels();
  int seen = 0;
  *any_exists = 0;
  for (size_t i = 0; ks[i]; i++) {
    if (ks[i]->precision != p || ks[i]->path != path)
      continue;
    *any_exists = 1;
    if (runs_on(ks[i], dev->cc) && seen++ == index)
      return ks[i];
  }
  return NULL;
}

/* Known to stay below the device's peak path: mma.sync on Hopper, where wgmma is the peak
 * path, and every tensor kernel on datacenter Blackwell (sm_100, sm_103, sm_110), whose
 * peak path is tcgen05, which tppbench does not have yet.  FP64 has no faster path. */
static int
is_lower_bound(const struct cuda_dev *dev, const struct tpp_cuda_kernel *k)
{
  if (k->path != TPP_PATH_TENSOR || k->precision == TPP_FP64 || k->precision == TPP_INT4)
    return 0;
  return (dev->cc >= 100 && dev->cc < 120) || (dev->cc == 90 && k->module == TPP_CUDA_MOD_MMA);
}

struct cu_peak {
  struct cuda_dev *dev;
  const struct tpp_cuda_kernel *k;
  CUfunction fn;
  CUdeviceptr in, out;
  void *host_in, *host_out;
  size_t max_units;
  unsigned blocks_per_sm; /* the driver's occupancy for this kernel */
  unsigned iters;
  unsigned generation; /* of the context its buffers live in */
  CUevent e0, e1;
  char name[64];
};

static size_t
blocks_of(const struct cu_peak *pk, size_t units)
{
  return units * pk->blocks_per_sm * (size_t)pk->dev->sms;
}

static void
sample_now(struct sampler *s)
{
  unsigned mhz = 0, mw = 0, temp = 0;
  unsigned long long reasons = 0;
  if (!s->nvml || s->nvml->DeviceGetClockInfo(s->nvdev, TPP_NVML_CLOCK_SM, &mhz) != 0 || mhz == 0)
    return;
  pthread_mutex_lock(&s->lock);
  s->clock_sum += mhz;
  s->clock_min = s->n == 0 || mhz < s->clock_min ? mhz : s->clock_min;
  s->clock_max = mhz > s->clock_max ? mhz : s->clock_max;
  if (s->nvml->DeviceGetPowerUsage(s->nvdev, &mw) == 0) {
    s->power_sum += mw / 1000.0;
    s->power_max = fmax(s->power_max, mw / 1000.0);
  }
  if (s->nvml->DeviceGetTemperature(s->nvdev, TPP_NVML_TEMPERATURE_GPU, &temp) == 0)
    s->temp_max = fmax(s->temp_max, temp);
  if (s->nvml->DeviceGetClockEventReasons(s->nvdev, &reasons) == 0)
    s->reasons |= reasons & ~1ull; /* "GPU idle" is not a throttle */
  s->n++;
  pthread_mutex_unlock(&s->lock);
}

/* One launch of `blocks` blocks between two events: the device's own time.  A timed launch
 * is sampled while in flight: once right after it is queued, then by the sampler thread. */
static int
launch_timed(struct cuda_dev *dev, CUfunction fn, size_t blocks, unsigned threads, unsigned shared,
             void **params, CUevent e0, CUevent e1, int timed, double *seconds, char *why,
             size_t whylen)
{
  const struct tpp_cuda_driver *drv = dev->drv;
  struct sampler *s = &dev->sampler;
  float ms = 0;
  int rc;
  if ((rc = check(dev, drv->EventRecord(e0, NULL), "cuEventRecord", why, whylen)))
    return rc;
  if ((rc = check(
           dev,
           drv->LaunchKernel(fn, (unsigned)blocks, 1, 1, threads, 1, 1, shared, NULL, params, NULL),
           "cuLaunchKernel", why, whylen)))
    return rc;
  if (timed) {
    atomic_store(&s->in_flight, 1);
    sample_now(s);
  }
  rc = check(dev, drv->EventRecord(e1, NULL), "cuEventRecord", why, whylen);
  if (!rc)
    rc = check(dev, drv->EventSynchronize(e1), "cuEventSynchronize", why, whylen);
  atomic_store(&s->in_flight, 0);
  if (!rc)
    rc = check(dev, drv->EventElapsedTime(&ms, e0, e1), "cuEventElapsedTime", why, whylen);
  if (!rc)
    *seconds = ms * 1e-3;
  return rc;
}

/* The workload's buffers are gone when the context was reset since it was prepared. */
static int
stale(const struct cuda_dev *dev, unsigned generation, char *why, size_t whylen)
{
  if (generation == dev->generation)
    return 0;
  snprintf(why, whylen,
           "the device was reset after a sticky error; this workload's buffers are gone");
  return TPP_EBACKEND;
}

static int
peak_run(void *impl, size_t units, int timed, double *seconds, char *why, size_t whylen)
{
  struct cu_peak *pk = impl;
  void *params[] = {&pk->out, &pk->in, &pk->iters};
  int rc;
  if ((rc = stale(pk->dev, pk->generation, why, whylen)))
    return rc;
  /* Clear the output first (not timed): a launch that did nothing must not leave the
   * previous launch's right answer behind for the check. */
  if ((rc = check(
           pk->dev,
           pk->dev->drv->MemsetD8(pk->out, 0, blocks_of(pk, units) * pk->k->out_bytes_per_block),
           "cuMemsetD8", why, whylen)))
    return rc;
  return launch_timed(pk->dev, pk->fn, blocks_of(pk, units), pk->k->threads_per_block,
                      pk->k->shared_bytes, params, pk->e0, pk->e1, timed, seconds, why, whylen);
}

/* Reads back what the check looks at (the sampled threads, or every block) and checks it. */
static int
peak_verify(void *impl, size_t units, char *why, size_t whylen)
{
  struct cu_peak *pk = impl;
  const struct tpp_cuda_kernel *k = pk->k;
  size_t blocks = blocks_of(pk, units);
  int rc;
  if ((rc = stale(pk->dev, pk->generation, why, whylen)))
    return rc;
  if (k->verify_samples) {
    size_t threads = blocks * k->threads_per_block,
           elem = k->out_bytes_per_block / k->threads_per_block;
    for (unsigned s = 0; s < k->verify_samples; s++) {
      size_t g = tpp_cuda_sample_thread(threads, s, k->verify_samples);
      if ((rc = check(
               pk->dev,
               pk->dev->drv->MemcpyDtoH((char *)pk->host_out + g * elem, pk->out + g * elem, elem),
               "cuMemcpyDtoH (reading the result back)", why, whylen)))
        return rc;
    }
  } else if ((rc = check(
                  pk->dev,
                  pk->dev->drv->MemcpyDtoH(pk->host_out, pk->out, blocks * k->out_bytes_per_block),
                  "cuMemcpyDtoH (reading the result back)", why, whylen))) {
    return rc;
  }
  return k->verify(pk->host_in, pk->host_out, blocks, pk->iters, why, whylen) == 0 ? 0
                                                                                   : TPP_EVERIFY;
}

static void
peak_release(void *impl)
{
  struct cu_peak *pk = impl;
  if (!pk)
    return;
  const struct tpp_cuda_driver *drv = pk->dev->drv;
  if (pk->generation == pk->dev->generation && !pk->dev->lost[0]) {
    if (pk->in)
      drv->MemFree(pk->in);
    if (pk->out)
      drv->MemFree(pk->out);
    if (pk->e0)
      drv->EventDestroy(pk->e0);
    if (pk->e1)
      drv->EventDestroy(pk->e1);
  }
  free(pk->host_in);
  free(pk->host_out);
  free(pk);
}

static int
cuda_prepare_peak(struct tpp_device *d, enum tpp_precision p, enum tpp_path path, int index,
                  struct tpp_workload *w, char *why, size_t whylen)
{
  struct cuda_dev *dev = as_cuda(d);
  const struct tpp_cuda_driver *drv = dev->drv;
  const struct tpp_cuda_kernel *k;
  struct cu_peak *pk;
  CUmodule mod;
  int any, rc;

  k = find_kernel(dev, p, path, index, &any);
  if (!k) {
    if (index > 0)
      return TPP_ENOENT;
    if (p == TPP_FP64 && path == TPP_PATH_TENSOR && any)
      snprintf(why, whylen,
               "sm_%d has no FP64 tensor cores (its DMMA exists for program "
               "correctness, at a fraction of the DFMA rate)",
               dev->cc);
    else if (any)
      snprintf(why, whylen, "sm_%d has no %s instructions on the %s path", dev->cc,
               tpp_precision_name(p), tpp_path_name(path));
    else
      snprintf(why, whylen, "no %s kernel for the %s path", tpp_precision_name(p),
               tpp_path_name(path));
    return TPP_EUNSUP;
  }
  if ((rc = get_module(dev, k->module, &mod, why, whylen)))
    return rc;
  pk = calloc(1, sizeof(*pk));
  if (!pk)
    return TPP_ENOMEM;
  pk->dev = dev;
  pk->k = k;
  pk->iters = k->iters;
  pk->generation = dev->generation;
  snprintf(pk->name, sizeof(pk->name), "%s", k->variant);
  rc = TPP_EBACKEND;
  if (check(dev, drv->ModuleGetFunction(&pk->fn, mod, k->symbol), k->symbol, why, whylen))
    goto fail;
  if (k->shared_bytes > 48 * 1024 &&
      check(
          dev,
          drv->FuncSetAttribute(pk->fn, TPP_CU_FUNC_ATTR_MAX_DYNAMIC_SHARED, (int)k->shared_bytes),
          "cuFuncSetAttribute (dynamic shared memory)", why, whylen))
    goto fail;
  /* Every SM full: as many blocks as the driver says fit (registers, shared memory, threads),
   * not an assumption (154 registers let 3 wgmma blocks share an SM, not 2). */
  if ((rc = occupancy(dev, pk->fn, k->threads_per_block, k->shared_bytes, &pk->blocks_per_sm, why,
                      whylen)))
    goto fail;
  rc = TPP_EBACKEND;
  /* The grid may grow until its output reaches MAX_OUT_BYTES. */
  pk->max_units = MAX_OUT_BYTES / (k->out_bytes_per_block * pk->blocks_per_sm * (size_t)dev->sms);
  if (pk->max_units < 1)
    pk->max_units = 1;
  if (pk->max_units > 1024)
    pk->max_units = 1024;
  pk->host_out = calloc(1, blocks_of(pk, pk->max_units) * k->out_bytes_per_block);
  pk->host_in = malloc(k->in_bytes ? k->in_bytes : 1);
  if (!pk->host_out || !pk->host_in) {
    rc = TPP_ENOMEM;
    goto fail;
  }
  k->make_input(pk->host_in, k->in_bytes, 0x7470706265ull /* "tppbe" */);
  if (check(dev, drv->MemAlloc(&pk->out, blocks_of(pk, pk->max_units) * k->out_bytes_per_block),
            "cuMemAlloc (output buffer)", why, whylen) ||
      check(dev, drv->MemAlloc(&pk->in, k->in_bytes ? k->in_bytes : 16),
            "cuMemAlloc (input buffer)", why, whylen) ||
      (k->in_bytes && check(dev, drv->MemcpyHtoD(pk->in, pk->host_in, k->in_bytes),
                            "cuMemcpyHtoD (input)", why, whylen)) ||
      check(dev, drv->EventCreate(&pk->e0, 0), "cuEventCreate", why, whylen) ||
      check(dev, drv->EventCreate(&pk->e1, 0), "cuEventCreate", why, whylen))
    goto fail;

  memset(w, 0, sizeof(*w));
  w->impl = pk;
  w->kernel = pk->name;
  w->ops_per_unit = k->ops_per_block_per_iter * k->iters * pk->blocks_per_sm * (double)dev->sms;
  w->min_units = 1;
  w->max_units = pk->max_units;
  w->lower_bound = is_lower_bound(dev, k);
  w->run = peak_run;
  w->verify = peak_verify;
  w->release = peak_release;
  return 0;

fail:
  peak_release(pk);
  return rc;
}

/* --- bandwidth ---------------------------------------------------------------------- */

struct cu_bw {
  struct cuda_dev *dev;
  enum tpp_bw_kind kind;
  CUfunction fn;
  CUdeviceptr in, out;
  unsigned long long n; /* uint4 elements */
  size_t blocks;
  unsigned v;
  unsigned generation;
  CUevent e0, e1;
  char name[48];
};

static size_t
bw_threads(const struct cu_bw *bw)
{
  return bw->blocks * BW_THREADS_PER_BLOCK;
}

static int
bw_run(void *impl, size_t units, int timed, double *seconds, char *why, size_t whylen)
{
  struct cu_bw *bw = impl;
  const struct tpp_cuda_driver *drv = bw->dev->drv;
  int rc;
  (void)units; /* the whole buffer, always */
  if ((rc = stale(bw->dev, bw->generation, why, whylen)))
    return rc;
  if (bw->kind == TPP_BW_WRITE) {
    void *params[] = {&bw->out, &bw->n, &bw->v};
    bw->v += 0x9e3779b9u;
    return launch_timed(bw->dev, bw->fn, bw->blocks, BW_THREADS_PER_BLOCK, 0, params, bw->e0,
                        bw->e1, timed, seconds, why, whylen);
  }
  {
    void *params[] = {&bw->in, &bw->out, &bw->n};
    size_t out_bytes = bw->kind == TPP_BW_READ ? bw_threads(bw) * 16 : bw->n * 16;
    /* a launch that does nothing shows */
    if ((rc = check(bw->dev, drv->MemsetD8(bw->out, 0, out_bytes), "cuMemsetD8", why, whylen)))
      return rc;
    return launch_timed(bw->dev, bw->fn, bw->blocks, BW_THREADS_PER_BLOCK, 0, params, bw->e0,
                        bw->e1, timed, seconds, why, whylen);
  }
}

static int
bw_verify(void *impl, size_t units, char *why, size_t whylen)
{
  struct cu_bw *bw = impl;
  const struct tpp_cuda_driver *drv = bw->dev->drv;
  size_t threads = bw_threads(bw);
  /* bw->v is the pattern of the last write launch (bw_run steps it before launching), and
   * for read and copy the pattern the input was filled with. */
  unsigned v = bw->v;
  int rc;
  (void)units;
  if ((rc = stale(bw->dev, bw->generation, why, whylen)))
    return rc;
  for (size_t s = 0; s < VERIFY_SAMPLES; s++) {
    unsigned got[4], want = 0;
    size_t index;
    if (bw->kind == TPP_BW_READ) {
      size_t t = s * (threads - 1) / (VERIFY_SAMPLES - 1);
      for (unsigned long long i = t; i < bw->n; i += threads)
        want ^= (unsigned)i ^ v;
      index = t;
    } else {
      index = (size_t)((s * (bw->n - 1)) / (VERIFY_SAMPLES - 1));
      want = (unsigned)index ^ v;
    }
    if ((rc = check(bw->dev, drv->MemcpyDtoH(got, bw->out + index * 16, 16), "cuMemcpyDtoH", why,
                    whylen)))
      return rc;
    for (int l = 0; l < 4; l++)
      if (got[l] != want) {
        snprintf(why, whylen, "%s: element %zu lane %d is 0x%08x, host expects 0x%08x", bw->name,
                 index, l, got[l], want);
        return TPP_EVERIFY;
      }
  }
  return 0;
}

static void
bw_release(void *impl)
{
  struct cu_bw *bw = impl;
  if (!bw)
    return;
  const struct tpp_cuda_driver *drv = bw->dev->drv;
  if (bw->generation == bw->dev->generation && !bw->dev->lost[0]) {
    if (bw->in)
      drv->MemFree(bw->in);
    if (bw->out)
      drv->MemFree(bw->out);
    if (bw->e0)
      drv->EventDestroy(bw->e0);
    if (bw->e1)
      drv->EventDestroy(bw->e1);
  }
  free(bw);
}

static int
cuda_prepare_bandwidth(struct tpp_device *d, enum tpp_bw_kind kind, struct tpp_workload *w,
                       char *why, size_t whylen)
{
  static const char *const symbols[] = {[TPP_BW_READ] = "tpp_cuda_bw_read",
                                        [TPP_BW_WRITE] = "tpp_cuda_bw_write",
                                        [TPP_BW_COPY] = "tpp_cuda_bw_copy"};
  struct cuda_dev *dev = as_cuda(d);
  const struct tpp_cuda_driver *drv = dev->drv;
  struct cu_bw *bw;
  CUmodule mod;
  unsigned long long bytes;
  unsigned per_sm = 0;
  int rc;

  if ((unsigned)kind >= TPP_BW_KIND_COUNT)
    return TPP_EINVAL;
  if ((rc = get_module(dev, TPP_CUDA_MOD_BANDWIDTH, &mod, why, whylen)))
    return rc;
  bw = calloc(1, sizeof(*bw));
  if (!bw)
    return TPP_ENOMEM;
  bw->dev = dev;
  bw->generation = dev->generation;
  bw->kind = kind;
  bytes = dev->info->global_mem_bytes / 4;
  if (bytes > BW_MAX_BYTES)
    bytes = BW_MAX_BYTES;
  bw->n = bytes / 16;
  bw->v = 0x5bd1e995u;
  snprintf(bw->name, sizeof(bw->name), "%s.uint4x%llu", tpp_bw_kind_name(kind), bw->n);
  rc = TPP_EBACKEND;
  if (check(dev, drv->ModuleGetFunction(&bw->fn, mod, symbols[bw->kind]), symbols[bw->kind], why,
            whylen) ||
      occupancy(dev, bw->fn, BW_THREADS_PER_BLOCK, 0, &per_sm, why, whylen))
    goto fail;
  bw->blocks = (size_t)per_sm * (size_t)dev->sms; /* every SM full: loads in flight */
  if (check(dev,
            drv->MemAlloc(&bw->out, bw->kind == TPP_BW_READ ? bw_threads(bw) * 16 : bw->n * 16),
            "cuMemAlloc (output buffer)", why, whylen) ||
      (bw->kind != TPP_BW_WRITE &&
       check(dev, drv->MemAlloc(&bw->in, bw->n * 16), "cuMemAlloc (input buffer)", why, whylen)) ||
      check(dev, drv->EventCreate(&bw->e0, 0), "cuEventCreate", why, whylen) ||
      check(dev, drv->EventCreate(&bw->e1, 0), "cuEventCreate", why, whylen))
    goto fail;
  if (bw->in) {
    /* The input holds the write pattern for v: fill it with the write kernel itself. */
    CUfunction fill;
    double t;
    void *params[] = {&bw->in, &bw->n, &bw->v};
    if (check(dev, drv->ModuleGetFunction(&fill, mod, symbols[TPP_BW_WRITE]), "fill kernel", why,
              whylen) ||
        launch_timed(dev, fill, bw->blocks, BW_THREADS_PER_BLOCK, 0, params, bw->e0, bw->e1, 0, &t,
                     why, whylen) != 0)
      goto fail;
  }
  memset(w, 0, sizeof(*w));
  w->impl = bw;
  w->kernel = bw->name;
  w->ops_per_unit = (double)bw->n * 16 * (bw->kind == TPP_BW_COPY ? 2 : 1);
  w->min_units = w->max_units = 1;
  w->run = bw_run;
  w->verify = bw_verify;
  w->release = bw_release;
  return 0;

fail:
  bw_release(bw);
  return rc;
}

/* --- rates and telemetry ------------------------------------------------------------ */

static void *
sampler_thread(void *arg)
{
  struct sampler *s = arg;
  struct timespec period = {0, SAMPLE_PERIOD_NS};
  while (!atomic_load(&s->stop)) {
    if (atomic_load(&s->in_flight))
      sample_now(s);
    nanosleep(&period, NULL);
  }
  return NULL;
}

static void
cuda_telemetry_begin(struct tpp_device *d)
{
  struct cuda_dev *dev = as_cuda(d);
  struct sampler *s = &dev->sampler;
  s->running = 0;
  s->n = 0;
  s->clock_sum = s->clock_min = s->clock_max = s->power_sum = s->power_max = s->temp_max = 0;
  s->reasons = 0;
  s->nvml = dev->nvml;
  s->nvdev = dev->nvdev;
  atomic_store(&s->stop, 0);
  atomic_store(&s->in_flight, 0);
  if (!dev->nvml)
    return;
  s->running = pthread_create(&s->thread, NULL, sampler_thread, s) == 0;
}

static void
cuda_telemetry_end(struct tpp_device *d, struct tpp_telemetry *t)
{
  struct cuda_dev *dev = as_cuda(d);
  struct sampler *s = &dev->sampler;
  tpp_telemetry_clear(t);
  if (s->running) {
    atomic_store(&s->stop, 1);
    pthread_join(s->thread, NULL);
    s->running = 0;
  }
  if (s->n > 0) {
    t->samples = s->n;
    t->clock_mhz = s->clock_sum / s->n;
    t->clock_mhz_min = s->clock_min;
    t->clock_mhz_max = s->clock_max;
    t->power_w = s->power_sum / s->n;
    t->power_w_max = s->power_max;
    t->temperature_c_max = s->temp_max;
    add_clock_events(t, s->reasons);
    t->clock_source = "nvml";
    return;
  }
  /* No NVML: the stated maximum, so the per-clock peak is as high as it can be. */
  t->clock_mhz = t->clock_mhz_min = t->clock_mhz_max = dev->info->clock_mhz_max;
  t->clock_source = "device-max";
}

const struct tpp_backend tpp_backend_cuda = {
    .name = "cuda",
    .has_tensor_path = 1,
    .rate_archs = rate_archs,
    .probe = cuda_probe,
    .list = cuda_list,
    .open = cuda_open,
    .close = cuda_close,
    .prepare_peak = cuda_prepare_peak,
    .prepare_bandwidth = cuda_prepare_bandwidth,
    .telemetry_begin = cuda_telemetry_begin,
    .telemetry_end = cuda_telemetry_end,
    .reset_count = cuda_reset_count,
};
