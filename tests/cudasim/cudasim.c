/* cudasim.c - a simulated CUDA driver (libcuda.so.1) for tests: the slice of the driver API
 * tppbench loads, with simulated H100 devices.  Never installed, never linked into
 * tppbench: a test puts its directory first on LD_LIBRARY_PATH and tppbench's ordinary
 * dlopen("libcuda.so.1") finds it.  It exports tppsim_driver_is_simulated, so tppbench marks
 * every device "simulated" in its results; the device names say so too.
 *
 * Kernels are "run" with the host references the checks use (cuda_kernels.h reference()):
 * device memory is lazy, a buffer remembers what last wrote it (a kernel launch, a write
 * pattern, a copy, a memset, host bytes) and computes only the bytes read back.  Time is
 * simulated: a launch takes ops / (rate x SMs x clock) from the simulated rates below, and
 * events report it; cuEventSynchronize sleeps a small fraction of it (TPPSIM_TIME_SCALE,
 * default 0.02) so that NVML sampling sees the kernel in flight.
 *
 * Environment (faults take a kernel symbol, e.g. tpp_cuda_ffma, or "*" for every kernel):
 *   TPPSIM_DEVICES=N            simulated GPUs (default 1, at most 8)
 *   TPPSIM_DRIVER_VERSION=V     cuDriverGetVersion (default 13000); TPPSIM_DRIVER_STRING
 *                               the NVML driver version (default "580.65.06")
 *   TPPSIM_FAIL_LAUNCH=SYM[:E]  cuLaunchKernel of SYM returns E (default 701,
 *                               CUDA_ERROR_LAUNCH_OUT_OF_RESOURCES)
 *   TPPSIM_STICKY=SYM[:N]       the N-th launch of SYM (default 5) faults with 700
 *                               (CUDA_ERROR_ILLEGAL_ADDRESS) at synchronisation; every call
 *                               then fails so until cuDevicePrimaryCtxReset
 *   TPPSIM_DEVICE_LOST=SYM[:N]  the N-th launch of SYM loses the device: every call from
 *                               then on, the reset included, fails with 999
 *   TPPSIM_WRONG=SYM            SYM's output has one wrong element
 *   TPPSIM_SKIP=SYM[:K]         SYM runs K iterations fewer (default 1)
 *   TPPSIM_THROTTLE=SYM         while SYM's timed launches run, the SM clock drops from 1755
 *                               to 1275 MHz after the third launch (sw_power_cap)
 *   TPPSIM_SPEEDUP=SYM[:F]      SYM reports F times (default 1.5) its simulated time less
 *   TPPSIM_NVML_FAIL=1          nvmlInit fails (libnvidia-ml.so.1 of this directory)
 */
#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cuda/cuda_kernels.h"
#include "cudasim.h"

#define EXPORT __attribute__((visibility("default")))

typedef int CUresult;
enum {
  OK = 0,
  ERR_INVALID_VALUE = 1,
  ERR_NOT_INITIALIZED = 3,
  ERR_INVALID_DEVICE = 101,
  ERR_INVALID_CONTEXT = 201,
  ERR_INVALID_HANDLE = 400,
  ERR_NOT_FOUND = 500,
  ERR_ILLEGAL_ADDRESS = 700,
  ERR_LAUNCH_OUT_OF_RESOURCES = 701,
  ERR_UNKNOWN = 999,
};

/* --- the simulated devices ------------------------------------------------------------- */

struct tppsim_state tppsim;

EXPORT int tppsim_driver_is_simulated = 1;

EXPORT struct tppsim_state *
tppsim_get_state(void)
{
  return &tppsim;
}

static const char *
env(const char *name)
{
  const char *v = getenv(name);
  return v && *v ? v : NULL;
}

/* "SYM[:N]": does it name symbol sym?  *arg gets N (or dflt). */
static int
fault_for(const char *var, const char *sym, double *arg, double dflt)
{
  const char *v = env(var), *colon;
  size_t n;
  if (!v)
    return 0;
  colon = strchr(v, ':');
  n = colon ? (size_t)(colon - v) : strlen(v);
  if (!(n == 1 && v[0] == '*') && (strlen(sym) != n || strncmp(v, sym, n) != 0))
    return 0;
  if (arg)
    *arg = colon ? atof(colon + 1) : dflt;
  return 1;
}

