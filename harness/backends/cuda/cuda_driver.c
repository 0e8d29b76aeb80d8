/* cuda_driver.c - dlopen the CUDA driver and NVML.  See cuda_driver.h. */
#include "cuda/cuda_driver.h"
#include "gpu/dlbind.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "tpp/board.h"
#include "tpp/error.h"

/* Loaded once per process and never unloaded: the driver's state outlives any device. */
static struct tpp_cuda_driver driver;
static int driver_rc = 1; /* 1: not tried yet */
static char driver_why[256];
static pthread_once_t driver_once = PTHREAD_ONCE_INIT;

static struct tpp_nvml nvml;
static int nvml_ok;
static char nvml_why[160];
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

/* NVML's own text for an error ("Not Supported"), with its number when NVML has none. */
static const char *
nvml_error(int r)
{
  static _Thread_local char buf[48];
  const char *s = nvml.ErrorString ? nvml.ErrorString(r) : NULL;
  if (s && *s)
    return s;
  snprintf(buf, sizeof(buf), "NVML error %d", r);
  return buf;
}

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
    TPP_DL_OPT(struct tpp_nvml, ErrorString, "nvmlErrorString"),
    TPP_DL_OPT(struct tpp_nvml, DeviceGetSerial, "nvmlDeviceGetSerial"),
    TPP_DL_OPT(struct tpp_nvml, DeviceGetVbiosVersion, "nvmlDeviceGetVbiosVersion"),
    TPP_DL_OPT(struct tpp_nvml, DeviceGetEccMode, "nvmlDeviceGetEccMode"),
    TPP_DL_OPT(struct tpp_nvml, DeviceGetMigMode, "nvmlDeviceGetMigMode"),
    TPP_DL_OPT(struct tpp_nvml, DeviceGetPersistenceMode, "nvmlDeviceGetPersistenceMode"),
    TPP_DL_OPT(struct tpp_nvml, DeviceGetCurrPcieLinkGeneration,
               "nvmlDeviceGetCurrPcieLinkGeneration"),
    TPP_DL_OPT(struct tpp_nvml, DeviceGetMaxPcieLinkGeneration,
               "nvmlDeviceGetMaxPcieLinkGeneration"),
    TPP_DL_OPT(struct tpp_nvml, DeviceGetCurrPcieLinkWidth, "nvmlDeviceGetCurrPcieLinkWidth"),
    TPP_DL_OPT(struct tpp_nvml, DeviceGetMaxPcieLinkWidth, "nvmlDeviceGetMaxPcieLinkWidth"),
    TPP_DL_OPT(struct tpp_nvml, DeviceGetApplicationsClock, "nvmlDeviceGetApplicationsClock"),
    TPP_DL_OPT(struct tpp_nvml, DeviceGetDefaultApplicationsClock,
               "nvmlDeviceGetDefaultApplicationsClock"),
    TPP_DL_OPT(struct tpp_nvml, DeviceGetComputeRunningProcesses,
               "nvmlDeviceGetComputeRunningProcesses_v3"),
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
  int r;
  n->lib = dlopen("libnvidia-ml.so.1", RTLD_NOW | RTLD_LOCAL);
  if (!n->lib) {
    snprintf(nvml_why, sizeof(nvml_why), "libnvidia-ml.so.1 not found");
    return;
  }
  if (tpp_dl_bind(n->lib, n, nvml_fns, sizeof(nvml_fns) / sizeof(nvml_fns[0]), &missing) != 0) {
    snprintf(nvml_why, sizeof(nvml_why), "libnvidia-ml.so.1 lacks %s", missing);
    return; /* telemetry unknown, never an error */
  }
  if ((r = n->Init()) != 0) {
    snprintf(nvml_why, sizeof(nvml_why), "nvmlInit_v2: %s", nvml_error(r));
    return;
  }
  nvml_ok = 1;
}

const struct tpp_nvml *
tpp_nvml_load(void)
{
  pthread_once(&nvml_once, load_nvml);
  return nvml_ok ? &nvml : NULL;
}

const char *
tpp_nvml_why(void)
{
  pthread_once(&nvml_once, load_nvml);
  return nvml_ok ? "" : nvml_why;
}

