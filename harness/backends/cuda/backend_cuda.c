/* backend_cuda.c - the CUDA backend: devices and identity through the driver API (loaded at
 * run time, cuda_driver.h), kernels from the fatbins embedded at build time (cuda_kernels.h),
 * telemetry from NVML.  Launching, timing, checking, resets and sampling are the GPU layer's
 * (gpu/gpu.h), which this file gives the driver's calls; per-clock rates come from
 * profiles/rates/cuda.json, keyed "sm_90" (the core reads them, rates.h).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cuda/cuda_driver.h"
#include "cuda/cuda_kernels.h"
#include "gpu/gpu.h"
#include "tpp/backend.h"

#define MAX_DEVICES 64

#ifndef TPP_CUDA_TOOLKIT13
#define TPP_CUDA_TOOLKIT13 ""
#define TPP_CUDA_TOOLKIT12 ""
#endif
/* The compilers that built the images (backend.cmake): nvcc "13.0" (row 0), NVRTC "12.9"
 * (rows 1..); "" when none. */
static const char toolkit13[] = TPP_CUDA_TOOLKIT13, nvrtc12[] = TPP_CUDA_TOOLKIT12;
/* The target of each CUDA 12 row (row 1 + i). */
static const int cuda12_sm[TPP_CUDA12_TARGETS] = {TPP_CUDA12_SM};

/* The backend's state of an open device (struct tpp_device's priv). */
struct cuda_dev {
  struct tpp_gpu gpu; /* first: the GPU layer hands it back to the calls below */
  CUdevice cu;
  CUcontext ctx;
  int cc; /* 90 for 9.0 */
  nvmlDevice_t nvdev;
};

/* The driver, loaded once per process (tpp_cuda_driver_load) before any device is open. */
static const struct tpp_cuda_driver *drv;

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
add_clock_events(unsigned long long reasons, struct tpp_telemetry *t)
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

/* --- the driver's calls, as the GPU layer takes them ------------------------------------- */

static int
api_alloc(tpp_gpu_ptr *p, size_t bytes)
{
  CUdeviceptr d = 0;
  CUresult r = drv->MemAlloc(&d, bytes);
  *p = d;
  return r;
}

static int
api_free(tpp_gpu_ptr p)
{
  return drv->MemFree(p);
}

static int
api_htod(tpp_gpu_ptr dst, const void *src, size_t n)
{
  return drv->MemcpyHtoD(dst, src, n);
}

static int
api_dtoh(void *dst, tpp_gpu_ptr src, size_t n)
{
  return drv->MemcpyDtoH(dst, src, n);
}

static int
api_memset(tpp_gpu_ptr dst, unsigned char v, size_t n)
{
  return drv->MemsetD8(dst, v, n);
}

static int
api_unload(void *mod)
{
  return drv->ModuleUnload(mod);
}

static int
api_function(void **fn, void *mod, const char *symbol)
{
  CUfunction f = NULL;
  CUresult r = drv->ModuleGetFunction(&f, mod, symbol);
  *fn = f;
  return r;
}

static int
api_event_create(void **e)
{
  CUevent ev = NULL;
  CUresult r = drv->EventCreate(&ev, 0);
  *e = ev;
  return r;
}

static int
api_event_destroy(void *e)
{
  return drv->EventDestroy(e);
}

static int
api_event_record(void *e)
{
  return drv->EventRecord(e, NULL);
}

static int
api_event_sync(void *e)
{
  return drv->EventSynchronize(e);
}

static int
api_event_ms(float *ms, void *a, void *b)
{
  return drv->EventElapsedTime(ms, a, b);
}

static int
api_launch(void *fn, unsigned blocks, unsigned threads, unsigned shared,
           const struct tpp_gpu_args *a)
{
  void *params[4];
  for (unsigned i = 0; i < a->n && i < 4; i++)
    params[i] = (void *)(uintptr_t)a->value[i];
  return drv->LaunchKernel(fn, blocks, 1, 1, threads, 1, 1, shared, NULL, params, NULL);
}

