/* test_measure.c - the measurement method on synthetic workloads: sizing, repetition,
 * and that a workload whose output is wrong, or whose timer is broken, never yields a
 * figure. */
#include <stdio.h>
#include <string.h>

#include "testutil.h"
#include "tpp/measure.h"

struct fake {
  double seconds_per_unit; /* simulated device time */
  int launches;
  int fail_verify_after; /* verify fails once this many launches happened (0: never) */
  int zero_time;
  size_t last_units;
};

static int
fake_run(void *impl, size_t units, int timed, double *seconds, char *why, size_t whylen)
{
  struct fake *f = impl;
  (void)timed;
  (void)why;
  (void)whylen;
  f->launches++;
  f->last_units = units;
  *seconds = f->zero_time ? 0.0 : f->seconds_per_unit * (double)units;
  return 0;
}

static int
fake_verify(void *impl, size_t units, char *why, size_t len)
{
  struct fake *f = impl;
  if (f->fail_verify_after && f->launches >= f->fail_verify_after) {
    snprintf(why, len, "work-item 3: device 0, host 42");
    return TPP_EVERIFY;
  }
  return 0;
}

static void
fake_release(void *impl)
{
  (void)impl;
}

static struct tpp_workload
workload(struct fake *f)
{
  struct tpp_workload w = {.impl = f,
                           .kernel = "fake",
                           .ops_per_unit = 1e9,
                           .min_units = 1,
                           .max_units = 1u << 20,
                           .run = fake_run,
                           .verify = fake_verify,
                           .release = fake_release};
  return w;
}

START_TEST(sizes_up_and_repeats)
{
  struct fake f = {.seconds_per_unit = 1e-4};
  struct tpp_workload w = workload(&f);
  struct tpp_measure_opts o;
  struct tpp_measurement m;
  tpp_measure_defaults(&o);
  o.budget_s = 0.5;
  o.target_launch_s = 0.05;
  ck_assert_int_eq(tpp_measure(&w, &o, &m), 0);
  ck_assert(m.units * 1e-4 >= 0.05); /* one launch long enough */
  ck_assert_int_ge((int)m.rate.n, o.min_samples);
  ck_assert_int_le((int)m.rate.n, o.max_samples);
  ck_assert_double_eq_tol(m.median_rate, 1e13, 1e3); /* 1e9 ops / 1e-4 s */
  ck_assert_double_eq_tol(m.rate.cv, 0, 1e-12);
  ck_assert_double_eq(m.ops_per_launch, 1e9 * (double)m.units);
}
END_TEST

START_TEST(max_units_caps_the_size)
{
  struct fake f = {.seconds_per_unit = 1e-9};
  struct tpp_workload w = workload(&f);
  struct tpp_measure_opts o;
  struct tpp_measurement m;
  tpp_measure_defaults(&o);
  o.budget_s = 1e-7; /* spent by the first sample: only the minimum count follows */
  w.max_units = 1000;
  ck_assert_int_eq(tpp_measure(&w, &o, &m), 0);
  ck_assert_uint_eq(m.units, 1000);
  ck_assert_int_eq((int)m.rate.n, o.min_samples); /* budget spent, min samples still taken */
}
END_TEST

START_TEST(wrong_output_is_an_error_not_a_figure)
{
  struct fake f = {.seconds_per_unit = 1e-4, .fail_verify_after = 1};
  struct tpp_workload w = workload(&f);
  struct tpp_measure_opts o;
  struct tpp_measurement m;
  tpp_measure_defaults(&o);
  ck_assert_int_eq(tpp_measure(&w, &o, &m), TPP_EVERIFY);
  ck_assert_ptr_nonnull(strstr(m.why, "host 42"));
}
END_TEST

START_TEST(last_timed_launch_is_checked_too)
{
  /* Right while sizing, wrong by the end of the timed launches: still rejected. */
  struct fake f = {.seconds_per_unit = 1e-3, .fail_verify_after = 20};
  struct tpp_workload w = workload(&f);
  struct tpp_measure_opts o;
  struct tpp_measurement m;
  tpp_measure_defaults(&o);
  o.min_samples = 30;
  o.budget_s = 0.01;
  ck_assert_int_eq(tpp_measure(&w, &o, &m), TPP_EVERIFY);
}
END_TEST

START_TEST(zero_time_is_rejected)
{
  struct fake f = {.zero_time = 1};
  struct tpp_workload w = workload(&f);
  struct tpp_measure_opts o;
  struct tpp_measurement m;
  tpp_measure_defaults(&o);
  ck_assert_int_eq(tpp_measure(&w, &o, &m), TPP_ETIME);
}
END_TEST

int
main(void)
{
  Suite *s = suite_create("measure");
  TCase *tc = tcase_create("core");
  tcase_add_test(tc, sizes_up_and_repeats);
  tcase_add_test(tc, max_units_caps_the_size);
  tcase_add_test(tc, wrong_output_is_an_error_not_a_figure);
  tcase_add_test(tc, last_timed_launch_is_checked_too);
  tcase_add_test(tc, zero_time_is_rejected);
  suite_add_tcase(s, tc);
  return tpp_test_run(s);
}
