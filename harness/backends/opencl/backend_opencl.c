/* backend_opencl.c - the OpenCL backend: platforms and devices, identity, queues, clocks.
 * The kernels' host sides are in cl_peak.c and cl_bandwidth.c.
 */
#include <CL/cl.h>
#include <CL/cl_ext.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "opencl/cl_internal.h"
#include "tpp/hostclock.h"

/* Vendor queries for the PCI address, defined here when the headers are older. */
#ifndef CL_DEVICE_PCI_BUS_INFO_KHR
#define CL_DEVICE_PCI_BUS_INFO_KHR 0x410F
typedef struct {
  cl_uint pci_domain, pci_bus, pci_device, pci_function;
} cl_device_pci_bus_info_khr;
#endif
#define TPP_CL_DEVICE_PCI_BUS_ID_NV 0x4008
#define TPP_CL_DEVICE_PCI_SLOT_ID_NV 0x4009
#define TPP_CL_DEVICE_PCI_DOMAIN_ID_NV 0x400A
#define TPP_CL_DEVICE_TOPOLOGY_AMD 0x4037
#define TPP_CL_PLATFORM_NOT_FOUND_KHR (-1001)

#define MAX_PLATFORMS 16
#define MAX_DEVICES 64

const char *
tpp_cl_strerror(cl_int err)
{
  switch (err) {
#define CASE(x) \
  case x:       \
    return #x;
    CASE(CL_SUCCESS)
    CASE(CL_DEVICE_NOT_FOUND)
    CASE(CL_DEVICE_NOT_AVAILABLE)
    CASE(CL_COMPILER_NOT_AVAILABLE)
    CASE(CL_MEM_OBJECT_ALLOCATION_FAILURE)
    CASE(CL_OUT_OF_RESOURCES)
    CASE(CL_OUT_OF_HOST_MEMORY)
    CASE(CL_PROFILING_INFO_NOT_AVAILABLE)
    CASE(CL_BUILD_PROGRAM_FAILURE)
    CASE(CL_INVALID_VALUE)
    CASE(CL_INVALID_DEVICE)
    CASE(CL_INVALID_BINARY)
    CASE(CL_INVALID_BUILD_OPTIONS)
    CASE(CL_INVALID_KERNEL_NAME)
    CASE(CL_INVALID_KERNEL_ARGS)
    CASE(CL_INVALID_WORK_GROUP_SIZE)
    CASE(CL_INVALID_WORK_ITEM_SIZE)
    CASE(CL_INVALID_GLOBAL_WORK_SIZE)
    CASE(CL_INVALID_BUFFER_SIZE)
    CASE(CL_INVALID_ARG_SIZE)
#undef CASE
  case TPP_CL_PLATFORM_NOT_FOUND_KHR:
    return "CL_PLATFORM_NOT_FOUND_KHR";
  default:
    return "CL_error";
  }
}

int
tpp_cl_has_extension(const struct cl_dev *dev, const char *ext)
{
  size_t n = strlen(ext);
  const char *all = tpp_facts_get(&dev->info->facts, "extensions"), *s = all;
  while (s && (s = strstr(s, ext)) != NULL) {
    if ((s == all || s[-1] == ' ') && (s[n] == ' ' || s[n] == '\0'))
      return 1;
    s += n;
  }
  return 0;
}

int
tpp_cl_llvm_cpu(const char *name, char *out, size_t len)
{
  static const char *const prefixes[] = {"pthread-", "cpu-", "basic-", NULL};
  const char *s = NULL, *end;
  for (int i = 0; prefixes[i] && !s; i++)
    if (strncmp(name, prefixes[i], strlen(prefixes[i])) == 0)
      s = name + strlen(prefixes[i]);
  if (!s)
    return -1;
  /* LLVM names CPUs in lower case ("skylake-avx512", "znver4"); PoCL appends the CPU's
   * model name, which starts with an upper case letter ("-Intel(R) Xeon(R) ...", "-AMD EPYC"). */
  for (end = s; *end; end++) {
    if (*end == '-' && !(end[1] >= 'a' && end[1] <= 'z') && !(end[1] >= '0' && end[1] <= '9'))
      break;
    if (!((*end >= 'a' && *end <= 'z') || (*end >= '0' && *end <= '9') || *end == '-' ||
          *end == '_' || *end == '.'))
      return -1;
  }
  if (end == s || (size_t)(end - s) >= len)
    return -1;
  memcpy(out, s, (size_t)(end - s));
  out[end - s] = '\0';
  return 0;
}

static void
get_string(cl_device_id d, cl_device_info what, char *buf, size_t len)
{
  buf[0] = '\0';
  if (clGetDeviceInfo(d, what, len, buf, NULL) != CL_SUCCESS)
    buf[0] = '\0';
  buf[len - 1] = '\0';
}

