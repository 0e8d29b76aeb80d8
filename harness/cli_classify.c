/* cli_classify.c - `tppbench classify`: datasheet peaks or a result file -> zone. */
#include <getopt.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "tpp/metrics.h"
#include "tpp/result.h"

#define MAX_PEAKS 32

/* "fp16=989.4" -> peak.  TPP_EINVAL with the diag naming --peak. */
static int
parse_peak(const char *arg, struct tpp_peak *peak, struct tpp_diag *diag)
{
  char name[32];
  const char *eq = strchr(arg, '=');
  size_t n = eq ? (size_t)(eq - arg) : 0;
  int err;

  if (!eq || n == 0 || n >= sizeof(name))
    return tpp_diag_set(diag, TPP_EINVAL, NULL, 0, "--peak",
                        "expected PREC=TERAOPS (e.g. fp16=989.4), got \"%s\"", arg);
  memcpy(name, arg, n);
  name[n] = '\0';
  if (tpp_precision_parse(name, &peak->precision) != 0)
    return tpp_diag_set(diag, TPP_EINVAL, NULL, 0, "--peak",
                        "unknown precision \"%s\" (fp64 fp32 tf32 fp16 bf16 fp8 int8 int4 fp4 "
                        "int16 int32)", name);
  if ((err = tpp_cli_parse_positive("--peak", eq + 1, &peak->tops, diag)))
    return err;
  return 0;
}

static void
print_json(json_t *o)
{
  json_dumpf(o, stdout, JSON_INDENT(2));
  putchar('\n');
}

static int
classify_peaks(const struct tpp_ruleset *rs, const struct tpp_peak *peaks, size_t n,
               double die_area, int datacenter, int json)
{
  struct tpp_classification cls;
  struct tpp_chip_facts facts;
  size_t best = 0;
  int err;

  facts.tpp = tpp_total_processing_performance(peaks, n, &best);
  facts.die_area_mm2 = die_area;
  facts.datacenter = datacenter;
  if ((err = tpp_classify(rs, &facts, &cls)))
    return tpp_cli_fail(err, NULL);
  if (json) {
    json_t *o = tpp_classification_to_json(&cls), *arr = json_array();
    json_object_set_new(o, "tpp_precision", json_string(tpp_precision_name(peaks[best].precision)));
    for (size_t i = 0; i < n; i++)
      json_array_append_new(arr, json_pack("{s:s, s:f, s:f}", "precision",
                                           tpp_precision_name(peaks[i].precision), "tops",
                                           peaks[i].tops, "bit_tops",
                                           tpp_bit_tops(peaks[i].precision, peaks[i].tops)));
    json_object_set_new(o, "peaks", arr);
    print_json(o);
    json_decref(o);
  } else {
    printf("TPP %.1f from %s (%g x %d bits)\n", facts.tpp,
           tpp_precision_name(peaks[best].precision), peaks[best].tops,
           tpp_precision_bits(peaks[best].precision));
    tpp_classification_print(&cls, stdout);
  }
  return 0;
}

