/* cudasim.c - a simulated CUDA driver (libcuda.so.1) for tests: the slice of the driver API
 * tppbench loads, with simulated H100 devices, over the engine it shares with the simulated
 * HIP runtime (tests/backends/gpu/sim/gpusim.h, which lists the faults the environment
 * injects).  Never installed, never linked into tppbench: a test puts its directory first on
 * LD_LIBRARY_PATH and tppbench's ordinary dlopen("libcuda.so.1") finds it.  It exports
 * tppsim_driver_is_simulated, so tppbench marks every device "simulated" in its results; the
 * device names say so too.  Kernels are "run" with the host references the checks use
 * (cuda_kernels.h reference()).
 *
 * Environment, besides gpusim.h's faults:
 *   TPPSIM_DRIVER_VERSION=V     cuDriverGetVersion (default 13000); TPPSIM_DRIVER_STRING
 *                               the NVML driver version (default "580.65.06")
 *   TPPSIM_NVML_FAIL=1          nvmlInit fails (libnvidia-ml.so.1 of this directory)
 *   TPPSIM_NVML_NOT_SUPPORTED=F,...  the named NVML board functions return
 *                               NVML_ERROR_NOT_SUPPORTED (nvmlsim.c)
 *   TPPSIM_APP_CLOCK_SM=MHZ     the SM application clock, away from its default (1980)
 *   TPPSIM_IMAGE_LOG=FILE       cuModuleLoadData appends the kind of each image to FILE;
 *                               images the driver version cannot load are refused (209)
 * TPPSIM_THROTTLE caps the SM clock from 1755 to 1275 MHz (NVML: sw_power_cap).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cuda/cuda_kernels.h"
#include "gpusim.h"

#define EXPORT __attribute__((visibility("default")))

typedef int CUresult;

EXPORT int tppsim_driver_is_simulated = 1;

/* The simulated H100 SXM: 132 SMs, 1755 MHz under load (1275 capped), 345 idle, 1980 max;
 * ~3.05 TB/s; 642 W busy, 699.5 W at the power cap, 71.8 W idle. */
static const struct gpusim_config h100 = {132,     1755,    345,   1980,  1275, 3.05e12,
                                          3.12e12, 2.98e12, 642.3, 699.5, 71.8};

EXPORT struct tppsim_state *
tppsim_get_state(void)
{
  return &tppsim;
}

static int initialised;
static _Thread_local int current = -1; /* device of the current context (per thread) */

EXPORT CUresult
cuInit(unsigned flags)
{
  (void)flags;
  if (!initialised) {
    gpusim_init(&h100);
    initialised = 1;
  }
  return SIM_OK;
}

EXPORT CUresult
cuDriverGetVersion(int *v)
{
  const char *e = gpusim_env("TPPSIM_DRIVER_VERSION");
  *v = e ? atoi(e) : 13000;
  return SIM_OK;
}

EXPORT CUresult
cuDeviceGetCount(int *n)
{
  if (!initialised)
    return SIM_NOT_INITIALIZED;
  *n = tppsim.devices;
  return SIM_OK;
}

EXPORT CUresult
cuDeviceGet(int *d, int i)
{
  if (i < 0 || i >= tppsim.devices)
    return SIM_INVALID_DEVICE;
  *d = i;
  return SIM_OK;
}

EXPORT CUresult
cuDeviceGetName(char *name, int len, int d)
{
  (void)d;
  snprintf(name, (size_t)len, "NVIDIA H100 80GB HBM3 (simulated)");
  return SIM_OK;
}

EXPORT CUresult
cuDeviceGetAttribute(int *v, int attr, int d)
{
  switch (attr) {
  case 13: /* clock rate, kHz */
    *v = 1980000;
    return SIM_OK;
  case 16: /* SMs */
    *v = 132;
    return SIM_OK;
  case 33: /* PCI bus */
    *v = 0x18 + 0x10 * d;
    return SIM_OK;
  case 34:
  case 50:
    *v = 0;
    return SIM_OK;
  case 75:
    *v = 9;
    return SIM_OK;
  case 76:
    *v = 0;
    return SIM_OK;
  case 97:
    *v = 227 * 1024;
    return SIM_OK;
  default:
    return SIM_INVALID_VALUE;
  }
}

EXPORT CUresult
cuDeviceTotalMem_v2(size_t *bytes, int d)
{
  (void)d;
  *bytes = 85031714816ull; /* what an H100 80GB HBM3 reports */
  return SIM_OK;
}