/* The PCI address by the first query the platform answers; "" when none does. */
static void
get_pci_bus_id(cl_device_id d, char *buf, size_t len)
{
  cl_device_pci_bus_info_khr khr;
  cl_uint nv_bus, nv_slot, nv_domain = 0;
  unsigned char amd[24];

  buf[0] = '\0';
  if (clGetDeviceInfo(d, CL_DEVICE_PCI_BUS_INFO_KHR, sizeof(khr), &khr, NULL) == CL_SUCCESS) {
    snprintf(buf, len, "%04x:%02x:%02x.%u", khr.pci_domain, khr.pci_bus, khr.pci_device,
             khr.pci_function);
    return;
  }
  if (clGetDeviceInfo(d, TPP_CL_DEVICE_PCI_BUS_ID_NV, sizeof(nv_bus), &nv_bus, NULL) ==
          CL_SUCCESS &&
      clGetDeviceInfo(d, TPP_CL_DEVICE_PCI_SLOT_ID_NV, sizeof(nv_slot), &nv_slot, NULL) ==
          CL_SUCCESS) {
    clGetDeviceInfo(d, TPP_CL_DEVICE_PCI_DOMAIN_ID_NV, sizeof(nv_domain), &nv_domain, NULL);
    snprintf(buf, len, "%04x:%02x:%02x.%u", nv_domain, nv_bus, nv_slot >> 3, nv_slot & 7);
    return;
  }
  /* cl_device_topology_amd: type (cl_uint) then, for PCIe, bus/device/function as cl_char
   * at offsets 21..23.  The bytes are unsigned values stored in signed chars. */
  if (clGetDeviceInfo(d, TPP_CL_DEVICE_TOPOLOGY_AMD, sizeof(amd), amd, NULL) == CL_SUCCESS &&
      amd[0] == 1)
    snprintf(buf, len, "0000:%02x:%02x.%u", amd[21], amd[22], (unsigned)amd[23]);
}

static void
fill_info(cl_platform_id p, cl_device_id d, int pi, int di, struct tpp_device_info *info)
{
  cl_device_type type = 0;
  cl_uint cu = 0, mhz = 0;
  cl_ulong mem = 0, alloc = 0;
  char ext[TPP_FACTS_TEXT - 64], cpu[32];

  memset(info, 0, sizeof(*info));
  snprintf(info->backend, sizeof(info->backend), "opencl");
  snprintf(info->selector, sizeof(info->selector), "opencl:%d.%d", pi, di);
  info->platform_index = pi;
  info->device_index = di;
  get_string(d, CL_DEVICE_NAME, info->name, sizeof(info->name));
  get_string(d, CL_DEVICE_VENDOR, info->vendor, sizeof(info->vendor));
  get_string(d, CL_DRIVER_VERSION, info->driver_version, sizeof(info->driver_version));
  get_string(d, CL_DEVICE_VERSION, info->device_version, sizeof(info->device_version));
  get_string(d, CL_DEVICE_EXTENSIONS, ext, sizeof(ext));
  tpp_facts_set(&info->facts, "extensions", ext);
  if (clGetPlatformInfo(p, CL_PLATFORM_NAME, sizeof(info->platform), info->platform, NULL) !=
      CL_SUCCESS)
    info->platform[0] = '\0';
  info->platform[sizeof(info->platform) - 1] = '\0';
  clGetDeviceInfo(d, CL_DEVICE_TYPE, sizeof(type), &type, NULL);
  snprintf(info->type, sizeof(info->type), "%s",
           type & CL_DEVICE_TYPE_GPU           ? "gpu"
           : type & CL_DEVICE_TYPE_CPU         ? "cpu"
           : type & CL_DEVICE_TYPE_ACCELERATOR ? "accelerator"
                                               : "other");
  clGetDeviceInfo(d, CL_DEVICE_MAX_COMPUTE_UNITS, sizeof(cu), &cu, NULL);
  clGetDeviceInfo(d, CL_DEVICE_MAX_CLOCK_FREQUENCY, sizeof(mhz), &mhz, NULL);
  clGetDeviceInfo(d, CL_DEVICE_GLOBAL_MEM_SIZE, sizeof(mem), &mem, NULL);
  clGetDeviceInfo(d, CL_DEVICE_MAX_MEM_ALLOC_SIZE, sizeof(alloc), &alloc, NULL);
  info->compute_units = (int)cu;
  info->power_limit_w = NAN;
  info->clock_mhz_max = mhz ? (double)mhz : NAN;
  info->global_mem_bytes = mem;
  info->max_alloc_bytes = alloc;
  get_pci_bus_id(d, info->pci_bus_id, sizeof(info->pci_bus_id));
  if ((type & CL_DEVICE_TYPE_CPU) && tpp_cl_llvm_cpu(info->name, cpu, sizeof(cpu)) == 0)
    tpp_facts_set(&info->facts, "llvm_cpu", cpu);
}

