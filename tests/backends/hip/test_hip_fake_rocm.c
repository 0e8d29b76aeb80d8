/* test_hip_fake_rocm.c - stand-ins for ROCm's libraries, for test_hip_runtime.c: built as
 * libamdhip64.so.6 / .so.5 and libamd_smi.so / librocm_smi64.so.7 / .so.5 in directories
 * the test names as ROCM_PATH (tests/backends/hip/tests.cmake), so the loaders can be
 * checked on a machine without ROCm.  One of these is defined per library:
 *   FAKE_HIP_R0600   HIP runtime of ROCm 6: hipGetDevicePropertiesR0600 (gcnArchName at 1160)
 *   FAKE_HIP_R0000   HIP runtime of ROCm 5: hipGetDeviceProperties (gcnArchName at 396)
 *   FAKE_HIP_OLD     a runtime without hipModuleLaunchKernel
 *   FAKE_AMDSMI      amd-smi; FAKE_RSMI7, FAKE_RSMI5: rocm-smi with ROCm 6 / ROCm 5 layouts
 * The struct offsets are the ROCm headers' (see harness/backends/hip/hip_runtime.h, hip_smi.h).
 * FAKE_HIP_INIT (environment) sets what hipInit returns; FAKE_HIP_LAYOUT=bad puts
 * gcnArchName where the loader does not look. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define EXPORT __attribute__((visibility("default")))
int fake_rocm_marker(void);
EXPORT int
fake_rocm_marker(void)
{
  return 1;
}

#if defined(FAKE_HIP_R0600) || defined(FAKE_HIP_R0000) || defined(FAKE_HIP_OLD)
#define NAME "AMD Instinct MI300X"
typedef int hipError_t;
#define P(...) (__VA_ARGS__)
/* Prototypes keep -Wmissing-prototypes quiet: these are the library's exports. */
EXPORT hipError_t hipInit(unsigned f);
EXPORT hipError_t hipDriverGetVersion(int *v);
EXPORT hipError_t hipRuntimeGetVersion(int *v);
EXPORT hipError_t hipGetDeviceCount(int *n);
EXPORT hipError_t hipSetDevice(int d);
EXPORT hipError_t hipDeviceGetName(char *name, int len, int d);
EXPORT hipError_t hipDeviceGetAttribute(int *v, int attr, int d);
EXPORT hipError_t hipDeviceTotalMem(size_t *b, int d);
EXPORT hipError_t hipDeviceGetPCIBusId(char *s, int len, int d);
EXPORT hipError_t hipDeviceSynchronize(void);
EXPORT hipError_t hipModuleLoadData(void **m, const void *image);
EXPORT hipError_t hipModuleUnload(void *m);
EXPORT hipError_t hipModuleGetFunction(void **f, void *m, const char *name);
EXPORT hipError_t hipMalloc(void **p, size_t n);
EXPORT hipError_t hipFree(void *p);
EXPORT hipError_t hipMemcpyHtoD(void *d, void *s, size_t n);
EXPORT hipError_t hipMemcpyDtoH(void *d, void *s, size_t n);
EXPORT hipError_t hipMemsetD8(void *d, unsigned char v, size_t n);
EXPORT hipError_t hipEventCreate(void **e);
EXPORT hipError_t hipEventRecord(void *e, void *s);
EXPORT hipError_t hipEventSynchronize(void *e);
EXPORT hipError_t hipEventElapsedTime(float *ms, void *a, void *b);
EXPORT hipError_t hipEventDestroy(void *e);
EXPORT const char *hipGetErrorName(hipError_t e);
EXPORT const char *hipGetErrorString(hipError_t e);
EXPORT hipError_t hipDeviceReset(void);

