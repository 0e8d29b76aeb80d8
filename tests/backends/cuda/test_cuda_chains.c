/* test_cuda_chains.c - every proof-of-work chain of the CUDA kernels keeps changing to its
 * last iteration, simulated on the host with the device's arithmetic (fmaf, fma, wrapping
 * integers, half and bfloat16 rounded to nearest even) for the real iteration counts.
 *
 * Two properties, for every type:
 *   - no chain is periodic (a stall is period 1) with a period of at most 1% of the
 *     iterations over the last 1% of them: a launch short by a multiple of the period
 *     would give the same chain;
 *   - the thread's output after n iterations differs from its output after n - k for
 *     every k up to 1% of n (what the host check compares).
 * The chains the kernels used before (FFMA stalling at 1, DP4A and HFMA2 on short cycles,
 * triangle waves blind to whole periods, an IMAD multiplier allowed a period of 2) are
 * simulated too and must fail.  Each new chain's simulation is first matched against the
 * descriptor's own host reference, so the test simulates what the check expects. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cuda/cuda_kernels.h"
#include "testutil.h"
#include "tpp/peakref.h"

#define CHAINS 16
#define THREADS 4 /* threads simulated per type (one with a chain starting at 1.0) */

enum kind { K_F32, K_F64, K_U32, K_DP4A, K_F16, K_BF16 };

struct chain_cfg {
  enum kind kind;
  _Alignas(8) unsigned char in[16]; /* the kernel's operands */
  int old_dp4a;                     /* DP4A: fixed addend (the old kernel) */
  int fixed_h2;                     /* HFMA2: one constant for all steps (the old kernel) */
  uint16_t h2_c[2];                 /* ... its codes */
};

/* One step of chain state x (held as double: every type's values are exact in it). */
static double
step(const struct chain_cfg *cf, int lane, unsigned s, double x)
{
  switch (cf->kind) {
  case K_F32: {
    const float *ab = (const float *)cf->in;
    return fmaf((float)x, ab[0], ab[1]);
  }
  case K_F64: {
    const double *ab = (const double *)cf->in;
    return fma(x, ab[0], ab[1]);
  }
  case K_U32: {
    const uint32_t *ab = (const uint32_t *)cf->in;
    return (uint32_t)((uint32_t)x * ab[0] + ab[1]);
  }
  case K_DP4A: {
    const uint32_t *bc = (const uint32_t *)cf->in;
    int32_t v = (int32_t)(uint32_t)(int64_t)x,
            sum = (int32_t)(cf->old_dp4a ? bc[1] : bc[1] + s * 0x10001u);
    for (int i = 0; i < 4; i++)
      sum += (int32_t)(int8_t)((uint32_t)v >> (8 * i)) * (int32_t)(int8_t)(bc[0] >> (8 * i));
    return (double)(uint32_t)sum;
  }
  default: {
    int bf = cf->kind == K_BF16;
    uint16_t code = cf->fixed_h2 ? cf->h2_c[lane] : tpp_cuda_h2_constant(cf->in, lane, s);
    double c = bf ? tpp_bf16_to_float(code) : tpp_half_to_float(code);
    double y = fma(x, x, c);
    return bf ? tpp_bf16_to_float(tpp_float_to_bf16(y)) : tpp_half_to_float(tpp_float_to_half(y));
  }
  }
}

static double
start(const struct chain_cfg *cf, uint32_t g, int c, int lane)
{
  uint32_t k = tpp_peakref_key(g, (uint32_t)c, 0) + 5u * (uint32_t)lane;
  switch (cf->kind) {
  case K_F32:
  case K_F64:
    return (double)(k & 1023u) / 1024.0 + 0.5;
  case K_U32:
  case K_DP4A:
    return (double)(uint32_t)(k + 1u);
  case K_F16:
    return tpp_half_to_float(tpp_float_to_half((double)(k & 1023u) / 1024.0 + 0.5));
  default:
    return tpp_bf16_to_float(tpp_float_to_bf16((double)(k & 127u) / 128.0 + 0.5));
  }
}

