/* test_cudasim.c - `tppbench run` end to end on the simulated CUDA driver
 * (tests/backends/cuda/sim): identity, module loading, occupancy, timing, NVML telemetry, host
 * checks, TPP, classification and the result file, without a GPU.  The simulator is found by the
 * ordinary library search (LD_LIBRARY_PATH); faults are injected through its environment variables
 * (tests/backends/cuda/sim/cudasim.c) and each has its documented outcome asserted here.
 *
 * Skipped (77) when the build has no CUDA kernels (no toolkit, or TPP_WITH_CUDA=OFF as in
 * the sanitizer build): tppbench then reports CUDA as "built without CUDA kernels". */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "tpp/metrics.h"
#include "tpp/result.h"

static char tmp[512];

/* Run tppbench with the simulator and `envs` ("K=V K=V"), `args`; load the result into r.
 * The exit status; stdout+stderr into out. */
static int
sim_run(const char *lib, const char *envs, const char *args, struct tpp_result *r, char *out,
        size_t outlen)
{
  char cmd[2048], path[700];
  struct tpp_diag d;
  int rc;
  snprintf(path, sizeof(path), "%s/result.json", tmp);
  remove(path);
  snprintf(cmd, sizeof(cmd),
           "LD_LIBRARY_PATH=%s TPPSIM_TIME_SCALE=0.005 %s '%s' run --device cuda %s --budget 0.01 "
           "--out '%s' 2>&1",
           lib, envs, TPP_BINARY, args, path);
  rc = tpp_test_sh(cmd, out, outlen);
  memset(r, 0, sizeof(*r));
  if (tpp_result_load(path, r, &d) != 0)
    ck_abort_msg("no result from \"%s\": %s\n%s", cmd, d.text, out);
  return rc;
}

#define RUN(envs, args) sim_run(TPP_CUDASIM_DIR, envs, args, &r, out, sizeof(out))

static const struct tpp_row *
row(const struct tpp_result *r, int dev, const char *prec, const char *path, const char *kernel)
{
  const struct tpp_device_result *d = &r->devices[dev];
  for (size_t i = 0; i < d->n_rows; i++)
    if (strcmp(tpp_precision_name(d->rows[i].precision), prec) == 0 &&
        strcmp(tpp_path_name(d->rows[i].path), path) == 0 &&
        (!kernel || strstr(d->rows[i].kernel, kernel) || strstr(d->rows[i].reason, kernel)))
      return &d->rows[i];
  ck_abort_msg("no %s %s row%s%s", prec, path, kernel ? " for " : "", kernel ? kernel : "");
  return NULL;
}

static char out[65536];

