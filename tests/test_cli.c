/* test_cli.c - the command line as users and scripts meet it: exit statuses, messages that
 * name the file, line and field, JSON keys, and no output file on bad input. */
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "testutil.h"
#include "tpp/profile.h"
#include "tpp/result.h"

/* Large enough for fleet's device list of the 1,800-file test (one line per device). */
static char out[1 << 20];

/* Run "tppbench ARGS [EXTRA]"; the output lands in `out`. */
static int
sh(const char *args, const char *extra)
{
  char cmd[2048];
  snprintf(cmd, sizeof(cmd), "%s %s %s", TPP_BINARY, args, extra ? extra : "");
  return tpp_test_sh(cmd, out, sizeof(out));
}

static json_t *
parse_out(void)
{
  json_error_t e;
  json_t *j = json_loads(out, 0, &e);
  ck_assert_msg(j != NULL, "not JSON (%s): %s", e.text, out);
  return j;
}

START_TEST(usage_and_version)
{
  ck_assert_int_eq(sh("--version", NULL), 0);
  ck_assert_ptr_nonnull(strstr(out, "tppbench "));
  ck_assert_int_eq(sh("", NULL), 2);
  ck_assert_int_eq(sh("frobnicate", NULL), 2);
  ck_assert_ptr_nonnull(strstr(out, "unknown command"));
  ck_assert_int_eq(sh("run --bogus-flag", NULL), 2);
  ck_assert_int_eq(sh("classify --help", NULL), 0);
  ck_assert_ptr_nonnull(strstr(out, "--peak PREC[:UNIT]=TERAOPS"));
}
END_TEST

START_TEST(classify_peaks_json_keys)
{
  json_t *j, *cls;
  ck_assert_int_eq(sh("classify --peak fp16=989.4 --peak fp8=1978.9 --die-area 814 --json", NULL),
                   0);
  j = parse_out();
  ck_assert_double_eq_tol(json_real_value(json_object_get(j, "tpp")), 15831.2, 1e-6);
  ck_assert_double_eq_tol(json_real_value(json_object_get(j, "performance_density")), 19.44865,
                          1e-4);
  ck_assert_str_eq(json_string_value(json_object_get(j, "zone")), "black");
  ck_assert_str_eq(json_string_value(json_object_get(j, "clause")), "3A090.a.1");
  ck_assert_str_eq(json_string_value(json_object_get(j, "rules")), "eccn-3a090-2023");
  json_decref(j);

  /* Unknown die area: PD null; H20 figures cannot be decided by TPP alone. */
  ck_assert_int_eq(sh("classify --peak int8=296 --json", NULL), 0);
  j = parse_out();
  ck_assert(json_is_null(json_object_get(j, "performance_density")));
  ck_assert_str_eq(json_string_value(json_object_get(j, "zone")), "indeterminate");
  ck_assert(json_is_null(json_object_get(j, "clause")));
  cls = json_object_get(j, "die_area_ranges");
  ck_assert_int_eq((int)json_array_size(cls), 3);
  json_decref(j);

  /* Non-datacenter, TPP >= 4800 (RTX 4090): 3A090.a.1 but NAC/ACA, so grey. */
  ck_assert_int_eq(sh("classify --peak fp8=660.6 --die-area 608.5 --non-datacenter --json", NULL),
                   0);
  j = parse_out();
  ck_assert_str_eq(json_string_value(json_object_get(j, "zone")), "grey");
  ck_assert_str_eq(json_string_value(json_object_get(j, "clause")), "3A090.a.1");
  json_decref(j);
}
END_TEST

START_TEST(classify_bad_input_exits_2)
{
  ck_assert_int_eq(sh("classify --peak fp16", NULL), 2);
  ck_assert_ptr_nonnull(strstr(out, "--peak"));
  ck_assert_int_eq(sh("classify --peak fp17=3", NULL), 2);
  ck_assert_ptr_nonnull(strstr(out, "fp17"));
  ck_assert_int_eq(sh("classify --peak fp16=-3", NULL), 2);
  ck_assert_int_eq(sh("classify --peak fp16=3 --die-area zero", NULL), 2);
  ck_assert_ptr_nonnull(strstr(out, "--die-area"));
  ck_assert_int_eq(sh("classify", NULL), 2);
  ck_assert_int_eq(sh("classify --peak fp16=3", TPP_TEST_DATA "/results/minimal.json"), 2);
  ck_assert_int_eq(sh("classify --peak fp16=3 --rules no-such-rule-set", NULL), 2);
  ck_assert_ptr_nonnull(strstr(out, "no-such-rule-set"));
}
END_TEST

START_TEST(bad_rule_file_names_file_and_line)
{
  ck_assert_int_eq(sh("classify --peak fp16=3 --rules", TPP_TEST_DATA "/rules/unknown_zone.json"),
                   2);
  ck_assert_msg(strstr(out, "unknown_zone.json:") != NULL, "%s", out);
  ck_assert_msg(strstr(out, "zone") != NULL, "%s", out);
}
END_TEST

START_TEST(classify_result_files)
{
  json_t *j;
  ck_assert_int_eq(sh("classify --json", TPP_TEST_DATA "/results/minimal.json"), 0);
  j = parse_out();
  ck_assert_str_eq(json_string_value(json_object_get(j, "zone")), "black");
  ck_assert_str_eq(json_string_value(json_object_get(j, "tpp_precision")), "fp8");
  json_decref(j);
  ck_assert_int_eq(sh("classify", TPP_TEST_DATA "/results/bad_status.json"), 2);
  ck_assert_msg(strstr(out, "bad_status.json:8:") != NULL, "%s", out);
  ck_assert_msg(strstr(out, "measurements[1].status") != NULL, "%s", out);
  ck_assert_int_eq(sh("classify", TPP_TEST_DATA "/results/does-not-exist.json"), 2);
}
END_TEST

START_TEST(run_rejects_bad_input_before_writing)
{
  char dir[256], cmd[1200], file[600];
  tpp_test_tmpdir(dir, sizeof(dir));
  snprintf(file, sizeof(file), "%s/r.json", dir);
  snprintf(cmd, sizeof(cmd), "run --precisions fp32,fp99 --out %s", file);
  ck_assert_int_eq(sh(cmd, NULL), 2);
  ck_assert_ptr_nonnull(strstr(out, "fp99"));
  ck_assert_int_ne(access(file, F_OK), 0);
  snprintf(cmd, sizeof(cmd), "run --rules %s/rules/unknown_zone.json --out %s", TPP_TEST_DATA,
           file);
  ck_assert_int_eq(sh(cmd, NULL), 2);
  ck_assert_int_ne(access(file, F_OK), 0);
  snprintf(cmd, sizeof(cmd), "run --device no-such-device-xyz --out %s", file);
  ck_assert_int_eq(sh(cmd, NULL), 2);
  ck_assert_int_ne(access(file, F_OK), 0);
  snprintf(cmd, sizeof(cmd), "run --budget -1 --out %s", file);
  ck_assert_int_eq(sh(cmd, NULL), 2);
  ck_assert_int_ne(access(file, F_OK), 0);
  remove(dir);
}
END_TEST

START_TEST(run_reports_an_unwritable_output_once)
{
  ck_assert_int_eq(sh("run --quiet --budget 0.01 --precisions int32 --no-bandwidth --out "
                      "/nonexistent-tppbench-dir/r.json",
                      NULL),
                   2);
  ck_assert_msg(strstr(out, "/nonexistent-tppbench-dir/r.json") != NULL, "%s", out);
  ck_assert_msg(strstr(out, "input/output error") == NULL, "reported twice: %s", out);
}
END_TEST

START_TEST(list_json)
{
  json_t *j;
  ck_assert_int_eq(sh("list --json", NULL), 0);
  j = parse_out();
  ck_assert(json_is_array(json_object_get(j, "backends")));
  ck_assert(json_is_array(json_object_get(j, "devices")));
  json_decref(j);
}
END_TEST