/* --- memory: lazy buffers ---------------------------------------------------------------- */

enum content { C_FILL, C_HOST, C_KERNEL, C_PATTERN, C_READ };

struct buffer {
  unsigned long long base;
  size_t size;
  int live;
  unsigned generation;
  enum content what;
  unsigned char fill;
  unsigned char *host;             /* C_HOST */
  const struct tpp_cuda_kernel *k; /* C_KERNEL: its output, blocks launched */
  _Alignas(16) unsigned char in[16384];
  unsigned iters;
  size_t blocks;
  int wrong;
  unsigned v;                    /* C_PATTERN: element i = i ^ v; C_READ: the input's v */
  unsigned long long n, threads; /* C_PATTERN / C_READ: elements, threads of the read */
};

#define MAX_BUFFERS 256
static struct buffer buffers[MAX_BUFFERS];
static unsigned long long next_base = 0x700000000000ull;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

static struct buffer *
find_buffer(unsigned long long p, size_t *off)
{
  for (int i = 0; i < MAX_BUFFERS; i++)
    if (buffers[i].live && p >= buffers[i].base && p < buffers[i].base + buffers[i].size) {
      *off = (size_t)(p - buffers[i].base);
      return &buffers[i];
    }
  return NULL;
}

static void
set_content(struct buffer *b, enum content what)
{
  if (what != C_HOST) {
    free(b->host);
    b->host = NULL;
  }
  b->what = what;
}

/* One output unit (a sampled thread's value, or a block) of a kernel, memoised: the same
 * kernel, operands and count give the same bytes. */
struct memo {
  const struct tpp_cuda_kernel *k;
  unsigned iters;
  size_t unit;
  uint64_t in_hash;
  unsigned char *bytes;
};
#define MEMO_SIZE 512
static struct memo memo[MEMO_SIZE];
static int memo_next;

static uint64_t
fnv(const unsigned char *p, size_t n)
{
  uint64_t h = 1469598103934665603ull;
  for (size_t i = 0; i < n; i++)
    h = (h ^ p[i]) * 1099511628211ull;
  return h;
}

static const unsigned char *
unit_bytes(const struct buffer *b, size_t unit, size_t unit_len)
{
  uint64_t h = fnv(b->in, b->k->in_bytes);
  /* every block of an mma / wgmma kernel is the same: block 0 stands for all */
  size_t key = b->k->verify_samples ? unit : 0;
  for (int i = 0; i < MEMO_SIZE; i++)
    if (memo[i].bytes && memo[i].k == b->k && memo[i].iters == b->iters && memo[i].unit == key &&
        memo[i].in_hash == h)
      return memo[i].bytes;
  struct memo *m = &memo[memo_next];
  memo_next = (memo_next + 1) % MEMO_SIZE;
  free(m->bytes);
  m->bytes = calloc(1, unit_len);
  m->k = b->k;
  m->iters = b->iters;
  m->unit = key;
  m->in_hash = h;
  b->k->reference(b->in, b->iters, key, m->bytes);
  return m->bytes;
}

/* The bytes [off, off + n) of b into dst. */
static void
read_bytes(struct buffer *b, size_t off, unsigned char *dst, size_t n)
{
  switch (b->what) {
  case C_FILL:
    memset(dst, b->fill, n);
    return;
  case C_HOST:
    memcpy(dst, b->host + off, n);
    return;
  case C_PATTERN:
  case C_READ:
    for (size_t i = 0; i < n; i++) {
      size_t byte = off + i, e = byte / 16;
      uint32_t word = 0;
      if (b->what == C_PATTERN)
        word = e < b->n ? (uint32_t)e ^ b->v : 0;
      else
        for (unsigned long long j = e; j < b->n; j += b->threads)
          word ^= (uint32_t)j ^ b->v;
      dst[i] = (unsigned char)(word >> (8 * (byte % 4)));
    }
    return;
  case C_KERNEL: {
    const struct tpp_cuda_kernel *k = b->k;
    size_t unit_len = k->verify_samples ? k->out_bytes_per_block / k->threads_per_block
                                        : k->out_bytes_per_block;
    size_t limit = b->blocks * k->out_bytes_per_block;
    for (size_t i = 0; i < n;) {
      size_t byte = off + i, unit = byte / unit_len, in_unit = byte % unit_len;
      size_t take = unit_len - in_unit < n - i ? unit_len - in_unit : n - i;
      if (byte >= limit)
        memset(dst + i, 0, take);
      else
        memcpy(dst + i, unit_bytes(b, unit, unit_len) + in_unit, take);
      if (b->wrong) {
        /* one wrong element: a sampled thread's value, or element 5 of block 1 */
        size_t bad = k->verify_samples ? 0
                                       : k->out_bytes_per_block * (b->blocks > 1 ? 1 : 0) + 5 * 4;
        for (size_t j = 0; j < take; j++)
          if (byte + j == bad + 1)
            dst[i + j] ^= 0x10;
      }
      i += take;
    }
    return;
  }
  }
}

