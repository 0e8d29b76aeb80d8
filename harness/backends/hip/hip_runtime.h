/* hip_runtime.h - the slice of the HIP runtime API tppbench uses, loaded at run time with
 * dlopen so one binary starts on machines with and without ROCm (as cuda_driver.h does for
 * CUDA).  Types and constants are declared here, no ROCm header is needed; the values are
 * those of ROCm's hip_runtime_api.h (github.com/ROCm/HIP, include/hip/hip_runtime_api.h;
 * the attribute and error numbers are the same in tags rocm-5.7.1 through rocm-6.2.0 and at
 * commit c5e11fc, 2024-10-16).
 *
 * Libraries tried, newest first: libamdhip64.so.7 (ROCm 7), .so.6 (ROCm 6), .so.5 (ROCm 5),
 * in $ROCM_PATH/lib when ROCM_PATH is set, then by name (the loader's search path), then in
 * /opt/rocm/lib.
 */
#ifndef TPP_HIP_RUNTIME_H
#define TPP_HIP_RUNTIME_H

#include <stddef.h>
#include <stdint.h>

typedef int hipError_t;
typedef struct ihipModule_t *hipModule_t;
typedef struct ihipModuleSymbol_t *hipFunction_t;
typedef struct ihipStream_t *hipStream_t;
typedef struct ihipEvent_t *hipEvent_t;
typedef void *hipDeviceptr_t;
typedef struct {
  char bytes[16];
} hipUUID;

enum {
  TPP_HIP_SUCCESS = 0,
  TPP_HIP_ERROR_INSUFFICIENT_DRIVER = 35,
  TPP_HIP_ERROR_NO_DEVICE = 100,
  TPP_HIP_ERROR_INVALID_IMAGE = 200,
  TPP_HIP_ERROR_NO_BINARY_FOR_GPU = 209,
  TPP_HIP_ERROR_ILLEGAL_ADDRESS = 700,
  /* hipDeviceAttribute_t */
  TPP_HIP_ATTR_CLOCK_RATE = 5, /* kHz */
  TPP_HIP_ATTR_L2_CACHE_SIZE = 19,
  TPP_HIP_ATTR_MEMORY_BUS_WIDTH = 59,
  TPP_HIP_ATTR_MEMORY_CLOCK_RATE = 60,    /* kHz */
  TPP_HIP_ATTR_MULTIPROCESSOR_COUNT = 63, /* compute units */
  TPP_HIP_ATTR_PCI_BUS_ID = 67,
  TPP_HIP_ATTR_PCI_DEVICE_ID = 68, /* the device (slot) number on the bus */
  TPP_HIP_ATTR_PCI_DOMAIN_ID = 69,
  TPP_HIP_ATTR_WARP_SIZE = 87,
  TPP_HIP_ATTR_ASIC_REVISION = 10012,
};

/* hipModuleLaunchKernel's `extra`: {BUFFER_POINTER, buf, BUFFER_SIZE, &size, END}. */
#define TPP_HIP_LAUNCH_PARAM_BUFFER_POINTER ((void *)0x01)
#define TPP_HIP_LAUNCH_PARAM_BUFFER_SIZE ((void *)0x02)
#define TPP_HIP_LAUNCH_PARAM_END ((void *)0x03)

/* hipDeviceProp_t is only read for gcnArchName (no attribute gives it), by offset: ROCm 6
 * and 7 export hipGetDevicePropertiesR0600 (struct of 1472 bytes, gcnArchName at 1160),
 * ROCm 5 hipGetDeviceProperties (792 bytes, at 396).  Offsets computed by compiling the
 * struct definitions of hip_runtime_api.h (HIP c5e11fc and rocm-5.7.1); the name at
 * offset 0 is checked against hipDeviceGetName before the arch is believed. */
#define TPP_HIP_PROPS_BYTES 4096 /* more than either layout */
#define TPP_HIP_PROPS_R0600_ARCH 1160
#define TPP_HIP_PROPS_R0000_ARCH 396