/* Synthetic results written through the result writer: an H100-like run. */
static void
h100_run(const char *path, double fraction, unsigned pci_device)
{
  static struct tpp_device_result d;
  tpp_test_synth_device(&d, "NVIDIA H100 80GB HBM3", 0x10de, pci_device, 132, 79.6);
  tpp_test_synth_row(&d, TPP_FP16, TPP_PATH_TENSOR, fraction * 989.4, 0.005, 1830);
  tpp_test_synth_row(&d, TPP_FP8, TPP_PATH_TENSOR, fraction * 1978.9, 0.005, 1830);
  tpp_test_synth_row(&d, TPP_FP64, TPP_PATH_VECTOR, fraction * 33.5, 0.005, 1980);
  tpp_test_synth_bw(&d, "read", 3000, 0.01);
  ck_assert_int_eq(tpp_test_write_result(path, &d, 1), 0);
}

/* An H100-like device at `fraction` of its peaks; only fp64 when `interrupted` (the run
 * was stopped before its tensor rows). */
static void
h100_device(struct tpp_device_result *d, double fraction, int interrupted)
{
  tpp_test_synth_device(d, "NVIDIA H100 80GB HBM3", 0x10de, 0x2330, 132, 79.6);
  tpp_test_synth_row(d, TPP_FP64, TPP_PATH_VECTOR, fraction * 33.5, 0.005, 1980);
  if (!interrupted) {
    tpp_test_synth_row(d, TPP_FP16, TPP_PATH_TENSOR, fraction * 989.4, 0.005, 1830);
    tpp_test_synth_row(d, TPP_FP8, TPP_PATH_TENSOR, fraction * 1978.9, 0.005, 1830);
  }
  d->interrupted = interrupted;
}

/* verify --device all: a verdict per device and the node's, the worst, whose exit status it
 * takes: inconsistent (1) over inconclusive (3) over consistent (0).  A declared precision an
 * interrupted run never reached is inconclusive, never "not in the result". */
START_TEST(verify_device_all_takes_the_worst)
{
  static struct tpp_device_result dv[2];
  char dir[512], f[600], args[1400];
  json_t *j;
  tpp_test_tmpdir(dir, sizeof(dir));
  snprintf(f, sizeof(f), "%s/node.json", dir);
  h100_device(&dv[0], 0.85, 0);
  h100_device(&dv[1], 0.85, 1);
  snprintf(dv[1].info.pci_bus_id, sizeof(dv[1].info.pci_bus_id), "0000:2b:00.0");
  ck_assert_int_eq(tpp_test_write_result(f, dv, 2), 0);
  snprintf(args, sizeof(args), "verify --declared h100 --device all %s", f);
  ck_assert_int_eq(sh(args, NULL), 3);
  ck_assert_msg(strstr(out, "not measured: the run was interrupted") &&
                    strstr(out, "node        inconclusive: 2 devices") &&
                    strstr(out, "1 consistent, 0 inconsistent"),
                "%s", out);
  snprintf(args, sizeof(args), "verify --declared h100 --device 0 %s", f);
  ck_assert_int_eq(sh(args, NULL), 0);
  snprintf(args, sizeof(args), "verify --declared h100 --device 1 %s", f);
  ck_assert_int_eq(sh(args, NULL), 3);
  /* fleet says which device came from an interrupted run. */
  snprintf(args, sizeof(args), "fleet %s", f);
  sh(args, NULL);
  ck_assert_msg(strstr(out, "INCOMPLETE") && strstr(out, "interrupted run"), "%s", out);
  /* One under-performing device and one interrupted: the node is inconsistent. */
  h100_device(&dv[0], 0.2, 0);
  ck_assert_int_eq(tpp_test_write_result(f, dv, 2), 0);
  snprintf(args, sizeof(args), "verify --declared h100 --device all --json %s", f);
  ck_assert_int_eq(sh(args, NULL), 1);
  j = parse_out();
  ck_assert_str_eq(json_string_value(json_object_get(json_object_get(j, "node"), "verdict")),
                   "inconsistent");
  ck_assert_int_eq(json_array_size(json_object_get(j, "devices")), 2);
  json_decref(j);
  remove(f);
  remove(dir);
}
END_TEST

START_TEST(verify_exit_statuses)
{
  char dir[512], ok[600], slow[600], args[1400];
  json_t *j;
  tpp_test_tmpdir(dir, sizeof(dir));
  snprintf(ok, sizeof(ok), "%s/h100.json", dir);
  snprintf(slow, sizeof(slow), "%s/slow.json", dir);
  h100_run(ok, 0.85, 0x2330);
  h100_run(slow, 0.2, 0x2330);

  snprintf(args, sizeof(args), "verify --declared h100 %s", ok);
  ck_assert_int_eq(sh(args, NULL), 0);
  ck_assert_msg(strstr(out, "verdict     consistent") != NULL, "%s", out);
  snprintf(args, sizeof(args), "verify --declared h20 %s", ok);
  ck_assert_int_eq(sh(args, NULL), 1);
  ck_assert_msg(strstr(out, "over-capable") && strstr(out, "wrong identity"), "%s", out);
  snprintf(args, sizeof(args), "verify --declared h100 --json %s", slow);
  ck_assert_int_eq(sh(args, NULL), 1);
  j = parse_out();
  ck_assert_str_eq(json_string_value(json_object_get(j, "verdict")), "inconsistent");
  ck_assert_msg(strstr(out, "under-performing") != NULL, "%s", out);
  json_decref(j);
  /* A declared profile file works as well as a name. */
  snprintf(args, sizeof(args), "verify --declared %s/devices/nvidia-h100-sxm5-80gb.json %s",
           TPP_PROFILES_DIR, ok);
  ck_assert_int_eq(sh(args, NULL), 0);

  /* Bad input: 2, with a reason. */
  snprintf(args, sizeof(args), "verify %s", ok);
  ck_assert_int_eq(sh(args, NULL), 2);
  snprintf(args, sizeof(args), "verify --declared no-such-chip %s", ok);
  ck_assert_int_eq(sh(args, NULL), 2);
  ck_assert_msg(strstr(out, "no-such-chip") != NULL, "%s", out);
  snprintf(args, sizeof(args), "verify --declared h100 --tolerance 2 %s", ok);
  ck_assert_int_eq(sh(args, NULL), 2);
  ck_assert_int_eq(sh("verify --declared h100 " TPP_TEST_DATA "/results/bad_status.json", NULL), 2);
  ck_assert_msg(strstr(out, "bad_status.json:") != NULL, "%s", out);
}
END_TEST

START_TEST(fleet_totals_and_bad_input)
{
  char dir[512], a[600], b[600], args[1400];
  json_t *j;
  tpp_test_tmpdir(dir, sizeof(dir));
  snprintf(a, sizeof(a), "%s/a.json", dir);
  snprintf(b, sizeof(b), "%s/b.json", dir);
  h100_run(a, 0.9, 0x2330);
  h100_run(b, 0.9, 0x2330);
  snprintf(args, sizeof(args), "fleet --json %s %s", a, b);
  ck_assert_int_eq(sh(args, NULL), 0);
  j = parse_out();
  ck_assert_int_eq(json_integer_value(json_object_get(j, "devices")), 2);
  ck_assert_str_eq(json_string_value(json_object_get(j, "rules")), "ai-diffusion-2025");
  /* The rule's basis (default): the matched profile's datasheet TPP; measured beside it. */
  ck_assert_str_eq(json_string_value(json_object_get(j, "basis")), "rule");
  ck_assert_double_eq_tol(json_real_value(json_object_get(j, "total_tpp")), 2 * 15831.2, 1e-6);
  ck_assert_double_eq_tol(
      json_real_value(json_object_get(json_object_get(j, "other_basis"), "total_tpp")),
      2 * 0.9 * 15831.2, 1e-6);
  json_decref(j);
  snprintf(args, sizeof(args), "fleet %s", a);
  ck_assert_int_eq(sh(args, NULL), 0);
  ck_assert_msg(strstr(out, "H100-equivalent") && strstr(out, "[secondary]") &&
                    strstr(out, "[recalled]"),
                "%s", out);
  /* One bad file fails the whole total, naming it. */
  snprintf(args, sizeof(args), "fleet %s " TPP_TEST_DATA "/results/bad_status.json", a);
  ck_assert_int_eq(sh(args, NULL), 2);
  ck_assert_msg(strstr(out, "bad_status.json:") != NULL, "%s", out);
  ck_assert_int_eq(sh("fleet", NULL), 2);
  ck_assert_int_eq(sh("fleet --basis guessed x.json", NULL), 2);
}
END_TEST

