/* gpusim.c - the engine of the simulated GPU runtimes.  See gpusim.h. */
#include "gpusim.h"

#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct tppsim_state tppsim;
static struct gpusim_config cfg;

const char *
gpusim_env(const char *name)
{
  const char *v = getenv(name);
  return v && *v ? v : NULL;
}

int
gpusim_fault_for(const char *var, const char *sym, double *arg, double dflt)
{
  const char *v = gpusim_env(var), *colon;
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

static double
now_s(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

static double
time_scale(void)
{
  const char *s = gpusim_env("TPPSIM_TIME_SCALE");
  return s ? atof(s) : 0.02;
}

/* --- memory: lazy buffers ---------------------------------------------------------------- */

enum content { C_FILL, C_HOST, C_KERNEL, C_PATTERN, C_READ };

struct buffer {
  unsigned long long base;
  size_t size;
  int live;
  enum content what;
  unsigned char fill;
  unsigned char *host;           /* C_HOST */
  const struct gpusim_kernel *k; /* C_KERNEL: its output, blocks launched */
  _Alignas(16) unsigned char in[16384];
  uint64_t in_hash; /* of in, for the memo */
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

/* Every entry point but the management library's readings runs under one lock (recursive:
 * entry points call each other): the tables of buffers, events, modules and functions are
 * shared by the threads of all devices. */
static pthread_mutex_t api_lock;
static pthread_once_t api_once = PTHREAD_ONCE_INIT;

static void
api_lock_init(void)
{
  pthread_mutexattr_t a;
  pthread_mutexattr_init(&a);
  pthread_mutexattr_settype(&a, PTHREAD_MUTEX_RECURSIVE);
  pthread_mutex_init(&api_lock, &a);
  pthread_mutexattr_destroy(&a);
}

static void
api_enter(void)
{
  pthread_once(&api_once, api_lock_init);
  pthread_mutex_lock(&api_lock);
}

static void
api_leave(void)
{
  pthread_mutex_unlock(&api_lock);
}

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

/* One output unit (a thread's value, or a block's data) of a kernel, memoised: the same
 * kernel, operands, count and unit give the same bytes (every block of a matrix kernel is
 * the same: block 0 stands for all). */
struct memo {
  const struct gpusim_kernel *k;
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
unit_bytes(const struct buffer *b, size_t unit)
{
  uint64_t h = b->in_hash;
  size_t key = b->k->per_thread ? unit : 0;
  for (int i = 0; i < MEMO_SIZE; i++)
    if (memo[i].bytes && memo[i].k == b->k && memo[i].iters == b->iters && memo[i].unit == key &&
        memo[i].in_hash == h)
      return memo[i].bytes;
  struct memo *m = &memo[memo_next];
  memo_next = (memo_next + 1) % MEMO_SIZE;
  free(m->bytes);
  m->bytes = calloc(1, b->k->unit_len);
  m->k = b->k;
  m->iters = b->iters;
  m->unit = key;
  m->in_hash = h;
  b->k->reference(b->in, b->iters, key, m->bytes);
  return m->bytes;
}

/* The bytes [off, off + n) of a kernel's output, chunk by chunk: trailers, threads' values
 * or blocks' data from the memo. */
static void
kernel_bytes(const struct buffer *b, size_t off, unsigned char *dst, size_t n)
{
  const struct gpusim_kernel *k = b->k;
  size_t bb = k->out_bytes_per_block, data = bb - k->trailer_bytes;
  size_t bad = k->per_thread ? 1 : bb * (b->blocks > 1 ? 1 : 0) + 5 * 4 + 1;
  for (size_t i = 0; i < n;) {
    size_t byte = off + i, block = byte / bb, in_block = byte % bb, take;
    const unsigned char *src = NULL;
    uint32_t t[4] = {k->trailer_magic, (uint32_t)block, b->iters, k->threads};
    if (block >= b->blocks) {
      take = bb - in_block;
    } else if (in_block >= data) {
      take = bb - in_block;
      src = (const unsigned char *)t + (in_block - data);
    } else if (k->per_thread) {
      size_t lane = in_block / k->unit_len, at = in_block % k->unit_len;
      take = k->unit_len - at;
      if (lane < k->threads)
        src = unit_bytes(b, block * k->threads + lane) + at;
    } else {
      take = data - in_block;
      if (in_block < k->unit_len) {
        take = k->unit_len - in_block < take ? k->unit_len - in_block : take;
        src = unit_bytes(b, block) + in_block;
      }
    }
    if (take > n - i)
      take = n - i;
    if (src)
      memcpy(dst + i, src, take);
    else
      memset(dst + i, 0, take);
    /* one wrong element: the first sampled thread's value, or element 5 of block 1 */
    if (b->wrong && bad >= byte && bad < byte + take)
      dst[i + (bad - byte)] ^= 0x10;
    i += take;
  }
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
  case C_KERNEL:
    kernel_bytes(b, off, dst, n);
    return;
  }
}

/* --- the device -------------------------------------------------------------------------- */

struct event {
  double ns; /* simulated device time when recorded */
  int live;
};
#define MAX_EVENTS 64
static struct event events[MAX_EVENTS];

struct module {
  int live;
};
static struct module modules[64];

struct function {
  struct gpusim_kernel k; /* symbol NULL for the bandwidth kernels */
  const char *symbol;
};
static struct function functions[64];
static int n_functions;

/* What a real driver keeps per context (tppbench measures each device on a thread of its
 * own, with that device's context current there): per thread here. */
static _Thread_local double pending_ns;   /* duration of the launch in flight */
static _Thread_local double pending_real; /* when it was queued */
static _Thread_local double thread_ns;    /* this context's simulated time, for its events */
/* The launch in flight as the management library's sampler sees it (the last one queued). */
static _Atomic double inflight_ns, inflight_real;
static atomic_int pending_throttle;         /* read by the clock on the sampler thread too */
static _Thread_local int launch_counts[64]; /* per function */
static _Thread_local int sticky;            /* the context's sticky error */
static _Thread_local int lost;              /* the device is gone */

void
gpusim_init(const struct gpusim_config *c)
{
  const char *n = gpusim_env("TPPSIM_DEVICES");
  if (tppsim.devices)
    return;
  cfg = *c;
  tppsim.devices = n ? atoi(n) : 1;
  if (tppsim.devices < 1)
    tppsim.devices = 1;
  if (tppsim.devices > 8)
    tppsim.devices = 8;
  tppsim.clock_busy_mhz = cfg.clock_busy_mhz;
  tppsim.clock_idle_mhz = cfg.clock_idle_mhz;
  tppsim.clock_max_mhz = cfg.clock_max_mhz;
  tppsim.clock_capped_mhz = cfg.clock_capped_mhz;
  tppsim.power_busy_w = cfg.power_busy_w;
  tppsim.power_capped_w = cfg.power_capped_w;
  tppsim.power_idle_w = cfg.power_idle_w;
}

int
gpusim_lost(void)
{
  return lost;
}

int
gpusim_guard(void)
{
  return lost ? SIM_UNKNOWN : sticky;
}

#define GUARD()              \
  do {                       \
    int g_ = gpusim_guard(); \
    if (g_)                  \
      return g_;             \
  } while (0)

static int
impl_alloc(uint64_t *p, size_t bytes)
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
      return SIM_OK;
    }
  pthread_mutex_unlock(&lock);
  return SIM_OUT_OF_MEMORY;
}

static int
impl_free(uint64_t p)
{
  size_t off;
  struct buffer *b;
  GUARD();
  pthread_mutex_lock(&lock);
  if ((b = find_buffer(p, &off))) {
    free(b->host);
    memset(b, 0, sizeof(*b));
  }
  pthread_mutex_unlock(&lock);
  return b ? SIM_OK : SIM_INVALID_VALUE;
}

static int
impl_htod(uint64_t dst, const void *src, size_t n)
{
  size_t off;
  struct buffer *b;
  GUARD();
  b = find_buffer(dst, &off);
  if (!b || off + n > b->size || b->size > (64u << 20))
    return SIM_INVALID_VALUE;
  if (b->what != C_HOST) {
    unsigned char *h = malloc(b->size);
    if (!h)
      return SIM_OUT_OF_MEMORY;
    read_bytes(b, 0, h, b->size);
    set_content(b, C_HOST);
    b->host = h;
  }
  memcpy(b->host + off, src, n);
  return SIM_OK;
}

static int
impl_dtoh(void *dst, uint64_t src, size_t n)
{
  size_t off;
  struct buffer *b;
  GUARD();
  b = find_buffer(src, &off);
  if (!b || off + n > b->size)
    return SIM_ILLEGAL_ADDRESS;
  read_bytes(b, off, dst, n);
  return SIM_OK;
}

static int
impl_memset(uint64_t dst, unsigned char v, size_t n)
{
  size_t off;
  struct buffer *b;
  GUARD();
  b = find_buffer(dst, &off);
  if (!b || off + n > b->size)
    return SIM_INVALID_VALUE;
  set_content(b, C_FILL); /* tppbench clears from the start: the rest is stale anyway */
  b->fill = v;
  return SIM_OK;
}

static int
impl_module_load(void **mod)
{
  GUARD();
  for (int i = 0; i < 64; i++)
    if (!modules[i].live) {
      modules[i].live = 1;
      *mod = &modules[i];
      return SIM_OK;
    }
  return SIM_LAUNCH_OUT_OF_RESOURCES;
}

static int
impl_module_unload(void *mod)
{
  struct module *m = mod;
  if (m)
    m->live = 0;
  return SIM_OK;
}

static int
impl_function(void **fn, void *mod, const char *symbol, const struct gpusim_kernel *k)
{
  GUARD();
  if (!mod || !((struct module *)mod)->live)
    return SIM_INVALID_HANDLE;
  for (int i = 0; i < n_functions; i++)
    if (strcmp(functions[i].symbol, symbol) == 0) {
      *fn = &functions[i];
      return SIM_OK;
    }
  if (n_functions == 64)
    return SIM_LAUNCH_OUT_OF_RESOURCES;
  memset(&functions[n_functions], 0, sizeof(functions[0]));
  if (k)
    functions[n_functions].k = *k;
  functions[n_functions].symbol = strdup(symbol);
  *fn = &functions[n_functions++];
  return SIM_OK;
}

static const char *
impl_function_symbol(void *fn)
{
  return ((const struct function *)fn)->symbol;
}

static int
impl_event_create(void **e)
{
  GUARD();
  for (int i = 0; i < MAX_EVENTS; i++)
    if (!events[i].live) {
      events[i].live = 1;
      *e = &events[i];
      return SIM_OK;
    }
  return SIM_LAUNCH_OUT_OF_RESOURCES;
}

static int
impl_event_destroy(void *e)
{
  struct event *ev = e;
  if (ev)
    ev->live = 0;
  return SIM_OK;
}

static int
impl_event_record(void *e)
{
  struct event *ev = e;
  GUARD();
  if (!ev || !ev->live)
    return SIM_INVALID_HANDLE;
  ev->ns = thread_ns + pending_ns; /* after the launch queued before it */
  return SIM_OK;
}

/* The pending launch finishes: sleep a little of its time, so a sampler sees it in flight. */
static void
finish_pending(void)
{
  double real = pending_ns * 1e-9 * time_scale();
  if (pending_ns > 0 && real > 0) {
    struct timespec ts = {(time_t)real, (long)((real - floor(real)) * 1e9)};
    nanosleep(&ts, NULL);
  }
  /* Only this thread writes them: a load and a store (a compound assignment to an atomic
   * double would need libatomic). */
  tppsim.device_ns = tppsim.device_ns + pending_ns;
  tppsim.busy_ns = tppsim.busy_ns + pending_ns;
  thread_ns += pending_ns;
  pending_ns = 0;
  inflight_ns = 0;
  tppsim.busy = 0;
  /* a real GPU holds its clock a little after a kernel ends (its management library sees the
   * idle clock only when it has been idle a while): 1 ms here */
  tppsim.busy_until = now_s() + 1e-3;
}

static int
impl_event_sync(void *e)
{
  (void)e;
  GUARD();
  finish_pending();
  if (tppsim.fault_at_sync) {
    int r = tppsim.fault_at_sync;
    tppsim.fault_at_sync = 0;
    if (r == SIM_UNKNOWN)
      lost = 1;
    else
      sticky = r;
    return r;
  }
  return SIM_OK;
}

static int
impl_event_elapsed(float *ms, void *a, void *b)
{
  GUARD();
  *ms = (float)((((struct event *)b)->ns - ((struct event *)a)->ns) * 1e-6);
  return SIM_OK;
}

static double
clock_now(void)
{
  return pending_throttle ? tppsim.clock_capped_mhz : tppsim.clock_busy_mhz;
}

/* A launch is counted, and may fail outright (TPPSIM_FAIL_LAUNCH) before it does anything. */
static int
launch_begin(struct function *f, int index)
{
  double arg;
  launch_counts[index]++;
  if (gpusim_fault_for("TPPSIM_FAIL_LAUNCH", f->symbol, &arg, SIM_LAUNCH_OUT_OF_RESOURCES))
    return (int)arg;
  pending_throttle = gpusim_fault_for("TPPSIM_THROTTLE", f->symbol, NULL, 0) &&
                     launch_counts[index] > 3;
  return SIM_OK;
}

/* The launch in flight: `ns` simulated nanoseconds, with the faults its synchronisation
 * reports. */
static int
launch_end(struct function *f, int index, double ns)
{
  double arg;
  if (gpusim_fault_for("TPPSIM_STICKY", f->symbol, &arg, 5) && launch_counts[index] == (int)arg)
    tppsim.fault_at_sync = SIM_ILLEGAL_ADDRESS;
  if (gpusim_fault_for("TPPSIM_DEVICE_LOST", f->symbol, &arg, 5) &&
      launch_counts[index] == (int)arg)
    tppsim.fault_at_sync = SIM_UNKNOWN;
  if (gpusim_fault_for("TPPSIM_SPEEDUP", f->symbol, &arg, 1.5) && arg > 0)
    ns /= arg;
  /* a real device's launches vary a little: +-0.4%, deterministic */
  ns *= 1 + 0.004 * sin(0.7 * launch_counts[index]);
  pending_ns = ns;
  pending_real = now_s();
  inflight_real = pending_real;
  inflight_ns = ns;
  tppsim.busy = 1;
  tppsim.throttled = pending_throttle;
  return SIM_OK;
}

static struct function *
function_of(void *fn, int *index)
{
  struct function *f = fn;
  *index = (int)(f - functions);
  return f && *index >= 0 && *index < n_functions ? f : NULL;
}

static int
impl_launch_peak(void *fn, unsigned blocks, unsigned threads, uint64_t out, uint64_t in,
                 unsigned iters)
{
  int index;
  struct function *f = function_of(fn, &index);
  struct buffer *bo, *bi;
  double skip = 0, ns;
  size_t off;
  int rc;
  GUARD();
  if (!f || !f->k.symbol || blocks == 0 || threads != f->k.threads)
    return SIM_INVALID_VALUE;
  bo = find_buffer(out, &off);
  bi = find_buffer(in, &off);
  if (!bo || !bi || (size_t)blocks * f->k.out_bytes_per_block > bo->size)
    return SIM_INVALID_VALUE;
  if ((rc = launch_begin(f, index)) != SIM_OK)
    return rc;
  set_content(bo, C_KERNEL);
  bo->k = &f->k;
  memset(bo->in, 0, sizeof(bo->in));
  read_bytes(bi, 0, bo->in, f->k.in_bytes < sizeof(bo->in) ? f->k.in_bytes : sizeof(bo->in));
  bo->in_hash = fnv(bo->in, f->k.in_bytes < sizeof(bo->in) ? f->k.in_bytes : sizeof(bo->in));
  bo->iters = iters;
  if (gpusim_fault_for("TPPSIM_SKIP", f->symbol, &skip, 1) && skip > 0 && skip < iters)
    bo->iters = iters - (unsigned)skip;
  bo->blocks = blocks;
  bo->wrong = gpusim_fault_for("TPPSIM_WRONG", f->symbol, NULL, 0);
  /* the rate is per unit with every unit full: grids are whole waves of resident blocks */
  ns = f->k.ops_per_block_per_iter * iters * blocks / (f->k.rate * cfg.units * clock_now() * 1e6) *
       1e9;
  return launch_end(f, index, ns);
}

static int
impl_launch_bw(void *fn, unsigned blocks, unsigned threads, uint64_t p0, uint64_t p1, uint64_t n,
               uint32_t v)
{
  int index;
  struct function *f = function_of(fn, &index);
  int write, copy, rc;
  struct buffer *b0, *b1 = NULL;
  size_t off;
  GUARD();
  if (!f || blocks == 0)
    return SIM_INVALID_VALUE;
  write = strstr(f->symbol, "write") != NULL;
  copy = strstr(f->symbol, "copy") != NULL;
  b0 = find_buffer(p0, &off);
  if (!write)
    b1 = find_buffer(p1, &off);
  if (!b0 || (!write && !b1))
    return SIM_INVALID_VALUE;
  if ((rc = launch_begin(f, index)) != SIM_OK)
    return rc;
  if (write) {
    set_content(b0, C_PATTERN);
    b0->v = v;
    b0->n = n;
  } else if (copy) {
    set_content(b1, C_PATTERN);
    b1->v = b0->v;
    b1->n = n;
  } else {
    set_content(b1, C_READ);
    b1->v = b0->v;
    b1->n = n;
    b1->threads = (unsigned long long)blocks * threads;
  }
  return launch_end(f, index,
                    (double)n * 16 * (copy ? 2 : 1) /
                        (write  ? cfg.bw_write
                         : copy ? cfg.bw_copy
                                : cfg.bw_read) *
                        1e9);
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

static int
impl_reset(void)
{
  if (lost)
    return SIM_UNKNOWN;
  drop_context();
  sticky = SIM_OK;
  tppsim.resets++;
  return SIM_OK;
}

double
gpusim_clock_mhz(void)
{
  return tppsim.busy || now_s() < tppsim.busy_until ? clock_now() : tppsim.clock_idle_mhz;
}

double
gpusim_power_w(void)
{
  return tppsim.busy ? (tppsim.throttled ? tppsim.power_capped_w : tppsim.power_busy_w)
                     : tppsim.power_idle_w;
}

void
gpusim_energy(double *joules, double *seconds)
{
  /* The launch in flight counts by the part of its (scaled) real time that has passed. */
  double ns = inflight_ns, real = ns * 1e-9 * time_scale(), part = 0;
  if (tppsim.busy && real > 0)
    part = fmin(1.0, (now_s() - inflight_real) / real) * ns;
  *seconds = (tppsim.device_ns + part) * 1e-9;
  *joules = tppsim.power_idle_w * *seconds +
            ((tppsim.throttled ? tppsim.power_capped_w : tppsim.power_busy_w) -
             tppsim.power_idle_w) *
                (tppsim.busy_ns + part) * 1e-9;
}

/* --- the entry points, each under the lock -------------------------------------------- */

int
gpusim_alloc(uint64_t *p, size_t bytes)
{
  int r;
  api_enter();
  r = impl_alloc(p, bytes);
  api_leave();
  return r;
}

int
gpusim_free(uint64_t p)
{
  int r;
  api_enter();
  r = impl_free(p);
  api_leave();
  return r;
}

int
gpusim_htod(uint64_t dst, const void *src, size_t n)
{
  int r;
  api_enter();
  r = impl_htod(dst, src, n);
  api_leave();
  return r;
}

int
gpusim_dtoh(void *dst, uint64_t src, size_t n)
{
  int r;
  api_enter();
  r = impl_dtoh(dst, src, n);
  api_leave();
  return r;
}

int
gpusim_memset(uint64_t dst, unsigned char v, size_t n)
{
  int r;
  api_enter();
  r = impl_memset(dst, v, n);
  api_leave();
  return r;
}

int
gpusim_module_load(void **mod)
{
  int r;
  api_enter();
  r = impl_module_load(mod);
  api_leave();
  return r;
}

int
gpusim_module_unload(void *mod)
{
  int r;
  api_enter();
  r = impl_module_unload(mod);
  api_leave();
  return r;
}

int
gpusim_function(void **fn, void *mod, const char *symbol, const struct gpusim_kernel *k)
{
  int r;
  api_enter();
  r = impl_function(fn, mod, symbol, k);
  api_leave();
  return r;
}

const char *
gpusim_function_symbol(void *fn)
{
  const char *r;
  api_enter();
  r = impl_function_symbol(fn);
  api_leave();
  return r;
}

int
gpusim_event_create(void **e)
{
  int r;
  api_enter();
  r = impl_event_create(e);
  api_leave();
  return r;
}

int
gpusim_event_destroy(void *e)
{
  int r;
  api_enter();
  r = impl_event_destroy(e);
  api_leave();
  return r;
}

int
gpusim_event_record(void *e)
{
  int r;
  api_enter();
  r = impl_event_record(e);
  api_leave();
  return r;
}

int
gpusim_event_sync(void *e)
{
  int r;
  api_enter();
  r = impl_event_sync(e);
  api_leave();
  return r;
}

int
gpusim_event_elapsed(float *ms, void *a, void *b)
{
  int r;
  api_enter();
  r = impl_event_elapsed(ms, a, b);
  api_leave();
  return r;
}

int
gpusim_launch_peak(void *fn, unsigned blocks, unsigned threads, uint64_t out, uint64_t in,
                   unsigned iters)
{
  int r;
  api_enter();
  r = impl_launch_peak(fn, blocks, threads, out, in, iters);
  api_leave();
  return r;
}

int
gpusim_launch_bw(void *fn, unsigned blocks, unsigned threads, uint64_t p0, uint64_t p1, uint64_t n,
                 uint32_t v)
{
  int r;
  api_enter();
  r = impl_launch_bw(fn, blocks, threads, p0, p1, n, v);
  api_leave();
  return r;
}

int
gpusim_reset(void)
{
  int r;
  api_enter();
  r = impl_reset();
  api_leave();
  return r;
}
