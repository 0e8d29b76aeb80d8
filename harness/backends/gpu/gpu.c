/* gpu.c - the GPU backends' shared layer: errors and resets, modules, the peak and
 * bandwidth workloads, telemetry sampling.  See gpu.h. */
#include "gpu/gpu.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MAX_OUT_BYTES (256u << 20)
#define BW_MAX_BYTES (4ull << 30)
#define BW_VERIFY_SAMPLES 64
#define SAMPLE_PERIOD_NS 2000000L /* the management library every 2 ms while a launch runs */
#define POWER_WINDOW_S 0.01       /* an energy counter gives a power over at least 10 ms */

size_t
tpp_gpu_args_pack(const struct tpp_gpu_args *a, void *buf, size_t cap)
{
  size_t at = 0;
  for (unsigned i = 0; i < a->n; i++) {
    size_t size = a->size[i];
    at = (at + size - 1) / size * size;
    if (at + size > cap)
      return 0;
    memcpy((unsigned char *)buf + at, a->value[i], size);
    at += size;
  }
  return at;
}

/* --- errors, resets, modules ----------------------------------------------------------- */

void
tpp_gpu_init(struct tpp_gpu *g, const struct tpp_gpu_sampler_ops *ops, void *sampler_dev)
{
  memset(&g->sampler, 0, sizeof(g->sampler));
  pthread_mutex_init(&g->sampler.lock, NULL);
  g->sampler.ops = ops;
  g->sampler.dev = sampler_dev;
}

void
tpp_gpu_fini(struct tpp_gpu *g)
{
  for (int m = 0; m < TPP_GPU_MAX_MODULES; m++)
    if (g->modules[m] && !g->lost[0])
      g->api->module_unload(g->modules[m]);
  pthread_mutex_destroy(&g->sampler.lock);
}

int
tpp_gpu_check(struct tpp_gpu *g, int status, const char *call, char *why, size_t whylen)
{
  if (status == 0)
    return 0;
  g->api->describe(status, call, why, whylen);
  if (g->api->is_sticky(status))
    tpp_gpu_reset(g, why);
  return TPP_EBACKEND;
}

void
tpp_gpu_reset(struct tpp_gpu *g, const char *cause)
{
  char why[224];
  if (g->lost[0])
    return;
  g->generation++;
  g->resets++;
  memset(g->modules, 0, sizeof(g->modules));
  memset(g->module_err, 0, sizeof(g->module_err));
  memset(g->module_unsup, 0, sizeof(g->module_unsup));
  if (g->api->reset(g, why, sizeof(why)) != 0)
    snprintf(g->lost, sizeof(g->lost), "%s, after %.96s", why, cause);
}

int
tpp_gpu_module(struct tpp_gpu *g, int m, void **mod, char *why, size_t whylen)
{
  if (g->lost[0]) {
    snprintf(why, whylen, "not run: the device was lost (%s)", g->lost);
    return TPP_EBACKEND;
  }
  if (m < 0 || m >= TPP_GPU_MAX_MODULES)
    return TPP_EINVAL;
  if (!g->modules[m] && !g->module_err[m][0]) {
    char err[sizeof(g->module_err[m])] = "";
    int status = 0, rc = g->load_module(g, m, &g->modules[m], &status, err, sizeof(err));
    if (rc != 0) {
      g->modules[m] = NULL;
      if (status && g->api->is_sticky(status))
        tpp_gpu_reset(g, err); /* the error is kept below: the module is not tried again */
      g->module_unsup[m] = rc == TPP_EUNSUP;
      snprintf(g->module_err[m], sizeof(g->module_err[m]), "%s", err[0] ? err : tpp_strerror(rc));
    }
  }
  if (g->module_err[m][0]) {
    snprintf(why, whylen, "%s", g->module_err[m]);
    return g->module_unsup[m] ? TPP_EUNSUP : TPP_EBACKEND;
  }
  *mod = g->modules[m];
  return 0;
}

