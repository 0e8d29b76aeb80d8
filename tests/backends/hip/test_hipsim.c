/* test_hipsim.c - the HIP backend end to end without an AMD GPU: `tppbench list` and `run
 * --device hip` on this machine (no ROCm: "no AMD driver") and on the simulated HIP runtime
 * and amd-smi of tests/backends/hip/sim (identity, the code object of the device's
 * architecture, occupancy, timing, telemetry, host checks, TPP, classification, the result
 * file), with the faults of tests/backends/gpu/sim/gpusim.h injected, each with its
 * documented outcome.  The simulator is found by the ordinary library search
 * (LD_LIBRARY_PATH).
 *
 * Skipped (77) when the build has no HIP kernels (no clang-19): tppbench then reports HIP as
 * "built without HIP kernels". */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "tpp/metrics.h"
#include "tpp/result.h"

static char tmp[512], out[65536];

/* tppbench with the simulator in `lib` (and no ROCm of this machine's), `envs` ("K=V K=V")
 * and `args`; the result into r.  The exit status; stdout+stderr into out. */
static int
sim_run(const char *lib, const char *envs, const char *args, struct tpp_result *r)
{
  char cmd[2048], path[700];
  struct tpp_diag d;
  int rc;
  snprintf(path, sizeof(path), "%s/result.json", tmp);
  remove(path);
  snprintf(cmd, sizeof(cmd),
           "env -u ROCM_PATH LD_LIBRARY_PATH=%s TPPSIM_TIME_SCALE=0.005 %s '%s' run --device hip "
           "%s --budget 0.01 --out '%s' 2>&1",
           lib, envs, TPP_BINARY, args, path);
  rc = tpp_test_sh(cmd, out, sizeof(out));
  memset(r, 0, sizeof(*r));
  if (tpp_result_load(path, r, &d) != 0)
    ck_abort_msg("no result from \"%s\": %s\n%s", cmd, d.text, out);
  return rc;
}

#define RUN(envs, args) sim_run(TPP_HIPSIM_DIR, envs, args, &r)

static const struct tpp_row *
row(const struct tpp_result *r, const char *prec, const char *path, const char *kernel)
{
  const struct tpp_device_result *d = &r->devices[0];
  for (size_t i = 0; i < d->n_rows; i++)
    if (strcmp(tpp_precision_name(d->rows[i].precision), prec) == 0 &&
        strcmp(tpp_path_name(d->rows[i].path), path) == 0 &&
        (!kernel || strstr(d->rows[i].kernel, kernel) || strstr(d->rows[i].reason, kernel)))
      return &d->rows[i];
  ck_abort_msg("no %s %s row%s%s", prec, path, kernel ? " for " : "", kernel ? kernel : "");
  return NULL;
}

/* No ROCm here: the backend is listed as unavailable with the loader's reason, and list
 * still succeeds. */
START_TEST(without_rocm_list_says_no_amd_driver)
{
  char cmd[1024];
  int rc;
  if (tpp_test_sh("ls /opt/rocm/lib/libamdhip64.so* >/dev/null 2>&1", NULL, 0) == 0) {
    printf("ROCm is installed here: the no-driver check does not apply\n");
    return;
  }
  snprintf(cmd, sizeof(cmd), "env -u ROCM_PATH LD_LIBRARY_PATH=%s '%s' list 2>&1", tmp, TPP_BINARY);
  rc = tpp_test_sh(cmd, out, sizeof(out));
  ck_assert_msg(rc == 0, "exit %d\n%s", rc, out);
  ck_assert_msg(strstr(out, "backend hip      unavailable: no AMD driver (libamdhip64") != NULL,
                "%s", out);
  snprintf(cmd, sizeof(cmd), "env -u ROCM_PATH LD_LIBRARY_PATH=%s '%s' list --json 2>&1", tmp,
           TPP_BINARY);
  ck_assert_int_eq(tpp_test_sh(cmd, out, sizeof(out)), 0);
  ck_assert_ptr_nonnull(strstr(out, "\"name\": \"hip\",\n      \"available\": false"));
}
END_TEST

