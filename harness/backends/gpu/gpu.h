/* gpu.h - what the CUDA and HIP backends share: their driver APIs map one to one (device
 * memory, modules, functions, events, launches, occupancy, a reset after a sticky error),
 * so everything built on them is written once, here, against a small table of the
 * runtime's calls (struct tpp_gpu_api):
 *
 *   - errors that keep their cause: the failing call and the runtime's own error name and
 *     text; a sticky error (the context is unusable afterwards) resets the device and drops
 *     its modules, so the next rows run in a fresh context; buffers of the old one are
 *     forgotten, never freed again (a generation count tells them apart); a device that
 *     cannot be reset is "lost" and its remaining rows say so without touching it;
 *   - modules loaded on first use, a failure remembered per module;
 *   - the peak workload: grids sized by the runtime's occupancy answer, a cleared output
 *     before every launch, launches timed with events, the output read back (every byte, or
 *     sampled threads and the blocks' trailers) and checked by the kernel's host check;
 *   - the bandwidth workload (read, write, copy kernels of one contract for both);
 *   - telemetry: a sampler thread reading the management library (NVML, amd-smi) only
 *     while timed launches are in flight.
 *
 * Each backend embeds a struct tpp_gpu in its device and fills the API table, the module
 * loader (which image for this device) and the sampler's reader.
 */
#ifndef TPP_GPU_H
#define TPP_GPU_H

#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include "tpp/backend.h"

typedef uint64_t tpp_gpu_ptr; /* a device address (CUdeviceptr, hipDeviceptr_t) */

/* A kernel's arguments: n values, each `size` bytes at `value`. */
struct tpp_gpu_args {
  unsigned n;
  const void *value[4];
  size_t size[4];
};

/* Pack them as a kernarg buffer lays them out (each at a multiple of its size).  The bytes
 * used, or 0 when they do not fit in cap. */
size_t tpp_gpu_args_pack(const struct tpp_gpu_args *a, void *buf, size_t cap);

/* The calls whose failures are named in messages (tpp_gpu_api.call). */
enum tpp_gpu_call {
  TPP_GPU_MEM_ALLOC,
  TPP_GPU_MEM_FREE,
  TPP_GPU_COPY_HTOD,
  TPP_GPU_COPY_DTOH,
  TPP_GPU_MEMSET,
  TPP_GPU_EVENT_CREATE,
  TPP_GPU_EVENT_RECORD,
  TPP_GPU_EVENT_SYNC,
  TPP_GPU_EVENT_ELAPSED,
  TPP_GPU_LAUNCH,
  TPP_GPU_OCCUPANCY,
  TPP_GPU_SET_SHARED,
  TPP_GPU_CALL_COUNT
};

struct tpp_gpu;

/* A runtime's calls.  Each returns the runtime's own status, 0 for success.  The device is
 * the current one (the backend makes it current when it opens it). */
struct tpp_gpu_api {
  const char *unit;                     /* "SM", "CU": in messages */
  const char *call[TPP_GPU_CALL_COUNT]; /* "cuMemAlloc", "hipMalloc", ... */
  int (*mem_alloc)(tpp_gpu_ptr *p, size_t bytes);
  int (*mem_free)(tpp_gpu_ptr p);
  int (*copy_htod)(tpp_gpu_ptr dst, const void *src, size_t n);
  int (*copy_dtoh)(void *dst, tpp_gpu_ptr src, size_t n);
  int (*memset8)(tpp_gpu_ptr dst, unsigned char v, size_t n);
  int (*module_unload)(void *mod);
  int (*function)(void **fn, void *mod, const char *symbol);
  int (*event_create)(void **e);
  int (*event_destroy)(void *e);
  int (*event_record)(void *e);
  int (*event_sync)(void *e);
  int (*event_elapsed_ms)(float *ms, void *start, void *end);
  int (*launch)(void *fn, unsigned blocks, unsigned threads, unsigned shared,
                const struct tpp_gpu_args *args);
  /* Blocks of `threads` one unit holds at once; NULL: the kernel's own figure is used. */
  int (*occupancy)(int *blocks, void *fn, unsigned threads, unsigned shared);
  /* Allow `shared` bytes of dynamic shared memory; NULL: not needed. */
  int (*set_shared)(void *fn, unsigned shared);
  /* Does this status leave the context unusable (every later call fails the same way until
   * the device is reset)? */
  int (*is_sticky)(int status);
  /* "call: NAME (text)": the runtime's own name and text of status, after the call. */
  void (*describe)(int status, const char *call, char *buf, size_t len);
  /* Reset the device after a sticky error (every allocation, event and module of the old
   * context gone) and make it current again.  0, or the runtime's status (the device is
   * then lost); why names the failing call. */
  int (*reset)(struct tpp_gpu *g, char *why, size_t whylen);
};