/* Blocks of `threads` one unit holds at once for fn: the runtime's answer, or `fallback`. */
static int
occupancy(struct tpp_gpu *g, void *fn, unsigned threads, unsigned shared, unsigned fallback,
          unsigned *blocks, char *why, size_t whylen)
{
  int n = 0, rc;
  if (!g->api->occupancy) {
    *blocks = fallback ? fallback : 1;
    return 0;
  }
  if ((rc = tpp_gpu_check(g, g->api->occupancy(&n, fn, threads, shared),
                          g->api->call[TPP_GPU_OCCUPANCY], why, whylen)))
    return rc;
  if (n < 1) {
    snprintf(why, whylen, "%s: no block of %u threads fits on one %s",
             g->api->call[TPP_GPU_OCCUPANCY], threads, g->api->unit);
    return TPP_EBACKEND;
  }
  *blocks = (unsigned)n;
  return 0;
}

/* A workload's buffers are gone when the device was reset since it was prepared. */
static int
stale(const struct tpp_gpu *g, unsigned generation, char *why, size_t whylen)
{
  if (generation == g->generation)
    return 0;
  snprintf(why, whylen,
           "the device was reset after a sticky error; this workload's buffers are gone");
  return TPP_EBACKEND;
}

/* --- telemetry ------------------------------------------------------------------------- */

static void
sample_now(struct tpp_gpu_sampler *s)
{
  struct tpp_gpu_reading r = {NAN, NAN, NAN, NAN, NAN, 0};
  if (!s->ops || s->ops->read(s->dev, &r) != 0 || !(r.clock_mhz > 0))
    return;
  pthread_mutex_lock(&s->lock);
  s->clock_sum += r.clock_mhz;
  s->clock_min = s->n == 0 || r.clock_mhz < s->clock_min ? r.clock_mhz : s->clock_min;
  s->clock_max = r.clock_mhz > s->clock_max ? r.clock_mhz : s->clock_max;
  if (isfinite(r.power_w)) {
    s->power_sum += r.power_w;
    s->power_max = s->n_power == 0 ? r.power_w : fmax(s->power_max, r.power_w);
    s->n_power++;
  } else if (isfinite(r.energy_j) && isfinite(r.energy_time_s)) {
    /* Power from an energy counter: its differences within one launch only (never across
     * the idle gaps between launches), in windows long enough for the counter's steps. */
    if (s->window_open && r.energy_time_s > s->last_time && r.energy_j >= s->last_energy) {
      s->win_energy += r.energy_j - s->last_energy;
      s->win_time += r.energy_time_s - s->last_time;
      if (s->win_time >= POWER_WINDOW_S) {
        double p = s->win_energy / s->win_time;
        s->power_max = s->energy_s == 0 ? p : fmax(s->power_max, p);
        s->energy_j += s->win_energy;
        s->energy_s += s->win_time;
        s->win_energy = s->win_time = 0;
      }
    }
    s->last_energy = r.energy_j;
    s->last_time = r.energy_time_s;
    s->window_open = 1;
  }
  if (isfinite(r.temperature_c))
    s->temp_max = s->n == 0 ? r.temperature_c : fmax(s->temp_max, r.temperature_c);
  s->events |= r.events;
  s->n++;
  pthread_mutex_unlock(&s->lock);
}

static void *
sampler_thread(void *arg)
{
  struct tpp_gpu_sampler *s = arg;
  struct timespec period = {0, SAMPLE_PERIOD_NS};
  while (!atomic_load(&s->stop)) {
    if (atomic_load(&s->in_flight))
      sample_now(s);
    nanosleep(&period, NULL);
  }
  return NULL;
}

void
tpp_gpu_telemetry_begin(struct tpp_gpu *g)
{
  struct tpp_gpu_sampler *s = &g->sampler;
  pthread_mutex_lock(&s->lock);
  s->n = s->n_power = s->window_open = 0;
  s->clock_sum = s->clock_min = s->clock_max = s->power_sum = s->power_max = s->temp_max = 0;
  s->energy_j = s->energy_s = s->win_energy = s->win_time = 0;
  s->events = 0;
  pthread_mutex_unlock(&s->lock);
  s->running = 0;
  atomic_store(&s->stop, 0);
  atomic_store(&s->in_flight, 0);
  if (s->ops)
    s->running = pthread_create(&s->thread, NULL, sampler_thread, s) == 0;
}