/* The thread's output from its chains' values (the kernel's left-to-right sum). */
static double
output(const struct chain_cfg *cf, const double *x)
{
  double r = x[0];
  for (int c = 1; c < CHAINS; c++)
    switch (cf->kind) {
    case K_F32:
      r = (float)((float)r + (float)x[c]);
      break;
    case K_F64:
      r = r + x[c];
      break;
    case K_U32:
    case K_DP4A:
      r = (uint32_t)((uint32_t)r + (uint32_t)x[c]);
      break;
    case K_F16:
      r = tpp_half_to_float(tpp_float_to_half(r + x[c]));
      break;
    default:
      r = tpp_bf16_to_float(tpp_float_to_bf16(r + x[c]));
      break;
    }
  return r;
}

/* Simulate `threads` for n steps, lanes 0 and 1 for half types; 0 when both properties
 * hold, else 1 with what failed in why.  The outputs compared are all the simulated
 * threads' (and lanes'), as the host check compares its sampled threads. */
static int
simulate(const struct chain_cfg *cf, unsigned n, const uint32_t *gs, int threads, char *why,
         size_t len)
{
  unsigned w = n / 100;
  int lanes = cf->kind == K_F16 || cf->kind == K_BF16 ? 2 : 1, bad = 0, outs = 0;
  double *hist = malloc(sizeof(double) * CHAINS * (w + 1)); /* the last w + 1 values */
  double *out = malloc(sizeof(double) * (w + 1) * (size_t)(threads * lanes));
  for (int t = 0; t < threads && !bad; t++)
    for (int l = 0; l < lanes && !bad; l++, outs++) {
      double x[CHAINS];
      for (int c = 0; c < CHAINS; c++)
        x[c] = start(cf, gs[t], c, l);
      for (unsigned s = 0; s < n; s++) {
        for (int c = 0; c < CHAINS; c++)
          x[c] = step(cf, l, s, x[c]);
        if (s + 1 + w >= n) /* keep steps n - w .. n */
          memcpy(hist + (size_t)(s + 1 + w - n) * CHAINS, x, sizeof(x));
      }
      /* a chain periodic with period p <= w over the last w steps (a stall is p = 1) */
      for (int c = 0; c < CHAINS && !bad; c++)
        for (unsigned p = 1; p <= w && !bad; p++) {
          unsigned i = p;
          while (i <= w && hist[(size_t)i * CHAINS + c] == hist[(size_t)(i - p) * CHAINS + c])
            i++;
          if (i > w) {
            snprintf(why, len,
                     "thread %u lane %d chain %d repeats with period %u over the last %u "
                     "of %u steps",
                     gs[t], l, c, p, w, n);
            bad = 1;
          }
        }
      for (unsigned i = 0; i <= w; i++)
        out[(size_t)outs * (w + 1) + i] = output(cf, hist + (size_t)i * CHAINS);
    }
  /* n - k steps must give some different output, for every k up to w */
  for (unsigned k = 1; k <= w && !bad; k++) {
    int differs = 0;
    for (int o = 0; o < outs && !differs; o++)
      differs = out[(size_t)o * (w + 1) + w - k] != out[(size_t)o * (w + 1) + w];
    if (!differs) {
      snprintf(why, len, "the outputs after %u steps equal those after %u", n, n - k);
      bad = 1;
    }
  }
  free(hist);
  free(out);
  return bad;
}

static const struct tpp_cuda_kernel *
kernel(const char *symbol)
{
  const struct tpp_cuda_kernel *const *k = tpp_cuda_kernels();
  for (size_t i = 0; k[i]; i++)
    if (strcmp(k[i]->symbol, symbol) == 0)
      return k[i];
  ck_abort_msg("no descriptor %s", symbol);
  return NULL;
}

/* Threads 0, 1, 1000 and one whose chain 0 starts at exactly 1.0 (key & 1023 == 512). */
static void
threads(uint32_t *gs)
{
  gs[0] = 0;
  gs[1] = 1;
  gs[2] = 1000;
  for (uint32_t g = 0; g < 1024; g++)
    if ((tpp_peakref_key(g, 0, 0) & 1023u) == 512) {
      gs[3] = g;
      break;
    }
}

static const struct {
  const char *symbol;
  enum kind kind;
} simt[] = {
    {"tpp_cuda_ffma",       K_F32 },
    {"tpp_cuda_dfma",       K_F64 },
    {"tpp_cuda_imad",       K_U32 },
    {"tpp_cuda_dp4a",       K_DP4A},
    {"tpp_cuda_hfma2",      K_F16 },
    {"tpp_cuda_hfma2_bf16", K_BF16},
};

