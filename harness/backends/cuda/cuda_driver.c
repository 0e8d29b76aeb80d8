/* cuda_driver.c - dlopen the CUDA driver and NVML.  See cuda_driver.h. */
#include "cuda/cuda_driver.h"
#include "gpu/dlbind.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "tpp/error.h"

/* Loaded once per process and never unloaded: the driver's state outlives any device. */
static struct tpp_cuda_driver driver;
static int driver_rc = 1; /* 1: not tried yet */
static char driver_why[256];
static pthread_once_t driver_once = PTHREAD_ONCE_INIT;

static struct tpp_nvml nvml;
static int nvml_ok;
static pthread_once_t nvml_once = PTHREAD_ONCE_INIT;

#define D(field, ...) TPP_DL_FN(struct tpp_cuda_driver, field, __VA_ARGS__)
static const struct tpp_dl_fn driver_fns[] = {
    D(Init, "cuInit"),
    D(DriverGetVersion, "cuDriverGetVersion"),
    D(DeviceGetCount, "cuDeviceGetCount"),
    D(DeviceGet, "cuDeviceGet"),
    D(DeviceGetName, "cuDeviceGetName"),
    D(DeviceGetAttribute, "cuDeviceGetAttribute"),
    D(DeviceTotalMem, "cuDeviceTotalMem_v2"),
    D(DeviceGetUuid, "cuDeviceGetUuid_v2", "cuDeviceGetUuid"),
    D(DevicePrimaryCtxRetain, "cuDevicePrimaryCtxRetain"),
    D(DevicePrimaryCtxRelease, "cuDevicePrimaryCtxRelease_v2"),
    D(DevicePrimaryCtxReset, "cuDevicePrimaryCtxReset_v2"),
    D(CtxSetCurrent, "cuCtxSetCurrent"),
    D(CtxSynchronize, "cuCtxSynchronize"),
    D(ModuleLoadData, "cuModuleLoadData"),
    D(ModuleUnload, "cuModuleUnload"),
    D(ModuleGetFunction, "cuModuleGetFunction"),
    D(FuncSetAttribute, "cuFuncSetAttribute"),
    D(MemAlloc, "cuMemAlloc_v2"),
    D(MemFree, "cuMemFree_v2"),
    D(MemcpyHtoD, "cuMemcpyHtoD_v2"),
    D(MemcpyDtoH, "cuMemcpyDtoH_v2"),
    D(MemsetD8, "cuMemsetD8_v2"),
    D(LaunchKernel, "cuLaunchKernel"),
    D(EventCreate, "cuEventCreate"),
    D(EventRecord, "cuEventRecord"),
    D(EventSynchronize, "cuEventSynchronize"),
    D(EventElapsedTime, "cuEventElapsedTime_v2", "cuEventElapsedTime"),
    D(EventDestroy, "cuEventDestroy_v2"),
    D(GetErrorName, "cuGetErrorName"),
    D(GetErrorString, "cuGetErrorString"),
    D(OccupancyMaxActiveBlocksPerMultiprocessor, "cuOccupancyMaxActiveBlocksPerMultiprocessor"),
};
#undef D

#define N(field, ...) TPP_DL_FN(struct tpp_nvml, field, __VA_ARGS__)
static const struct tpp_dl_fn nvml_fns[] = {
    N(Init, "nvmlInit_v2"),
    N(Shutdown, "nvmlShutdown"),
    N(DeviceGetHandleByPciBusId, "nvmlDeviceGetHandleByPciBusId_v2"),
    N(DeviceGetClockInfo, "nvmlDeviceGetClockInfo"),
    N(DeviceGetMaxClockInfo, "nvmlDeviceGetMaxClockInfo"),
    N(DeviceGetPowerUsage, "nvmlDeviceGetPowerUsage"),
    N(DeviceGetEnforcedPowerLimit, "nvmlDeviceGetEnforcedPowerLimit"),
    N(DeviceGetTemperature, "nvmlDeviceGetTemperature"),
    N(DeviceGetClockEventReasons, "nvmlDeviceGetCurrentClocksEventReasons",
      "nvmlDeviceGetCurrentClocksThrottleReasons"),
    TPP_DL_OPT(struct tpp_nvml, SystemGetDriverVersion, "nvmlSystemGetDriverVersion"),
};
#undef N