/* --- the driver API ---------------------------------------------------------------------- */

static int initialised;

struct event {
  double ns; /* simulated device time when recorded */
  int live;
};
#define MAX_EVENTS 64
static struct event events[MAX_EVENTS];

struct module {
  int live;
  unsigned generation;
};
static struct module modules[64];

struct function {
  const struct tpp_cuda_kernel *k; /* NULL for the bandwidth kernels */
  const char *symbol;
};
static struct function functions[64];
static int n_functions;

static int current = -1;            /* device of the current context */
static double device_ns;            /* simulated device clock */
static double pending_ns;           /* duration of the launch in flight */
static atomic_int pending_throttle; /* read by clock_now on the sampler thread too */
static int launch_counts[64];       /* per function */
static CUresult sticky;             /* the context's sticky error */
static int lost;                    /* the device is gone */

static void
sim_init_devices(void)
{
  const char *n = env("TPPSIM_DEVICES");
  tppsim.devices = n ? atoi(n) : 1;
  if (tppsim.devices < 1)
    tppsim.devices = 1;
  if (tppsim.devices > 8)
    tppsim.devices = 8;
  tppsim.clock_busy_mhz = 1755;
  tppsim.clock_idle_mhz = 345;
  tppsim.clock_max_mhz = 1980;
}

EXPORT CUresult
cuInit(unsigned flags)
{
  (void)flags;
  if (!initialised) {
    sim_init_devices();
    initialised = 1;
  }
  return OK;
}

EXPORT CUresult
cuDriverGetVersion(int *v)
{
  const char *e = env("TPPSIM_DRIVER_VERSION");
  *v = e ? atoi(e) : 13000;
  return OK;
}

EXPORT CUresult
cuDeviceGetCount(int *n)
{
  if (!initialised)
    return ERR_NOT_INITIALIZED;
  *n = tppsim.devices;
  return OK;
}

EXPORT CUresult
cuDeviceGet(int *d, int i)
{
  if (i < 0 || i >= tppsim.devices)
    return ERR_INVALID_DEVICE;
  *d = i;
  return OK;
}

EXPORT CUresult
cuDeviceGetName(char *name, int len, int d)
{
  (void)d;
  snprintf(name, (size_t)len, "NVIDIA H100 80GB HBM3 (simulated)");
  return OK;
}

EXPORT CUresult
cuDeviceGetAttribute(int *v, int attr, int d)
{
  switch (attr) {
  case 13: /* clock rate, kHz */
    *v = 1980000;
    return OK;
  case 16: /* SMs */
    *v = 132;
    return OK;
  case 33: /* PCI bus */
    *v = 0x18 + 0x10 * d;
    return OK;
  case 34:
  case 50:
    *v = 0;
    return OK;
  case 75:
    *v = 9;
    return OK;
  case 76:
    *v = 0;
    return OK;
  case 97:
    *v = 227 * 1024;
    return OK;
  default:
    return ERR_INVALID_VALUE;
  }
}

EXPORT CUresult
cuDeviceTotalMem_v2(size_t *bytes, int d)
{
  (void)d;
  *bytes = 85031714816ull; /* what an H100 80GB HBM3 reports */
  return OK;
}

typedef struct {
  char bytes[16];
} CUuuid;

EXPORT CUresult
cuDeviceGetUuid_v2(CUuuid *u, int d)
{
  for (int i = 0; i < 16; i++)
    u->bytes[i] = (char)(0x5a + 7 * i + d);
  return OK;
}

EXPORT CUresult
cuDevicePrimaryCtxRetain(void **ctx, int d)
{
  if (lost)
    return ERR_UNKNOWN;
  *ctx = (void *)(uintptr_t)(0x1000 + d);
  return OK;
}

