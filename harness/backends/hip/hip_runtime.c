/* hip_runtime.c - dlopen the HIP runtime.  See hip_runtime.h. */
#include "hip/hip_runtime.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gpu/dlbind.h"
#include "hip/hip_kernels.h"
#include "tpp/error.h"

/* Loaded once per process and never unloaded: the runtime's state outlives any device. */
static struct tpp_hip_runtime runtime;
static int runtime_rc = 1; /* 1: not tried yet */
static char runtime_why[256];
static pthread_once_t runtime_once = PTHREAD_ONCE_INIT;

static const char *const sonames[] = {"libamdhip64.so.7", "libamdhip64.so.6", "libamdhip64.so.5",
                                      NULL};

#define R(field, ...) TPP_DL_FN(struct tpp_hip_runtime, field, __VA_ARGS__)
static const struct tpp_dl_fn runtime_fns[] = {
    R(Init, "hipInit"),
    R(DriverGetVersion, "hipDriverGetVersion"),
    R(RuntimeGetVersion, "hipRuntimeGetVersion"),
    R(GetDeviceCount, "hipGetDeviceCount"),
    R(SetDevice, "hipSetDevice"),
    R(DeviceGetName, "hipDeviceGetName"),
    R(DeviceGetAttribute, "hipDeviceGetAttribute"),
    R(DeviceTotalMem, "hipDeviceTotalMem"),
    R(DeviceGetPCIBusId, "hipDeviceGetPCIBusId"),
    R(DeviceSynchronize, "hipDeviceSynchronize"),
    R(DeviceReset, "hipDeviceReset"),
    R(ModuleLoadData, "hipModuleLoadData"),
    R(ModuleUnload, "hipModuleUnload"),
    R(ModuleGetFunction, "hipModuleGetFunction"),
    R(ModuleLaunchKernel, "hipModuleLaunchKernel"),
    R(Malloc, "hipMalloc"),
    R(Free, "hipFree"),
    R(MemcpyHtoD, "hipMemcpyHtoD"),
    R(MemcpyDtoH, "hipMemcpyDtoH"),
    R(MemsetD8, "hipMemsetD8"),
    R(EventCreate, "hipEventCreate"),
    R(EventRecord, "hipEventRecord"),
    R(EventSynchronize, "hipEventSynchronize"),
    R(EventElapsedTime, "hipEventElapsedTime"),
    R(EventDestroy, "hipEventDestroy"),
    R(GetErrorName, "hipGetErrorName"),
    R(GetErrorString, "hipGetErrorString"),
    TPP_DL_OPT(struct tpp_hip_runtime, DeviceGetUuid, "hipDeviceGetUuid"),
    TPP_DL_OPT(struct tpp_hip_runtime, ModuleOccupancyMaxActiveBlocksPerMultiprocessor,
               "hipModuleOccupancyMaxActiveBlocksPerMultiprocessor"),
};
#undef R

static void
load_runtime(void)
{
  struct tpp_hip_runtime *r = &runtime;
  const char *missing = NULL;
  hipError_t e;

  r->lib = tpp_dl_open_rocm(sonames, r->soname, sizeof(r->soname));
  if (!r->lib) {
    snprintf(runtime_why, sizeof(runtime_why),
             "no AMD driver (libamdhip64.so.7, .so.6 or .so.5 not found)");
    runtime_rc = TPP_ENODEV;
    return;
  }
  if (tpp_dl_bind(r->lib, r, runtime_fns, sizeof(runtime_fns) / sizeof(runtime_fns[0]), &missing) !=
      0)
    goto fail;
  /* The properties struct changed layout in ROCm 6 (R0600); ROCm 5 has only the old one. */
  *(void **)&r->GetDeviceProperties = dlsym(r->lib, "hipGetDevicePropertiesR0600");
  r->props_r0600 = r->GetDeviceProperties != NULL;
  if (!r->GetDeviceProperties &&
      !(*(void **)&r->GetDeviceProperties = dlsym(r->lib, "hipGetDeviceProperties"))) {
    missing = "hipGetDeviceProperties";
    goto fail;
  }
  r->simulated = dlsym(r->lib, "tppsim_runtime_is_simulated") != NULL;
  if ((e = r->Init(0)) != TPP_HIP_SUCCESS) {
    char name[64];
    snprintf(runtime_why, sizeof(runtime_why), "%s: hipInit failed: %s",
             e == TPP_HIP_ERROR_NO_DEVICE ? "no AMD GPU" : "HIP runtime unusable",
             tpp_hip_strerror(e, name, sizeof(name)));
    runtime_rc = e == TPP_HIP_ERROR_NO_DEVICE || e == TPP_HIP_ERROR_INSUFFICIENT_DRIVER
                     ? TPP_ENODEV
                     : TPP_EBACKEND;
    return;
  }
  runtime_rc = 0;
  return;

fail:
  snprintf(runtime_why, sizeof(runtime_why), "%s lacks %s (runtime too old)", r->soname, missing);
  runtime_rc = TPP_ENODEV;
}