static void
load_driver(void)
{
  struct tpp_cuda_driver *d = &driver;
  const char *missing = NULL;
  CUresult r;

  d->lib = dlopen("libcuda.so.1", RTLD_NOW | RTLD_LOCAL);
  if (!d->lib) {
    snprintf(driver_why, sizeof(driver_why), "no NVIDIA driver (libcuda.so.1 not found)");
    driver_rc = TPP_ENODEV;
    return;
  }
  if (tpp_dl_bind(d->lib, d, driver_fns, sizeof(driver_fns) / sizeof(driver_fns[0]), &missing) !=
      0) {
    snprintf(driver_why, sizeof(driver_why), "libcuda.so.1 lacks %s (driver too old)", missing);
    driver_rc = TPP_ENODEV;
    return;
  }
  d->simulated = dlsym(d->lib, "tppsim_driver_is_simulated") != NULL;
  r = d->Init(0);
  if (r != TPP_CU_SUCCESS) {
    char name[64];
    snprintf(driver_why, sizeof(driver_why), "cuInit failed: %s",
             tpp_cuda_strerror(r, name, sizeof(name)));
    driver_rc = r == TPP_CU_ERROR_NO_DEVICE ? TPP_ENODEV : TPP_EBACKEND;
    return;
  }
  driver_rc = 0;
}

int
tpp_cuda_driver_load(const struct tpp_cuda_driver **drv, char *why, size_t whylen)
{
  pthread_once(&driver_once, load_driver);
  if (driver_rc != 0) {
    snprintf(why, whylen, "%s", driver_why);
    return driver_rc;
  }
  *drv = &driver;
  return 0;
}

static void
load_nvml(void)
{
  struct tpp_nvml *n = &nvml;
  const char *missing = NULL;
  n->lib = dlopen("libnvidia-ml.so.1", RTLD_NOW | RTLD_LOCAL);
  if (!n->lib)
    return;
  if (tpp_dl_bind(n->lib, n, nvml_fns, sizeof(nvml_fns) / sizeof(nvml_fns[0]), &missing) != 0)
    return; /* telemetry unknown, never an error */
  nvml_ok = n->Init() == 0;
}

const struct tpp_nvml *
tpp_nvml_load(void)
{
  pthread_once(&nvml_once, load_nvml);
  return nvml_ok ? &nvml : NULL;
}

const char *
tpp_cuda_strerror(CUresult r, char *buf, size_t len)
{
  const char *name = NULL;
  if (driver.GetErrorName)
    driver.GetErrorName(r, &name);
  snprintf(buf, len, "%s (%d)", name ? name : "CUDA_ERROR", r);
  return buf;
}

void
tpp_cuda_describe(CUresult r, const char *call, char *buf, size_t len)
{
  const char *name = NULL, *text = NULL;
  if (driver.GetErrorName)
    driver.GetErrorName(r, &name);
  if (driver.GetErrorString)
    driver.GetErrorString(r, &text);
  if (name && text)
    snprintf(buf, len, "%s: %s (%s)", call, name, text);
  else
    snprintf(buf, len, "%s: CUDA error %d", call, r);
}

int
tpp_cuda_error_is_sticky(CUresult r)
{
  switch (r) {
  case 214: /* CUDA_ERROR_ECC_UNCORRECTABLE */
  case 700: /* CUDA_ERROR_ILLEGAL_ADDRESS */
  case 702: /* CUDA_ERROR_LAUNCH_TIMEOUT */
  case 714: /* CUDA_ERROR_HARDWARE_STACK_ERROR */
  case 715: /* CUDA_ERROR_ILLEGAL_INSTRUCTION */
  case 716: /* CUDA_ERROR_MISALIGNED_ADDRESS */
  case 717: /* CUDA_ERROR_INVALID_ADDRESS_SPACE */
  case 718: /* CUDA_ERROR_INVALID_PC */
  case 719: /* CUDA_ERROR_LAUNCH_FAILED */
  case 999: /* CUDA_ERROR_UNKNOWN */
    return 1;
  default:
    return 0;
  }
}

void
tpp_cuda_driver_describe(char *buf, size_t len)
{
  const struct tpp_nvml *n = tpp_nvml_load();
  char version[96] = "";
  int v = 0;
  if (driver.DriverGetVersion)
    driver.DriverGetVersion(&v);
  if (n && n->SystemGetDriverVersion && n->SystemGetDriverVersion(version, sizeof(version)) == 0 &&
      version[0])
    snprintf(buf, len, "%s (CUDA %d.%d)", version, v / 1000, v % 1000 / 10);
  else
    snprintf(buf, len, "CUDA %d.%d", v / 1000, v % 1000 / 10);
}
