/* backend.c - the backend registry, devices (opened with their rate tables), facts,
 * telemetry events and device selection.  See backend.h. */
#include "tpp/backend.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ctype.h>
#include <math.h>

#include "tpp/rates.h"

/* The one place that knows which backends exist, in the order devices are listed (so the
 * default device, the first GPU, is a CUDA or HIP device where there is one).  A backend
 * is one line here: TPP_BACKEND(name) for `const struct tpp_backend tpp_backend_<name>`. */
#define TPP_BACKEND_LIST(TPP_BACKEND) \
  TPP_BACKEND(cuda)                   \
  TPP_BACKEND(hip)                    \
  TPP_BACKEND(opencl)

#define DECLARE(name) extern const struct tpp_backend tpp_backend_##name;
TPP_BACKEND_LIST(DECLARE)
#undef DECLARE

static const struct tpp_backend *const registry[] = {
#define ENTRY(name) &tpp_backend_##name,
    TPP_BACKEND_LIST(ENTRY)
#undef ENTRY
        NULL,
};

const struct tpp_backend *const *
tpp_backends(void)
{
  return registry;
}

const struct tpp_backend *
tpp_backend_find(const char *name)
{
  for (size_t i = 0; registry[i]; i++)
    if (strcmp(registry[i]->name, name) == 0)
      return registry[i];
  return NULL;
}

/* --- facts --------------------------------------------------------------------------- */

static int
fact_key_ok(const char *k)
{
  size_t n = strlen(k);
  if (n == 0 || n >= TPP_FACT_KEY_LEN)
    return 0;
  for (; *k; k++)
    if (!((*k >= 'a' && *k <= 'z') || (*k >= '0' && *k <= '9') || *k == '_'))
      return 0;
  return 1;
}

int
tpp_facts_set(struct tpp_facts *f, const char *key, const char *value)
{
  size_t len = strlen(value) + 1;
  unsigned i;
  if (!fact_key_ok(key))
    return TPP_EINVAL;
  for (i = 0; i < f->n && strcmp(f->e[i].key, key) != 0; i++)
    ;
  if (i == TPP_FACTS_MAX || len > sizeof(f->text) - f->used)
    return TPP_ENOMEM;
  /* A replaced value's old bytes stay unused: facts are set once or twice per device. */
  memcpy(f->text + f->used, value, len);
  if (i == f->n) {
    snprintf(f->e[i].key, sizeof(f->e[i].key), "%s", key);
    f->n++;
  }
  f->e[i].at = f->used;
  f->used = (unsigned short)(f->used + len);
  return 0;
}

const char *
tpp_facts_get(const struct tpp_facts *f, const char *key)
{
  for (unsigned i = 0; i < f->n; i++)
    if (strcmp(f->e[i].key, key) == 0)
      return f->text + f->e[i].at;
  return NULL;
}

/* --- bandwidth kinds and telemetry ------------------------------------------------------ */

static const char *const bw_kind_names[TPP_BW_KIND_COUNT] = {
    [TPP_BW_READ] = "read",
    [TPP_BW_WRITE] = "write",
    [TPP_BW_COPY] = "copy",
};

const char *
tpp_bw_kind_name(enum tpp_bw_kind k)
{
  return (unsigned)k < TPP_BW_KIND_COUNT ? bw_kind_names[k] : "?";
}

int
tpp_bw_kind_parse(const char *name, enum tpp_bw_kind *out)
{
  for (int k = 0; k < TPP_BW_KIND_COUNT; k++)
    if (strcmp(name, bw_kind_names[k]) == 0) {
      *out = (enum tpp_bw_kind)k;
      return 0;
    }
  return TPP_EINVAL;
}

void
tpp_telemetry_clear(struct tpp_telemetry *t)
{
  memset(t, 0, sizeof(*t));
  t->clock_mhz = t->clock_mhz_min = t->clock_mhz_max = NAN;
  t->power_w = t->power_w_max = t->temperature_c_max = NAN;
}

void
tpp_telemetry_add_event(struct tpp_telemetry *t, const char *name)
{
  size_t n = strlen(t->clock_events), len = strlen(name);
  for (const char *s = t->clock_events; (s = strstr(s, name)) != NULL; s += len)
    if ((s == t->clock_events || s[-1] == ',') && (s[len] == ',' || s[len] == '\0'))
      return;
  if (len == 0 || n + len + (n ? 1 : 0) >= sizeof(t->clock_events))
    return;
  snprintf(t->clock_events + n, sizeof(t->clock_events) - n, "%s%s", n ? "," : "", name);
}

/* --- devices ------------------------------------------------------------------------- */