hipError_t
hipInit(unsigned f)
{
  (void)f;
  return getenv("FAKE_HIP_INIT") ? atoi(getenv("FAKE_HIP_INIT")) : 0;
}
hipError_t
hipDriverGetVersion(int *v)
{
  *v = 60241134;
  return 0;
}
hipError_t
hipRuntimeGetVersion(int *v)
{
  *v = 60241134;
  return 0;
}
hipError_t
hipGetDeviceCount(int *n)
{
  *n = 1;
  return 0;
}
hipError_t
hipSetDevice(int d)
{
  return d == 0 ? 0 : 101;
}
hipError_t
hipDeviceGetName(char *name, int len, int d)
{
  (void)d;
  strncpy(name, NAME, (size_t)len);
  return 0;
}
hipError_t
hipDeviceGetAttribute(int *v, int attr, int d)
{
  (void)d;
  *v = attr == 63 ? 304 : attr == 5 ? 2100000 : 0;
  return 0;
}
hipError_t
hipDeviceTotalMem(size_t *b, int d)
{
  (void)d;
  *b = (size_t)192 << 30;
  return 0;
}
hipError_t
hipDeviceGetPCIBusId(char *s, int len, int d)
{
  (void)d;
  strncpy(s, "0000:c1:00.0", (size_t)len);
  return 0;
}
hipError_t
hipDeviceSynchronize(void)
{
  return 0;
}
hipError_t
hipModuleLoadData(void **m, const void *image)
{
  *m = (void *)image;
  return 0;
}
hipError_t
hipModuleUnload(void *m)
{
  (void)m;
  return 0;
}
hipError_t
hipModuleGetFunction(void **f, void *m, const char *name)
{
  (void)m;
  *f = (void *)name;
  return 0;
}
hipError_t
hipMalloc(void **p, size_t n)
{
  *p = malloc(n);
  return *p ? 0 : 2;
}
hipError_t
hipFree(void *p)
{
  free(p);
  return 0;
}
hipError_t
hipMemcpyHtoD(void *d, void *s, size_t n)
{
  memcpy(d, s, n);
  return 0;
}
hipError_t
hipMemcpyDtoH(void *d, void *s, size_t n)
{
  memcpy(d, s, n);
  return 0;
}
hipError_t
hipMemsetD8(void *d, unsigned char v, size_t n)
{
  memset(d, v, n);
  return 0;
}
hipError_t
hipEventCreate(void **e)
{
  *e = malloc(1);
  return 0;
}
hipError_t
hipEventRecord(void *e, void *s)
{
  (void)e;
  (void)s;
  return 0;
}
hipError_t
hipEventSynchronize(void *e)
{
  (void)e;
  return 0;
}
hipError_t
hipEventElapsedTime(float *ms, void *a, void *b)
{
  (void)a;
  (void)b;
  *ms = 1.5f;
  return 0;
}
hipError_t
hipEventDestroy(void *e)
{
  free(e);
  return 0;
}
const char *
hipGetErrorName(hipError_t e)
{
  return e == 100 ? "hipErrorNoDevice" : e == 35 ? "hipErrorInsufficientDriver" : "hipErrorUnknown";
}
const char *
hipGetErrorString(hipError_t e)
{
  return e == 100 ? "no ROCm-capable device is detected" : "unknown error";
}
hipError_t
hipDeviceReset(void)
{
  return 0;
}

#ifndef FAKE_HIP_OLD
/* Records the last launch for the test: grid, block, and the kernarg buffer. */
static unsigned char last_args[64];
static size_t last_size;
static unsigned last_grid, last_block;
EXPORT hipError_t hipModuleLaunchKernel(void *f, unsigned gx, unsigned gy, unsigned gz, unsigned bx,
                                        unsigned by, unsigned bz, unsigned shared, void *stream,
                                        void **params, void **extra);
EXPORT size_t fake_hip_last_launch(void *args, unsigned *grid, unsigned *block);
hipError_t
hipModuleLaunchKernel(void *f, unsigned gx, unsigned gy, unsigned gz, unsigned bx, unsigned by,
                      unsigned bz, unsigned shared, void *stream, void **params, void **extra)
{
  (void)f, (void)shared, (void)stream;
  if (params || !extra || extra[0] != (void *)1 || extra[2] != (void *)2 || extra[4] != (void *)3 ||
      gy != 1 || gz != 1 || by != 1 || bz != 1)
    return 1; /* hipErrorInvalidValue */
  last_size = *(size_t *)extra[3];
  if (last_size > sizeof(last_args))
    return 1;
  memcpy(last_args, extra[1], last_size);
  last_grid = gx;
  last_block = bx;
  return 0;
}
size_t
fake_hip_last_launch(void *args, unsigned *grid, unsigned *block)
{
  memcpy(args, last_args, last_size);
  *grid = last_grid;
  *block = last_block;
  return last_size;
}
#endif

static hipError_t
props(void *p, int d, size_t size, size_t arch_at, const char *arch)
{
  const char *bad = getenv("FAKE_HIP_LAYOUT");
  (void)d;
  memset(p, 0, size);
  strcpy(p, NAME);
  if (bad && strcmp(bad, "bad") == 0)
    arch_at += 8;
  strcpy((char *)p + arch_at, arch);
  return 0;
}

#ifdef FAKE_HIP_R0000
EXPORT hipError_t hipGetDeviceProperties(void *p, int d);
hipError_t
hipGetDeviceProperties(void *p, int d)
{
  return props(p, d, 792, 396, "gfx90a:sramecc+:xnack-");
}
#else
EXPORT hipError_t hipGetDevicePropertiesR0600(void *p, int d);
hipError_t
hipGetDevicePropertiesR0600(void *p, int d)
{
  return props(p, d, 1472, 1160, "gfx942:sramecc+:xnack-");
}
#endif
#endif /* runtimes */

