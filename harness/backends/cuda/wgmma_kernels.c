/* wgmma_kernels.c - descriptors, operands and host checks of the Hopper wgmma kernels
 * (kernels/cuda/wgmma.cu, sm_90a only).
 *
 * Operands (`in`): A (64 x K), -A (64 x K), B^T (256 x K), row-major codes, 32 bytes per row
 * (K = 16 for 16-bit types, 8 for tf32, 32 for 8-bit).  Values are small non-zero integers
 * exact in the type (±1, ±2; ±1 … ±4 for s8).  FP8 takes ±1, ±2 too, as its mma.sync kernels
 * do: with ±0.5 … ±2 the sums lay on a 0.25 grid and the wave's peak, 128 |A*B| <= 16384,
 * needed 16 significant bits where Hopper's FP8 accumulation keeps about 14, so some
 * elements failed the kernel's own check (tests/backends/cuda/test_cuda_ref.c simulates it).
 *
 * Output: per block, thread t (of 128) writes its 128 accumulators; register i holds
 *   row = 16 * (t / 32) + (t % 32) / 4 + 8 * ((i >> 1) & 1)
 *   col = 8 * (i / 4) + 2 * (t % 4) + (i & 1)
 * (the m64nNk* accumulator layout of the PTX ISA).  Each must equal 4 * t(iters) * (A*B),
 * t(n) the triangle wave of wgmma.cu (n mod 64, folded at 32), and thread 0's register 0
 * also holds floor(n / 64), the whole periods the kernel counted.  wg_verify refuses
 * operands whose largest value, 4 * 32 * max |A*B| in units of the finest product step,
 * needs more significant bits than the accumulator keeps (f32 24, FP8 14).  Every element
 * of every block is checked.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cuda/cuda_kernels.h"
#include "tpp/peakref.h"

#define WG_THREADS 128
#define WG_REGS 128
#define WG_SWITCH 32
#define WG_ROW_BYTES 32

enum wtype { W_F16, W_BF16, W_TF32, W_E4M3, W_E5M2, W_S8 };

static const struct {
  int bytes; /* per element */
  int n;
  uint32_t code[8];
  double value[8];
} types[] = {
    [W_F16] = {2, 4, {0x3c00, 0xbc00, 0x4000, 0xc000},                 {1, -1, 2, -2}              },
    [W_BF16] = {2, 4, {0x3f80, 0xbf80, 0x4000, 0xc000},                 {1, -1, 2, -2}              },
    [W_TF32] = {4, 4, {0x3f800000, 0xbf800000, 0x40000000, 0xc0000000}, {1, -1, 2, -2}              },
    [W_E4M3] = {1, 4, {0x38, 0xb8, 0x40, 0xc0},                         {1, -1, 2, -2}              },
    [W_E5M2] = {1, 4, {0x3c, 0xbc, 0x40, 0xc0},                         {1, -1, 2, -2}              },
    [W_S8] = {1, 8, {0x01, 0xff, 0x02, 0xfe, 0x03, 0xfd, 0x04, 0xfc}, {1, -1, 2, -2, 3, -3, 4, -4}},
};

static uint32_t
get(const unsigned char *p, int bytes)
{
  uint32_t v = 0;
  memcpy(&v, p, (size_t)bytes); /* little-endian */
  return v;
}

static double
value_of(enum wtype t, uint32_t code)
{
  for (int i = 0; i < types[t].n; i++)
    if (types[t].code[i] == code)
      return types[t].value[i];
  return NAN;
}

/* The code of -v: the sign bit for floats, two's complement for s8. */
static uint32_t
negate(enum wtype t, uint32_t code)
{
  switch (t) {
  case W_F16:
  case W_BF16:
    return code ^ 0x8000u;
  case W_TF32:
    return code ^ 0x80000000u;
  case W_S8:
    return (uint32_t)(-(int32_t)code) & 0xffu;
  default:
    return code ^ 0x80u;
  }
}

static void
wg_make(enum wtype t, void *in, size_t n, uint64_t seed)
{
  int e = types[t].bytes, k = WG_ROW_BYTES / e;
  unsigned char *p = in;
  memset(in, 0, n);
  for (int r = 0; r < 64 + 256; r++) {
    unsigned char *row = r < 64 ? p + (size_t)r * WG_ROW_BYTES
                                : p + (size_t)(64 + r) * WG_ROW_BYTES;
    for (int c = 0; c < k; c++) {
      uint64_t z = (seed += 0x9e3779b97f4a7c15ull);
      z = (z ^ (z >> 31)) * 0xbf58476d1ce4e5b9ull;
      uint32_t code = types[t].code[(z >> 33) % (uint64_t)types[t].n];
      memcpy(row + c * e, &code, (size_t)e);
      if (r < 64) { /* -A right after A */
        uint32_t neg = negate(t, code);
        memcpy(p + (size_t)(64 + r) * WG_ROW_BYTES + c * e, &neg, (size_t)e);
      }
    }
  }
}

