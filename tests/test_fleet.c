/* test_fleet.c - fleet totals per zone and clause, H100-equivalents, and the AI Diffusion
 * quantities; fleet's inputs (directories, lists, --keep-going) and the device list. */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "testutil.h"
#include "tpp/atomicio.h"
#include "tpp/fleet.h"
#include "tpp/fleet_inputs.h"

static struct tpp_ruleset rules;

static void
setup(void)
{
  struct tpp_diag d = {0};
  ck_assert_int_eq(tpp_ruleset_load(TPP_PROFILES_DIR "/rules/ai-diffusion-2025.json", &rules, &d),
                   0);
}

/* A device with one fp8 tensor row of `tops` and the given die area; each has its own UUID
 * (fleet counts a device once). */
static void
device(struct tpp_device_result *d, double tops, double area)
{
  static unsigned serial;
  tpp_test_synth_device(d, "Synthetic", 0x10de, 0x9999, 100, 80);
  snprintf(d->info.uuid, sizeof(d->info.uuid), "GPU-test-%08u", serial++);
  d->die_area_mm2 = area;
  tpp_test_synth_row(d, TPP_FP8, TPP_PATH_TENSOR, tops, 0.001, 1800);
}

static struct tpp_result
result_of(size_t n, double tops, double area)
{
  struct tpp_result r;
  memset(&r, 0, sizeof(r));
  r.devices = calloc(n, sizeof(*r.devices));
  ck_assert_ptr_nonnull(r.devices);
  for (size_t i = 0; i < n; i++)
    device(&r.devices[i], tops, area);
  r.n_devices = n;
  return r;
}

START_TEST(test_totals)
{
  struct tpp_fleet f;
  struct tpp_fleet_tally t;
  struct tpp_result black = result_of(8, 1978.9, 814); /* 8 x 15,831.2: H100-like */
  struct tpp_result grey = result_of(1, 362, 608.5);   /* 2,896 on 608.5 mm²: L40-like, b.1 */
  struct tpp_result white = result_of(2, 250, 814);    /* 2,000 on 814 mm² */
  struct tpp_result unknown = result_of(1, 400, NAN);  /* 3,200, area unknown: indeterminate */

  tpp_fleet_init(&f, &rules, TPP_FLEET_MEASURED);
  ck_assert_int_eq(tpp_fleet_add(&f, "black.json", &black, NULL), 0);
  ck_assert_int_eq(tpp_fleet_add(&f, "grey.json", &grey, NULL), 0);
  ck_assert_int_eq(tpp_fleet_add(&f, "white.json", &white, NULL), 0);
  ck_assert_int_eq(tpp_fleet_add(&f, "unknown.json", &unknown, NULL), 0);
  tpp_fleet_tally(&f, 0, 0, &t);
  ck_assert_uint_eq(f.n_results, 4);
  ck_assert_uint_eq(f.n_devices, 12);
  ck_assert_uint_eq(t.n_undetermined, 1);
  ck_assert_uint_eq(t.zones[TPP_ZONE_BLACK].devices, 8);
  ck_assert(fabs(t.zones[TPP_ZONE_BLACK].tpp - 8 * 15831.2) < 1e-6);
  ck_assert_uint_eq(t.zones[TPP_ZONE_GREY].devices, 1);
  ck_assert(fabs(t.zones[TPP_ZONE_GREY].tpp - 2896) < 1e-9);
  ck_assert_uint_eq(t.zones[TPP_ZONE_WHITE].devices, 2);
  ck_assert(fabs(t.total_tpp - (8 * 15831.2 + 2896 + 4000)) < 1e-6);
  /* Only 3A090.a datacenter chips (black) count against the AI Diffusion quantities. */
  ck_assert_uint_eq(t.counted_devices, 8);
  ck_assert(fabs(t.counted_tpp - 8 * 15831.2) < 1e-6);
  ck_assert(fabs(t.counted_tpp / rules.accounting.unit_tpp - 8) < 1e-9);
  /* The undetermined device (3,200 TPP, black for a small enough die) may be counted. */
  ck_assert(fabs(t.undetermined_tpp - 3200) < 1e-9);
  /* by clause: 3A090.a.1, 3A090.b.1, not controlled */
  ck_assert_uint_eq(t.n_clauses, 3);
  ck_assert_str_eq(t.clauses[0].clause, "3A090.a.1");
  ck_assert_uint_eq(t.clauses[0].devices, 8);
  ck_assert_str_eq(t.clauses[1].clause, "3A090.b.1");
  ck_assert_ptr_null(t.clauses[2].clause);
  tpp_fleet_free(&f);
  tpp_result_free(&black);
  tpp_result_free(&grey);
  tpp_result_free(&white);
  tpp_result_free(&unknown);
}
END_TEST

static double
quantity_fraction(json_t *j, const char *id, int *fits)
{
  json_t *qs = json_object_get(json_object_get(j, "accounting"), "quantities"), *q;
  size_t i;
  json_array_foreach (qs, i, q)
    if (strcmp(json_string_value(json_object_get(q, "id")), id) == 0) {
      *fits = json_is_true(json_object_get(q, "fits"));
      return json_number_value(json_object_get(q, "fraction_used"));
    }
  ck_abort_msg("no quantity %s", id);
  return NAN;
}

/* The LPP allowance is 26,900,000 TPP: 1,699 H100s fit, 1,700 do not. */
START_TEST(test_lpp_boundary)
{
  struct tpp_fleet f;
  struct tpp_result r = result_of(1699, 1978.9, 814);
  json_t *j;
  int fits;
  double frac;

  tpp_fleet_init(&f, &rules, TPP_FLEET_MEASURED);
  ck_assert_int_eq(tpp_fleet_add(&f, "a.json", &r, NULL), 0);
  j = tpp_fleet_to_json(&f);
  frac = quantity_fraction(j, "lpp", &fits);
  ck_assert(fits);
  ck_assert(fabs(frac - 1699 * 15831.2 / 26900000) < 1e-12);
  ck_assert(fabs(json_number_value(json_object_get(j, "h100_equivalents")) - 1699) < 1e-9);
  json_decref(j);
  tpp_result_free(&r);

  r = result_of(1, 1978.9, 814);
  ck_assert_int_eq(tpp_fleet_add(&f, "b.json", &r, NULL), 0);
  j = tpp_fleet_to_json(&f);
  quantity_fraction(j, "lpp", &fits);
  ck_assert(!fits);
  quantity_fraction(j, "tier2-country", &fits);
  ck_assert(fits);
  json_decref(j);
  tpp_result_free(&r);
  tpp_fleet_free(&f);
}
END_TEST