static void
cl_probe(struct tpp_backend_status *st)
{
  cl_uint n = 0;
  cl_int err = clGetPlatformIDs(0, NULL, &n);
  memset(st, 0, sizeof(*st));
  if (err == TPP_CL_PLATFORM_NOT_FOUND_KHR || (err == CL_SUCCESS && n == 0)) {
    snprintf(st->reason, sizeof(st->reason),
             "no OpenCL platform installed (the ICD loader found no driver; on Debian "
             "install pocl-opencl-icd for the CPU, or a GPU vendor's ICD)");
    return;
  }
  if (err != CL_SUCCESS) {
    snprintf(st->reason, sizeof(st->reason), "clGetPlatformIDs failed: %s", tpp_cl_strerror(err));
    return;
  }
  st->available = 1;
  snprintf(st->reason, sizeof(st->reason), "%u platform%s", n, n == 1 ? "" : "s");
}

static int
cl_list(struct tpp_device_info **out, size_t *n_out, char *why, size_t whylen)
{
  cl_platform_id plats[MAX_PLATFORMS];
  cl_uint np = 0;
  struct tpp_device_info *devs = NULL;
  size_t n = 0;
  cl_int err;

  *out = NULL;
  *n_out = 0;
  err = clGetPlatformIDs(MAX_PLATFORMS, plats, &np);
  if (err == TPP_CL_PLATFORM_NOT_FOUND_KHR)
    return 0;
  if (err != CL_SUCCESS) {
    snprintf(why, whylen, "clGetPlatformIDs: %s", tpp_cl_strerror(err));
    return TPP_EBACKEND;
  }
  if (np > MAX_PLATFORMS)
    np = MAX_PLATFORMS;
  devs = calloc((size_t)np * MAX_DEVICES, sizeof(*devs));
  if (!devs)
    return TPP_ENOMEM;
  for (cl_uint pi = 0; pi < np; pi++) {
    cl_device_id ids[MAX_DEVICES];
    cl_uint nd = 0;
    if (clGetDeviceIDs(plats[pi], CL_DEVICE_TYPE_ALL, MAX_DEVICES, ids, &nd) != CL_SUCCESS)
      continue; /* a platform with no devices answers CL_DEVICE_NOT_FOUND */
    if (nd > MAX_DEVICES)
      nd = MAX_DEVICES;
    for (cl_uint di = 0; di < nd; di++)
      fill_info(plats[pi], ids[di], (int)pi, (int)di, &devs[n++]);
  }
  *out = devs;
  *n_out = n;
  return 0;
}

static int
cl_open(struct tpp_device *core, struct tpp_diag *diag)
{
  const struct tpp_device_info *info = &core->info;
  cl_platform_id plats[MAX_PLATFORMS];
  cl_device_id ids[MAX_DEVICES];
  cl_uint np = 0, nd = 0;
  cl_int err;
  struct cl_dev *dev;
  const char *cpu = tpp_facts_get(&info->facts, "llvm_cpu");

  err = clGetPlatformIDs(MAX_PLATFORMS, plats, &np);
  if (err != CL_SUCCESS || (cl_uint)info->platform_index >= np)
    return tpp_diag_set(diag, TPP_ENODEV, NULL, 0, "--device", "OpenCL platform %d is gone",
                        info->platform_index);
  err = clGetDeviceIDs(plats[info->platform_index], CL_DEVICE_TYPE_ALL, MAX_DEVICES, ids, &nd);
  if (err != CL_SUCCESS || (cl_uint)info->device_index >= nd)
    return tpp_diag_set(diag, TPP_ENODEV, NULL, 0, "--device", "OpenCL device %s is gone",
                        info->selector);
  dev = calloc(1, sizeof(*dev));
  if (!dev)
    return TPP_ENOMEM;
  dev->info = info;
  dev->platform = plats[info->platform_index];
  dev->device = ids[info->device_index];
  dev->is_cpu = strcmp(info->type, "cpu") == 0;

  dev->context = clCreateContext(NULL, 1, &dev->device, NULL, NULL, &err);
  if (err != CL_SUCCESS)
    goto fail_context;
  {
    cl_queue_properties props[] = {CL_QUEUE_PROPERTIES, CL_QUEUE_PROFILING_ENABLE, 0};
    dev->queue = clCreateCommandQueueWithProperties(dev->context, dev->device, props, &err);
  }
  if (err != CL_SUCCESS)
    goto fail_queue;
  /* CPU devices' per-clock rates are keyed by the LLVM target CPU (profiles/rates/opencl.json);
   * an OpenCL GPU has no rate table yet: its rows are unchecked. */
  if (cpu)
    snprintf(core->arch, sizeof(core->arch), "%s", cpu);
  core->priv = dev;
  return 0;

fail_queue:
  clReleaseContext(dev->context);
fail_context:
  free(dev);
  return tpp_diag_set(diag, TPP_EBACKEND, NULL, 0, NULL, "cannot open %s (%s): %s", info->selector,
                      info->name, tpp_cl_strerror(err));
}

