/* test_cuda_ref.c - the CUDA kernels' host checks, without a GPU: for every descriptor, an
 * output computed independently is accepted, and one wrong element or one missing
 * iteration is rejected.
 *
 * mma kernels: the test draws A and B as matrices, writes them into fragments through the
 * inverse of the PTX layout (matrix position -> lane, register, element), computes D from
 * the matrices and lays it out the same way; the product decodes fragments the other way
 * round, so a layout mistake on either side fails here. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cuda/cuda_kernels.h"
#include "testutil.h"
#include "tpp/jsonread.h"
#include "tpp/metrics.h"
#include "tpp/peakref.h"

#define SETS 4
#define WARPS 8
#define THREADS 256
#define CHAINS 16

static const struct tpp_cuda_kernel *
kernel(const char *symbol, int cc)
{
  const struct tpp_cuda_kernel *const *k = tpp_cuda_kernels();
  for (size_t i = 0; k[i]; i++)
    if (strcmp(k[i]->symbol, symbol) == 0 && cc >= k[i]->min_cc &&
        (k[i]->max_cc == 0 || cc <= k[i]->max_cc))
      return k[i];
  ck_abort_msg("no descriptor %s for sm_%d", symbol, cc);
  return NULL;
}

/* --- CUDA-core kernels: outputs computed by straight loops ------------------------------ */

static void
simt_expected(const char *sym, const void *in, unsigned iters, void *out)
{
  for (uint32_t g = 0; g < THREADS; g++) {
    if (strcmp(sym, "tpp_cuda_ffma") == 0) {
      const float *ab = in;
      float r = 0;
      for (uint32_t c = 0; c < CHAINS; c++) {
        float x = (float)((g * 131u + c * 17u) & 1023u) / 1024.0f + 0.5f;
        for (unsigned i = 0; i < iters; i++)
          x = fmaf(x, ab[0], ab[1]);
        r = c ? r + x : x;
      }
      ((float *)out)[g] = r;
    } else if (strcmp(sym, "tpp_cuda_dfma") == 0) {
      const double *ab = in;
      double r = 0;
      for (uint32_t c = 0; c < CHAINS; c++) {
        double x = (double)((g * 131u + c * 17u) & 1023u) / 1024.0 + 0.5;
        for (unsigned i = 0; i < iters; i++)
          x = fma(x, ab[0], ab[1]);
        r = c ? r + x : x;
      }
      ((double *)out)[g] = r;
    } else if (strcmp(sym, "tpp_cuda_imad") == 0) {
      const uint32_t *ab = in;
      uint32_t r = 0;
      for (uint32_t c = 0; c < CHAINS; c++) {
        uint32_t x = g * 131u + c * 17u + 1u;
        for (unsigned i = 0; i < iters; i++)
          x = x * ab[0] + ab[1];
        r += x;
      }
      ((uint32_t *)out)[g] = r;
    } else if (strcmp(sym, "tpp_cuda_dp4a") == 0) {
      const uint32_t *bc = in;
      uint32_t r = 0;
      for (uint32_t c = 0; c < CHAINS; c++) {
        int32_t x = (int32_t)(g * 131u + c * 17u + 1u);
        for (unsigned i = 0; i < iters; i++) {
          int32_t s = (int32_t)(bc[1] + i * 0x10001u); /* the addend moves every step */
          for (int b = 0; b < 4; b++)
            s += (int8_t)(x >> (8 * b)) * (int8_t)(bc[0] >> (8 * b));
          x = s;
        }
        r += (uint32_t)x;
      }
      ((uint32_t *)out)[g] = r;
    } else { /* hfma2, hfma2_bf16: two halves per thread, x = fma(x, x, c_t), c_t's bits
              * base + (((step / 32) * 0x9E3779B9) >> shift) * inc per half */
      int bf = strstr(sym, "bf16") != NULL;
      const uint32_t *bi = in;
      for (int l = 0; l < 2; l++) {
        float r = 0;
        for (uint32_t c = 0; c < CHAINS; c++) {
          uint32_t k = g * 131u + c * 17u + 5u * (uint32_t)l;
          float x = bf ? (float)(k & 127u) / 128.0f + 0.5f : (float)(k & 1023u) / 1024.0f + 0.5f;
          for (unsigned i = 0; i < iters; i++) {
            uint16_t code = (uint16_t)((bi[0] + (((i / 32) * 0x9E3779B9u) >> bi[2]) * bi[1]) >>
                                       (16 * l));
            double c0 = bf ? tpp_bf16_to_float(code) : tpp_half_to_float(code);
            double y = (double)x * x + c0; /* exact in double */
            x = bf ? tpp_bf16_to_float(tpp_float_to_bf16(y))
                   : tpp_half_to_float(tpp_float_to_half(y));
          }
          r = c ? r + x : x;
          r = bf ? tpp_bf16_to_float(tpp_float_to_bf16(r))
                 : tpp_half_to_float(tpp_float_to_half(r));
        }
        ((uint16_t *)out)[2 * g + (uint32_t)l] = bf ? tpp_float_to_bf16(r) : tpp_float_to_half(r);
      }
    }
  }
}