/* With --basis declared a profiled device counts its datasheet TPP. */
START_TEST(test_declared_basis)
{
  struct tpp_profile_set set;
  struct tpp_diag d = {0};
  struct tpp_fleet f;
  struct tpp_result r = result_of(2, 1700, 814);

  ck_assert_int_eq(tpp_profile_set_load_dir(TPP_PROFILES_DIR "/devices", &set, &d), 0);
  tpp_device_result_set_profile(&r.devices[0], tpp_profile_find(&set, "h100"), "--profile", 0);
  tpp_fleet_init(&f, &rules, TPP_FLEET_DECLARED);
  ck_assert_int_eq(tpp_fleet_add(&f, "a.json", &r, &set), 0);
  /* Strictly declared: the device without a profile has no TPP on this basis. */
  ck_assert_str_eq(f.devices[0].on[0][0].basis, "declared");
  ck_assert(fabs(f.devices[0].on[0][0].tpp - 15831.2) < 1e-9);
  ck_assert_str_eq(f.devices[1].on[0][0].basis, "none");
  ck_assert(isnan(f.devices[1].on[0][0].tpp));
  ck_assert(f.devices[1].on[0][0].zone == TPP_ZONE_INDETERMINATE);
  /* The other basis (measured) is kept beside it. */
  ck_assert_str_eq(f.devices[0].on[1][0].basis, "measured");
  ck_assert(fabs(f.devices[0].on[1][0].tpp - 13600) < 1e-9);
  ck_assert(tpp_fleet_result(&f) == TPP_FLEET_UNDETERMINED);
  tpp_fleet_free(&f);
  /* The rule's basis (the default): datasheet where profiled, else measured. */
  tpp_fleet_init(&f, &rules, TPP_FLEET_RULE);
  ck_assert_int_eq(tpp_fleet_add(&f, "a.json", &r, &set), 0);
  ck_assert_str_eq(f.devices[0].on[0][0].basis, "declared");
  ck_assert(fabs(f.devices[0].on[0][0].tpp - 15831.2) < 1e-9);
  ck_assert_str_eq(f.devices[1].on[0][0].basis, "measured");
  ck_assert(fabs(f.devices[1].on[0][0].tpp - 13600) < 1e-9);
  ck_assert(tpp_fleet_result(&f) == TPP_FLEET_FITS);
  tpp_fleet_free(&f);
  tpp_result_free(&r);
  tpp_profile_set_free(&set);
}
END_TEST

/* The shares: a fleet in one Tier-2 country is at most 7% of a UVEU's total. */
START_TEST(test_shares)
{
  struct tpp_fleet f;
  struct tpp_result r = result_of(7, 1978.9, 814);
  json_t *j, *s, *e;
  size_t i;
  int seen = 0;

  tpp_fleet_init(&f, &rules, TPP_FLEET_MEASURED);
  ck_assert_int_eq(tpp_fleet_add(&f, "a.json", &r, NULL), 0);
  j = tpp_fleet_to_json(&f);
  s = json_object_get(json_object_get(j, "accounting"), "shares");
  json_array_foreach (s, i, e) {
    const char *id = json_string_value(json_object_get(e, "id"));
    double total = json_number_value(json_object_get(e, "required_total_tpp"));
    if (strcmp(id, "uveu-one-tier2") == 0) {
      ck_assert(fabs(total - 7 * 15831.2 / 0.07) < 1e-6);
      seen++;
    } else if (strcmp(id, "uveu-tier1") == 0) {
      ck_assert(fabs(total - 7 * 15831.2 / 0.25) < 1e-6);
      ck_assert(fabs(json_number_value(json_object_get(e, "required_inside_tpp")) -
                     0.75 * 7 * 15831.2 / 0.25) < 1e-6);
      seen++;
    }
    ck_assert_ptr_nonnull(json_string_value(json_object_get(e, "confidence")));
  }
  ck_assert_int_eq(seen, 2);
  json_decref(j);
  tpp_result_free(&r);
  tpp_fleet_free(&f);
}
END_TEST

/* A rule set without an accounting section still totals; accounting is null. */
START_TEST(test_no_accounting)
{
  struct tpp_ruleset r23;
  struct tpp_diag d = {0};
  struct tpp_fleet f;
  struct tpp_result r = result_of(1, 1978.9, 814);
  json_t *j;
  ck_assert_int_eq(tpp_ruleset_load(TPP_PROFILES_DIR "/rules/eccn-3a090-2023.json", &r23, &d), 0);
  tpp_fleet_init(&f, &r23, TPP_FLEET_MEASURED);
  ck_assert_int_eq(tpp_fleet_add(&f, "a.json", &r, NULL), 0);
  {
    struct tpp_fleet_tally t;
    tpp_fleet_tally(&f, 0, 0, &t);
    ck_assert_uint_eq(t.counted_devices, 0);
  }
  j = tpp_fleet_to_json(&f);
  ck_assert(json_is_null(json_object_get(j, "accounting")));
  json_decref(j);
  tpp_result_free(&r);
  tpp_fleet_free(&f);
}
END_TEST

/* An H100 SXM's identity (the profile matches it) measuring 85% of its datasheet peaks. */
static void
h100_device(struct tpp_device_result *d)
{
  static unsigned serial;
  tpp_test_synth_device(d, "NVIDIA H100 80GB HBM3", 0x10de, 0x2330, 132, 79.6);
  snprintf(d->info.uuid, sizeof(d->info.uuid), "GPU-h100-%08u", serial++);
  tpp_test_synth_row(d, TPP_FP64, TPP_PATH_VECTOR, 0.85 * 33.5, 0.005, 1980);
  tpp_test_synth_row(d, TPP_FP16, TPP_PATH_TENSOR, 0.85 * 989.4, 0.005, 1830);
  tpp_test_synth_row(d, TPP_FP8, TPP_PATH_TENSOR, 0.85 * 1978.9, 0.005, 1830);
}