void
tpp_gpu_telemetry_end(struct tpp_gpu *g, struct tpp_telemetry *t)
{
  struct tpp_gpu_sampler *s = &g->sampler;
  tpp_telemetry_clear(t);
  if (s->running) {
    atomic_store(&s->stop, 1);
    pthread_join(s->thread, NULL);
    s->running = 0;
  }
  if (s->n > 0) {
    t->samples = s->n;
    t->clock_mhz = s->clock_sum / s->n;
    t->clock_mhz_min = s->clock_min;
    t->clock_mhz_max = s->clock_max;
    if (s->n_power > 0) {
      t->power_w = s->power_sum / s->n_power;
      t->power_w_max = s->power_max;
    } else if (s->energy_s > 0) {
      t->power_w = s->energy_j / s->energy_s;
      t->power_w_max = s->power_max;
    }
    if (s->temp_max > 0)
      t->temperature_c_max = s->temp_max;
    if (s->events && s->ops->name_events)
      s->ops->name_events(s->events, t);
    t->clock_source = s->ops->source;
    return;
  }
  /* No management library: the stated maximum, so the per-clock peak is as high as it can
   * be (efficiency low, never high). */
  t->clock_mhz = t->clock_mhz_min = t->clock_mhz_max = g->info->clock_mhz_max;
  t->clock_source = "device-max";
}

void
tpp_gpu_backend_telemetry_begin(struct tpp_device *d)
{
  tpp_gpu_telemetry_begin(d->priv);
}

void
tpp_gpu_backend_telemetry_end(struct tpp_device *d, struct tpp_telemetry *t)
{
  tpp_gpu_telemetry_end(d->priv, t);
}

unsigned
tpp_gpu_backend_reset_count(struct tpp_device *d)
{
  return ((const struct tpp_gpu *)d->priv)->resets;
}

void
tpp_gpu_format_uuid(const void *bytes16, char *buf, size_t len)
{
  const unsigned char *b = bytes16;
  snprintf(buf, len, "GPU-%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
           b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13],
           b[14], b[15]);
}

/* One launch between two events: the device's own time.  A timed launch is sampled while in
 * flight: once right after it is queued, then by the sampler thread. */
static int
launch_timed(struct tpp_gpu *g, void *fn, size_t blocks, unsigned threads, unsigned shared,
             const struct tpp_gpu_args *args, void *e0, void *e1, int timed, double *seconds,
             char *why, size_t whylen)
{
  const struct tpp_gpu_api *api = g->api;
  struct tpp_gpu_sampler *s = &g->sampler;
  float ms = 0;
  int rc;
  if ((rc = tpp_gpu_check(g, api->event_record(e0), api->call[TPP_GPU_EVENT_RECORD], why,
                          whylen)) ||
      (rc = tpp_gpu_check(g, api->launch(fn, (unsigned)blocks, threads, shared, args),
                          api->call[TPP_GPU_LAUNCH], why, whylen)))
    return rc;
  if (timed) {
    atomic_store(&s->in_flight, 1);
    sample_now(s);
  }
  rc = tpp_gpu_check(g, api->event_record(e1), api->call[TPP_GPU_EVENT_RECORD], why, whylen);
  if (!rc)
    rc = tpp_gpu_check(g, api->event_sync(e1), api->call[TPP_GPU_EVENT_SYNC], why, whylen);
  if (timed) {
    atomic_store(&s->in_flight, 0);
    pthread_mutex_lock(&s->lock);
    s->window_open = 0; /* the next launch starts a new energy window */
    pthread_mutex_unlock(&s->lock);
  }
  if (!rc)
    rc = tpp_gpu_check(g, api->event_elapsed_ms(&ms, e0, e1), api->call[TPP_GPU_EVENT_ELAPSED], why,
                       whylen);
  if (!rc)
    *seconds = ms * 1e-3;
  return rc;
}

