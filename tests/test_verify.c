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

static struct tpp_verification v;

static void
teardown(void)
{
  tpp_verification_free(&v);
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

static void
verify(struct tpp_device_result *d, const struct tpp_profile *declared)
{
  struct tpp_verify_opts o;
  tpp_verify_defaults(&o);
  tpp_verification_free(&v);
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

/* A row that was not requested (run --precisions). */
static void
skipped_row(struct tpp_device_result *d, int precision, int path)
{
  struct tpp_row *r = tpp_device_result_add_row(d);
  ck_assert_ptr_nonnull(r);
  r->precision = (enum tpp_precision)precision;
  r->path = (enum tpp_path)path;
  r->status = TPP_ROW_SKIPPED;
  r->tops = r->peak_tops = r->efficiency = NAN;
  snprintf(r->reason, sizeof(r->reason), "not requested (--precisions)");
}

static void
error_row(struct tpp_device_result *d, int precision, int path, const char *kernel,
          const char *reason)
{
  struct tpp_row *r = tpp_device_result_add_row(d);
  ck_assert_ptr_nonnull(r);
  r->precision = (enum tpp_precision)precision;
  r->path = (enum tpp_path)path;
  r->status = TPP_ROW_ERROR;
  r->tops = r->peak_tops = r->efficiency = NAN;
  snprintf(r->kernel, sizeof(r->kernel), "%s", kernel);
  snprintf(r->reason, sizeof(r->reason), "%s", reason);
}

/* Issue 9: `run --precisions fp32,int8` verified against a profile whose TPP is set by
 * another precision (the MI210's FP64 matrix figure) answered "consistent". */
START_TEST(test_tpp_precision_not_measured)
{
  static struct tpp_device_result d;
  const struct tpp_profile *mi210 = tpp_profile_find(&set, "amd-instinct-mi210");
  const struct tpp_check *c;
  ck_assert_ptr_nonnull(mi210);
  device_like(&d, mi210);
  for (size_t i = 0; i < mi210->n_peaks; i++) {
    const struct tpp_profile_peak *pk = &mi210->peaks[i];
    if (pk->precision == TPP_FP32 || pk->precision == TPP_INT8)
      tpp_test_synth_row(&d, pk->precision, pk->path, 0.85 * pk->tops, 0.01, pk->clock_mhz);
    else
      skipped_row(&d, pk->precision, pk->path);
  }
  verify(&d, mi210);
  ck_assert_msg(v.verdict == TPP_VERDICT_INCONCLUSIVE, "%s", v.summary);
  ck_assert_int_eq(tpp_verdict_exit_status(v.verdict), 3);
  ck_assert(v.tpp_unmeasured);
  c = find("fp64 tensor");
  ck_assert_ptr_nonnull(c);
  ck_assert_str_eq(c->finding, "not requested");
  ck_assert(c->sets_tpp);
  ck_assert_msg(strstr(v.summary, "fp64 tensor") != NULL, "%s", v.summary);
  /* Every declared precision has its own line. */
  for (size_t i = 0; i < mi210->n_peaks; i++) {
    char what[48];
    snprintf(what, sizeof(what), "%s %s", tpp_precision_name(mi210->peaks[i].precision),
             tpp_path_name(mi210->peaks[i].path));
    ck_assert_msg(find(what) != NULL, "no line for %s", what);
  }
  /* Measured as well, the same run is consistent. */
  device_like(&d, mi210);
  rows_like(&d, mi210, 0.85, 0.01);
  verify(&d, mi210);
  ck_assert_msg(v.verdict == TPP_VERDICT_CONSISTENT, "%s", v.summary);
}
END_TEST

/* Rows that ended in an error are findings naming the kernel and the reason; when they are
 * the precisions that set the declared TPP, the verdict is inconclusive. */
START_TEST(test_error_rows_listed)
{
  static struct tpp_device_result d;
  const struct tpp_check *c;
  device_like(&d, h100);
  for (size_t i = 0; i < h100->n_peaks; i++) {
    const struct tpp_profile_peak *pk = &h100->peaks[i];
    if (pk->precision == TPP_FP8 || pk->precision == TPP_INT8)
      error_row(&d, pk->precision, pk->path, "mma.e4m3.m16n8k32",
                "result does not match the host-computed value: 3 of 4096 outputs differ");
    else
      tpp_test_synth_row(&d, pk->precision, pk->path, 0.85 * pk->tops, 0.01, pk->clock_mhz);
  }
  error_row(&d, TPP_INT16, TPP_PATH_VECTOR, "mad.short8", "CUDA_ERROR_LAUNCH_FAILED");
  verify(&d, h100);
  ck_assert_msg(v.verdict == TPP_VERDICT_INCONCLUSIVE, "%s", v.summary);
  ck_assert_uint_eq(v.n_errors, 3);
  c = find("fp8 tensor");
  ck_assert_ptr_nonnull(c);
  ck_assert_str_eq(c->finding, "measurement error");
  ck_assert_str_eq(c->kernel, "mma.e4m3.m16n8k32");
  ck_assert_msg(strstr(c->detail, "3 of 4096 outputs differ") != NULL, "%s", c->detail);
  c = find("int16 vector");
  ck_assert_ptr_nonnull(c);
  ck_assert_msg(strstr(c->detail, "CUDA_ERROR_LAUNCH_FAILED") != NULL, "%s", c->detail);
  ck_assert_msg(strstr(v.summary, "3 rows ended in an error") != NULL, "%s", v.summary);
  /* An error on a precision that does not set TPP is listed but decides nothing. */
  device_like(&d, h100);
  rows_like(&d, h100, 0.85, 0.01);
  error_row(&d, TPP_INT16, TPP_PATH_VECTOR, "mad.short8", "CUDA_ERROR_LAUNCH_FAILED");
  verify(&d, h100);
  ck_assert_msg(v.verdict == TPP_VERDICT_CONSISTENT, "%s", v.summary);
  ck_assert_str_eq(find("int16 vector")->finding, "measurement error");
}
END_TEST

/* Issue 15.2: 44 padding rows within an H20's figures pushed an H100's over-capable rows and
 * the class check past a fixed cap of 48 checks, and the verdict read "consistent". */
START_TEST(test_no_check_dropped)
{
  static struct tpp_device_result d;
  size_t n_errors = 0;
  device_like(&d, h20);
  for (int i = 0; i < 44; i++)
    tpp_test_synth_row(&d, TPP_FP32, TPP_PATH_VECTOR,
                       0.85 * tpp_profile_peak(h20, TPP_FP32, TPP_PATH_VECTOR, NULL), 0.01, NAN);
  rows_like(&d, h100, 0.85, 0.01);
  ck_assert(d.n_rows > 48);
  verify(&d, h20);
  ck_assert_msg(v.verdict == TPP_VERDICT_INCONSISTENT, "%s", v.summary);
  ck_assert_str_eq(find("fp8 tensor")->finding, "over-capable");
  ck_assert_ptr_nonnull(find("class"));
  /* A full result of error rows: one line each, none dropped. */
  device_like(&d, h100);
  for (size_t i = 0; i < TPP_MAX_ROWS; i++)
    error_row(&d, (int)(i % TPP_PRECISION_COUNT), (int)(i / TPP_PRECISION_COUNT % TPP_PATH_COUNT),
              "k", "failed");
  verify(&d, h100);
  for (size_t i = 0; i < v.n_checks; i++)
    n_errors += strcmp(v.checks[i].finding, "measurement error") == 0;
  ck_assert_uint_eq(n_errors, TPP_MAX_ROWS);
  ck_assert(find("class") != NULL);
}
END_TEST

/* A measured class that is undecided because TPP is a lower bound, and could be above the
 * declared class, is no "consistent": an H20 declared, an H20's rows measured by kernels
 * known to stay below the peak path. */
START_TEST(test_lower_bound_class_not_consistent)
{
  static struct tpp_device_result d;
  device_like(&d, h20);
  rows_like(&d, h20, 0.85, 0.01);
  for (size_t i = 0; i < d.n_rows; i++)
    d.rows[i].lower_bound = 1;
  verify(&d, h20);
  ck_assert(v.measured_cls.zone == TPP_ZONE_INDETERMINATE);
  ck_assert_str_eq(find("class")->finding, "class may be above declared");
  ck_assert_msg(v.verdict == TPP_VERDICT_INCONCLUSIVE, "%s", v.summary);
  /* An unchecked row that would make it black: borderline, not consistent. */
  device_like(&d, h20);
  rows_like(&d, h20, 0.85, 0.01);
  tpp_test_synth_row(&d, TPP_INT4, TPP_PATH_TENSOR, 1500, 0.01, 1800);
  d.rows[d.n_rows - 1].unchecked = 1;
  verify(&d, h20);
  ck_assert_str_eq(find("class")->finding, "class possibly above declared");
  ck_assert_msg(v.verdict == TPP_VERDICT_BORDERLINE || v.verdict == TPP_VERDICT_INCONSISTENT, "%s",
                v.summary);
}
END_TEST

/* The class comparison under the other readings: an H100 declared as an H20 is above it
 * under every reading, but the H20 itself is grey under the aggregate reading. */
START_TEST(test_class_readings)
{
  static struct tpp_device_result d;
  device_like(&d, h100);
  rows_like(&d, h100, 0.85, 0.01);
  verify(&d, h20);
  ck_assert(v.declared_cls.zone == TPP_ZONE_WHITE);
  ck_assert(v.declared_cls.interpretation_sensitive);
  ck_assert(v.n_readings > 0);
  ck_assert(v.readings[0].reading.tpp == TPP_READ_AGGREGATE);
  ck_assert(v.readings[0].declared_zone == TPP_ZONE_GREY);
  ck_assert(v.readings[0].above);
  ck_assert(!tpp_verification_sensitive(&v)); /* above declared whatever the reading */
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
  ck_assert_str_eq(
      json_string_value(json_object_get(json_object_get(j, "measured_classification"), "zone")),
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
  tcase_add_test(tc, test_tpp_precision_not_measured);
  tcase_add_test(tc, test_error_rows_listed);
  tcase_add_test(tc, test_no_check_dropped);
  tcase_add_test(tc, test_class_readings);
  tcase_add_test(tc, test_lower_bound_class_not_consistent);
  tcase_add_test(tc, test_json);
  suite_add_tcase(s, tc);
  return s;
}

int
main(void)
{
  return tpp_test_run(suite());
}