START_TEST(classify_profile_and_rules)
{
  json_t *j, *alts;
  ck_assert_int_eq(sh("classify --profile h100 --json", NULL), 0);
  j = parse_out();
  ck_assert_str_eq(json_string_value(json_object_get(j, "zone")), "black");
  ck_assert_str_eq(json_string_value(json_object_get(json_object_get(j, "profile"), "id")),
                   "nvidia-h100-sxm5-80gb");
  alts = json_object_get(json_object_get(j, "explanation"), "alternatives");
  ck_assert(json_array_size(alts) >= 3);
  json_decref(j);
  /* The 2022 rule needs the interconnect: the profile gives it. */
  ck_assert_int_eq(sh("classify --profile h100 --rules eccn-3a090-2022", NULL), 0);
  ck_assert_msg(strstr(out, "black (3A090.a (2022))") != NULL, "%s", out);
  ck_assert_int_eq(sh("classify --profile h100 --interconnect 400 --rules eccn-3a090-2022", NULL),
                   0);
  ck_assert_msg(strstr(out, "white (not controlled)") != NULL, "%s", out);
  ck_assert_int_eq(sh("classify --peak fp8=1978.9 --die-area 814 --dram-bandwidth 4800 "
                      "--rules case-by-case-2026",
                      NULL),
                   0);
  ck_assert_msg(strstr(out, "case-by-case") != NULL, "%s", out);
  ck_assert_msg(strstr(out, "would be") != NULL, "%s", out);
  ck_assert_int_eq(sh("classify --profile no-such-chip", NULL), 2);
  ck_assert_int_eq(sh("classify --profile h100 --peak fp8=1", NULL), 2);
  ck_assert_int_eq(sh("classify --peak fp8=1 --datacenter --non-datacenter", NULL), 2);
  ck_assert_int_eq(sh("classify --peak fp8=1 --dram-bandwidth -4", NULL), 2);
  ck_assert_int_eq(sh("list --profiles", NULL), 0);
  ck_assert_msg(strstr(out, "nvidia-h100-sxm5-80gb") != NULL, "%s", out);
}
END_TEST

/* Issue 9: `run --precisions fp32,int8` verified against the MI210, whose TPP its FP64
 * matrix figure sets, answered "consistent" (exit 0): inconclusive (3). */
START_TEST(verify_inconclusive_when_tpp_unmeasured)
{
  static struct tpp_device_result d;
  char dir[512], path[600], args[1400];
  json_t *j;
  tpp_test_tmpdir(dir, sizeof(dir));
  snprintf(path, sizeof(path), "%s/mi210.json", dir);
  tpp_test_synth_device(&d, "AMD Instinct MI210", 0x1002, 0x740f, 104, 63.9);
  tpp_test_synth_row(&d, TPP_FP32, TPP_PATH_VECTOR, 0.85 * 22.6, 0.005, 1700);
  tpp_test_synth_row(&d, TPP_INT8, TPP_PATH_TENSOR, 0.85 * 181, 0.005, 1700);
  for (int p = 0; p < TPP_PRECISION_COUNT; p++) {
    struct tpp_row *r;
    if (p == TPP_FP32 || p == TPP_INT8)
      continue;
    ck_assert_ptr_nonnull(r = tpp_device_result_add_row(&d));
    r->precision = (enum tpp_precision)p;
    r->path = TPP_PATH_TENSOR;
    r->status = TPP_ROW_SKIPPED;
    snprintf(r->reason, sizeof(r->reason), "not requested (--precisions)");
  }
  ck_assert_int_eq(tpp_test_write_result(path, &d, 1), 0);
  snprintf(args, sizeof(args), "verify --declared amd-instinct-mi210 %s", path);
  ck_assert_int_eq(sh(args, NULL), 3);
  ck_assert_msg(strstr(out, "verdict     inconclusive") && strstr(out, "fp64 tensor"), "%s", out);
  ck_assert_msg(strstr(out, "not requested") != NULL, "%s", out);
  snprintf(args, sizeof(args), "verify --declared amd-instinct-mi210 --json %s", path);
  ck_assert_int_eq(sh(args, NULL), 3);
  j = parse_out();
  ck_assert_str_eq(json_string_value(json_object_get(j, "verdict")), "inconclusive");
  json_decref(j);
  remove(path);
  remove(dir);
}
END_TEST

/* Issue 9: 1,800 copies of an H100 SXM result at 85% of its peaks gave "LPP 90% used, fits"
 * and exit 0 by default.  The rule's basis counts the datasheet TPP: EXCEEDED, exit 1. */
START_TEST(fleet_1800_h100_exceeded_by_default)
{
  char dir[512], a[600], args[1400];
  json_t *j, *q;
  tpp_test_tmpdir(dir, sizeof(dir));
  snprintf(a, sizeof(a), "%s/h100-0000.json", dir);
  h100_run(a, 0.85, 0x2330);
  {
    char *text = tpp_test_slurp(a);
    ck_assert_ptr_nonnull(text);
    for (int i = 1; i < 1800; i++) {
      FILE *f;
      snprintf(args, sizeof(args), "%s/h100-%04d.json", dir, i);
      f = fopen(args, "w");
      ck_assert_ptr_nonnull(f);
      ck_assert_uint_eq(fwrite(text, 1, strlen(text), f), strlen(text));
      fclose(f);
    }
    free(text);
  }
  snprintf(args, sizeof(args), "fleet %s/*.json", dir);
  ck_assert_int_eq(sh(args, NULL), 1);
  ck_assert_msg(strstr(out, "1800 devices in 1800 results") != NULL, "%.3000s", out);
  ck_assert_msg(strstr(out, "106% used, EXCEEDED (measured basis: 90% used, fits)") ||
                    strstr(out, "106% used, EXCEEDED (measured basis: 90%, fits)"),
                "%.3000s", out);
  ck_assert_msg(strstr(out, "verdict     exceeded") != NULL, "%.3000s", out);
  /* The JSON of one of them: the rule's basis, each quantity's verdict on both bases. */
  snprintf(args, sizeof(args), "fleet --json %s", a);
  ck_assert_int_eq(sh(args, NULL), 0);
  j = parse_out();
  ck_assert_str_eq(json_string_value(json_object_get(j, "basis")), "rule");
  ck_assert_str_eq(json_string_value(json_object_get(j, "verdict")), "fits");
  q = json_array_get(json_object_get(json_object_get(j, "accounting"), "quantities"), 0);
  ck_assert_str_eq(json_string_value(json_object_get(q, "id")), "lpp");
  ck_assert_str_eq(json_string_value(json_object_get(q, "verdict")), "fits");
  ck_assert_double_eq_tol(json_real_value(json_object_get(q, "fraction_used")), 15831.2 / 26900000,
                          1e-12);
  ck_assert_str_eq(json_string_value(json_object_get(json_object_get(q, "other_basis"), "basis")),
                   "measured");
  ck_assert_double_eq_tol(
      json_real_value(json_object_get(json_object_get(q, "other_basis"), "fraction_used")),
      0.85 * 15831.2 / 26900000, 1e-9);
  json_decref(j);
  snprintf(args, sizeof(args), "rm -rf %s", dir);
  ck_assert_int_eq(tpp_test_sh(args, NULL, 0), 0);
}
END_TEST

