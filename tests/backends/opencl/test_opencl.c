/* test_opencl.c - a short real run on the first OpenCL device (PoCL's CPU device in CI):
 * every precision the device has measures, verifies against the host and stays at or
 * below its per-clock peak; the others are unsupported with a reason; bandwidth works.
 *
 * No OpenCL platform is a failure, because CI installs PoCL; set
 * TPP_TEST_ALLOW_NO_OPENCL=1 to skip instead on a machine that has none. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "testutil.h"
#include "tpp/backend.h"
#include "tpp/runner.h"

static struct tpp_device_info *devs;
static size_t n_devs;

static int
find_devices(void)
{
  struct tpp_backend_status st[8];
  size_t b = 0;
  while (tpp_backends()[b] && strcmp(tpp_backends()[b]->name, "opencl") != 0)
    b++;
  if (tpp_devices_list(&devs, &n_devs, st, sizeof(st) / sizeof(st[0])) != 0 || n_devs == 0) {
    fprintf(stderr, "no OpenCL device: %s\n", b < 8 ? st[b].reason : "?");
    return 0;
  }
  return 1;
}

START_TEST(short_run_verifies_every_supported_precision)
{
  struct tpp_run_opts o;
  struct tpp_device_result d;
  struct tpp_diag diag;
  int ok_rows = 0;

  tpp_run_defaults(&o);
  o.measure.budget_s = 0.05;
  o.measure.target_launch_s = 0.01;
  o.measure.min_samples = 3;
  o.precisions = (1u << TPP_FP32) | (1u << TPP_FP64) | (1u << TPP_INT32) | (1u << TPP_INT16) |
                 (1u << TPP_INT8) | (1u << TPP_FP16) | (1u << TPP_BF16);
  ck_assert_int_eq(tpp_run_device(&devs[0], &o, NULL, &d, &diag), 0);
  for (size_t i = 0; i < d.n_rows; i++) {
    const struct tpp_row *r = &d.rows[i];
    const char *name = tpp_precision_name(r->precision);
    if (!(o.precisions & (1u << r->precision))) {
      ck_assert_int_eq(r->status, TPP_ROW_SKIPPED);
      continue;
    }
    ck_assert_msg(r->status != TPP_ROW_ERROR, "%s: %s", name, r->reason);
    if (r->status == TPP_ROW_UNSUPPORTED) {
      ck_assert_msg(r->reason[0] != '\0', "%s unsupported without a reason", name);
      continue;
    }
    ck_assert_int_eq(r->status, TPP_ROW_OK);
    ck_assert_msg(r->verified, "%s not verified", name);
    ck_assert_msg(r->tops > 0 && isfinite(r->tops), "%s: %g TOPS", name, r->tops);
    ck_assert_msg(!(r->efficiency > 1.0), "%s above its per-clock peak", name);
    ck_assert(r->stats.n >= 3);
    ok_rows++;
  }
  /* Every OpenCL device has FP32 and integer arithmetic; BF16 never is an OpenCL C type. */
  ck_assert_int_ge(ok_rows, 4);
  for (size_t i = 0; i < d.n_rows; i++)
    if (d.rows[i].precision == TPP_BF16)
      ck_assert_int_eq(d.rows[i].status, TPP_ROW_UNSUPPORTED);
  ck_assert_uint_eq(d.n_bw, 3);
  for (size_t i = 0; i < d.n_bw; i++) {
    ck_assert_msg(d.bw[i].status == TPP_ROW_OK, "memory %s: %s", d.bw[i].kind, d.bw[i].reason);
    ck_assert(d.bw[i].verified && d.bw[i].gbs > 0);
  }
  tpp_device_result_free(&d); /* rows and placement */
}
END_TEST

/* Issue 15.11: a CPU device's buffers are host memory.  Under an address-space limit PoCL
 * aborted (an assert) in the copy row and the whole run was lost; now the buffers are sized
 * from what the process may still take, and too little memory is an error row that says so
 * while the other rows run. */
static void
short_opts(struct tpp_run_opts *o)
{
  tpp_run_defaults(o);
  o->measure.budget_s = 0.05;
  o->measure.target_launch_s = 0.01;
  o->measure.min_samples = 3;
  o->precisions = 1u << TPP_FP32;
}