static double
triangle(unsigned n)
{
  unsigned m = n % (2 * WG_SWITCH);
  return m <= WG_SWITCH ? m : 2 * WG_SWITCH - m;
}

/* Significant bits the accumulator keeps exactly. */
static int
acc_bits(enum wtype t)
{
  return t == W_E4M3 || t == W_E5M2 ? TPP_CUDA_FP8_ACC_BITS : 24; /* s32 wraps exactly */
}

/* The finest step of the values of a type (the largest power of two dividing them all). */
static double
value_unit(enum wtype t)
{
  double u = INFINITY;
  for (int i = 0; i < types[t].n; i++) {
    double v = fabs(types[t].value[i]), p = 1;
    while (v / p != floor(v / p))
      p /= 2;
    while (v / (2 * p) == floor(v / (2 * p)))
      p *= 2;
    u = fmin(u, p);
  }
  return u;
}

/* A*B (64 x 256) from the operands, and max |A*B|; -1 with why on a malformed buffer. */
static int
wg_product(enum wtype t, const char *name, const void *in, double ab[64][256], double *amax,
           char *why, size_t whylen)
{
  const unsigned char *p = in;
  int e = types[t].bytes, k = WG_ROW_BYTES / e;
  *amax = 0;
  for (int r = 0; r < 64; r++)
    for (int c = 0; c < 256; c++) {
      double s = 0;
      for (int kk = 0; kk < k; kk++) {
        double a = value_of(t, get(p + (size_t)r * WG_ROW_BYTES + kk * e, e));
        double nb = value_of(t, get(p + (size_t)(128 + c) * WG_ROW_BYTES + kk * e, e));
        double na = value_of(t, get(p + (size_t)(64 + r) * WG_ROW_BYTES + kk * e, e));
        if (isnan(a) || isnan(nb) || na != -a) {
          snprintf(why, whylen, "%s: operand buffer is not A, -A, B^T of the kernel's values",
                   name);
          return -1;
        }
        s += a * nb;
      }
      ab[r][c] = s;
      *amax = fmax(*amax, fabs(s));
    }
  return 0;
}

/* Expected register i of thread th (of any block) after n iterations. */
static double
wg_expect(enum wtype t, double ab[64][256], unsigned n, int th, int i)
{
  int row = 16 * (th / 32) + (th % 32) / 4 + 8 * ((i >> 1) & 1);
  int col = 8 * (i / 4) + 2 * (th % 4) + (i & 1);
  double want = 4 * triangle(n) * ab[row][col];
  if (th == 0 && i == 0)
    want += n / (2 * WG_SWITCH); /* whole periods, counted by the kernel */
  if (t == W_S8)
    want = (double)(int32_t)(uint32_t)(int64_t)want;
  return want;
}

static double (*wg_ab_alloc(void))[256]
{
  return malloc(sizeof(double[64][256]));
}

static int
wg_verify(enum wtype t, const char *name, const void *in, const void *out, size_t blocks,
          unsigned iters, char *why, size_t whylen)
{
  double(*ab)[256] = wg_ab_alloc(), amax, unit;
  int rc = -1;

  if (!ab) {
    snprintf(why, whylen, "%s: out of memory", name);
    return -1;
  }
  if (triangle(iters) == 0) {
    snprintf(why, whylen, "%s: %u iterations end the triangle wave at zero, which proves nothing",
             name, iters);
    goto out;
  }
  if (wg_product(t, name, in, ab, &amax, why, whylen) != 0)
    goto out;
  unit = value_unit(t) * value_unit(t);
  /* (thread 0 adds the period count after the loop, in f32: not the accumulator's concern) */
  if (!tpp_cuda_exact_in_bits(4 * WG_SWITCH * amax, unit, acc_bits(t))) {
    snprintf(why, whylen,
             "%s: the operands reach %.6g in steps of %g, more than the %d significant "
             "bits the accumulator keeps",
             name, 4 * WG_SWITCH * amax, unit, acc_bits(t));
    goto out;
  }
  for (size_t b = 0; b < blocks; b++)
    for (int th = 0; th < WG_THREADS; th++)
      for (int i = 0; i < WG_REGS; i++) {
        size_t at = (b * WG_THREADS + (size_t)th) * WG_REGS + (size_t)i;
        double got = t == W_S8 ? (double)((const int32_t *)out)[at] : ((const float *)out)[at];
        double want = wg_expect(t, ab, iters, th, i);
        if (got != want) {
          snprintf(why, whylen,
                   "%s: block %zu thread %d register %d (row %d, col %d): device %.9g, host %.9g",
                   name, b, th, i, 16 * (th / 32) + (th % 32) / 4 + 8 * ((i >> 1) & 1),
                   8 * (i / 4) + 2 * (th % 4) + (i & 1), got, want);
          goto out;
        }
      }
  rc = 0;
out:
  free(ab);
  return rc;
}

