/* cuda_driver.h - the slice of the CUDA driver API and NVML tppbench uses, loaded at run
 * time with dlopen so one binary starts on machines with and without an NVIDIA driver.
 * Types and constants are declared here (values from cuda.h / nvml.h); no toolkit header
 * is needed to build the host side.
 */
#ifndef TPP_CUDA_DRIVER_H
#define TPP_CUDA_DRIVER_H

#include <stddef.h>

typedef int CUresult;
typedef int CUdevice;
typedef struct CUctx_st *CUcontext;
typedef struct CUmod_st *CUmodule;
typedef struct CUfunc_st *CUfunction;
typedef struct CUstream_st *CUstream;
typedef struct CUevent_st *CUevent;
typedef unsigned long long CUdeviceptr;
typedef struct {
  char bytes[16];
} CUuuid;

enum {
  TPP_CU_SUCCESS = 0,
  TPP_CU_ERROR_NO_DEVICE = 100,
  TPP_CU_ERROR_NO_BINARY_FOR_GPU = 209,
  TPP_CU_ERROR_UNSUPPORTED_PTX_VERSION = 222,
  TPP_CU_ATTR_CLOCK_RATE = 13,
  TPP_CU_ATTR_MULTIPROCESSOR_COUNT = 16,
  TPP_CU_ATTR_PCI_BUS_ID = 33,
  TPP_CU_ATTR_PCI_DEVICE_ID = 34,
  TPP_CU_ATTR_PCI_DOMAIN_ID = 50,
  TPP_CU_ATTR_CC_MAJOR = 75,
  TPP_CU_ATTR_CC_MINOR = 76,
  TPP_CU_ATTR_MAX_SHARED_PER_BLOCK_OPTIN = 97,
  TPP_CU_FUNC_ATTR_MAX_DYNAMIC_SHARED = 8,
};

struct tpp_cuda_driver {
  void *lib;
  CUresult (*Init)(unsigned);
  CUresult (*DriverGetVersion)(int *);
  CUresult (*DeviceGetCount)(int *);
  CUresult (*DeviceGet)(CUdevice *, int);
  CUresult (*DeviceGetName)(char *, int, CUdevice);
  CUresult (*DeviceGetAttribute)(int *, int, CUdevice);
  CUresult (*DeviceTotalMem)(size_t *, CUdevice);
  CUresult (*DeviceGetUuid)(CUuuid *, CUdevice);
  CUresult (*DevicePrimaryCtxRetain)(CUcontext *, CUdevice);
  CUresult (*DevicePrimaryCtxRelease)(CUdevice);
  CUresult (*DevicePrimaryCtxReset)(CUdevice);
  CUresult (*CtxSetCurrent)(CUcontext);
  CUresult (*CtxSynchronize)(void);
  CUresult (*ModuleLoadData)(CUmodule *, const void *);
  CUresult (*ModuleUnload)(CUmodule);
  CUresult (*ModuleGetFunction)(CUfunction *, CUmodule, const char *);
  CUresult (*FuncSetAttribute)(CUfunction, int, int);
  CUresult (*MemAlloc)(CUdeviceptr *, size_t);
  CUresult (*MemFree)(CUdeviceptr);
  CUresult (*MemcpyHtoD)(CUdeviceptr, const void *, size_t);
  CUresult (*MemcpyDtoH)(void *, CUdeviceptr, size_t);
  CUresult (*MemsetD8)(CUdeviceptr, unsigned char, size_t);
  CUresult (*LaunchKernel)(CUfunction, unsigned, unsigned, unsigned, unsigned, unsigned, unsigned,
                           unsigned, CUstream, void **, void **);
  CUresult (*EventCreate)(CUevent *, unsigned);
  CUresult (*EventRecord)(CUevent, CUstream);
  CUresult (*EventSynchronize)(CUevent);
  CUresult (*EventElapsedTime)(float *, CUevent, CUevent);
  CUresult (*EventDestroy)(CUevent);
  CUresult (*GetErrorName)(CUresult, const char **);
  CUresult (*GetErrorString)(CUresult, const char **);
  CUresult (*OccupancyMaxActiveBlocksPerMultiprocessor)(int *, CUfunction, int, size_t);
  /* Set when the library exports tppsim_driver_is_simulated (tests/backends/cuda/sim): its devices
   * are marked simulated in every result, so nothing it "measures" passes for a measurement. */
  int simulated;
};