/* Exit statuses: 0 fits, 1 exceeded (above), 3 undetermined, 2 bad input; a file given
 * twice counts once, with a warning naming both. */
START_TEST(fleet_undetermined_and_duplicates)
{
  static struct tpp_device_result d;
  char dir[512], a[600], u[600], args[1400];
  tpp_test_tmpdir(dir, sizeof(dir));
  snprintf(a, sizeof(a), "%s/a.json", dir);
  snprintf(u, sizeof(u), "%s/u.json", dir);
  h100_run(a, 0.9, 0x2330);
  /* An unknown device with nothing measured: its TPP could be anything. */
  tpp_test_synth_device(&d, "Unknown accelerator", 0x1234, 0x5678, 10, 16);
  ck_assert_int_eq(tpp_test_write_result(u, &d, 1), 0);
  snprintf(args, sizeof(args), "fleet %s", a);
  ck_assert_int_eq(sh(args, NULL), 0);
  snprintf(args, sizeof(args), "fleet %s %s", a, u);
  ck_assert_int_eq(sh(args, NULL), 3);
  ck_assert_msg(strstr(out, "verdict     undetermined") && strstr(out, "UNDETERMINED"), "%s", out);
  ck_assert_msg(strstr(out, "used, fits") == NULL, "a quantity fits: %s", out);
  snprintf(args, sizeof(args), "fleet %s %s", a, a);
  ck_assert_int_eq(sh(args, NULL), 0);
  ck_assert_msg(strstr(out, "warning") && strstr(out, "counted once"), "%s", out);
  ck_assert_msg(strstr(out, "1 devices in 2 results") != NULL, "%s", out);
  snprintf(args, sizeof(args), "fleet --basis declared %s %s", a, u);
  ck_assert_int_eq(sh(args, NULL), 3);
  ck_assert_int_eq(sh("fleet --basis rule --tpp-reading average x.json", NULL), 2);
  ck_assert_msg(strstr(out, "--tpp-reading") != NULL, "%s", out);
  remove(a);
  remove(u);
  remove(dir);
}
END_TEST

/* Give a result file a host name and its device a UUID (the synthetic writer has neither). */
static void
stamp(const char *path, const char *host, const char *uuid)
{
  json_error_t e;
  json_t *doc = json_load_file(path, 0, &e);
  ck_assert_msg(doc != NULL, "%s", e.text);
  json_object_set_new(doc, "host", json_pack("{s:s}", "hostname", host));
  json_object_set_new(
      json_object_get(json_array_get(json_object_get(doc, "devices"), 0), "identity"), "uuid",
      json_string(uuid));
  ck_assert_int_eq(json_dump_file(doc, path, JSON_INDENT(2)), 0);
  json_decref(doc);
}

/* Only what tppbench writes on stdout (stderr dropped). */
static int
sh_stdout(const char *args)
{
  char cmd[2400];
  snprintf(cmd, sizeof(cmd), "{ %s %s 2>/dev/null; }", TPP_BINARY, args);
  return tpp_test_sh(cmd, out, sizeof(out));
}

/* Issue 13: fleet reads directories (skipping what is not a result, with a note), lists
 * (--files-from FILE or -, and - as an argument), and with --keep-going totals past a bad
 * file, saying so; its device list names host, PCI bus id and UUID. */
START_TEST(fleet_directories_lists_keep_going)
{
  char dir[512], a[600], b[600], list[600], args[2000], cmd[2400];
  json_t *j, *d0;
  char *bad;
  FILE *f;

  tpp_test_tmpdir(dir, sizeof(dir));
  snprintf(args, sizeof(args), "mkdir -p %s/results/rack1 %s/results/rack2", dir, dir);
  ck_assert_int_eq(tpp_test_sh(args, NULL, 0), 0);
  snprintf(a, sizeof(a), "%s/results/rack1/gpu01.json", dir);
  snprintf(b, sizeof(b), "%s/results/rack2/gpu02.json", dir);
  h100_run(a, 0.9, 0x2330);
  h100_run(b, 0.9, 0x2330);
  stamp(a, "gpu01.rack1", "GPU-6a0c7d2e-0000-4000-8000-000000000001");
  stamp(b, "gpu02.rack2", "GPU-6a0c7d2e-0000-4000-8000-000000000002");
  /* A fleet report and a job log in the same directory. */
  snprintf(cmd, sizeof(cmd),
           "%s fleet --json %s/results > %s/report && mv %s/report %s/results/job.fleet.json && "
           "echo 'srun: task 0 done' > %s/results/gpu01.log",
           TPP_BINARY, dir, dir, dir, dir, dir);
  ck_assert_int_eq(tpp_test_sh(cmd, NULL, 0), 0);

  snprintf(args, sizeof(args), "fleet %s/results", dir);
  ck_assert_int_eq(sh(args, NULL), 0);
  ck_assert_msg(strstr(out, "2 devices in 2 results") && strstr(out, "note") &&
                    strstr(out, "job.fleet.json: a tppbench fleet report, not a result") &&
                    strstr(out, "1 files not named *.json") && strstr(out, "skipped     2 files"),
                "%s", out);
  /* The device list: host, PCI bus id and UUID on the device's line. */
  {
    const char *line = strstr(out, "GPU-6a0c7d2e-0000-4000-8000-000000000002");
    ck_assert_ptr_nonnull(line);
    while (line > out && line[-1] != '\n')
      line--;
    ck_assert_msg(strstr(line, "gpu02.rack2") < strchr(line, '\n') &&
                      strstr(line, "0000:1b:00.0") < strchr(line, '\n') &&
                      strstr(line, "rack2/gpu02.json") < strchr(line, '\n'),
                  "%s", out);
  }
  snprintf(args, sizeof(args), "fleet --json %s/results", dir);
  ck_assert_int_eq(sh_stdout(args), 0);
  j = parse_out();
  ck_assert_int_eq(json_integer_value(json_object_get(j, "schema_version")), 1);
  ck_assert_str_eq(json_string_value(json_object_get(j, "kind")), "fleet");
  ck_assert(json_is_true(json_object_get(j, "complete")));
  ck_assert_uint_eq(json_array_size(json_object_get(j, "skipped")), 2);
  d0 = json_array_get(json_object_get(j, "device_list"), 0);
  ck_assert_str_eq(json_string_value(json_object_get(d0, "host")), "gpu01.rack1");
  ck_assert_str_eq(json_string_value(json_object_get(d0, "pci_bus_id")), "0000:1b:00.0");
  ck_assert_str_eq(json_string_value(json_object_get(d0, "uuid")),
                   "GPU-6a0c7d2e-0000-4000-8000-000000000001");
  json_decref(j);

  /* Lists: --files-from FILE, --files-from -, and - as an argument. */
  snprintf(list, sizeof(list), "%s/list.txt", dir);
  f = fopen(list, "w");
  ck_assert_ptr_nonnull(f);
  fprintf(f, "%s\n\n", a);
  fclose(f);
  snprintf(args, sizeof(args), "fleet --files-from %s", list);
  ck_assert_int_eq(sh(args, NULL), 0);
  ck_assert_msg(strstr(out, "1 devices in 1 results"), "%s", out);
  snprintf(args, sizeof(args), "fleet --files-from - %s < %s", b, list);
  ck_assert_int_eq(sh(args, NULL), 0);
  ck_assert_msg(strstr(out, "2 devices in 2 results"), "%s", out);
  snprintf(cmd, sizeof(cmd), "ls %s/results/*/*.json | %s fleet -", dir, TPP_BINARY);
  ck_assert_int_eq(tpp_test_sh(cmd, out, sizeof(out)), 0);
  ck_assert_msg(strstr(out, "2 devices in 2 results"), "%s", out);
  snprintf(args, sizeof(args), "fleet - --files-from - < %s", list);
  ck_assert_int_eq(sh(args, NULL), 2);
  snprintf(args, sizeof(args), "fleet --files-from %s/no-such-list", dir);
  ck_assert_int_eq(sh(args, NULL), 2);
  ck_assert_msg(strstr(out, "no-such-list"), "%s", out);
  /* Nothing to total is not a fleet that fits. */
  snprintf(cmd, sizeof(cmd), "mkdir %s/empty && %s fleet %s/empty", dir, TPP_BINARY, dir);
  ck_assert_int_eq(tpp_test_sh(cmd, out, sizeof(out)), 2);
  ck_assert_msg(strstr(out, "no tppbench result"), "%s", out);
  snprintf(args, sizeof(args), "fleet - < /dev/null");
  ck_assert_int_eq(sh(args, NULL), 2);

  /* A malformed result among them: exit 2 and nothing on stdout, naming file, line, field. */
  bad = tpp_test_slurp(TPP_TEST_DATA "/results/bad_status.json");
  ck_assert_ptr_nonnull(bad);
  snprintf(args, sizeof(args), "%s/results/rack1/gpu03.json", dir);
  f = fopen(args, "w");
  ck_assert_ptr_nonnull(f);
  fputs(bad, f);
  fclose(f);
  free(bad);
  snprintf(args, sizeof(args), "fleet %s/results", dir);
  ck_assert_int_eq(sh_stdout(args), 2);
  ck_assert_msg(out[0] == '\0', "stdout: %s", out);
  ck_assert_int_eq(sh(args, NULL), 2);
  ck_assert_msg(strstr(out, "gpu03.json:8:") && strstr(out, "devices[0].measurements[1].status"),
                "%s", out);
  /* --keep-going: reported, listed as not read, the others totalled, exit 3. */
  snprintf(args, sizeof(args), "fleet --keep-going %s/results", dir);
  ck_assert_int_eq(sh(args, NULL), 3);
  ck_assert_msg(strstr(out, "2 devices in 2 results") && strstr(out, "not read") &&
                    strstr(out, "verdict     undetermined"),
                "%s", out);
  ck_assert_msg(strstr(out, "gpu03.json:8:") && strstr(out, "devices[0].measurements[1].status"),
                "%s", out);
  snprintf(args, sizeof(args), "fleet --keep-going --json %s/results", dir);
  ck_assert_int_eq(sh_stdout(args), 3);
  j = parse_out();
  ck_assert(json_is_false(json_object_get(j, "complete")));
  ck_assert_int_eq(json_integer_value(json_object_get(j, "devices")), 2);
  ck_assert_msg(strstr(json_string_value(json_object_get(
                           json_array_get(json_object_get(j, "not_read"), 0), "error")),
                       "devices[0].measurements[1].status"),
                "%s", out);
  json_decref(j);
  snprintf(args, sizeof(args), "rm -rf %s", dir);
  ck_assert_int_eq(tpp_test_sh(args, NULL, 0), 0);
}
END_TEST