static int
api_occupancy(int *blocks, void *fn, unsigned threads, unsigned shared)
{
  return drv->OccupancyMaxActiveBlocksPerMultiprocessor(blocks, fn, (int)threads, shared);
}

static int
api_set_shared(void *fn, unsigned shared)
{
  return drv->FuncSetAttribute(fn, TPP_CU_FUNC_ATTR_MAX_DYNAMIC_SHARED, (int)shared);
}

static void
api_describe(int status, const char *call, char *buf, size_t len)
{
  tpp_cuda_describe(status, call, buf, len);
}

/* A sticky error poisons the primary context: reset it (every allocation, event and module
 * gone), retain it again and make it current. */
static int
api_reset(struct tpp_gpu *g, char *why, size_t whylen)
{
  struct cuda_dev *dev = (struct cuda_dev *)g;
  CUcontext ctx = NULL;
  CUresult r;
  if ((r = drv->DevicePrimaryCtxReset(dev->cu)) != TPP_CU_SUCCESS ||
      (r = drv->DevicePrimaryCtxRetain(&ctx, dev->cu)) != TPP_CU_SUCCESS) {
    tpp_cuda_describe(r, "resetting the device", why, whylen);
    return r;
  }
  drv->DevicePrimaryCtxRelease(dev->cu); /* the reset kept our retain: one is enough */
  dev->ctx = ctx;
  if ((r = drv->CtxSetCurrent(ctx)) != TPP_CU_SUCCESS)
    tpp_cuda_describe(r, "cuCtxSetCurrent after the reset", why, whylen);
  return r;
}

static const struct tpp_gpu_api api = {
    .unit = "SM",
    .call =
        {
               [TPP_GPU_MEM_ALLOC] = "cuMemAlloc",
               [TPP_GPU_MEM_FREE] = "cuMemFree",
               [TPP_GPU_COPY_HTOD] = "cuMemcpyHtoD",
               [TPP_GPU_COPY_DTOH] = "cuMemcpyDtoH",
               [TPP_GPU_MEMSET] = "cuMemsetD8",
               [TPP_GPU_EVENT_CREATE] = "cuEventCreate",
               [TPP_GPU_EVENT_RECORD] = "cuEventRecord",
               [TPP_GPU_EVENT_SYNC] = "cuEventSynchronize",
               [TPP_GPU_EVENT_ELAPSED] = "cuEventElapsedTime",
               [TPP_GPU_LAUNCH] = "cuLaunchKernel",
               [TPP_GPU_OCCUPANCY] = "cuOccupancyMaxActiveBlocksPerMultiprocessor",
               [TPP_GPU_SET_SHARED] = "cuFuncSetAttribute (dynamic shared memory)",
               },
    .mem_alloc = api_alloc,
    .mem_free = api_free,
    .copy_htod = api_htod,
    .copy_dtoh = api_dtoh,
    .memset8 = api_memset,
    .module_unload = api_unload,
    .function = api_function,
    .event_create = api_event_create,
    .event_destroy = api_event_destroy,
    .event_record = api_event_record,
    .event_sync = api_event_sync,
    .event_elapsed_ms = api_event_ms,
    .launch = api_launch,
    .occupancy = api_occupancy,
    .set_shared = api_set_shared,
    .is_sticky = tpp_cuda_error_is_sticky,
    .describe = api_describe,
    .reset = api_reset,
};

/* --- NVML -------------------------------------------------------------------------------- */

static int
nvml_read(void *d, struct tpp_gpu_reading *r)
{
  struct cuda_dev *dev = d;
  const struct tpp_nvml *nvml = tpp_nvml_load();
  unsigned mhz = 0, mw = 0, temp = 0;
  unsigned long long reasons = 0;
  if (!nvml || nvml->DeviceGetClockInfo(dev->nvdev, TPP_NVML_CLOCK_SM, &mhz) != 0 || mhz == 0)
    return -1;
  r->clock_mhz = mhz;
  if (nvml->DeviceGetPowerUsage(dev->nvdev, &mw) == 0)
    r->power_w = mw / 1000.0;
  if (nvml->DeviceGetTemperature(dev->nvdev, TPP_NVML_TEMPERATURE_GPU, &temp) == 0)
    r->temperature_c = temp;
  if (nvml->DeviceGetClockEventReasons(dev->nvdev, &reasons) == 0)
    r->events = reasons & ~1ull; /* "GPU idle" is not a throttle */
  return 0;
}