/* The board facts: one NVML call per key, each optional. */
#define MISSING(k, fn) tpp_board_unknown(b, k, "libnvidia-ml.so.1 lacks " fn)
#define FAILED(k, fn, r) tpp_board_unknown(b, k, fn ": %s", nvml_error(r))

static void
board_string(struct tpp_board *b, enum tpp_board_key k, nvmlDevice_t h,
             int (*get)(nvmlDevice_t, char *, unsigned), const char *fn, char *out, size_t len)
{
  char buf[64] = "";
  int r;
  if (!get) {
    tpp_board_unknown(b, k, "libnvidia-ml.so.1 lacks %s", fn);
    return;
  }
  if ((r = get(h, buf, (unsigned)(len < sizeof(buf) ? len : sizeof(buf)))) != 0)
    tpp_board_unknown(b, k, "%s: %s", fn, nvml_error(r));
  else if (!buf[0])
    tpp_board_unknown(b, k, "%s: empty", fn);
  else
    snprintf(out, len, "%s", buf);
}

/* A count (link generation, width, clock): 0 is no answer either. */
static void
board_uint(struct tpp_board *b, enum tpp_board_key k, int r, unsigned v, const char *fn, int *out)
{
  if (r != 0)
    tpp_board_unknown(b, k, "%s: %s", fn, nvml_error(r));
  else if (v == 0 || v > 1000000)
    tpp_board_unknown(b, k, "%s: no value (%u)", fn, v);
  else
    *out = (int)v;
}

static void
board_link(struct tpp_board *b, enum tpp_board_key k, nvmlDevice_t h,
           int (*get)(nvmlDevice_t, unsigned *), const char *fn, int *out)
{
  unsigned v = 0;
  int r;
  if (!get) {
    tpp_board_unknown(b, k, "libnvidia-ml.so.1 lacks %s", fn);
    return;
  }
  r = get(h, &v); /* before v is read */
  board_uint(b, k, r, v, fn, out);
}

static void
board_app_clock(struct tpp_board *b, enum tpp_board_key k, nvmlDevice_t h,
                int (*get)(nvmlDevice_t, int, unsigned *), int clock, const char *fn, int *out)
{
  unsigned v = 0;
  int r;
  if (!get) {
    tpp_board_unknown(b, k, "libnvidia-ml.so.1 lacks %s", fn);
    return;
  }
  r = get(h, clock, &v);
  board_uint(b, k, r, v, fn, out);
}

