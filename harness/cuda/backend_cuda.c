/* backend_cuda.c - the CUDA backend: devices and identity through the driver API (loaded at
 * run time), kernels from the fatbins embedded at build time (cuda_kernels.h), timing with
 * CUDA events, telemetry sampled from NVML by a thread while each row runs, per-clock
 * rates from profiles/cuda-rates.json.
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
#include "tpp/jsonread.h"
#include "tpp/paths.h"

#define MAX_DEVICES 64
#define MAX_OUT_BYTES (256u << 20)
#define BW_MAX_BYTES (4ull << 30)
#define BW_THREADS_PER_BLOCK 256
#define BW_BLOCKS_PER_SM 8
#define VERIFY_SAMPLES 64
#define SAMPLE_PERIOD_NS 5000000L /* NVML every 5 ms */

struct sampler {
  pthread_t thread;
  int running;
  atomic_int stop;
  nvmlDevice_t nvdev;
  const struct tpp_nvml *nvml;
  /* written by the thread, read after join */
  int n;
  double clock_sum, clock_min, clock_max, power_sum, power_max, temp_max;
  unsigned long long reasons;
};

/* The backend's device.  Handed out as `struct tpp_device *` (an opaque type to the
 * harness) and cast back here. */
struct cuda_dev {
  struct tpp_device_info info;
  const struct tpp_cuda_driver *drv;
  CUdevice cu;
  CUcontext ctx;
  int cc;             /* 90 for 9.0 */
  int sms;
  CUmodule modules[TPP_CUDA_MOD_COUNT];
  CUresult module_err[TPP_CUDA_MOD_COUNT]; /* 0: not tried or loaded */
  json_t *rates;      /* profiles/cuda-rates.json "rates", or NULL */
  nvmlDevice_t nvdev;
  const struct tpp_nvml *nvml;
  struct sampler sampler;
};

static struct cuda_dev *
as_cuda(struct tpp_device *d)
{
  return (struct cuda_dev *)(void *)d;
}

static int
check(const struct cuda_dev *dev, CUresult r, const char *what, char *why, size_t whylen)
{
  char name[64];
  if (r == TPP_CU_SUCCESS)
    return 0;
  (void)dev;
  snprintf(why, whylen, "%s: %s", what, tpp_cuda_strerror(r, name, sizeof(name)));
  return TPP_EBACKEND;
}

/* --- discovery ---------------------------------------------------------------------- */

static int
fatbins_built(void)
{
  for (int m = 0; m < TPP_CUDA_MOD_COUNT; m++)
    if (tpp_cuda_fatbins[m] && tpp_cuda_fatbin_sizes[m])
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
  snprintf(buf, len,
           "GPU-%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", b[0], b[1],
           b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15]);
}

