/* cli_list.c - `tppbench list`: backends, their status, and every device. */
#include <getopt.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "tpp/metrics.h"
#include "tpp/profile.h"
#include "tpp/backend.h"

static json_t *
list_json(const struct tpp_backend *const *be, const struct tpp_backend_status *st,
          const struct tpp_device_info *devs, size_t n)
{
  json_t *root = json_object(), *backends = json_array(), *devices = json_array();
  for (size_t b = 0; be[b]; b++)
    json_array_append_new(backends, json_pack("{s:s, s:b, s:s}", "name", be[b]->name, "available",
                                              st[b].available, "reason", st[b].reason));
  for (size_t i = 0; i < n; i++) {
    const struct tpp_device_info *d = &devs[i];
    json_array_append_new(
        devices, json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:i, s:o, s:I, s:o}", "index",
                           (json_int_t)i, "selector", d->selector, "backend", d->backend, "name",
                           d->name, "vendor", d->vendor, "platform", d->platform, "type", d->type,
                           "compute_units", d->compute_units, "clock_mhz_max",
                           isfinite(d->clock_mhz_max) ? json_real(d->clock_mhz_max) : json_null(),
                           "global_mem_bytes", (json_int_t)d->global_mem_bytes, "pci_bus_id",
                           d->pci_bus_id[0] ? json_string(d->pci_bus_id) : json_null()));
  }
  json_object_set_new(root, "backends", backends);
  json_object_set_new(root, "devices", devices);
  return root;
}

/* `list --profiles`: one line (or object) per device profile. */
static int
list_profiles(int json)
{
  struct tpp_profile_set set;
  struct tpp_diag diag = {0};
  json_t *arr;
  int err;

  if ((err = tpp_cli_load_profiles(&set, &diag)))
    return tpp_cli_fail(err, &diag);
  arr = json_array();
  if (!json)
    printf("%-32s %-22s %10s %9s %7s  %s\n", "id", "aliases", "TPP", "die mm2", "PD", "name");
  for (size_t i = 0; i < set.n; i++) {
    const struct tpp_profile *p = &set.v[i];
    double tpp = tpp_profile_tpp(p, NULL);
    double pd = tpp_performance_density(tpp, p->die_area_mm2);
    if (json) {
      json_t *aliases = json_array();
      for (size_t a = 0; a < p->n_aliases; a++)
        json_array_append_new(aliases, json_string(p->aliases[a]));
      json_array_append_new(
          arr,
          json_pack("{s:s, s:s, s:s, s:o, s:b, s:o, s:o, s:b, s:o, s:s}", "id", p->id, "vendor",
                    p->vendor, "name", p->name, "aliases", aliases, "datacenter", p->datacenter,
                    "tpp", isfinite(tpp) ? json_real(tpp) : json_null(), "die_area_mm2",
                    isfinite(p->die_area_mm2) ? json_real(p->die_area_mm2) : json_null(),
                    "die_area_estimate", p->die_area_estimate, "performance_density",
                    isfinite(pd) ? json_real(pd) : json_null(), "file", p->path));
    } else {
      char aliases[64] = "";
      size_t used = 0;
      for (size_t a = 0; a < p->n_aliases && used < sizeof(aliases); a++)
        used += (size_t)snprintf(aliases + used, sizeof(aliases) - used, "%s%s", a ? "," : "",
                                 p->aliases[a]);
      printf("%-32s %-22.22s %10.6g %8.6g%s %7.4g  %s %s%s\n", p->id, aliases, tpp, p->die_area_mm2,
             p->die_area_estimate ? "~" : " ", pd, p->vendor, p->name,
             p->datacenter ? "" : " (not datacenter)");
    }
  }
  if (json) {
    json_t *root = json_pack("{s:s, s:o}", "dir", set.dir, "profiles", arr);
    tpp_profile_set_free(&set);
    return tpp_cli_print_json(root, 0, "list --profiles --json");
  } else {
    json_decref(arr);
    printf("%zu profiles in %s (~: die area is an estimate; nan: unknown)\n", set.n, set.dir);
  }
  tpp_profile_set_free(&set);
  return 0;
}

int
tpp_cli_list(int argc, char **argv)
{
  static const struct option longopts[] = {
      {.name = "json",     .has_arg = no_argument, .val = 'j'},
      {.name = "profiles",        .has_arg = no_argument, .val = 'P'},
      {.name = "help", .has_arg = no_argument, .val = 'h'},
      {0       },
  };
  const struct tpp_backend *const *be = tpp_backends();
  int profiles = 0;
  struct tpp_backend_status st[8];
  struct tpp_device_info *devs = NULL;
  struct tpp_diag diag = {0};
  size_t n = 0;
  int json = 0, c, err;

  tpp_cli_getopt_reset();
  while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
    switch (c) {
    case 'j':
      json = 1;
      break;
    case 'P':
      profiles = 1;
      break;
    case 'h':
      tpp_cli_usage(stdout, "list");
      return 0;
    default:
      tpp_cli_usage(stderr, "list");
      return 2;
    }
  }
  if (optind < argc) {
    fprintf(stderr, "tppbench list: unexpected argument \"%s\"\n", argv[optind]);
    return 2;
  }
  if (profiles)
    return list_profiles(json);
  if ((err = tpp_devices_list(&devs, &n, st, sizeof(st) / sizeof(st[0])))) {
    tpp_diag_set(&diag, err, NULL, 0, NULL, "list: listing the devices of every backend: %s",
                 tpp_strerror(err));
    return tpp_cli_fail(err, &diag);
  }

  if (json) {
    json_t *root = list_json(be, st, devs, n);
    int status = tpp_cli_print_json(root, 0, "list --json");
    free(devs);
    return status;
  } else {
    for (size_t b = 0; be[b]; b++)
      printf("backend %-8s %s: %s\n", be[b]->name, st[b].available ? "available" : "unavailable",
             st[b].reason);
    if (n == 0)
      printf("no devices found\n");
    for (size_t i = 0; i < n; i++)
      printf("[%zu] %-12s %-4s %s (%s; %d compute units, %.0f MHz, %.1f GiB%s%s)\n", i,
             devs[i].selector, devs[i].type, devs[i].name, devs[i].platform, devs[i].compute_units,
             devs[i].clock_mhz_max, (double)devs[i].global_mem_bytes / (1024.0 * 1024 * 1024),
             devs[i].pci_bus_id[0] ? ", PCI " : "", devs[i].pci_bus_id);
  }
  free(devs);
  return 0;
}