void
tpp_nvml_board(const char *pci_bus_id, struct tpp_board *b)
{
  const struct tpp_nvml *n = tpp_nvml_load();
  nvmlDevice_t h;
  unsigned u = 0, u2 = 0;
  int r, cur = 0, pend = 0;

  tpp_board_clear(b);
  if (!n) {
    snprintf(b->error, sizeof(b->error), "NVML not available: %s", tpp_nvml_why());
    return;
  }
  if ((r = n->DeviceGetHandleByPciBusId(pci_bus_id, &h)) != 0) {
    snprintf(b->error, sizeof(b->error), "nvmlDeviceGetHandleByPciBusId_v2(%s): %s", pci_bus_id,
             nvml_error(r));
    return;
  }
  snprintf(b->source, sizeof(b->source), "nvml");
  board_string(b, TPP_BOARD_SERIAL, h, n->DeviceGetSerial, "nvmlDeviceGetSerial", b->serial,
               sizeof(b->serial));
  board_string(b, TPP_BOARD_VBIOS_VERSION, h, n->DeviceGetVbiosVersion, "nvmlDeviceGetVbiosVersion",
               b->vbios_version, sizeof(b->vbios_version));

  if (!n->DeviceGetEccMode) {
    MISSING(TPP_BOARD_ECC_MODE, "nvmlDeviceGetEccMode");
    MISSING(TPP_BOARD_ECC_MODE_PENDING, "nvmlDeviceGetEccMode");
  } else if ((r = n->DeviceGetEccMode(h, &cur, &pend)) != 0) {
    FAILED(TPP_BOARD_ECC_MODE, "nvmlDeviceGetEccMode", r);
    FAILED(TPP_BOARD_ECC_MODE_PENDING, "nvmlDeviceGetEccMode", r);
  } else {
    b->ecc_mode = cur != 0;
    b->ecc_mode_pending = pend != 0;
  }
  if (!n->DeviceGetMigMode) {
    MISSING(TPP_BOARD_MIG_MODE, "nvmlDeviceGetMigMode");
    MISSING(TPP_BOARD_MIG_MODE_PENDING, "nvmlDeviceGetMigMode");
  } else if ((r = n->DeviceGetMigMode(h, &u, &u2)) != 0) {
    FAILED(TPP_BOARD_MIG_MODE, "nvmlDeviceGetMigMode", r);
    FAILED(TPP_BOARD_MIG_MODE_PENDING, "nvmlDeviceGetMigMode", r);
  } else {
    b->mig_mode = u != 0;
    b->mig_mode_pending = u2 != 0;
  }
  if (!n->DeviceGetPersistenceMode)
    MISSING(TPP_BOARD_PERSISTENCE_MODE, "nvmlDeviceGetPersistenceMode");
  else if ((r = n->DeviceGetPersistenceMode(h, &cur)) != 0)
    FAILED(TPP_BOARD_PERSISTENCE_MODE, "nvmlDeviceGetPersistenceMode", r);
  else
    b->persistence_mode = cur != 0;

  board_link(b, TPP_BOARD_PCIE_LINK_GEN, h, n->DeviceGetCurrPcieLinkGeneration,
             "nvmlDeviceGetCurrPcieLinkGeneration", &b->pcie_link_gen);
  board_link(b, TPP_BOARD_PCIE_LINK_GEN_MAX, h, n->DeviceGetMaxPcieLinkGeneration,
             "nvmlDeviceGetMaxPcieLinkGeneration", &b->pcie_link_gen_max);
  board_link(b, TPP_BOARD_PCIE_LINK_WIDTH, h, n->DeviceGetCurrPcieLinkWidth,
             "nvmlDeviceGetCurrPcieLinkWidth", &b->pcie_link_width);
  board_link(b, TPP_BOARD_PCIE_LINK_WIDTH_MAX, h, n->DeviceGetMaxPcieLinkWidth,
             "nvmlDeviceGetMaxPcieLinkWidth", &b->pcie_link_width_max);
  board_app_clock(b, TPP_BOARD_APP_CLOCK_SM_MHZ, h, n->DeviceGetApplicationsClock,
                  TPP_NVML_CLOCK_SM, "nvmlDeviceGetApplicationsClock", &b->app_clock_sm_mhz);
  board_app_clock(b, TPP_BOARD_APP_CLOCK_SM_DEFAULT_MHZ, h, n->DeviceGetDefaultApplicationsClock,
                  TPP_NVML_CLOCK_SM, "nvmlDeviceGetDefaultApplicationsClock",
                  &b->app_clock_sm_default_mhz);
  board_app_clock(b, TPP_BOARD_APP_CLOCK_MEM_MHZ, h, n->DeviceGetApplicationsClock,
                  TPP_NVML_CLOCK_MEM, "nvmlDeviceGetApplicationsClock", &b->app_clock_mem_mhz);
  board_app_clock(b, TPP_BOARD_APP_CLOCK_MEM_DEFAULT_MHZ, h, n->DeviceGetDefaultApplicationsClock,
                  TPP_NVML_CLOCK_MEM, "nvmlDeviceGetDefaultApplicationsClock",
                  &b->app_clock_mem_default_mhz);
  /* Asked with no array: NVML answers the count, with NVML_ERROR_INSUFFICIENT_SIZE (7)
   * when there is at least one process. */
  u = 0;
  if (!n->DeviceGetComputeRunningProcesses)
    MISSING(TPP_BOARD_COMPUTE_PROCESSES, "nvmlDeviceGetComputeRunningProcesses_v3");
  else if ((r = n->DeviceGetComputeRunningProcesses(h, &u, NULL)) != 0 && r != 7)
    FAILED(TPP_BOARD_COMPUTE_PROCESSES, "nvmlDeviceGetComputeRunningProcesses_v3", r);
  else
    b->compute_processes = r == 0 ? 0 : (int)u;
}
#undef MISSING
#undef FAILED

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