typedef struct {
  char bytes[16];
} CUuuid;

EXPORT CUresult
cuDeviceGetUuid_v2(CUuuid *u, int d)
{
  for (int i = 0; i < 16; i++)
    u->bytes[i] = (char)(0x5a + 7 * i + d);
  return SIM_OK;
}

EXPORT CUresult
cuDevicePrimaryCtxRetain(void **ctx, int d)
{
  if (gpusim_lost())
    return SIM_UNKNOWN;
  *ctx = (void *)(uintptr_t)(0x1000 + d);
  return SIM_OK;
}

EXPORT CUresult
cuDevicePrimaryCtxRelease_v2(int d)
{
  (void)d;
  return SIM_OK;
}

EXPORT CUresult
cuDevicePrimaryCtxReset_v2(int d)
{
  (void)d;
  return gpusim_reset();
}

EXPORT CUresult
cuCtxSetCurrent(void *ctx)
{
  if (gpusim_lost())
    return SIM_UNKNOWN;
  current = ctx ? (int)((uintptr_t)ctx - 0x1000) : -1;
  return SIM_OK;
}

EXPORT CUresult
cuCtxSynchronize(void)
{
  return gpusim_guard();
}

/* What a driver of `version` does with `image` on the simulated sm_90: a fatbin (magic
 * 0xba55ed50) is taken as the CUDA 13 build, which drivers older than CUDA 13.0 cannot load;
 * a cubin (ELF, NVIDIA ABI 0x33) of ABI version 7 (CUDA 12 compilers) runs only if built for
 * sm_90 (its e_flags' low byte).  Which image was loaded goes to TPPSIM_IMAGE_LOG, a file
 * the test reads ("fatbin" or "cubin sm_N" a line). */
static CUresult
check_image(const unsigned char *img)
{
  const char *logpath = gpusim_env("TPPSIM_IMAGE_LOG");
  char what[32];
  int version = 0;
  CUresult r = SIM_OK;

  cuDriverGetVersion(&version);
  if (img[0] == 0x50 && img[1] == 0xed && img[2] == 0x55 && img[3] == 0xba) {
    snprintf(what, sizeof(what), "fatbin");
    if (version < 13000)
      r = 209; /* what a real R570 answers is unmeasured; the backend never asks it */
  } else if (memcmp(img,
                    "\x7f"
                    "ELF",
                    4) == 0 &&
             img[7] == 0x33 && img[8] == 7) {
    uint32_t flags;
    memcpy(&flags, img + 48, sizeof(flags));
    snprintf(what, sizeof(what), "cubin sm_%u", flags & 0xff);
    if ((flags & 0xff) != 90)
      r = 209;
  } else {
    return 200; /* CUDA_ERROR_INVALID_IMAGE */
  }
  if (logpath) {
    FILE *f = fopen(logpath, "a");
    if (f) {
      fprintf(f, "%s%s\n", what, r ? " refused" : "");
      fclose(f);
    }
  }
  return r;
}

EXPORT CUresult
cuModuleLoadData(void **mod, const void *image)
{
  CUresult r;
  if (!image)
    return SIM_INVALID_VALUE;
  if ((r = check_image(image)) != SIM_OK)
    return r;
  return gpusim_module_load(mod);
}

EXPORT CUresult
cuModuleUnload(void *mod)
{
  return gpusim_module_unload(mod);
}

/* Simulated sustained ops per clock per SM (a multiply-add counts 2) of the H100 for each
 * kernel: below the per-clock peaks of profiles/cuda-rates.json as a real run would be. */
static double
sim_rate(const struct tpp_cuda_kernel *k)
{
  static const struct {
    const char *variant;
    double ops;
  } rates[] = {
      {"dfma",              125 },
      {"ffma",              250 },
      {"hfma2.bf16",        500 },
      {"hfma2",             502 },
      {"imad",              124 },
      {"idp4a",             480 },
      {"dmma.m16n8k16",     246 },
      {"dmma.m8n8k4",       120 },
      {"wgmma.m64n256k8",   1930},
      {"wgmma.m64n256k16",  3880},
      {"wgmma.m64n256k32",  7700},
      {"hmma.m16n8k8.tf32", 1240},
      {"hmma.m16n8k16",     2600},
      {"imma.m16n8k32",     4700},
  };
  for (size_t i = 0; i < sizeof(rates) / sizeof(rates[0]); i++)
    if (strncmp(k->variant, rates[i].variant, strlen(rates[i].variant)) == 0)
      return rates[i].ops;
  return 1000;
}