/* --tpp-reading and --tf32-bits: every alternative reading is computed; one whose zone
 * differs makes the verdict interpretation-sensitive. */
START_TEST(reading_flags)
{
  json_t *j, *in;
  /* The H20: white under the highest reading, 3A090.b.1 under the aggregate one. */
  ck_assert_int_eq(sh("classify --profile h20 --json", NULL), 0);
  j = parse_out();
  ck_assert_str_eq(json_string_value(json_object_get(j, "zone")), "white");
  ck_assert(json_is_true(json_object_get(j, "interpretation_sensitive")));
  in = json_object_get(j, "interpretations");
  ck_assert_uint_ge(json_array_size(in), 1);
  ck_assert_str_eq(json_string_value(json_object_get(json_array_get(in, 0), "zone")), "grey");
  json_decref(j);
  ck_assert_int_eq(sh("classify --profile h20", NULL), 0);
  ck_assert_msg(strstr(out, "zone        white (not controlled); interpretation-sensitive") != NULL,
                "%s", out);
  ck_assert_int_eq(sh("classify --profile h20 --tpp-reading aggregate --json", NULL), 0);
  j = parse_out();
  ck_assert_str_eq(json_string_value(json_object_get(j, "zone")), "grey");
  ck_assert_str_eq(json_string_value(json_object_get(json_object_get(j, "reading"), "tpp_reading")),
                   "aggregate");
  json_decref(j);
  /* TF32 at 19 bits changes a chip whose TPP TF32 sets. */
  ck_assert_int_eq(
      sh("classify --peak tf32=160 --die-area 1000 --dies 2 --tf32-bits 19 --json", NULL), 0);
  j = parse_out();
  ck_assert_str_eq(json_string_value(json_object_get(j, "zone")), "grey");
  ck_assert(json_is_true(json_object_get(j, "interpretation_sensitive")));
  json_decref(j);
  /* Units for the aggregate reading of bare peaks. */
  ck_assert_int_eq(sh("classify --peak fp32:vector=44 --peak int8:tensor=296 --die-area 814 "
                      "--tpp-reading aggregate",
                      NULL),
                   0);
  ck_assert_msg(strstr(out, "grey (3A090.b.1)") != NULL, "%s", out);
  ck_assert_int_eq(sh("classify --peak int8=296 --tpp-reading aggregate", NULL), 2);
  ck_assert_int_eq(sh("classify --peak int8:matrix=296", NULL), 2);
  ck_assert_int_eq(sh("classify --peak int8=296 --tf32-bits 24", NULL), 2);
  ck_assert_msg(strstr(out, "--tf32-bits") != NULL, "%s", out);
  ck_assert_int_eq(sh("classify --peak int8=296 --tf32-bits x", NULL), 2);
  ck_assert_int_eq(sh("verify --declared h20 --tpp-reading bogus x.json", NULL), 2);
  ck_assert_int_eq(sh("classify --help", NULL), 0);
  ck_assert_msg(strstr(out, "--tpp-reading") && strstr(out, "--tf32-bits"), "%s", out);
  ck_assert_int_eq(sh("verify --help", NULL), 0);
  ck_assert_msg(strstr(out, "--tpp-reading") && strstr(out, "inconclusive"), "%s", out);
  ck_assert_int_eq(sh("fleet --help", NULL), 0);
  ck_assert_msg(strstr(out, "--tpp-reading") && strstr(out, "undetermined"), "%s", out);
}
END_TEST

/* Issue 9: a result whose fp32 tops is 200 while its samples' median is 0.09 was
 * classified black.  A contradiction in a file is bad input naming the field. */
START_TEST(tampered_result_is_bad_input)
{
  char dir[512], path[600], args[1400];
  json_t *doc, *rows;
  json_error_t e;
  size_t i;
  tpp_test_tmpdir(dir, sizeof(dir));
  snprintf(path, sizeof(path), "%s/tampered.json", dir);
  doc = json_load_file(TPP_PROFILES_DIR "/../results/pocl-3.1-xeon-2cpu-kvm.json", 0, &e);
  ck_assert_msg(doc != NULL, "%s", e.text);
  rows = json_object_get(json_array_get(json_object_get(doc, "devices"), 0), "measurements");
  for (i = 0; i < json_array_size(rows); i++)
    if (strcmp(json_string_value(json_object_get(json_array_get(rows, i), "precision")), "fp32") ==
        0)
      break;
  ck_assert_uint_lt(i, json_array_size(rows));
  json_object_set_new(json_array_get(rows, i), "tops", json_real(200));
  ck_assert_int_eq(json_dump_file(doc, path, JSON_INDENT(1)), 0);
  snprintf(args, sizeof(args), "classify %s", path);
  ck_assert_int_eq(sh(args, NULL), 2);
  snprintf(args, sizeof(args), "devices[0].measurements[%zu].tops", i);
  ck_assert_msg(strstr(out, args) && strstr(out, "tampered.json:"), "%s", out);
  snprintf(args, sizeof(args), "fleet %s", path);
  ck_assert_int_eq(sh(args, NULL), 2);
  snprintf(args, sizeof(args), "verify --declared h100 %s", path);
  ck_assert_int_eq(sh(args, NULL), 2);
  json_decref(doc);
  remove(path);
  remove(dir);
}
END_TEST