typedef struct nvmlDevice_st *nvmlDevice_t;
enum {
  TPP_NVML_CLOCK_SM = 1,
  TPP_NVML_CLOCK_MEM = 2,
  TPP_NVML_TEMPERATURE_GPU = 0,
};

struct tpp_nvml {
  void *lib;
  int (*Init)(void);
  int (*Shutdown)(void);
  int (*DeviceGetHandleByPciBusId)(const char *, nvmlDevice_t *);
  int (*DeviceGetClockInfo)(nvmlDevice_t, int, unsigned *);
  int (*DeviceGetMaxClockInfo)(nvmlDevice_t, int, unsigned *);
  int (*DeviceGetPowerUsage)(nvmlDevice_t, unsigned *);
  int (*DeviceGetEnforcedPowerLimit)(nvmlDevice_t, unsigned *);
  int (*DeviceGetTemperature)(nvmlDevice_t, int, unsigned *);
  int (*DeviceGetClockEventReasons)(nvmlDevice_t, unsigned long long *);
  int (*SystemGetDriverVersion)(char *, unsigned); /* may be NULL (older NVML) */
  /* The board's facts (board.h): each may be NULL (an NVML without it); `unknown` says so. */
  const char *(*ErrorString)(int);
  int (*DeviceGetSerial)(nvmlDevice_t, char *, unsigned);
  int (*DeviceGetVbiosVersion)(nvmlDevice_t, char *, unsigned);
  int (*DeviceGetEccMode)(nvmlDevice_t, int *current, int *pending); /* nvmlEnableState_t */
  int (*DeviceGetMigMode)(nvmlDevice_t, unsigned *current, unsigned *pending);
  int (*DeviceGetPersistenceMode)(nvmlDevice_t, int *);
  int (*DeviceGetCurrPcieLinkGeneration)(nvmlDevice_t, unsigned *);
  int (*DeviceGetMaxPcieLinkGeneration)(nvmlDevice_t, unsigned *);
  int (*DeviceGetCurrPcieLinkWidth)(nvmlDevice_t, unsigned *);
  int (*DeviceGetMaxPcieLinkWidth)(nvmlDevice_t, unsigned *);
  int (*DeviceGetApplicationsClock)(nvmlDevice_t, int, unsigned *);
  int (*DeviceGetDefaultApplicationsClock)(nvmlDevice_t, int, unsigned *);
  /* (device, count in/out, nvmlProcessInfo_t array): asked with no array, for the count */
  int (*DeviceGetComputeRunningProcesses)(nvmlDevice_t, unsigned *, void *);
};

/* Load the driver once per process (later calls return the first outcome).  0, or
 * TPP_ENODEV with `why` saying what is missing. */
int tpp_cuda_driver_load(const struct tpp_cuda_driver **drv, char *why, size_t whylen);

/* NVML, or NULL when it cannot be loaded or initialised (telemetry is then unknown). */
const struct tpp_nvml *tpp_nvml_load(void);
/* Why tpp_nvml_load gave NULL ("libnvidia-ml.so.1 not found", "nvmlInit_v2: ..."). */
const char *tpp_nvml_why(void);

struct tpp_board;
/* The board facts of the device NVML knows by this PCI bus id: each NVML call that fails, or
 * that this NVML lacks, leaves its key unknown with NVML's error string or the missing
 * function's name; no NVML or no handle fills board->error. */
void tpp_nvml_board(const char *pci_bus_id, struct tpp_board *board);

/* "CUDA_ERROR_NO_BINARY_FOR_GPU (209)" */
const char *tpp_cuda_strerror(CUresult r, char *buf, size_t len);

/* "call: CUDA_ERROR_ILLEGAL_ADDRESS (an illegal memory access was encountered)": the
 * driver's own name and text of r, after the failing call. */
void tpp_cuda_describe(CUresult r, const char *call, char *buf, size_t len);

/* Does r leave the context unusable ("sticky": every later call in the process fails the
 * same way until the context is reset)?  CUDA driver API, "Error Handling". */
int tpp_cuda_error_is_sticky(CUresult r);

/* "570.86.15 (CUDA 12.8)", or "CUDA 12.8" without NVML. */
void tpp_cuda_driver_describe(char *buf, size_t len);

#endif