/* A whole run: every precision and the bandwidth, as on a real H100. */
START_TEST(full_run_reads_like_a_real_one)
{
  struct tpp_result r;
  const struct tpp_device_result *d;
  const struct tpp_row *ffma, *wg, *mma;
  int rc = RUN("", "");
  printf("--- simulated run (tests/backends/cuda/sim) ---\n%s\n", out);
  ck_assert_msg(rc == 0, "exit %d\n%s", rc, out);
  ck_assert_int_eq((int)r.n_devices, 1);
  d = &r.devices[0];
  ck_assert(d->info.simulated);
  ck_assert_ptr_nonnull(strstr(d->info.name, "(simulated)"));
  /* default application clocks: the run says its clocks were not locked */
  ck_assert_ptr_nonnull(strstr(out, "cuda:0: clocks not locked"));
  ck_assert_str_eq(tpp_facts_get(&d->info.facts, "compute_capability"), "9.0");
  ck_assert_ptr_nonnull(strstr(out, "SIMULATED DEVICE"));
  /* FFMA: checked against its per-clock peak at the clock sampled in flight (1755 MHz: no
   * idle 345 MHz reading got in) */
  ffma = row(&r, 0, "fp32", "vector", "ffma");
  ck_assert_int_eq(ffma->status, TPP_ROW_OK);
  ck_assert(ffma->verified && !ffma->unchecked && !ffma->lower_bound);
  ck_assert_str_eq(ffma->clock_source, "nvml");
  ck_assert_double_eq_tol(ffma->telemetry.clock_mhz, 1755, 1e-9);
  ck_assert_double_eq_tol(ffma->telemetry.clock_mhz_min, 1755, 1e-9);
  ck_assert_double_eq_tol(ffma->efficiency, 250.0 / 256, 0.01);
  /* Hopper: wgmma is the peak path; mma.sync rows are lower bounds */
  wg = row(&r, 0, "fp16", "tensor", "wgmma");
  mma = row(&r, 0, "fp16", "tensor", "hmma.m16n8k16.f16.f32acc");
  ck_assert_int_eq(wg->status, TPP_ROW_OK);
  ck_assert(!wg->lower_bound && mma->lower_bound);
  /* both DMMA shapes run; TPP takes the best */
  ck_assert_int_eq(row(&r, 0, "fp64", "tensor", "m8n8k4")->status, TPP_ROW_OK);
  ck_assert_int_eq(row(&r, 0, "fp64", "tensor", "m16n8k16")->status, TPP_ROW_OK);
  ck_assert_int_eq(row(&r, 0, "int4", "tensor", NULL)->status, TPP_ROW_UNSUPPORTED);
  ck_assert_int_eq((int)d->n_bw, 3);
  for (size_t i = 0; i < d->n_bw; i++)
    ck_assert_msg(d->bw[i].status == TPP_ROW_OK && d->bw[i].gbs > 2500, "%s", d->bw[i].reason);
  {
    /* TPP (recomputed when a result is read): the best checked row, a wgmma one */
    double best = 0;
    for (size_t i = 0; i < d->n_rows; i++)
      if (tpp_row_counts(&d->rows[i]) && tpp_bit_tops(d->rows[i].precision, d->rows[i].tops) > best)
        best = tpp_bit_tops(d->rows[i].precision, d->rows[i].tops);
    ck_assert(best > 10000);
  }
  ck_assert_ptr_nonnull(strstr(out, "zone        black (3A090.a.1)"));
  tpp_result_free(&r);
}
END_TEST

START_TEST(a_failed_launch_keeps_its_cause)
{
  struct tpp_result r;
  const struct tpp_row *ffma;
  RUN("TPPSIM_FAIL_LAUNCH=tpp_cuda_ffma", "--precisions fp64,fp32 --no-bandwidth");
  ffma = row(&r, 0, "fp32", "vector", NULL);
  ck_assert_int_eq(ffma->status, TPP_ROW_ERROR);
  ck_assert_msg(strstr(ffma->reason, "cuLaunchKernel: CUDA_ERROR_LAUNCH_OUT_OF_RESOURCES (too many "
                                     "resources requested for launch)") != NULL,
                "%s", ffma->reason);
  ck_assert(!ffma->device_reset);
  ck_assert_int_eq(row(&r, 0, "fp64", "vector", NULL)->status, TPP_ROW_OK);
  tpp_result_free(&r);
}
END_TEST

START_TEST(a_sticky_error_resets_and_the_next_rows_run)
{
  struct tpp_result r;
  const struct tpp_row *ffma;
  RUN("TPPSIM_STICKY=tpp_cuda_ffma:5", "--precisions fp32,fp16 --no-bandwidth");
  ffma = row(&r, 0, "fp32", "vector", NULL);
  ck_assert_int_eq(ffma->status, TPP_ROW_ERROR);
  ck_assert_msg(strstr(ffma->reason, "cuEventSynchronize: CUDA_ERROR_ILLEGAL_ADDRESS (an illegal "
                                     "memory access was encountered)") != NULL,
                "%s", ffma->reason);
  ck_assert(ffma->device_reset);
  ck_assert_int_eq(row(&r, 0, "fp16", "vector", NULL)->status, TPP_ROW_OK);
  ck_assert_int_eq(row(&r, 0, "fp16", "tensor", "wgmma")->status, TPP_ROW_OK);
  ck_assert_int_eq(row(&r, 0, "fp32", "vector", NULL)->device_reset, 1);
  tpp_result_free(&r);
}
END_TEST