/* One management-library reading; NAN (events 0) for what it cannot say. */
struct tpp_gpu_reading {
  double clock_mhz;               /* the shader/SM clock now: a reading without it is dropped */
  double power_w;                 /* instantaneous board power (NVML) */
  double energy_j, energy_time_s; /* an energy counter and its time (amd-smi, rocm-smi) */
  double temperature_c;
  unsigned long long events; /* the library's clock-event bits, named by name_events */
};

struct tpp_gpu_sampler_ops {
  const char *source; /* the row's clock_source: "nvml", "amd-smi", "rocm-smi" */
  /* One reading of the device; 0, or -1 when nothing could be read. */
  int (*read)(void *dev, struct tpp_gpu_reading *r);
  /* The names of event bits seen during a row (tpp_telemetry_add_event). */
  void (*name_events)(unsigned long long events, struct tpp_telemetry *t);
};

/* The readings of one row, taken only while a timed launch is in flight: the clock of an
 * idle GPU between launches, during warm-up, sizing or the host's check must not dilute the
 * clock the per-clock peak uses. */
struct tpp_gpu_sampler {
  const struct tpp_gpu_sampler_ops *ops; /* NULL: no management library */
  void *dev;                             /* its handle of the device */
  pthread_t thread;
  int running;
  atomic_int stop;
  atomic_int in_flight; /* a timed launch is running */
  pthread_mutex_t lock; /* guards what follows (the thread and the launching thread add) */
  int n, n_power, window_open;
  double clock_sum, clock_min, clock_max, power_sum, power_max, temp_max;
  double energy_j, energy_s;     /* summed over in-flight windows */
  double last_energy, last_time; /* previous reading of the open window */
  double win_energy, win_time;   /* the part of the window not yet turned into a power */
  unsigned long long events;
};

#define TPP_GPU_MAX_MODULES 8

/* A GPU device as the shared code sees it: embedded in the backend's device. */
struct tpp_gpu {
  const struct tpp_gpu_api *api;
  const struct tpp_device_info *info; /* the core's */
  int units;                          /* SMs, CUs */
  /* Load the code object of module m that runs on this device (the backend picks the
   * image).  0; TPP_EUNSUP when this build has none that runs here (its rows are
   * unsupported, why says so); another error otherwise, with the runtime's status in
   * *status (a sticky one resets the device) and its words in why. */
  int (*load_module)(struct tpp_gpu *g, int m, void **mod, int *status, char *why, size_t whylen);
  void *modules[TPP_GPU_MAX_MODULES];
  /* The embedded image each module was loaded from (load_module sets them): its SHA-256
   * goes on the rows of its kernels. */
  const void *module_image[TPP_GPU_MAX_MODULES];
  size_t module_image_len[TPP_GPU_MAX_MODULES];
  char module_err[TPP_GPU_MAX_MODULES][224]; /* why a module did not load, "" */
  int module_unsup[TPP_GPU_MAX_MODULES];     /* ... and it was TPP_EUNSUP */
  unsigned generation;                       /* bumped by every reset: older buffers are gone */
  unsigned resets;
  char lost[224]; /* non-empty: the device could not be reset; nothing more runs */
  struct tpp_gpu_sampler sampler;
};

/* Set up g (api, info, units, load_module must be filled first) and its sampler (ops may be
 * NULL); tpp_gpu_fini unloads the modules. */
void tpp_gpu_init(struct tpp_gpu *g, const struct tpp_gpu_sampler_ops *ops, void *sampler_dev);
void tpp_gpu_fini(struct tpp_gpu *g);

/* 0 for success; else the call and the runtime's error into why, a reset when the error is
 * sticky, and TPP_EBACKEND. */