/* --- peak workloads --------------------------------------------------------------------- */

struct peak {
  struct tpp_gpu *g;
  struct tpp_gpu_kernel k;
  void *fn;
  tpp_gpu_ptr in, out;
  void *host_in, *host_out;
  size_t max_units;
  unsigned blocks_per_unit; /* the runtime's occupancy for this kernel */
  unsigned iters;
  unsigned generation; /* of the context its buffers live in */
  void *e0, *e1;
};

static size_t
blocks_of(const struct peak *pk, size_t units)
{
  return units * pk->blocks_per_unit * (size_t)pk->g->units;
}

static int
peak_run(void *impl, size_t units, int timed, double *seconds, char *why, size_t whylen)
{
  struct peak *pk = impl;
  struct tpp_gpu *g = pk->g;
  struct tpp_gpu_args args = {
      3, {&pk->out, &pk->in, &pk->iters},
       {8,        8,       4         }
  };
  int rc;
  if ((rc = stale(g, pk->generation, why, whylen)))
    return rc;
  /* Clear the output first (not timed): a launch that did nothing must not leave the
   * previous launch's right answer behind for the check. */
  if ((rc = tpp_gpu_check(
           g, g->api->memset8(pk->out, 0, blocks_of(pk, units) * pk->k.out_bytes_per_block),
           g->api->call[TPP_GPU_MEMSET], why, whylen)))
    return rc;
  return launch_timed(g, pk->fn, blocks_of(pk, units), pk->k.threads, pk->k.shared_bytes, &args,
                      pk->e0, pk->e1, timed, seconds, why, whylen);
}

/* Reads back what the check looks at (sampled threads and trailers, or every block) and
 * checks it. */
static int
peak_verify(void *impl, size_t units, char *why, size_t whylen)
{
  struct peak *pk = impl;
  struct tpp_gpu *g = pk->g;
  const struct tpp_gpu_kernel *k = &pk->k;
  const char *call = g->api->call[TPP_GPU_COPY_DTOH];
  size_t blocks = blocks_of(pk, units), bb = k->out_bytes_per_block;
  char what[96];
  int rc;
  if ((rc = stale(g, pk->generation, why, whylen)))
    return rc;
  snprintf(what, sizeof(what), "%s (reading the result back)", call);
  if (k->verify_samples) {
    size_t threads = blocks * k->threads;
    for (unsigned s = 0; s < k->verify_samples; s++) {
      size_t t = tpp_gpu_sample_thread(threads, s, k->verify_samples),
             at = t / k->threads * bb + t % k->threads * k->sample_bytes;
      if ((rc = tpp_gpu_check(
               g, g->api->copy_dtoh((char *)pk->host_out + at, pk->out + at, k->sample_bytes), what,
               why, whylen)))
        return rc;
    }
    for (size_t b = 0; k->trailer_bytes && b < blocks; b++) {
      size_t at = (b + 1) * bb - k->trailer_bytes;
      if ((rc = tpp_gpu_check(
               g, g->api->copy_dtoh((char *)pk->host_out + at, pk->out + at, k->trailer_bytes),
               what, why, whylen)))
        return rc;
    }
  } else if ((rc = tpp_gpu_check(g, g->api->copy_dtoh(pk->host_out, pk->out, blocks * bb), what,
                                 why, whylen))) {
    return rc;
  }
  return k->verify(pk->host_in, pk->host_out, blocks, pk->iters, why, whylen) == 0 ? 0
                                                                                   : TPP_EVERIFY;
}

static void
peak_release(void *impl)
{
  struct peak *pk = impl;
  if (!pk)
    return;
  if (pk->generation == pk->g->generation && !pk->g->lost[0]) {
    const struct tpp_gpu_api *api = pk->g->api;
    if (pk->in)
      api->mem_free(pk->in);
    if (pk->out)
      api->mem_free(pk->out);
    if (pk->e0)
      api->event_destroy(pk->e0);
    if (pk->e1)
      api->event_destroy(pk->e1);
  }
  free(pk->host_in);
  free(pk->host_out);
  free(pk);
}

