/* progress.h - what a run is doing, while it does it, for every device at once.
 *
 * A run of several devices measures them concurrently, so the lines of all of them go
 * through one reporter that numbers the rows of the whole run ([k/N]), keeps the lines whole,
 * and estimates the time left from the rows done so far.  On a terminal each row gets a line
 * before it starts (`[k/N] device precision path`, elapsed, time left) and one with its
 * figure; off a terminal (logs, CI) one plain line when it ends.  With no stream (--quiet)
 * it only counts.
 */
#ifndef TPP_PROGRESS_H
#define TPP_PROGRESS_H

#include <stddef.h>
#include <stdio.h>

#include "tpp/result.h"

struct tpp_progress;

/* f may be NULL (count only); tty: f is a terminal.  total: rows of the whole run. */
struct tpp_progress *tpp_progress_new(FILE *f, int tty, size_t total);
void tpp_progress_free(struct tpp_progress *p);

/* A row (or a kernel variant of one: new_row = 0) is about to be measured; its number. */
size_t tpp_progress_begin(struct tpp_progress *p, const char *device, const char *what,
                          int new_row);
/* It ended: one line with its figure or why not (new_row as given to begin). */
void tpp_progress_row(struct tpp_progress *p, size_t k, const char *device, const struct tpp_row *r,
                      int new_row);
void tpp_progress_bw(struct tpp_progress *p, size_t k, const char *device,
                     const struct tpp_bw_row *b);
/* A note of one device ("profile: ...", "not measured: ..."), kept whole. */
void tpp_progress_note(struct tpp_progress *p, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Rows begun so far, and of how many; seconds since tpp_progress_new. */
size_t tpp_progress_started(struct tpp_progress *p, size_t *total);
double tpp_progress_elapsed(struct tpp_progress *p);

#endif
