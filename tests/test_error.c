/* test_error.c - the error table: codes, names, messages, exit statuses, diagnostics. */
#include <string.h>

#include "testutil.h"
#include "tpp/error.h"

START_TEST(codes_are_negative_and_distinct)
{
  int codes[] = {TPP_EINVAL, TPP_EPARSE,   TPP_ENOENT,  TPP_ENOMEM, TPP_EIO,   TPP_ENODEV,
                 TPP_EUNSUP, TPP_EBACKEND, TPP_EVERIFY, TPP_EPEAK,  TPP_ETIME, TPP_ESIGN};
  size_t n = sizeof(codes) / sizeof(codes[0]);
  ck_assert_int_eq((int)n, TPP__ERR_COUNT);
  for (size_t i = 0; i < n; i++) {
    ck_assert_int_lt(codes[i], 0);
    for (size_t j = i + 1; j < n; j++)
      ck_assert_int_ne(codes[i], codes[j]);
    ck_assert_str_ne(tpp_strerror(codes[i]), "unknown error");
  }
}
END_TEST

START_TEST(names_messages_and_exit_statuses)
{
  ck_assert_str_eq(tpp_err_name(TPP_EPARSE), "EPARSE");
  ck_assert_str_eq(tpp_strerror(TPP_OK), "success");
  ck_assert_str_eq(tpp_strerror(-1000), "unknown error");
  ck_assert_str_eq(tpp_strerror(5), "unknown error");
  ck_assert_int_eq(tpp_exit_status(TPP_OK), 0);
  ck_assert_int_eq(tpp_exit_status(TPP_EINVAL), 2);
  ck_assert_int_eq(tpp_exit_status(TPP_EPARSE), 2);
  ck_assert_int_eq(tpp_exit_status(TPP_ENOENT), 2);
  ck_assert_int_eq(tpp_exit_status(TPP_ENODEV), 1);
  ck_assert_int_eq(tpp_exit_status(TPP_EVERIFY), 1);
  ck_assert_int_eq(tpp_exit_status(TPP_ESIGN), 2);
  ck_assert_int_eq(tpp_exit_status(-1000), 1);
}
END_TEST

START_TEST(diag_formats_file_line_field)
{
  struct tpp_diag d;
  char buf[256];
  ck_assert_int_eq(
      tpp_diag_set(&d, TPP_EPARSE, "x.json", 12, "clauses[1].zone", "unknown zone \"%s\"", "blue"),
      TPP_EPARSE);
  d.column = 5;
  tpp_diag_format(&d, buf, sizeof(buf));
  ck_assert_str_eq(buf, "x.json:12:5: clauses[1].zone: unknown zone \"blue\"");
  tpp_diag_set(&d, TPP_EINVAL, NULL, 0, "--budget", "expected a positive number");
  tpp_diag_format(&d, buf, sizeof(buf));
  ck_assert_str_eq(buf, "--budget: expected a positive number");
  tpp_diag_format(&d, buf, 8); /* truncates, stays terminated */
  ck_assert_int_eq((int)strlen(buf), 7);
}
END_TEST

int
main(void)
{
  Suite *s = suite_create("error");
  TCase *tc = tcase_create("core");
  tcase_add_test(tc, codes_are_negative_and_distinct);
  tcase_add_test(tc, names_messages_and_exit_statuses);
  tcase_add_test(tc, diag_formats_file_line_field);
  suite_add_tcase(s, tc);
  return tpp_test_run(s);
}