EXPORT CUresult
cuModuleGetFunction(void **fn, void *mod, const char *name)
{
  const struct tpp_cuda_kernel *const *ks = tpp_cuda_kernels();
  const struct tpp_cuda_kernel *k = NULL;
  struct gpusim_kernel gk;
  for (size_t i = 0; ks[i]; i++)
    if (strcmp(ks[i]->symbol, name) == 0 && 90 >= ks[i]->min_cc &&
        (ks[i]->max_cc == 0 || 90 <= ks[i]->max_cc))
      k = ks[i];
  if (!k && strncmp(name, "tpp_cuda_bw_", 12) != 0)
    return gpusim_guard() ? gpusim_guard() : SIM_NOT_FOUND;
  if (!k)
    return gpusim_function(fn, mod, name, NULL);
  gk = (struct gpusim_kernel){
      .symbol = k->symbol,
      .in_bytes = k->in_bytes,
      .out_bytes_per_block = k->out_bytes_per_block,
      .threads = k->threads_per_block,
      .unit_len = k->verify_samples ? k->out_bytes_per_block / k->threads_per_block
                                    : k->out_bytes_per_block,
      .per_thread = k->verify_samples > 0,
      .ops_per_block_per_iter = k->ops_per_block_per_iter,
      .rate = sim_rate(k),
      .reference = k->reference,
  };
  return gpusim_function(fn, mod, name, &gk);
}

EXPORT CUresult
cuFuncSetAttribute(void *fn, int attr, int v)
{
  (void)fn;
  (void)attr;
  (void)v;
  return gpusim_guard();
}

/* Registers a thread of each kernel as ptxas gives them for sm_90 (CUDA 13.0, printed by
 * tests/backends/cuda/test_cuda_sass.sh), for the occupancy answer. */
static int
registers(const char *symbol)
{
  if (strstr(symbol, "wgmma"))
    return 154;
  if (strstr(symbol, "dmma_k16"))
    return 66;
  if (strstr(symbol, "dfma"))
    return 46;
  if (strstr(symbol, "qmma"))
    return 45;
  if (strstr(symbol, "hfma2"))
    return 40;
  if (strstr(symbol, "dp4a"))
    return 39;
  return 32;
}

EXPORT CUresult
cuOccupancyMaxActiveBlocksPerMultiprocessor(int *blocks, void *fn, int threads, size_t smem)
{
  const char *symbol = gpusim_function_symbol(fn);
  int regs = (registers(symbol) + 7) / 8 * 8, by_regs, by_threads, by_smem = 32;
  int g = gpusim_guard();
  if (g)
    return g;
  if (threads <= 0 || threads > 1024)
    return SIM_INVALID_VALUE;
  by_regs = 65536 / (regs * threads);
  by_threads = 2048 / threads;
  if (strstr(symbol, "wgmma"))
    by_smem = 233472 / (13312 + 1024);
  (void)smem;
  *blocks = by_regs < by_threads ? by_regs : by_threads;
  if (by_smem < *blocks)
    *blocks = by_smem;
  return SIM_OK;
}

EXPORT CUresult
cuMemAlloc_v2(unsigned long long *p, size_t bytes)
{
  uint64_t d = 0;
  CUresult r = gpusim_alloc(&d, bytes);
  *p = d;
  return r;
}

EXPORT CUresult
cuMemFree_v2(unsigned long long p)
{
  return gpusim_free(p);
}

EXPORT CUresult
cuMemcpyHtoD_v2(unsigned long long dst, const void *src, size_t n)
{
  return gpusim_htod(dst, src, n);
}

EXPORT CUresult
cuMemcpyDtoH_v2(void *dst, unsigned long long src, size_t n)
{
  return gpusim_dtoh(dst, src, n);
}

EXPORT CUresult
cuMemsetD8_v2(unsigned long long dst, unsigned char v, size_t n)
{
  return gpusim_memset(dst, v, n);
}

EXPORT CUresult
cuEventCreate(void **e, unsigned flags)
{
  (void)flags;
  return gpusim_event_create(e);
}

EXPORT CUresult
cuEventDestroy_v2(void *e)
{
  return gpusim_event_destroy(e);
}

EXPORT CUresult
cuEventRecord(void *e, void *stream)
{
  (void)stream;
  return gpusim_event_record(e);
}

