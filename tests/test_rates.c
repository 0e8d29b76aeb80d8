/* test_rates.c - the per-clock rate tables (profiles/rates/<backend>.json) through the one
 * strict loader every backend's rows are judged with: each shipped table loads with its
 * backend's architectures and reproduces datasheet peaks; a malformed table is an error
 * naming the file, line and field, never NaN rates that would quietly turn the > 100% gate
 * off. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "tpp/backend.h"
#include "tpp/metrics.h"
#include "tpp/rates.h"

static void
load(const char *backend, struct tpp_rates *r)
{
  const struct tpp_backend *be = tpp_backend_find(backend);
  char path[512];
  struct tpp_diag d;
  memset(&d, 0, sizeof(d));
  snprintf(path, sizeof(path), "%s/rates/%s.json", TPP_PROFILES_DIR, backend);
  ck_assert_msg(tpp_rates_load(path, backend, be ? be->rate_archs : NULL, r, &d) == 0,
                "%s: %s:%d: %s: %s", backend, d.file, d.line, d.field, d.text);
  ck_assert_str_eq(r->backend, backend);
}

/* Every architecture the CUDA kernels are built for has its CUDA-core rates; H100 matches
 * its datasheet. */
START_TEST(cuda_table_is_complete)
{
  struct tpp_rates r;
  const char *const *archs = tpp_backend_find("cuda")->rate_archs;
  load("cuda", &r);
  ck_assert_str_eq(r.unit, "SM");
  for (int i = 0; archs[i]; i++) {
    ck_assert_msg(tpp_rates_lookup(&r, archs[i], TPP_FP32, TPP_PATH_VECTOR, "ffma") > 0, "%s fp32",
                  archs[i]);
    ck_assert_msg(tpp_rates_lookup(&r, archs[i], TPP_INT32, TPP_PATH_VECTOR, "imad") > 0,
                  "%s int32", archs[i]);
    ck_assert_msg(tpp_rates_lookup(&r, archs[i], TPP_INT8, TPP_PATH_VECTOR, "idp4a") > 0, "%s dp4a",
                  archs[i]);
    ck_assert_msg(tpp_rates_lookup(&r, archs[i], TPP_FP16, TPP_PATH_TENSOR, "hmma") > 0,
                  "%s fp16 tensor", archs[i]);
  }
  /* H100 SXM datasheet: 989.4 TFLOPS = 132 SMs x rate x 1830 MHz; 66.9 FP64 tensor at 1980 */
  ck_assert_double_eq_tol(
      tpp_peak_tops(132, tpp_rates_lookup(&r, "sm_90", TPP_FP16, TPP_PATH_TENSOR, "wgmma"), 1830),
      989.4, 0.1);
  ck_assert_double_eq_tol(
      tpp_peak_tops(132, tpp_rates_lookup(&r, "sm_90", TPP_FP64, TPP_PATH_TENSOR, "dmma"), 1980),
      66.9, 0.1);
  /* no FP64 tensor rate where there are no FP64 tensor cores */
  ck_assert(isnan(tpp_rates_lookup(&r, "sm_86", TPP_FP64, TPP_PATH_TENSOR, "dmma")));
  tpp_rates_free(&r);
}
END_TEST

/* The CPU table: FP64 and FP32 for every LLVM target CPU it names, keyed as PoCL names
 * them; a target it does not name has no rate. */
START_TEST(opencl_table_keys_cpus_by_llvm_target)
{
  struct tpp_rates r;
  load("opencl", &r);
  ck_assert_str_eq(r.unit, "core");
  for (size_t i = 0; i < r.n; i++) {
    ck_assert(tpp_rates_lookup(&r, r.e[i].arch, TPP_FP64, TPP_PATH_VECTOR, "fma.double8x16") > 0);
    ck_assert(tpp_rates_lookup(&r, r.e[i].arch, TPP_FP32, TPP_PATH_VECTOR, "fma.float16x16") > 0);
  }
  ck_assert_double_eq(tpp_rates_lookup(&r, "skylake-avx512", TPP_FP32, TPP_PATH_VECTOR, NULL), 64);
  ck_assert_double_eq(tpp_rates_lookup(&r, "skylake", TPP_FP32, TPP_PATH_VECTOR, NULL), 32);
  ck_assert_double_eq(tpp_rates_lookup(&r, "haswell", TPP_FP64, TPP_PATH_VECTOR, NULL), 16);
  ck_assert(isnan(tpp_rates_lookup(&r, "skylake-avx", TPP_FP32, TPP_PATH_VECTOR, NULL)));
  ck_assert(isnan(tpp_rates_lookup(&r, "haswell", TPP_INT32, TPP_PATH_VECTOR, NULL)));
  tpp_rates_free(&r);
}
END_TEST