/* A whole run, as on an MI300X: every row of docs/hip.md measured and checked. */
START_TEST(full_run_measures_every_row)
{
  static const char *const ok[][3] = {
      {"fp64", "vector", "v_fma_f64"                  },
      {"fp32", "vector", "v_pk_fma_f32"               },
      {"fp16", "vector", "v_pk_fma_f16"               },
      {"fp64", "tensor", "v_mfma_f64_16x16x4_f64"     },
      {"fp32", "tensor", "v_mfma_f32_32x32x2_f32"     },
      {"tf32", "tensor", "v_mfma_f32_32x32x4_xf32"    },
      {"fp16", "tensor", "v_mfma_f32_32x32x8_f16"     },
      {"bf16", "tensor", "v_mfma_f32_32x32x8_bf16"    },
      {"int8", "tensor", "v_mfma_i32_32x32x16_i8"     },
      {"fp8",  "tensor", "v_mfma_f32_32x32x16_fp8_fp8"},
      {"fp8",  "tensor", "v_mfma_f32_32x32x16_bf8_bf8"},
  };
  struct tpp_result r;
  const struct tpp_device_result *d;
  const struct tpp_row *x;
  int rc = RUN("", "");
  printf("--- simulated run (tests/backends/hip/sim) ---\n%s\n", out);
  ck_assert_msg(rc == 0, "exit %d\n%s", rc, out);
  ck_assert_int_eq((int)r.n_devices, 1);
  d = &r.devices[0];
  ck_assert(d->info.simulated);
  ck_assert_str_eq(d->info.selector, "hip:0");
  ck_assert_str_eq(d->info.name, "AMD Instinct MI300X (simulated)");
  ck_assert_str_eq(tpp_facts_get(&d->info.facts, "gfx_arch"), "gfx942:sramecc+:xnack-");
  ck_assert_str_eq(d->info.device_version, "gfx942");
  ck_assert_str_eq(d->info.pci_bus_id, "0000:0c:00.0");
  ck_assert_int_eq(d->info.compute_units, 304);
  ck_assert_msg(strncmp(d->info.uuid, "GPU-", 4) == 0, "%s", d->info.uuid);
  ck_assert_ptr_nonnull(strstr(out, "SIMULATED DEVICE"));
  for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
    x = row(&r, ok[i][0], ok[i][1], ok[i][2]);
    ck_assert_msg(x->status == TPP_ROW_OK && x->verified && !x->unchecked, "%s %s %s: %s", ok[i][0],
                  ok[i][1], ok[i][2], x->reason);
    ck_assert_str_eq(x->clock_source, "amd-smi");
    ck_assert_double_eq_tol(x->telemetry.clock_mhz, 1900, 1e-9);
    ck_assert_msg(x->efficiency > 0.9 && x->efficiency <= 1, "%s: %g", ok[i][2], x->efficiency);
  }
  /* FP64 vector at 122 of 128 ops a clock a CU, the rate table's MI300X figure */
  ck_assert_double_eq_tol(row(&r, "fp64", "vector", NULL)->efficiency, 122.0 / 128, 0.01);
  ck_assert_int_eq(row(&r, "int4", "tensor", NULL)->status, TPP_ROW_UNSUPPORTED);
  ck_assert_msg(strstr(row(&r, "int4", "tensor", NULL)->reason, "gfx942 has no int4") ||
                    strstr(row(&r, "int4", "tensor", NULL)->reason, "no int4 kernel"),
                "%s", row(&r, "int4", "tensor", NULL)->reason);
  ck_assert_int_eq((int)d->n_bw, 3);
  for (size_t i = 0; i < d->n_bw; i++)
    ck_assert_msg(d->bw[i].status == TPP_ROW_OK && d->bw[i].gbs > 3500, "%s", d->bw[i].reason);
  {
    /* TPP (recomputed when a result is read): the best checked row, XF32 at 32 bits (304 CUs
     * x 980 x 1900 MHz x 32 = 18.1 P), just ahead of FP16 and FP8 */
    double best = 0;
    for (size_t i = 0; i < d->n_rows; i++)
      if (tpp_row_counts(&d->rows[i]))
        best = fmax(best, tpp_bit_tops(d->rows[i].precision, d->rows[i].tops));
    ck_assert_msg(best > 17000 && best < 19000, "%g", best);
  }
  ck_assert_ptr_nonnull(strstr(out, "zone        black (3A090.a.1)"));
  tpp_result_free(&r);
}
END_TEST