int tpp_gpu_check(struct tpp_gpu *g, int status, const char *call, char *why, size_t whylen);

/* Reset after a sticky error (`cause` says which), or mark the device lost. */
void tpp_gpu_reset(struct tpp_gpu *g, const char *cause);

/* Module m, loaded on first use. */
int tpp_gpu_module(struct tpp_gpu *g, int m, void **mod, char *why, size_t whylen);

/* A peak kernel: every one has the signature NAME(void *out, const void *in, unsigned iters). */
struct tpp_gpu_kernel {
  const char *symbol, *variant;
  int module;
  unsigned threads;         /* per block */
  unsigned blocks_per_unit; /* used when the runtime cannot say its occupancy */
  unsigned shared_bytes;    /* dynamic shared memory per block */
  unsigned iters;
  double ops_per_block_per_iter; /* MAC = 2 */
  size_t in_bytes, out_bytes_per_block;
  /* What verify reads: every byte of every block (verify_samples 0), or the sample_bytes of
   * verify_samples threads spread over the launch (tpp_gpu_sample_thread) and the last
   * trailer_bytes of every block. */
  unsigned verify_samples;
  size_t sample_bytes, trailer_bytes;
  void (*make_input)(void *in, size_t bytes, uint64_t seed);
  int (*verify)(const void *in, const void *out, size_t blocks, unsigned iters, char *why,
                size_t whylen);
  int lower_bound; /* the kernel is known to stay below the device's peak path */
};

/* Thread s of n sampled in a launch of `threads` threads: spread evenly, the first and the
 * last included.  Inline: the kernels' host checks (and the simulated drivers) use it too. */
static inline size_t
tpp_gpu_sample_thread(size_t threads, size_t s, size_t n)
{
  return n < 2 || threads < 2 ? 0 : s * (threads - 1) / (n - 1);
}

#define TPP_GPU_INPUT_SEED 0x7470706265ull /* "tppbe": make_input's seed */

int tpp_gpu_prepare_peak(struct tpp_gpu *g, const struct tpp_gpu_kernel *k, struct tpp_workload *w,
                         char *why, size_t whylen);

/* The bandwidth kernels, one contract for every GPU backend (256 threads a block,
 * grid-stride, n 16-byte elements whose four lanes hold the same word):
 *   read(const uint4 *in, uint4 *out, uint64 n)   out[t] = XOR of what thread t read
 *   write(uint4 *out, uint64 n, uint32 v)          element i = (uint32)i ^ v
 *   copy(const uint4 *in, uint4 *out, uint64 n) */
struct tpp_gpu_bandwidth {
  int module;
  const char *symbol[TPP_BW_KIND_COUNT];
  unsigned blocks_per_unit; /* used when the runtime cannot say its occupancy */
};
#define TPP_GPU_BW_THREADS 256
uint32_t tpp_gpu_bw_value(uint64_t index, uint32_t v);
/* What thread t of `threads` writes for a buffer written with v: one lane's XOR. */
uint32_t tpp_gpu_bw_read_expect(uint64_t t, uint64_t threads, uint64_t n, uint32_t v);

int tpp_gpu_prepare_bandwidth(struct tpp_gpu *g, const struct tpp_gpu_bandwidth *b,
                              enum tpp_bw_kind kind, struct tpp_workload *w, char *why,
                              size_t whylen);

/* Telemetry around a row. */
void tpp_gpu_telemetry_begin(struct tpp_gpu *g);
void tpp_gpu_telemetry_end(struct tpp_gpu *g, struct tpp_telemetry *t);

/* struct tpp_backend members for a GPU backend whose device state (priv) begins with its
 * struct tpp_gpu: telemetry_begin, telemetry_end, reset_count. */
void tpp_gpu_backend_telemetry_begin(struct tpp_device *d);
void tpp_gpu_backend_telemetry_end(struct tpp_device *d, struct tpp_telemetry *t);
unsigned tpp_gpu_backend_reset_count(struct tpp_device *d);

/* "GPU-xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx", as NVIDIA writes UUIDs (AMD's too, here). */
void tpp_gpu_format_uuid(const void *bytes16, char *buf, size_t len);

#endif