START_TEST(hip_table_loads)
{
  struct tpp_rates r;
  load("hip", &r);
  ck_assert_str_eq(r.unit, "CU");
  /* MI300X: 304 CUs x 2048 x 2100 MHz = 1307.4 TFLOPS FP16 */
  ck_assert_double_eq_tol(tpp_peak_tops(304,
                                        tpp_rates_lookup(&r, "gfx942", TPP_FP16, TPP_PATH_TENSOR,
                                                         "v_mfma_f32_32x32x8_f16"),
                                        2100),
                          1307.4, 0.05);
  tpp_rates_free(&r);
}
END_TEST

/* An entry naming a variant wins over one without; one naming another variant does not
 * apply. */
START_TEST(variant_entries_win)
{
  struct tpp_rates r;
  struct tpp_diag d;
  ck_assert_int_eq(tpp_rates_load(TPP_TEST_DATA "/rates/variants.json", "cuda", NULL, &r, &d), 0);
  ck_assert_double_eq(
      tpp_rates_lookup(&r, "sm_90", TPP_FP16, TPP_PATH_TENSOR, "wgmma.m64n256k16.f32acc"), 4096);
  ck_assert_double_eq(
      tpp_rates_lookup(&r, "sm_90", TPP_FP16, TPP_PATH_TENSOR, "hmma.m16n8k16.f16.f32acc"), 1000);
  ck_assert_double_eq(tpp_rates_lookup(&r, "sm_90", TPP_INT8, TPP_PATH_VECTOR, "idp4a"), 512);
  ck_assert(isnan(tpp_rates_lookup(&r, "sm_90", TPP_INT8, TPP_PATH_VECTOR, "imad")));
  ck_assert(isnan(tpp_rates_lookup(&r, "sm_89", TPP_FP16, TPP_PATH_TENSOR, "wgmma")));
  ck_assert(isnan(tpp_rates_lookup(NULL, "sm_90", TPP_FP16, TPP_PATH_TENSOR, "wgmma")));
  tpp_rates_free(&r);
}
END_TEST

START_TEST(malformed_tables_are_refused)
{
  static const struct {
    const char *file, *field;
  } bad[] = {
      {"unknown-key.json",       "rates[0].rate"                  },
      {"zero-rate.json",         "rates[0].ops_per_clock_per_unit"},
      {"string-rate.json",       "rates[0].ops_per_clock_per_unit"},
      {"unknown-arch.json",      "rates[0].arch[1]"               },
      {"arch-not-string.json",   "rates[0].arch"                  },
      {"no-source.json",         "rates[0].source"                },
      {"short-source.json",      "rates[0].source"                },
      {"unknown-source-id.json", "rates[1].source"                },
      {"duplicate.json",         "rates[1]"                       },
      {"bad-precision.json",     "rates[0].precision"             },
      {"bad-path.json",          "rates[0].path"                  },
      {"wrong-backend.json",     "backend"                        },
  };
  const struct tpp_backend *cuda = tpp_backend_find("cuda");
  for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
    struct tpp_rates r;
    char path[512];
    struct tpp_diag d;
    const char *backend = strstr(bad[i].file, "source-id") ? "hip" : "cuda";
    memset(&d, 0, sizeof(d));
    snprintf(path, sizeof(path), "%s/rates/%s", TPP_TEST_DATA, bad[i].file);
    ck_assert_msg(tpp_rates_load(path, backend,
                                 strcmp(backend, "cuda") == 0 ? cuda->rate_archs : NULL, &r,
                                 &d) == TPP_EPARSE,
                  "%s loaded", bad[i].file);
    ck_assert_msg(strcmp(d.field, bad[i].field) == 0 && d.line > 0, "%s: field \"%s\" line %d: %s",
                  bad[i].file, d.field, d.line, d.text);
    ck_assert_ptr_null(r.e);
  }
}
END_TEST

int
main(void)
{
  Suite *s = suite_create("rates");
  TCase *tc = tcase_create("core");
  tcase_add_test(tc, cuda_table_is_complete);
  tcase_add_test(tc, opencl_table_keys_cpus_by_llvm_target);
  tcase_add_test(tc, hip_table_loads);
  tcase_add_test(tc, variant_entries_win);
  tcase_add_test(tc, malformed_tables_are_refused);
  suite_add_tcase(s, tc);
  return tpp_test_run(s);
}