EXPORT CUresult
cuDevicePrimaryCtxRelease_v2(int d)
{
  (void)d;
  return OK;
}

static void
drop_context(void)
{
  for (int i = 0; i < MAX_BUFFERS; i++)
    if (buffers[i].live) {
      free(buffers[i].host);
      memset(&buffers[i], 0, sizeof(buffers[i]));
    }
  memset(events, 0, sizeof(events));
  memset(modules, 0, sizeof(modules));
  tppsim.generation++;
}

EXPORT CUresult
cuDevicePrimaryCtxReset_v2(int d)
{
  (void)d;
  if (lost)
    return ERR_UNKNOWN;
  drop_context();
  sticky = OK;
  tppsim.resets++;
  return OK;
}

EXPORT CUresult
cuCtxSetCurrent(void *ctx)
{
  if (lost)
    return ERR_UNKNOWN;
  current = ctx ? (int)((uintptr_t)ctx - 0x1000) : -1;
  return OK;
}

/* Every call in a poisoned context returns the sticky error. */
#define GUARD()           \
  do {                    \
    if (lost)             \
      return ERR_UNKNOWN; \
    if (sticky)           \
      return sticky;      \
  } while (0)

EXPORT CUresult
cuCtxSynchronize(void)
{
  GUARD();
  return OK;
}

EXPORT CUresult
cuModuleLoadData(void **mod, const void *image)
{
  GUARD();
  if (!image)
    return ERR_INVALID_VALUE;
  for (int i = 0; i < 64; i++)
    if (!modules[i].live) {
      modules[i].live = 1;
      *mod = &modules[i];
      return OK;
    }
  return ERR_LAUNCH_OUT_OF_RESOURCES;
}

EXPORT CUresult
cuModuleUnload(void *mod)
{
  struct module *m = mod;
  if (m)
    m->live = 0;
  return OK;
}

EXPORT CUresult
cuModuleGetFunction(void **fn, void *mod, const char *name)
{
  const struct tpp_cuda_kernel *const *ks = tpp_cuda_kernels();
  const struct tpp_cuda_kernel *k = NULL;
  GUARD();
  if (!mod || !((struct module *)mod)->live)
    return ERR_INVALID_HANDLE;
  for (size_t i = 0; ks[i]; i++)
    if (strcmp(ks[i]->symbol, name) == 0 && 90 >= ks[i]->min_cc &&
        (ks[i]->max_cc == 0 || 90 <= ks[i]->max_cc))
      k = ks[i];
  if (!k && strncmp(name, "tpp_cuda_bw_", 12) != 0)
    return ERR_NOT_FOUND;
  for (int i = 0; i < n_functions; i++)
    if (strcmp(functions[i].symbol, name) == 0) {
      *fn = &functions[i];
      return OK;
    }
  if (n_functions == 64)
    return ERR_LAUNCH_OUT_OF_RESOURCES;
  functions[n_functions].k = k;
  functions[n_functions].symbol = k ? k->symbol : strdup(name);
  *fn = &functions[n_functions++];
  return OK;
}

EXPORT CUresult
cuFuncSetAttribute(void *fn, int attr, int v)
{
  (void)fn;
  (void)attr;
  (void)v;
  GUARD();
  return OK;
}

/* Registers a thread of each kernel as ptxas gives them for sm_90 (CUDA 13.0, printed by
 * tests/test_cuda_sass.sh), for the occupancy answer. */
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
  const struct function *f = fn;
  int regs = (registers(f->symbol) + 7) / 8 * 8, by_regs, by_threads, by_smem = 32;
  GUARD();
  if (threads <= 0 || threads > 1024)
    return ERR_INVALID_VALUE;
  by_regs = 65536 / (regs * threads);
  by_threads = 2048 / threads;
  if (f->k && f->k->module == TPP_CUDA_MOD_WGMMA)
    by_smem = 233472 / (13312 + 1024);
  (void)smem;
  *blocks = by_regs < by_threads ? by_regs : by_threads;
  if (by_smem < *blocks)
    *blocks = by_smem;
  return OK;
}