/* Allocations and events of a workload, each named in a failure. */
static int
alloc(struct tpp_gpu *g, tpp_gpu_ptr *p, size_t bytes, const char *what, char *why, size_t whylen)
{
  char call[96];
  snprintf(call, sizeof(call), "%s (%s)", g->api->call[TPP_GPU_MEM_ALLOC], what);
  return tpp_gpu_check(g, g->api->mem_alloc(p, bytes), call, why, whylen);
}

static int
events(struct tpp_gpu *g, void **e0, void **e1, char *why, size_t whylen)
{
  const char *call = g->api->call[TPP_GPU_EVENT_CREATE];
  int rc = tpp_gpu_check(g, g->api->event_create(e0), call, why, whylen);
  return rc ? rc : tpp_gpu_check(g, g->api->event_create(e1), call, why, whylen);
}

int
tpp_gpu_prepare_peak(struct tpp_gpu *g, const struct tpp_gpu_kernel *k, struct tpp_workload *w,
                     char *why, size_t whylen)
{
  const struct tpp_gpu_api *api = g->api;
  struct peak *pk;
  void *mod;
  size_t out_bytes;
  int rc;

  if ((rc = tpp_gpu_module(g, k->module, &mod, why, whylen)))
    return rc;
  if (!(pk = calloc(1, sizeof(*pk))))
    return TPP_ENOMEM;
  pk->g = g;
  pk->k = *k;
  pk->iters = k->iters;
  pk->generation = g->generation;
  rc = TPP_EBACKEND;
  if (tpp_gpu_check(g, api->function(&pk->fn, mod, k->symbol), k->symbol, why, whylen))
    goto fail;
  if (k->shared_bytes > 48 * 1024 && api->set_shared &&
      tpp_gpu_check(g, api->set_shared(pk->fn, k->shared_bytes), api->call[TPP_GPU_SET_SHARED], why,
                    whylen))
    goto fail;
  /* Every unit full: as many blocks as the runtime says fit (registers, shared memory,
   * threads), not an assumption (154 registers let 3 wgmma blocks share an SM, not 2). */
  if ((rc = occupancy(g, pk->fn, k->threads, k->shared_bytes, k->blocks_per_unit,
                      &pk->blocks_per_unit, why, whylen)))
    goto fail;
  rc = TPP_EBACKEND;
  /* The grid may grow until its output reaches MAX_OUT_BYTES. */
  pk->max_units = MAX_OUT_BYTES / (k->out_bytes_per_block * pk->blocks_per_unit * (size_t)g->units);
  if (pk->max_units < 1)
    pk->max_units = 1;
  if (pk->max_units > 1024)
    pk->max_units = 1024;
  out_bytes = blocks_of(pk, pk->max_units) * k->out_bytes_per_block;
  pk->host_out = calloc(1, out_bytes);
  pk->host_in = malloc(k->in_bytes ? k->in_bytes : 1);
  if (!pk->host_out || !pk->host_in) {
    rc = TPP_ENOMEM;
    goto fail;
  }
  k->make_input(pk->host_in, k->in_bytes, TPP_GPU_INPUT_SEED);
  if (alloc(g, &pk->out, out_bytes, "output buffer", why, whylen) ||
      alloc(g, &pk->in, k->in_bytes ? k->in_bytes : 16, "input buffer", why, whylen) ||
      (k->in_bytes && tpp_gpu_check(g, api->copy_htod(pk->in, pk->host_in, k->in_bytes),
                                    api->call[TPP_GPU_COPY_HTOD], why, whylen)) ||
      events(g, &pk->e0, &pk->e1, why, whylen))
    goto fail;

  memset(w, 0, sizeof(*w));
  w->impl = pk;
  w->kernel = k->variant;
  w->image = g->module_image[k->module];
  w->image_len = g->module_image_len[k->module];
  w->ops_per_unit = k->ops_per_block_per_iter * k->iters * pk->blocks_per_unit * (double)g->units;
  w->min_units = 1;
  w->max_units = pk->max_units;
  w->lower_bound = k->lower_bound;
  w->run = peak_run;
  w->verify = peak_verify;
  w->release = peak_release;
  return 0;

fail:
  peak_release(pk);
  return rc;
}

