/* wgmma_kernels.c - descriptors, operands and host checks of the Hopper wgmma kernels
 * (kernels/cuda/wgmma.cu, sm_90a only).
 *
 * Operands (`in`): A (64 x K), -A (64 x K), B^T (256 x K), row-major codes, 32 bytes per row
 * (K = 16 for 16-bit types, 8 for tf32, 32 for 8-bit).  Values are small non-zero numbers
 * exact in the type (±1, ±2; ±0.5 … ±2 for fp8; ±1 … ±4 for s8).
 *
 * Output: per block, thread t (of 128) writes its 128 accumulators; register i holds
 *   row = 16 * (t / 32) + (t % 32) / 4 + 8 * ((i >> 1) & 1)
 *   col = 8 * (i / 4) + 2 * (t % 4) + (i & 1)
 * (the m64nNk* accumulator layout of the PTX ISA).  Each must equal 4 * t(iters) * (A*B),
 * t(n) the triangle wave of wgmma.cu (n mod 64, folded at 32): at most 128 * 512, exact in
 * every accumulator type.  Every element of every block is checked.
 */
#include <math.h>
#include <stdio.h>
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
    [W_F16] = {2, 4, {0x3c00, 0xbc00, 0x4000, 0xc000}, {1, -1, 2, -2}},
    [W_BF16] = {2, 4, {0x3f80, 0xbf80, 0x4000, 0xc000}, {1, -1, 2, -2}},
    [W_TF32] = {4, 4, {0x3f800000, 0xbf800000, 0x40000000, 0xc0000000}, {1, -1, 2, -2}},
    [W_E4M3] = {1, 8, {0x30, 0xb0, 0x38, 0xb8, 0x3c, 0xbc, 0x40, 0xc0}, {0.5, -0.5, 1, -1, 1.5, -1.5, 2, -2}},
    [W_E5M2] = {1, 8, {0x38, 0xb8, 0x3c, 0xbc, 0x3e, 0xbe, 0x40, 0xc0}, {0.5, -0.5, 1, -1, 1.5, -1.5, 2, -2}},
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
    unsigned char *row = r < 64 ? p + (size_t)r * WG_ROW_BYTES : p + (size_t)(64 + r) * WG_ROW_BYTES;
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

static int
wg_verify(enum wtype t, const char *name, const void *in, const void *out, size_t blocks,
          unsigned iters, char *why, size_t whylen)
{
  const unsigned char *p = in;
  int e = types[t].bytes, k = WG_ROW_BYTES / e;
  double ab[64][256], factor = 4 * triangle(iters);

  if (factor == 0) {
    snprintf(why, whylen, "%s: %u iterations end the triangle wave at zero, which proves nothing", name, iters);
    return -1;
  }
  for (int r = 0; r < 64; r++)
    for (int c = 0; c < 256; c++) {
      double s = 0;
      for (int kk = 0; kk < k; kk++) {
        double a = value_of(t, get(p + (size_t)r * WG_ROW_BYTES + kk * e, e));
        double nb = value_of(t, get(p + (size_t)(128 + c) * WG_ROW_BYTES + kk * e, e));
        double na = value_of(t, get(p + (size_t)(64 + r) * WG_ROW_BYTES + kk * e, e));
        if (isnan(a) || isnan(nb) || na != -a) {
          snprintf(why, whylen, "%s: operand buffer is not A, -A, B^T of the kernel's values", name);
          return -1;
        }
        s += a * nb;
      }
      ab[r][c] = s;
    }
  for (size_t b = 0; b < blocks; b++)
    for (int th = 0; th < WG_THREADS; th++)
      for (int i = 0; i < WG_REGS; i++) {
        int row = 16 * (th / 32) + (th % 32) / 4 + 8 * ((i >> 1) & 1);
        int col = 8 * (i / 4) + 2 * (th % 4) + (i & 1);
        size_t at = (b * WG_THREADS + (size_t)th) * WG_REGS + (size_t)i;
        double got = t == W_S8 ? (double)((const int32_t *)out)[at] : ((const float *)out)[at];
        double want = factor * ab[row][col];
        if (got != want) {
          snprintf(why, whylen, "%s: block %zu thread %d register %d (row %d, col %d): device %.9g, host %.9g",
                   name, b, th, i, row, col, got, want);
          return -1;
        }
      }
  return 0;
}

#define WG_FUNCS(T, NAME)                                                                   \
  static void in_##NAME(void *in, size_t n, uint64_t seed) { wg_make(T, in, n, seed); }    \
  static int vf_##NAME(const void *in, const void *out, size_t blocks, unsigned iters,    \
                       char *why, size_t whylen)                                           \
  {                                                                                        \
    return wg_verify(T, #NAME, in, out, blocks, iters, why, whylen);                       \
  }
WG_FUNCS(W_F16, f16_f32acc)
WG_FUNCS(W_BF16, bf16_f32acc)
WG_FUNCS(W_TF32, tf32_f32acc)
WG_FUNCS(W_E4M3, e4m3_f32acc)
WG_FUNCS(W_E5M2, e5m2_f32acc)
WG_FUNCS(W_S8, s8_s32acc)

/* 4 wgmmas of 2*64*256*K per iteration; 8192 + 32 iterations (the wave at its top). */
#define WG(NAME, PREC, VARIANT, K)                                                            \
  {.symbol = "tpp_cuda_wgmma_" #NAME, .module = TPP_CUDA_MOD_WGMMA, .precision = PREC,      \
   .path = TPP_PATH_TENSOR, .variant = VARIANT, .min_cc = 90, .max_cc = 90,                 \
   .needs_arch_specific = 1, .threads_per_block = WG_THREADS, .blocks_per_sm = 2,           \
   .iters = 8192 + WG_SWITCH, .ops_per_block_per_iter = 4.0 * 2 * 64 * 256 * (K),            \
   .in_bytes = (64 + 64 + 256) * WG_ROW_BYTES, .out_bytes_per_block = WG_THREADS * WG_REGS * 4, \
   .make_input = in_##NAME, .verify = vf_##NAME}

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