START_TEST(a_lost_device_ends_its_rows_not_the_run)
{
  struct tpp_result r;
  const struct tpp_row *ffma, *h;
  int rc = RUN("TPPSIM_DEVICE_LOST=tpp_cuda_ffma:3", "--precisions fp64,fp32,fp16");
  ck_assert_int_eq(rc, 1); /* the result is written (fp64 was measured before); errors exit 1 */
  ck_assert_int_eq(row(&r, 0, "fp64", "vector", NULL)->status, TPP_ROW_OK);
  ffma = row(&r, 0, "fp32", "vector", NULL);
  ck_assert_int_eq(ffma->status, TPP_ROW_ERROR);
  ck_assert_ptr_nonnull(strstr(ffma->reason, "CUDA_ERROR_UNKNOWN"));
  h = row(&r, 0, "fp16", "vector", NULL);
  ck_assert_int_eq(h->status, TPP_ROW_ERROR);
  ck_assert_msg(strstr(h->reason, "the device was lost") != NULL, "%s", h->reason);
  ck_assert_int_eq(r.devices[0].bw[0].status, TPP_ROW_ERROR);
  tpp_result_free(&r);
}
END_TEST

START_TEST(a_wrong_result_names_the_element)
{
  struct tpp_result r;
  const struct tpp_row *h;
  RUN("TPPSIM_WRONG=tpp_cuda_hmma_f16_f32acc", "--precisions fp16 --no-bandwidth");
  h = row(&r, 0, "fp16", "tensor", "hmma.m16n8k16.f16.f32acc");
  ck_assert_int_eq(h->status, TPP_ROW_ERROR);
  ck_assert_msg(strstr(h->reason, "warp 8 lane 1 element 1 (row 0, col 3): device") != NULL, "%s",
                h->reason);
  ck_assert_int_eq(row(&r, 0, "fp16", "tensor", "wgmma")->status, TPP_ROW_OK);
  tpp_result_free(&r);
}
END_TEST

START_TEST(skipped_work_is_caught)
{
  struct tpp_result r;
  const struct tpp_row *x;
  RUN("TPPSIM_SKIP=tpp_cuda_ffma", "--precisions fp32 --no-bandwidth");
  x = row(&r, 0, "fp32", "vector", NULL);
  ck_assert_int_eq(x->status, TPP_ROW_ERROR);
  ck_assert_ptr_nonnull(strstr(x->reason, "does not match"));
  tpp_result_free(&r);
  /* a whole period of a triangle wave (64 iterations) */
  RUN("TPPSIM_SKIP=tpp_cuda_wgmma_f16_f32acc:64", "--precisions fp16 --no-bandwidth");
  x = row(&r, 0, "fp16", "tensor", "wgmma");
  ck_assert_int_eq(x->status, TPP_ROW_ERROR);
  ck_assert_msg(strstr(x->reason, "block 0 thread 0 register 0") != NULL, "%s", x->reason);
  tpp_result_free(&r);
}
END_TEST

START_TEST(without_nvml_the_stated_maximum_clock)
{
  struct tpp_result r;
  const struct tpp_row *x;
  sim_run(TPP_CUDASIM_NONVML_DIR, "", "--precisions fp32 --no-bandwidth", &r, out, sizeof(out));
  x = row(&r, 0, "fp32", "vector", NULL);
  ck_assert_int_eq(x->status, TPP_ROW_OK);
  ck_assert_str_eq(x->clock_source, "device-max");
  ck_assert_double_eq_tol(x->telemetry.clock_mhz, 1980, 1e-9);
  ck_assert(isnan(r.devices[0].info.power_limit_w));
  /* no NVML: the board is there, every key unknown, and the error says why */
  ck_assert(r.devices[0].info.has_board);
  ck_assert_str_eq(r.devices[0].info.board.source, "");
  ck_assert_msg(strstr(r.devices[0].info.board.error, "NVML not available: ") != NULL, "%s",
                r.devices[0].info.board.error);
  ck_assert_int_eq(r.devices[0].info.board.ecc_mode, -1);
  ck_assert(x->efficiency < 0.9); /* judged at the maximum: low, never high */
  tpp_result_free(&r);
}
END_TEST