/* --- bandwidth -------------------------------------------------------------------------- */

uint32_t
tpp_gpu_bw_value(uint64_t index, uint32_t v)
{
  return (uint32_t)index ^ v;
}

uint32_t
tpp_gpu_bw_read_expect(uint64_t t, uint64_t threads, uint64_t n, uint32_t v)
{
  uint32_t x = 0;
  for (uint64_t i = t; i < n; i += threads)
    x ^= tpp_gpu_bw_value(i, v);
  return x;
}

struct bw {
  struct tpp_gpu *g;
  enum tpp_bw_kind kind;
  void *fn;
  tpp_gpu_ptr in, out;
  uint64_t n; /* 16-byte elements */
  size_t blocks;
  uint32_t v; /* the pattern of the input (read, copy) or of the last write */
  unsigned generation;
  void *e0, *e1;
  char name[48];
};

static size_t
bw_threads(const struct bw *bw)
{
  return bw->blocks * TPP_GPU_BW_THREADS;
}

static int
bw_run(void *impl, size_t units, int timed, double *seconds, char *why, size_t whylen)
{
  struct bw *bw = impl;
  struct tpp_gpu *g = bw->g;
  int rc;
  (void)units; /* the whole buffer, always */
  if ((rc = stale(g, bw->generation, why, whylen)))
    return rc;
  if (bw->kind == TPP_BW_WRITE) {
    struct tpp_gpu_args args = {
        3, {&bw->out, &bw->n, &bw->v},
         {8,        8,      4     }
    };
    bw->v += 0x9e3779b9u; /* a new pattern each launch */
    return launch_timed(g, bw->fn, bw->blocks, TPP_GPU_BW_THREADS, 0, &args, bw->e0, bw->e1, timed,
                        seconds, why, whylen);
  }
  {
    struct tpp_gpu_args args = {
        3, {&bw->in, &bw->out, &bw->n},
         {8,       8,        8     }
    };
    size_t out_bytes = bw->kind == TPP_BW_READ ? bw_threads(bw) * 16 : bw->n * 16;
    /* a launch that does nothing shows */
    if ((rc = tpp_gpu_check(g, g->api->memset8(bw->out, 0, out_bytes), g->api->call[TPP_GPU_MEMSET],
                            why, whylen)))
      return rc;
    return launch_timed(g, bw->fn, bw->blocks, TPP_GPU_BW_THREADS, 0, &args, bw->e0, bw->e1, timed,
                        seconds, why, whylen);
  }
}

static int
bw_verify(void *impl, size_t units, char *why, size_t whylen)
{
  struct bw *bw = impl;
  struct tpp_gpu *g = bw->g;
  size_t threads = bw_threads(bw);
  int rc;
  (void)units;
  if ((rc = stale(g, bw->generation, why, whylen)))
    return rc;
  for (size_t s = 0; s < BW_VERIFY_SAMPLES; s++) {
    uint32_t got[4], want;
    size_t index;
    if (bw->kind == TPP_BW_READ) {
      index = tpp_gpu_sample_thread(threads, s, BW_VERIFY_SAMPLES);
      want = tpp_gpu_bw_read_expect(index, threads, bw->n, bw->v);
    } else {
      index = tpp_gpu_sample_thread(bw->n, s, BW_VERIFY_SAMPLES);
      want = tpp_gpu_bw_value(index, bw->v);
    }
    if ((rc = tpp_gpu_check(g, g->api->copy_dtoh(got, bw->out + index * 16, 16),
                            g->api->call[TPP_GPU_COPY_DTOH], why, whylen)))
      return rc;
    for (int l = 0; l < 4; l++)
      if (got[l] != want) {
        snprintf(why, whylen, "%s: element %zu lane %d is 0x%08x, host expects 0x%08x", bw->name,
                 index, l, got[l], want);
        return TPP_EVERIFY;
      }
  }
  return 0;
}