EXPORT CUresult
cuEventSynchronize(void *e)
{
  return gpusim_event_sync(e);
}

EXPORT CUresult
cuEventElapsedTime_v2(float *ms, void *a, void *b)
{
  return gpusim_event_elapsed(ms, a, b);
}

EXPORT CUresult
cuEventElapsedTime(float *ms, void *a, void *b)
{
  return gpusim_event_elapsed(ms, a, b);
}

/* kernelParams: a peak kernel (out, in, iters); bandwidth read/copy (in, out, n), write
 * (out, n, v). */
EXPORT CUresult
cuLaunchKernel(void *fn, unsigned gx, unsigned gy, unsigned gz, unsigned bx, unsigned by,
               unsigned bz, unsigned smem, void *stream, void **params, void **extra)
{
  const char *symbol;
  int g = gpusim_guard();
  (void)gy;
  (void)gz;
  (void)by;
  (void)bz;
  (void)smem;
  (void)stream;
  (void)extra;
  if (g)
    return g;
  if (!fn || !params)
    return SIM_INVALID_VALUE;
  symbol = gpusim_function_symbol(fn);
  if (strncmp(symbol, "tpp_cuda_bw_", 12) != 0)
    return gpusim_launch_peak(fn, gx, bx, *(unsigned long long *)params[0],
                              *(unsigned long long *)params[1], *(unsigned *)params[2]);
  if (strstr(symbol, "write"))
    return gpusim_launch_bw(fn, gx, bx, *(unsigned long long *)params[0], 0,
                            *(unsigned long long *)params[1], *(unsigned *)params[2]);
  return gpusim_launch_bw(fn, gx, bx, *(unsigned long long *)params[0],
                          *(unsigned long long *)params[1], *(unsigned long long *)params[2], 0);
}

/* The driver's name and text of each error the simulation returns. */
static const struct {
  int code;
  const char *name, *text;
} sim_errors[] = {
    {SIM_OK,                      "CUDA_SUCCESS",                       "no error"                                },
    {SIM_INVALID_VALUE,           "CUDA_ERROR_INVALID_VALUE",           "invalid argument"                        },
    {2,                           "CUDA_ERROR_OUT_OF_MEMORY",           "out of memory"                           },
    {SIM_NOT_INITIALIZED,         "CUDA_ERROR_NOT_INITIALIZED",         "initialization error"                    },
    {SIM_INVALID_DEVICE,          "CUDA_ERROR_INVALID_DEVICE",          "invalid device ordinal"                  },
    {209,                         "CUDA_ERROR_NO_BINARY_FOR_GPU",
     "no kernel image is available for execution on the device"                                                   },
    {222,                         "CUDA_ERROR_UNSUPPORTED_PTX_VERSION",
     "the provided PTX was compiled with an unsupported toolchain."                                               },
    {SIM_INVALID_HANDLE,          "CUDA_ERROR_INVALID_HANDLE",          "invalid resource handle"                 },
    {SIM_NOT_FOUND,               "CUDA_ERROR_NOT_FOUND",               "named symbol not found"                  },
    {SIM_ILLEGAL_ADDRESS,         "CUDA_ERROR_ILLEGAL_ADDRESS",         "an illegal memory access was encountered"},
    {SIM_LAUNCH_OUT_OF_RESOURCES, "CUDA_ERROR_LAUNCH_OUT_OF_RESOURCES",
     "too many resources requested for launch"                                                                    },
    {SIM_UNKNOWN,                 "CUDA_ERROR_UNKNOWN",                 "unknown error"                           },
};

/* The entry of r in sim_errors, or NULL. */
static const char *
sim_error(CUresult r, int text)
{
  for (size_t i = 0; i < sizeof(sim_errors) / sizeof(sim_errors[0]); i++)
    if (sim_errors[i].code == (int)r)
      return text ? sim_errors[i].text : sim_errors[i].name;
  return NULL;
}

EXPORT CUresult
cuGetErrorName(CUresult r, const char **s)
{
  *s = sim_error(r, 0);
  return *s ? SIM_OK : SIM_INVALID_VALUE;
}

EXPORT CUresult
cuGetErrorString(CUresult r, const char **s)
{
  *s = sim_error(r, 1);
  return *s ? SIM_OK : SIM_INVALID_VALUE;
}

/* The clock NVML reports now (nvmlsim.c): busy while a launch is in flight. */
EXPORT double
tppsim_clock_mhz(void)
{
  return gpusim_clock_mhz();
}
