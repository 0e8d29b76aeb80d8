/* backend_hip.c - the HIP backend (AMD Instinct and Radeon GPUs): devices and identity
 * through the HIP runtime (libamdhip64, loaded at run time, hip_runtime.h), the code objects
 * embedded at build time for the device's gfx architecture (hip_kernels.h), telemetry from
 * amd-smi or rocm-smi (hip_smi.h).  Launching, timing, checking, resets and sampling are the
 * GPU layer's (gpu/gpu.h), which this file gives the runtime's calls, as the CUDA backend
 * does; per-clock rates come from profiles/rates/hip.json, keyed by the gfx architecture
 * (the core reads them, rates.h).  docs/hip.md.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gpu/gpu.h"
#include "hip/hip_kernels.h"
#include "hip/hip_runtime.h"
#include "hip/hip_smi.h"
#include "tpp/backend.h"

#define MAX_DEVICES 64

/* The backend's state of an open device (struct tpp_device's priv). */
struct hip_dev {
  struct tpp_gpu gpu;     /* first: the GPU layer hands it back to the calls below */
  struct tpp_gpu_api api; /* this runtime's: occupancy only where it has it */
  int index;
  int has_arch; /* the device's gfx architecture has code objects in this build */
  enum tpp_hip_arch arch;
  char gfx[64]; /* processor of the gcnArchName: "gfx942", "gfx1030" */
  struct tpp_hip_smi_device smi;
};

/* The runtime, loaded once per process (tpp_hip_runtime_load) before any device is open. */
static const struct tpp_hip_runtime *rt;

static struct hip_dev *
as_hip(struct tpp_device *d)
{
  return d->priv;
}

/* Architectures profiles/rates/hip.json may name: those with code objects. */
static const char *const rate_archs[] = {"gfx90a", "gfx942", "gfx1100", "gfx1201", NULL};

/* --- the runtime's calls, as the GPU layer takes them ----------------------------------- */

static int
api_alloc(tpp_gpu_ptr *p, size_t bytes)
{
  void *d = NULL;
  hipError_t r = rt->Malloc(&d, bytes);
  *p = (tpp_gpu_ptr)(uintptr_t)d;
  return r;
}

static int
api_free(tpp_gpu_ptr p)
{
  return rt->Free((void *)(uintptr_t)p);
}

static int
api_htod(tpp_gpu_ptr dst, const void *src, size_t n)
{
  return rt->MemcpyHtoD((hipDeviceptr_t)(uintptr_t)dst, (void *)(uintptr_t)src, n);
}

static int
api_dtoh(void *dst, tpp_gpu_ptr src, size_t n)
{
  return rt->MemcpyDtoH(dst, (hipDeviceptr_t)(uintptr_t)src, n);
}

static int
api_memset(tpp_gpu_ptr dst, unsigned char v, size_t n)
{
  return rt->MemsetD8((hipDeviceptr_t)(uintptr_t)dst, v, n);
}

static int
api_unload(void *mod)
{
  return rt->ModuleUnload(mod);
}

static int
api_function(void **fn, void *mod, const char *symbol)
{
  hipFunction_t f = NULL;
  hipError_t r = rt->ModuleGetFunction(&f, mod, symbol);
  *fn = f;
  return r;
}

static int
api_event_create(void **e)
{
  hipEvent_t ev = NULL;
  hipError_t r = rt->EventCreate(&ev);
  *e = ev;
  return r;
}

static int
api_event_destroy(void *e)
{
  return rt->EventDestroy(e);
}

static int
api_event_record(void *e)
{
  return rt->EventRecord(e, NULL);
}

static int
api_event_sync(void *e)
{
  return rt->EventSynchronize(e);
}

static int
api_event_ms(float *ms, void *a, void *b)
{
  return rt->EventElapsedTime(ms, a, b);
}

/* Kernel arguments as one buffer (HIP_LAUNCH_PARAM_BUFFER_POINTER): the code objects have no
 * hidden arguments, so the buffer is exactly the explicit ones (docs/hip.md). */
static int
api_launch(void *fn, unsigned blocks, unsigned threads, unsigned shared,
           const struct tpp_gpu_args *a)
{
  unsigned char buf[64];
  size_t n = tpp_gpu_args_pack(a, buf, sizeof(buf));
  if (n == 0)
    return 1; /* hipErrorInvalidValue: cannot happen with the kernels' few arguments */
  return tpp_hip_launch(rt, fn, blocks, threads, shared, buf, n);
}