/* The reference: one block as the kernel writes it. */
static void
wg_reference(enum wtype t, const void *in, unsigned iters, void *out)
{
  double(*ab)[256] = wg_ab_alloc(), amax;
  char why[8];
  if (!ab || wg_product(t, "", in, ab, &amax, why, sizeof(why)) != 0) {
    memset(out, 0xff, WG_THREADS * WG_REGS * 4);
    free(ab);
    return;
  }
  for (int th = 0; th < WG_THREADS; th++)
    for (int i = 0; i < WG_REGS; i++) {
      double v = wg_expect(t, ab, iters, th, i);
      if (t == W_S8)
        ((int32_t *)out)[th * WG_REGS + i] = (int32_t)v;
      else
        ((float *)out)[th * WG_REGS + i] = (float)v;
    }
  free(ab);
}

#define WG_FUNCS(T, NAME)                                                                         \
  static void in_##NAME(void *in, size_t n, uint64_t seed)                                        \
  {                                                                                               \
    wg_make(T, in, n, seed);                                                                      \
  }                                                                                               \
  static int vf_##NAME(const void *in, const void *out, size_t blocks, unsigned iters, char *why, \
                       size_t whylen)                                                             \
  {                                                                                               \
    return wg_verify(T, #NAME, in, out, blocks, iters, why, whylen);                              \
  }                                                                                               \
  static void ref_##NAME(const void *in, unsigned iters, size_t unit, void *out)                  \
  {                                                                                               \
    (void)unit;                                                                                   \
    wg_reference(T, in, iters, out);                                                              \
  }
WG_FUNCS(W_F16, f16_f32acc)
WG_FUNCS(W_BF16, bf16_f32acc)
WG_FUNCS(W_TF32, tf32_f32acc)
WG_FUNCS(W_E4M3, e4m3_f32acc)
WG_FUNCS(W_E5M2, e5m2_f32acc)
WG_FUNCS(W_S8, s8_s32acc)

/* 4 wgmmas of 2*64*256*K per iteration; 8192 + 32 iterations (the wave at its top).  154
 * registers a thread (ptxas, CUDA 13.0): 3 blocks of 128 threads fit an SM's 64K registers,
 * which the grid gets from the driver's occupancy query. */
#define WG(NAME, PREC, VARIANT, K)                                                               \
  {                                                                                              \
    .symbol = "tpp_cuda_wgmma_" #NAME, .module = TPP_CUDA_MOD_WGMMA, .precision = PREC,          \
    .path = TPP_PATH_TENSOR, .variant = VARIANT, .min_cc = 90, .max_cc = 90,                     \
    .needs_arch_specific = 1, .threads_per_block = WG_THREADS, .blocks_per_sm = 1,               \
    .iters = 8192 + WG_SWITCH, .ops_per_block_per_iter = 4.0 * 2 * 64 * 256 * (K),               \
    .in_bytes = (64 + 64 + 256) * WG_ROW_BYTES, .out_bytes_per_block = WG_THREADS * WG_REGS * 4, \
    .make_input = in_##NAME, .verify = vf_##NAME, .reference = ref_##NAME                        \
  }

static const struct tpp_cuda_kernel wgmma[] = {
    WG(tf32_f32acc, TPP_TF32, "wgmma.m64n256k8.tf32.f32acc", 8),
    WG(f16_f32acc, TPP_FP16, "wgmma.m64n256k16.f16.f32acc", 16),
    WG(bf16_f32acc, TPP_BF16, "wgmma.m64n256k16.bf16.f32acc", 16),
    WG(e4m3_f32acc, TPP_FP8, "wgmma.m64n256k32.e4m3.f32acc", 32),
    WG(e5m2_f32acc, TPP_FP8, "wgmma.m64n256k32.e5m2.f32acc", 32),
    WG(s8_s32acc, TPP_INT8, "wgmma.m64n256k32.s8", 32),
};

const struct tpp_cuda_kernel *const *
tpp_cuda_wgmma_kernels(void)
{
  static const struct tpp_cuda_kernel *const list[] = {&wgmma[0], &wgmma[1], &wgmma[2], &wgmma[3],
                                                       &wgmma[4], &wgmma[5], NULL};
  return list;
}
