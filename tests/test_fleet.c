/* test_fleet.c - fleet totals per zone and clause, H100-equivalents, and the AI Diffusion
 * quantities. */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "tpp/fleet.h"

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
  return s;
}

int
main(void)
{
  return tpp_test_run(suite());
}