/* The board's facts through NVML, as the result carries them. */
START_TEST(board_facts_from_nvml)
{
  struct tpp_result r, back;
  const struct tpp_board *b;
  struct tpp_diag d;
  char path[700];
  json_t *doc, *board;
  RUN("TPPSIM_APP_CLOCK_SM=1410 TPPSIM_NVML_PROCESSES=2", "--precisions fp32 --no-bandwidth");
  ck_assert(r.devices[0].info.has_board);
  ck_assert_int_eq(r.devices[0].info.board.compute_processes, 2);
  ck_assert_ptr_nonnull(strstr(out, "cuda:0: 2 other processes are computing on the device"));
  /* clocks changed by an administrator: said before the run, kept in the result */
  ck_assert_msg(
      strstr(json_string_value(json_array_get(r.warnings, json_array_size(r.warnings) - 1)),
             "application clocks set to SM 1410 MHz") != NULL,
      "%s", out);
  b = &r.devices[0].info.board;
  ck_assert_str_eq(b->source, "nvml");
  ck_assert_str_eq(b->error, "");
  ck_assert_str_eq(b->serial, "1654220000000");
  ck_assert_str_eq(b->vbios_version, "96.00.99.00.01");
  ck_assert_int_eq(b->ecc_mode, 1);
  ck_assert_int_eq(b->ecc_mode_pending, 1);
  ck_assert_int_eq(b->mig_mode, 0);
  ck_assert_int_eq(b->mig_mode_pending, 0);
  ck_assert_int_eq(b->persistence_mode, 1);
  ck_assert_int_eq(b->pcie_link_gen, 5);
  ck_assert_int_eq(b->pcie_link_gen_max, 5);
  ck_assert_int_eq(b->pcie_link_width, 16);
  ck_assert_int_eq(b->pcie_link_width_max, 16);
  ck_assert_int_eq(b->app_clock_sm_mhz, 1410);
  ck_assert_int_eq(b->app_clock_sm_default_mhz, 1980);
  ck_assert_int_eq(b->app_clock_mem_mhz, 2619);
  ck_assert_int_eq(b->app_clock_mem_default_mhz, 2619);
  for (int k = 0; k < TPP_BOARD_KEY_COUNT; k++)
    ck_assert_msg(tpp_board_known(b, (enum tpp_board_key)k) && !b->why[k][0], "%s: %s",
                  tpp_board_key_name((enum tpp_board_key)k), b->why[k]);
  /* typed in the file: booleans and integers, not strings */
  snprintf(path, sizeof(path), "%s/result.json", tmp);
  doc = json_load_file(path, 0, NULL);
  board = json_object_get(
      json_object_get(json_array_get(json_object_get(doc, "devices"), 0), "identity"), "board");
  ck_assert(json_is_true(json_object_get(board, "ecc_mode")));
  ck_assert(json_is_false(json_object_get(board, "mig_mode")));
  ck_assert_int_eq(json_integer_value(json_object_get(board, "pcie_link_width")), 16);
  ck_assert_int_eq((int)json_object_size(json_object_get(board, "unavailable")), 0);
  json_decref(doc);
  /* and read back the same */
  ck_assert_int_eq(tpp_result_load(path, &back, &d), 0);
  ck_assert_mem_eq(&back.devices[0].info.board, b, sizeof(*b));
  tpp_result_free(&back);
  tpp_result_free(&r);
}
END_TEST

/* A function the board does not support: that key is null with NVML's reason, the others
 * are read; the run goes on. */
