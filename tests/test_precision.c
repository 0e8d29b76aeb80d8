/* test_precision.c - precision names, bit lengths, list parsing. */
#include <string.h>

#include "testutil.h"
#include "tpp/precision.h"

START_TEST(bit_lengths_follow_3a090)
{
  ck_assert_int_eq(tpp_precision_bits(TPP_FP64), 64);
  ck_assert_int_eq(tpp_precision_bits(TPP_FP32), 32);
  ck_assert_int_eq(tpp_precision_bits(TPP_TF32), 32);
  ck_assert_int_eq(tpp_precision_bits(TPP_FP16), 16);
  ck_assert_int_eq(tpp_precision_bits(TPP_BF16), 16);
  ck_assert_int_eq(tpp_precision_bits(TPP_FP8), 8);
  ck_assert_int_eq(tpp_precision_bits(TPP_INT32), 32);
  ck_assert_int_eq(tpp_precision_bits(TPP_INT16), 16);
  ck_assert_int_eq(tpp_precision_bits(TPP_INT8), 8);
  ck_assert_int_eq(tpp_precision_bits(TPP_INT4), 4);
  ck_assert_int_eq(tpp_precision_bits(TPP_FP4), 4);
  ck_assert_ptr_null(tpp_precision_info(TPP_PRECISION_COUNT));
}
END_TEST

START_TEST(names_round_trip)
{
  for (int p = 0; p < TPP_PRECISION_COUNT; p++) {
    enum tpp_precision q;
    ck_assert_int_eq(tpp_precision_parse(tpp_precision_name((enum tpp_precision)p), &q), 0);
    ck_assert_int_eq(q, p);
  }
  enum tpp_precision q;
  ck_assert_int_eq(tpp_precision_parse("FP16", &q), 0);
  ck_assert_int_eq(q, TPP_FP16);
  ck_assert_int_eq(tpp_precision_parse("fp12", &q), TPP_EINVAL);
  enum tpp_path path;
  ck_assert_int_eq(tpp_path_parse("tensor", &path), 0);
  ck_assert_int_eq(path, TPP_PATH_TENSOR);
  ck_assert_int_eq(tpp_path_parse("matrix", &path), TPP_EINVAL);
}
END_TEST

START_TEST(mask_parsing)
{
  unsigned m = 0;
  struct tpp_diag d;
  ck_assert_int_eq(tpp_precision_mask_parse("fp32,int8", &m, &d), 0);
  ck_assert_uint_eq(m, (1u << TPP_FP32) | (1u << TPP_INT8));
  ck_assert_int_eq(tpp_precision_mask_parse("all", &m, &d), 0);
  ck_assert_uint_eq(m, (1u << TPP_PRECISION_COUNT) - 1);
  ck_assert_int_eq(tpp_precision_mask_parse("fp32,fp33", &m, &d), TPP_EINVAL);
  ck_assert_str_eq(d.field, "--precisions");
  ck_assert_ptr_nonnull(strstr(d.text, "fp33"));
  ck_assert_int_eq(tpp_precision_mask_parse("fp32,,int8", &m, &d), TPP_EINVAL);
  ck_assert_int_eq(tpp_precision_mask_parse("", &m, &d), TPP_EINVAL);
}
END_TEST

int
main(void)
{
  Suite *s = suite_create("precision");
  TCase *tc = tcase_create("core");
  tcase_add_test(tc, bit_lengths_follow_3a090);
  tcase_add_test(tc, names_round_trip);
  tcase_add_test(tc, mask_parsing);
  suite_add_tcase(s, tc);
  return tpp_test_run(s);
}
