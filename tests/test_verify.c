/* test_verify.c - verdicts of `verify` on synthetic runs: consistent, over-capable,
 * under-performing, wrong identity, borderline, inconclusive. */
#include <check.h>
#include <math.h>
#include <string.h>

#include "testutil.h"
#include "tpp/result.h"
#include "tpp/verify.h"

static struct tpp_profile_set set;
static struct tpp_ruleset rules;
static const struct tpp_profile *h100, *h20;

static void
setup(void)
{
  struct tpp_diag d = {0};
  ck_assert_int_eq(tpp_profile_set_load_dir(TPP_PROFILES_DIR "/devices", &set, &d), 0);
  ck_assert_int_eq(tpp_ruleset_load(TPP_PROFILES_DIR "/rules/eccn-3a090-2023.json", &rules, &d), 0);
  h100 = tpp_profile_find(&set, "h100");
  h20 = tpp_profile_find(&set, "h20");
  ck_assert_ptr_nonnull(h100);
  ck_assert_ptr_nonnull(h20);
}

static void
teardown(void)
{
  tpp_profile_set_free(&set);
}

/* A device showing profile p's identity. */
static void
device_like(struct tpp_device_result *d, const struct tpp_profile *p)
{
  tpp_test_synth_device(d, p->n_names ? p->names[0] : p->name, p->pci_vendor_id,
                        p->n_pci_device_ids ? p->pci_device_ids[0] : 0, p->compute_units,
                        p->memory_gb * 0.97);
}

/* Rows at `fraction` of profile p's peaks, at each peak's own clock. */
static void
rows_like(struct tpp_device_result *d, const struct tpp_profile *p, double fraction, double spread)
{
  for (size_t i = 0; i < p->n_peaks; i++)
    tpp_test_synth_row(d, p->peaks[i].precision, p->peaks[i].path, fraction * p->peaks[i].tops,
                       spread, p->peaks[i].clock_mhz);
}

static struct tpp_verification v;

static void
verify(struct tpp_device_result *d, const struct tpp_profile *declared)
{
  struct tpp_verify_opts o;
  tpp_verify_defaults(&o);
  ck_assert_int_eq(tpp_device_result_classify(d, &rules), 0);
  ck_assert_int_eq(tpp_verify(d, declared, &rules, &o, &v), 0);
}

static const struct tpp_check *
find(const char *what)
{
  for (size_t i = 0; i < v.n_checks; i++)
    if (strcmp(v.checks[i].what, what) == 0)
      return &v.checks[i];
  return NULL;
}

static int
has_finding(const char *finding)
{
  for (size_t i = 0; i < v.n_checks; i++)
    if (strcmp(v.checks[i].finding, finding) == 0)
      return 1;
  return 0;
}

START_TEST(test_consistent)
{
  static struct tpp_device_result d;
  device_like(&d, h100);
  rows_like(&d, h100, 0.85, 0.01);
  verify(&d, h100);
  ck_assert_msg(v.verdict == TPP_VERDICT_CONSISTENT, "%s", v.summary);
  ck_assert_int_eq(tpp_verdict_exit_status(v.verdict), 0);
  ck_assert_str_eq(find("pci id")->finding, "match");
  ck_assert_str_eq(find("compute units")->finding, "match");
  ck_assert_str_eq(find("memory")->finding, "match");
  ck_assert_str_eq(find("fp8 tensor")->finding, "within range");
  ck_assert_str_eq(find("class")->finding, "same class");
}
END_TEST

/* An H100 declared as an H20: wrong identity, and far more capable than an H20 can be. */
START_TEST(test_relabelled)
{
  static struct tpp_device_result d;
  device_like(&d, h100);
  rows_like(&d, h100, 0.85, 0.01);
  verify(&d, h20);
  ck_assert_msg(v.verdict == TPP_VERDICT_INCONSISTENT, "%s", v.summary);
  ck_assert_int_eq(tpp_verdict_exit_status(v.verdict), 1);
  ck_assert_str_eq(find("pci id")->finding, "wrong identity");
  ck_assert_str_eq(find("compute units")->finding, "wrong identity");
  ck_assert_str_eq(find("fp8 tensor")->finding, "over-capable");
  ck_assert_str_eq(find("class")->finding, "class above declared");
  ck_assert(v.measured_cls.zone == TPP_ZONE_BLACK);
  ck_assert(v.declared_cls.zone == TPP_ZONE_WHITE);
}
END_TEST

/* A chip that reports the H20's identity (spoofed firmware) but computes like an H100 is
 * caught by capability alone. */
START_TEST(test_over_capable_with_spoofed_identity)
{
  static struct tpp_device_result d;
  device_like(&d, h20);
  rows_like(&d, h100, 0.85, 0.01);
  verify(&d, h20);
  ck_assert_msg(v.verdict == TPP_VERDICT_INCONSISTENT, "%s", v.summary);
  ck_assert_str_eq(find("pci id")->finding, "match");
  ck_assert(has_finding("over-capable"));
  ck_assert_msg(strstr(v.summary, "over-capable") != NULL, "%s", v.summary);
}
END_TEST