EXPORT CUresult
cuMemAlloc_v2(unsigned long long *p, size_t bytes)
{
  GUARD();
  pthread_mutex_lock(&lock);
  for (int i = 0; i < MAX_BUFFERS; i++)
    if (!buffers[i].live) {
      struct buffer *b = &buffers[i];
      memset(b, 0, sizeof(*b));
      b->live = 1;
      b->base = next_base;
      b->size = bytes ? bytes : 1;
      next_base += (b->size + 0xffff) & ~0xffffull;
      *p = b->base;
      pthread_mutex_unlock(&lock);
      return OK;
    }
  pthread_mutex_unlock(&lock);
  return 2; /* CUDA_ERROR_OUT_OF_MEMORY */
}

EXPORT CUresult
cuMemFree_v2(unsigned long long p)
{
  size_t off;
  struct buffer *b;
  GUARD();
  pthread_mutex_lock(&lock);
  b = find_buffer(p, &off);
  if (b) {
    free(b->host);
    memset(b, 0, sizeof(*b));
  }
  pthread_mutex_unlock(&lock);
  return b ? OK : ERR_INVALID_VALUE;
}

EXPORT CUresult
cuMemcpyHtoD_v2(unsigned long long dst, const void *src, size_t n)
{
  size_t off;
  struct buffer *b;
  GUARD();
  b = find_buffer(dst, &off);
  if (!b || off + n > b->size || b->size > (64u << 20))
    return ERR_INVALID_VALUE;
  if (b->what != C_HOST) {
    unsigned char *h = malloc(b->size);
    if (!h)
      return 2;
    read_bytes(b, 0, h, b->size);
    set_content(b, C_HOST);
    b->host = h;
  }
  memcpy(b->host + off, src, n);
  return OK;
}

EXPORT CUresult
cuMemcpyDtoH_v2(void *dst, unsigned long long src, size_t n)
{
  size_t off;
  struct buffer *b;
  GUARD();
  b = find_buffer(src, &off);
  if (!b || off + n > b->size)
    return ERR_ILLEGAL_ADDRESS;
  read_bytes(b, off, dst, n);
  return OK;
}

EXPORT CUresult
cuMemsetD8_v2(unsigned long long dst, unsigned char v, size_t n)
{
  size_t off;
  struct buffer *b;
  GUARD();
  b = find_buffer(dst, &off);
  if (!b || off + n > b->size)
    return ERR_INVALID_VALUE;
  set_content(b, C_FILL); /* tppbench clears from the start: the rest is stale anyway */
  b->fill = v;
  return OK;
}

EXPORT CUresult
cuEventCreate(void **e, unsigned flags)
{
  (void)flags;
  GUARD();
  for (int i = 0; i < MAX_EVENTS; i++)
    if (!events[i].live) {
      events[i].live = 1;
      *e = &events[i];
      return OK;
    }
  return ERR_LAUNCH_OUT_OF_RESOURCES;
}

EXPORT CUresult
cuEventDestroy_v2(void *e)
{
  struct event *ev = e;
  if (ev)
    ev->live = 0;
  return OK;
}

EXPORT CUresult
cuEventRecord(void *e, void *stream)
{
  struct event *ev = e;
  (void)stream;
  GUARD();
  if (!ev || !ev->live)
    return ERR_INVALID_HANDLE;
  ev->ns = device_ns + pending_ns; /* after the launch queued before it */
  return OK;
}

static double
now_s(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

/* The pending launch finishes: sleep a little of its time, so NVML sees it in flight. */
static void
finish_pending(void)
{
  const char *s = env("TPPSIM_TIME_SCALE");
  double scale = s ? atof(s) : 0.02, real = pending_ns * 1e-9 * scale;
  if (pending_ns > 0 && real > 0) {
    struct timespec ts = {(time_t)real, (long)((real - floor(real)) * 1e9)};
    nanosleep(&ts, NULL);
  }
  device_ns += pending_ns;
  pending_ns = 0;
  tppsim.busy = 0;
  /* a real GPU holds its clock a little after a kernel ends (NVML sees 345 MHz only when
   * it has been idle a while): 1 ms here */
  tppsim.busy_until = now_s() + 1e-3;
}

EXPORT CUresult
cuEventSynchronize(void *e)
{
  (void)e;
  GUARD();
  finish_pending();
  if (tppsim.fault_at_sync) {
    CUresult r = tppsim.fault_at_sync;
    tppsim.fault_at_sync = 0;
    if (r == ERR_UNKNOWN)
      lost = 1;
    else
      sticky = r;
    return r;
  }
  return OK;
}

EXPORT CUresult
cuEventElapsedTime_v2(float *ms, void *a, void *b)
{
  GUARD();
  *ms = (float)((((struct event *)b)->ns - ((struct event *)a)->ns) * 1e-6);
  return OK;
}

EXPORT CUresult
cuEventElapsedTime(float *ms, void *a, void *b)
{
  return cuEventElapsedTime_v2(ms, a, b);
}

/* Simulated sustained ops per clock per SM (a multiply-add counts 2) of the H100 for each
 * kernel: below the per-clock peaks of profiles/cuda-rates.json as a real run would be. */
static double
sim_rate(const struct function *f)
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
  if (!f->k)
    return 0;
  for (size_t i = 0; i < sizeof(rates) / sizeof(rates[0]); i++)
    if (strncmp(f->k->variant, rates[i].variant, strlen(rates[i].variant)) == 0)
      return rates[i].ops;
  return 1000;
}

