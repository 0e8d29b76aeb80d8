/* gpusim.h - the engine of the simulated GPU runtimes (tests only): the simulated CUDA driver
 * (tests/backends/cuda/sim/cudasim.c, libcuda.so.1) and HIP runtime
 * (tests/backends/hip/sim/hipsim.c, libamdhip64.so.6) are thin front ends exporting their
 * API's names over it, as the backends are over harness/backends/gpu.
 *
 * Device memory is lazy: a buffer remembers what last wrote it (a kernel launch, a write
 * pattern, a copy, a memset, host bytes) and computes only the bytes read back, with the
 * kernels' own host references.  Time is simulated: a launch takes ops / (rate x units x
 * clock) and events report it; an event synchronisation sleeps a small fraction of it
 * (TPPSIM_TIME_SCALE, default 0.02) so that a telemetry sampler sees the kernel in flight.
 *
 * Faults (environment; SYM is a kernel symbol, or "*" for every kernel):
 *   TPPSIM_DEVICES=N            simulated GPUs (default 1, at most 8)
 *   TPPSIM_FAIL_LAUNCH=SYM[:E]  the launch of SYM returns E (default 701, out of resources)
 *   TPPSIM_STICKY=SYM[:N]       the N-th launch of SYM (default 5) faults with 700 (illegal
 *                               address) at synchronisation; every call then fails so until
 *                               the device is reset
 *   TPPSIM_DEVICE_LOST=SYM[:N]  the N-th launch of SYM loses the device: every call from then
 *                               on, the reset included, fails with 999
 *   TPPSIM_WRONG=SYM            SYM's output has one wrong element
 *   TPPSIM_SKIP=SYM[:K]         SYM runs K iterations fewer (default 1)
 *   TPPSIM_THROTTLE=SYM         while SYM's timed launches run, the clock drops to the capped
 *                               clock after the third launch (a power cap event)
 *   TPPSIM_SPEEDUP=SYM[:F]      SYM reports F times (default 1.5) its simulated time less
 * The status codes are those CUDA and HIP share (1, 2, 3, 101, 400, 500, 700, 701, 999).
 */
#ifndef TPP_GPUSIM_H
#define TPP_GPUSIM_H

#include <stdatomic.h>

#include <stddef.h>
#include <stdint.h>

enum {
  SIM_OK = 0,
  SIM_INVALID_VALUE = 1,
  SIM_OUT_OF_MEMORY = 2,
  SIM_NOT_INITIALIZED = 3,
  SIM_INVALID_DEVICE = 101,
  SIM_INVALID_HANDLE = 400,
  SIM_NOT_FOUND = 500,
  SIM_ILLEGAL_ADDRESS = 700,
  SIM_LAUNCH_OUT_OF_RESOURCES = 701,
  SIM_UNKNOWN = 999,
};

/* State the runtime shares with its simulated management library (NVML, amd-smi).  The
 * launching thread moves busy, busy_until, throttled, device_ns and busy_ns; tppbench's
 * sampler thread reads them (through the management library) at the same time, as it does a
 * real driver's: atomic, as a real driver is thread-safe (a data race ThreadSanitizer found). */
struct tppsim_state {
  int devices;
  atomic_int busy;           /* a launch is in flight */
  _Atomic double busy_until; /* CLOCK_MONOTONIC seconds the busy clock holds after one ends */
  atomic_int throttled;      /* ... at the capped clock (TPPSIM_THROTTLE) */
  int fault_at_sync;         /* error the next synchronisation reports */
  unsigned generation, resets;
  double clock_busy_mhz, clock_idle_mhz, clock_max_mhz, clock_capped_mhz;
  _Atomic double device_ns; /* simulated time of the finished launches */
  _Atomic double busy_ns;   /* ... of which busy */
  double power_busy_w, power_capped_w, power_idle_w;
};

/* A kernel as the engine runs it: its output is `units` of unit_len bytes, computed by
 * reference(); per_thread units are threads (thread t's bytes at block t / threads, offset
 * (t % threads) * unit_len), others whole blocks; trailer_bytes at the end of every block are
 * {magic, block, iters, threads} (HIP's contract), written by the engine. */
struct gpusim_kernel {
  const char *symbol;
  size_t in_bytes, out_bytes_per_block;
  unsigned threads;
  size_t unit_len, trailer_bytes;
  uint32_t trailer_magic;
  int per_thread;
  double ops_per_block_per_iter;
  double rate; /* simulated sustained ops per clock per unit (SM, CU) */
  void (*reference)(const void *in, unsigned iters, size_t unit, void *out);
};

/* The simulated device (set by the front end before gpusim_init). */
struct gpusim_config {
  int units; /* SMs, CUs */
  double clock_busy_mhz, clock_idle_mhz, clock_max_mhz, clock_capped_mhz;
  double bw_read, bw_write, bw_copy; /* bytes per second */
  double power_busy_w, power_capped_w, power_idle_w;
};

extern struct tppsim_state tppsim;

const char *gpusim_env(const char *name);
/* "SYM[:N]": does variable `var` name symbol sym?  *arg gets N (or dflt). */
int gpusim_fault_for(const char *var, const char *sym, double *arg, double dflt);

void gpusim_init(const struct gpusim_config *cfg); /* once; reads TPPSIM_DEVICES */
int gpusim_guard(void);                            /* the sticky error or 999 when lost, else 0 */
int gpusim_lost(void);

int gpusim_alloc(uint64_t *p, size_t bytes);
int gpusim_free(uint64_t p);
int gpusim_htod(uint64_t dst, const void *src, size_t n);
int gpusim_dtoh(void *dst, uint64_t src, size_t n);
int gpusim_memset(uint64_t dst, unsigned char v, size_t n);

int gpusim_module_load(void **mod);
int gpusim_module_unload(void *mod);
/* A function of a module: the kernel (NULL for a bandwidth kernel, named tpp_*_bw_*). */
int gpusim_function(void **fn, void *mod, const char *symbol, const struct gpusim_kernel *k);
const char *gpusim_function_symbol(void *fn);

int gpusim_event_create(void **e);
int gpusim_event_destroy(void *e);
int gpusim_event_record(void *e);
int gpusim_event_sync(void *e);
int gpusim_event_elapsed(float *ms, void *a, void *b);

/* Launches: a peak kernel (out, in, iters), a bandwidth one (read/copy: in, out, n; write:
 * out, n, v). */
int gpusim_launch_peak(void *fn, unsigned blocks, unsigned threads, uint64_t out, uint64_t in,
                       unsigned iters);
int gpusim_launch_bw(void *fn, unsigned blocks, unsigned threads, uint64_t p0, uint64_t p1,
                     uint64_t n, uint32_t v);

/* A context reset after a sticky error: memory, events and modules gone.  999 when lost. */
int gpusim_reset(void);

/* The clock now (busy while a launch is in flight, and 1 ms after), the power now, and the
 * energy so far (joules) with its time (seconds of simulated time). */
double gpusim_clock_mhz(void);
double gpusim_power_w(void);
void gpusim_energy(double *joules, double *seconds);

#endif
