/* test_stats.c - median, spread and coefficient of variation. */
#include <math.h>

#include "testutil.h"
#include "tpp/error.h"
#include "tpp/stats.h"

START_TEST(odd_and_even_counts)
{
  struct tpp_stats s;
  double odd[] = {5, 1, 3};
  double even[] = {4, 1, 3, 2};
  ck_assert_int_eq(tpp_stats_compute(odd, 3, &s), 0);
  ck_assert_double_eq(s.median, 3);
  ck_assert_double_eq(s.min, 1);
  ck_assert_double_eq(s.max, 5);
  ck_assert_double_eq(s.mean, 3);
  ck_assert_double_eq_tol(s.stddev, 2.0, 1e-12);
  ck_assert_double_eq_tol(s.cv, 2.0 / 3.0, 1e-12);
  ck_assert_double_eq(odd[0], 5); /* input untouched */
  ck_assert_int_eq(tpp_stats_compute(even, 4, &s), 0);
  ck_assert_double_eq(s.median, 2.5);
}
END_TEST

START_TEST(single_sample_and_errors)
{
  struct tpp_stats s;
  double one[] = {7};
  double bad[] = {1, NAN};
  ck_assert_int_eq(tpp_stats_compute(one, 1, &s), 0);
  ck_assert_double_eq(s.median, 7);
  ck_assert_double_eq(s.stddev, 0);
  ck_assert_double_eq(s.cv, 0);
  ck_assert_int_eq(tpp_stats_compute(one, 0, &s), TPP_EINVAL);
  ck_assert_int_eq(tpp_stats_compute(bad, 2, &s), TPP_EINVAL);
}
END_TEST

int
main(void)
{
  Suite *s = suite_create("stats");
  TCase *tc = tcase_create("core");
  tcase_add_test(tc, odd_and_even_counts);
  tcase_add_test(tc, single_sample_and_errors);
  suite_add_tcase(s, tc);
  return tpp_test_run(s);
}