static void
bw_release(void *impl)
{
  struct bw *bw = impl;
  if (!bw)
    return;
  if (bw->generation == bw->g->generation && !bw->g->lost[0]) {
    const struct tpp_gpu_api *api = bw->g->api;
    if (bw->in)
      api->mem_free(bw->in);
    if (bw->out)
      api->mem_free(bw->out);
    if (bw->e0)
      api->event_destroy(bw->e0);
    if (bw->e1)
      api->event_destroy(bw->e1);
  }
  free(bw);
}

int
tpp_gpu_prepare_bandwidth(struct tpp_gpu *g, const struct tpp_gpu_bandwidth *b,
                          enum tpp_bw_kind kind, struct tpp_workload *w, char *why, size_t whylen)
{
  const struct tpp_gpu_api *api = g->api;
  struct bw *bw;
  void *mod;
  uint64_t bytes;
  unsigned per_unit = 0;
  int rc;

  if ((unsigned)kind >= TPP_BW_KIND_COUNT)
    return TPP_EINVAL;
  if ((rc = tpp_gpu_module(g, b->module, &mod, why, whylen)))
    return rc;
  if (!(bw = calloc(1, sizeof(*bw))))
    return TPP_ENOMEM;
  bw->g = g;
  bw->generation = g->generation;
  bw->kind = kind;
  bytes = g->info->global_mem_bytes / 4;
  if (bytes > BW_MAX_BYTES)
    bytes = BW_MAX_BYTES;
  bw->n = bytes / 16;
  bw->v = 0x5bd1e995u;
  snprintf(bw->name, sizeof(bw->name), "%s.uint4x%llu", tpp_bw_kind_name(kind),
           (unsigned long long)bw->n);
  rc = TPP_EBACKEND;
  if (tpp_gpu_check(g, api->function(&bw->fn, mod, b->symbol[kind]), b->symbol[kind], why,
                    whylen) ||
      occupancy(g, bw->fn, TPP_GPU_BW_THREADS, 0, b->blocks_per_unit, &per_unit, why, whylen))
    goto fail;
  bw->blocks = (size_t)per_unit * (size_t)g->units; /* every unit full: loads in flight */
  if (alloc(g, &bw->out, kind == TPP_BW_READ ? bw_threads(bw) * 16 : bw->n * 16, "output buffer",
            why, whylen) ||
      (kind != TPP_BW_WRITE && alloc(g, &bw->in, bw->n * 16, "input buffer", why, whylen)) ||
      events(g, &bw->e0, &bw->e1, why, whylen))
    goto fail;
  if (bw->in) {
    /* The input holds the write pattern for v: fill it with the write kernel itself. */
    void *fill;
    double t;
    struct tpp_gpu_args args = {
        3, {&bw->in, &bw->n, &bw->v},
         {8,       8,      4     }
    };
    if (tpp_gpu_check(g, api->function(&fill, mod, b->symbol[TPP_BW_WRITE]), "fill kernel", why,
                      whylen) ||
        launch_timed(g, fill, bw->blocks, TPP_GPU_BW_THREADS, 0, &args, bw->e0, bw->e1, 0, &t, why,
                     whylen) != 0)
      goto fail;
  }
  memset(w, 0, sizeof(*w));
  w->impl = bw;
  w->kernel = bw->name;
  w->image = g->module_image[b->module];
  w->image_len = g->module_image_len[b->module];
  w->ops_per_unit = (double)bw->n * 16 * (kind == TPP_BW_COPY ? 2 : 1);
  w->min_units = w->max_units = 1;
  w->run = bw_run;
  w->verify = bw_verify;
  w->release = bw_release;
  return 0;

fail:
  bw_release(bw);
  return rc;
}