START_TEST(board_fact_not_supported_is_null_with_the_reason)
{
  struct tpp_result r;
  const struct tpp_board *b;
  char path[700];
  json_t *doc, *board;
  int rc = RUN("TPPSIM_NVML_NOT_SUPPORTED=nvmlDeviceGetSerial,nvmlDeviceGetMigMode",
               "--precisions fp32 --no-bandwidth");
  ck_assert_msg(rc == 0, "exit %d\n%s", rc, out);
  b = &r.devices[0].info.board;
  ck_assert_str_eq(b->source, "nvml");
  ck_assert_str_eq(b->serial, "");
  ck_assert_str_eq(b->why[TPP_BOARD_SERIAL], "nvmlDeviceGetSerial: Not Supported");
  ck_assert_int_eq(b->mig_mode, -1);
  ck_assert_int_eq(b->mig_mode_pending, -1);
  ck_assert_str_eq(b->why[TPP_BOARD_MIG_MODE], "nvmlDeviceGetMigMode: Not Supported");
  ck_assert_str_eq(b->vbios_version, "96.00.99.00.01");
  ck_assert_int_eq(b->ecc_mode, 1);
  snprintf(path, sizeof(path), "%s/result.json", tmp);
  doc = json_load_file(path, 0, NULL);
  board = json_object_get(
      json_object_get(json_array_get(json_object_get(doc, "devices"), 0), "identity"), "board");
  ck_assert(json_is_null(json_object_get(board, "serial")));
  ck_assert(json_is_null(json_object_get(board, "mig_mode")));
  ck_assert_str_eq(
      json_string_value(json_object_get(json_object_get(board, "unavailable"), "serial")),
      "nvmlDeviceGetSerial: Not Supported");
  ck_assert_int_eq((int)json_object_size(json_object_get(board, "unavailable")), 3);
  json_decref(doc);
  tpp_result_free(&r);
}
END_TEST

START_TEST(throttled_clocks_are_recorded_and_judged)
{
  struct tpp_result r;
  const struct tpp_row *x;
  RUN("TPPSIM_THROTTLE=tpp_cuda_ffma", "--precisions fp32 --no-bandwidth");
  x = row(&r, 0, "fp32", "vector", NULL);
  ck_assert_int_eq(x->status, TPP_ROW_OK);
  ck_assert_double_eq_tol(x->telemetry.clock_mhz_min, 1275, 1e-9);
  ck_assert_double_eq_tol(x->telemetry.clock_mhz_max, 1755, 1e-9);
  ck_assert(x->telemetry.clock_mhz < 1755 && x->telemetry.clock_mhz > 1275);
  ck_assert_str_eq(x->telemetry.clock_events, "sw_power_cap");
  /* Judged at the clock measured during the row, never above 100%; judged at the unthrottled
   * 1755 MHz instead it would read about 0.71 (the throttled launches run at 1275 MHz).  How
   * many samples land on each clock depends on the host's timing, so only the bounds. */
  ck_assert_msg(x->efficiency > 0.75 && x->efficiency <= 1.0, "%g", x->efficiency);
  tpp_result_free(&r);
}
END_TEST

START_TEST(faster_than_the_hardware_is_an_error)
{
  struct tpp_result r;
  const struct tpp_row *x;
  RUN("TPPSIM_SPEEDUP=tpp_cuda_ffma:1.5", "--precisions fp32 --no-bandwidth");
  x = row(&r, 0, "fp32", "vector", NULL);
  ck_assert_int_eq(x->status, TPP_ROW_ERROR);
  ck_assert_ptr_nonnull(strstr(x->reason, "per-clock peak at the highest clock seen, 1755 MHz"));
  tpp_result_free(&r);
}
END_TEST

START_TEST(two_gpus)
{
  struct tpp_result r;
  RUN("TPPSIM_DEVICES=2", "--precisions fp32 --no-bandwidth");
  ck_assert_int_eq((int)r.n_devices, 2);
  ck_assert_str_eq(r.devices[0].info.selector, "cuda:0");
  ck_assert_str_eq(r.devices[1].info.selector, "cuda:1");
  ck_assert_str_ne(r.devices[0].info.uuid, r.devices[1].info.uuid);
  ck_assert_str_ne(r.devices[0].info.pci_bus_id, r.devices[1].info.pci_bus_id);
  for (int i = 0; i < 2; i++)
    ck_assert_int_eq(row(&r, i, "fp32", "vector", NULL)->status, TPP_ROW_OK);
  tpp_result_free(&r);
}
END_TEST