static const struct tpp_gpu_sampler_ops nvml_ops = {
    .source = "nvml",
    .read = nvml_read,
    .name_events = add_clock_events,
};

/* --- discovery ---------------------------------------------------------------------- */

static int
row_built(int row)
{
  for (int m = 0; m < TPP_CUDA_MOD_COUNT; m++)
    if (tpp_cuda_fatbins[row][m] && tpp_cuda_fatbin_sizes[row][m])
      return 1;
  return 0;
}

static int
cuda12_built(void)
{
  for (int i = 0; i < TPP_CUDA12_TARGETS; i++)
    if (row_built(1 + i))
      return 1;
  return 0;
}

static int
fatbins_built(void)
{
  return row_built(0) || cuda12_built();
}

static void
cuda_probe(struct tpp_backend_status *st)
{
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

/* Which embedded image the driver can load, for module m on compute capability cc (x10):
 * the row of tpp_cuda_fatbins, or -1 with the reason in why.  Code built by CUDA 13 needs a
 * driver of CUDA 13.0 or later (R580+); drivers of CUDA 12.x (R525-R575) load cubins built
 * by a CUDA 12 compiler (NVIDIA CUDA Compatibility guide: minor version compatibility within
 * a major release).  A cubin runs on its own major compute capability at the same or a
 * higher minor (sm_80 on 8.6, 8.7, 8.9), so the nearest target at or below cc is taken; the
 * wgmma module is sm_90a, for 9.0 only. */
static int
pick_image(int version, int cc, int m, char *why, size_t whylen)
{
  char drvdesc[96];
  int best = -1;

  if (version >= 13000 && tpp_cuda_fatbins[0][m])
    return 0;
  tpp_cuda_driver_describe(drvdesc, sizeof(drvdesc));
  if (version < 12000) {
    snprintf(why, whylen,
             "the driver is %s, older than any kernels of this build: %s%s%s%s%s%s need a "
             "driver of CUDA %s",
             drvdesc, nvrtc12[0] ? "the NVRTC " : "", nvrtc12, nvrtc12[0] ? " cubins" : "",
             nvrtc12[0] && toolkit13[0] ? " and " : "", toolkit13[0] ? "the CUDA " : "",
             toolkit13[0] ? toolkit13 : "",
             nvrtc12[0] ? "12.0 or later (R525+)" : "13.0 or later (R580+)");
    return -1;
  }
  if (!cuda12_built()) {
    snprintf(why, whylen,
             "this build holds only kernels built by CUDA %s, which need a driver of CUDA 13.0 "
             "or later (R580+); the driver is %s.  Update the driver, or rebuild tppbench with "
             "NVRTC 12 (scripts/install-deps.sh installs it; docs/cuda.md) for CUDA 12 drivers",
             toolkit13, drvdesc);
    return -1;
  }
  for (int i = 0; i < TPP_CUDA12_TARGETS; i++) {
    int sm = cuda12_sm[i];
    if (!tpp_cuda_fatbins[1 + i][m])
      continue;
    if (m == TPP_CUDA_MOD_WGMMA ? cc == sm : sm / 10 == cc / 10 && sm <= cc)
      if (best < 0 || sm > cuda12_sm[best])
        best = i;
  }
  if (best < 0) {
    snprintf(why, whylen,
             "no kernels for sm_%d among this build's NVRTC %s cubins for CUDA 12 drivers "
             "(module %d); the driver is %s",
             cc, nvrtc12, m, drvdesc);
    return -1;
  }
  return 1 + best;
}

/* What image `row` is, for the result and the messages: "nvcc 13.0 fatbin" or "nvrtc 12.9
 * sm_90a cubin". */
static void
describe_image(int row, int m, char *buf, size_t len)
{
  if (row == 0)
    snprintf(buf, len, "nvcc %s fatbin", toolkit13);
  else
    snprintf(buf, len, "nvrtc %s sm_%d%s cubin", nvrtc12, cuda12_sm[row - 1],
             m == TPP_CUDA_MOD_WGMMA ? "a" : "");
}

/* The device's kernel_image fact: the image its kernels come from under this driver. */
static void
set_image_fact(struct tpp_device_info *i, int version, int cc)
{
  char why[512], desc[64], wg[64], fact[600];
  int row = pick_image(version, cc, TPP_CUDA_MOD_SIMT, why, sizeof(why));
  int wrow = cc == 90 ? pick_image(version, cc, TPP_CUDA_MOD_WGMMA, wg, sizeof(wg)) : -1;

  if (row < 0) {
    snprintf(fact, sizeof(fact), "none: %s", why);
  } else {
    describe_image(row, TPP_CUDA_MOD_SIMT, desc, sizeof(desc));
    if (wrow > 0)
      describe_image(wrow, TPP_CUDA_MOD_WGMMA, wg, sizeof(wg));
    snprintf(fact, sizeof(fact), "%s%s%s", desc, wrow > 0 ? "; wgmma: " : "", wrow > 0 ? wg : "");
  }
  tpp_facts_set(&i->facts, "kernel_image", fact);
}

static void
fill_info(CUdevice cu, int index, struct tpp_device_info *i)
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
  set_image_fact(i, version, major * 10 + minor);
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
    tpp_gpu_format_uuid(uuid.bytes, i->uuid, sizeof(i->uuid));
  i->simulated = drv->simulated;
  i->has_board = 1;
  tpp_nvml_board(i->pci_bus_id, &i->board);
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
      fill_info(cu, i, &devs[(*n_out)++]);
  }
  *out = devs;
  return 0;
}