static const char *const simt_kernels[] = {"tpp_cuda_ffma",  "tpp_cuda_dfma",
                                           "tpp_cuda_imad",  "tpp_cuda_dp4a",
                                           "tpp_cuda_hfma2", "tpp_cuda_hfma2_bf16"};

START_TEST(simt_checks_accept_right_and_reject_wrong)
{
  const struct tpp_cuda_kernel *k = kernel(simt_kernels[_i], 90);
  unsigned iters = 77; /* three trips of the HFMA2 constant */
  _Alignas(8) unsigned char in[64];
  char why[256];
  void *out = calloc(1, k->out_bytes_per_block), *short_out = calloc(1, k->out_bytes_per_block);
  ck_assert_uint_le(k->in_bytes, sizeof(in));
  k->make_input(in, k->in_bytes, 1234);
  simt_expected(k->symbol, in, iters, out);
  ck_assert_msg(k->verify(in, out, 1, iters, why, sizeof(why)) == 0, "%s: %s", k->symbol, why);
  simt_expected(k->symbol, in, iters - 1, short_out); /* one step missing */
  ck_assert_int_ne(k->verify(in, short_out, 1, iters, why, sizeof(why)), 0);
  ((unsigned char *)out)[k->out_bytes_per_block - 1] ^= 0x10; /* the last thread is sampled */
  ck_assert_int_ne(k->verify(in, out, 1, iters, why, sizeof(why)), 0);
  free(out);
  free(short_out);
}
END_TEST

/* --- mma kernels ------------------------------------------------------------------------- */

struct shape {
  const char *symbol;
  int cc, m, k, bits, na, nb; /* m x 8 x k; bits per operand; A and B registers per lane */
  int acc;                    /* 0 f32, 1 s32, 2 f16 (triangle wave, written as f32), 3 f64 */
};

static const struct shape shapes[] = {
    {"tpp_cuda_dmma",               90,  8,  4,  64, 1, 1, 3},
    {"tpp_cuda_dmma_k16",           90,  16, 16, 64, 8, 4, 3},
    {"tpp_cuda_hmma_tf32_f32acc",   90,  16, 8,  32, 4, 2, 0},
    {"tpp_cuda_hmma_f16_k8_f32acc", 75,  16, 8,  16, 2, 1, 0},
    {"tpp_cuda_hmma_f16_f32acc",    90,  16, 16, 16, 4, 2, 0},
    {"tpp_cuda_hmma_f16_k8_f16acc", 75,  16, 8,  16, 2, 1, 2},
    {"tpp_cuda_hmma_f16_f16acc",    90,  16, 16, 16, 4, 2, 2},
    {"tpp_cuda_hmma_bf16_f32acc",   90,  16, 16, 16, 4, 2, 0},
    {"tpp_cuda_qmma_e4m3_f32acc",   89,  16, 32, 8,  4, 2, 0},
    {"tpp_cuda_qmma_e5m2_f32acc",   120, 16, 32, 8,  4, 2, 0},
    {"tpp_cuda_imma_s8_m8",         75,  8,  16, 8,  1, 1, 1},
    {"tpp_cuda_imma_s8",            90,  16, 32, 8,  4, 2, 1},
    {"tpp_cuda_imma_s4_m8",         75,  8,  32, 4,  1, 1, 1},
    {"tpp_cuda_imma_s4",            89,  16, 64, 4,  4, 2, 1},
};

