/* test_metrics.c - TPP, performance density, peaks and efficiency arithmetic. */
#include <math.h>

#include "testutil.h"
#include "tpp/metrics.h"

START_TEST(tpp_is_the_highest_bit_weighted_figure)
{
  /* H100 SXM datasheet (dense): FP8 1978.9 x 8 = 15831.2 beats FP16 989.4 x 16 = 15830.4. */
  struct tpp_peak h100[] = {{TPP_FP64, 66.9}, {TPP_TF32, 494.7}, {TPP_FP16, 989.4},
                            {TPP_FP8, 1978.9}, {TPP_INT8, 1978.9}};
  size_t best = 99;
  double tpp = tpp_total_processing_performance(h100, 5, &best);
  ck_assert_double_eq_tol(tpp, 15831.2, 1e-9);
  ck_assert_uint_eq(best, 3); /* the first of the tied FP8/INT8 */
  ck_assert_double_eq_tol(tpp_bit_tops(TPP_FP64, 66.9), 4281.6, 1e-9);
  ck_assert_double_eq_tol(tpp_bit_tops(TPP_INT4, 1248), 4992, 1e-9);
}
END_TEST

START_TEST(unknowns_are_nan)
{
  struct tpp_peak none[] = {{TPP_FP32, NAN}};
  ck_assert(isnan(tpp_total_processing_performance(none, 1, NULL)));
  ck_assert(isnan(tpp_total_processing_performance(NULL, 0, NULL)));
  ck_assert(isnan(tpp_performance_density(4800, NAN)));
  ck_assert(isnan(tpp_performance_density(4800, 0)));
  ck_assert(isnan(tpp_performance_density(4800, -1)));
  ck_assert(isnan(tpp_performance_density(NAN, 800)));
  ck_assert(isnan(tpp_efficiency(1.0, NAN)));
  ck_assert(isnan(tpp_efficiency(1.0, 0)));
  ck_assert(isnan(tpp_peak_tops(0, 64, 2000)));
  ck_assert(isnan(tpp_peak_tops(2, NAN, 2000)));
}
END_TEST

START_TEST(density_peak_efficiency)
{
  ck_assert_double_eq_tol(tpp_performance_density(15831.2, 814), 19.4486486, 1e-6);
  /* H100 SXM FP16 tensor: 132 SM x 4096 FLOP/clk x 1830 MHz = 989.4 TFLOPS */
  ck_assert_double_eq_tol(tpp_peak_tops(132, 4096, 1830), 989.42976, 1e-9);
  ck_assert_double_eq_tol(tpp_efficiency(0.3326, 0.3565), 0.3326 / 0.3565, 1e-12);
  ck_assert(tpp_efficiency(1.01, 1.0) > 1.0); /* the runner turns this into an error row */
}
END_TEST

int
main(void)
{
  Suite *s = suite_create("metrics");
  TCase *tc = tcase_create("core");
  tcase_add_test(tc, tpp_is_the_highest_bit_weighted_figure);
  tcase_add_test(tc, unknowns_are_nan);
  tcase_add_test(tc, density_peak_efficiency);
  suite_add_tcase(s, tc);
  return tpp_test_run(s);
}