/* The GPU layer's module loader: the image the driver can load (pick_image); from a fatbin
 * the driver picks the SASS for this device or JIT-compiles the PTX for a newer one.  A
 * failure keeps the driver's error, its version and which image it was. */
static int
load_module(struct tpp_gpu *g, int m, void **mod, int *status, char *why, size_t whylen)
{
  struct cuda_dev *dev = (struct cuda_dev *)g;
  int version = 0, row;
  char call[128], drvdesc[96], err[200], desc[64];
  CUmodule cm = NULL;
  CUresult r;

  drv->DriverGetVersion(&version);
  if (!tpp_cuda_fatbins[0][m] && !cuda12_built()) {
    snprintf(why, whylen, "kernel module %d not built", m);
    return TPP_EUNSUP;
  }
  if ((row = pick_image(version, dev->cc, m, why, whylen)) < 0)
    return TPP_EBACKEND;
  describe_image(row, m, desc, sizeof(desc));
  tpp_cuda_driver_describe(drvdesc, sizeof(drvdesc));
  if ((r = drv->ModuleLoadData(&cm, tpp_cuda_fatbins[row][m])) != TPP_CU_SUCCESS) {
    snprintf(call, sizeof(call), "cuModuleLoadData (sm_%d, image %s)", dev->cc, desc);
    tpp_cuda_describe(r, call, err, sizeof(err));
    snprintf(why, whylen, "%s; driver %s", err, drvdesc);
    *status = r;
    return r == TPP_CU_ERROR_NO_BINARY_FOR_GPU ? TPP_EUNSUP : TPP_EBACKEND;
  }
  *mod = cm;
  g->module_image[m] = tpp_cuda_fatbins[row][m];
  g->module_image_len[m] = tpp_cuda_fatbin_sizes[row][m];
  return 0;
}