static void
cl_close(struct tpp_device *core)
{
  struct cl_dev *dev = core->priv;
  if (!dev)
    return;
  clReleaseCommandQueue(dev->queue);
  clReleaseContext(dev->context);
  free(dev);
}

int
tpp_cl_build(struct cl_dev *dev, const char *source, const char *options, cl_program *program,
             char *why, size_t whylen)
{
  cl_int err;
  cl_program prog = clCreateProgramWithSource(dev->context, 1, &source, NULL, &err);
  if (err != CL_SUCCESS) {
    snprintf(why, whylen, "clCreateProgramWithSource: %s", tpp_cl_strerror(err));
    return TPP_EBACKEND;
  }
  err = clBuildProgram(prog, 1, &dev->device, options, NULL, NULL);
  if (err != CL_SUCCESS) {
    char log[2048] = "";
    clGetProgramBuildInfo(prog, dev->device, CL_PROGRAM_BUILD_LOG, sizeof(log) - 1, log, NULL);
    log[sizeof(log) - 1] = '\0';
    for (char *c = log; *c; c++)
      if (*c == '\n')
        *c = ' ';
    snprintf(why, whylen, "kernel build failed (%s) with \"%s\": %.160s", tpp_cl_strerror(err),
             options, log);
    clReleaseProgram(prog);
    return TPP_EBACKEND;
  }
  *program = prog;
  return 0;
}

int
tpp_cl_run_timed(struct cl_dev *dev, cl_kernel kernel, size_t global, size_t local, double *seconds,
                 char *why, size_t whylen)
{
  cl_event ev;
  cl_ulong t0 = 0, t1 = 0;
  const char *call = "clEnqueueNDRangeKernel";
  cl_int err = clEnqueueNDRangeKernel(dev->queue, kernel, 1, NULL, &global, &local, 0, NULL, &ev);
  if (err != CL_SUCCESS)
    goto fail;
  call = "clWaitForEvents";
  err = clWaitForEvents(1, &ev);
  if (err == CL_SUCCESS) {
    call = "clGetEventProfilingInfo";
    err = clGetEventProfilingInfo(ev, CL_PROFILING_COMMAND_START, sizeof(t0), &t0, NULL);
  }
  if (err == CL_SUCCESS)
    err = clGetEventProfilingInfo(ev, CL_PROFILING_COMMAND_END, sizeof(t1), &t1, NULL);
  clReleaseEvent(ev);
  if (err != CL_SUCCESS)
    goto fail;
  *seconds = (double)(t1 - t0) * 1e-9;
  return 0;
fail:
  if (why)
    snprintf(why, whylen, "%s: %s (%d)", call, tpp_cl_strerror(err), (int)err);
  return TPP_EBACKEND;
}

/* A CPU device computes on the host's cores, so its clock can be measured (hostclock.h)
 * just before and just after the row; a GPU's cannot through OpenCL, and the device's
 * stated maximum is all there is. */
static double
cpu_clock_now(const struct cl_dev *dev)
{
  return dev->is_cpu ? tpp_hostclock_mhz(dev->info->compute_units, 0.05) : NAN;
}

static void
cl_telemetry_begin(struct tpp_device *core)
{
  struct cl_dev *dev = core->priv;
  dev->clock_before = cpu_clock_now(dev);
}

static void
cl_telemetry_end(struct tpp_device *core, struct tpp_telemetry *t)
{
  struct cl_dev *dev = core->priv;
  double after = cpu_clock_now(dev);
  tpp_telemetry_clear(t);
  if (isfinite(dev->clock_before) && isfinite(after)) {
    t->clock_mhz = 0.5 * (dev->clock_before + after);
    t->clock_mhz_min = fmin(dev->clock_before, after);
    t->clock_mhz_max = fmax(dev->clock_before, after);
    t->samples = 2;
    t->clock_source = "host-add-chain";
    return;
  }
  t->clock_mhz = t->clock_mhz_min = t->clock_mhz_max = dev->info->clock_mhz_max;
  t->clock_source = "device-max";
}

const struct tpp_backend tpp_backend_opencl = {
    .name = "opencl",
    .probe = cl_probe,
    .list = cl_list,
    .open = cl_open,
    .close = cl_close,
    .prepare_peak = tpp_cl_prepare_peak,
    .prepare_bandwidth = tpp_cl_prepare_bandwidth,
    .telemetry_begin = cl_telemetry_begin,
    .telemetry_end = cl_telemetry_end,
};