/* Encode a small value in the kernel's operand format. */
static uint32_t
encode(const char *sym, double v)
{
  if (strstr(sym, "bf16"))
    return tpp_float_to_bf16(v);
  if (strstr(sym, "f16"))
    return tpp_float_to_half(v);
  if (strstr(sym, "tf32")) {
    float f = (float)v;
    uint32_t u;
    memcpy(&u, &f, 4);
    return u;
  }
  if (strstr(sym, "e4m3") || strstr(sym, "e5m2")) { /* +-1, +-2: exponent fields */
    int e4 = strstr(sym, "e4m3") != NULL;
    uint32_t c = fabs(v) == 1 ? (e4 ? 0x38 : 0x3c) : 0x40;
    return c | (v < 0 ? 0x80u : 0u);
  }
  return (uint32_t)(int32_t)v; /* s8 / s4: two's complement, masked by the caller */
}

static double
draw(const char *sym, unsigned *seed)
{
  static const double fp[] = {1, -1, 2, -2}, s8[] = {1, -1, 2, -2, 3, -3, 4, -4},
                      s4[] = {1, -1, 3, -3, 5, -5, 7, -7};
  *seed = *seed * 1103515245u + 12345u;
  unsigned r = *seed >> 16;
  if (strstr(sym, "s8"))
    return s8[r % 8];
  if (strstr(sym, "s4"))
    return s4[r % 8];
  return fp[r % 4];
}

/* How many A*B one set holds after n iterations: n, or for f16 accumulators and FP8 the
 * triangle wave of peak_mma.cu (A's sign flips every 32 iterations), simulated step by step. */
static double
set_steps(const struct shape *s, unsigned n)
{
  double t = 0;
  int sign = 1;
  if (s->acc != 2 && !strstr(s->symbol, "qmma"))
    return n;
  for (unsigned i = 0; i < n; i++) {
    t += sign;
    if ((i + 1) % 32 == 0)
      sign = -sign;
  }
  return t;
}

