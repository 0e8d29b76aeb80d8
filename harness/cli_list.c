/* cli_list.c - `tppbench list`: backends, their status, and every device. */
#include <getopt.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "tpp/backend.h"

static json_t *
list_json(const struct tpp_backend *const *be, const struct tpp_backend_status *st,
          const struct tpp_device_info *devs, size_t n)
{
  json_t *root = json_object(), *backends = json_array(), *devices = json_array();
  for (size_t b = 0; be[b]; b++)
    json_array_append_new(backends, json_pack("{s:s, s:b, s:s}", "name", be[b]->name,
                                              "available", st[b].available, "reason", st[b].reason));
  for (size_t i = 0; i < n; i++) {
    const struct tpp_device_info *d = &devs[i];
    json_array_append_new(
        devices,
        json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:i, s:o, s:I, s:o}", "index", (json_int_t)i,
                  "selector", d->selector, "backend", d->backend, "name", d->name, "vendor",
                  d->vendor, "platform", d->platform, "type", d->type, "compute_units",
                  d->compute_units, "clock_mhz_max",
                  isfinite(d->clock_mhz_max) ? json_real(d->clock_mhz_max) : json_null(),
                  "global_mem_bytes", (json_int_t)d->global_mem_bytes, "pci_bus_id",
                  d->pci_bus_id[0] ? json_string(d->pci_bus_id) : json_null()));
  }
  json_object_set_new(root, "backends", backends);
  json_object_set_new(root, "devices", devices);
  return root;
}

int
tpp_cli_list(int argc, char **argv)
{
  static const struct option longopts[] = {
      {.name = "json", .has_arg = no_argument, .val = 'j'},
      {.name = "help", .has_arg = no_argument, .val = 'h'},
      {0},
  };
  const struct tpp_backend *const *be = tpp_backends();
  struct tpp_backend_status st[8];
  struct tpp_device_info *devs = NULL;
  size_t n = 0;
  int json = 0, c, err;

  optind = 1;
  while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
    switch (c) {
    case 'j':
      json = 1;
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
  if ((err = tpp_devices_list(&devs, &n, st)))
    return tpp_cli_fail(err, NULL);

  if (json) {
    json_t *root = list_json(be, st, devs, n);
    json_dumpf(root, stdout, JSON_INDENT(2));
    putchar('\n');
    json_decref(root);
  } else {
    for (size_t b = 0; be[b]; b++)
      printf("backend %-8s %s: %s\n", be[b]->name, st[b].available ? "available" : "unavailable",
             st[b].reason);
    if (n == 0)
      printf("no devices found\n");
    for (size_t i = 0; i < n; i++)
      printf("[%zu] %-12s %-4s %s (%s; %d compute units, %.0f MHz, %.1f GiB%s%s)\n", i,
             devs[i].selector, devs[i].type, devs[i].name, devs[i].platform,
             devs[i].compute_units, devs[i].clock_mhz_max,
             (double)devs[i].global_mem_bytes / (1024.0 * 1024 * 1024),
             devs[i].pci_bus_id[0] ? ", PCI " : "", devs[i].pci_bus_id);
  }
  free(devs);
  return 0;
}
