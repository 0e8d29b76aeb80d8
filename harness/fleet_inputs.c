/* fleet_inputs.c - fleet's inputs: paths, directories, lists; reading them on several
 * threads, merged in order.  See fleet_inputs.h and docs/fleet.md. */
#define _GNU_SOURCE /* sched_getaffinity, CPU_COUNT; d_type */
#include "tpp/fleet_inputs.h"

#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "tpp/jsonread.h"
#include "tpp/result.h"

/* Deeper directories than this are a loop (bind mounts) or a mistake: not read. */
#define FLEET_MAX_DEPTH 64
#define FLEET_MAX_THREADS 16

/* --- naming the inputs --------------------------------------------------------------- */

static char *format(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static char *
format(const char *fmt, ...)
{
  va_list ap;
  char *s = NULL;
  va_start(ap, fmt);
  if (vasprintf(&s, fmt, ap) < 0)
    s = NULL;
  va_end(ap);
  return s;
}

/* Append an input; path is copied, skip and error (may be NULL) are taken over. */
static int
push(struct tpp_fleet_inputs *in, const char *path, char *skip, char *error)
{
  struct tpp_fleet_input *e;
  if (in->n == in->cap) {
    size_t cap = in->cap ? 2 * in->cap : 64;
    struct tpp_fleet_input *grown = realloc(in->v, cap * sizeof(*grown));
    if (!grown)
      goto fail;
    in->v = grown;
    in->cap = cap;
  }
  e = &in->v[in->n];
  if (!(e->path = strdup(path)))
    goto fail;
  e->skip = skip;
  e->error = error;
  in->n++;
  return 0;
fail:
  free(skip);
  free(error);
  return TPP_ENOMEM;
}

static int
by_name(const void *a, const void *b)
{
  return strcmp(*(char *const *)a, *(char *const *)b);
}

static int
ends_with(const char *name, const char *tail)
{
  size_t n = strlen(name), t = strlen(tail);
  return n > t && strcmp(name + n - t, tail) == 0;
}

/* Every *.json under dir, in name order; *others counts the files not so named. */
static int
add_dir(struct tpp_fleet_inputs *in, const char *dir, int depth, size_t *others)
{
  DIR *d;
  struct dirent *e;
  char **names = NULL;
  size_t n = 0, cap = 0;
  int err = 0;

  if (depth > FLEET_MAX_DEPTH)
    return push(in, dir, NULL,
                format("%s: more than %d directories deep: not read", dir, FLEET_MAX_DEPTH));
  if (!(d = opendir(dir)))
    return push(in, dir, NULL, format("%s: cannot list the directory: %s", dir, strerror(errno)));
  while ((e = readdir(d)) != NULL) {
    if (e->d_name[0] == '.')
      continue; /* ".", "..", hidden files */
    if (n == cap) {
      char **grown = realloc(names, (cap = cap ? 2 * cap : 64) * sizeof(*names));
      if (!grown) {
        err = TPP_ENOMEM;
        goto out;
      }
      names = grown;
    }
    if (!(names[n] = strdup(e->d_name))) {
      err = TPP_ENOMEM;
      goto out;
    }
    n++;
  }
  if (n > 1) /* qsort takes no NULL array, even empty (UBSan) */
    qsort(names, n, sizeof(*names), by_name);
  for (size_t i = 0; i < n && err == 0; i++) {
    struct stat st, lst;
    char *path = format("%s%s%s", dir, dir[0] && dir[strlen(dir) - 1] == '/' ? "" : "/", names[i]);
    if (!path) {
      err = TPP_ENOMEM;
      break;
    }
    if (lstat(path, &lst) != 0) {
      err = push(in, path, NULL, format("%s: %s", path, strerror(errno)));
    } else if (S_ISDIR(lst.st_mode)) {
      err = add_dir(in, path, depth + 1, others);
    } else if (ends_with(names[i], ".json.minisig")) {
      /* a result's signature: read with it under --trust, not an input of its own */
    } else if (!ends_with(names[i], ".json")) {
      ++*others;
      err = push(in, path, format("not named *.json"), NULL);
    } else if (S_ISLNK(lst.st_mode) && stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
      err = push(in, path, format("a symbolic link to a directory (not followed)"), NULL);
    } else {
      err = push(in, path, NULL, NULL); /* a file, or a link to one (or a broken link) */
    }
    free(path);
  }
out:
  for (size_t i = 0; i < n; i++)
    free(names[i]);
  free(names);
  closedir(d);
  return err;
}

int
tpp_fleet_inputs_add(struct tpp_fleet_inputs *in, const char *path, FILE *log)
{
  struct stat st;
  size_t others = 0;
  int err;
  if (stat(path, &st) != 0 || !S_ISDIR(st.st_mode))
    return push(in, path, NULL, NULL);
  err = add_dir(in, path, 0, &others);
  if (err == 0 && others > 0 && log)
    fprintf(log, "tppbench: note: %s: %zu files not named *.json were skipped\n", path, others);
  return err;
}

int
tpp_fleet_inputs_add_list(struct tpp_fleet_inputs *in, const char *list, FILE *log,
                          struct tpp_diag *diag)
{
  int from_stdin = strcmp(list, "-") == 0, err = 0;
  FILE *f;
  char *line = NULL;
  size_t cap = 0;
  ssize_t len;

  if (from_stdin) {
    if (in->stdin_read)
      return tpp_diag_set(diag, TPP_EINVAL, NULL, 0, "-",
                          "the list on stdin is given twice (\"-\" and --files-from -)");
    in->stdin_read = 1;
    f = stdin;
  } else if (!(f = fopen(list, "r"))) {
    int e = errno;
    return tpp_diag_set(diag, e == ENOENT || e == ENOTDIR ? TPP_ENOENT : TPP_EIO, list, 0,
                        "--files-from", "cannot open the list: %s", strerror(e));
  }
  while (err == 0 && (len = getline(&line, &cap, f)) >= 0) {
    if (len > 0 && line[len - 1] == '\n')
      line[--len] = '\0';
    if (len > 0 && line[len - 1] == '\r')
      line[--len] = '\0';
    if (len > 0)
      err = tpp_fleet_inputs_add(in, line, log);
  }
  if (err == 0 && ferror(f))
    err = tpp_diag_set(diag, TPP_EIO, from_stdin ? "(stdin)" : list, 0, "--files-from",
                       "cannot read the list: %s", strerror(errno));
  free(line);
  if (!from_stdin)
    fclose(f);
  return err;
}

void
tpp_fleet_inputs_free(struct tpp_fleet_inputs *in)
{
  for (size_t i = 0; i < in->n; i++) {
    free(in->v[i].path);
    free(in->v[i].skip);
    free(in->v[i].error);
  }
  free(in->v);
  memset(in, 0, sizeof(*in));
}

/* --- reading ------------------------------------------------------------------------- */

/* One input, read (by any thread) into a fleet of its own, then merged in order. */
struct job {
  int done;
  int err;       /* the file is bad: message says why */
  char *message; /* "file:line:col: field: why" */
  char *skip;    /* not a result: why */
  int noted;     /* skip was already noted (a directory's files not named *.json) */
  void *note;    /* what opts->check noted (the signer), for opts->accepted */
  struct tpp_fleet part;
};

struct reader {
  struct tpp_fleet *f;
  const struct tpp_fleet_inputs *in;
  const struct tpp_fleet_load *o;
  struct job *ring; /* input i in ring[i % window] */
  size_t window;
  pthread_mutex_t lock;
  pthread_cond_t ready, room;
  size_t next;     /* the next input a thread takes */
  size_t consumed; /* inputs merged so far */
  int stop;
};

struct parse_arg {
  const struct reader *rd;
  const char *path;
  struct job *job;
  int add_failed;
};

static int
parse_cb(struct tpp_jctx *c, json_t *root, void *arg)
{
  struct parse_arg *a = arg;
  struct tpp_result r;
  char what[200];
  long sim;
  int err;
  if (!tpp_result_recognise(root, what, sizeof(what))) {
    a->job->skip = strdup(what);
    return a->job->skip ? 0 : TPP_ENOMEM;
  }
  if ((err = tpp_result_from_json_checked(c, root, a->rd->f->rs, &r)) != 0)
    return err;
  if (!a->rd->o->allow_simulated && (sim = tpp_result_find_simulated(&r)) >= 0) {
    char p[96];
    snprintf(p, sizeof(p), "devices[%ld].identity.simulated", sim);
    err = tpp_jfail(c, TPP_EPARSE, p,
                    "%s (%s) is a simulated device (a test driver's), not a measurement: "
                    "fleet takes none",
                    r.devices[sim].info.selector, r.devices[sim].info.name);
    tpp_result_free(&r);
    return err;
  }
  err = tpp_fleet_add(&a->job->part, a->path, &r, a->rd->o->profiles);
  a->add_failed = err != 0;
  tpp_result_free(&r);
  return err;
}

/* A file --trust rejected: is it a result at all?  Only to skip what is not one. */
static int
probe_cb(struct tpp_jctx *c, json_t *root, void *arg)
{
  char what[200], **skip = arg;
  (void)c;
  if (!tpp_result_recognise(root, what, sizeof(what)))
    *skip = strdup(what);
  return 0;
}

static void
read_one(const struct reader *rd, size_t i, struct job *job, struct tpp_fleet_memo *memo)
{
  const struct tpp_fleet_input *in = &rd->in->v[i];
  struct parse_arg a = {rd, in->path, job, 0};
  struct tpp_diag diag = {0};
  char msg[1200], *text = NULL;
  size_t len = 0;

  memset(job, 0, sizeof(*job));
  tpp_fleet_init(&job->part, rd->f->rs, rd->f->basis);
  if (in->error) {
    job->err = TPP_EIO;
    job->message = strdup(in->error);
    return;
  }
  if (in->skip) {
    job->skip = strdup(in->skip);
    job->noted = 1;
    return;
  }
  /* Read once: a signature is checked over these bytes before they are parsed, and the
   * file is never read again (a file swapped on disk in between changes nothing). */
  if ((job->err = tpp_jread_file(in->path, &text, &len, &diag)) != 0) {
    /* reported below */
  } else if (rd->o->check && (job->err = rd->o->check(rd->o->check_arg, in->path, text, len,
                                                      &job->note, &diag)) != 0) {
    struct tpp_diag ignored = {0};
    if (job->err != TPP_ENOMEM &&
        tpp_jparse_text(in->path, text, probe_cb, &job->skip, &ignored) == 0 && job->skip) {
      job->err = 0;
      free(text);
      return;
    }
  } else {
    job->part.memo = memo; /* this thread's: borrowed for the reading only */
    job->err = tpp_jparse_text(in->path, text, parse_cb, &a, &diag);
    job->part.memo = NULL;
  }
  free(text);
  if (job->err == 0)
    return;
  if (a.add_failed)
    snprintf(msg, sizeof(msg), "%s: %s", in->path,
             job->part.why[0] ? job->part.why : tpp_strerror(job->err));
  else if (diag.text[0] || diag.file[0])
    tpp_diag_format(&diag, msg, sizeof(msg));
  else
    snprintf(msg, sizeof(msg), "%s: %s", in->path, tpp_strerror(job->err));
  job->message = strdup(msg);
}

static void
job_free(struct job *job)
{
  free(job->message);
  free(job->skip);
  free(job->note);
  tpp_fleet_free(&job->part);
  memset(job, 0, sizeof(*job));
}

/* Merge input i's job into the fleet, in order: check, notes, warnings, errors.  0, or the
 * error that ends the reading. */
static int
consume(struct reader *rd, size_t i, struct job *job)
{
  const struct tpp_fleet_load *o = rd->o;
  const char *path = rd->in->v[i].path;
  struct tpp_fleet *f = rd->f;
  size_t dups = f->n_dups;
  int err = job->err;

  if (err == 0 && job->skip) {
    if (!job->noted && o->log)
      fprintf(o->log, "tppbench: note: %s: %s; skipped\n", path, job->skip);
    return tpp_fleet_note_skipped(f, path, job->skip);
  }
  if (err != 0) {
    const char *why = job->message ? job->message : tpp_strerror(err);
    if (o->log)
      fprintf(o->log, "tppbench: %s\n", why);
    if (err == TPP_ENOMEM || !o->keep_going)
      return err;
    return tpp_fleet_note_not_read(f, path, why);
  }
  if ((err = tpp_fleet_merge(f, &job->part)) != 0)
    return err;
  if (o->accepted) {
    o->accepted(o->check_arg, path, job->note);
    job->note = NULL;
  }
  for (; o->log && dups < f->n_dups; dups++)
    fprintf(o->log,
            "tppbench: warning: %s: %s is the device already counted from %s (%s); counted "
            "once\n",
            f->dups[dups].again, f->dups[dups].name, f->dups[dups].first, f->dups[dups].key);
  return 0;
}

static void *
worker(void *arg)
{
  struct reader *rd = arg;
  struct tpp_fleet_memo *memo = tpp_fleet_memo_new(); /* NULL: matched without one */
  pthread_mutex_lock(&rd->lock);
  while (!rd->stop && rd->next < rd->in->n) {
    size_t i;
    struct job *job;
    if (rd->next >= rd->consumed + rd->window) {
      pthread_cond_wait(&rd->room, &rd->lock);
      continue;
    }
    i = rd->next++;
    job = &rd->ring[i % rd->window];
    pthread_mutex_unlock(&rd->lock);
    read_one(rd, i, job, memo);
    pthread_mutex_lock(&rd->lock);
    job->done = 1;
    pthread_cond_broadcast(&rd->ready);
  }
  pthread_mutex_unlock(&rd->lock);
  tpp_fleet_memo_free(memo);
  return NULL;
}

static unsigned
cpus(void)
{
  cpu_set_t set;
  int n = 0;
  if (sched_getaffinity(0, sizeof(set), &set) == 0)
    n = CPU_COUNT(&set);
  return n > 0 ? (unsigned)n : 1;
}

int
tpp_fleet_load(struct tpp_fleet *f, const struct tpp_fleet_inputs *in,
               const struct tpp_fleet_load *opts)
{
  struct reader rd = {.f = f, .in = in, .o = opts};
  pthread_t threads[FLEET_MAX_THREADS];
  unsigned n_threads = opts->threads ? opts->threads : cpus(), started = 0;
  int err = 0;

  if (n_threads > FLEET_MAX_THREADS)
    n_threads = FLEET_MAX_THREADS;
  if (n_threads > in->n)
    n_threads = in->n ? (unsigned)in->n : 1;
  if (n_threads <= 1) {
    /* One at a time, on this thread. */
    struct tpp_fleet_memo *memo = tpp_fleet_memo_new();
    struct job job;
    for (size_t i = 0; i < in->n && err == 0; i++) {
      read_one(&rd, i, &job, memo);
      err = consume(&rd, i, &job);
      job_free(&job);
    }
    tpp_fleet_memo_free(memo);
    return err;
  }
  /* A few files per thread ahead of the merge: enough to keep the threads busy, few
   * enough that the memory held does not grow with the number of files. */
  rd.window = 4 * (size_t)n_threads;
  if (!(rd.ring = calloc(rd.window, sizeof(*rd.ring))))
    return TPP_ENOMEM;
  pthread_mutex_init(&rd.lock, NULL);
  pthread_cond_init(&rd.ready, NULL);
  pthread_cond_init(&rd.room, NULL);
  for (; started < n_threads; started++)
    if (pthread_create(&threads[started], NULL, worker, &rd) != 0)
      break;
  if (started == 0) {
    err = TPP_ENOMEM;
    goto out;
  }
  for (size_t i = 0; i < in->n && err == 0; i++) {
    struct job *job = &rd.ring[i % rd.window];
    pthread_mutex_lock(&rd.lock);
    while (!job->done)
      pthread_cond_wait(&rd.ready, &rd.lock);
    pthread_mutex_unlock(&rd.lock);
    err = consume(&rd, i, job);
    job_free(job); /* done = 0: the slot is free for input i + window */
    pthread_mutex_lock(&rd.lock);
    rd.consumed = i + 1;
    pthread_cond_broadcast(&rd.room);
    pthread_mutex_unlock(&rd.lock);
  }
  pthread_mutex_lock(&rd.lock);
  rd.stop = 1;
  pthread_cond_broadcast(&rd.room);
  pthread_mutex_unlock(&rd.lock);
out:
  for (unsigned t = 0; t < started; t++)
    pthread_join(threads[t], NULL);
  for (size_t k = 0; k < rd.window; k++)
    job_free(&rd.ring[k]); /* read, but not merged: the reading stopped */
  pthread_cond_destroy(&rd.room);
  pthread_cond_destroy(&rd.ready);
  pthread_mutex_destroy(&rd.lock);
  free(rd.ring);
  return err;
}
