/* error.c - messages, names and exit statuses generated from TPP_ERRNO_MAP. */
#include "tpp/error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

struct err_entry {
  const char *name;
  const char *msg;
  int exit_status;
};

static const struct err_entry err_table[TPP__ERR_COUNT] = {
#define XX(code, status, text) \
  [TPP__IDX_##code] = {.name = #code, .msg = text, .exit_status = status},
    TPP_ERRNO_MAP(XX)
#undef XX
};

static const struct err_entry *
err_lookup(int err)
{
  int idx = -err - 1;
  if (err >= 0 || idx >= TPP__ERR_COUNT)
    return NULL;
  return &err_table[idx];
}

const char *
tpp_strerror(int err)
{
  const struct err_entry *e = err_lookup(err);
  if (err == TPP_OK)
    return "success";
  return e ? e->msg : "unknown error";
}

const char *
tpp_err_name(int err)
{
  const struct err_entry *e = err_lookup(err);
  if (err == TPP_OK)
    return "OK";
  return e ? e->name : "EUNKNOWN";
}

int
tpp_exit_status(int err)
{
  const struct err_entry *e = err_lookup(err);
  if (err == TPP_OK)
    return 0;
  return e ? e->exit_status : 1;
}

int
tpp_diag_set(struct tpp_diag *d, int err, const char *file, int line, const char *field,
             const char *fmt, ...)
{
  va_list ap;
  if (!d)
    return err;
  memset(d, 0, sizeof(*d));
  if (file)
    snprintf(d->file, sizeof(d->file), "%s", file);
  d->line = line;
  if (field)
    snprintf(d->field, sizeof(d->field), "%s", field);
  va_start(ap, fmt);
  vsnprintf(d->text, sizeof(d->text), fmt, ap);
  va_end(ap);
  return err;
}

void
tpp_diag_format(const struct tpp_diag *d, char *buf, size_t len)
{
  size_t n = 0;
  if (len == 0)
    return;
  buf[0] = '\0';
#define APPEND(...)                                         \
  do {                                                      \
    if (n < len)                                            \
      n += (size_t)snprintf(buf + n, len - n, __VA_ARGS__); \
  } while (0)
  if (d->file[0]) {
    APPEND("%s:", d->file);
    if (d->line > 0)
      APPEND("%d:", d->line);
    if (d->line > 0 && d->column > 0)
      APPEND("%d:", d->column);
    APPEND(" ");
  }
  if (d->field[0])
    APPEND("%s: ", d->field);
  APPEND("%s", d->text);
#undef APPEND
}