/* A result of 200 devices: `classify --device all` must say it picks more than one, not
 * write 200 indexes into a 64-slot array (ASan: stack-buffer-overflow in backend.c before
 * tpp_devices_select took a capacity). */
START_TEST(classify_device_all_of_200)
{
  static struct tpp_device_result d[200];
  char dir[512], file[600], args[1400];
  tpp_test_tmpdir(dir, sizeof(dir));
  snprintf(file, sizeof(file), "%s/rack.json", dir);
  for (int i = 0; i < 200; i++) {
    tpp_test_synth_device(&d[i], "NVIDIA H100 80GB HBM3", 0x10de, 0x2330, 132, 79.6);
    snprintf(d[i].info.selector, sizeof(d[i].info.selector), "cuda:%d", i);
    tpp_test_synth_row(&d[i], TPP_FP16, TPP_PATH_TENSOR, 800, 0.005, 1830);
  }
  ck_assert_int_eq(tpp_test_write_result(file, d, 200), 0);
  snprintf(args, sizeof(args), "classify --device all %s", file);
  ck_assert_int_eq(sh(args, NULL), 2);
  ck_assert_msg(strstr(out, "does not pick exactly one device") != NULL, "%s", out);
  snprintf(args, sizeof(args), "classify --device cuda:150 --json %s", file);
  ck_assert_int_eq(sh(args, NULL), 0);
  ck_assert_msg(strstr(out, "cuda:150") != NULL, "%s", out);
}
END_TEST

/* An H100-like result whose file says what the test asks: a profile (NULL none) with its
 * die area and datacenter flag, and a die area supplied at run time. */
static void
h100_claiming(const char *path, const char *profile_id, const char *matched_by, int datacenter,
              double die_area, const char *die_area_source, int simulated)
{
  static struct tpp_device_result d;
  struct tpp_profile_set set;
  struct tpp_diag diag = {0};
  tpp_test_synth_device(&d, "NVIDIA H100 80GB HBM3", 0x10de, 0x2330, 132, 79.6);
  tpp_test_synth_row(&d, TPP_FP8, TPP_PATH_TENSOR, 0.85 * 1978.9, 0.005, 1830);
  d.info.simulated = simulated;
  if (profile_id) {
    ck_assert_int_eq(tpp_profile_set_load_dir(TPP_PROFILES_DIR "/devices", &set, &diag), 0);
    tpp_device_result_set_profile(&d, tpp_profile_find(&set, profile_id), matched_by, 0);
    tpp_profile_set_free(&set);
  }
  d.datacenter = datacenter;
  if (die_area > 0) {
    d.die_area_mm2 = die_area;
    snprintf(d.die_area_source, sizeof(d.die_area_source), "%s", die_area_source);
  }
  ck_assert_int_eq(tpp_test_write_result(path, &d, 1), 0);
}

/* Issue 15.6: classify and fleet kept a file's profile, datacenter flag and die area without
 * checking them.  An H100 whose file names the RTX 4090 profile (not datacenter, 608.5 mm2)
 * read as grey; the identity says H100: the claim is disputed, not used, and said. */
START_TEST(file_claims_are_checked)
{
  char dir[512], f[600], g[600], args[1400];
  json_t *j, *cl;
  tpp_test_tmpdir(dir, sizeof(dir));
  snprintf(f, sizeof(f), "%s/claims-4090.json", dir);
  h100_claiming(f, "nvidia-geforce-rtx-4090", "pci 10de:2684", 0, 0, NULL, 0);
  snprintf(args, sizeof(args), "classify --json %s", f);
  ck_assert_int_eq(sh(args, NULL), 0);
  j = parse_out();
  ck_assert_str_eq(json_string_value(json_object_get(j, "zone")), "black");
  cl = json_object_get(j, "claims");
  ck_assert(json_is_true(json_object_get(cl, "disputed")));
  ck_assert_str_eq(json_string_value(json_object_get(json_object_get(cl, "profile"), "status")),
                   "mismatch");
  ck_assert_str_eq(json_string_value(json_object_get(json_object_get(cl, "profile"), "identity")),
                   "nvidia-h100-sxm5-80gb");
  json_decref(j);
  snprintf(args, sizeof(args), "classify %s", f);
  ck_assert_int_eq(sh(args, NULL), 0);
  ck_assert_msg(strstr(out, "DISPUTED: the file names profile nvidia-geforce-rtx-4090") &&
                    strstr(out, "zone        black"),
                "%s", out);
  /* fleet: counted as its identity says (the H100's datasheet TPP, not the 4090's), said. */
  snprintf(args, sizeof(args), "fleet --json %s", f);
  sh(args, NULL);
  j = parse_out();
  ck_assert_int_eq((int)json_integer_value(json_object_get(j, "disputed")), 1);
  cl = json_array_get(json_object_get(j, "device_list"), 0);
  ck_assert_str_eq(json_string_value(json_object_get(cl, "zone")), "black");
  ck_assert(fabs(json_number_value(json_object_get(cl, "tpp")) - 15831.2) < 1e-6);
  ck_assert(json_is_true(json_object_get(json_object_get(cl, "claims"), "disputed")));
  json_decref(j);
  snprintf(args, sizeof(args), "fleet %s", f);
  sh(args, NULL);
  ck_assert_msg(strstr(out, "DISPUTED") && strstr(out, "claims-4090.json"), "%s", out);

  /* A profile id no shipped profile has. */
  snprintf(g, sizeof(g), "%s/claims-unknown.json", dir);
  h100_claiming(g, "nvidia-h100-sxm5-80gb", "pci 10de:2330", 1, 0, NULL, 0);
  {
    char *text = tpp_test_slurp(g), *at;
    FILE *w;
    ck_assert_ptr_nonnull(text);
    while ((at = strstr(text, "\"nvidia-h100-sxm5-80gb\"")) != NULL)
      memcpy(at + 1, "nvidia-h999-sxm5-80gb", 21);
    while ((at = strstr(text, "profile:nvidia-h100-sxm5-80gb")) != NULL)
      memcpy(at + 8, "nvidia-h999", 11);
    w = fopen(g, "w");
    fputs(text, w);
    fclose(w);
    free(text);
  }
  snprintf(args, sizeof(args), "classify --json %s", g);
  ck_assert_int_eq(sh(args, NULL), 0);
  j = parse_out();
  cl = json_object_get(j, "claims");
  ck_assert(json_is_true(json_object_get(cl, "disputed")));
  ck_assert_msg(strstr(json_string_value(json_object_get(cl, "why")), "nvidia-h999-sxm5-80gb"),
                "%s", out);
  json_decref(j);

  /* A die area of 10^6 mm2: bad input, in a file or on the command line. */
  snprintf(g, sizeof(g), "%s/claims-area.json", dir);
  h100_claiming(g, NULL, NULL, 1, 1e6, "--die-area", 0);
  snprintf(args, sizeof(args), "classify %s", g);
  ck_assert_int_eq(sh(args, NULL), 2);
  ck_assert_msg(strstr(out, "devices[0].die_area_mm2") && strstr(out, "858"), "%s", out);
  ck_assert_int_eq(sh("classify --peak fp8=1978.9 --die-area 1e6", NULL), 2);
  ck_assert_msg(strstr(out, "--die-area") && strstr(out, "--dies"), "%s", out);
  ck_assert_int_eq(sh("classify --peak fp8=1978.9 --die-area 1628 --dies 2", NULL), 0);
}
END_TEST

/* Issue 15.6: a die area or datacenter flag a user supplied is shown as such in every
 * verdict, text and JSON. */
