/* test_hip_runtime.c - the HIP runtime and amd-smi / rocm-smi loaders: with no ROCm they
 * report "no AMD driver" and no telemetry (this machine); with stand-in libraries
 * (test_hip_fake_rocm.c, put where ROCM_PATH points) they bind their tables, read the
 * device properties of both ROCm 5 and ROCm 6 layouts, refuse a runtime that lacks a
 * function or finds no GPU, launch with the kernarg buffer the host packed, and read the
 * telemetry structures of each library version.
 *
 * Check runs every test in its own process, so each loads the libraries afresh. */
#include <dlfcn.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gpu/gpu.h"
#include "hip/hip_kernels.h"
#include "hip/hip_runtime.h"
#include "hip/hip_smi.h"
#include "testutil.h"

#define FAKE(d) TPP_HIP_FAKE_DIR "_" d

/* A real ROCm found by name would answer before the stand-ins (only ROCM_PATH comes
 * first): those checks then say so and pass over. */
static int
real_library(const char *name)
{
  void *h = dlopen(name, RTLD_NOW | RTLD_LOCAL);
  if (h)
    dlclose(h);
  return h != NULL;
}

static int
real_rocm(void)
{
  return real_library("libamdhip64.so.7") || real_library("libamdhip64.so.6") ||
         real_library("libamdhip64.so.5") || real_library("/opt/rocm/lib/libamdhip64.so.6");
}

START_TEST(without_rocm_there_is_no_amd_driver)
{
  const struct tpp_hip_runtime *rt = NULL;
  char why[256], dir[512];
  tpp_test_tmpdir(dir, sizeof(dir)); /* a ROCM_PATH with nothing in it */
  setenv("ROCM_PATH", dir, 1);
  if (real_rocm()) {
    fprintf(stderr, "ROCm is installed here: the no-driver check does not apply\n");
    return;
  }
  ck_assert_int_eq(tpp_hip_runtime_load(&rt, why, sizeof(why)), TPP_ENODEV);
  ck_assert_msg(strncmp(why, "no AMD driver", 13) == 0, "%s", why);
  ck_assert_ptr_null(rt);
  /* The same answer again: loaded once per process. */
  ck_assert_int_eq(tpp_hip_runtime_load(&rt, why, sizeof(why)), TPP_ENODEV);
  if (!real_library("libamd_smi.so") && !real_library("librocm_smi64.so.7")) {
    ck_assert_ptr_null(tpp_hip_smi_load(why, sizeof(why)));
    ck_assert_msg(strstr(why, "no amd-smi") && strstr(why, "no rocm-smi"), "%s", why);
  }
}
END_TEST

START_TEST(rocm6_runtime_binds_and_launches)
{
  const struct tpp_hip_runtime *rt;
  char why[256], arch[64];
  unsigned char args[24], got[64];
  unsigned grid = 0, block = 0;
  size_t (*last)(void *, unsigned *, unsigned *);
  enum tpp_hip_arch a;
  void *h;
  int n = 0, cus = 0;
  setenv("ROCM_PATH", FAKE("a"), 1);
  ck_assert_msg(tpp_hip_runtime_load(&rt, why, sizeof(why)) == 0, "%s", why);
  ck_assert_ptr_nonnull(strstr(rt->soname, "libamdhip64.so.6"));
  ck_assert_int_eq(rt->props_r0600, 1);
  ck_assert_ptr_null(rt->DeviceGetUuid); /* optional, absent here */
  ck_assert_int_eq(rt->GetDeviceCount(&n), 0);
  ck_assert_int_eq(n, 1);
  ck_assert_int_eq(rt->DeviceGetAttribute(&cus, TPP_HIP_ATTR_MULTIPROCESSOR_COUNT, 0), 0);
  ck_assert_int_eq(cus, 304);
  ck_assert_msg(tpp_hip_device_arch(rt, 0, arch, sizeof(arch), why, sizeof(why)) == 0, "%s", why);
  ck_assert_str_eq(arch, "gfx942:sramecc+:xnack-");
  ck_assert_int_eq(tpp_hip_arch_parse(arch, &a), 0);
  ck_assert_int_eq(a, TPP_HIP_GFX942);
  /* A launch passes the packed kernarg buffer, its size and the block size. */
  {
    uint64_t out = 0xabc0, in = 0xdef0;
    uint32_t iters = 65536;
    struct tpp_gpu_args pa = {
        3, {&out, &in, &iters},
         {8,    8,   4     }
    };
    ck_assert_uint_eq(tpp_gpu_args_pack(&pa, args, sizeof(args)), 20);
  }
  ck_assert_int_eq(tpp_hip_launch(rt, (hipFunction_t)(void *)args, 608, TPP_HIP_BLOCK, 0, args, 20),
                   0);
  h = dlopen(FAKE("a") "/lib/libamdhip64.so.6", RTLD_NOW | RTLD_NOLOAD);
  ck_assert_ptr_nonnull(h);
  *(void **)&last = dlsym(h, "fake_hip_last_launch");
  ck_assert_uint_eq(last(got, &grid, &block), 20);
  ck_assert(memcmp(got, args, 20) == 0);
  ck_assert_uint_eq(grid, 608);
  ck_assert_uint_eq(block, TPP_HIP_BLOCK);
  dlclose(h);
}
END_TEST