START_TEST(new_chains_keep_changing)
{
  const struct tpp_cuda_kernel *k = kernel(simt[_i].symbol);
  struct chain_cfg cf = {.kind = simt[_i].kind};
  uint32_t gs[THREADS];
  char why[256] = "";
  threads(gs);
  k->make_input(cf.in, k->in_bytes, 0x7470706265ull); /* the operands the backend uses */
  /* The simulation is the kernel the host check expects (its reference), at a short count. */
  for (int t = 0; t < THREADS; t++) {
    unsigned char ref[8], sim[8] = {0};
    double x[2][CHAINS];
    int lanes = cf.kind == K_F16 || cf.kind == K_BF16 ? 2 : 1;
    for (int l = 0; l < lanes; l++) {
      for (int c = 0; c < CHAINS; c++) {
        x[l][c] = start(&cf, gs[t], c, l);
        for (unsigned s = 0; s < 100; s++)
          x[l][c] = step(&cf, l, s, x[l][c]);
      }
      double o = output(&cf, x[l]);
      if (cf.kind == K_F32) {
        float f = (float)o;
        memcpy(sim, &f, 4);
      } else if (cf.kind == K_F64)
        memcpy(sim, &o, 8);
      else if (cf.kind == K_U32 || cf.kind == K_DP4A) {
        uint32_t u = (uint32_t)o;
        memcpy(sim, &u, 4);
      } else {
        uint16_t h = cf.kind == K_F16 ? tpp_float_to_half(o) : tpp_float_to_bf16(o);
        memcpy(sim + 2 * l, &h, 2);
      }
    }
    k->reference(cf.in, 100, gs[t], ref);
    ck_assert_msg(memcmp(ref, sim, k->out_bytes_per_block / k->threads_per_block) == 0,
                  "%s: the simulation is not the kernel's reference (thread %u)", k->symbol, gs[t]);
  }
  ck_assert_msg(simulate(&cf, k->iters, gs, THREADS, why, sizeof(why)) == 0, "%s (%u steps): %s",
                k->symbol, k->iters, why);
}
END_TEST

/* The chains of the kernels before this test existed: each must fail. */
START_TEST(old_chains_stop_moving)
{
  uint32_t gs[THREADS];
  char why[256];
  threads(gs);
  {
    struct chain_cfg cf = {.kind = K_F32};
    float ab[2] = {0.999755859375f, 0.000244140625f}; /* 1 - 2^-12, 2^-12: stalls at 1 */
    memcpy(cf.in, ab, sizeof(ab));
    ck_assert_int_ne(simulate(&cf, 131072, gs, 1, why, sizeof(why)), 0);
  }
  {
    struct chain_cfg cf = {.kind = K_F64};
    double ab[2] = {0.999755859375, 0.000244140625}; /* a chain starting at 1.0 never moves */
    memcpy(cf.in, ab, sizeof(ab));
    ck_assert_int_ne(simulate(&cf, 65536, gs + 3, 1, why, sizeof(why)), 0);
  }
  {
    struct chain_cfg cf = {.kind = K_U32};
    uint32_t ab[2] = {0xffffffffu, 0x12345679u}; /* odd, as the old rule asked: period 2 */
    memcpy(cf.in, ab, sizeof(ab));
    ck_assert_int_ne(simulate(&cf, 65536, gs, 1, why, sizeof(why)), 0);
  }
  {
    const struct tpp_cuda_kernel *k = kernel("tpp_cuda_dp4a");
    struct chain_cfg cf = {.kind = K_DP4A, .old_dp4a = 1};
    k->make_input(cf.in, k->in_bytes, 0x7470706265ull);
    ck_assert_int_ne(simulate(&cf, 65536, gs, 1, why, sizeof(why)), 0);
  }
  for (int bf = 0; bf < 2; bf++) {
    /* one constant per half in [-1.9, -1.7), as the old kernels drew it */
    struct chain_cfg cf = {.kind = bf ? K_BF16 : K_F16, .fixed_h2 = 1};
    cf.h2_c[0] = bf ? tpp_float_to_bf16(-1.8125) : tpp_float_to_half(-1.8125);
    cf.h2_c[1] = bf ? tpp_float_to_bf16(-1.75) : tpp_float_to_half(-1.7509765625);
    ck_assert_int_ne(simulate(&cf, 131072, gs, 1, why, sizeof(why)), 0);
  }
}
END_TEST