START_TEST(user_supplied_facts_are_shown)
{
  char dir[512], f[600], args[1400];
  json_t *j, *cl;
  tpp_test_tmpdir(dir, sizeof(dir));
  snprintf(f, sizeof(f), "%s/user.json", dir);
  /* run --non-datacenter --die-area 800 on an H100 (the profile says datacenter, 814 mm2) */
  h100_claiming(f, "nvidia-h100-sxm5-80gb", "pci 10de:2330", 0, 800, "--die-area", 0);
  snprintf(args, sizeof(args), "classify --json %s", f);
  ck_assert_int_eq(sh(args, NULL), 0);
  j = parse_out();
  cl = json_object_get(j, "claims");
  ck_assert(json_is_false(json_object_get(cl, "disputed")));
  ck_assert(json_is_true(json_object_get(json_object_get(cl, "die_area"), "user_supplied")));
  ck_assert(json_is_true(json_object_get(json_object_get(cl, "datacenter"), "user_supplied")));
  json_decref(j);
  snprintf(args, sizeof(args), "classify %s", f);
  sh(args, NULL);
  ck_assert_msg(strstr(out, "die area supplied by the user") &&
                    strstr(out, "non-datacenter chip: supplied by the user"),
                "%s", out);
  snprintf(args, sizeof(args), "verify --declared h100 --json %s", f);
  sh(args, NULL);
  j = parse_out();
  cl = json_object_get(j, "claims");
  ck_assert(json_is_true(json_object_get(json_object_get(cl, "die_area"), "user_supplied")));
  ck_assert(json_is_true(json_object_get(json_object_get(cl, "datacenter"), "user_supplied")));
  json_decref(j);
  snprintf(args, sizeof(args), "verify --declared h100 %s", f);
  sh(args, NULL);
  ck_assert_msg(strstr(out, "die area supplied by the user"), "%s", out);
  snprintf(args, sizeof(args), "fleet --json %s", f);
  sh(args, NULL);
  j = parse_out();
  cl = json_object_get(json_array_get(json_object_get(j, "device_list"), 0), "claims");
  ck_assert(json_is_true(json_object_get(cl, "die_area_user_supplied")));
  ck_assert(json_is_true(json_object_get(cl, "datacenter_user_supplied")));
  json_decref(j);
  snprintf(args, sizeof(args), "fleet %s", f);
  sh(args, NULL);
  ck_assert_msg(strstr(out, "user-supplied: 1 die areas, 1 datacenter flags"), "%s", out);
  /* and on classify's own command line */
  ck_assert_int_eq(sh("classify --peak fp8=1978.9 --die-area 814 --non-datacenter --json", NULL),
                   0);
  j = parse_out();
  cl = json_object_get(j, "claims");
  ck_assert(json_is_true(json_object_get(json_object_get(cl, "die_area"), "user_supplied")));
  ck_assert(json_is_true(json_object_get(json_object_get(cl, "datacenter"), "user_supplied")));
  json_decref(j);
}
END_TEST

/* verify and fleet take no simulated device (tests/backends/cuda/sim) as evidence; the suite's own
 * tests may, with TPPBENCH_TEST_ALLOW_SIMULATED=1. */
START_TEST(simulated_devices_are_refused)
{
  char dir[512], f[600], args[1400];
  tpp_test_tmpdir(dir, sizeof(dir));
  snprintf(f, sizeof(f), "%s/sim.json", dir);
  h100_claiming(f, "nvidia-h100-sxm5-80gb", "pci 10de:2330", 1, 0, NULL, 1);
  snprintf(args, sizeof(args), "verify --declared h100 %s", f);
  ck_assert_int_eq(sh(args, NULL), 2);
  ck_assert_msg(strstr(out, "sim.json") && strstr(out, "simulated"), "%s", out);
  snprintf(args, sizeof(args), "fleet %s", f);
  ck_assert_int_eq(sh(args, NULL), 2);
  ck_assert_msg(strstr(out, "sim.json") && strstr(out, "simulated"), "%s", out);
  snprintf(args, sizeof(args), "TPPBENCH_TEST_ALLOW_SIMULATED=1 %s verify --declared h100 %s",
           TPP_BINARY, f);
  ck_assert_int_ne(tpp_test_sh(args, out, sizeof(out)), 2);
  /* classify says what it is and goes on */
  snprintf(args, sizeof(args), "classify %s", f);
  ck_assert_int_eq(sh(args, NULL), 0);
}
END_TEST

/* Issue 15.8: no error is a bare "invalid argument" or "malformed input": each names the
 * file or the option, and the field. */
START_TEST(errors_name_file_or_flag)
{
  static const struct {
    const char *args, *named;
  } cases[] = {
      {"classify --peak fp8=abc",                                                        "--peak"            },
      {"classify --peak fp8=1 --die-area 0",                                             "--die-area"        },
      {"classify --peak fp8=1 --dies 2",                                                 "--dies"            },
      {"classify --peak fp8=1 --die-area 100 --dies 99",                                 "--dies"            },
      {"classify --peak fp8=1 --tf32-bits 99",                                           "--tf32-bits"       },
      {"classify --peak fp8=1 --tpp-reading median",                                     "--tpp-reading"     },
      {"classify --peak fp8=1 --tpp-reading aggregate",                                  "--tpp-reading"     },
      {"classify --peak fp8=1 --rules no-such-rules",                                    "--rules"           },
      {"classify --profile no-such-chip",                                                "--profile"         },
      {"classify " TPP_TEST_DATA "/results/bad_status.json",                             "bad_status.json:"  },
      {"classify " TPP_TEST_DATA "/results/tops_string.json",                            "tops_string.json:" },
      {"classify --rules " TPP_TEST_DATA "/rules/scenarios_17.json --peak fp8=1",
       "scenarios_17.json:"                                                                                  },
      {"verify --declared no-such-chip " TPP_TEST_DATA "/results/minimal.json",          "--declared"        },
      {"verify --declared h100 --min-fraction 2 " TPP_TEST_DATA "/results/minimal.json",
       "--min-fraction"                                                                                      },
      {"verify --declared h100 " TPP_TEST_DATA "/results/truncated.json",                "truncated.json:"   },
      {"fleet --basis no-such-basis " TPP_TEST_DATA "/results/minimal.json",             "--basis"           },
      {"fleet " TPP_TEST_DATA "/results/unknown_key.json",                               "unknown_key.json:" },
      {"fleet /no/such/file.json",                                                       "/no/such/file.json"},
      {"run --precisions fp99",                                                          "--precisions"      },
      {"run --die-area 5000",                                                            "--die-area"        },
      {"run --profile no-such-chip",                                                     "--profile"         },
  };
  for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
    int rc = sh(cases[i].args, NULL);
    ck_assert_msg(rc == 2, "%s: exit %d\n%s", cases[i].args, rc, out);
    ck_assert_msg(strstr(out, cases[i].named) != NULL, "%s: does not name %s:\n%s", cases[i].args,
                  cases[i].named, out);
    ck_assert_msg(!strstr(out, "tppbench: invalid argument\n") &&
                      !strstr(out, "tppbench: malformed input\n"),
                  "%s: a bare message:\n%s", cases[i].args, out);
  }
}
END_TEST

/* The commands run many times in one process (the fuzz target fuzz_cli does): getopt must
 * start afresh each time.  With optind = 1, glibc went on scanning the rest of the previous
 * vector's short-option cluster ("-xy": after the unknown 'x', the 'y'), so the next,
 * valid, command line failed as bad usage. */
/* Issue 15.9: a JSON answer that cannot be written (a full disk: /dev/full) is an error
 * naming the command, exit 1; never an empty answer with exit 0. */