START_TEST(bandwidth_within_the_memory_left)
{
  struct tpp_run_opts o;
  struct tpp_device_result d = {0};
  struct tpp_diag diag;

  if (strcmp(devs[0].type, "cpu") != 0)
    return; /* a GPU's buffers are not host memory */
  short_opts(&o);
  /* Too little: every bandwidth row an error naming the limit, the compute row measured. */
  setenv("TPPBENCH_TEST_HOST_MEM_AVAILABLE", "100000000", 1);
  ck_assert_int_eq(tpp_run_device(&devs[0], &o, NULL, &d, &diag), 0);
  unsetenv("TPPBENCH_TEST_HOST_MEM_AVAILABLE");
  ck_assert_uint_eq(d.n_bw, 3);
  for (size_t i = 0; i < d.n_bw; i++) {
    ck_assert_msg(d.bw[i].status == TPP_ROW_ERROR, "memory %s: %s", d.bw[i].kind, d.bw[i].reason);
    ck_assert_msg(strstr(d.bw[i].reason, "TPPBENCH_TEST_HOST_MEM_AVAILABLE"), "%s", d.bw[i].reason);
  }
  for (size_t i = 0; i < d.n_rows; i++)
    if (d.rows[i].precision == TPP_FP32)
      ck_assert_int_eq(d.rows[i].status, TPP_ROW_OK);
  tpp_device_result_free(&d);

#if !defined(__SANITIZE_ADDRESS__) /* its shadow memory needs terabytes of address space */
  {
    /* 1.5 GiB of address space beyond what is mapped: copy's two 1 GiB buffers no longer
     * fit, as under `ulimit -v`; the run completes. */
    struct rlimit rl;
    char line[256];
    unsigned long long vm_kb = 0;
    FILE *f = fopen("/proc/self/status", "r");
    ck_assert_ptr_nonnull(f);
    while (fgets(line, sizeof(line), f))
      if (sscanf(line, "VmSize: %llu", &vm_kb) == 1)
        break;
    fclose(f);
    ck_assert(vm_kb > 0);
    rl.rlim_cur = rl.rlim_max = (rlim_t)vm_kb * 1024 + (1536ull << 20);
    ck_assert_int_eq(setrlimit(RLIMIT_AS, &rl), 0);
    ck_assert_int_eq(tpp_run_device(&devs[0], &o, NULL, &d, &diag), 0);
    for (size_t i = 0; i < d.n_bw; i++)
      ck_assert_msg(d.bw[i].status == TPP_ROW_OK ||
                        (d.bw[i].status == TPP_ROW_ERROR && d.bw[i].reason[0]),
                    "memory %s: %s", d.bw[i].kind, d.bw[i].reason);
    ck_assert_int_eq(d.bw[TPP_BW_COPY].status, TPP_ROW_OK);
    tpp_device_result_free(&d);
  }
#endif
}
END_TEST

START_TEST(device_selection)
{
  size_t picked[64], n = 0, cap = sizeof(picked) / sizeof(picked[0]);
  struct tpp_device_info many[3];
  ck_assert_int_eq(tpp_devices_select(devs, n_devs, NULL, picked, cap, &n), 0);
  ck_assert_uint_eq(n, 1);
  ck_assert_int_eq(tpp_devices_select(devs, n_devs, devs[0].selector, picked, cap, &n), 0);
  ck_assert_uint_eq(picked[0], 0);
  ck_assert_int_eq(tpp_devices_select(devs, n_devs, "opencl", picked, cap, &n), 0);
  ck_assert_uint_eq(n, n_devs);
  ck_assert_int_eq(tpp_devices_select(devs, n_devs, "0", picked, cap, &n), 0);
  ck_assert_int_eq(tpp_devices_select(devs, n_devs, "99", picked, cap, &n), TPP_ENOENT);
  ck_assert_int_eq(tpp_devices_select(devs, n_devs, "no such device name", picked, cap, &n),
                   TPP_ENOENT);
  /* More matches than room: the first `cap` are written, all are counted. */
  for (int i = 0; i < 3; i++)
    many[i] = devs[0];
  picked[1] = 12345;
  ck_assert_int_eq(tpp_devices_select(many, 3, "all", picked, 1, &n), 0);
  ck_assert_uint_eq(n, 3);
  ck_assert_uint_eq(picked[0], 0);
  ck_assert_uint_eq(picked[1], 12345);
}
END_TEST

int
main(void)
{
  Suite *s = suite_create("opencl");
  TCase *tc = tcase_create("pocl");
  int rc;
  /* The OpenCL runtime's worker threads do not survive fork(): run the tests in this
   * process (the runtime is initialised by find_devices). */
  setenv("CK_FORK", "no", 1);
  if (!find_devices()) {
    const char *allow = getenv("TPP_TEST_ALLOW_NO_OPENCL");
    return allow && strcmp(allow, "1") == 0 ? 77 : 1;
  }
  tcase_set_timeout(tc, 300);
  tcase_add_test(tc, short_run_verifies_every_supported_precision);
  tcase_add_test(tc, device_selection);
  tcase_add_test(tc, bandwidth_within_the_memory_left);
  suite_add_tcase(s, tc);
  rc = tpp_test_run(s);
  free(devs);
  return rc;
}