static const struct tpp_quantity *
quantity(const char *id)
{
  for (size_t i = 0; i < rules.accounting.n_quantities; i++)
    if (strcmp(rules.accounting.quantities[i].id, id) == 0)
      return &rules.accounting.quantities[i];
  ck_abort_msg("no quantity %s", id);
  return NULL;
}

/* Issue 9: 1,800 H100s measured at 85% of their peaks gave "LPP 90% used, fits" on the
 * measured basis, the default; the rule counts the theoretical maximum: 106%, EXCEEDED. */
START_TEST(test_1800_h100_exceed_lpp_by_default)
{
  struct tpp_profile_set set;
  struct tpp_diag d = {0};
  struct tpp_fleet f;
  struct tpp_fleet_tally t, other;
  struct tpp_result r;

  ck_assert_int_eq(tpp_profile_set_load_dir(TPP_PROFILES_DIR "/devices", &set, &d), 0);
  memset(&r, 0, sizeof(r));
  r.devices = calloc(1800, sizeof(*r.devices));
  ck_assert_ptr_nonnull(r.devices);
  for (size_t i = 0; i < 1800; i++)
    h100_device(&r.devices[i]);
  r.n_devices = 1800;
  tpp_fleet_init(&f, &rules, TPP_FLEET_RULE); /* what the CLI uses by default */
  ck_assert_int_eq(tpp_fleet_add(&f, "fleet.json", &r, &set), 0);
  tpp_fleet_tally(&f, 0, 0, &t);
  tpp_fleet_tally(&f, 1, 0, &other);
  ck_assert_uint_eq(t.n_basis_declared, 1800);
  ck_assert(fabs(t.counted_tpp - 1800 * 15831.2) < 1e-3);
  ck_assert(tpp_fleet_quantity_verdict(&t, quantity("lpp")) == TPP_FLEET_EXCEEDED);
  ck_assert(tpp_fleet_result(&f) == TPP_FLEET_EXCEEDED);
  ck_assert_int_eq(tpp_fleet_verdict_exit_status(tpp_fleet_result(&f)), 1);
  /* The measured basis beside it: 85% of the peak, 90% of LPP. */
  ck_assert(other.basis == TPP_FLEET_MEASURED);
  ck_assert(fabs(other.counted_tpp / 26900000 - 1800 * 0.85 * 15831.2 / 26900000) < 1e-12);
  ck_assert(tpp_fleet_quantity_verdict(&other, quantity("lpp")) == TPP_FLEET_FITS);
  tpp_fleet_free(&f);
  tpp_result_free(&r);
  tpp_profile_set_free(&set);
}
END_TEST

/* A quantity that the undetermined devices would exceed if they were counted is
 * undetermined, never "fits". */
START_TEST(test_undetermined_quantity)
{
  struct tpp_fleet f;
  struct tpp_fleet_tally t;
  struct tpp_result black = result_of(1699, 1978.9, 814); /* 99.99% of LPP */
  struct tpp_result open = result_of(1, 400, NAN);        /* 3,200 TPP, die area unknown */
  struct tpp_result none = result_of(1, 400, NAN);

  tpp_fleet_init(&f, &rules, TPP_FLEET_MEASURED);
  ck_assert_int_eq(tpp_fleet_add(&f, "black.json", &black, NULL), 0);
  ck_assert(tpp_fleet_result(&f) == TPP_FLEET_FITS);
  ck_assert_int_eq(tpp_fleet_verdict_exit_status(tpp_fleet_result(&f)), 0);
  ck_assert_int_eq(tpp_fleet_add(&f, "open.json", &open, NULL), 0);
  tpp_fleet_tally(&f, 0, 0, &t);
  ck_assert_uint_eq(t.n_undetermined, 1);
  ck_assert(t.counted_tpp <= 26900000);
  ck_assert(tpp_fleet_quantity_verdict(&t, quantity("lpp")) == TPP_FLEET_UNDETERMINED);
  ck_assert(tpp_fleet_quantity_verdict(&t, quantity("tier2-country")) == TPP_FLEET_FITS);
  ck_assert(tpp_fleet_result(&f) == TPP_FLEET_UNDETERMINED);
  ck_assert_int_eq(tpp_fleet_verdict_exit_status(tpp_fleet_result(&f)), 3);
  /* A device with nothing measured (and no profile) could be anything: every quantity. */
  none.devices[0].n_rows = 0;
  ck_assert_int_eq(tpp_fleet_add(&f, "none.json", &none, NULL), 0);
  tpp_fleet_tally(&f, 0, 0, &t);
  ck_assert_uint_eq(t.n_unknown_tpp, 1);
  ck_assert(tpp_fleet_quantity_verdict(&t, quantity("nveu")) == TPP_FLEET_UNDETERMINED);
  tpp_fleet_free(&f);
  tpp_result_free(&black);
  tpp_result_free(&open);
  tpp_result_free(&none);
}
END_TEST

/* A measured TPP that is a lower bound could be more: no quantity fits on it (it may still be
 * exceeded by what is surely counted). */
START_TEST(test_lower_bound_never_fits)
{
  struct tpp_fleet f;
  struct tpp_fleet_tally t;
  struct tpp_result black = result_of(10, 1978.9, 814);
  struct tpp_result low = result_of(1, 1978.9, 814);
  low.devices[0].rows[0].lower_bound = 1;
  tpp_fleet_init(&f, &rules, TPP_FLEET_MEASURED);
  ck_assert_int_eq(tpp_fleet_add(&f, "black.json", &black, NULL), 0);
  ck_assert(tpp_fleet_result(&f) == TPP_FLEET_FITS);
  ck_assert_int_eq(tpp_fleet_add(&f, "low.json", &low, NULL), 0);
  tpp_fleet_tally(&f, 0, 0, &t);
  ck_assert_uint_eq(t.n_lower_bound, 1);
  ck_assert(tpp_fleet_quantity_verdict(&t, quantity("lpp")) == TPP_FLEET_UNDETERMINED);
  ck_assert(tpp_fleet_result(&f) == TPP_FLEET_UNDETERMINED);
  tpp_fleet_free(&f);
  tpp_result_free(&black);
  tpp_result_free(&low);
}
END_TEST