START_TEST(json_that_cannot_be_written_is_an_error)
{
  static const char *const commands[] = {
      "classify --peak fp16=989.4 --die-area 814 --json",
      "list --profiles --json",
      "fleet --json " TPP_PROFILES_DIR "/../results/pocl-3.1-xeon-2cpu-kvm.json",
      "verify --declared h100 --json " TPP_PROFILES_DIR "/../results/pocl-3.1-xeon-2cpu-kvm.json",
  };
  for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
    char cmd[2048];
    int st;
    snprintf(cmd, sizeof(cmd), "{ %s %s > /dev/full; }", TPP_BINARY, commands[i]);
    st = tpp_test_sh(cmd, out, sizeof(out));
    ck_assert_msg(st == 1, "%s > /dev/full: exit %d (%s)", commands[i], st, out);
    ck_assert_msg(strstr(out, "JSON document could not be written"), "%s: %s", commands[i], out);
  }
}
END_TEST

START_TEST(commands_run_again_in_one_process)
{
  char a0[] = "classify", a1[] = "-xy", b1[] = "--peak", b2[] = "fp8=1978.9", b3[] = "--die-area",
       b4[] = "814";
  char *bad[] = {a0, a1, NULL}, *good[] = {a0, b1, b2, b3, b4, NULL};
  FILE *saved_out = stdout, *saved_err = stderr, *null = fopen("/dev/null", "w");
  ck_assert_ptr_nonnull(null);
  stdout = stderr = null;
  ck_assert_int_eq(tpp_cli_classify(2, bad), 2);
  ck_assert_int_eq(tpp_cli_classify(5, good), 0);
  ck_assert_int_eq(tpp_cli_classify(2, bad), 2);
  ck_assert_int_eq(tpp_cli_fleet(2, bad), 2);
  ck_assert_int_eq(tpp_cli_classify(5, good), 0);
  stdout = saved_out;
  stderr = saved_err;
  fclose(null);
}
END_TEST

/* Issue 14: with --trust, report, verify and fleet read a result once, check its signature
 * over those bytes and parse the same bytes.  The result is a FIFO here: its first reader
 * gets the signed file, a second reader a swapped one.  Reading the file again after the
 * check (the defect) parsed the swapped, unsigned content. */
static void
trust_once(const char *command, const char *flags, int status, const char *expect)
{
  char cmd[4096], args[2048], fifo[600], dir[512];
  tpp_test_tmpdir(dir, sizeof(dir)); /* its own: a writer left behind talks to no other */
  snprintf(fifo, sizeof(fifo), "%s/r.json", dir);
  snprintf(cmd, sizeof(cmd),
           "rm -f %s && mkfifo %s && cp " TPP_TEST_DATA "/sign/result.json.minisig %s.minisig && "
           "sed 's/Example GPU/Swapped GPU/; s/1978.9/4000.1/' " TPP_TEST_DATA
           "/sign/result.json > %s/swapped.json",
           fifo, fifo, fifo, dir);
  ck_assert_int_eq(tpp_test_sh(cmd, NULL, 0), 0);
  /* The writer: the signed file to the first reader, the swapped one to a second (given up
   * after a few seconds when there is none).  The pause lets the first reader see the end of
   * the file before a second writer could append to it. */
  snprintf(cmd, sizeof(cmd),
           "( cat " TPP_TEST_DATA
           "/sign/result.json > %s; sleep 1; timeout -s KILL 3 sh -c 'cat %s/swapped.json "
           "> %s' ) >/dev/null 2>&1 &",
           fifo, dir, fifo);
  ck_assert_int_eq(tpp_test_sh(cmd, NULL, 0), 0);
  snprintf(args, sizeof(args), "%s %s %s --trust " TPP_TEST_DATA "/sign/minisign.pub", command,
           fifo, flags);
  ck_assert_msg(sh(args, NULL) == status, "%s: %s", args, out);
  ck_assert_msg(strstr(out, expect) && !strstr(out, "Swapped GPU") && !strstr(out, "4000.1"),
                "%s parsed other bytes than it checked: %s", args, out);
}

START_TEST(trust_checks_the_bytes_it_parses)
{
  trust_once("report", "--format md", 0, "Example GPU");
  trust_once("fleet", "", 0, "TPP 15831.2");
  /* inconsistent (1): the file's name is not the declared product's, and it says so */
  trust_once("verify", "--declared nvidia-h100-sxm5-80gb", 1, "reports \"Example GPU\"");
}
END_TEST

/* Issue 14: --label KEY=VALUE is checked before anything is measured: exit 2 naming it. */
START_TEST(run_labels_are_checked)
{
  ck_assert_int_eq(sh("run --label case", "--out /nonexistent/x.json"), 2);
  ck_assert_ptr_nonnull(strstr(out, "--label"));
  ck_assert_int_eq(sh("run --label a=1 --label a=2", "--out /nonexistent/x.json"), 2);
  ck_assert_ptr_nonnull(strstr(out, "--label: label \"a\" given twice"));
  ck_assert_int_eq(sh("run --label 'x y=1'", "--out /nonexistent/x.json"), 2);
  ck_assert_ptr_nonnull(strstr(out, "A-Z a-z 0-9"));
}
END_TEST

/* Issue 14: a run records its labels and provenance; classify shows them. */
START_TEST(run_records_labels_and_provenance)
{
  char dir[512], args[1200];
  tpp_test_tmpdir(dir, sizeof(dir));
  snprintf(args, sizeof(args),
           "run --device opencl --precisions fp32 --no-bandwidth --budget 0.01 --quiet "
           "--label case=T-9 --label asset.tag=R7-U12 --out %s/r.json",
           dir);
  ck_assert_msg(sh(args, NULL) == 0, "%s", out);
  snprintf(args, sizeof(args), "classify %s/r.json", dir);
  ck_assert_msg(sh(args, NULL) == 0, "%s", out);
  ck_assert_msg(strstr(out, "labels      case=T-9, asset.tag=R7-U12") &&
                    strstr(out, "provenance  tppbench ") && strstr(out, "binary sha256 "),
                "%s", out);
}
END_TEST

int
main(void)
{
  Suite *s = suite_create("cli");
  TCase *tc = tcase_create("core");
  tcase_set_timeout(tc, 60);
  tcase_add_test(tc, usage_and_version);
  tcase_add_test(tc, classify_peaks_json_keys);
  tcase_add_test(tc, classify_bad_input_exits_2);
  tcase_add_test(tc, bad_rule_file_names_file_and_line);
  tcase_add_test(tc, classify_result_files);
  tcase_add_test(tc, run_rejects_bad_input_before_writing);
  tcase_add_test(tc, run_reports_an_unwritable_output_once);
  tcase_add_test(tc, list_json);
  tcase_add_test(tc, verify_exit_statuses);
  tcase_add_test(tc, verify_device_all_takes_the_worst);
  tcase_add_test(tc, fleet_totals_and_bad_input);
  tcase_add_test(tc, classify_profile_and_rules);
  tcase_add_test(tc, verify_inconclusive_when_tpp_unmeasured);
  tcase_add_test(tc, fleet_1800_h100_exceeded_by_default);
  tcase_add_test(tc, fleet_undetermined_and_duplicates);
  tcase_add_test(tc, fleet_directories_lists_keep_going);
  tcase_add_test(tc, reading_flags);
  tcase_add_test(tc, tampered_result_is_bad_input);
  tcase_add_test(tc, classify_device_all_of_200);
  tcase_add_test(tc, json_that_cannot_be_written_is_an_error);
  tcase_add_test(tc, commands_run_again_in_one_process);
  tcase_add_test(tc, file_claims_are_checked);
  tcase_add_test(tc, user_supplied_facts_are_shown);
  tcase_add_test(tc, simulated_devices_are_refused);
  tcase_add_test(tc, errors_name_file_or_flag);
  tcase_add_test(tc, trust_checks_the_bytes_it_parses);
  tcase_add_test(tc, run_labels_are_checked);
  tcase_add_test(tc, run_records_labels_and_provenance);
  suite_add_tcase(s, tc);
  return tpp_test_run(s);
}