static int
cuda_open(struct tpp_device *core, struct tpp_diag *diag)
{
  const struct tpp_device_info *info = &core->info;
  const char *cc = tpp_facts_get(&info->facts, "compute_capability");
  const struct tpp_nvml *nvml;
  struct cuda_dev *dev;
  char why[256];
  int major = 0, minor = 0;
  CUresult r;

  dev = calloc(1, sizeof(*dev));
  if (!dev)
    return TPP_ENOMEM;
  /* The devices of a run open on threads of their own, at once: the driver was loaded (and
   * drv set) when they were listed, on the main thread; only a device never listed sets it. */
  if (!drv && tpp_cuda_driver_load(&drv, why, sizeof(why)) != 0)
    goto fail_driver;
  if ((r = drv->DeviceGet(&dev->cu, info->device_index)) != TPP_CU_SUCCESS ||
      (r = drv->DevicePrimaryCtxRetain(&dev->ctx, dev->cu)) != TPP_CU_SUCCESS) {
    tpp_cuda_describe(r, "opening the device", why, sizeof(why));
    goto fail_driver;
  }
  if ((r = drv->CtxSetCurrent(dev->ctx)) != TPP_CU_SUCCESS) {
    tpp_cuda_describe(r, "cuCtxSetCurrent", why, sizeof(why));
    goto fail_ctx;
  }
  if (cc)
    sscanf(cc, "%d.%d", &major, &minor);
  dev->cc = major * 10 + minor;
  snprintf(core->arch, sizeof(core->arch), "sm_%d", dev->cc);
  dev->gpu.api = &api;
  dev->gpu.info = info;
  dev->gpu.units = info->compute_units;
  dev->gpu.load_module = load_module;
  nvml = tpp_nvml_load();
  if (nvml && nvml->DeviceGetHandleByPciBusId(info->pci_bus_id, &dev->nvdev) != 0)
    nvml = NULL;
  tpp_gpu_init(&dev->gpu, nvml ? &nvml_ops : NULL, dev);
  core->priv = dev;
  return 0;

fail_ctx:
  drv->DevicePrimaryCtxRelease(dev->cu);
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
  tpp_gpu_fini(&dev->gpu);
  if (!dev->gpu.lost[0])
    drv->DevicePrimaryCtxRelease(dev->cu);
  free(dev);
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

static int
cuda_prepare_peak(struct tpp_device *d, enum tpp_precision p, enum tpp_path path, int index,
                  struct tpp_workload *w, char *why, size_t whylen)
{
  struct cuda_dev *dev = as_cuda(d);
  const struct tpp_cuda_kernel *k;
  struct tpp_gpu_kernel gk;
  int any;

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
  gk = (struct tpp_gpu_kernel){
      .symbol = k->symbol,
      .variant = k->variant,
      .module = k->module,
      .threads = k->threads_per_block,
      .blocks_per_unit = k->blocks_per_sm,
      .shared_bytes = k->shared_bytes,
      .iters = k->iters,
      .ops_per_block_per_iter = k->ops_per_block_per_iter,
      .in_bytes = k->in_bytes,
      .out_bytes_per_block = k->out_bytes_per_block,
      .verify_samples = k->verify_samples,
      .sample_bytes = k->verify_samples ? k->out_bytes_per_block / k->threads_per_block : 0,
      .make_input = k->make_input,
      .verify = k->verify,
      .lower_bound = is_lower_bound(dev, k),
  };
  return tpp_gpu_prepare_peak(&dev->gpu, &gk, w, why, whylen);
}

/* --- bandwidth -------------------------------------------------------------- */

static int
cuda_prepare_bandwidth(struct tpp_device *d, enum tpp_bw_kind kind, struct tpp_workload *w,
                       char *why, size_t whylen)
{
  static const struct tpp_gpu_bandwidth bw = {
      .module = TPP_CUDA_MOD_BANDWIDTH,
      .symbol = {[TPP_BW_READ] = "tpp_cuda_bw_read",
                 [TPP_BW_WRITE] = "tpp_cuda_bw_write",
                 [TPP_BW_COPY] = "tpp_cuda_bw_copy"},
  };
  return tpp_gpu_prepare_bandwidth(&as_cuda(d)->gpu, &bw, kind, w, why, whylen);
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
    .telemetry_begin = tpp_gpu_backend_telemetry_begin,
    .telemetry_end = tpp_gpu_backend_telemetry_end,
    .reset_count = tpp_gpu_backend_reset_count,
};
