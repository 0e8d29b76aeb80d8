/* error.h - tppbench error codes: one table, negative values, messages beside them.
 *
 * Every function that can fail returns 0 (or a non-negative count) on success and one of
 * these negative codes on failure.  Where a caller needs more than the code (file, line,
 * field), the function also fills a struct tpp_diag passed by the caller.
 */
#ifndef TPP_ERROR_H
#define TPP_ERROR_H

#include <stddef.h>

/* XX(name, exit status, message).  Exit status is what the CLI returns for the code:
 * 2 for bad usage or bad input, 1 for any other failure. */
#define TPP_ERRNO_MAP(XX)                                                    \
  XX(EINVAL, 2, "invalid argument")                                          \
  XX(EPARSE, 2, "malformed input")                                           \
  XX(ENOENT, 2, "no such file, device or entry")                             \
  XX(ENOMEM, 1, "out of memory")                                             \
  XX(EIO, 1, "input/output error")                                           \
  XX(ENODEV, 1, "no device available")                                       \
  XX(EUNSUP, 1, "not supported by this device or backend")                   \
  XX(EBACKEND, 1, "backend runtime error")                                   \
  XX(EVERIFY, 1, "result does not match the host-computed value")            \
  XX(EPEAK, 1, "measured throughput exceeds the theoretical per-clock peak") \
  XX(ETIME, 1, "measurement could not be timed reliably")                    \
  XX(ESIGN, 2, "signature or key check failed")

/* Index of each code in the table (internal). */
enum tpp__err_index {
#define XX(name, exit_status, msg) TPP__IDX_##name,
  TPP_ERRNO_MAP(XX)
#undef XX
      TPP__ERR_COUNT
};

/* The codes: TPP_OK, then -1, -2, ... in table order. */
enum tpp_err {
  TPP_OK = 0,
#define XX(name, exit_status, msg) TPP_##name = -(TPP__IDX_##name + 1),
  TPP_ERRNO_MAP(XX)
#undef XX
};

/* Message for a code ("unknown error" for anything outside the table). */
const char *tpp_strerror(int err);
/* Short name ("EINVAL"). */
const char *tpp_err_name(int err);
/* Process exit status the CLI uses for the code (0 for TPP_OK). */
int tpp_exit_status(int err);

/* Where and why an input was rejected.  file/line/field are empty or 0 when unknown. */
struct tpp_diag {
  char file[512];
  int line;
  int column;
  char field[128];
  char text[512];
};

/* Fill a diag (printf-style text).  Returns err so it can be used in `return tpp_diag_set(...)`. */
int tpp_diag_set(struct tpp_diag *d, int err, const char *file, int line, const char *field,
                 const char *fmt, ...) __attribute__((format(printf, 6, 7)));

/* "file:line:col: field: text" (parts that are unknown are left out). */
void tpp_diag_format(const struct tpp_diag *d, char *buf, size_t len);

#endif