static int
api_occupancy(int *blocks, void *fn, unsigned threads, unsigned shared)
{
  return rt->ModuleOccupancyMaxActiveBlocksPerMultiprocessor(blocks, fn, (int)threads, shared);
}

static void
api_describe(int status, const char *call, char *buf, size_t len)
{
  tpp_hip_describe(status, call, buf, len);
}

/* After a sticky error: hipDeviceReset drops every allocation, event and module of the
 * device; it is made current again. */
static int
api_reset(struct tpp_gpu *g, char *why, size_t whylen)
{
  struct hip_dev *dev = (struct hip_dev *)g;
  hipError_t r;
  if ((r = rt->DeviceReset()) != TPP_HIP_SUCCESS) {
    tpp_hip_describe(r, "hipDeviceReset", why, whylen);
    return r;
  }
  if ((r = rt->SetDevice(dev->index)) != TPP_HIP_SUCCESS)
    tpp_hip_describe(r, "hipSetDevice after the reset", why, whylen);
  return r;
}

static const struct tpp_gpu_api api_template = {
    .unit = "CU",
    .call =
        {
               [TPP_GPU_MEM_ALLOC] = "hipMalloc",
               [TPP_GPU_MEM_FREE] = "hipFree",
               [TPP_GPU_COPY_HTOD] = "hipMemcpyHtoD",
               [TPP_GPU_COPY_DTOH] = "hipMemcpyDtoH",
               [TPP_GPU_MEMSET] = "hipMemsetD8",
               [TPP_GPU_EVENT_CREATE] = "hipEventCreate",
               [TPP_GPU_EVENT_RECORD] = "hipEventRecord",
               [TPP_GPU_EVENT_SYNC] = "hipEventSynchronize",
               [TPP_GPU_EVENT_ELAPSED] = "hipEventElapsedTime",
               [TPP_GPU_LAUNCH] = "hipModuleLaunchKernel",
               [TPP_GPU_OCCUPANCY] = "hipModuleOccupancyMaxActiveBlocksPerMultiprocessor",
               [TPP_GPU_SET_SHARED] = "",
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
    .is_sticky = tpp_hip_error_is_sticky,
    .describe = api_describe,
    .reset = api_reset,
};

/* --- amd-smi / rocm-smi ---------------------------------------------------------------- */

static int
smi_read(void *d, struct tpp_gpu_reading *r)
{
  struct hip_dev *dev = d;
  struct tpp_hip_smi_reading s;
  tpp_hip_smi_read(&dev->smi, &s);
  if (!(s.clock_mhz > 0))
    return -1;
  r->clock_mhz = s.clock_mhz;
  r->temperature_c = s.temperature_c;
  r->energy_j = s.energy_j;
  r->energy_time_s = s.energy_time_s;
  r->events = s.events_known ? s.events : 0;
  return 0;
}

static void
smi_events(unsigned long long events, struct tpp_telemetry *t)
{
  for (int b = 0; b < TPP_HIP_SMI_EVENT_COUNT; b++)
    if (events & (1ull << b))
      tpp_telemetry_add_event(t, tpp_hip_smi_event_names[b]);
}

static const struct tpp_gpu_sampler_ops amd_smi_ops = {"amd-smi", smi_read, smi_events};
static const struct tpp_gpu_sampler_ops rocm_smi_ops = {"rocm-smi", smi_read, smi_events};

/* --- discovery ------------------------------------------------------------------------ */

/* 60241134 -> "6.2.41134" (HIP_VERSION = major * 10^7 + minor * 10^5 + patch). */
static void
format_version(int v, char *buf, size_t len)
{
  snprintf(buf, len, "%d.%d.%d", v / 10000000, v / 100000 % 100, v % 100000);
}

static void
hip_probe(struct tpp_backend_status *st)
{
  int n = 0, version = 0;
  char v[32];
  memset(st, 0, sizeof(*st));
  if (!tpp_hip_kernels_built()) {
    snprintf(st->reason, sizeof(st->reason), "%s", TPP_HIP_UNBUILT_REASON);
    return;
  }
  if (tpp_hip_runtime_load(&rt, st->reason, sizeof(st->reason)) != 0)
    return;
  rt->RuntimeGetVersion(&version);
  format_version(version, v, sizeof(v));
  if (rt->GetDeviceCount(&n) != TPP_HIP_SUCCESS || n == 0) {
    snprintf(st->reason, sizeof(st->reason), "HIP runtime %s: no devices", v);
    return;
  }
  st->available = 1;
  snprintf(st->reason, sizeof(st->reason), "HIP runtime %s, %d device%s", v, n, n == 1 ? "" : "s");
}

static void
fill_info(int index, struct tpp_device_info *i)
{
  int v = 0, version = 0;
  size_t mem = 0;
  hipUUID uuid;
  char arch[128], why[160];

  memset(i, 0, sizeof(*i));
  snprintf(i->backend, sizeof(i->backend), "hip");
  snprintf(i->selector, sizeof(i->selector), "hip:%d", index);
  i->device_index = index;
  rt->DeviceGetName(i->name, (int)sizeof(i->name) - 1, index);
  snprintf(i->vendor, sizeof(i->vendor), "AMD");
  snprintf(i->platform, sizeof(i->platform), "HIP runtime");
  rt->DriverGetVersion(&version);
  format_version(version, i->driver_version, sizeof(i->driver_version));
  snprintf(i->type, sizeof(i->type), "gpu");
  rt->DeviceGetAttribute(&i->compute_units, TPP_HIP_ATTR_MULTIPROCESSOR_COUNT, index);
  i->clock_mhz_max = rt->DeviceGetAttribute(&v, TPP_HIP_ATTR_CLOCK_RATE, index) ==
                                 TPP_HIP_SUCCESS &&
                             v > 0
                         ? v / 1000.0
                         : NAN;
  rt->DeviceTotalMem(&mem, index);
  i->global_mem_bytes = mem;
  i->max_alloc_bytes = mem;
  if (rt->DeviceGetPCIBusId(i->pci_bus_id, (int)sizeof(i->pci_bus_id), index) != TPP_HIP_SUCCESS)
    i->pci_bus_id[0] = '\0';
  for (char *c = i->pci_bus_id; *c; c++) /* "0000:C1:00.0" -> lower case, as hwloc writes it */
    if (*c >= 'A' && *c <= 'F')
      *c = (char)(*c - 'A' + 'a');
  if (rt->DeviceGetUuid && rt->DeviceGetUuid(&uuid, index) == TPP_HIP_SUCCESS)
    tpp_gpu_format_uuid(uuid.bytes, i->uuid, sizeof(i->uuid));
  /* The gcnArchName: which code objects run here, and the key of the rates. */
  if (tpp_hip_device_arch(rt, index, arch, sizeof(arch), why, sizeof(why)) == 0) {
    tpp_facts_set(&i->facts, "gfx_arch", arch);
    snprintf(i->device_version, sizeof(i->device_version), "%.*s", (int)strcspn(arch, ":"), arch);
  }
  i->power_limit_w = NAN;
  i->simulated = rt->simulated;
}

static int
hip_list(struct tpp_device_info **out, size_t *n_out, char *why, size_t whylen)
{
  struct tpp_device_info *devs;
  int n = 0;

  *out = NULL;
  *n_out = 0;
  if (tpp_hip_runtime_load(&rt, why, whylen) != 0 || rt->GetDeviceCount(&n) != TPP_HIP_SUCCESS ||
      n <= 0)
    return 0;
  if (n > MAX_DEVICES)
    n = MAX_DEVICES;
  if (!(devs = calloc((size_t)n, sizeof(*devs))))
    return TPP_ENOMEM;
  for (int i = 0; i < n; i++)
    fill_info(i, &devs[(*n_out)++]);
  *out = devs;
  return 0;
}

/* The GPU layer's module loader: the code object built for the device's architecture. */
static int
load_module(struct tpp_gpu *g, int m, void **mod, int *status, char *why, size_t whylen)
{
  struct hip_dev *dev = (struct hip_dev *)g;
  hipModule_t hm = NULL;
  char call[96];
  hipError_t r;
  if (!dev->has_arch) {
    snprintf(why, whylen,
             "no code object for %s in this build (it has gfx90a, gfx942, gfx1100, gfx1201; "
             "docs/hip.md)",
             dev->gfx[0] ? dev->gfx : "this device's architecture (unknown)");
    return TPP_EUNSUP;
  }
  if (!tpp_hip_code_objects[m][dev->arch] || !tpp_hip_code_object_sizes[m][dev->arch]) {
    snprintf(why, whylen, "kernel module %d not built for %s", m, dev->gfx);
    return TPP_EUNSUP;
  }
  if ((r = rt->ModuleLoadData(&hm, tpp_hip_code_objects[m][dev->arch])) != TPP_HIP_SUCCESS) {
    snprintf(call, sizeof(call), "hipModuleLoadData (%s code object v5)", dev->gfx);
    tpp_hip_describe(r, call, why, whylen);
    *status = r;
    return r == TPP_HIP_ERROR_NO_BINARY_FOR_GPU ? TPP_EUNSUP : TPP_EBACKEND;
  }
  *mod = hm;
  g->module_image[m] = tpp_hip_code_objects[m][dev->arch];
  g->module_image_len[m] = tpp_hip_code_object_sizes[m][dev->arch];
  return 0;
}

static int
hip_open(struct tpp_device *core, struct tpp_diag *diag)
{
  const struct tpp_device_info *info = &core->info;
  const char *gcn = tpp_facts_get(&info->facts, "gfx_arch");
  const struct tpp_hip_smi *smi;
  struct hip_dev *dev;
  char why[256];
  hipError_t r;

  if (!(dev = calloc(1, sizeof(*dev))))
    return TPP_ENOMEM;
  /* The devices of a run open on threads of their own, at once: the runtime was loaded (and
   * rt set) when they were listed, on the main thread; only a device never listed sets it. */
  if (!rt && tpp_hip_runtime_load(&rt, why, sizeof(why)) != 0)
    goto fail;
  dev->index = info->device_index;
  if ((r = rt->SetDevice(dev->index)) != TPP_HIP_SUCCESS) {
    tpp_hip_describe(r, "hipSetDevice", why, sizeof(why));
    goto fail;
  }
  if (gcn) {
    snprintf(dev->gfx, sizeof(dev->gfx), "%.*s", (int)strcspn(gcn, ":"), gcn);
    dev->has_arch = tpp_hip_arch_parse(gcn, &dev->arch) == 0;
    snprintf(core->arch, sizeof(core->arch), "%s", dev->gfx);
  }
  dev->api = api_template;
  if (!rt->ModuleOccupancyMaxActiveBlocksPerMultiprocessor)
    dev->api.occupancy = NULL; /* the kernels' own residency (docs/hip.md) */
  dev->gpu.api = &dev->api;
  dev->gpu.info = info;
  dev->gpu.units = info->compute_units;
  dev->gpu.load_module = load_module;
  smi = tpp_hip_smi_load(why, sizeof(why));
  if (smi && tpp_hip_smi_open(smi, info->pci_bus_id, &dev->smi, why, sizeof(why)) != 0)
    smi = NULL;
  tpp_gpu_init(&dev->gpu,
               !smi                                                ? NULL
               : strncmp(tpp_hip_smi_name(smi), "amd-smi", 7) == 0 ? &amd_smi_ops
                                                                   : &rocm_smi_ops,
               dev);
  core->priv = dev;
  return 0;

fail:
  free(dev);
  return tpp_diag_set(diag, TPP_ENODEV, NULL, 0, NULL, "cannot open %s: %s", info->selector, why);
}

static void
hip_close(struct tpp_device *d)
{
  struct hip_dev *dev = as_hip(d);
  if (!dev)
    return;
  tpp_gpu_fini(&dev->gpu);
  free(dev);
}

/* --- peak kernels ---------------------------------------------------------------------- */

/* Variant `index` of (p, path) that runs on the device's architecture, or NULL; *any says
 * whether some kernel for (p, path) exists for other architectures. */
static const struct tpp_hip_kernel *
find_kernel(const struct hip_dev *dev, enum tpp_precision p, enum tpp_path path, int index,
            int *any)
{
  const struct tpp_hip_kernel *const *ks = tpp_hip_kernels();
  int seen = 0;
  *any = 0;
  for (size_t i = 0; ks[i]; i++) {
    if (ks[i]->precision != p || ks[i]->path != path)
      continue;
    *any = 1;
    if (dev->has_arch && (ks[i]->archs & TPP_HIP_ARCH_BIT(dev->arch)) && seen++ == index)
      return ks[i];
  }
  return NULL;
}

/* RDNA's FP32 kernel issues single v_fma_f32 (clang-19 forms no VOPD dual-issue pairs), so
 * it stays below the dual-issue peak path (docs/hip.md). */
static int
is_lower_bound(const struct hip_dev *dev, const struct tpp_hip_kernel *k)
{
  return k->path == TPP_PATH_VECTOR && k->precision == TPP_FP32 &&
         (dev->arch == TPP_HIP_GFX1100 || dev->arch == TPP_HIP_GFX1201);
}

static int
hip_prepare_peak(struct tpp_device *d, enum tpp_precision p, enum tpp_path path, int index,
                 struct tpp_workload *w, char *why, size_t whylen)
{
  struct hip_dev *dev = as_hip(d);
  const struct tpp_hip_kernel *k;
  struct tpp_gpu_kernel gk;
  int any;

  if (!(k = find_kernel(dev, p, path, index, &any))) {
    if (index > 0)
      return TPP_ENOENT;
    if (!dev->has_arch)
      snprintf(why, whylen,
               "no code object for %s in this build (gfx90a, gfx942, gfx1100, gfx1201)",
               dev->gfx[0] ? dev->gfx : "this device's architecture (unknown)");
    else if (any)
      snprintf(why, whylen, "%s has no %s instructions on the %s path", dev->gfx,
               tpp_precision_name(p), path == TPP_PATH_TENSOR ? "matrix" : tpp_path_name(path));
    else
      snprintf(why, whylen, "no %s kernel for the %s path", tpp_precision_name(p),
               tpp_path_name(path));
    return TPP_EUNSUP;
  }
  gk = (struct tpp_gpu_kernel){
      .symbol = k->symbol,
      .variant = k->variant,
      .module = k->module,
      .threads = TPP_HIP_BLOCK,
      .blocks_per_unit = k->blocks_per_cu,
      .iters = k->iters,
      .ops_per_block_per_iter = k->ops_per_block_per_iter,
      .in_bytes = k->in_bytes,
      .out_bytes_per_block = k->out_bytes_per_block,
      .verify_samples = k->verify_samples,
      .sample_bytes = k->verify_samples
                          ? (k->out_bytes_per_block - TPP_HIP_TRAILER_BYTES) / TPP_HIP_BLOCK
                          : 0,
      .trailer_bytes = k->verify_samples ? TPP_HIP_TRAILER_BYTES : 0,
      .make_input = k->make_input,
      .verify = k->verify,
      .lower_bound = is_lower_bound(dev, k),
  };
  return tpp_gpu_prepare_peak(&dev->gpu, &gk, w, why, whylen);
}

/* --- bandwidth -------------------------------------------------------------- */

static int
hip_prepare_bandwidth(struct tpp_device *d, enum tpp_bw_kind kind, struct tpp_workload *w,
                      char *why, size_t whylen)
{
  static const struct tpp_gpu_bandwidth bw = {
      .module = TPP_HIP_MOD_BANDWIDTH,
      .symbol = {[TPP_BW_READ] = "tpp_hip_bw_read",
                 [TPP_BW_WRITE] = "tpp_hip_bw_write",
                 [TPP_BW_COPY] = "tpp_hip_bw_copy"},
      .blocks_per_unit = TPP_HIP_BW_BLOCKS_PER_CU,
  };
  return tpp_gpu_prepare_bandwidth(&as_hip(d)->gpu, &bw, kind, w, why, whylen);
}

const struct tpp_backend tpp_backend_hip = {
    .name = "hip",
    .has_tensor_path = 1,
    .rate_archs = rate_archs,
    .probe = hip_probe,
    .list = hip_list,
    .open = hip_open,
    .close = hip_close,
    .prepare_peak = hip_prepare_peak,
    .prepare_bandwidth = hip_prepare_bandwidth,
    .telemetry_begin = tpp_gpu_backend_telemetry_begin,
    .telemetry_end = tpp_gpu_backend_telemetry_end,
    .reset_count = tpp_gpu_backend_reset_count,
};