#ifdef FAKE_AMDSMI
/* The device at 0000:c1:00.0: amdsmi_bdf_t function | device << 3 | bus << 8 | domain << 16. */
EXPORT int amdsmi_init(uint64_t flags);
EXPORT int amdsmi_get_processor_handle_from_bdf(uint64_t bdf, void **h);
EXPORT int amdsmi_get_clock_info(void *h, int type, void *info);
EXPORT int amdsmi_get_temp_metric(void *h, int sensor, int metric, int64_t *t);
EXPORT int amdsmi_get_energy_count(void *h, uint64_t *e, float *res, uint64_t *ts);
EXPORT int amdsmi_get_violation_status(void *h, void *v);
int
amdsmi_init(uint64_t flags)
{
  return flags == 2 ? 0 : 1;
}
int
amdsmi_get_processor_handle_from_bdf(uint64_t bdf, void **h)
{
  *h = (void *)0x1234;
  return bdf == 0xc100 ? 0 : 2;
}
int
amdsmi_get_clock_info(void *h, int type, void *info)
{
  uint32_t c[3] = {2050, 500, 2100}; /* clk, min_clk, max_clk */
  if (h != (void *)0x1234 || type != 0)
    return 2;
  memcpy(info, c, sizeof(c));
  return 0;
}
int
amdsmi_get_temp_metric(void *h, int sensor, int metric, int64_t *t)
{
  (void)h;
  *t = sensor == 1 ? 81000 : 60000;
  return metric == 0 ? 0 : 2;
}
int
amdsmi_get_energy_count(void *h, uint64_t *e, float *res, uint64_t *ts)
{
  (void)h;
  *e = 2000000;
  *res = 15.25f;
  *ts = 3000000000ull;
  return 0;
}
int
amdsmi_get_violation_status(void *h, void *v)
{
  unsigned char *b = v;
  (void)h;
  memset(b, 0, 13 * 8);
  b[104] = 0;    /* prochot */
  b[105] = 1;    /* PPT (power) active */
  b[106] = 0;    /* socket thermal */
  b[107] = 0xff; /* VR: unsupported */
  b[108] = 1;    /* HBM thermal active */
  return 0;
}
#endif

#if defined(FAKE_RSMI7) || defined(FAKE_RSMI5)
EXPORT int rsmi_init(uint64_t flags);
EXPORT int rsmi_num_monitor_devices(uint32_t *n);
EXPORT int rsmi_dev_pci_id_get(uint32_t i, uint64_t *id);
EXPORT int rsmi_dev_gpu_clk_freq_get(uint32_t i, int type, void *f);
EXPORT int rsmi_dev_temp_metric_get(uint32_t i, uint32_t sensor, int metric, int64_t *t);
EXPORT int rsmi_dev_energy_count_get(uint32_t i, uint64_t *e, float *res, uint64_t *ts);
int
rsmi_init(uint64_t flags)
{
  return flags == 1 ? 0 : 1;
}
int
rsmi_num_monitor_devices(uint32_t *n)
{
  *n = 2;
  return 0;
}
/* Device 1 is 0000:c1:00.0, in partition 2 (bits 28-31, which the loader ignores). */
int
rsmi_dev_pci_id_get(uint32_t i, uint64_t *id)
{
  *id = i == 1 ? 0x2000c100ull : 0x4100ull;
  return 0;
}
int
rsmi_dev_gpu_clk_freq_get(uint32_t i, int type, void *f)
{
  /* rsmi_frequencies_t: [bool has_deep_sleep (ROCm 6)]; uint32 num_supported; uint32 current;
   * uint64 frequency[33] (8-aligned) */
  struct {
#ifdef FAKE_RSMI7
    _Bool has_deep_sleep;
#endif
    uint32_t num_supported, current;
    uint64_t frequency[33];
  } fr = {0};
  if (i != 1 || type != 0)
    return 2;
  fr.num_supported = 3;
  fr.current = 2;
  fr.frequency[0] = 500000000;
  fr.frequency[1] = 1300000000;
  fr.frequency[2] = 1700000000;
  memcpy(f, &fr, sizeof(fr));
  return 0;
}
int
rsmi_dev_temp_metric_get(uint32_t i, uint32_t sensor, int metric, int64_t *t)
{
  (void)i;
  *t = sensor == 1 ? 70000 : 50000;
  return metric == 0 ? 0 : 2;
}
int
rsmi_dev_energy_count_get(uint32_t i, uint64_t *e, float *res, uint64_t *ts)
{
  (void)i;
  *e = 1000;
  *res = 1000.0f;
  *ts = 1000000000ull;
  return 0;
}
#endif