/* Tensor chains: one accumulator element over the kernel's iterations.  mma f32/s32/f64
 * accumulators grow linearly; triangle-wave kernels (f16 accumulate, FP8, every wgmma)
 * count whole periods.  Output after n vs n - k for k up to 1% of n, and n vs n +- 64. */
static double
wave_output(unsigned n, double ab, int counts_periods)
{
  double d = 0;
  int sign = 1;
  for (unsigned i = 0; i < n; i++) {
    d += sign * 4 * ab; /* 4 sets (mma) or 4 wgmmas (wgmma) a step */
    if ((i + 1) % 32 == 0)
      sign = -sign;
  }
  return d + (counts_periods ? n / 64 : 0);
}

START_TEST(tensor_chains_keep_changing)
{
  const struct tpp_cuda_kernel *const *ks = tpp_cuda_kernels();
  for (size_t i = 0; ks[i]; i++) {
    const struct tpp_cuda_kernel *k = ks[i];
    unsigned n = k->iters, w = n / 100;
    int wave = k->module == TPP_CUDA_MOD_WGMMA || strstr(k->variant, "f16acc") ||
               strstr(k->variant, "qmma");
    if (k->path != TPP_PATH_TENSOR)
      continue;
    if (!wave) { /* D += A*B every step: n A*B, distinct for distinct n (A*B != 0) */
      for (unsigned kk = 1; kk <= w; kk++)
        ck_assert(4.0 * n * 7 != 4.0 * (n - kk) * 7);
      continue;
    }
    {
      double out_n = wave_output(n, 7, 1);
      for (unsigned kk = 1; kk <= w; kk++)
        ck_assert_msg(wave_output(n - kk, 7, 1) != out_n,
                      "%s: n = %u and n - %u give the same output", k->symbol, n, kk);
      ck_assert_msg(wave_output(n + 64, 7, 1) != out_n && wave_output(n - 64, 7, 1) != out_n,
                    "%s: a whole period of the wave goes unseen", k->symbol);
      /* without the period count (the old kernels) it does go unseen */
      ck_assert(wave_output(n - 64, 7, 0) == wave_output(n, 7, 0));
    }
  }
}
END_TEST

/* The host checks see it too: the reference output of n and n + 64 iterations differ. */
START_TEST(wave_checks_see_whole_periods)
{
  static const char *const syms[] = {"tpp_cuda_hmma_f16_f16acc", "tpp_cuda_wgmma_f16_f32acc"};
  for (size_t i = 0; i < sizeof(syms) / sizeof(syms[0]); i++) {
    const struct tpp_cuda_kernel *k = kernel(syms[i]);
    unsigned char *in = malloc(k->in_bytes);
    void *a = malloc(k->out_bytes_per_block), *b = malloc(k->out_bytes_per_block);
    char why[256];
    k->make_input(in, k->in_bytes, 3);
    k->reference(in, k->iters, 0, a);
    k->reference(in, k->iters + 64, 0, b);
    ck_assert_msg(memcmp(a, b, k->out_bytes_per_block) != 0, "%s", k->symbol);
    /* and the check refuses the n + 64 output for n */
    ck_assert_int_ne(k->verify(in, b, 1, k->iters, why, sizeof(why)), 0);
    ck_assert_int_eq(k->verify(in, a, 1, k->iters, why, sizeof(why)), 0);
    free(in);
    free(a);
    free(b);
  }
}
END_TEST

int
main(void)
{
  Suite *s = suite_create("cuda_chains");
  TCase *tc = tcase_create("core");
  tcase_set_timeout(tc, 300);
  tcase_add_loop_test(tc, new_chains_keep_changing, 0, (int)(sizeof(simt) / sizeof(simt[0])));
  tcase_add_test(tc, old_chains_stop_moving);
  tcase_add_test(tc, tensor_chains_keep_changing);
  tcase_add_test(tc, wave_checks_see_whole_periods);
  suite_add_tcase(s, tc);
  return tpp_test_run(s);
}
