/* hipsim.c - a simulated HIP runtime (libamdhip64.so.6) for tests: the slice of the HIP API
 * tppbench loads, with simulated MI300X devices, over the engine it shares with the
 * simulated CUDA driver (tests/backends/gpu/sim/gpusim.h, which lists the faults the
 * environment injects).  Never installed, never linked into tppbench: a test puts its
 * directory first on LD_LIBRARY_PATH and tppbench's ordinary dlopen("libamdhip64.so.6")
 * finds it.  It exports tppsim_runtime_is_simulated, so tppbench marks every device
 * "simulated" in its results; the device names say so too.  Kernels are "run" with the host
 * references the checks use (hip_kernels.h reference()); a code object is accepted only when
 * its ELF header names the simulated device's architecture, as the real runtime does.
 *
 * Environment, besides gpusim.h's faults (TPPSIM_THROTTLE caps the clock from 1900 to 1500
 * MHz, amd-smi's PPT violation):
 *   TPPSIM_HIP_ARCH=gfxNNN   the simulated gcnArchName's processor (default gfx942); one
 *                            without code objects (gfx1030) has every row unsupported
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gpusim.h"
#include "hip/hip_kernels.h"

#define EXPORT __attribute__((visibility("default")))

typedef int hipError_t;
enum { NO_BINARY_FOR_GPU = 209, INVALID_IMAGE = 200 };

EXPORT int tppsim_runtime_is_simulated = 1;

/* The simulated MI300X: 304 CUs, 1900 MHz under load (1500 capped), 132 idle, 2100 max;
 * about 4.2 TB/s; 720 W busy, 750 W at the power cap, 140 W idle. */
static const struct gpusim_config mi300x = {304,    1900,   132,   2100,  1500, 4.2e12,
                                            4.3e12, 4.0e12, 720.0, 750.0, 140.0};

EXPORT struct tppsim_state *
tppsim_get_state(void)
{
  return &tppsim;
}

EXPORT double
tppsim_clock_mhz(void)
{
  return gpusim_clock_mhz();
}

EXPORT double
tppsim_power_w(void)
{
  return gpusim_power_w();
}

EXPORT void
tppsim_energy(double *joules, double *seconds)
{
  gpusim_energy(joules, seconds);
}

static int initialised;

static const char *
sim_arch(void)
{
  const char *a = gpusim_env("TPPSIM_HIP_ARCH");
  return a ? a : "gfx942";
}

EXPORT hipError_t
hipInit(unsigned flags)
{
  (void)flags;
  if (!initialised) {
    gpusim_init(&mi300x);
    initialised = 1;
  }
  return SIM_OK;
}

EXPORT hipError_t
hipDriverGetVersion(int *v)
{
  *v = 60342134; /* ROCm 6.3 */
  return SIM_OK;
}

EXPORT hipError_t
hipRuntimeGetVersion(int *v)
{
  *v = 60342134;
  return SIM_OK;
}

EXPORT hipError_t
hipGetDeviceCount(int *n)
{
  if (!initialised)
    return SIM_NOT_INITIALIZED;
  *n = tppsim.devices;
  return SIM_OK;
}

EXPORT hipError_t
hipSetDevice(int d)
{
  if (gpusim_lost())
    return SIM_UNKNOWN;
  return d >= 0 && d < tppsim.devices ? SIM_OK : SIM_INVALID_DEVICE;
}

EXPORT hipError_t
hipDeviceGetName(char *name, int len, int d)
{
  (void)d;
  snprintf(name, (size_t)len, "AMD Instinct MI300X (simulated)");
  return SIM_OK;
}

EXPORT hipError_t
hipDeviceGetAttribute(int *v, int attr, int d)
{
  switch (attr) {
  case 5: /* clock rate, kHz */
    *v = 2100000;
    return SIM_OK;
  case 63: /* CUs */
    *v = 304;
    return SIM_OK;
  case 87: /* warp size */
    *v = 64;
    return SIM_OK;
  case 67: /* PCI bus */
    *v = 0x0c + 0x10 * d;
    return SIM_OK;
  case 68:
  case 69:
    *v = 0;
    return SIM_OK;
  default:
    return SIM_INVALID_VALUE;
  }
}