/* Without quantities, a fleet with an undetermined device is undetermined. */
START_TEST(test_undetermined_without_quantities)
{
  struct tpp_ruleset r23;
  struct tpp_diag d = {0};
  struct tpp_fleet f;
  struct tpp_result r = result_of(1, 400, NAN);
  ck_assert_int_eq(tpp_ruleset_load(TPP_PROFILES_DIR "/rules/eccn-3a090-2023.json", &r23, &d), 0);
  tpp_fleet_init(&f, &r23, TPP_FLEET_MEASURED);
  ck_assert_int_eq(tpp_fleet_add(&f, "a.json", &r, NULL), 0);
  ck_assert(tpp_fleet_result(&f) == TPP_FLEET_UNDETERMINED);
  tpp_fleet_free(&f);
  tpp_result_free(&r);
}
END_TEST

/* The same file given twice, or the same UUID in two files, counts once and is recorded;
 * two devices without UUIDs in different files count twice. */
START_TEST(test_duplicates)
{
  struct tpp_fleet f;
  struct tpp_fleet_tally t;
  struct tpp_result a = result_of(2, 1978.9, 814), b = result_of(1, 1978.9, 814);
  json_t *j;

  tpp_fleet_init(&f, &rules, TPP_FLEET_MEASURED);
  ck_assert_int_eq(tpp_fleet_add(&f, "a.json", &a, NULL), 0);
  ck_assert_int_eq(tpp_fleet_add(&f, "a.json", &a, NULL), 0);
  ck_assert_uint_eq(f.n_devices, 2);
  ck_assert_uint_eq(f.n_dups, 2);
  ck_assert_str_eq(f.dups[0].first, "a.json");
  ck_assert_str_eq(f.dups[0].again, "a.json");
  snprintf(b.devices[0].info.uuid, sizeof(b.devices[0].info.uuid), "%s", a.devices[1].info.uuid);
  ck_assert_int_eq(tpp_fleet_add(&f, "b.json", &b, NULL), 0);
  ck_assert_uint_eq(f.n_devices, 2);
  ck_assert_uint_eq(f.n_dups, 3);
  ck_assert_str_eq(f.dups[2].again, "b.json");
  tpp_fleet_tally(&f, 0, 0, &t);
  ck_assert(fabs(t.counted_tpp - 2 * 15831.2) < 1e-6);
  j = tpp_fleet_to_json(&f);
  ck_assert_uint_eq(json_array_size(json_object_get(j, "duplicates")), 3);
  json_decref(j);
  tpp_fleet_free(&f);
  /* No UUID: host, PCI bus id and file; another file is another device. */
  a.devices[0].info.uuid[0] = a.devices[1].info.uuid[0] = '\0';
  snprintf(a.devices[1].info.pci_bus_id, sizeof(a.devices[1].info.pci_bus_id), "0000:2a:00.0");
  tpp_fleet_init(&f, &rules, TPP_FLEET_MEASURED);
  ck_assert_int_eq(tpp_fleet_add(&f, "x.json", &a, NULL), 0);
  ck_assert_int_eq(tpp_fleet_add(&f, "y.json", &a, NULL), 0);
  ck_assert_int_eq(tpp_fleet_add(&f, "x.json", &a, NULL), 0);
  ck_assert_uint_eq(f.n_devices, 4);
  ck_assert_uint_eq(f.n_dups, 2);
  tpp_fleet_free(&f);
  tpp_result_free(&a);
  tpp_result_free(&b);
}
END_TEST

/* H20-like devices are white under the highest reading and grey under the aggregate one:
 * the fleet reports the reading that changes their zone. */
START_TEST(test_fleet_readings)
{
  struct tpp_fleet f;
  struct tpp_result r = result_of(2, 296, 814); /* int8-like: 2,368 */
  json_t *j, *in;
  size_t agg = 0;
  for (size_t i = 0; i < r.n_devices; i++)
    tpp_test_synth_row(&r.devices[i], TPP_FP32, TPP_PATH_VECTOR, 44, 0.001, 1800);
  tpp_fleet_init(&f, &rules, TPP_FLEET_MEASURED);
  ck_assert_int_eq(tpp_fleet_add(&f, "h20.json", &r, NULL), 0);
  ck_assert(f.devices[0].on[0][0].zone == TPP_ZONE_WHITE);
  for (size_t k = 1; k < f.n_readings; k++)
    if (f.readings[k].tpp == TPP_READ_AGGREGATE && tpp_reading_bits(&f.readings[k], TPP_TF32) == 32)
      agg = k;
  ck_assert_uint_gt(agg, 0);
  ck_assert(f.devices[0].on[0][agg].zone == TPP_ZONE_GREY);
  ck_assert(fabs(f.devices[0].on[0][agg].tpp - (2368 + 44 * 32)) < 1e-6);
  j = tpp_fleet_to_json(&f);
  in = json_object_get(j, "interpretations");
  ck_assert_uint_ge(json_array_size(in), 1);
  ck_assert_int_eq(
      json_integer_value(json_object_get(json_array_get(in, 0), "devices_changing_zone")), 2);
  ck_assert(json_is_false(json_object_get(j, "interpretation_sensitive")));
  json_decref(j);
  tpp_fleet_free(&f);
  tpp_result_free(&r);
}
END_TEST

/* --- inputs: directories, lists, results and other documents ------------------------ */

/* A result file of n devices, each with its own UUID and PCI bus id, from host `host`
 * (NULL: none recorded). */
static void
write_result(const char *path, const char *host, size_t n, double tops)
{
  struct tpp_result r = result_of(n, tops, 814);
  struct tpp_diag d = {0};
  json_t *doc;
  for (size_t i = 0; i < n; i++)
    snprintf(r.devices[i].info.pci_bus_id, sizeof(r.devices[i].info.pci_bus_id), "0000:%02zx:00.0",
             0x18 + i);
  snprintf(r.tool_version, sizeof(r.tool_version), "test");
  if (host)
    r.host = json_pack("{s:s}", "hostname", host);
  doc = tpp_result_to_json(&r);
  ck_assert_int_eq(tpp_atomic_write_json(path, doc, &d), 0);
  json_decref(doc);
  tpp_result_free(&r);
}

