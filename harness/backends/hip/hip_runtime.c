/* hip_runtime.c - dlopen the HIP runtime.  See hip_runtime.h. */
#include "hip/hip_runtime.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hip/hip_kernels.h"
#include "tpp/error.h"

/* Loaded once per process and never unloaded: the runtime's state outlives any device. */
static struct tpp_hip_runtime runtime;
static int runtime_rc = 1; /* 1: not tried yet */
static char runtime_why[256];
static pthread_once_t runtime_once = PTHREAD_ONCE_INIT;

static const char *const sonames[] = {"libamdhip64.so.7", "libamdhip64.so.6", "libamdhip64.so.5"};
#define N_SONAMES (sizeof(sonames) / sizeof(sonames[0]))

/* The first of `names` the library exports. */
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

/* dlopen the newest runtime: under $ROCM_PATH/lib when it is set (the user chose that
 * ROCm), then by name (the loader's search path), then under /opt/rocm/lib. */
static void *
open_runtime(char *soname, size_t len)
{
  const char *dirs[] = {getenv("ROCM_PATH"), "", "/opt/rocm"};
  for (size_t d = 0; d < 3; d++)
    for (size_t i = 0; dirs[d] && (d == 1 || dirs[d][0]) && i < N_SONAMES; i++) {
      char path[1024];
      void *lib;
      snprintf(path, sizeof(path), "%s%s%s", dirs[d], d == 1 ? "" : "/lib/", sonames[i]);
      if ((lib = dlopen(path, RTLD_NOW | RTLD_LOCAL))) {
        snprintf(soname, len, "%s", path);
        return lib;
      }
    }
  return NULL;
}

static void
load_runtime(void)
{
  struct tpp_hip_runtime *r = &runtime;
  const char *missing = NULL;
  hipError_t e;

  r->lib = open_runtime(r->soname, sizeof(r->soname));
  if (!r->lib) {
    snprintf(runtime_why, sizeof(runtime_why),
             "no AMD driver (libamdhip64.so.7, .so.6 or .so.5 not found)");
    runtime_rc = TPP_ENODEV;
    return;
  }
  BIND(r->lib, r->Init, "hipInit");
  BIND(r->lib, r->DriverGetVersion, "hipDriverGetVersion");
  BIND(r->lib, r->RuntimeGetVersion, "hipRuntimeGetVersion");
  BIND(r->lib, r->GetDeviceCount, "hipGetDeviceCount");
  BIND(r->lib, r->SetDevice, "hipSetDevice");
  BIND(r->lib, r->DeviceGetName, "hipDeviceGetName");
  BIND(r->lib, r->DeviceGetAttribute, "hipDeviceGetAttribute");
  BIND(r->lib, r->DeviceTotalMem, "hipDeviceTotalMem");
  BIND(r->lib, r->DeviceGetPCIBusId, "hipDeviceGetPCIBusId");
  BIND(r->lib, r->DeviceSynchronize, "hipDeviceSynchronize");
  BIND(r->lib, r->ModuleLoadData, "hipModuleLoadData");
  BIND(r->lib, r->ModuleUnload, "hipModuleUnload");
  BIND(r->lib, r->ModuleGetFunction, "hipModuleGetFunction");
  BIND(r->lib, r->ModuleLaunchKernel, "hipModuleLaunchKernel");
  BIND(r->lib, r->Malloc, "hipMalloc");
  BIND(r->lib, r->Free, "hipFree");
  BIND(r->lib, r->MemcpyHtoD, "hipMemcpyHtoD");
  BIND(r->lib, r->MemcpyDtoH, "hipMemcpyDtoH");
  BIND(r->lib, r->MemsetD8, "hipMemsetD8");
  BIND(r->lib, r->EventCreate, "hipEventCreate");
  BIND(r->lib, r->EventRecord, "hipEventRecord");
  BIND(r->lib, r->EventSynchronize, "hipEventSynchronize");
  BIND(r->lib, r->EventElapsedTime, "hipEventElapsedTime");
  BIND(r->lib, r->EventDestroy, "hipEventDestroy");
  BIND(r->lib, r->GetErrorName, "hipGetErrorName");
  /* The properties struct changed layout in ROCm 6 (R0600); ROCm 5 has only the old one. */
  *(void **)&r->GetDeviceProperties = dlsym(r->lib, "hipGetDevicePropertiesR0600");
  r->props_r0600 = r->GetDeviceProperties != NULL;
  if (!r->GetDeviceProperties)
    BIND(r->lib, r->GetDeviceProperties, "hipGetDeviceProperties");
  *(void **)&r->DeviceGetUuid = dlsym(r->lib, "hipDeviceGetUuid"); /* optional */
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
tpp_hip_launch(const struct tpp_hip_runtime *rt, hipFunction_t fn, unsigned blocks, void *kernarg,
               size_t kernarg_bytes)
{
  void *extra[] = {TPP_HIP_LAUNCH_PARAM_BUFFER_POINTER, kernarg, TPP_HIP_LAUNCH_PARAM_BUFFER_SIZE,
                   &kernarg_bytes, TPP_HIP_LAUNCH_PARAM_END};
  return rt->ModuleLaunchKernel(fn, blocks, 1, 1, TPP_HIP_BLOCK, 1, 1, 0, NULL, NULL, extra);
}