START_TEST(rocm5_runtime_reads_the_old_properties)
{
  const struct tpp_hip_runtime *rt;
  char why[256], arch[64];
  setenv("ROCM_PATH", FAKE("b"), 1);
  ck_assert_msg(tpp_hip_runtime_load(&rt, why, sizeof(why)) == 0, "%s", why);
  ck_assert_ptr_nonnull(strstr(rt->soname, "libamdhip64.so.5"));
  ck_assert_int_eq(rt->props_r0600, 0);
  ck_assert_msg(tpp_hip_device_arch(rt, 0, arch, sizeof(arch), why, sizeof(why)) == 0, "%s", why);
  ck_assert_str_eq(arch, "gfx90a:sramecc+:xnack-");
}
END_TEST

START_TEST(an_unexpected_properties_layout_is_refused)
{
  const struct tpp_hip_runtime *rt;
  char why[256], arch[64] = "";
  setenv("ROCM_PATH", FAKE("a"), 1);
  setenv("FAKE_HIP_LAYOUT", "bad", 1);
  ck_assert_int_eq(tpp_hip_runtime_load(&rt, why, sizeof(why)), 0);
  ck_assert_int_eq(tpp_hip_device_arch(rt, 0, arch, sizeof(arch), why, sizeof(why)), TPP_EBACKEND);
  ck_assert_msg(strstr(why, "layout"), "%s", why);
  ck_assert_str_eq(arch, "");
}
END_TEST

START_TEST(a_runtime_without_a_gpu_or_a_function_is_unavailable)
{
  const struct tpp_hip_runtime *rt;
  char why[256];
  setenv("ROCM_PATH", _i == 2 ? FAKE("c") : FAKE("a"), 1);
  setenv("FAKE_HIP_INIT", _i == 0 ? "100" : "1", 1);
  if (_i == 0) {
    ck_assert_int_eq(tpp_hip_runtime_load(&rt, why, sizeof(why)), TPP_ENODEV);
    ck_assert_str_eq(why, "no AMD GPU: hipInit failed: hipErrorNoDevice (100)");
  } else if (_i == 1) {
    ck_assert_int_eq(tpp_hip_runtime_load(&rt, why, sizeof(why)), TPP_EBACKEND);
    ck_assert_msg(strstr(why, "hipInit failed"), "%s", why);
  } else {
    ck_assert_int_eq(tpp_hip_runtime_load(&rt, why, sizeof(why)), TPP_ENODEV);
    ck_assert_msg(strstr(why, "lacks hipModuleLaunchKernel"), "%s", why);
  }
}
END_TEST