/* Fragments from matrices (inverse layout), and the expected output for `warps` warps. */
static void
mma_build(const struct shape *s, unsigned iters, unsigned seed, int warps, void *in, void *out,
          size_t out_bytes)
{
  double a[16][64], b[64][8], d[16][8];
  int e = s->bits == 64 ? 1 : 32 / s->bits, half = 4 * e; /* K per register group */
  double factor = SETS * set_steps(s, iters);

  for (int r = 0; r < s->m; r++)
    for (int k = 0; k < s->k; k++)
      a[r][k] = draw(s->symbol, &seed);
  for (int k = 0; k < s->k; k++)
    for (int c = 0; c < 8; c++)
      b[k][c] = draw(s->symbol, &seed);
  for (int r = 0; r < s->m; r++)
    for (int c = 0; c < 8; c++) {
      d[r][c] = 0;
      for (int k = 0; k < s->k; k++)
        d[r][c] += a[r][k] * b[k][c];
      d[r][c] *= factor;
    }
  if (s->bits == 64) { /* one double per register: lane = (row % 8) * 4 + k % 4 */
    double *w = in;
    for (int r = 0; r < s->m; r++)
      for (int k = 0; k < s->k; k++)
        w[((r % 8) * 4 + k % 4) * s->na + r / 8 + 2 * (k / 4)] = a[r][k];
    for (int k = 0; k < s->k; k++)
      for (int c = 0; c < 8; c++)
        w[32 * s->na + (c * 4 + k % 4) * s->nb + k / 4] = b[k][c];
  } else {
    uint32_t *w = in, mask = s->bits == 32 ? 0xffffffffu : (1u << s->bits) - 1u;
    memset(in, 0, (size_t)32 * (size_t)(s->na + s->nb) * 4);
    for (int r = 0; r < s->m; r++)
      for (int k = 0; k < s->k; k++) {
        int lane = (r % 8) * 4 + (k % half) / e, reg = r / 8 + 2 * (k / half), j = (k % half) % e;
        w[lane * s->na + reg] |= (encode(s->symbol, a[r][k]) & mask) << (j * s->bits);
      }
    for (int k = 0; k < s->k; k++)
      for (int c = 0; c < 8; c++) {
        int lane = c * 4 + (k % half) / e, reg = k / half, j = (k % half) % e;
        w[32 * s->na + lane * s->nb + reg] |= (encode(s->symbol, b[k][c]) & mask) << (j * s->bits);
      }
  }
  /* Triangle-wave kernels: lane 0 adds the whole periods to its element 0 (row 0, col 0). */
  if (s->acc == 2 || strstr(s->symbol, "qmma"))
    d[0][0] += iters / 64;
  memset(out, 0, out_bytes);
  for (int wp = 0; wp < warps; wp++)
    for (int r = 0; r < s->m; r++)
      for (int c = 0; c < 8; c++) {
        size_t nc = s->m == 16 ? 4 : 2;
        size_t lane = (size_t)(r % 8) * 4 + (size_t)c / 2, i = (size_t)(r / 8) * 2 + (size_t)c % 2;
        size_t at = ((size_t)wp * 32 + lane) * nc + i;
        if (s->acc == 1)
          ((int32_t *)out)[at] = (int32_t)(uint32_t)(int64_t)d[r][c];
        else if (s->acc == 3)
          ((double *)out)[at] = d[r][c];
        else
          ((float *)out)[at] = (float)d[r][c];
      }
}

START_TEST(mma_checks_follow_the_fragment_layouts)
{
  const struct shape *s = &shapes[_i];
  const struct tpp_cuda_kernel *k = kernel(s->symbol, s->cc);
  unsigned iters = 1000, blocks = 2;
  size_t out_bytes = k->out_bytes_per_block * blocks;
  void *in = calloc(1, k->in_bytes), *out = malloc(out_bytes), *other = malloc(out_bytes);
  char why[256];

  ck_assert_int_eq((int)k->threads_per_block, 32 * WARPS);
  ck_assert_uint_eq(k->in_bytes, (size_t)32 * (size_t)(s->na + s->nb) * (s->bits == 64 ? 8 : 4));
  ck_assert_double_eq(k->ops_per_block_per_iter, 2.0 * s->m * 8 * s->k * SETS * WARPS);
  mma_build(s, iters, 99u + (unsigned)_i, (int)blocks * WARPS, in, out, out_bytes);
  ck_assert_msg(k->verify(in, out, blocks, iters, why, sizeof(why)) == 0, "%s: %s", s->symbol, why);
  /* One iteration fewer must show. */
  mma_build(s, iters - 1, 99u + (unsigned)_i, (int)blocks * WARPS, in, other, out_bytes);
  ck_assert_int_ne(k->verify(in, other, blocks, iters, why, sizeof(why)), 0);
  /* One element of the last warp wrong. */
  memcpy(other, out, out_bytes);
  ((unsigned char *)other)[out_bytes - 3] ^= 0x40;
  ck_assert_int_ne(k->verify(in, other, blocks, iters, why, sizeof(why)), 0);
  /* The default iteration count stays within the exact range: a right output passes. */
  mma_build(s, k->iters, 7u, (int)blocks * WARPS, in, out, out_bytes);
  ck_assert_msg(k->verify(in, out, blocks, k->iters, why, sizeof(why)) == 0, "%s: %s", s->symbol,
                why);
  /* make_input's operands are ones the check knows. */
  k->make_input(in, k->in_bytes, 7);
  memset(out, 0, out_bytes);
  ck_assert_int_ne(k->verify(in, out, blocks, iters, why, sizeof(why)), 0);
  ck_assert_ptr_null(strstr(why, "outside"));
  free(in);
  free(out);
  free(other);
}
END_TEST

