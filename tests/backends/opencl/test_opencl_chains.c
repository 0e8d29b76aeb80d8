/* test_opencl_chains.c - every proof-of-work chain of kernels/opencl/peak.cl keeps changing
 * to its last step, simulated on the host with the device's arithmetic (fmaf, fma,
 * integers wrapping at the type's width) for the real step counts of the shapes the backend
 * runs (tpp_cl_peak_variant: iters x unroll steps a launch).
 *
 * The property: no state of a chain repeats within a launch's steps, so a launch short by
 * any number of steps ends in another state, which the host check sees (a stall is a repeat
 * at distance 1, a short cycle one at its period).  Checked for every start value the kernel
 * can give a chain: floating point (key & 1023) / 1024 + 0.5, all 1024 of them; integers
 * key + 1 truncated to the width, all 2^8 and 2^16 of them (the whole cycle structure of the
 * map), and 4096 spread over 2^32.
 *
 * The constants the kernel used before (floating point a = 1 - 2^-12, b = 2^-12, whose
 * chain from exactly 1.0 never moves, and an 8-bit LCG of period 256 run for 2048 steps)
 * are simulated too and must fail. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "opencl/cl_internal.h"
#include "testutil.h"

struct chain {
  const char *name;
  enum tpp_cl_scalar kind;
  uint64_t steps;
  double a, b;
};

static int
cmp_double(const void *x, const void *y)
{
  double a = *(const double *)x, b = *(const double *)y;
  return (a > b) - (a < b);
}

/* Floating point: each of the 1024 starts, its steps + 1 states all distinct.  0, or -1
 * with why. */
static int
float_chains_move(const struct chain *c, char *why, size_t len)
{
  double *seen = malloc((c->steps + 1) * sizeof(*seen));
  int rc = 0;
  ck_assert_ptr_nonnull(seen);
  for (uint32_t k = 0; k < 1024 && rc == 0; k++) {
    double x = (double)k / 1024.0 + 0.5;
    if (c->kind == TPP_CL_F32)
      x = (float)x;
    seen[0] = x;
    for (uint64_t s = 1; s <= c->steps; s++) {
      x = c->kind == TPP_CL_F32 ? (double)fmaf((float)x, (float)c->a, (float)c->b)
                                : fma(x, c->a, c->b);
      seen[s] = x;
    }
    qsort(seen, c->steps + 1, sizeof(*seen), cmp_double);
    for (uint64_t s = 1; s <= c->steps && rc == 0; s++)
      if (seen[s] == seen[s - 1]) {
        snprintf(why, len, "%s: the chain from %.10g holds %.17g twice in %llu steps", c->name,
                 (double)k / 1024 + 0.5, seen[s], (unsigned long long)c->steps);
        rc = -1;
      }
  }
  free(seen);
  return rc;
}

/* Integers of `bits` <= 16: the map x -> x*a + b (mod 2^bits) on every state; every state
 * must lie on a cycle (the map is a bijection) longer than the steps. */
static int
narrow_int_chains_move(const struct chain *c, int bits, char *why, size_t len)
{
  uint32_t n = 1u << bits, mask = n - 1, a = (uint32_t)c->a, b = (uint32_t)c->b;
  for (uint32_t x0 = 0; x0 < n; x0++) {
    uint32_t x = x0;
    uint64_t period = 0;
    do {
      x = (x * a + b) & mask;
      period++;
    } while (x != x0 && period <= c->steps);
    if (period <= c->steps) {
      snprintf(why, len, "%s: the chain from %u repeats after %llu of its %llu steps", c->name, x0,
               (unsigned long long)period, (unsigned long long)c->steps);
      return -1;
    }
  }
  return 0;
}

static int
cmp_u32(const void *x, const void *y)
{
  uint32_t a = *(const uint32_t *)x, b = *(const uint32_t *)y;
  return (a > b) - (a < b);
}

static int
wide_int_chains_move(const struct chain *c, char *why, size_t len)
{
  uint32_t *seen = malloc((c->steps + 1) * sizeof(*seen)), a = (uint32_t)c->a, b = (uint32_t)c->b;
  int rc = 0;
  ck_assert_ptr_nonnull(seen);
  for (uint32_t k = 0; k < 4096 && rc == 0; k++) {
    uint32_t x = k * 1048573u + 1u;
    seen[0] = x;
    for (uint64_t s = 1; s <= c->steps; s++)
      seen[s] = x = x * a + b;
    qsort(seen, c->steps + 1, sizeof(*seen), cmp_u32);
    for (uint64_t s = 1; s <= c->steps && rc == 0; s++)
      if (seen[s] == seen[s - 1]) {
        snprintf(why, len, "%s: a chain holds %u twice in %llu steps", c->name, seen[s],
                 (unsigned long long)c->steps);
        rc = -1;
      }
  }
  free(seen);
  return rc;
}

static int
chains_move(const struct chain *c, char *why, size_t len)
{
  switch (c->kind) {
  case TPP_CL_F64:
  case TPP_CL_F32:
    return float_chains_move(c, why, len);
  case TPP_CL_U8:
    return narrow_int_chains_move(c, 8, why, len);
  case TPP_CL_U16:
    return narrow_int_chains_move(c, 16, why, len);
  case TPP_CL_U32:
    return wide_int_chains_move(c, why, len);
  }
  return -1;
}

/* The shapes the backend runs, read from its own table. */
START_TEST(every_chain_moves_to_its_last_step)
{
  int measured = 0;
  for (int p = 0; p < TPP_PRECISION_COUNT; p++) {
    const struct tpp_cl_peak_variant *v = tpp_cl_peak_variant((enum tpp_precision)p);
    struct chain c;
    char why[256] = "";
    if (!v)
      continue;
    c = (struct chain){tpp_precision_name((enum tpp_precision)p), v->kind,
                       (uint64_t)v->iters * (uint64_t)v->unroll, v->a, v->b};
    ck_assert_msg(chains_move(&c, why, sizeof(why)) == 0, "%s", why);
    printf("%-6s %-6s %6llu steps a launch: every chain moves to its last step\n", c.name,
           v->scalar, (unsigned long long)c.steps);
    measured++;
  }
  ck_assert_int_eq(measured, 5); /* fp64 fp32 int32 int16 int8 */
}
END_TEST

/* The checker catches the constants the kernel had before. */
START_TEST(the_old_chains_fail)
{
  static const struct chain old[] = {
      {"fp32 (a = 1 - 2^-12, b = 2^-12)", TPP_CL_F32, 2048, 0.999755859375, 0.000244140625},
      {"fp64 (a = 1 - 2^-12, b = 2^-12)", TPP_CL_F64, 2048, 0.999755859375, 0.000244140625},
      {"int8 (37, 91: period 256)",       TPP_CL_U8,  2048, 37,             91            },
  };
  for (size_t i = 0; i < sizeof(old) / sizeof(old[0]); i++) {
    char why[256] = "";
    ck_assert_msg(chains_move(&old[i], why, sizeof(why)) != 0, "%s passes", old[i].name);
    printf("old %s: %s\n", old[i].name, why);
  }
}
END_TEST

int
main(void)
{
  Suite *s = suite_create("opencl_chains");
  TCase *tc = tcase_create("core");
  tcase_set_timeout(tc, 120);
  tcase_add_test(tc, every_chain_moves_to_its_last_step);
  tcase_add_test(tc, the_old_chains_fail);
  suite_add_tcase(s, tc);
  return tpp_test_run(s);
}
