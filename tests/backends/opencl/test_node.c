/* test_node.c - `run` over a whole node on PoCL: two pthread devices measured at once and
 * verified, SIGINT mid-run, --out checked first, progress lines, --repeat, default names.
 * Every run is short (--budget 0.05, one or two precisions). */
#include <check.h>
#include <jansson.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "testutil.h"
#include "tpp/runenv.h"

static char out[1 << 18];
#define TWO "POCL_DEVICES='pthread pthread' "
#define QUICK " --budget 0.05 --no-bandwidth --precisions fp32 "

/* Run a command line (printf format) through the shell; its output lands in `out`. */
static char cmd[4096];
#define SH(...) (snprintf(cmd, sizeof(cmd), __VA_ARGS__), tpp_test_sh(cmd, out, sizeof(out)))

static json_t *
load(const char *path)
{
  json_error_t e;
  json_t *j = json_load_file(path, 0, &e);
  ck_assert_msg(j != NULL, "%s: %s", path, e.text);
  return j;
}

static double
now_s(void)
{
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

START_TEST(two_devices_at_once_and_verified)
{
  char dir[256], f[400];
  json_t *j, *node, *devs;
  tpp_test_tmpdir(dir, sizeof(dir));
  snprintf(f, sizeof(f), "%s/node.json", dir);
  ck_assert_int_eq(SH(TWO TPP_BINARY " run --device all" QUICK "--out %s", f), 0);
  ck_assert_msg(strstr(out, "at once"), "%s", out);
  j = load(f);
  devs = json_object_get(j, "devices");
  ck_assert_int_eq(json_array_size(devs), 2);
  for (size_t i = 0; i < 2; i++)
    ck_assert(json_is_object(json_object_get(json_array_get(devs, i), "placement")));
  node = json_object_get(j, "node");
  ck_assert(json_is_true(json_object_get(node, "concurrent")));
  ck_assert_int_eq(json_integer_value(json_object_get(node, "devices")), 2);
  ck_assert_int_eq(json_integer_value(json_object_get(node, "measured")), 2);
  ck_assert(json_is_true(json_object_get(j, "complete")));
  json_decref(j);
  /* A CPU is no H100: each device inconsistent, and so the node (exit 1). */
  ck_assert_int_eq(SH(TPP_BINARY " verify --device all --declared h100 %s", f), 1);
  ck_assert_msg(strstr(out, "opencl:0.0") && strstr(out, "opencl:0.1") &&
                    strstr(out, "node        inconsistent: 2 devices"),
                "%s", out);
  ck_assert_int_eq(SH(TPP_BINARY " verify --device all --declared h100 --json %s", f), 1);
  j = json_loads(out, 0, NULL);
  ck_assert_ptr_nonnull(j);
  ck_assert_int_eq(json_array_size(json_object_get(j, "devices")), 2);
  ck_assert_str_eq(json_string_value(json_object_get(json_object_get(j, "node"), "verdict")),
                   "inconsistent");
  json_decref(j);
  remove(f);
  remove(dir);
}
END_TEST

START_TEST(sigint_keeps_the_finished_rows)
{
  char dir[256], f[400], log[400];
  json_t *j;
  int rc;
  tpp_test_tmpdir(dir, sizeof(dir));
  snprintf(f, sizeof(f), "%s/r.json", dir);
  snprintf(log, sizeof(log), "%s/log", dir);
  /* Stopped once the first row has ended (its plain progress line). */
  rc = SH("(" TPP_BINARY " run --budget 0.3 --no-bandwidth --precisions fp32,int8,int16,fp16 "
          "--out %s 2>%s & pid=$!; "
          "n=0; until grep -q '^\\[1/' %s || [ $n -gt 600 ]; do sleep 0.05; n=$((n+1)); done; "
          "kill -INT $pid; wait $pid)",
          f, log, log);
  /* tpp_test_sh gives the shell's status: the run's 130. */
  ck_assert_msg(rc == 130, "rc %d: %s", rc, out);
  j = load(f);
  ck_assert(json_is_false(json_object_get(j, "complete")));
  ck_assert_msg(strstr(json_string_value(json_object_get(j, "incomplete_reason")),
                       "interrupted by SIGINT after"),
                "%s", json_string_value(json_object_get(j, "incomplete_reason")));
  ck_assert(json_is_true(
      json_object_get(json_array_get(json_object_get(j, "devices"), 0), "interrupted")));
  json_decref(j);
  /* Re-readable, and said to be incomplete. */
  ck_assert_int_eq(SH(TPP_BINARY " classify %s", f), 0);
  ck_assert_msg(strstr(out, "INCOMPLETE"), "%s", out);
  /* No temporary file left beside it. */
  ck_assert_int_eq(SH("ls -A %s | grep -c tppbench-tmp", dir), 1);
  remove(f);
  remove(log);
  remove(dir);
}
END_TEST

/* SIGTERM twice: the second ends the run at once, writing nothing and leaving no temporary
 * file (the shell sees 143 either way). */
START_TEST(second_signal_stops_at_once)
{
  char dir[256], f[400], log[400];
  tpp_test_tmpdir(dir, sizeof(dir));
  snprintf(f, sizeof(f), "%s/r.json", dir);
  snprintf(log, sizeof(log), "%s/log", dir);
  ck_assert_int_eq(SH("(" TPP_BINARY " run --budget 0.5 --no-bandwidth --precisions fp32,int8 "
                      "--out %s 2>%s & pid=$!; "
                      "n=0; until grep -q '^\\[1/' %s || [ $n -gt 600 ]; do sleep 0.05; "
                      "n=$((n+1)); done; kill -TERM $pid; sleep 0.1; kill -TERM $pid; wait $pid)",
                      f, log, log),
                   143);
  ck_assert_int_ne(access(f, F_OK), 0);
  ck_assert_int_eq(SH("ls -A %s | grep -c tppbench-tmp", dir), 1);
  remove(log);
  remove(dir);
}
END_TEST

/* The checks before a run, on a made-up /sys and /proc. */
START_TEST(warnings_of_governor_and_load)
{
  char dir[256];
  struct tpp_device_info cpu = {.type = "cpu"};
  json_t *w = json_array();
  long cores = sysconf(_SC_NPROCESSORS_ONLN);
  tpp_test_tmpdir(dir, sizeof(dir));
  ck_assert_int_eq(SH("mkdir -p %s/sys/devices/system/cpu/cpu0/cpufreq %s/proc", dir, dir), 0);
  ck_assert_int_eq(SH("echo performance > %s/sys/devices/system/cpu/cpu0/cpufreq/scaling_governor "
                      "&& echo '0.00 0.00 0.00 1/100 1' > %s/proc/loadavg",
                      dir, dir),
                   0);
  tpp_runenv_warnings(&cpu, 1, dir, w);
  ck_assert_int_eq(json_array_size(w), 0);
  ck_assert_int_eq(
      SH("echo powersave > %s/sys/devices/system/cpu/cpu0/cpufreq/scaling_governor", dir), 0);
  snprintf(cmd, sizeof(cmd), "echo '%ld.00 0.00 0.00 1/100 1' > %s/proc/loadavg", cores, dir);
  ck_assert_int_eq(tpp_test_sh(cmd, out, sizeof(out)), 0);
  tpp_runenv_warnings(&cpu, 1, dir, w);
  ck_assert_int_eq(json_array_size(w), 2);
  ck_assert_msg(strstr(json_string_value(json_array_get(w, 0)), "\"powersave\" on 1 of 1 CPUs"),
                "%s", json_string_value(json_array_get(w, 0)));
  ck_assert_msg(strstr(json_string_value(json_array_get(w, 1)), "load average"), "%s",
                json_string_value(json_array_get(w, 1)));
  json_decref(w);
  SH("rm -rf %s", dir);
}
END_TEST

START_TEST(nothing_measured_keeps_the_previous_file)
{
  char dir[256], f[400], *text;
  tpp_test_tmpdir(dir, sizeof(dir));
  snprintf(f, sizeof(f), "%s/r.json", dir);
  FILE *fp = fopen(f, "w");
  fputs("previous\n", fp);
  fclose(fp);
  /* No OpenCL platform: no device, nothing measured. */
  ck_assert_int_eq(
      SH("OCL_ICD_VENDORS=/nonexistent OCL_ICD_FILENAMES= " TPP_BINARY " run" QUICK "--out %s", f),
      1);
  ck_assert_msg(strstr(out, "left as it was"), "%s", out);
  text = tpp_test_slurp(f);
  ck_assert_str_eq(text, "previous\n");
  free(text);
  remove(f);
  remove(dir);
}
END_TEST

START_TEST(unwritable_out_fails_at_once)
{
  double t0 = now_s();
  ck_assert_int_eq(SH(TPP_BINARY " run --out /nonexistent-tppbench-dir/r.json"), 2);
  ck_assert_msg(now_s() - t0 < 1.0, "took %.2f s", now_s() - t0);
  ck_assert_msg(strstr(out, "/nonexistent-tppbench-dir/r.json"), "%s", out);
  ck_assert_int_eq(SH(TPP_BINARY " run --out /tmp"), 2);
  ck_assert_msg(strstr(out, "is a directory"), "%s", out);
}
END_TEST

START_TEST(progress_lines)
{
  char dir[256], f[400];
  tpp_test_tmpdir(dir, sizeof(dir));
  snprintf(f, sizeof(f), "%s/r.json", dir);
  /* Off a terminal: one plain line per row, and the summary. */
  ck_assert_int_eq(
      SH("{ " TPP_BINARY " run --device opencl:0.0" QUICK "--out %s 2>&1 >/dev/null; }", f), 0);
  ck_assert_msg(strstr(out, "[1/1] opencl:0.0 fp32   vector") && strstr(out, "done: 1 device"),
                "%s", out);
  ck_assert_msg(!strstr(out, "elapsed"), "%s", out);
  /* On a terminal (script gives a pty): a line before the row, with the time left. */
  ck_assert_int_eq(
      SH("script -qec '" TPP_BINARY " run --device opencl:0.0" QUICK "--out %s' /dev/null", f), 0);
  ck_assert_msg(strstr(out, "[1/1] opencl:0.0 fp32 vector  (elapsed") &&
                    strstr(out, "time left not known yet"),
                "%s", out);
  ck_assert_int_eq(SH(TPP_BINARY " run --quiet --device opencl:0.0" QUICK "--out %s 2>&1", f), 0);
  ck_assert_msg(!strstr(out, "[1/1]"), "%s", out);
  remove(f);
  remove(dir);
}
END_TEST

START_TEST(repeat_reports_the_spread_between_runs)
{
  char dir[256], f[400];
  json_t *j, *row;
  tpp_test_tmpdir(dir, sizeof(dir));
  snprintf(f, sizeof(f), "%s/r.json", dir);
  ck_assert_int_eq(SH(TPP_BINARY " run --quiet --repeat 3 --device opencl:0.0" QUICK "--out %s", f),
                   0);
  j = load(f);
  ck_assert_int_eq(json_integer_value(json_object_get(j, "repeat")), 3);
  {
    json_t *rows = json_object_get(json_array_get(json_object_get(j, "devices"), 0),
                                   "measurements");
    size_t i;
    row = NULL;
    json_array_foreach (rows, i, row)
      if (strcmp(json_string_value(json_object_get(row, "precision")), "fp32") == 0)
        break;
  }
  ck_assert_str_eq(json_string_value(json_object_get(row, "precision")), "fp32");
  ck_assert_int_eq(json_integer_value(json_object_get(json_object_get(row, "runs"), "samples")), 3);
  json_decref(j);
  ck_assert_int_eq(SH(TPP_BINARY " classify %s", f), 0);
  ck_assert_int_eq(SH(TPP_BINARY " run --repeat 0 --out %s", f), 2);
  ck_assert_int_eq(SH(TPP_BINARY " run --repeat 1.5 --out %s", f), 2);
  ck_assert_msg(strstr(out, "--repeat"), "%s", out);
  remove(f);
  remove(dir);
}
END_TEST

START_TEST(default_names_never_collide)
{
  char dir[256], host[64] = "", stamp[32], name[600];
  time_t t = time(NULL);
  struct tm tm;
  json_t *j;
  tpp_test_tmpdir(dir, sizeof(dir));
  gethostname(host, sizeof(host) - 1);
  /* Every name the next seconds could take is taken: the run must add a suffix. */
  for (int s = 0; s < 30; s++) {
    time_t u = t + s;
    FILE *fp;
    gmtime_r(&u, &tm);
    strftime(stamp, sizeof(stamp), "%Y%m%dT%H%M%SZ", &tm);
    snprintf(name, sizeof(name), "%s/tppbench-%s-%s.json", dir, host, stamp);
    fp = fopen(name, "w");
    fputs("taken\n", fp);
    fclose(fp);
  }
  ck_assert_int_eq(SH("cd %s && " TPP_BINARY " run --quiet --device opencl:0.0" QUICK
                      ">/dev/null && ls tppbench-*-2.json",
                      dir),
                   0);
  out[strcspn(out, "\n")] = '\0';
  snprintf(name, sizeof(name), "%s/%s", dir, out);
  j = load(name);
  ck_assert_int_eq(json_array_size(json_object_get(j, "devices")), 1);
  json_decref(j);
  /* The files that were there are untouched. */
  ck_assert_int_eq(SH("cat %s/tppbench-*Z.json | sort -u", dir), 0);
  ck_assert_str_eq(out, "taken\n");
  SH("rm -rf %s", dir);
}
END_TEST

START_TEST(out_stdout_prints_json_once_and_stale_temps_go)
{
  char dir[256], f[400], stale[500];
  json_t *j;
  FILE *fp;
  tpp_test_tmpdir(dir, sizeof(dir));
  ck_assert_int_eq(SH("{ " TPP_BINARY " run --quiet --json --out -" QUICK "--device opencl:0.0 "
                      "2>/dev/null; }"),
                   0);
  j = json_loads(out, 0, NULL);
  ck_assert_msg(j != NULL, "not one JSON document: %s", out);
  json_decref(j);
  /* A temporary file of a writer that was killed (its process is gone) is removed. */
  snprintf(f, sizeof(f), "%s/r.json", dir);
  snprintf(stale, sizeof(stale), "%s/.r.json.tppbench-tmp-999999999.AbC123", dir);
  fp = fopen(stale, "w");
  fclose(fp);
  ck_assert_int_eq(SH(TPP_BINARY " run --quiet" QUICK "--device opencl:0.0 --out %s", f), 0);
  ck_assert_int_ne(access(stale, F_OK), 0);
  ck_assert_int_eq(access(f, F_OK), 0);
  remove(f);
  remove(dir);
}
END_TEST

int
main(void)
{
  Suite *s = suite_create("node");
  TCase *tc = tcase_create("core");
  if (tpp_test_sh(TPP_BINARY " list 2>/dev/null | grep -q opencl:0.0", NULL, 0) != 0) {
    fprintf(stderr, "no OpenCL device: skipped\n");
    return 77;
  }
  tcase_set_timeout(tc, 120);
  tcase_add_test(tc, two_devices_at_once_and_verified);
  tcase_add_test(tc, sigint_keeps_the_finished_rows);
  tcase_add_test(tc, second_signal_stops_at_once);
  tcase_add_test(tc, warnings_of_governor_and_load);
  tcase_add_test(tc, nothing_measured_keeps_the_previous_file);
  tcase_add_test(tc, unwritable_out_fails_at_once);
  tcase_add_test(tc, progress_lines);
  tcase_add_test(tc, repeat_reports_the_spread_between_runs);
  tcase_add_test(tc, default_names_never_collide);
  tcase_add_test(tc, out_stdout_prints_json_once_and_stale_temps_go);
  suite_add_tcase(s, tc);
  return tpp_test_run(s);
}