/* --- wgmma kernels (sm_90a) ------------------------------------------------------------ */

static const char *const wgmma_kernels[] = {
    "tpp_cuda_wgmma_tf32_f32acc", "tpp_cuda_wgmma_f16_f32acc",  "tpp_cuda_wgmma_bf16_f32acc",
    "tpp_cuda_wgmma_e4m3_f32acc", "tpp_cuda_wgmma_e5m2_f32acc", "tpp_cuda_wgmma_s8_s32acc"};

/* Decode one operand of the wgmma `in` layout (row-major, 32 bytes a row). */
static double
wg_value(const char *sym, const unsigned char *p)
{
  if (strstr(sym, "s8"))
    return (double)(int8_t)p[0];
  if (strstr(sym, "e4m3") || strstr(sym, "e5m2")) {
    int e4 = strstr(sym, "e4m3") != NULL, man = e4 ? 3 : 2, bias = e4 ? 7 : 15;
    int ex = (p[0] & 0x7f) >> man, m = p[0] & ((1 << man) - 1);
    double v = ldexp(1.0 + m / (double)(1 << man), ex - bias);
    return p[0] & 0x80 ? -v : v;
  }
  if (strstr(sym, "tf32")) {
    float f;
    memcpy(&f, p, 4);
    return f;
  }
  uint16_t h;
  memcpy(&h, p, 2);
  return strstr(sym, "bf16") ? tpp_bf16_to_float(h) : tpp_half_to_float(h);
}

/* Expected output: D = 4 * wave(iters) * A*B, placed by the inverse of the accumulator
 * layout: (row, col) -> thread 32*(row/16) + 4*(row%8) + (col%8)/2,
 *                      register 4*(col/8) + 2*((row%16)/8) + col%2. */
static void
wg_expected(const struct tpp_cuda_kernel *k, const unsigned char *in, unsigned iters, size_t blocks,
            void *out)
{
  int e = strstr(k->symbol, "tf32") ? 4 : strstr(k->symbol, "16") ? 2 : 1, kk = 32 / e;
  unsigned m = iters % 64;
  double wave = 4.0 * (m <= 32 ? m : 64 - m);
  for (int r = 0; r < 64; r++)
    for (int c = 0; c < 256; c++) {
      double s = 0;
      for (int x = 0; x < kk; x++)
        s += wg_value(k->symbol, in + r * 32 + x * e) *
             wg_value(k->symbol, in + (128 + c) * 32 + x * e);
      int th = 32 * (r / 16) + 4 * (r % 8) + (c % 8) / 2,
          reg = 4 * (c / 8) + 2 * ((r % 16) / 8) + c % 2;
      double v = s * wave + (r == 0 && c == 0 ? (double)(iters / 64) : 0); /* + whole periods */
      for (size_t b = 0; b < blocks; b++) {
        size_t at = (b * 128 + (size_t)th) * 128 + (size_t)reg;
        if (strstr(k->symbol, "s8"))
          ((int32_t *)out)[at] = (int32_t)v;
        else
          ((float *)out)[at] = (float)v;
      }
    }
}

START_TEST(wgmma_checks_follow_the_accumulator_layout)
{
  const struct tpp_cuda_kernel *k = kernel(wgmma_kernels[_i], 90);
  size_t blocks = 2, bytes = k->out_bytes_per_block * blocks;
  unsigned char *in = malloc(k->in_bytes);
  void *out = malloc(bytes);
  char why[256];
  ck_assert(k->needs_arch_specific && k->min_cc == 90 && k->max_cc == 90);
  k->make_input(in, k->in_bytes, 42);
  wg_expected(k, in, k->iters, blocks, out);
  ck_assert_msg(k->verify(in, out, blocks, k->iters, why, sizeof(why)) == 0, "%s: %s", k->symbol,
                why);
  wg_expected(k, in, k->iters - 1, blocks, out); /* one iteration short */
  ck_assert_int_ne(k->verify(in, out, blocks, k->iters, why, sizeof(why)), 0);
  wg_expected(k, in, k->iters, blocks, out);
  ((unsigned char *)out)[bytes - 5] ^= 0x20; /* one element of the last block */
  ck_assert_int_ne(k->verify(in, out, blocks, k->iters, why, sizeof(why)), 0);
  ck_assert_int_ne(k->verify(in, out, blocks, 64 * 128, why, sizeof(why)), 0); /* wave at zero */
  free(in);
  free(out);
}
END_TEST

