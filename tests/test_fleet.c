/* test_fleet.c - fleet totals per zone and clause, H100-equivalents, and the AI Diffusion
 * quantities. */
#include <check.h>
#include <math.h>
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

/* A device with one fp8 tensor row of `tops` and the given die area. */
static void
device(struct tpp_device_result *d, double tops, double area)
{
  tpp_test_synth_device(d, "Synthetic", 0x10de, 0x9999, 100, 80);
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
  struct tpp_result black = result_of(8, 1978.9, 814); /* 8 x 15,831.2: H100-like */
  struct tpp_result grey = result_of(1, 362, 608.5);   /* 2,896 on 608.5 mm²: L40-like, b.1 */
  struct tpp_result white = result_of(2, 250, 814);    /* 2,000 on 814 mm² */
  struct tpp_result unknown = result_of(1, 400, NAN);  /* 3,200, area unknown: indeterminate */

  tpp_fleet_init(&f, &rules, TPP_FLEET_MEASURED);
  ck_assert_int_eq(tpp_fleet_add(&f, "black.json", &black, NULL), 0);
  ck_assert_int_eq(tpp_fleet_add(&f, "grey.json", &grey, NULL), 0);
  ck_assert_int_eq(tpp_fleet_add(&f, "white.json", &white, NULL), 0);
  ck_assert_int_eq(tpp_fleet_add(&f, "unknown.json", &unknown, NULL), 0);
  ck_assert_uint_eq(f.n_results, 4);
  ck_assert_uint_eq(f.n_devices, 12);
  ck_assert_uint_eq(f.n_unknown, 1);
  ck_assert_uint_eq(f.zones[TPP_ZONE_BLACK].devices, 8);
  ck_assert(fabs(f.zones[TPP_ZONE_BLACK].tpp - 8 * 15831.2) < 1e-6);
  ck_assert_uint_eq(f.zones[TPP_ZONE_GREY].devices, 1);
  ck_assert(fabs(f.zones[TPP_ZONE_GREY].tpp - 2896) < 1e-9);
  ck_assert_uint_eq(f.zones[TPP_ZONE_WHITE].devices, 2);
  ck_assert(fabs(f.total_tpp - (8 * 15831.2 + 2896 + 4000)) < 1e-6);
  /* Only 3A090.a datacenter chips (black) count against the AI Diffusion quantities. */
  ck_assert_uint_eq(f.counted_devices, 8);
  ck_assert(fabs(f.counted_tpp - 8 * 15831.2) < 1e-6);
  ck_assert(fabs(f.counted_tpp / rules.accounting.unit_tpp - 8) < 1e-9);
  /* by clause: 3A090.a.1, 3A090.b.1, not controlled */
  ck_assert_uint_eq(f.n_clauses, 3);
  ck_assert_str_eq(f.clauses[0].clause, "3A090.a.1");
  ck_assert_uint_eq(f.clauses[0].devices, 8);
  ck_assert_str_eq(f.clauses[1].clause, "3A090.b.1");
  ck_assert_ptr_null(f.clauses[2].clause);
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
  json_array_foreach(qs, i, q)
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
  tpp_device_result_set_profile(&r.devices[0], tpp_profile_find(&set, "h100"), "test", 0);
  tpp_fleet_init(&f, &rules, TPP_FLEET_DECLARED);
  ck_assert_int_eq(tpp_fleet_add(&f, "a.json", &r, &set), 0);
  ck_assert_str_eq(f.devices[0].basis, "declared");
  ck_assert(fabs(f.devices[0].tpp - 15831.2) < 1e-9);
  ck_assert_str_eq(f.devices[1].basis, "measured");
  ck_assert(fabs(f.devices[1].tpp - 13600) < 1e-9);
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
  json_array_foreach(s, i, e) {
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
  ck_assert_uint_eq(f.counted_devices, 0);
  j = tpp_fleet_to_json(&f);
  ck_assert(json_is_null(json_object_get(j, "accounting")));
  json_decref(j);
  tpp_result_free(&r);
  tpp_fleet_free(&f);
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
  suite_add_tcase(s, tc);
  return s;
}

int
main(void)
{
  return tpp_test_run(suite());
}
