/* backend.c - the backend registry and device selection.  See backend.h. */
#include "tpp/backend.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ctype.h>
#include <math.h>

extern const struct tpp_backend tpp_backend_cuda;
extern const struct tpp_backend tpp_backend_opencl;

/* The one place that knows which backends exist, in the order devices are listed (so the
 * default device, the first GPU, is a CUDA device where there is one). */
static const struct tpp_backend *const registry[] = {
    &tpp_backend_cuda,
    &tpp_backend_opencl,
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

/* NVML's clock-event ("throttle") reason bits, as nvml.h numbers them. */
static const struct {
  unsigned long long bit;
  const char *name;
} clock_events[] = {
    {0x1ull,   "gpu_idle"                   },
    {0x2ull,   "applications_clocks_setting"},
    {0x4ull,   "sw_power_cap"               },
    {0x8ull,   "hw_slowdown"                },
    {0x10ull,  "sync_boost"                 },
    {0x20ull,  "sw_thermal_slowdown"        },
    {0x40ull,  "hw_thermal_slowdown"        },
    {0x80ull,  "hw_power_brake_slowdown"    },
    {0x100ull, "display_clock_setting"      },
};

void
tpp_telemetry_clear(struct tpp_telemetry *t)
{
  memset(t, 0, sizeof(*t));
  t->clock_mhz = t->clock_mhz_min = t->clock_mhz_max = NAN;
  t->power_w = t->power_w_max = t->temperature_c_max = NAN;
}

void
tpp_clock_events_format(unsigned long long reasons, char *buf, size_t len)
{
  size_t n = 0;
  if (len == 0)
    return;
  buf[0] = '\0';
  for (size_t i = 0; i < sizeof(clock_events) / sizeof(clock_events[0]); i++) {
    if (!(reasons & clock_events[i].bit))
      continue;
    if (n < len)
      n += (size_t)snprintf(buf + n, len - n, "%s%s", n ? "," : "", clock_events[i].name);
    reasons &= ~clock_events[i].bit;
  }
  if (reasons && n < len)
    snprintf(buf + n, len - n, "%sother(0x%llx)", n ? "," : "", reasons);
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
