/* progress.c - one reporter for every device of a run.  See progress.h. */
#include "tpp/progress.h"

#include <math.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdlib.h>
#include <time.h>

#include "tpp/metrics.h"

struct tpp_progress {
  FILE *f;
  int tty;
  size_t total, started, done;
  struct timespec t0;
  pthread_mutex_t lock;
};

static double
now_s(void)
{
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

struct tpp_progress *
tpp_progress_new(FILE *f, int tty, size_t total)
{
  struct tpp_progress *p = calloc(1, sizeof(*p));
  if (!p)
    return NULL;
  p->f = f;
  p->tty = tty;
  p->total = total;
  clock_gettime(CLOCK_MONOTONIC, &p->t0);
  pthread_mutex_init(&p->lock, NULL);
  return p;
}

void
tpp_progress_free(struct tpp_progress *p)
{
  if (!p)
    return;
  pthread_mutex_destroy(&p->lock);
  free(p);
}

double
tpp_progress_elapsed(struct tpp_progress *p)
{
  return now_s() - ((double)p->t0.tv_sec + 1e-9 * (double)p->t0.tv_nsec);
}

/* "1m05s", "12s" */
static void
fmt_dur(char *buf, size_t len, double s)
{
  long v = lround(s);
  if (v >= 60)
    snprintf(buf, len, "%ldm%02lds", v / 60, v % 60);
  else
    snprintf(buf, len, "%lds", v);
}

size_t
tpp_progress_begin(struct tpp_progress *p, const char *device, const char *what, int new_row)
{
  size_t k;
  pthread_mutex_lock(&p->lock);
  if (new_row && p->started < p->total)
    p->started++;
  k = p->started;
  if (p->f && p->tty && new_row) { /* a further variant may not exist: no line for it */
    double el = tpp_progress_elapsed(p);
    char e[16], d[16], left[48] = "time left not known yet";
    /* Rows end at about the rate they have ended so far (the devices run at once). */
    if (p->done > 0) {
      fmt_dur(d, sizeof(d), el / (double)p->done * (double)(p->total - p->done));
      snprintf(left, sizeof(left), "about %s left", d);
    }
    fmt_dur(e, sizeof(e), el);
    fprintf(p->f, "[%zu/%zu] %s %s  (elapsed %s, %s)\n", k, p->total, device, what, e, left);
    fflush(p->f);
  }
  pthread_mutex_unlock(&p->lock);
  return k;
}

/* "[k/N] device " off a terminal, an indent on one (the line before said which row). */
static void
lead(struct tpp_progress *p, size_t k, const char *device)
{
  if (p->tty)
    fprintf(p->f, "    ");
  else
    fprintf(p->f, "[%zu/%zu] %s ", k, p->total, device);
}

void
tpp_progress_row(struct tpp_progress *p, size_t k, const char *device, const struct tpp_row *r,
                 int new_row)
{
  pthread_mutex_lock(&p->lock);
  p->done += new_row ? 1 : 0;
  if (p->f && r->status != TPP_ROW_SKIPPED) {
    lead(p, k, device);
    if (r->status == TPP_ROW_OK)
      fprintf(p->f, "%-6s %-6s %10.4g TOPS  (cv %.2f%%, %s)%s%s  %.1fs\n",
              tpp_precision_name(r->precision), tpp_path_name(r->path), r->tops, 100 * r->stats.cv,
              r->kernel, r->unchecked ? ", unchecked: no per-clock rate" : "",
              r->lower_bound ? ", lower bound: not the device's peak path" : "",
              tpp_progress_elapsed(p));
    else
      fprintf(p->f, "%-6s %-6s %s: %s  %.1fs\n", tpp_precision_name(r->precision),
              tpp_path_name(r->path), tpp_row_status_name(r->status), r->reason,
              tpp_progress_elapsed(p));
    fflush(p->f);
  }
  pthread_mutex_unlock(&p->lock);
}

void
tpp_progress_bw(struct tpp_progress *p, size_t k, const char *device, const struct tpp_bw_row *b)
{
  pthread_mutex_lock(&p->lock);
  p->done++;
  if (p->f) {
    lead(p, k, device);
    if (b->status == TPP_ROW_OK)
      fprintf(p->f, "memory %-5s %9.4g GB/s  (cv %.2f%%)  %.1fs\n", b->kind, b->gbs,
              100 * b->stats.cv, tpp_progress_elapsed(p));
    else
      fprintf(p->f, "memory %-5s %s: %s  %.1fs\n", b->kind, tpp_row_status_name(b->status),
              b->reason, tpp_progress_elapsed(p));
    fflush(p->f);
  }
  pthread_mutex_unlock(&p->lock);
}

void
tpp_progress_note(struct tpp_progress *p, const char *fmt, ...)
{
  va_list ap;
  if (!p->f)
    return;
  pthread_mutex_lock(&p->lock);
  va_start(ap, fmt);
  vfprintf(p->f, fmt, ap);
  va_end(ap);
  fflush(p->f);
  pthread_mutex_unlock(&p->lock);
}

size_t
tpp_progress_started(struct tpp_progress *p, size_t *total)
{
  size_t k;
  pthread_mutex_lock(&p->lock);
  k = p->started;
  if (total)
    *total = p->total;
  pthread_mutex_unlock(&p->lock);
  return k;
}