/* FP8 accumulation on Hopper keeps about 14 significant bits.  Simulate it: every product
 * is added to the running sum, which is then cut to 14 significant bits (13 fraction bits,
 * truncated), for one wave up to its peak (32 iterations x 4 wgmmas, A*B each).  The old
 * operands (+-0.5 .. +-2: sums on a 0.25 grid up to 16384) lose bits; the new ones (+-1,
 * +-2: integers up to 16384) never do, and the check refuses the old set. */
static double
cut14(double v)
{
  int e;
  if (v == 0)
    return 0;
  frexp(v, &e);
  return ldexp(trunc(ldexp(v, 14 - e)), e - 14);
}

static int
fp8_wrong_elements(const double *vals, int nvals, unsigned seed)
{
  int wrong = 0;
  double a[64][32], b[32][256];
  for (int r = 0; r < 64; r++)
    for (int k = 0; k < 32; k++)
      a[r][k] = vals[((seed = seed * 1103515245u + 12345u) >> 16) % (unsigned)nvals];
  for (int k = 0; k < 32; k++)
    for (int c = 0; c < 256; c++)
      b[k][c] = vals[((seed = seed * 1103515245u + 12345u) >> 16) % (unsigned)nvals];
  for (int r = 0; r < 64; r++)
    for (int c = 0; c < 256; c++) {
      double d = 0, exact = 0;
      for (int it = 0; it < 32 * 4; it++)
        for (int k = 0; k < 32; k++) {
          d = cut14(d + a[r][k] * b[k][c]);
          exact += a[r][k] * b[k][c];
        }
      wrong += d != exact;
    }
  return wrong;
}

START_TEST(fp8_operands_fit_the_accumulator)
{
  static const double old_vals[] = {0.5, -0.5, 1, -1, 1.5, -1.5, 2, -2},
                      new_vals[] = {1, -1, 2, -2};
  int old_wrong = fp8_wrong_elements(old_vals, 8, 42),
      new_wrong = fp8_wrong_elements(new_vals, 4, 42);
  ck_assert_msg(old_wrong > 0, "the old FP8 operands should lose bits in a 14-bit accumulator");
  printf("FP8 wgmma, 14-bit accumulation simulated: %d of 16384 elements wrong with the old "
         "operands, %d with the new\n",
         old_wrong, new_wrong);
  ck_assert_int_eq(new_wrong, 0);
  /* the bound the check applies: 4 x 32 x max |A*B| in steps of the product unit */
  ck_assert(tpp_cuda_exact_in_bits(4 * 32 * 128.0, 1.0, TPP_CUDA_FP8_ACC_BITS));   /* new */
  ck_assert(!tpp_cuda_exact_in_bits(4 * 32 * 128.0, 0.25, TPP_CUDA_FP8_ACC_BITS)); /* old */
  ck_assert(tpp_cuda_exact_in_bits(16777216.0, 1.0, 24));
  ck_assert(!tpp_cuda_exact_in_bits(16777217.0, 1.0, 24));
  /* and the descriptors' operands are the new ones */
  for (int e = 0; e < 2; e++) {
    const struct tpp_cuda_kernel *k = kernel(
        e ? "tpp_cuda_wgmma_e5m2_f32acc" : "tpp_cuda_wgmma_e4m3_f32acc", 90);
    unsigned char *in = malloc(k->in_bytes);
    k->make_input(in, k->in_bytes, 9);
    for (size_t i = 0; i < k->in_bytes; i++)
      ck_assert_msg(in[i] == 0 || (in[i] & 0x7f) == (e ? 0x3c : 0x38) || (in[i] & 0x7f) == 0x40,
                    "byte %zu is 0x%02x, not +-1 or +-2", i, in[i]);
    free(in);
  }
  ck_assert_msg(old_wrong > 0 && new_wrong == 0, "old %d, new %d", old_wrong, new_wrong);
}
END_TEST

