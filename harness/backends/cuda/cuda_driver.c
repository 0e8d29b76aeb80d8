/* cuda_driver.c - dlopen the CUDA driver and NVML.  See cuda_driver.h. */
#include "cuda/cuda_driver.h"

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

/* The first of `names` the library exports (newer versioned names first). */
static void *
sym(void *lib, const char *const *names)
{
  for (; *names; names++) {
    void *p = dlsym(lib, *names);
    if (p)
      return p;
  }
  return NULL;
}

#define BIND(lib, field, ...)                                \
  do {                                                       \
    static const char *const names_[] = {__VA_ARGS__, NULL}; \
    *(void **)&(field) = sym((lib), names_);                 \
    if (!(field)) {                                          \
      missing = names_[0];                                   \
      goto fail;                                             \
    }                                                        \
  } while (0)

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
  BIND(d->lib, d->Init, "cuInit");
  BIND(d->lib, d->DriverGetVersion, "cuDriverGetVersion");
  BIND(d->lib, d->DeviceGetCount, "cuDeviceGetCount");
  BIND(d->lib, d->DeviceGet, "cuDeviceGet");
  BIND(d->lib, d->DeviceGetName, "cuDeviceGetName");
  BIND(d->lib, d->DeviceGetAttribute, "cuDeviceGetAttribute");
  BIND(d->lib, d->DeviceTotalMem, "cuDeviceTotalMem_v2");
  BIND(d->lib, d->DeviceGetUuid, "cuDeviceGetUuid_v2", "cuDeviceGetUuid");
  BIND(d->lib, d->DevicePrimaryCtxRetain, "cuDevicePrimaryCtxRetain");
  BIND(d->lib, d->DevicePrimaryCtxRelease, "cuDevicePrimaryCtxRelease_v2");
  BIND(d->lib, d->DevicePrimaryCtxReset, "cuDevicePrimaryCtxReset_v2");
  BIND(d->lib, d->CtxSetCurrent, "cuCtxSetCurrent");
  BIND(d->lib, d->CtxSynchronize, "cuCtxSynchronize");
  BIND(d->lib, d->ModuleLoadData, "cuModuleLoadData");
  BIND(d->lib, d->ModuleUnload, "cuModuleUnload");
  BIND(d->lib, d->ModuleGetFunction, "cuModuleGetFunction");
  BIND(d->lib, d->FuncSetAttribute, "cuFuncSetAttribute");
  BIND(d->lib, d->MemAlloc, "cuMemAlloc_v2");
  BIND(d->lib, d->MemFree, "cuMemFree_v2");
  BIND(d->lib, d->MemcpyHtoD, "cuMemcpyHtoD_v2");
  BIND(d->lib, d->MemcpyDtoH, "cuMemcpyDtoH_v2");
  BIND(d->lib, d->MemsetD8, "cuMemsetD8_v2");
  BIND(d->lib, d->LaunchKernel, "cuLaunchKernel");
  BIND(d->lib, d->EventCreate, "cuEventCreate");
  BIND(d->lib, d->EventRecord, "cuEventRecord");
  BIND(d->lib, d->EventSynchronize, "cuEventSynchronize");
  BIND(d->lib, d->EventElapsedTime, "cuEventElapsedTime_v2", "cuEventElapsedTime");
  BIND(d->lib, d->EventDestroy, "cuEventDestroy_v2");
  BIND(d->lib, d->GetErrorName, "cuGetErrorName");
  BIND(d->lib, d->GetErrorString, "cuGetErrorString");
  BIND(d->lib, d->OccupancyMaxActiveBlocksPerMultiprocessor,
       "cuOccupancyMaxActiveBlocksPerMultiprocessor");
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
  return;

fail:
  snprintf(driver_why, sizeof(driver_why), "libcuda.so.1 lacks %s (driver too old)", missing);
  driver_rc = TPP_ENODEV;
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
  BIND(n->lib, n->Init, "nvmlInit_v2");
  BIND(n->lib, n->Shutdown, "nvmlShutdown");
  BIND(n->lib, n->DeviceGetHandleByPciBusId, "nvmlDeviceGetHandleByPciBusId_v2");
  BIND(n->lib, n->DeviceGetClockInfo, "nvmlDeviceGetClockInfo");
  BIND(n->lib, n->DeviceGetMaxClockInfo, "nvmlDeviceGetMaxClockInfo");
  BIND(n->lib, n->DeviceGetPowerUsage, "nvmlDeviceGetPowerUsage");
  BIND(n->lib, n->DeviceGetEnforcedPowerLimit, "nvmlDeviceGetEnforcedPowerLimit");
  BIND(n->lib, n->DeviceGetTemperature, "nvmlDeviceGetTemperature");
  BIND(n->lib, n->DeviceGetClockEventReasons, "nvmlDeviceGetCurrentClocksEventReasons",
       "nvmlDeviceGetCurrentClocksThrottleReasons");
  *(void **)&n->SystemGetDriverVersion = dlsym(n->lib, "nvmlSystemGetDriverVersion");
  nvml_ok = n->Init() == 0;
  return;
fail:
  (void)missing;
  nvml_ok = 0;
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