struct tpp_hip_runtime {
  void *lib;
  char soname[1024]; /* the library that answered (its path when found in a directory) */
  int props_r0600;   /* 1: GetDeviceProperties is hipGetDevicePropertiesR0600 */
  /* Set when the library exports tppsim_runtime_is_simulated (tests/backends/hip/sim): its
   * devices are marked simulated in every result, so nothing it "measures" passes for a
   * measurement. */
  int simulated;
  hipError_t (*Init)(unsigned);
  hipError_t (*DriverGetVersion)(int *);
  hipError_t (*RuntimeGetVersion)(int *);
  hipError_t (*GetDeviceCount)(int *);
  hipError_t (*SetDevice)(int);
  hipError_t (*DeviceGetName)(char *, int, int);
  hipError_t (*DeviceGetAttribute)(int *, int, int);
  hipError_t (*DeviceTotalMem)(size_t *, int);
  hipError_t (*DeviceGetPCIBusId)(char *, int, int);
  hipError_t (*DeviceGetUuid)(hipUUID *, int); /* NULL when the runtime lacks it */
  hipError_t (*GetDeviceProperties)(void *, int);
  hipError_t (*DeviceSynchronize)(void);
  hipError_t (*DeviceReset)(void); /* every allocation, event and module of the device gone */
  hipError_t (*ModuleLoadData)(hipModule_t *, const void *);
  hipError_t (*ModuleUnload)(hipModule_t);
  hipError_t (*ModuleGetFunction)(hipFunction_t *, hipModule_t, const char *);
  hipError_t (*ModuleLaunchKernel)(hipFunction_t, unsigned, unsigned, unsigned, unsigned, unsigned,
                                   unsigned, unsigned, hipStream_t, void **, void **);
  hipError_t (*Malloc)(void **, size_t);
  hipError_t (*Free)(void *);
  hipError_t (*MemcpyHtoD)(hipDeviceptr_t, void *, size_t);
  hipError_t (*MemcpyDtoH)(void *, hipDeviceptr_t, size_t);
  hipError_t (*MemsetD8)(hipDeviceptr_t, unsigned char, size_t);
  hipError_t (*EventCreate)(hipEvent_t *);
  hipError_t (*EventRecord)(hipEvent_t, hipStream_t);
  hipError_t (*EventSynchronize)(hipEvent_t);
  hipError_t (*EventElapsedTime)(float *, hipEvent_t, hipEvent_t);
  hipError_t (*EventDestroy)(hipEvent_t);
  const char *(*GetErrorName)(hipError_t);
  const char *(*GetErrorString)(hipError_t);
  /* NULL when the runtime lacks it: the kernels' own residency is used. */
  hipError_t (*ModuleOccupancyMaxActiveBlocksPerMultiprocessor)(int *, hipFunction_t, int, size_t);
};

/* Load the runtime once per process (later calls return the first outcome).  0, or
 * TPP_ENODEV with `why` saying what is missing ("no AMD driver (...)" when no library is
 * found; "no AMD GPU: ..." when hipInit finds none), or TPP_EBACKEND. */
int tpp_hip_runtime_load(const struct tpp_hip_runtime **rt, char *why, size_t whylen);

/* "hipErrorNoBinaryForGpu (209)" */
const char *tpp_hip_strerror(hipError_t r, char *buf, size_t len);

/* "call: hipErrorIllegalAddress (an illegal memory access was encountered)": the runtime's
 * own name and text of r, after the failing call. */
void tpp_hip_describe(hipError_t r, const char *call, char *buf, size_t len);

/* Does r leave the device unusable until hipDeviceReset (a fault in a kernel, as CUDA's
 * sticky errors: the same codes in ROCm's hip_runtime_api.h, hipError_t)? */
int tpp_hip_error_is_sticky(hipError_t r);

/* The device's gcnArchName ("gfx942:sramecc+:xnack-").  0, or TPP_EBACKEND with `why`. */
int tpp_hip_device_arch(const struct tpp_hip_runtime *rt, int device, char *arch, size_t len,
                        char *why, size_t whylen);

/* One launch of `blocks` x `threads` with a plain kernarg buffer (tpp_gpu_args_pack) on the
 * null stream.  Returns the runtime's error. */
hipError_t tpp_hip_launch(const struct tpp_hip_runtime *rt, hipFunction_t fn, unsigned blocks,
                          unsigned threads, unsigned shared, void *kernarg, size_t kernarg_bytes);

#endif