START_TEST(descriptors_are_consistent)
{
  const struct tpp_cuda_kernel *const *k = tpp_cuda_kernels();
  int n = 0;
  for (size_t i = 0; k[i]; i++, n++) {
    ck_assert_msg(k[i]->ops_per_block_per_iter > 0 && k[i]->iters > 0, "%s", k[i]->symbol);
    ck_assert_msg(k[i]->threads_per_block % 32 == 0, "%s", k[i]->symbol);
    ck_assert_msg(k[i]->max_cc == 0 || k[i]->max_cc >= k[i]->min_cc, "%s", k[i]->symbol);
    ck_assert_msg(k[i]->make_input && k[i]->verify, "%s", k[i]->symbol);
  }
  ck_assert_int_ge(n, 16);
  /* H100 FP16 mma.sync: 8 warps x 4 sets x 4096 FLOP per block and iteration. */
  ck_assert_double_eq(kernel("tpp_cuda_hmma_f16_f32acc", 90)->ops_per_block_per_iter,
                      8 * 4 * 4096.0);
  ck_assert_double_eq(kernel("tpp_cuda_ffma", 90)->ops_per_block_per_iter, 256 * 16 * 2.0);
}
END_TEST

START_TEST(half_and_bf16_conversions)
{
  ck_assert_uint_eq(tpp_float_to_half(1.0f), 0x3c00);
  ck_assert_uint_eq(tpp_float_to_half(-2.0f), 0xc000);
  ck_assert_uint_eq(tpp_float_to_half(65504.0f), 0x7bff);
  ck_assert_uint_eq(tpp_float_to_half(1.0 + 1.0 / 2048), 0x3c00);   /* tie: to even */
  ck_assert_uint_eq(tpp_float_to_half(1.0f + 3.0f / 2048), 0x3c02); /* tie: to even */
  ck_assert_uint_eq(tpp_float_to_half(5.9604645e-08f), 0x0001);     /* smallest subnormal */
  ck_assert(tpp_half_to_float(0x3bff) == 1.0f - 1.0f / 2048);
  ck_assert_uint_eq(tpp_float_to_bf16(1.0f), 0x3f80);
  ck_assert_uint_eq(tpp_float_to_bf16(1.0f + 1.0f / 256), 0x3f80); /* tie: to even */
  ck_assert(tpp_bf16_to_float(0x3f7f) == 1.0f - 1.0f / 256);
  for (uint32_t h = 0; h < 0x7c00; h++)
    ck_assert_uint_eq(tpp_float_to_half(tpp_half_to_float((uint16_t)h)), h);
}
END_TEST

int
main(void)
{
  Suite *s = suite_create("cuda_ref");
  TCase *tc = tcase_create("core");
  tcase_set_timeout(tc, 120);
  tcase_add_loop_test(tc, simt_checks_accept_right_and_reject_wrong, 0,
                      (int)(sizeof(simt_kernels) / sizeof(simt_kernels[0])));
  tcase_add_loop_test(tc, mma_checks_follow_the_fragment_layouts, 0,
                      (int)(sizeof(shapes) / sizeof(shapes[0])));
  tcase_add_loop_test(tc, wgmma_checks_follow_the_accumulator_layout, 0,
                      (int)(sizeof(wgmma_kernels) / sizeof(wgmma_kernels[0])));
  tcase_add_test(tc, descriptors_are_consistent);
  tcase_add_test(tc, fp8_operands_fit_the_accumulator);
  tcase_add_test(tc, half_and_bf16_conversions);
  suite_add_tcase(s, tc);
  return tpp_test_run(s);
}