static void
write_text(const char *path, const char *text)
{
  FILE *f = fopen(path, "w");
  ck_assert_ptr_nonnull(f);
  fputs(text, f);
  fclose(f);
}

static void
path_in(char *buf, size_t len, const char *dir, const char *name)
{
  snprintf(buf, len, "%s/%s", dir, name);
}

static void
remove_tree(const char *dir)
{
  char cmd[700];
  snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
  ck_assert_int_eq(tpp_test_sh(cmd, NULL, 0), 0);
}

/* What is a result: tppbench results of every schema; not reports, profiles, others. */
START_TEST(test_recognise)
{
  struct tpp_fleet f;
  char what[200];
  json_t *j;

  j = json_pack("{s:i, s:{s:s}, s:[]}", "schema_version", 3, "tool", "name", "tppbench", "devices");
  ck_assert_int_eq(tpp_result_recognise(j, what, sizeof(what)), 1);
  json_decref(j);
  /* Schema 1 had no "tool". */
  j = json_pack("{s:i, s:[]}", "schema_version", 1, "devices");
  ck_assert_int_eq(tpp_result_recognise(j, what, sizeof(what)), 1);
  json_decref(j);
  /* It says tppbench: read strictly, so that a damaged result is an error, not a skip. */
  j = json_pack("{s:{s:s}}", "tool", "name", "tppbench");
  ck_assert_int_eq(tpp_result_recognise(j, what, sizeof(what)), 1);
  json_decref(j);
  /* fleet --json is a report. */
  tpp_fleet_init(&f, &rules, TPP_FLEET_MEASURED);
  j = tpp_fleet_to_json(&f);
  ck_assert_int_eq(tpp_result_recognise(j, what, sizeof(what)), 0);
  ck_assert_msg(strstr(what, "fleet report") != NULL, "%s", what);
  json_decref(j);
  tpp_fleet_free(&f);
  j = json_pack("{s:i, s:s}", "schema_version", 1, "id", "some-profile");
  ck_assert_int_eq(tpp_result_recognise(j, what, sizeof(what)), 0);
  json_decref(j);
  j = json_pack("{s:i, s:{s:s}, s:[]}", "schema_version", 3, "tool", "name", "other", "devices");
  ck_assert_int_eq(tpp_result_recognise(j, what, sizeof(what)), 0);
  ck_assert_msg(strstr(what, "other") != NULL, "%s", what);
  json_decref(j);
  j = json_pack("[i]", 1);
  ck_assert_int_eq(tpp_result_recognise(j, what, sizeof(what)), 0);
  json_decref(j);
}
END_TEST

/* fleet --json says what it is: kind, its own schema version, the tool. */
START_TEST(test_json_kind_and_schema)
{
  struct tpp_fleet f;
  json_t *j;
  tpp_fleet_init(&f, &rules, TPP_FLEET_MEASURED);
  j = tpp_fleet_to_json(&f);
  ck_assert_int_eq(json_integer_value(json_object_get(j, "schema_version")),
                   TPP_FLEET_SCHEMA_VERSION);
  ck_assert_str_eq(json_string_value(json_object_get(j, "kind")), "fleet");
  ck_assert_str_eq(json_string_value(json_object_get(json_object_get(j, "tool"), "name")),
                   "tppbench");
  ck_assert(json_is_true(json_object_get(j, "complete")));
  ck_assert_uint_eq(json_array_size(json_object_get(j, "not_read")), 0);
  ck_assert_uint_eq(json_array_size(json_object_get(j, "skipped")), 0);
  /* The first key is what the document is. */
  ck_assert_str_eq(json_object_iter_key(json_object_iter(j)), "schema_version");
  json_decref(j);
  tpp_fleet_free(&f);
}
END_TEST

/* A directory stands for its *.json files at any depth, in name order; hidden names are
 * left out; the other files are skipped (listed, noted once per directory). */
START_TEST(test_inputs_directory)
{
  char dir[512], p[700], *log_text = NULL;
  size_t log_len = 0;
  struct tpp_fleet_inputs in = {0};
  FILE *log;

  tpp_test_tmpdir(dir, sizeof(dir));
  path_in(p, sizeof(p), dir, "rack2");
  ck_assert_int_eq(mkdir(p, 0700), 0);
  path_in(p, sizeof(p), dir, "rack1");
  ck_assert_int_eq(mkdir(p, 0700), 0);
  path_in(p, sizeof(p), dir, ".old");
  ck_assert_int_eq(mkdir(p, 0700), 0);
  path_in(p, sizeof(p), dir, "rack2/node3.json");
  write_result(p, "node3", 1, 1978.9);
  path_in(p, sizeof(p), dir, "rack1/node2.json");
  write_result(p, "node2", 1, 1978.9);
  path_in(p, sizeof(p), dir, "node1.json");
  write_result(p, "node1", 1, 1978.9);
  path_in(p, sizeof(p), dir, ".old/node0.json");
  write_result(p, "node0", 1, 1978.9);
  path_in(p, sizeof(p), dir, "node1.log");
  write_text(p, "not JSON\n");
  path_in(p, sizeof(p), dir, "rack1/node2.json.Xa81qz"); /* an unfinished atomic write */
  write_text(p, "{\"sche");
  path_in(p, sizeof(p), dir, "node1.json.minisig"); /* goes with its result: not counted */
  write_text(p, "untrusted comment: signature\n");

  log = open_memstream(&log_text, &log_len);
  ck_assert_int_eq(tpp_fleet_inputs_add(&in, dir, log), 0);
  fclose(log);
  ck_assert_uint_eq(in.n, 5);
  ck_assert_msg(strstr(in.v[0].path, "/node1.json") && !in.v[0].skip, "%s", in.v[0].path);
  ck_assert_msg(strstr(in.v[1].path, "/node1.log") && in.v[1].skip, "%s", in.v[1].path);
  ck_assert_msg(strstr(in.v[2].path, "/rack1/node2.json") && !in.v[2].skip, "%s", in.v[2].path);
  ck_assert_msg(strstr(in.v[3].path, "/rack1/node2.json.Xa81qz") && in.v[3].skip, "%s",
                in.v[3].path);
  ck_assert_msg(strstr(in.v[4].path, "/rack2/node3.json") && !in.v[4].skip, "%s", in.v[4].path);
  ck_assert_msg(strstr(log_text, "2 files not named *.json"), "%s", log_text);
  free(log_text);
  /* A file is taken as named, even when it does not exist (reading it says so). */
  path_in(p, sizeof(p), dir, "missing.json");
  ck_assert_int_eq(tpp_fleet_inputs_add(&in, p, NULL), 0);
  ck_assert_uint_eq(in.n, 6);
  ck_assert_str_eq(in.v[5].path, p);
  tpp_fleet_inputs_free(&in);
  remove_tree(dir);
}
END_TEST