static double
clock_now(void)
{
  return pending_throttle ? 1275 : tppsim.clock_busy_mhz;
}

EXPORT CUresult
cuLaunchKernel(void *fn, unsigned gx, unsigned gy, unsigned gz, unsigned bx, unsigned by,
               unsigned bz, unsigned smem, void *stream, void **params, void **extra)
{
  struct function *f = fn;
  int index = (int)(f - functions);
  double arg, ns;
  size_t off;
  (void)gy;
  (void)gz;
  (void)by;
  (void)bz;
  (void)smem;
  (void)stream;
  (void)extra;
  GUARD();
  if (!f || index < 0 || index >= n_functions || gx == 0 || bx == 0)
    return ERR_INVALID_VALUE;
  launch_counts[index]++;
  if (fault_for("TPPSIM_FAIL_LAUNCH", f->symbol, &arg, ERR_LAUNCH_OUT_OF_RESOURCES))
    return (CUresult)arg;
  if (fault_for("TPPSIM_STICKY", f->symbol, &arg, 5) && launch_counts[index] == (int)arg)
    tppsim.fault_at_sync = ERR_ILLEGAL_ADDRESS;
  if (fault_for("TPPSIM_DEVICE_LOST", f->symbol, &arg, 5) && launch_counts[index] == (int)arg)
    tppsim.fault_at_sync = ERR_UNKNOWN;
  pending_throttle = fault_for("TPPSIM_THROTTLE", f->symbol, NULL, 0) && launch_counts[index] > 3;
  if (f->k) {
    const struct tpp_cuda_kernel *k = f->k;
    unsigned long long out = *(unsigned long long *)params[0],
                       in = *(unsigned long long *)params[1];
    unsigned iters = *(unsigned *)params[2];
    struct buffer *bo = find_buffer(out, &off), *bi = find_buffer(in, &off);
    double skip = 0;
    if (!bo || !bi || bx != k->threads_per_block || (size_t)gx * k->out_bytes_per_block > bo->size)
      return ERR_INVALID_VALUE;
    set_content(bo, C_KERNEL);
    bo->k = k;
    memset(bo->in, 0, sizeof(bo->in));
    read_bytes(bi, 0, bo->in, k->in_bytes < sizeof(bo->in) ? k->in_bytes : sizeof(bo->in));
    if (fault_for("TPPSIM_SKIP", f->symbol, &skip, 1) && skip > 0 && skip < iters)
      iters -= (unsigned)skip;
    bo->iters = iters;
    bo->blocks = gx;
    bo->wrong = fault_for("TPPSIM_WRONG", f->symbol, NULL, 0);
    /* the rate is per SM with every SM full: grids are whole waves of resident blocks */
    ns = k->ops_per_block_per_iter * (double)*(unsigned *)params[2] * gx /
         (sim_rate(f) * 132 * clock_now() * 1e6) * 1e9;
  } else {
    /* bandwidth: read (in, out, n), write (out, n, v), copy (in, out, n) at ~3.05 TB/s */
    int write = strstr(f->symbol, "write") != NULL, copy = strstr(f->symbol, "copy") != NULL;
    unsigned long long p0 = *(unsigned long long *)params[0];
    unsigned long long n = *(unsigned long long *)params[write ? 1 : 2];
    struct buffer *b0 = find_buffer(p0, &off),
                  *b1 = write ? NULL : find_buffer(*(unsigned long long *)params[1], &off);
    if (!b0 || (!write && !b1))
      return ERR_INVALID_VALUE;
    if (write) {
      set_content(b0, C_PATTERN);
      b0->v = *(unsigned *)params[2];
      b0->n = n;
    } else if (copy) {
      set_content(b1, C_PATTERN);
      b1->v = b0->v;
      b1->n = n;
    } else {
      set_content(b1, C_READ);
      b1->v = b0->v;
      b1->n = n;
      b1->threads = (unsigned long long)gx * bx;
    }
    ns = (double)n * 16 * (copy ? 2 : 1) / (write ? 3.12e12 : copy ? 2.98e12 : 3.05e12) * 1e9;
  }
  if (fault_for("TPPSIM_SPEEDUP", f->symbol, &arg, 1.5) && arg > 0)
    ns /= arg;
  /* a real device's launches vary a little: +-0.4%, deterministic */
  ns *= 1 + 0.004 * sin(0.7 * launch_counts[index]);
  pending_ns = ns;
  tppsim.busy = 1;
  tppsim.throttled = pending_throttle;
  return OK;
}