START_TEST(test_under_performing)
{
  static struct tpp_device_result d;
  device_like(&d, h100);
  rows_like(&d, h100, 0.3, 0.01);
  verify(&d, h100);
  ck_assert_msg(v.verdict == TPP_VERDICT_INCONSISTENT, "%s", v.summary);
  ck_assert_str_eq(find("fp16 tensor")->finding, "under-performing");
  ck_assert_str_eq(find("pci id")->finding, "match");
  /* Measured below the declared class is not itself a finding against the device. */
  ck_assert_str_eq(find("class")->finding, "class below declared");
  ck_assert(find("class")->verdict == TPP_VERDICT_CONSISTENT);
}
END_TEST

START_TEST(test_wrong_identity_only)
{
  static struct tpp_device_result d;
  device_like(&d, h100);
  d.info.pci_device_id ^= 0x0100;
  rows_like(&d, h100, 0.85, 0.01);
  verify(&d, h100);
  ck_assert_msg(v.verdict == TPP_VERDICT_INCONSISTENT, "%s", v.summary);
  ck_assert_str_eq(find("pci id")->finding, "wrong identity");
  ck_assert_str_eq(find("fp8 tensor")->finding, "within range");
}
END_TEST

/* Measured 4% above the declared peak at its clock with +-3% spread: the 5% limit is inside
 * the spread, so borderline rather than a false accusation. */
START_TEST(test_borderline)
{
  static struct tpp_device_result d;
  device_like(&d, h100);
  rows_like(&d, h100, 1.04, 0.03);
  verify(&d, h100);
  ck_assert_msg(v.verdict == TPP_VERDICT_BORDERLINE, "%s", v.summary);
  ck_assert_int_eq(tpp_verdict_exit_status(v.verdict), 3);
  ck_assert_str_eq(find("fp16 tensor")->finding, "borderline over-capable");
  /* With a tight spread the same median is consistent (under 5%). */
  device_like(&d, h100);
  rows_like(&d, h100, 1.04, 0.002);
  verify(&d, h100);
  ck_assert_msg(v.verdict == TPP_VERDICT_CONSISTENT, "%s", v.summary);
  /* And 8% above with a tight spread is over-capable. */
  device_like(&d, h100);
  rows_like(&d, h100, 1.08, 0.002);
  verify(&d, h100);
  ck_assert_msg(v.verdict == TPP_VERDICT_INCONSISTENT, "%s", v.summary);
}
END_TEST

/* The H100's tensor peaks are quoted at 1830 MHz; one running at 1980 MHz legitimately
 * measures 8% more.  The limit scales with the measured clock. */
START_TEST(test_clock_scaling)
{
  static struct tpp_device_result d;
  double clk;
  double fp16 = tpp_profile_peak(h100, TPP_FP16, TPP_PATH_TENSOR, &clk);
  ck_assert(clk == 1830);
  device_like(&d, h100);
  tpp_test_synth_row(&d, TPP_FP16, TPP_PATH_TENSOR, 1.07 * fp16, 0.002, 1980);
  verify(&d, h100);
  ck_assert_str_eq(find("fp16 tensor")->finding, "within range");
  /* The same figure at the quoted clock is over-capable. */
  device_like(&d, h100);
  tpp_test_synth_row(&d, TPP_FP16, TPP_PATH_TENSOR, 1.07 * fp16, 0.002, 1830);
  verify(&d, h100);
  ck_assert_str_eq(find("fp16 tensor")->finding, "over-capable");
}
END_TEST

START_TEST(test_inconclusive)
{
  static struct tpp_device_result d;
  device_like(&d, h100);
  verify(&d, h100);
  ck_assert_msg(v.verdict == TPP_VERDICT_INCONCLUSIVE, "%s", v.summary);
  ck_assert_int_eq(tpp_verdict_exit_status(v.verdict), 3);
}
END_TEST

START_TEST(test_json)
{
  static struct tpp_device_result d;
  json_t *j;
  device_like(&d, h100);
  rows_like(&d, h100, 0.85, 0.01);
  verify(&d, h20);
  j = tpp_verification_to_json(&v);
  ck_assert_ptr_nonnull(j);
  ck_assert_str_eq(json_string_value(json_object_get(j, "verdict")), "inconsistent");
  ck_assert_str_eq(json_string_value(json_object_get(j, "declared")), h20->id);
  ck_assert_uint_eq(json_array_size(json_object_get(j, "checks")), v.n_checks);
  ck_assert_str_eq(json_string_value(json_object_get(json_object_get(j, "measured_classification"),
                                                     "zone")),
                   "black");
  json_decref(j);
}
END_TEST

static Suite *
suite(void)
{
  Suite *s = suite_create("verify");
  TCase *tc = tcase_create("verdicts");
  tcase_add_unchecked_fixture(tc, setup, teardown);
  tcase_add_test(tc, test_consistent);
  tcase_add_test(tc, test_relabelled);
  tcase_add_test(tc, test_over_capable_with_spoofed_identity);
  tcase_add_test(tc, test_under_performing);
  tcase_add_test(tc, test_wrong_identity_only);
  tcase_add_test(tc, test_borderline);
  tcase_add_test(tc, test_clock_scaling);
  tcase_add_test(tc, test_inconclusive);
  tcase_add_test(tc, test_json);
  suite_add_tcase(s, tc);
  return s;
}

int
main(void)
{
  return tpp_test_run(suite());
}