/* Reading a directory with a fleet report and a file that is not JSON in it: both are
 * skipped with a note, the results are totalled, on one thread or several alike. */
START_TEST(test_load_directory)
{
  char dir[512], p[700], *log_text = NULL;
  size_t log_len = 0;
  struct tpp_fleet_inputs in = {0};
  struct tpp_fleet f, g;
  struct tpp_fleet_load o = {0};
  FILE *log;

  tpp_test_tmpdir(dir, sizeof(dir));
  for (int i = 0; i < 12; i++) {
    char name[64];
    snprintf(name, sizeof(name), "node%02d.json", i);
    path_in(p, sizeof(p), dir, name);
    write_result(p, name, 2, 1978.9);
  }
  /* A report of these results, in the same directory. */
  ck_assert_int_eq(tpp_fleet_inputs_add(&in, dir, NULL), 0);
  tpp_fleet_init(&f, &rules, TPP_FLEET_MEASURED);
  ck_assert_int_eq(tpp_fleet_load(&f, &in, &o), 0);
  ck_assert_uint_eq(f.n_devices, 24);
  {
    json_t *j = tpp_fleet_to_json(&f);
    struct tpp_diag d = {0};
    path_in(p, sizeof(p), dir, "job7.fleet.json");
    ck_assert_int_eq(tpp_atomic_write_json(p, j, &d), 0);
    json_decref(j);
  }
  tpp_fleet_free(&f);
  tpp_fleet_inputs_free(&in);
  path_in(p, sizeof(p), dir, "job7.fleet.txt");
  write_text(p, "fleet       24 devices in 12 results\n");

  log = open_memstream(&log_text, &log_len);
  o.log = log;
  ck_assert_int_eq(tpp_fleet_inputs_add(&in, dir, log), 0);
  tpp_fleet_init(&f, &rules, TPP_FLEET_MEASURED);
  o.threads = 1;
  ck_assert_int_eq(tpp_fleet_load(&f, &in, &o), 0);
  fclose(log);
  ck_assert_uint_eq(f.n_results, 12);
  ck_assert_uint_eq(f.n_devices, 24);
  ck_assert_uint_eq(f.n_not_read, 0);
  ck_assert_uint_eq(f.n_skipped, 2);
  ck_assert_msg(strstr(f.skipped[0].file, "job7.fleet.json") &&
                    strstr(f.skipped[0].why, "fleet report"),
                "%s: %s", f.skipped[0].file, f.skipped[0].why);
  ck_assert_msg(strstr(f.skipped[1].file, "job7.fleet.txt") &&
                    strstr(f.skipped[1].why, "not named *.json"),
                "%s", f.skipped[1].file);
  ck_assert_msg(strstr(log_text, "job7.fleet.json: a tppbench fleet report, not a result") &&
                    strstr(log_text, "1 files not named *.json"),
                "%s", log_text);
  free(log_text);
  /* Four threads: the same devices in the same order. */
  tpp_fleet_init(&g, &rules, TPP_FLEET_MEASURED);
  o.threads = 4;
  o.log = NULL;
  ck_assert_int_eq(tpp_fleet_load(&g, &in, &o), 0);
  ck_assert_uint_eq(g.n_devices, f.n_devices);
  for (size_t i = 0; i < f.n_devices; i++)
    ck_assert_str_eq(g.devices[i].key, f.devices[i].key);
  ck_assert_uint_eq(g.n_skipped, 2);
  tpp_fleet_free(&g);
  tpp_fleet_free(&f);
  tpp_fleet_inputs_free(&in);
  remove_tree(dir);
}
END_TEST

/* The device list says where each device is: host, PCI bus id, UUID, in JSON and text. */
START_TEST(test_device_list_fields)
{
  char dir[512], p[700], *text = NULL;
  size_t len = 0;
  struct tpp_fleet_inputs in = {0};
  struct tpp_fleet f;
  struct tpp_fleet_load o = {0};
  json_t *j, *d0;
  FILE *out;

  tpp_test_tmpdir(dir, sizeof(dir));
  path_in(p, sizeof(p), dir, "gpu07.json");
  write_result(p, "gpu07.rack3", 2, 1978.9);
  path_in(p, sizeof(p), dir, "nohost.json");
  write_result(p, NULL, 1, 1978.9);
  ck_assert_int_eq(tpp_fleet_inputs_add(&in, dir, NULL), 0);
  tpp_fleet_init(&f, &rules, TPP_FLEET_MEASURED);
  ck_assert_int_eq(tpp_fleet_load(&f, &in, &o), 0);
  ck_assert_uint_eq(f.n_devices, 3);
  ck_assert_str_eq(f.devices[1].host, "gpu07.rack3");
  ck_assert_str_eq(f.devices[1].pci_bus_id, "0000:19:00.0");
  ck_assert_msg(strncmp(f.devices[1].uuid, "GPU-test-", 9) == 0, "%s", f.devices[1].uuid);
  ck_assert_str_eq(f.devices[2].host, "");
  j = tpp_fleet_to_json(&f);
  d0 = json_array_get(json_object_get(j, "device_list"), 0);
  ck_assert_str_eq(json_string_value(json_object_get(d0, "host")), "gpu07.rack3");
  ck_assert_str_eq(json_string_value(json_object_get(d0, "pci_bus_id")), "0000:18:00.0");
  ck_assert_str_eq(json_string_value(json_object_get(d0, "uuid")), f.devices[0].uuid);
  ck_assert_msg(strstr(json_string_value(json_object_get(d0, "file")), "gpu07.json"), "file");
  ck_assert(
      json_is_null(json_object_get(json_array_get(json_object_get(j, "device_list"), 2), "host")));
  json_decref(j);
  out = open_memstream(&text, &len);
  tpp_fleet_print(&f, out);
  fclose(out);
  ck_assert_msg(strstr(text, "host") && strstr(text, "pci bus id") && strstr(text, "uuid"), "%s",
                text);
  {
    /* The device's line names all three. */
    const char *line = strstr(text, f.devices[1].uuid);
    ck_assert_ptr_nonnull(line);
    while (line > text && line[-1] != '\n')
      line--;
    ck_assert_msg(strstr(line, "gpu07.rack3") < strchr(line, '\n') &&
                      strstr(line, "0000:19:00.0") < strchr(line, '\n'),
                  "%s", text);
  }
  free(text);
  tpp_fleet_free(&f);
  tpp_fleet_inputs_free(&in);
  remove_tree(dir);
}
END_TEST