/* The lines the simulated driver wrote for each module it was asked to load ("fatbin",
 * "cubin sm_90", with " refused" when it could not), run with `envs` (and the log's path). */
static int
run_logging_images(const char *envs, const char *args, struct tpp_result *r, char *log,
                   size_t loglen)
{
  char e[700], path[600];
  FILE *f;
  size_t n = 0;
  int rc;
  snprintf(path, sizeof(path), "%s/images.log", tmp);
  remove(path);
  snprintf(e, sizeof(e), "%s TPPSIM_IMAGE_LOG=%s", envs, path);
  rc = sim_run(TPP_CUDASIM_DIR, e, args, r, out, sizeof(out));
  log[0] = '\0';
  if ((f = fopen(path, "r")) != NULL) {
    n = fread(log, 1, loglen - 1, f);
    fclose(f);
  }
  log[n] = '\0';
  return rc;
}

/* A CUDA 13 driver (R580+) gets the nvcc fatbins, and the result says so. */
START_TEST(a_cuda13_driver_loads_the_fatbins)
{
  struct tpp_result r;
  char log[4096];
  run_logging_images("", "--precisions fp32,fp16 --no-bandwidth", &r, log, sizeof(log));
  ck_assert_int_eq(row(&r, 0, "fp32", "vector", NULL)->status, TPP_ROW_OK);
  ck_assert_int_eq(row(&r, 0, "fp16", "tensor", "wgmma")->status, TPP_ROW_OK);
  ck_assert_msg(strstr(log, "fatbin") && !strstr(log, "cubin") && !strstr(log, "refused"), "%s",
                log);
  ck_assert_str_eq(tpp_facts_get(&r.devices[0].info.facts, "kernel_image"),
                   "nvcc " TPP_TEST_CUDA13 " fatbin");
  tpp_result_free(&r);
}
END_TEST

#if TPP_TEST_HAVE_CUDA12
/* A CUDA 12.8 driver (R570) gets the NVRTC 12 cubins: sm_90 for the H100, sm_90a for wgmma;
 * the rows run, and the device's kernel_image fact names the image. */
START_TEST(a_cuda12_driver_loads_the_cuda12_cubins)
{
  struct tpp_result r;
  char log[4096];
  run_logging_images("TPPSIM_DRIVER_VERSION=12080 TPPSIM_DRIVER_STRING=570.86.15",
                     "--precisions fp32,fp16 --no-bandwidth", &r, log, sizeof(log));
  ck_assert_int_eq(row(&r, 0, "fp32", "vector", NULL)->status, TPP_ROW_OK);
  ck_assert_int_eq(row(&r, 0, "fp16", "tensor", "wgmma")->status, TPP_ROW_OK);
  ck_assert_int_eq(row(&r, 0, "fp16", "tensor", "hmma")->status, TPP_ROW_OK);
  ck_assert_msg(strstr(log, "cubin sm_90") && !strstr(log, "fatbin") && !strstr(log, "refused"),
                "%s", log);
  ck_assert_str_eq(tpp_facts_get(&r.devices[0].info.facts, "kernel_image"),
                   "nvrtc " TPP_TEST_CUDA12 " sm_90 cubin; wgmma: nvrtc " TPP_TEST_CUDA12
                   " sm_90a cubin");
  tpp_result_free(&r);
}
END_TEST
#else
/* Without NVRTC 12 at build time, a CUDA 12 driver is refused, naming the driver and how to
 * get kernels it can load. */
START_TEST(a_cuda12_driver_is_refused_without_cuda12_images)
{
  struct tpp_result r;
  const struct tpp_row *x;
  RUN("TPPSIM_DRIVER_VERSION=12080 TPPSIM_DRIVER_STRING=570.86.15",
      "--precisions fp32 --no-bandwidth");
  x = row(&r, 0, "fp32", "vector", NULL);
  ck_assert_int_eq(x->status, TPP_ROW_ERROR);
  ck_assert_msg(strstr(x->reason, "the driver is 570.86.15 (CUDA 12.8)") != NULL, "%s", x->reason);
  ck_assert_msg(strstr(x->reason, "NVRTC 12") && strstr(x->reason, "install-deps.sh"), "%s",
                x->reason);
  tpp_result_free(&r);
}
END_TEST
#endif