static void
fill_info(const struct tpp_cuda_driver *drv, CUdevice cu, int index, struct tpp_device_info *i)
{
  int v = 0, bus = 0, dev = 0, dom = 0, version = 0;
  size_t mem = 0;
  CUuuid uuid;
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
  drv->DeviceGetAttribute(&i->cc_major, TPP_CU_ATTR_CC_MAJOR, cu);
  drv->DeviceGetAttribute(&i->cc_minor, TPP_CU_ATTR_CC_MINOR, cu);
  snprintf(i->device_version, sizeof(i->device_version), "sm_%d%d", i->cc_major, i->cc_minor);
  i->clock_mhz_max = drv->DeviceGetAttribute(&v, TPP_CU_ATTR_CLOCK_RATE, cu) == 0 && v > 0 ? v / 1000.0 : NAN;
  drv->DeviceTotalMem(&mem, cu);
  i->global_mem_bytes = mem;
  i->max_alloc_bytes = mem;
  drv->DeviceGetAttribute(&bus, TPP_CU_ATTR_PCI_BUS_ID, cu);
  drv->DeviceGetAttribute(&dev, TPP_CU_ATTR_PCI_DEVICE_ID, cu);
  drv->DeviceGetAttribute(&dom, TPP_CU_ATTR_PCI_DOMAIN_ID, cu);
  snprintf(i->pci_bus_id, sizeof(i->pci_bus_id), "%04x:%02x:%02x.0", dom, bus, dev);
  if (drv->DeviceGetUuid(&uuid, cu) == TPP_CU_SUCCESS)
    format_uuid(&uuid, i->uuid, sizeof(i->uuid));
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

/* The "rates" array of the first cuda-rates.json found (new reference), or NULL. */
static json_t *
load_rates(void)
{
  const char *const *dirs = tpp_profile_dirs();
  struct tpp_diag diag;
  for (int d = 0; dirs[d]; d++) {
    char path[1200];
    json_t *root, *rates;
    char *text;
    snprintf(path, sizeof(path), "%s/cuda-rates.json", dirs[d]);
    if (tpp_jload_file(path, &root, &text, &diag) != 0)
      continue;
    free(text);
    rates = json_incref(json_object_get(root, "rates"));
    json_decref(root);
    return json_is_array(rates) ? rates : (json_decref(rates), NULL);
  }
  return NULL;
}

static int
cuda_open(const struct tpp_device_info *info, struct tpp_device **out, struct tpp_diag *diag)
{
  struct cuda_dev *dev;
  char why[256];
  CUresult r;

  dev = calloc(1, sizeof(*dev));
  if (!dev)
    return TPP_ENOMEM;
  if (tpp_cuda_driver_load(&dev->drv, why, sizeof(why)) != 0)
    goto fail_driver;
  dev->info = *info;
  if ((r = dev->drv->DeviceGet(&dev->cu, info->device_index)) != TPP_CU_SUCCESS ||
      (r = dev->drv->DevicePrimaryCtxRetain(&dev->ctx, dev->cu)) != TPP_CU_SUCCESS) {
    check(dev, r, "opening the device", why, sizeof(why));
    goto fail_driver;
  }
  if ((r = dev->drv->CtxSetCurrent(dev->ctx)) != TPP_CU_SUCCESS) {
    check(dev, r, "cuCtxSetCurrent", why, sizeof(why));
    goto fail_ctx;
  }
  dev->cc = info->cc_major * 10 + info->cc_minor;
  dev->sms = info->compute_units;
  dev->rates = load_rates();
  dev->nvml = tpp_nvml_load();
  if (dev->nvml && dev->nvml->DeviceGetHandleByPciBusId(info->pci_bus_id, &dev->nvdev) != 0)
    dev->nvml = NULL;
  *out = (struct tpp_device *)(void *)dev;
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
  json_decref(dev->rates);
  dev->drv->DevicePrimaryCtxRelease(dev->cu);
  free(dev);
}

/* The module holding a kernel, loaded on first use.  The driver picks the SASS for this
 * device from the fatbin, or JIT-compiles the PTX for a newer one. */
static int
get_module(struct cuda_dev *dev, enum tpp_cuda_module m, CUmodule *mod, char *why, size_t whylen)
{
  char name[64];
  if (!dev->modules[m] && !dev->module_err[m]) {
    if (!tpp_cuda_fatbins[m]) {
      snprintf(why, whylen, "kernel module %d not built", (int)m);
      return TPP_EUNSUP;
    }
    dev->module_err[m] = dev->drv->ModuleLoadData(&dev->modules[m], tpp_cuda_fatbins[m]);
  }
  if (dev->module_err[m]) {
    snprintf(why, whylen, "no code for sm_%d in this build: %s", dev->cc,
             tpp_cuda_strerror(dev->module_err[m], name, sizeof(name)));
    return dev->module_err[m] == TPP_CU_ERROR_NO_BINARY_FOR_GPU ? TPP_EUNSUP : TPP_EBACKEND;
  }
  *mod = dev->modules[m];
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

struct cu_peak {
  struct cuda_dev *dev;
  const struct tpp_cuda_kernel *k;
  CUfunction fn;
  CUdeviceptr in, out;
  void *host_in, *host_out;
  size_t max_units;
  unsigned iters;
  CUevent e0, e1;
  char name[64];
};

static size_t
blocks_of(const struct cu_peak *pk, size_t units)
{
  return units * pk->k->blocks_per_sm * (size_t)pk->dev->sms;
}

/* One launch of `blocks` blocks between two events: the device's own time. */
static int
launch_timed(struct cuda_dev *dev, CUfunction fn, size_t blocks, unsigned threads, unsigned shared,
             void **params, CUevent e0, CUevent e1, double *seconds)
{
  const struct tpp_cuda_driver *drv = dev->drv;
  float ms = 0;
  if (drv->EventRecord(e0, NULL) != 0 ||
      drv->LaunchKernel(fn, (unsigned)blocks, 1, 1, threads, 1, 1, shared, NULL, params, NULL) != 0 ||
      drv->EventRecord(e1, NULL) != 0 || drv->EventSynchronize(e1) != 0 ||
      drv->EventElapsedTime(&ms, e0, e1) != 0)
    return TPP_EBACKEND;
  *seconds = ms * 1e-3;
  return 0;
}

static int
peak_run(void *impl, size_t units, double *seconds)
{
  struct cu_peak *pk = impl;
  void *params[] = {&pk->out, &pk->in, &pk->iters};
  /* Clear the output first (not timed): a launch that did nothing must not leave the
   * previous launch's right answer behind for the check. */
  if (pk->dev->drv->MemsetD8(pk->out, 0, blocks_of(pk, units) * pk->k->out_bytes_per_block) != 0)
    return TPP_EBACKEND;
  return launch_timed(pk->dev, pk->fn, blocks_of(pk, units), pk->k->threads_per_block,
                      pk->k->shared_bytes, params, pk->e0, pk->e1, seconds);
}

static int
peak_verify(void *impl, size_t units, char *why, size_t whylen)
{
  struct cu_peak *pk = impl;
  size_t blocks = blocks_of(pk, units);
  if (check(pk->dev, pk->dev->drv->MemcpyDtoH(pk->host_out, pk->out, blocks * pk->k->out_bytes_per_block),
            "reading the result back", why, whylen))
    return TPP_EBACKEND;
  return pk->k->verify(pk->host_in, pk->host_out, blocks, pk->iters, why, whylen) == 0 ? 0 : TPP_EVERIFY;
}

static void
peak_release(void *impl)
{
  struct cu_peak *pk = impl;
  if (!pk)
    return;
  const struct tpp_cuda_driver *drv = pk->dev->drv;
  if (pk->in)
    drv->MemFree(pk->in);
  if (pk->out)
    drv->MemFree(pk->out);
  if (pk->e0)
    drv->EventDestroy(pk->e0);
  if (pk->e1)
    drv->EventDestroy(pk->e1);
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
    if (any)
      snprintf(why, whylen, "sm_%d has no %s instructions on the %s path", dev->cc,
               tpp_precision_name(p), tpp_path_name(path));
    else
      snprintf(why, whylen, "no %s kernel for the %s path", tpp_precision_name(p), tpp_path_name(path));
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
  snprintf(pk->name, sizeof(pk->name), "%s", k->variant);
  rc = TPP_EBACKEND;
  if (check(dev, drv->ModuleGetFunction(&pk->fn, mod, k->symbol), k->symbol, why, whylen))
    goto fail;
  if (k->shared_bytes > 48 * 1024 &&
      check(dev, drv->FuncSetAttribute(pk->fn, TPP_CU_FUNC_ATTR_MAX_DYNAMIC_SHARED, (int)k->shared_bytes),
            "dynamic shared memory", why, whylen))
    goto fail;
  /* The grid may grow until its output reaches MAX_OUT_BYTES. */
  pk->max_units = MAX_OUT_BYTES / (k->out_bytes_per_block * k->blocks_per_sm * (size_t)dev->sms);
  if (pk->max_units < 1)
    pk->max_units = 1;
  if (pk->max_units > 1024)
    pk->max_units = 1024;
  pk->host_out = malloc(blocks_of(pk, pk->max_units) * k->out_bytes_per_block);
  pk->host_in = malloc(k->in_bytes ? k->in_bytes : 1);
  if (!pk->host_out || !pk->host_in) {
    rc = TPP_ENOMEM;
    goto fail;
  }
  k->make_input(pk->host_in, k->in_bytes, 0x7470706265ull /* "tppbe" */);
  if (check(dev, drv->MemAlloc(&pk->out, blocks_of(pk, pk->max_units) * k->out_bytes_per_block),
            "output buffer", why, whylen) ||
      check(dev, drv->MemAlloc(&pk->in, k->in_bytes ? k->in_bytes : 16), "input buffer", why, whylen) ||
      (k->in_bytes && check(dev, drv->MemcpyHtoD(pk->in, pk->host_in, k->in_bytes), "input copy", why, whylen)) ||
      check(dev, drv->EventCreate(&pk->e0, 0), "event", why, whylen) ||
      check(dev, drv->EventCreate(&pk->e1, 0), "event", why, whylen))
    goto fail;

  memset(w, 0, sizeof(*w));
  w->impl = pk;
  w->kernel = pk->name;
  w->ops_per_unit = k->ops_per_block_per_iter * k->iters * k->blocks_per_sm * (double)dev->sms;
  w->min_units = 1;
  w->max_units = pk->max_units;
  w->run = peak_run;
  w->verify = peak_verify;
  w->release = peak_release;
  return 0;

fail:
  peak_release(pk);
  return rc;
}

/* --- bandwidth ---------------------------------------------------------------------- */

enum bw_kind { BW_READ, BW_WRITE, BW_COPY };

struct cu_bw {
  struct cuda_dev *dev;
  enum bw_kind kind;
  CUfunction fn;
  CUdeviceptr in, out;
  unsigned long long n; /* uint4 elements */
  size_t blocks;
  unsigned v;
  CUevent e0, e1;
  char name[48];
};

static size_t
bw_threads(const struct cu_bw *bw)
{
  return bw->blocks * BW_THREADS_PER_BLOCK;
}

static int
bw_run(void *impl, size_t units, double *seconds)
{
  struct cu_bw *bw = impl;
  const struct tpp_cuda_driver *drv = bw->dev->drv;
  (void)units; /* the whole buffer, always */
  if (bw->kind == BW_WRITE) {
    void *params[] = {&bw->out, &bw->n, &bw->v};
    bw->v += 0x9e3779b9u;
    return launch_timed(bw->dev, bw->fn, bw->blocks, BW_THREADS_PER_BLOCK, 0, params, bw->e0, bw->e1,
                        seconds);
  }
  {
    void *params[] = {&bw->in, &bw->out, &bw->n};
    size_t out_bytes = bw->kind == BW_READ ? bw_threads(bw) * 16 : bw->n * 16;
    if (drv->MemsetD8(bw->out, 0, out_bytes) != 0) /* a launch that does nothing shows */
      return TPP_EBACKEND;
    return launch_timed(bw->dev, bw->fn, bw->blocks, BW_THREADS_PER_BLOCK, 0, params, bw->e0, bw->e1,
                        seconds);
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
  (void)units;
  for (size_t s = 0; s < VERIFY_SAMPLES; s++) {
    unsigned got[4], want = 0;
    size_t index;
    if (bw->kind == BW_READ) {
      size_t t = s * (threads - 1) / (VERIFY_SAMPLES - 1);
      for (unsigned long long i = t; i < bw->n; i += threads)
        want ^= (unsigned)i ^ v;
      index = t;
    } else {
      index = (size_t)((s * (bw->n - 1)) / (VERIFY_SAMPLES - 1));
      want = (unsigned)index ^ v;
    }
    if (drv->MemcpyDtoH(got, bw->out + index * 16, 16) != 0) {
      snprintf(why, whylen, "reading element %zu back failed", index);
      return TPP_EBACKEND;
    }
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
  if (bw->in)
    drv->MemFree(bw->in);
  if (bw->out)
    drv->MemFree(bw->out);
  if (bw->e0)
    drv->EventDestroy(bw->e0);
  if (bw->e1)
    drv->EventDestroy(bw->e1);
  free(bw);
}

static int
cuda_prepare_bandwidth(struct tpp_device *d, const char *kind, struct tpp_workload *w, char *why,
                       size_t whylen)
{
  static const char *const symbols[] = {[BW_READ] = "tpp_cuda_bw_read", [BW_WRITE] = "tpp_cuda_bw_write",
                                        [BW_COPY] = "tpp_cuda_bw_copy"};
  struct cuda_dev *dev = as_cuda(d);
  const struct tpp_cuda_driver *drv = dev->drv;
  struct cu_bw *bw;
  CUmodule mod;
  unsigned long long bytes;
  int rc;

  if ((rc = get_module(dev, TPP_CUDA_MOD_BANDWIDTH, &mod, why, whylen)))
    return rc;
  bw = calloc(1, sizeof(*bw));
  if (!bw)
    return TPP_ENOMEM;
  bw->dev = dev;
  bw->kind = strcmp(kind, "read") == 0 ? BW_READ : strcmp(kind, "write") == 0 ? BW_WRITE : BW_COPY;
  bytes = dev->info.global_mem_bytes / 4;
  if (bytes > BW_MAX_BYTES)
    bytes = BW_MAX_BYTES;
  bw->n = bytes / 16;
  bw->blocks = (size_t)BW_BLOCKS_PER_SM * (size_t)dev->sms;
  bw->v = 0x5bd1e995u;
  snprintf(bw->name, sizeof(bw->name), "%s.uint4x%llu", kind, bw->n);
  rc = TPP_EBACKEND;
  if (check(dev, drv->ModuleGetFunction(&bw->fn, mod, symbols[bw->kind]), symbols[bw->kind], why, whylen) ||
      check(dev, drv->MemAlloc(&bw->out, bw->kind == BW_READ ? bw_threads(bw) * 16 : bw->n * 16),
            "output buffer", why, whylen) ||
      (bw->kind != BW_WRITE && check(dev, drv->MemAlloc(&bw->in, bw->n * 16), "input buffer", why, whylen)) ||
      check(dev, drv->EventCreate(&bw->e0, 0), "event", why, whylen) ||
      check(dev, drv->EventCreate(&bw->e1, 0), "event", why, whylen))
    goto fail;
  if (bw->in) {
    /* The input holds the write pattern for v: fill it with the write kernel itself. */
    CUfunction fill;
    double t;
    void *params[] = {&bw->in, &bw->n, &bw->v};
    if (check(dev, drv->ModuleGetFunction(&fill, mod, symbols[BW_WRITE]), "fill kernel", why, whylen) ||
        launch_timed(dev, fill, bw->blocks, BW_THREADS_PER_BLOCK, 0, params, bw->e0, bw->e1, &t) != 0)
      goto fail;
  }
  memset(w, 0, sizeof(*w));
  w->impl = bw;
  w->kernel = bw->name;
  w->ops_per_unit = (double)bw->n * 16 * (bw->kind == BW_COPY ? 2 : 1);
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

/* ops per clock per SM for the kernel on this cc from cuda-rates.json: an entry naming a
 * variant found in the kernel's variant wins over one without a variant. */
static double
rate_lookup(const struct cuda_dev *dev, const struct tpp_cuda_kernel *k)
{
  double generic = NAN;
  size_t i;
  json_t *e;
  if (!dev->rates)
    return NAN;
  json_array_foreach(dev->rates, i, e) {
    json_t *ccs = json_object_get(e, "cc"), *c;
    const char *prec = json_string_value(json_object_get(e, "precision"));
    const char *path = json_string_value(json_object_get(e, "path"));
    const char *variant = json_string_value(json_object_get(e, "variant"));
    double rate = json_number_value(json_object_get(e, "ops_per_clock_per_sm"));
    int cc_match = 0;
    size_t j;
    json_array_foreach(ccs, j, c) cc_match |= json_integer_value(c) == dev->cc;
    if (!cc_match || !prec || !path || strcmp(prec, tpp_precision_name(k->precision)) != 0 ||
        strcmp(path, tpp_path_name(k->path)) != 0 || !(rate > 0))
      continue;
    if (variant && strstr(k->variant, variant))
      return rate;
    if (!variant && isnan(generic))
      generic = rate;
  }
  return generic;
}

static double
cuda_ops_per_clock(struct tpp_device *d, enum tpp_precision p, enum tpp_path path, int variant)
{
  struct cuda_dev *dev = as_cuda(d);
  int any;
  const struct tpp_cuda_kernel *k = find_kernel(dev, p, path, variant, &any);
  return k ? rate_lookup(dev, k) * dev->sms : NAN;
}

static void *
sampler_thread(void *arg)
{
  struct sampler *s = arg;
  struct timespec period = {0, SAMPLE_PERIOD_NS};
  while (!atomic_load(&s->stop)) {
    unsigned mhz = 0, mw = 0, temp = 0;
    unsigned long long reasons = 0;
    if (s->nvml->DeviceGetClockInfo(s->nvdev, TPP_NVML_CLOCK_SM, &mhz) == 0 && mhz > 0) {
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
        s->reasons |= reasons & ~1ull; /* "GPU idle" between launches is not a throttle */
      s->n++;
    }
    nanosleep(&period, NULL);
  }
  return NULL;
}

static void
cuda_telemetry_begin(struct tpp_device *d)
{
  struct cuda_dev *dev = as_cuda(d);
  struct sampler *s = &dev->sampler;
  memset(s, 0, sizeof(*s));
  if (!dev->nvml)
    return;
  s->nvml = dev->nvml;
  s->nvdev = dev->nvdev;
  atomic_init(&s->stop, 0);
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
    t->clock_event_reasons = s->reasons;
    t->clock_source = "nvml";
    return;
  }
  t->clock_mhz = t->clock_mhz_min = t->clock_mhz_max = dev->info.clock_mhz_max;
  t->clock_source = "device-max";
}

const struct tpp_backend tpp_backend_cuda = {
    .name = "cuda",
    .has_tensor_path = 1,
    .probe = cuda_probe,
    .list = cuda_list,
    .open = cuda_open,
    .close = cuda_close,
    .prepare_peak = cuda_prepare_peak,
    .prepare_bandwidth = cuda_prepare_bandwidth,
    .ops_per_clock = cuda_ops_per_clock,
    .telemetry_begin = cuda_telemetry_begin,
    .telemetry_end = cuda_telemetry_end,
};