int
tpp_hip_runtime_load(const struct tpp_hip_runtime **rt, char *why, size_t whylen)
{
  pthread_once(&runtime_once, load_runtime);
  if (runtime_rc != 0) {
    snprintf(why, whylen, "%s", runtime_why);
    return runtime_rc;
  }
  *rt = &runtime;
  return 0;
}

const char *
tpp_hip_strerror(hipError_t r, char *buf, size_t len)
{
  const char *name = runtime.GetErrorName ? runtime.GetErrorName(r) : NULL;
  snprintf(buf, len, "%s (%d)", name ? name : "hipError", r);
  return buf;
}

void
tpp_hip_describe(hipError_t r, const char *call, char *buf, size_t len)
{
  const char *name = runtime.GetErrorName ? runtime.GetErrorName(r) : NULL,
             *text = runtime.GetErrorString ? runtime.GetErrorString(r) : NULL;
  if (name && text)
    snprintf(buf, len, "%s: %s (%s)", call, name, text);
  else
    snprintf(buf, len, "%s: HIP error %d", call, r);
}

int
tpp_hip_error_is_sticky(hipError_t r)
{
  switch (r) {
  case 214: /* hipErrorECCNotCorrectable */
  case 700: /* hipErrorIllegalAddress */
  case 702: /* hipErrorLaunchTimeOut */
  case 709: /* hipErrorContextIsDestroyed */
  case 710: /* hipErrorAssert */
  case 719: /* hipErrorLaunchFailure */
  case 999: /* hipErrorUnknown */
    return 1;
  default:
    return 0;
  }
}

int
tpp_hip_device_arch(const struct tpp_hip_runtime *rt, int device, char *arch, size_t len, char *why,
                    size_t whylen)
{
  char name[256] = "", err[64];
  unsigned char *props = calloc(1, TPP_HIP_PROPS_BYTES);
  const char *gcn;
  hipError_t e;
  int rc = TPP_EBACKEND;

  if (!props) {
    snprintf(why, whylen, "out of memory");
    return TPP_ENOMEM;
  }
  gcn = (const char *)props +
        (rt->props_r0600 ? TPP_HIP_PROPS_R0600_ARCH : TPP_HIP_PROPS_R0000_ARCH);
  if ((e = rt->DeviceGetName(name, (int)sizeof(name) - 1, device)) != TPP_HIP_SUCCESS ||
      (e = rt->GetDeviceProperties(props, device)) != TPP_HIP_SUCCESS) {
    snprintf(why, whylen, "device %d properties: %s", device,
             tpp_hip_strerror(e, err, sizeof(err)));
    goto out;
  }
  /* Believe the offset only when the struct's name field (offset 0) is the device's name
   * and the field there is a NUL-terminated "gfx..." string. */
  if (strncmp((const char *)props, name, sizeof(name)) != 0 || strncmp(gcn, "gfx", 3) != 0 ||
      memchr(gcn, 0, 256) == NULL) {
    snprintf(why, whylen,
             "device %d: %s's hipDeviceProp_t layout is not the one expected "
             "(gcnArchName not found)",
             device, rt->soname);
    goto out;
  }
  snprintf(arch, len, "%s", gcn);
  rc = 0;
out:
  free(props);
  return rc;
}

hipError_t
tpp_hip_launch(const struct tpp_hip_runtime *rt, hipFunction_t fn, unsigned blocks,
               unsigned threads, unsigned shared, void *kernarg, size_t kernarg_bytes)
{
  void *extra[] = {TPP_HIP_LAUNCH_PARAM_BUFFER_POINTER, kernarg, TPP_HIP_LAUNCH_PARAM_BUFFER_SIZE,
                   &kernarg_bytes, TPP_HIP_LAUNCH_PARAM_END};
  return rt->ModuleLaunchKernel(fn, blocks, 1, 1, threads, 1, 1, shared, NULL, NULL, extra);
}