static int
classify_result(const struct tpp_ruleset *rs, const char *file, const char *device_sel,
                double die_area, int non_datacenter, int json)
{
  struct tpp_result r;
  struct tpp_diag diag = {0};
  struct tpp_device_info *infos = NULL;
  size_t picked[64], n_picked = 0;
  struct tpp_device_result *d;
  int err, status = 0;

  if ((err = tpp_result_load(file, &r, &diag)))
    return tpp_cli_fail(err, &diag);
  if (r.n_devices == 0) {
    fprintf(stderr, "tppbench: %s: the result holds no measured device\n", file);
    status = 1;
    goto out;
  }
  infos = calloc(r.n_devices, sizeof(*infos));
  if (!infos) {
    status = tpp_cli_fail(TPP_ENOMEM, NULL);
    goto out;
  }
  for (size_t i = 0; i < r.n_devices; i++)
    infos[i] = r.devices[i].info;
  if (!device_sel && r.n_devices > 1) {
    fprintf(stderr, "tppbench: %s holds %zu devices; pick one with --device\n", file, r.n_devices);
    status = 2;
    goto out;
  }
  if (tpp_devices_select(infos, r.n_devices, device_sel ? device_sel : "0", picked, &n_picked) != 0 ||
      n_picked != 1) {
    fprintf(stderr, "tppbench: %s: --device \"%s\" does not pick exactly one device\n", file,
            device_sel ? device_sel : "");
    status = 2;
    goto out;
  }
  d = &r.devices[picked[0]];
  if (isfinite(die_area)) {
    d->die_area_mm2 = die_area;
    snprintf(d->die_area_source, sizeof(d->die_area_source), "--die-area");
  }
  if (non_datacenter)
    d->datacenter = 0;
  if ((err = tpp_device_result_classify(d, rs))) {
    status = tpp_cli_fail(err, NULL);
    goto out;
  }
  if (json) {
    json_t *o = tpp_classification_to_json(&d->cls);
    json_object_set_new(o, "tpp_precision", d->tpp_row >= 0
                                                ? json_string(tpp_precision_name(d->rows[d->tpp_row].precision))
                                                : json_null());
    json_object_set_new(o, "device", json_pack("{s:s, s:s, s:s}", "selector", d->info.selector,
                                               "name", d->info.name, "file", file));
    print_json(o);
    json_decref(o);
  } else {
    printf("%s: %s (%s)\n", file, d->info.name, d->info.selector);
    if (d->tpp_row >= 0)
      printf("TPP %.4g from measured %s\n", d->tpp, tpp_precision_name(d->rows[d->tpp_row].precision));
    tpp_classification_print(&d->cls, stdout);
  }
out:
  free(infos);
  tpp_result_free(&r);
  return status;
}

int
tpp_cli_classify(int argc, char **argv)
{
  enum { OPT_DIE = 256, OPT_NONDC, OPT_RULES };
  static const struct option longopts[] = {
      {.name = "peak", .has_arg = required_argument, .val = 'p'},
      {.name = "die-area", .has_arg = required_argument, .val = OPT_DIE},
      {.name = "non-datacenter", .has_arg = no_argument, .val = OPT_NONDC},
      {.name = "rules", .has_arg = required_argument, .val = OPT_RULES},
      {.name = "device", .has_arg = required_argument, .val = 'd'},
      {.name = "json", .has_arg = no_argument, .val = 'j'},
      {.name = "help", .has_arg = no_argument, .val = 'h'},
      {0},
  };
  struct tpp_peak peaks[MAX_PEAKS];
  struct tpp_ruleset rules;
  struct tpp_diag diag = {0};
  const char *rules_name = NULL, *device_sel = NULL;
  double die_area = NAN;
  size_t n_peaks = 0;
  int json = 0, non_dc = 0, c, err;

  optind = 1;
  while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
    switch (c) {
    case 'p':
      if (n_peaks == MAX_PEAKS) {
        fprintf(stderr, "tppbench classify: at most %d --peak options\n", MAX_PEAKS);
        return 2;
      }
      if ((err = parse_peak(optarg, &peaks[n_peaks++], &diag)))
        return tpp_cli_fail(err, &diag);
      break;
    case OPT_DIE:
      if ((err = tpp_cli_parse_positive("--die-area", optarg, &die_area, &diag)))
        return tpp_cli_fail(err, &diag);
      break;
    case OPT_NONDC:
      non_dc = 1;
      break;
    case OPT_RULES:
      rules_name = optarg;
      break;
    case 'd':
      device_sel = optarg;
      break;
    case 'j':
      json = 1;
      break;
    case 'h':
      tpp_cli_usage(stdout, "classify");
      return 0;
    default:
      tpp_cli_usage(stderr, "classify");
      return 2;
    }
  }
  if ((n_peaks > 0) == (optind < argc) || argc - optind > 1) {
    fprintf(stderr, "tppbench classify: give either --peak options or one RESULT.json\n\n");
    tpp_cli_usage(stderr, "classify");
    return 2;
  }
  if ((err = tpp_cli_load_rules(rules_name, &rules, &diag)))
    return tpp_cli_fail(err, &diag);
  if (n_peaks > 0)
    return classify_peaks(&rules, peaks, n_peaks, die_area, !non_dc, json);
  return classify_result(&rules, argv[optind], device_sel, die_area, non_dc, json);
}