/* A malformed file: without keep_going the reading stops there (the devices before it were
 * added, none after); with it the file is noted as not read, the others are totalled, and
 * nothing "fits" any more: the files not read could hold any number of devices. */
START_TEST(test_keep_going)
{
  char dir[512], p[700], *log_text = NULL, *bad;
  size_t log_len = 0;
  struct tpp_fleet_inputs in = {0};
  struct tpp_fleet f;
  struct tpp_fleet_tally t;
  struct tpp_fleet_load o = {0};
  FILE *log;
  json_t *j, *nr;

  tpp_test_tmpdir(dir, sizeof(dir));
  path_in(p, sizeof(p), dir, "a.json");
  write_result(p, "a", 1, 1978.9);
  path_in(p, sizeof(p), dir, "b-bad.json");
  bad = tpp_test_slurp(TPP_TEST_DATA "/results/bad_status.json");
  ck_assert_ptr_nonnull(bad);
  write_text(p, bad);
  free(bad);
  path_in(p, sizeof(p), dir, "c.json");
  write_result(p, "c", 1, 1978.9);
  ck_assert_int_eq(tpp_fleet_inputs_add(&in, dir, NULL), 0);

  for (unsigned threads = 1; threads <= 3; threads += 2) {
    log = open_memstream(&log_text, &log_len);
    o.log = log;
    o.threads = threads;
    o.keep_going = 0;
    tpp_fleet_init(&f, &rules, TPP_FLEET_MEASURED);
    ck_assert_int_eq(tpp_fleet_load(&f, &in, &o), TPP_EPARSE);
    fclose(log);
    ck_assert_msg(strstr(log_text, "b-bad.json:8:") &&
                      strstr(log_text, "devices[0].measurements[1].status"),
                  "%s", log_text);
    ck_assert_uint_eq(f.n_results, 1);
    ck_assert_uint_eq(f.n_not_read, 0);
    tpp_fleet_free(&f);
    free(log_text);
    log_text = NULL;
  }

  log = open_memstream(&log_text, &log_len);
  o.log = log;
  o.keep_going = 1;
  tpp_fleet_init(&f, &rules, TPP_FLEET_MEASURED);
  ck_assert_int_eq(tpp_fleet_load(&f, &in, &o), 0);
  fclose(log);
  ck_assert_uint_eq(f.n_results, 2);
  ck_assert_uint_eq(f.n_devices, 2);
  ck_assert_uint_eq(f.n_not_read, 1);
  ck_assert_msg(strstr(f.not_read[0].file, "b-bad.json"), "%s", f.not_read[0].file);
  /* The same message as without --keep-going: file, line, field. */
  ck_assert_msg(strstr(f.not_read[0].why, "b-bad.json:8:") &&
                    strstr(f.not_read[0].why, "devices[0].measurements[1].status") &&
                    strstr(log_text, f.not_read[0].why),
                "%s", f.not_read[0].why);
  free(log_text);
  /* Two H100s fit every quantity; with a file unread, none can be said to fit. */
  tpp_fleet_tally(&f, 0, 0, &t);
  ck_assert(t.incomplete);
  ck_assert(tpp_fleet_quantity_verdict(&t, quantity("lpp")) == TPP_FLEET_UNDETERMINED);
  ck_assert(tpp_fleet_result(&f) == TPP_FLEET_UNDETERMINED);
  j = tpp_fleet_to_json(&f);
  ck_assert(json_is_false(json_object_get(j, "complete")));
  ck_assert_str_eq(json_string_value(json_object_get(j, "verdict")), "undetermined");
  nr = json_array_get(json_object_get(j, "not_read"), 0);
  ck_assert_msg(strstr(json_string_value(json_object_get(nr, "file")), "b-bad.json"), "file");
  ck_assert_str_eq(json_string_value(json_object_get(nr, "error")), f.not_read[0].why);
  ck_assert(json_is_null(json_object_get(
      json_array_get(json_object_get(json_object_get(j, "accounting"), "quantities"), 0),
      "fraction_at_most")));
  json_decref(j);
  {
    char *text = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&text, &len);
    tpp_fleet_print(&f, out);
    fclose(out);
    ck_assert_msg(strstr(text, "not read") && strstr(text, "b-bad.json:8:") &&
                      strstr(text, "files not read could add any amount") &&
                      strstr(text, "verdict     undetermined (1 files not read"),
                  "%s", text);
    free(text);
  }
  tpp_fleet_free(&f);
  /* What the files read already exceed stays exceeded. */
  {
    struct tpp_result many = result_of(1700, 1978.9, 814);
    tpp_fleet_init(&f, &rules, TPP_FLEET_MEASURED);
    ck_assert_int_eq(tpp_fleet_add(&f, "many.json", &many, NULL), 0);
    ck_assert_int_eq(tpp_fleet_note_not_read(&f, "x.json", "x.json: unreadable"), 0);
    ck_assert(tpp_fleet_result(&f) == TPP_FLEET_EXCEEDED);
    tpp_fleet_free(&f);
    tpp_result_free(&many);
  }
  tpp_fleet_inputs_free(&in);
  remove_tree(dir);
}
END_TEST