EXPORT CUresult
cuGetErrorName(CUresult r, const char **s)
{
  switch (r) {
  case OK:
    *s = "CUDA_SUCCESS";
    return OK;
  case ERR_INVALID_VALUE:
    *s = "CUDA_ERROR_INVALID_VALUE";
    return OK;
  case 2:
    *s = "CUDA_ERROR_OUT_OF_MEMORY";
    return OK;
  case ERR_NOT_INITIALIZED:
    *s = "CUDA_ERROR_NOT_INITIALIZED";
    return OK;
  case ERR_INVALID_DEVICE:
    *s = "CUDA_ERROR_INVALID_DEVICE";
    return OK;
  case 209:
    *s = "CUDA_ERROR_NO_BINARY_FOR_GPU";
    return OK;
  case 222:
    *s = "CUDA_ERROR_UNSUPPORTED_PTX_VERSION";
    return OK;
  case ERR_INVALID_HANDLE:
    *s = "CUDA_ERROR_INVALID_HANDLE";
    return OK;
  case ERR_NOT_FOUND:
    *s = "CUDA_ERROR_NOT_FOUND";
    return OK;
  case ERR_ILLEGAL_ADDRESS:
    *s = "CUDA_ERROR_ILLEGAL_ADDRESS";
    return OK;
  case ERR_LAUNCH_OUT_OF_RESOURCES:
    *s = "CUDA_ERROR_LAUNCH_OUT_OF_RESOURCES";
    return OK;
  case ERR_UNKNOWN:
    *s = "CUDA_ERROR_UNKNOWN";
    return OK;
  default:
    *s = NULL;
    return ERR_INVALID_VALUE;
  }
}

EXPORT CUresult
cuGetErrorString(CUresult r, const char **s)
{
  switch (r) {
  case OK:
    *s = "no error";
    return OK;
  case ERR_INVALID_VALUE:
    *s = "invalid argument";
    return OK;
  case 2:
    *s = "out of memory";
    return OK;
  case ERR_NOT_INITIALIZED:
    *s = "initialization error";
    return OK;
  case ERR_INVALID_DEVICE:
    *s = "invalid device ordinal";
    return OK;
  case 209:
    *s = "no kernel image is available for execution on the device";
    return OK;
  case 222:
    *s = "the provided PTX was compiled with an unsupported toolchain.";
    return OK;
  case ERR_INVALID_HANDLE:
    *s = "invalid resource handle";
    return OK;
  case ERR_NOT_FOUND:
    *s = "named symbol not found";
    return OK;
  case ERR_ILLEGAL_ADDRESS:
    *s = "an illegal memory access was encountered";
    return OK;
  case ERR_LAUNCH_OUT_OF_RESOURCES:
    *s = "too many resources requested for launch";
    return OK;
  case ERR_UNKNOWN:
    *s = "unknown error";
    return OK;
  default:
    *s = NULL;
    return ERR_INVALID_VALUE;
  }
}

/* The clock NVML reports now (nvmlsim.c): busy while a launch is in flight. */
EXPORT double
tppsim_clock_mhz(void)
{
  return tppsim.busy || now_s() < tppsim.busy_until ? clock_now() : tppsim.clock_idle_mhz;
}