START_TEST(a_sticky_error_resets_and_the_next_rows_run)
{
  struct tpp_result r;
  const struct tpp_row *x;
  RUN("TPPSIM_STICKY=tpp_hip_pk_fma_f32:5", "--precisions fp32,fp16 --no-bandwidth");
  x = row(&r, "fp32", "vector", NULL);
  ck_assert_int_eq(x->status, TPP_ROW_ERROR);
  ck_assert_msg(strstr(x->reason, "hipEventSynchronize: hipErrorIllegalAddress (an illegal memory "
                                  "access was encountered)") != NULL,
                "%s", x->reason);
  ck_assert(x->device_reset);
  ck_assert_int_eq(row(&r, "fp32", "tensor", NULL)->status, TPP_ROW_OK);
  ck_assert_int_eq(row(&r, "fp16", "vector", NULL)->status, TPP_ROW_OK);
  tpp_result_free(&r);
}
END_TEST

START_TEST(a_failed_launch_keeps_its_cause)
{
  struct tpp_result r;
  const struct tpp_row *x;
  RUN("TPPSIM_FAIL_LAUNCH=tpp_hip_mfma_f16", "--precisions fp16 --no-bandwidth");
  x = row(&r, "fp16", "tensor", NULL);
  ck_assert_int_eq(x->status, TPP_ROW_ERROR);
  ck_assert_msg(strstr(x->reason, "hipModuleLaunchKernel: hipErrorLaunchOutOfResources (too many "
                                  "resources requested for launch)") != NULL,
                "%s", x->reason);
  ck_assert(!x->device_reset);
  ck_assert_int_eq(row(&r, "fp16", "vector", NULL)->status, TPP_ROW_OK);
  tpp_result_free(&r);
}
END_TEST

START_TEST(wrong_and_skipped_work_is_caught)
{
  struct tpp_result r;
  const struct tpp_row *x;
  RUN("TPPSIM_WRONG=tpp_hip_mfma_bf16", "--precisions bf16 --no-bandwidth");
  x = row(&r, "bf16", "tensor", NULL);
  ck_assert_int_eq(x->status, TPP_ROW_ERROR);
  ck_assert_msg(strstr(x->reason, "block 1 wave 0 lane 0 element 5") != NULL, "%s", x->reason);
  tpp_result_free(&r);
  RUN("TPPSIM_SKIP=tpp_hip_fma_f64", "--precisions fp64 --no-bandwidth");
  x = row(&r, "fp64", "vector", NULL);
  ck_assert_int_eq(x->status, TPP_ROW_ERROR);
  ck_assert_msg(strstr(x->reason, "trailer says block 0, 65535 iterations") != NULL, "%s",
                x->reason);
  ck_assert_int_eq(row(&r, "fp64", "tensor", NULL)->status, TPP_ROW_OK);
  tpp_result_free(&r);
}
END_TEST

START_TEST(throttled_clocks_are_recorded_and_judged)
{
  struct tpp_result r;
  const struct tpp_row *x;
  RUN("TPPSIM_THROTTLE=tpp_hip_mfma_f64", "--precisions fp64 --no-bandwidth");
  x = row(&r, "fp64", "tensor", NULL);
  ck_assert_int_eq(x->status, TPP_ROW_OK);
  ck_assert_double_eq_tol(x->telemetry.clock_mhz_min, 1500, 1e-9);
  ck_assert_double_eq_tol(x->telemetry.clock_mhz_max, 1900, 1e-9);
  ck_assert_str_eq(x->telemetry.clock_events, "power");
  ck_assert_msg(x->efficiency > 0.85 && x->efficiency <= 1.0, "%g", x->efficiency);
  tpp_result_free(&r);
}
END_TEST