/* Lists: one path per line (files or directories), empty lines and CR ignored; stdin once. */
START_TEST(test_inputs_list)
{
  char dir[512], p[700], list[700], text[2400];
  struct tpp_fleet_inputs in = {0};
  struct tpp_diag d = {0};
  struct tpp_fleet f;
  struct tpp_fleet_load o = {0};

  tpp_test_tmpdir(dir, sizeof(dir));
  path_in(p, sizeof(p), dir, "sub");
  ck_assert_int_eq(mkdir(p, 0700), 0);
  path_in(p, sizeof(p), dir, "sub/n2.json");
  write_result(p, "n2", 1, 1978.9);
  path_in(p, sizeof(p), dir, "n1.json");
  write_result(p, "n1", 1, 1978.9);
  snprintf(text, sizeof(text), "%s/n1.json\r\n\n%s/sub\n", dir, dir);
  path_in(list, sizeof(list), dir, "list.txt");
  write_text(list, text);
  ck_assert_int_eq(tpp_fleet_inputs_add_list(&in, list, NULL, &d), 0);
  ck_assert_uint_eq(in.n, 2);
  ck_assert_msg(strstr(in.v[0].path, "/n1.json") && strstr(in.v[1].path, "/sub/n2.json"), "%s %s",
                in.v[0].path, in.v[1].path);
  tpp_fleet_init(&f, &rules, TPP_FLEET_MEASURED);
  ck_assert_int_eq(tpp_fleet_load(&f, &in, &o), 0);
  ck_assert_uint_eq(f.n_devices, 2);
  tpp_fleet_free(&f);
  /* The same list on stdin; stdin a second time is bad usage. */
  ck_assert_ptr_nonnull(freopen(list, "r", stdin));
  ck_assert_int_eq(tpp_fleet_inputs_add_list(&in, "-", NULL, &d), 0);
  ck_assert_uint_eq(in.n, 4);
  ck_assert_int_eq(tpp_fleet_inputs_add_list(&in, "-", NULL, &d), TPP_EINVAL);
  /* A list that cannot be read names itself. */
  path_in(p, sizeof(p), dir, "no-such-list");
  ck_assert_int_eq(tpp_fleet_inputs_add_list(&in, p, NULL, &d), TPP_ENOENT);
  ck_assert_str_eq(d.file, p);
  tpp_fleet_inputs_free(&in);
  remove_tree(dir);
}
END_TEST

/* A result written without a profile is matched now; the remembered match is the same as
 * the first, for every device of that identity. */
START_TEST(test_profile_matched_once)
{
  char dir[512], p[700];
  struct tpp_profile_set set;
  struct tpp_diag d = {0};
  struct tpp_fleet_inputs in = {0};
  struct tpp_fleet f;
  struct tpp_fleet_load o = {0};
  struct tpp_result r;
  json_t *doc;

  ck_assert_int_eq(tpp_profile_set_load_dir(TPP_PROFILES_DIR "/devices", &set, &d), 0);
  tpp_test_tmpdir(dir, sizeof(dir));
  memset(&r, 0, sizeof(r));
  r.devices = calloc(3, sizeof(*r.devices));
  ck_assert_ptr_nonnull(r.devices);
  h100_device(&r.devices[0]);
  h100_device(&r.devices[1]);
  device(&r.devices[2], 1978.9, 814); /* "Synthetic": no profile */
  r.n_devices = 3;
  doc = tpp_result_to_json(&r);
  for (int i = 0; i < 3; i++) {
    char name[32];
    json_t *devs = json_object_get(doc, "devices");
    for (size_t k = 0; k < json_array_size(devs); k++) {
      char uuid[64];
      snprintf(uuid, sizeof(uuid), "GPU-file%d-dev%zu", i, k);
      json_object_set_new(json_object_get(json_array_get(devs, k), "identity"), "uuid",
                          json_string(uuid));
    }
    snprintf(name, sizeof(name), "n%d.json", i);
    path_in(p, sizeof(p), dir, name);
    ck_assert_int_eq(tpp_atomic_write_json(p, doc, &d), 0);
  }
  json_decref(doc);
  tpp_result_free(&r);
  ck_assert_int_eq(tpp_fleet_inputs_add(&in, dir, NULL), 0);
  tpp_fleet_init(&f, &rules, TPP_FLEET_RULE);
  o.profiles = &set;
  o.threads = 1;
  ck_assert_int_eq(tpp_fleet_load(&f, &in, &o), 0);
  ck_assert_uint_eq(f.n_devices, 9);
  for (size_t i = 0; i < f.n_devices; i++) {
    ck_assert_str_eq(f.devices[i].profile, i % 3 == 2 ? "" : "nvidia-h100-sxm5-80gb");
    ck_assert_str_eq(f.devices[i].on[0][0].basis, i % 3 == 2 ? "measured" : "declared");
  }
  tpp_fleet_free(&f);
  tpp_fleet_inputs_free(&in);
  tpp_profile_set_free(&set);
  remove_tree(dir);
}
END_TEST

static Suite *
suite(void)
{
  Suite *s = suite_create("fleet");
  TCase *tc = tcase_create("totals");
  tcase_add_unchecked_fixture(tc, setup, NULL);
  tcase_add_test(tc, test_totals);
  tcase_add_test(tc, test_lpp_boundary);
  tcase_add_test(tc, test_declared_basis);
  tcase_add_test(tc, test_shares);
  tcase_add_test(tc, test_no_accounting);
  tcase_add_test(tc, test_1800_h100_exceed_lpp_by_default);
  tcase_add_test(tc, test_undetermined_quantity);
  tcase_add_test(tc, test_lower_bound_never_fits);
  tcase_add_test(tc, test_undetermined_without_quantities);
  tcase_add_test(tc, test_duplicates);
  tcase_add_test(tc, test_fleet_readings);
  suite_add_tcase(s, tc);
  tc = tcase_create("inputs");
  tcase_add_unchecked_fixture(tc, setup, NULL);
  tcase_set_timeout(tc, 30);
  tcase_add_test(tc, test_recognise);
  tcase_add_test(tc, test_json_kind_and_schema);
  tcase_add_test(tc, test_inputs_directory);
  tcase_add_test(tc, test_load_directory);
  tcase_add_test(tc, test_device_list_fields);
  tcase_add_test(tc, test_keep_going);
  tcase_add_test(tc, test_inputs_list);
  tcase_add_test(tc, test_profile_matched_once);
  suite_add_tcase(s, tc);
  return s;
}

int
main(void)
{
  return tpp_test_run(suite());
}