/* A CUDA 11.8 driver (R520) can load none of the images: every row says why, naming the
 * driver and the oldest driver this build needs; nothing is handed to the driver. */
START_TEST(a_cuda11_driver_is_refused)
{
  struct tpp_result r;
  const struct tpp_row *x;
  char log[4096];
  run_logging_images("TPPSIM_DRIVER_VERSION=11080 TPPSIM_DRIVER_STRING=520.61.05",
                     "--precisions fp32 --no-bandwidth", &r, log, sizeof(log));
  x = row(&r, 0, "fp32", "vector", NULL);
  ck_assert_int_eq(x->status, TPP_ROW_ERROR);
  ck_assert_msg(strstr(x->reason, "the driver is 520.61.05 (CUDA 11.8), older than any kernels"),
                "%s", x->reason);
  ck_assert_msg(strstr(x->reason, TPP_TEST_HAVE_CUDA12 ? "CUDA 12.0 or later (R525+)"
                                                       : "CUDA 13.0 or later (R580+)"),
                "%s", x->reason);
  ck_assert_str_eq(log, "");
  ck_assert_msg(strncmp(tpp_facts_get(&r.devices[0].info.facts, "kernel_image"), "none: ", 6) == 0,
                "%s", tpp_facts_get(&r.devices[0].info.facts, "kernel_image"));
  tpp_result_free(&r);
}
END_TEST

/* A malformed rate table stops the device loudly (exit 2, file:line:field), not with NaN
 * rates that would pass every row unchecked. */
START_TEST(a_malformed_rate_table_is_refused)
{
  struct tpp_result r;
  char envs[700];
  int rc;
  snprintf(envs, sizeof(envs), "TPPBENCH_PROFILES=%s/rates-bad", TPP_TEST_DATA);
  rc = RUN(envs, "--precisions fp32 --no-bandwidth");
  ck_assert_int_eq(rc, 2);
  ck_assert_msg(strstr(out, "rates/cuda.json:2:") && strstr(out, "ops_per_clock_per_unit"), "%s",
                out);
  tpp_result_free(&r);
}
END_TEST

int
main(void)
{
  Suite *s;
  TCase *tc;
  if (!TPP_TEST_HAVE_CUDA_KERNELS) {
    printf("built without CUDA kernels: the simulated-driver suite has nothing to run\n");
    return 77;
  }
  tpp_test_tmpdir(tmp, sizeof(tmp));
  s = suite_create("cudasim");
  tc = tcase_create("core");
  tcase_set_timeout(tc, 300);
  tcase_add_test(tc, full_run_reads_like_a_real_one);
  tcase_add_test(tc, a_failed_launch_keeps_its_cause);
  tcase_add_test(tc, a_sticky_error_resets_and_the_next_rows_run);
  tcase_add_test(tc, a_lost_device_ends_its_rows_not_the_run);
  tcase_add_test(tc, a_wrong_result_names_the_element);
  tcase_add_test(tc, skipped_work_is_caught);
  tcase_add_test(tc, without_nvml_the_stated_maximum_clock);
  tcase_add_test(tc, board_facts_from_nvml);
  tcase_add_test(tc, board_fact_not_supported_is_null_with_the_reason);
  tcase_add_test(tc, throttled_clocks_are_recorded_and_judged);
  tcase_add_test(tc, faster_than_the_hardware_is_an_error);
  tcase_add_test(tc, two_gpus);
  tcase_add_test(tc, a_cuda13_driver_loads_the_fatbins);
#if TPP_TEST_HAVE_CUDA12
  tcase_add_test(tc, a_cuda12_driver_loads_the_cuda12_cubins);
#else
  tcase_add_test(tc, a_cuda12_driver_is_refused_without_cuda12_images);
#endif
  tcase_add_test(tc, a_cuda11_driver_is_refused);
  tcase_add_test(tc, a_malformed_rate_table_is_refused);
  suite_add_tcase(s, tc);
  return tpp_test_run(s);
}