EXPORT hipError_t
hipDeviceTotalMem(size_t *bytes, int d)
{
  (void)d;
  *bytes = 206141652992ull; /* 192 GiB HBM3 as an MI300X reports it */
  return SIM_OK;
}

EXPORT hipError_t
hipDeviceGetPCIBusId(char *s, int len, int d)
{
  snprintf(s, (size_t)len, "0000:%02X:00.0", 0x0c + 0x10 * d); /* upper case, as ROCm writes it */
  return SIM_OK;
}

typedef struct {
  char bytes[16];
} hipUUID;

EXPORT hipError_t
hipDeviceGetUuid(hipUUID *u, int d)
{
  for (int i = 0; i < 16; i++)
    u->bytes[i] = (char)(0x31 + 5 * i + d);
  return SIM_OK;
}

/* hipDeviceProp_t of ROCm 6 (1472 bytes): the name at 0, gcnArchName at 1160. */
EXPORT hipError_t
hipGetDevicePropertiesR0600(void *p, int d)
{
  memset(p, 0, 1472);
  hipDeviceGetName(p, 256, d);
  snprintf((char *)p + 1160, 256, "%s:sramecc+:xnack-", sim_arch());
  return SIM_OK;
}

EXPORT hipError_t
hipDeviceSynchronize(void)
{
  return gpusim_guard();
}

EXPORT hipError_t
hipDeviceReset(void)
{
  return gpusim_reset();
}

/* e_flags' EF_AMDGPU_MACH of a code object (LLVM's AMDGPUUsage: gfx90a 0x3f, gfx942 0x4c,
 * gfx1100 0x41, gfx1201 0x4e), or -1 when it is not an AMDGPU ELF. */
static int
code_object_mach(const unsigned char *e)
{
  uint32_t flags;
  uint16_t machine;
  if (memcmp(e, "\177ELF", 4) != 0 || e[4] != 2)
    return -1;
  memcpy(&machine, e + 18, 2);
  memcpy(&flags, e + 48, 4);
  return machine == 224 /* EM_AMDGPU */ ? (int)(flags & 0xff) : -1;
}

static int
arch_mach(const char *arch)
{
  static const struct {
    const char *name;
    int mach;
  } m[] = {
      {"gfx90a",  0x3f},
      {"gfx942",  0x4c},
      {"gfx1100", 0x41},
      {"gfx1201", 0x4e},
      {"gfx1030", 0x36},
  };
  for (size_t i = 0; i < sizeof(m) / sizeof(m[0]); i++)
    if (strcmp(m[i].name, arch) == 0)
      return m[i].mach;
  return -2;
}

EXPORT hipError_t
hipModuleLoadData(void **mod, const void *image)
{
  int mach, g = gpusim_guard();
  if (g)
    return g;
  if (!image || (mach = code_object_mach(image)) < 0)
    return INVALID_IMAGE;
  if (mach != arch_mach(sim_arch()))
    return NO_BINARY_FOR_GPU;
  return gpusim_module_load(mod);
}

EXPORT hipError_t
hipModuleUnload(void *mod)
{
  return gpusim_module_unload(mod);
}

/* Simulated sustained ops per clock per CU of each instruction on gfx942: below the
 * per-clock peaks of profiles/rates/hip.json, as a real run would be. */
