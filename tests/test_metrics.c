/* test_metrics.c - TPP, performance density, peaks and efficiency arithmetic. */
#include <math.h>
#include <stdint.h>

#include "testutil.h"
#include "tpp/metrics.h"

START_TEST(tpp_is_the_highest_bit_weighted_figure)
{
  /* H100 SXM datasheet (dense): FP8 1978.9 x 8 = 15831.2 beats FP16 989.4 x 16 = 15830.4. */
  struct tpp_peak h100[] = {
      {.precision = TPP_FP64, .tops = 66.9  },
      {.precision = TPP_TF32, .tops = 494.7 },
      {.precision = TPP_FP16, .tops = 989.4 },
      {.precision = TPP_FP8,  .tops = 1978.9},
      {.precision = TPP_INT8, .tops = 1978.9}
  };
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
  struct tpp_peak none[] = {
      {.precision = TPP_FP32, .tops = NAN}
  };
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

/* The readings of TPP: the single highest figure, or the best vector-unit figure plus the
 * best matrix-unit figure; TF32 at 32 or 19 bits. */
START_TEST(tpp_readings)
{
  /* H20 datasheet (dense): FP32 44 (vector), TF32 74, FP16 148, INT8 296 (matrix). */
  struct tpp_peak h20[] = {
      {.precision = TPP_FP32, .tops = 44,  .has_path = 1, .path = TPP_PATH_VECTOR},
      {.precision = TPP_TF32, .tops = 74,  .has_path = 1, .path = TPP_PATH_TENSOR},
      {.precision = TPP_FP16, .tops = 148, .has_path = 1, .path = TPP_PATH_TENSOR},
      {.precision = TPP_INT8, .tops = 296, .has_path = 1, .path = TPP_PATH_TENSOR}
  };
  struct tpp_reading highest = {0}, aggregate = {.tpp = TPP_READ_AGGREGATE};
  struct tpp_reading tf19 = {.tpp = TPP_READ_HIGHEST, .tf32_bits = 19};
  struct tpp_peak tf32only[] = {
      {.precision = TPP_TF32, .tops = 160, .has_path = 1, .path = TPP_PATH_TENSOR},
      {.precision = TPP_FP32, .tops = 20,  .has_path = 1, .path = TPP_PATH_VECTOR}
  };
  size_t best[2];
  char buf[96];

  ck_assert_double_eq_tol(tpp_tpp_read(h20, 4, &highest, best), 2368, 1e-9);
  ck_assert_uint_eq(best[0], 1); /* TF32 74 x 32 ties FP16 and INT8: the first */
  ck_assert_uint_eq(best[1], SIZE_MAX);
  ck_assert_double_eq_tol(tpp_tpp_read(h20, 4, NULL, NULL), 2368, 1e-9);
  ck_assert_double_eq_tol(tpp_tpp_read(h20, 4, &aggregate, best), 2368 + 44 * 32, 1e-9);
  ck_assert_uint_eq(best[0], 1);
  ck_assert_uint_eq(best[1], 0);
  /* TF32 as 19 bits: a chip whose TPP TF32 sets falls to its next figure. */
  ck_assert_double_eq_tol(tpp_tpp_read(tf32only, 2, &highest, NULL), 5120, 1e-9);
  ck_assert_double_eq_tol(tpp_tpp_read(tf32only, 2, &tf19, best), 3040, 1e-9);
  ck_assert_uint_eq(best[0], 0);
  ck_assert_int_eq(tpp_reading_bits(&tf19, TPP_TF32), 19);
  ck_assert_int_eq(tpp_reading_bits(&tf19, TPP_FP16), 16);
  ck_assert_int_eq(tpp_reading_bits(&highest, TPP_TF32), 32);
  /* Aggregate needs every figure's unit. */
  h20[0].has_path = 0;
  ck_assert(isnan(tpp_tpp_read(h20, 4, &aggregate, NULL)));
  ck_assert_double_eq_tol(tpp_tpp_read(h20, 4, &highest, NULL), 2368, 1e-9);
  /* Only one kind of unit: the aggregate is the highest. */
  ck_assert_double_eq_tol(tpp_tpp_read(h20 + 1, 3, &aggregate, NULL), 2368, 1e-9);
  tpp_reading_format(buf, sizeof(buf), &tf19);
  ck_assert_str_eq(buf, "highest TPP, TF32 as 19 bits");
  ck_assert_int_eq(tpp_tpp_reading_parse("aggregate", &aggregate.tpp), 0);
  ck_assert_int_eq(tpp_tpp_reading_parse("sum", &aggregate.tpp), TPP_EINVAL);
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
  tcase_add_test(tc, tpp_readings);
  suite_add_tcase(s, tc);
  return tpp_test_run(s);
}