int
tpp_device_open(const struct tpp_device_info *info, struct tpp_device **out, struct tpp_diag *diag)
{
  const struct tpp_backend *be = tpp_backend_find(info->backend);
  struct tpp_device *dev;
  int rc;

  *out = NULL;
  if (!be)
    return tpp_diag_set(diag, TPP_ENODEV, NULL, 0, "--device", "no backend \"%s\"", info->backend);
  if (!(dev = calloc(1, sizeof(*dev))) || !(dev->rates = calloc(1, sizeof(*dev->rates)))) {
    free(dev);
    return TPP_ENOMEM;
  }
  dev->backend = be;
  dev->info = *info;
  /* A malformed table is bad input, said loudly (exit 2): it must never quietly turn the
   * > 100% gate off.  No table at all leaves every row unchecked, flagged. */
  rc = tpp_rates_find(be->name, be->rate_archs, dev->rates, diag);
  if (rc == TPP_ENOENT) {
    free(dev->rates);
    dev->rates = NULL;
  } else if (rc != 0) {
    free(dev->rates);
    free(dev);
    return rc;
  }
  if ((rc = be->open(dev, diag)) != 0) {
    tpp_rates_free(dev->rates);
    free(dev->rates);
    free(dev);
    return rc;
  }
  *out = dev;
  return 0;
}

void
tpp_device_close(struct tpp_device *dev)
{
  if (!dev)
    return;
  dev->backend->close(dev);
  tpp_rates_free(dev->rates);
  free(dev->rates);
  free(dev);
}

double
tpp_device_ops_per_clock(const struct tpp_device *dev, enum tpp_precision p, enum tpp_path path,
                         const char *variant)
{
  if (!dev->arch[0] || dev->info.compute_units <= 0)
    return NAN;
  return tpp_rates_lookup(dev->rates, dev->arch, p, path, variant) * dev->info.compute_units;
}

size_t
tpp_backend_count(void)
{
  return sizeof(registry) / sizeof(registry[0]) - 1;
}

int
tpp_devices_list(struct tpp_device_info **devices, size_t *n, struct tpp_backend_status *status,
                 size_t status_cap)
{
  struct tpp_device_info *all = NULL;
  size_t total = 0;

  *devices = NULL;
  *n = 0;
  for (size_t b = 0; registry[b]; b++) {
    struct tpp_backend_status st;
    struct tpp_device_info *devs = NULL, *grown;
    size_t nd = 0;
    char why[256] = "";

    registry[b]->probe(&st);
    if (st.available) {
      int err = registry[b]->list(&devs, &nd, why, sizeof(why));
      if (err) {
        st.available = 0;
        snprintf(st.reason, sizeof(st.reason), "listing devices failed: %s", why);
      } else if (nd == 0) {
        snprintf(st.reason, sizeof(st.reason), "no devices");
      }
    }
    if (status && b < status_cap)
      status[b] = st;
    if (nd == 0) {
      free(devs);
      continue;
    }
    grown = realloc(all, (total + nd) * sizeof(*all));
    if (!grown) {
      free(devs);
      free(all);
      return TPP_ENOMEM;
    }
    all = grown;
    memcpy(all + total, devs, nd * sizeof(*all));
    total += nd;
    free(devs);
  }
  *devices = all;
  *n = total;
  return 0;
}

/* Case-insensitive substring test (device names: "xeon" finds "Intel(R) Xeon(R)"). */
static int
contains_nocase(const char *hay, const char *needle)
{
  size_t n = strlen(needle);
  for (; *hay; hay++) {
    size_t i = 0;
    while (i < n && hay[i] && tolower((unsigned char)hay[i]) == tolower((unsigned char)needle[i]))
      i++;
    if (i == n)
      return 1;
  }
  return n == 0;
}

/* Record match i: within the capacity it is written, beyond it only counted. */
static void
pick(size_t *picked, size_t cap, size_t *k, size_t i)
{
  if (*k < cap)
    picked[*k] = i;
  (*k)++;
}

int
tpp_devices_select(const struct tpp_device_info *devices, size_t n, const char *sel, size_t *picked,
                   size_t cap, size_t *n_picked)
{
  size_t k = 0, first_gpu = n;
  char *end;
  unsigned long idx;

  *n_picked = 0;
  if (n == 0)
    return TPP_ENOENT;
  if (!sel || strcmp(sel, "default") == 0) {
    for (size_t i = 0; i < n && first_gpu == n; i++)
      if (strcmp(devices[i].type, "gpu") == 0)
        first_gpu = i;
    pick(picked, cap, &k, first_gpu < n ? first_gpu : 0);
  } else if (strcmp(sel, "all") == 0) {
    for (size_t i = 0; i < n; i++)
      pick(picked, cap, &k, i);
  } else if (idx = strtoul(sel, &end, 10), *sel && *end == '\0') {
    if (idx >= n)
      return TPP_ENOENT;
    pick(picked, cap, &k, (size_t)idx);
  } else {
    for (size_t i = 0; i < n; i++)
      if (strcmp(devices[i].selector, sel) == 0 || strcmp(devices[i].backend, sel) == 0 ||
          contains_nocase(devices[i].name, sel))
        pick(picked, cap, &k, i);
  }
  *n_picked = k;
  return k ? 0 : TPP_ENOENT;
}