static double
sim_rate(const char *variant)
{
  static const struct {
    const char *variant;
    double ops;
  } rates[] = {
      {"v_fma_f64",                   122 },
      {"v_pk_fma_f32",                245 },
      {"v_pk_fma_f16",                240 },
      {"v_mfma_f64_16x16x4_f64",      240 },
      {"v_mfma_f32_32x32x2_f32",      240 },
      {"v_mfma_f32_32x32x4_xf32",     980 },
      {"v_mfma_f32_32x32x8_f16",      1950},
      {"v_mfma_f32_32x32x8_bf16",     1950},
      {"v_mfma_i32_32x32x16_i8",      3900},
      {"v_mfma_f32_32x32x16_fp8_fp8", 3880},
      {"v_mfma_f32_32x32x16_bf8_bf8", 3880},
  };
  for (size_t i = 0; i < sizeof(rates) / sizeof(rates[0]); i++)
    if (strcmp(variant, rates[i].variant) == 0)
      return rates[i].ops;
  return 100;
}

EXPORT hipError_t
hipModuleGetFunction(void **fn, void *mod, const char *name)
{
  const struct tpp_hip_kernel *const *ks = tpp_hip_kernels();
  const struct tpp_hip_kernel *k = NULL;
  enum tpp_hip_arch a;
  struct gpusim_kernel gk;
  int g = gpusim_guard();
  if (g)
    return g;
  if (tpp_hip_arch_parse(sim_arch(), &a) == 0)
    for (size_t i = 0; ks[i] && !k; i++)
      if (strcmp(ks[i]->symbol, name) == 0 && (ks[i]->archs & TPP_HIP_ARCH_BIT(a)))
        k = ks[i];
  if (!k && strncmp(name, "tpp_hip_bw_", 11) != 0)
    return SIM_NOT_FOUND;
  if (!k)
    return gpusim_function(fn, mod, name, NULL);
  gk = (struct gpusim_kernel){
      .symbol = k->symbol,
      .in_bytes = k->in_bytes,
      .out_bytes_per_block = k->out_bytes_per_block,
      .threads = TPP_HIP_BLOCK,
      .unit_len = k->verify_samples
                      ? (k->out_bytes_per_block - TPP_HIP_TRAILER_BYTES) / TPP_HIP_BLOCK
                      : k->out_bytes_per_block - TPP_HIP_TRAILER_BYTES,
      .trailer_bytes = TPP_HIP_TRAILER_BYTES,
      .trailer_magic = TPP_HIP_MAGIC,
      .per_thread = k->verify_samples > 0,
      .ops_per_block_per_iter = k->ops_per_block_per_iter,
      .rate = sim_rate(k->variant),
      .reference = k->reference,
  };
  return gpusim_function(fn, mod, name, &gk);
}

/* Blocks of 256 threads a CU holds: the waves a SIMD holds for each kernel's registers, as
 * test_hip_isa.sh prints them for gfx942 (4 SIMDs of wave64: blocks = waves a SIMD). */
EXPORT hipError_t
hipModuleOccupancyMaxActiveBlocksPerMultiprocessor(int *blocks, void *fn, int threads, size_t smem)
{
  const char *s = gpusim_function_symbol(fn);
  int g = gpusim_guard();
  (void)smem;
  if (g)
    return g;
  if (threads != 256)
    return SIM_INVALID_VALUE;
  *blocks = strstr(s, "mfma_f64") ? 7 : strstr(s, "mfma") ? 3 : 8;
  return SIM_OK;
}

EXPORT hipError_t
hipMalloc(void **p, size_t bytes)
{
  uint64_t d = 0;
  hipError_t r = gpusim_alloc(&d, bytes);
  *p = (void *)(uintptr_t)d;
  return r;
}

EXPORT hipError_t
hipFree(void *p)
{
  return gpusim_free((uintptr_t)p);
}

EXPORT hipError_t
hipMemcpyHtoD(void *dst, void *src, size_t n)
{
  return gpusim_htod((uintptr_t)dst, src, n);
}

EXPORT hipError_t
hipMemcpyDtoH(void *dst, void *src, size_t n)
{
  return gpusim_dtoh(dst, (uintptr_t)src, n);
}

EXPORT hipError_t
hipMemsetD8(void *dst, unsigned char v, size_t n)
{
  return gpusim_memset((uintptr_t)dst, v, n);
}