START_TEST(faster_than_the_hardware_is_an_error)
{
  struct tpp_result r;
  const struct tpp_row *x;
  RUN("TPPSIM_SPEEDUP=tpp_hip_mfma_i8_k16:1.5", "--precisions int8 --no-bandwidth");
  x = row(&r, "int8", "tensor", NULL);
  ck_assert_int_eq(x->status, TPP_ROW_ERROR);
  ck_assert_msg(strstr(x->reason, "per-clock peak at the highest clock seen, 1900 MHz") != NULL,
                "%s", x->reason);
  tpp_result_free(&r);
}
END_TEST

/* A gfx architecture without code objects in this build: every row says which. */
START_TEST(an_architecture_without_code_objects_is_named)
{
  struct tpp_result r;
  int rc = RUN("TPPSIM_HIP_ARCH=gfx1030", "--precisions fp32,fp16");
  ck_assert_int_eq(rc, 1); /* nothing measured */
  ck_assert_str_eq(r.devices[0].info.device_version, "gfx1030");
  ck_assert_int_eq(row(&r, "fp32", "vector", NULL)->status, TPP_ROW_UNSUPPORTED);
  ck_assert_msg(strstr(row(&r, "fp16", "tensor", NULL)->reason, "no code object for gfx1030"), "%s",
                row(&r, "fp16", "tensor", NULL)->reason);
  ck_assert_int_eq(r.devices[0].bw[0].status, TPP_ROW_UNSUPPORTED);
  ck_assert_ptr_nonnull(strstr(r.devices[0].bw[0].reason, "gfx1030"));
  tpp_result_free(&r);
}
END_TEST

/* Without amd-smi: the stated maximum clock, so efficiency reads low, never high; with it,
 * the mean power over the timed launches from its energy counter. */
START_TEST(telemetry_with_and_without_amd_smi)
{
  struct tpp_result r;
  const struct tpp_row *x;
  sim_run(TPP_HIPSIM_NOSMI_DIR, "", "--precisions fp32 --no-bandwidth", &r);
  x = row(&r, "fp32", "vector", NULL);
  ck_assert_int_eq(x->status, TPP_ROW_OK);
  ck_assert_str_eq(x->clock_source, "device-max");
  ck_assert_double_eq_tol(x->telemetry.clock_mhz, 2100, 1e-9);
  ck_assert(x->efficiency < 0.9);
  tpp_result_free(&r);
  RUN("TPPSIM_TIME_SCALE=0.1", "--precisions fp64 --no-bandwidth");
  x = row(&r, "fp64", "tensor", NULL);
  ck_assert_msg(x->telemetry.power_w > 700 && x->telemetry.power_w < 740, "%g",
                x->telemetry.power_w);
  ck_assert_double_eq_tol(x->telemetry.temperature_c_max, 77, 1e-9);
  tpp_result_free(&r);
}
END_TEST

int
main(void)
{
  Suite *s;
  TCase *tc;
  tpp_test_tmpdir(tmp, sizeof(tmp));
  s = suite_create("hipsim");
  tc = tcase_create("core");
  tcase_set_timeout(tc, 300);
  tcase_add_test(tc, without_rocm_list_says_no_amd_driver);
  if (TPP_TEST_HAVE_HIP_KERNELS) {
    tcase_add_test(tc, full_run_measures_every_row);
    tcase_add_test(tc, a_sticky_error_resets_and_the_next_rows_run);
    tcase_add_test(tc, a_failed_launch_keeps_its_cause);
    tcase_add_test(tc, wrong_and_skipped_work_is_caught);
    tcase_add_test(tc, throttled_clocks_are_recorded_and_judged);
    tcase_add_test(tc, faster_than_the_hardware_is_an_error);
    tcase_add_test(tc, an_architecture_without_code_objects_is_named);
    tcase_add_test(tc, telemetry_with_and_without_amd_smi);
  } else {
    printf("built without HIP kernels: only the no-driver check runs\n");
  }
  suite_add_tcase(s, tc);
  return tpp_test_run(s);
}