START_TEST(amd_smi_telemetry)
{
  const struct tpp_hip_smi *s;
  struct tpp_hip_smi_device dev;
  struct tpp_hip_smi_reading r;
  char why[256];
  setenv("ROCM_PATH", FAKE("a"), 1);
  s = tpp_hip_smi_load(why, sizeof(why));
  ck_assert_msg(s != NULL, "%s", why);
  ck_assert_str_eq(tpp_hip_smi_name(s), "amd-smi (libamd_smi.so)");
  ck_assert_int_ne(tpp_hip_smi_open(s, "0000:c2:00.0", &dev, why, sizeof(why)), 0);
  ck_assert_int_ne(tpp_hip_smi_open(s, "c1:00.0", &dev, why, sizeof(why)), 0);
  ck_assert_msg(tpp_hip_smi_open(s, "0000:c1:00.0", &dev, why, sizeof(why)) == 0, "%s", why);
  tpp_hip_smi_read(&dev, &r);
  ck_assert_double_eq(r.clock_mhz, 2050);
  ck_assert_double_eq(r.temperature_c, 81); /* hotspot, millidegrees */
  ck_assert_double_eq_tol(r.energy_j, 2000000 * 15.25e-6, 1e-9);
  ck_assert_double_eq_tol(r.energy_time_s, 3.0, 1e-12);
  ck_assert_int_eq(r.events_known, 1);
  ck_assert_uint_eq(r.events, TPP_HIP_SMI_EVENT_POWER | TPP_HIP_SMI_EVENT_HBM);
  ck_assert_str_eq(tpp_hip_smi_event_names[0], "power");
}
END_TEST

START_TEST(rocm_smi_telemetry_both_layouts)
{
  const struct tpp_hip_smi *s;
  struct tpp_hip_smi_device dev;
  struct tpp_hip_smi_reading r;
  char why[256];
  if (real_library("libamd_smi.so")) {
    fprintf(stderr, "amd-smi is installed here: it answers before the rocm-smi stand-in\n");
    return;
  }
  setenv("ROCM_PATH", _i == 0 ? FAKE("b") : FAKE("c"), 1);
  s = tpp_hip_smi_load(why, sizeof(why));
  ck_assert_msg(s != NULL, "%s", why);
  ck_assert_str_eq(tpp_hip_smi_name(s),
                   _i == 0 ? "rocm-smi (librocm_smi64.so.5)" : "rocm-smi (librocm_smi64.so.7)");
  ck_assert_msg(tpp_hip_smi_open(s, "0000:c1:00.0", &dev, why, sizeof(why)) == 0, "%s", why);
  ck_assert_uint_eq(dev.index, 1); /* the partition bits of its id are ignored */
  tpp_hip_smi_read(&dev, &r);
  ck_assert_double_eq(r.clock_mhz, 1700); /* frequency[current] */
  ck_assert_double_eq(r.temperature_c, 70);
  ck_assert_double_eq_tol(r.energy_j, 1.0, 1e-9);
  ck_assert_int_eq(r.events_known, 0);
}
END_TEST

START_TEST(pci_addresses_parse)
{
  unsigned d, b, v, f;
  ck_assert_int_eq(tpp_hip_pci_parse("0000:c1:00.0", &d, &b, &v, &f), 0);
  ck_assert(d == 0 && b == 0xc1 && v == 0 && f == 0);
  ck_assert_int_eq(tpp_hip_pci_parse("0001:03:1f.7", &d, &b, &v, &f), 0);
  ck_assert(d == 1 && b == 3 && v == 0x1f && f == 7);
  ck_assert_int_ne(tpp_hip_pci_parse("0000:c1:20.0", &d, &b, &v, &f), 0);
  ck_assert_int_ne(tpp_hip_pci_parse("0000:c1:00.8", &d, &b, &v, &f), 0);
  ck_assert_int_ne(tpp_hip_pci_parse("0000:c1:00.0x", &d, &b, &v, &f), 0);
  ck_assert_int_ne(tpp_hip_pci_parse("", &d, &b, &v, &f), 0);
}
END_TEST

int
main(void)
{
  Suite *s = suite_create("hip_runtime");
  TCase *tc = tcase_create("core");
  unsetenv("FAKE_HIP_INIT");
  unsetenv("FAKE_HIP_LAYOUT");
  setenv("CK_FORK", "yes", 1); /* each test needs its own process: the loaders load once */
  tcase_add_test(tc, without_rocm_there_is_no_amd_driver);
  tcase_add_test(tc, rocm6_runtime_binds_and_launches);
  tcase_add_test(tc, rocm5_runtime_reads_the_old_properties);
  tcase_add_test(tc, an_unexpected_properties_layout_is_refused);
  tcase_add_loop_test(tc, a_runtime_without_a_gpu_or_a_function_is_unavailable, 0, 3);
  tcase_add_test(tc, amd_smi_telemetry);
  tcase_add_loop_test(tc, rocm_smi_telemetry_both_layouts, 0, 2);
  tcase_add_test(tc, pci_addresses_parse);
  suite_add_tcase(s, tc);
  return tpp_test_run(s);
}