EXPORT hipError_t
hipEventCreate(void **e)
{
  return gpusim_event_create(e);
}

EXPORT hipError_t
hipEventDestroy(void *e)
{
  return gpusim_event_destroy(e);
}

EXPORT hipError_t
hipEventRecord(void *e, void *stream)
{
  (void)stream;
  return gpusim_event_record(e);
}

EXPORT hipError_t
hipEventSynchronize(void *e)
{
  return gpusim_event_sync(e);
}

EXPORT hipError_t
hipEventElapsedTime(float *ms, void *a, void *b)
{
  return gpusim_event_elapsed(ms, a, b);
}

/* The kernarg buffer (HIP_LAUNCH_PARAM_BUFFER_POINTER): a peak kernel (out, in, iters at 0, 8,
 * 16); bandwidth read/copy (in, out, n), write (out, n, v). */
EXPORT hipError_t
hipModuleLaunchKernel(void *fn, unsigned gx, unsigned gy, unsigned gz, unsigned bx, unsigned by,
                      unsigned bz, unsigned shared, void *stream, void **params, void **extra)
{
  const unsigned char *a;
  uint64_t p0, p1, n;
  uint32_t u;
  const char *symbol;
  int g = gpusim_guard();
  (void)shared;
  (void)stream;
  if (g)
    return g;
  if (!fn || params || !extra || extra[0] != (void *)1 || extra[2] != (void *)2 ||
      extra[4] != (void *)3 || gy != 1 || gz != 1 || by != 1 || bz != 1)
    return SIM_INVALID_VALUE;
  a = extra[1];
  symbol = gpusim_function_symbol(fn);
  memcpy(&p0, a, 8);
  memcpy(&p1, a + 8, 8);
  memcpy(&u, a + 16, 4);
  if (*(size_t *)extra[3] < 20)
    return SIM_INVALID_VALUE;
  if (strncmp(symbol, "tpp_hip_bw_", 11) != 0)
    return gpusim_launch_peak(fn, gx, bx, p0, p1, u);
  if (strstr(symbol, "write"))
    return gpusim_launch_bw(fn, gx, bx, p0, 0, p1, u);
  memcpy(&n, a + 16, 8);
  return gpusim_launch_bw(fn, gx, bx, p0, p1, n, 0);
}

EXPORT const char *
hipGetErrorName(hipError_t e)
{
  switch (e) {
  case SIM_OK:
    return "hipSuccess";
  case SIM_INVALID_VALUE:
    return "hipErrorInvalidValue";
  case SIM_OUT_OF_MEMORY:
    return "hipErrorOutOfMemory";
  case SIM_NOT_INITIALIZED:
    return "hipErrorNotInitialized";
  case SIM_INVALID_DEVICE:
    return "hipErrorInvalidDevice";
  case INVALID_IMAGE:
    return "hipErrorInvalidImage";
  case NO_BINARY_FOR_GPU:
    return "hipErrorNoBinaryForGpu";
  case SIM_INVALID_HANDLE:
    return "hipErrorInvalidHandle";
  case SIM_NOT_FOUND:
    return "hipErrorNotFound";
  case SIM_ILLEGAL_ADDRESS:
    return "hipErrorIllegalAddress";
  case SIM_LAUNCH_OUT_OF_RESOURCES:
    return "hipErrorLaunchOutOfResources";
  default:
    return "hipErrorUnknown";
  }
}

EXPORT const char *
hipGetErrorString(hipError_t e)
{
  switch (e) {
  case SIM_OK:
    return "no error";
  case SIM_INVALID_VALUE:
    return "invalid argument";
  case NO_BINARY_FOR_GPU:
    return "no kernel image is available for execution on the device";
  case SIM_ILLEGAL_ADDRESS:
    return "an illegal memory access was encountered";
  case SIM_LAUNCH_OUT_OF_RESOURCES:
    return "too many resources requested for launch";
  default:
    return "unknown error";
  }
}
