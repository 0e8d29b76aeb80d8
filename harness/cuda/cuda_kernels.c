/* cuda_kernels.c - descriptors of the CUDA peak kernels (kernels/cuda/peak_simt.cu and
 * peak_mma.cu), their operands and the host checks of their output.
 *
 * Launch sizes (napkin math for an H100 SXM, 132 SMs at ~1.9 GHz, one launch at units = 1,
 * grid = 4 blocks per SM = 528 blocks of 256 threads, 32 warps per SM on every target):
 *   ffma   16 chains x 2 = 32 FLOP/thread/iter, 8192 per block; x 528 x 131072 iters
 *          = 5.7e11 FLOP at 256 FLOP/clk/SM (64 TF) ~ 9 ms
 *   dfma   same shape, 65536 iters = 2.8e11 at 128/clk/SM (32 TF) ~ 9 ms
 *   hfma2  16 chains x 2 halves x 2 = 64 FLOP/thread/iter, 16384 per block; 131072 iters
 *          = 1.1e12 at 512/clk/SM (128 TF) ~ 9 ms (bf16 the same)
 *   imad   8192 ops per block and iter, 65536 iters = 2.8e11 at 128/clk/SM ~ 9 ms
 *   dp4a   16 x 8 = 128 ops/thread/iter (4 MACs per IDP.4A), 32768 per block; 65536 iters
 *          = 1.1e12 at ~512/clk/SM (undocumented) ~ 9 ms
 *   mma    8 warps x 4 sets x 2mnk per block and iter: m16n8k16 131072, m16n8k8 65536,
 *          m16n8k32 262144, m16n8k64 524288, m8n8k16 65536, m8n8k32 131072, m8n8k4 16384.
 *          fp16/bf16 65536 iters = 4.5e12 FLOP: ~5 ms at the 4096/clk/SM peak, ~7 ms at
 *          the ~650 TF mma.sync reaches on Hopper; tf32 2.3e12 (~6 ms); s8 9e12 (~5-7 ms);
 *          dmma 32768 iters = 2.8e11 (~5-8 ms).  The sm_75/sm_89/sm_120-only kernels are
 *          sized for those parts (T4: m16n8k8 32768 iters ~5 ms; RTX 4090 fp8: 16384 ~7 ms).
 *
 * CUDA-core kernels follow peakref.h's chain contract, one lane per thread, 16 chains;
 * the host recomputes 32 threads (16 for fp16/bf16) spread over the launch, first and last
 * included, bit for bit: fmaf/fma for FFMA/DFMA (both correctly rounded), wrapping uint32
 * for IMAD and DP4A, and for HFMA2 one fma in double rounded once to half/bf16 (x*x + c
 * with 11/8-bit x and c is exact in double down to half subnormals; below that the exact
 * value lies within 2^-40 of c, far from a rounding midpoint, so one rounding is right).
 *
 * mma.sync kernels: every warp gets the same random integer-valued fragments, keeps 4
 * accumulator sets and writes their sum, so each accumulator element must equal
 * 4 * t * (A*B)[row][col] exactly, t = iters (f16 accumulate and FP8: the triangle wave
 * t(iters) of peak_mma.cu, period 2 * 32).  The host rebuilds A (m x K) and B (K x 8) from the
 * fragments with the PTX ISA layouts (groupID = lane / 4, tig = lane % 4):
 *   A register r, element j (e = 32 / bits elements per register, h = 4 * e):
 *       row = groupID + 8 * (r & 1),  col = tig * e + j + h * (r >> 1)
 *   B register r, element j:  k = tig * e + j + h * r,  col = groupID
 *   C/D element i (0..3):     row = groupID + 8 * (i >> 1),  col = tig * 2 + (i & 1)
 *   m8n8k16/k32 and m8n8k4 f64 are the r = 0, i < 2 cases (f64: e = 1)
 * and checks every element of every warp.  Exactness bounds (operands +-1, +-2; s8 up to
 * +-4, s4 up to +-7):
 *   fp16/bf16 m16n8k16 |A*B| <= 16 * 4 = 64: 4 sets * 65536 iters * 64 = 2^24, exact in f32;
 *   tf32 m16n8k8 |A*B| <= 32: 2^23;  fp16 m16n8k8 (sm_75) 32 * 4 * 32768 = 2^22;
 *   fp8 m16n8k32 |A*B| <= 128, triangle wave (FP8 accumulation may keep only ~14 bits):
 *   one set peaks at 32 * 128 = 2^12;
 *   f16 accumulate: one set peaks at 32 * |A*B| <= 2048 (f16 integers are exact to 2^11),
 *   the sets are summed in f32;  s8/s4 wrap modulo 2^32 exactly;  f64 exact to 2^53.
 * verify() refuses an iters beyond these bounds rather than report a false mismatch.
 */
#include "cuda/cuda_kernels.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tpp/peakref.h"

#define SIMT_CHAINS 16
#define SIMT_THREADS 256
#define MMA_SETS 4
#define MMA_WARPS 8
#define VERIFY_SAMPLES 32 /* threads checked per launch (fp16/bf16: H2_SAMPLES) */
#define H2_SAMPLES 16
#define F16_RUN 32 /* TPP_F16_RUN of peak_mma.cu */

/* --- operands ------------------------------------------------------------------------ */

static uint64_t
splitmix64(uint64_t *s)
{
  uint64_t z = (*s += 0x9e3779b97f4a7c15ull);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

/* CUDA-core kernels: the recurrence constants (fixed: they keep chains from converging,
 * see peakref.h) or, for integers, random odd multipliers and addends. */
static void
in_ffma(void *in, size_t n, uint64_t seed)
{
  float v[2] = {0.999755859375f, 0.000244140625f}; /* 1 - 2^-12, 2^-12 */
  (void)seed;
  memcpy(in, v, n < sizeof(v) ? n : sizeof(v));
}

static void
in_dfma(void *in, size_t n, uint64_t seed)
{
  double v[2] = {0.999755859375, 0.000244140625};
  (void)seed;
  memcpy(in, v, n < sizeof(v) ? n : sizeof(v));
}

static void
in_imad(void *in, size_t n, uint64_t seed)
{
  uint32_t v[2] = {(uint32_t)splitmix64(&seed) | 1u, (uint32_t)splitmix64(&seed) | 1u};
  memcpy(in, v, n < sizeof(v) ? n : sizeof(v));
}

/* HFMA2 chains step x = fma(x, x, c) with c in [-1.9, -1.7): bounded and chaotic.  x*x has
 * 22 (16) significant bits and the sum with c stays within 53, so a double fma rounded once
 * to half (bf16) reproduces the device bit for bit.  c differs per half, drawn from seed. */
static void
in_h2(void *in, size_t n, uint64_t seed, uint16_t (*from)(double))
{
  uint16_t v[2];
  for (int i = 0; i < 2; i++)
    v[i] = from(-1.7 - 0.2 * (double)(splitmix64(&seed) % 1000) / 1000.0);
  memcpy(in, v, n < sizeof(v) ? n : sizeof(v));
}

static void
in_hfma2(void *in, size_t n, uint64_t seed)
{
  in_h2(in, n, seed, tpp_float_to_half);
}

static void
in_hfma2_bf16(void *in, size_t n, uint64_t seed)
{
  in_h2(in, n, seed, tpp_float_to_bf16);
}

/* dp4a: four random non-zero int8 weights, and a random addend. */
static void
in_dp4a(void *in, size_t n, uint64_t seed)
{
  uint32_t w = 0, c = (uint32_t)(splitmix64(&seed) & 0xffff);
  for (int i = 0; i < 4; i++) {
    int8_t b = (int8_t)((splitmix64(&seed) % 15) - 7);
    w |= (uint32_t)(uint8_t)(b ? b : 3) << (8 * i);
  }
  uint32_t v[2] = {w, c};
  memcpy(in, v, n < sizeof(v) ? n : sizeof(v));
}

/* --- CUDA-core checks ---------------------------------------------------------------- */

/* Sample s of n: threads spread evenly over the launch, the first and the last included. */
static uint32_t
sample_thread(size_t blocks, size_t s, size_t n)
{
  size_t threads = blocks * SIMT_THREADS;
  return (uint32_t)(s * (threads - 1) / (n - 1));
}

#define FAIL(...)                                                                         \
  do {                                                                                    \
    snprintf(why, whylen, __VA_ARGS__);                                                   \
    return -1;                                                                            \
  } while (0)

static int
vf_ffma(const void *in, const void *out, size_t blocks, unsigned iters, char *why, size_t whylen)
{
  const float *ab = in, *o = out;
  for (size_t s = 0; s < VERIFY_SAMPLES; s++) {
    uint32_t g = sample_thread(blocks, s, VERIFY_SAMPLES);
    float want = tpp_peakref_f32(g, 0, SIMT_CHAINS, iters, ab[0], ab[1]);
    if (memcmp(&want, &o[g], sizeof(want)) != 0)
      FAIL("ffma: thread %u: device %.9g, host %.9g", g, (double)o[g], (double)want);
  }
  return 0;
}

static int
vf_dfma(const void *in, const void *out, size_t blocks, unsigned iters, char *why, size_t whylen)
{
  const double *ab = in, *o = out;
  for (size_t s = 0; s < VERIFY_SAMPLES; s++) {
    uint32_t g = sample_thread(blocks, s, VERIFY_SAMPLES);
    double want = tpp_peakref_f64(g, 0, SIMT_CHAINS, iters, ab[0], ab[1]);
    if (memcmp(&want, &o[g], sizeof(want)) != 0)
      FAIL("dfma: thread %u: device %.17g, host %.17g", g, o[g], want);
  }
  return 0;
}

static int
vf_imad(const void *in, const void *out, size_t blocks, unsigned iters, char *why, size_t whylen)
{
  const uint32_t *ab = in, *o = out;
  for (size_t s = 0; s < VERIFY_SAMPLES; s++) {
    uint32_t g = sample_thread(blocks, s, VERIFY_SAMPLES);
    uint32_t want = tpp_peakref_uint(g, 0, SIMT_CHAINS, iters, ab[0], ab[1], 0xffffffffu);
    if (o[g] != want)
      FAIL("imad: thread %u: device %u, host %u", g, o[g], want);
  }
  return 0;
}

/* One lane of a half2 / bfloat162 chain kernel: init on a 1/1024 (1/128) grid, then
 * x = round(fma(x, x, c)), then the left-to-right sum, each rounded once.  The step is a map
 * of the 2^16 codes, tabulated once per check (step[x] = code of round(x * x + c)), which
 * keeps 16 chains x 131072 steps per sampled thread cheap. */
static uint16_t
ref_h2_lane(uint32_t g, int lane, unsigned iters, const uint16_t *step, int bf16)
{
  float (*to_f)(uint16_t) = bf16 ? tpp_bf16_to_float : tpp_half_to_float;
  uint16_t (*from_f)(double) = bf16 ? tpp_float_to_bf16 : tpp_float_to_half;
  uint16_t r = 0;
  for (int c = 0; c < SIMT_CHAINS; c++) {
    uint32_t k = tpp_peakref_key(g, (uint32_t)c, 0) + 5u * (uint32_t)lane;
    uint16_t x = bf16 ? from_f((double)(k & 127u) / 128.0 + 0.5) : from_f((double)(k & 1023u) / 1024.0 + 0.5);
    for (unsigned i = 0; i < iters; i++)
      x = step[x];
    r = c == 0 ? x : from_f((double)to_f(r) + to_f(x));
  }
  return r;
}

static int
vf_h2(const void *in, const void *out, size_t blocks, unsigned iters, char *why, size_t whylen,
      int bf16)
{
  float (*to_f)(uint16_t) = bf16 ? tpp_bf16_to_float : tpp_half_to_float;
  uint16_t (*from_f)(double) = bf16 ? tpp_float_to_bf16 : tpp_float_to_half;
  const uint16_t *o = out, *cst = in;
  uint16_t *step = malloc(2 * 65536 * sizeof(*step));
  int rc = 0;
  if (!step)
    FAIL("%s: out of memory", bf16 ? "hfma2.bf16" : "hfma2");
  for (int l = 0; l < 2; l++) {
    double c0 = to_f(cst[l]);
    for (uint32_t x = 0; x < 65536; x++) {
      double xf = to_f((uint16_t)x);
      step[l * 65536 + x] = isfinite(xf) ? from_f(fma(xf, xf, c0)) : (uint16_t)x;
    }
  }
  for (size_t s = 0; s < H2_SAMPLES && rc == 0; s++) {
    uint32_t g = sample_thread(blocks, s, H2_SAMPLES);
    for (int l = 0; l < 2 && rc == 0; l++) {
      uint16_t want = ref_h2_lane(g, l, iters, step + l * 65536, bf16);
      if (o[2 * g + (uint32_t)l] != want) {
        snprintf(why, whylen, "%s: thread %u half %d: device 0x%04x, host 0x%04x",
                 bf16 ? "hfma2.bf16" : "hfma2", g, l, o[2 * g + (uint32_t)l], want);
        rc = -1;
      }
    }
  }
  free(step);
  return rc;
}

static int
vf_hfma2(const void *in, const void *out, size_t blocks, unsigned iters, char *why, size_t whylen)
{
  return vf_h2(in, out, blocks, iters, why, whylen, 0);
}

static int
vf_hfma2_bf16(const void *in, const void *out, size_t blocks, unsigned iters, char *why, size_t whylen)
{
  return vf_h2(in, out, blocks, iters, why, whylen, 1);
}

static int32_t
dp4a(int32_t x, uint32_t b, int32_t c)
{
  int32_t sum = c;
  for (int i = 0; i < 4; i++)
    sum += (int32_t)(int8_t)((uint32_t)x >> (8 * i)) * (int32_t)(int8_t)(b >> (8 * i));
  return sum;
}

static int
vf_dp4a(const void *in, const void *out, size_t blocks, unsigned iters, char *why, size_t whylen)
{
  const uint32_t *bc = in, *o = out;
  for (size_t s = 0; s < VERIFY_SAMPLES; s++) {
    uint32_t g = sample_thread(blocks, s, VERIFY_SAMPLES), r = 0;
    for (int c = 0; c < SIMT_CHAINS; c++) {
      int32_t x = (int32_t)(tpp_peakref_key(g, (uint32_t)c, 0) + 1u);
      for (unsigned i = 0; i < iters; i++)
        x = dp4a(x, bc[0], (int32_t)bc[1]);
      r += (uint32_t)x;
    }
    if (o[g] != r)
      FAIL("dp4a: thread %u: device %u, host %u", g, o[g], r);
  }
  return 0;
}

/* --- mma.sync operands and checks ----------------------------------------------------- */

enum elem { E_F16, E_BF16, E_TF32, E_E4M3, E_E5M2, E_S8, E_S4, E_F64 };

/* Codes of the allowed non-zero operand values and the values they stand for. */
static const struct {
  int bits;
  int n;
  uint32_t code[8];
  double value[8];
} elems[] = {
    [E_F16] = {16, 4, {0x3c00, 0xbc00, 0x4000, 0xc000}, {1, -1, 2, -2}},
    [E_BF16] = {16, 4, {0x3f80, 0xbf80, 0x4000, 0xc000}, {1, -1, 2, -2}},
    [E_TF32] = {32, 4, {0x3f800000, 0xbf800000, 0x40000000, 0xc0000000}, {1, -1, 2, -2}},
    [E_E4M3] = {8, 4, {0x38, 0xb8, 0x40, 0xc0}, {1, -1, 2, -2}},
    [E_E5M2] = {8, 4, {0x3c, 0xbc, 0x40, 0xc0}, {1, -1, 2, -2}},
    [E_S8] = {8, 8, {0x01, 0xff, 0x02, 0xfe, 0x03, 0xfd, 0x04, 0xfc}, {1, -1, 2, -2, 3, -3, 4, -4}},
    [E_S4] = {4, 8, {0x1, 0xf, 0x3, 0xd, 0x5, 0xb, 0x7, 0x9}, {1, -1, 3, -3, 5, -5, 7, -7}},
    [E_F64] = {64, 4, {0}, {1, -1, 2, -2}},
};

static double
decode(enum elem e, uint32_t code)
{
  for (int i = 0; i < elems[e].n; i++)
    if (elems[e].code[i] == code)
      return elems[e].value[i];
  return NAN;
}

/* ACC_F16: f16 accumulators (triangle wave, see peak_mma.cu), written as f32 sums. */
enum acc { ACC_F32, ACC_S32, ACC_F16, ACC_F64 };

struct mma_spec {
  const char *name;
  enum elem in;
  enum acc acc;
  int m, k;          /* m16n8kK or m8n8kK */
  int na, nb;        /* 32-bit fragment registers per lane (f64: one double = 2) */
  int out_per_lane;  /* bytes of output per lane */
};

/* Accumulator elements per lane as written: m16n8 4, m8n8 2. */
static int
mma_nc(const struct mma_spec *sp)
{
  return sp->m == 16 ? 4 : 2;
}

/* How many times A*B one set holds after `iters` iterations. */
static double
mma_steps(const struct mma_spec *sp, unsigned iters)
{
  if (sp->acc == ACC_F16 || sp->in == E_E4M3 || sp->in == E_E5M2) { /* triangle wave */
    unsigned m = iters % (2 * F16_RUN);
    return m <= F16_RUN ? m : 2 * F16_RUN - m;
  }
  return iters;
}

static void
mma_make(const struct mma_spec *sp, void *in, size_t n, uint64_t seed)
{
  if (sp->in == E_F64) {
    double *d = in;
    for (size_t i = 0; i < n / sizeof(double); i++)
      d[i] = elems[E_F64].value[splitmix64(&seed) % 4];
    return;
  }
  uint32_t *w = in;
  int bits = elems[sp->in].bits, per = 32 / bits;
  for (size_t i = 0; i < n / 4; i++) {
    uint32_t word = 0;
    for (int j = 0; j < per; j++)
      word |= elems[sp->in].code[splitmix64(&seed) % (uint64_t)elems[sp->in].n] << (j * bits);
    w[i] = word;
  }
}

/* A (m x K) and B (K x 8) rebuilt from the fragments; NAN on a bad code. */
static void
mma_matrices(const struct mma_spec *sp, const void *in, double a[16][64], double b[64][8])
{
  if (sp->in == E_F64) {
    const double *d = in;
    for (int lane = 0; lane < 32; lane++) {
      a[lane / 4][lane % 4] = d[lane];
      b[lane % 4][lane / 4] = d[32 + lane];
    }
    return;
  }
  const uint32_t *w = in;
  int bits = elems[sp->in].bits, e = 32 / bits, half = 4 * e; /* K covered by one register */
  uint32_t mask = bits == 32 ? 0xffffffffu : (1u << bits) - 1u;
  for (int lane = 0; lane < 32; lane++) {
    int g = lane / 4, tig = lane % 4;
    for (int r = 0; r < sp->na; r++)
      for (int j = 0; j < e; j++)
        a[g + 8 * (r & 1)][tig * e + j + half * (r >> 1)] =
            decode(sp->in, (w[lane * sp->na + r] >> (j * bits)) & mask);
    for (int r = 0; r < sp->nb; r++)
      for (int j = 0; j < e; j++)
        b[tig * e + j + half * r][g] = decode(sp->in, (w[32 * sp->na + lane * sp->nb + r] >> (j * bits)) & mask);
  }
}

static int
mma_verify(const struct mma_spec *sp, const void *in, const void *out, size_t blocks,
           unsigned iters, char *why, size_t whylen)
{
  double a[16][64], b[64][8], ab[16][8], amax = 0;
  int nc = mma_nc(sp);
  double steps = mma_steps(sp, iters), factor = MMA_SETS * steps;
  size_t warps = blocks * MMA_WARPS;

  if (steps == 0) /* a triangle-wave kernel back at zero: a launch doing nothing would pass */
    FAIL("%s: %u iterations leave the accumulators at zero: nothing to check", sp->name, iters);
  mma_matrices(sp, in, a, b);
  for (int r = 0; r < sp->m; r++)
    for (int c = 0; c < 8; c++) {
      ab[r][c] = 0;
      for (int k = 0; k < sp->k; k++)
        ab[r][c] += a[r][k] * b[k][c];
      if (isnan(ab[r][c]))
        FAIL("%s: operand buffer holds a value outside the kernel's set", sp->name);
      amax = fmax(amax, fabs(ab[r][c]));
    }
  /* Exactness: a set's accumulator (f16 2^11, f32 2^24, f64 2^53) and the f32 sum of sets. */
  if ((sp->acc == ACC_F16 && steps * amax > 2048) || (sp->acc == ACC_F32 && factor * amax > 16777216.0) ||
      (sp->acc == ACC_F64 && factor * amax > 9007199254740992.0))
    FAIL("%s: %u iterations exceed the exact range of the accumulator", sp->name, iters);
  for (size_t wp = 0; wp < warps; wp++)
    for (int lane = 0; lane < 32; lane++) {
      int g = lane / 4, tig = lane % 4;
      for (int i = 0; i < nc; i++) {
        int row = g + 8 * (i >> 1), col = tig * 2 + (i & 1);
        size_t at = (wp * 32 + (size_t)lane) * (size_t)nc + (size_t)i;
        double got, want = factor * ab[row][col];
        if (sp->acc == ACC_F64)
          got = ((const double *)out)[at];
        else if (sp->acc == ACC_S32) {
          got = (double)((const int32_t *)out)[at];
          want = (double)(int32_t)(uint32_t)(int64_t)want; /* the accumulator wraps modulo 2^32 */
        } else
          got = ((const float *)out)[at];
        if (got != want)
          FAIL("%s: warp %zu lane %d element %d (row %d, col %d): device %.9g, host %.9g",
               sp->name, wp, lane, i, row, col, got, want);
      }
    }
  return 0;
}

/* Per kernel: variant, operand type, accumulator, m, k, 32-bit fragment registers per lane
 * of A and B, output bytes per lane (macros, so the descriptor table can use them). */
#define SPEC_sp_f64 "dmma.m8n8k4", E_F64, ACC_F64, 8, 4, 2, 2, 16
#define SPEC_sp_tf32 "hmma.m16n8k8.tf32.f32acc", E_TF32, ACC_F32, 16, 8, 4, 2, 16
#define SPEC_sp_f16_k8 "hmma.m16n8k8.f16.f32acc", E_F16, ACC_F32, 16, 8, 2, 1, 16
#define SPEC_sp_f16 "hmma.m16n8k16.f16.f32acc", E_F16, ACC_F32, 16, 16, 4, 2, 16
#define SPEC_sp_f16acc_k8 "hmma.m16n8k8.f16.f16acc", E_F16, ACC_F16, 16, 8, 2, 1, 16
#define SPEC_sp_f16acc "hmma.m16n8k16.f16.f16acc", E_F16, ACC_F16, 16, 16, 4, 2, 16
#define SPEC_sp_bf16 "hmma.m16n8k16.bf16.f32acc", E_BF16, ACC_F32, 16, 16, 4, 2, 16
#define SPEC_sp_e4m3 "qmma.m16n8k32.e4m3.f32acc", E_E4M3, ACC_F32, 16, 32, 4, 2, 16
#define SPEC_sp_e5m2 "qmma.m16n8k32.e5m2.f32acc", E_E5M2, ACC_F32, 16, 32, 4, 2, 16
#define SPEC_sp_s8_m8 "imma.m8n8k16.s8", E_S8, ACC_S32, 8, 16, 1, 1, 8
#define SPEC_sp_s8 "imma.m16n8k32.s8", E_S8, ACC_S32, 16, 32, 4, 2, 16
#define SPEC_sp_s4_m8 "imma.m8n8k32.s4", E_S4, ACC_S32, 8, 32, 1, 1, 8
#define SPEC_sp_s4 "imma.m16n8k64.s4", E_S4, ACC_S32, 16, 64, 4, 2, 16

static const struct mma_spec sp_f64 = {SPEC_sp_f64},
    sp_tf32 = {SPEC_sp_tf32},
    sp_f16_k8 = {SPEC_sp_f16_k8},
    sp_f16 = {SPEC_sp_f16},
    sp_f16acc_k8 = {SPEC_sp_f16acc_k8},
    sp_f16acc = {SPEC_sp_f16acc},
    sp_bf16 = {SPEC_sp_bf16},
    sp_e4m3 = {SPEC_sp_e4m3},
    sp_e5m2 = {SPEC_sp_e5m2},
    sp_s8_m8 = {SPEC_sp_s8_m8},
    sp_s8 = {SPEC_sp_s8},
    sp_s4_m8 = {SPEC_sp_s4_m8},
    sp_s4 = {SPEC_sp_s4};

/* make_input / verify entry points per spec (the descriptor takes plain functions). */
#define MMA_FUNCS(SP)                                                                         \
  static void in_##SP(void *in, size_t n, uint64_t seed) { mma_make(&SP, in, n, seed); }     \
  static int vf_##SP(const void *in, const void *out, size_t blocks, unsigned iters,        \
                     char *why, size_t whylen)                                               \
  {                                                                                          \
    return mma_verify(&SP, in, out, blocks, iters, why, whylen);                             \
  }
MMA_FUNCS(sp_f64)
MMA_FUNCS(sp_tf32)
MMA_FUNCS(sp_f16_k8)
MMA_FUNCS(sp_f16)
MMA_FUNCS(sp_f16acc_k8)
MMA_FUNCS(sp_f16acc)
MMA_FUNCS(sp_bf16)
MMA_FUNCS(sp_e4m3)
MMA_FUNCS(sp_e5m2)
MMA_FUNCS(sp_s8_m8)
MMA_FUNCS(sp_s8)
MMA_FUNCS(sp_s4_m8)
MMA_FUNCS(sp_s4)

/* --- the table ------------------------------------------------------------------------- */

/* 256 threads x 4 blocks per SM: 32 warps, resident on every target (Turing's limit is
 * 1024 threads per SM; DFMA's 44 registers leave room for 5 blocks elsewhere). */
#define SIMT(SYM, PREC, VAR, MIN, OPS_PER_THREAD, OUT, IN_FN, VF_FN, INBYTES, ITERS)          \
  {.symbol = SYM, .module = TPP_CUDA_MOD_SIMT, .precision = PREC, .path = TPP_PATH_VECTOR,  \
   .variant = VAR, .min_cc = MIN, .threads_per_block = SIMT_THREADS, .blocks_per_sm = 4,      \
   .iters = ITERS, .ops_per_block_per_iter = (double)(OPS_PER_THREAD) * SIMT_THREADS,         \
   .in_bytes = INBYTES, .out_bytes_per_block = (size_t)(OUT) * SIMT_THREADS,                  \
   .make_input = IN_FN, .verify = VF_FN}

/* Per block and iteration: 8 warps x 4 sets x one m x 8 x k mma = 2 m 8 k ops each.
 * Operands: 32 lanes x (A + B registers) x 4 bytes (f64: one double each); output per lane:
 * the accumulator elements, 4 bytes each (f64 8). */
#define MMA(SYM, PREC, SP, MIN, MAX, ITERS) MMA_(SYM, PREC, SP, MIN, MAX, ITERS, SPEC_##SP)
#define MMA_(...) MMA_SHAPED(__VA_ARGS__)
#define MMA_SHAPED(SYM, PREC, SP, MIN, MAX, ITERS, NAME, ELEM, ACC, M, K, NA, NB, OUT)         \
  {.symbol = SYM, .module = TPP_CUDA_MOD_MMA, .precision = PREC, .path = TPP_PATH_TENSOR,   \
   .variant = NAME, .min_cc = MIN, .max_cc = MAX, .threads_per_block = 32 * MMA_WARPS,  \
   .blocks_per_sm = 4, .iters = ITERS, .ops_per_block_per_iter = 2.0 * M * 8 * K * MMA_SETS * MMA_WARPS, \
   .in_bytes = (size_t)32 * ((NA) + (NB)) * 4, .out_bytes_per_block = (size_t)(OUT) * 32 * MMA_WARPS, \
   .make_input = in_##SP, .verify = vf_##SP}

static const struct tpp_cuda_kernel kernels[] = {
    SIMT("tpp_cuda_dfma", TPP_FP64, "dfma", 75, 2 * SIMT_CHAINS, 8, in_dfma, vf_dfma, 16, 65536),
    SIMT("tpp_cuda_ffma", TPP_FP32, "ffma", 75, 2 * SIMT_CHAINS, 4, in_ffma, vf_ffma, 8, 131072),
    SIMT("tpp_cuda_hfma2", TPP_FP16, "hfma2", 75, 4 * SIMT_CHAINS, 4, in_hfma2, vf_hfma2, 4, 131072),
    SIMT("tpp_cuda_hfma2_bf16", TPP_BF16, "hfma2.bf16", 80, 4 * SIMT_CHAINS, 4, in_hfma2_bf16,
         vf_hfma2_bf16, 4, 131072),
    SIMT("tpp_cuda_imad", TPP_INT32, "imad", 75, 2 * SIMT_CHAINS, 4, in_imad, vf_imad, 8, 65536),
    SIMT("tpp_cuda_dp4a", TPP_INT8, "idp4a", 75, 8 * SIMT_CHAINS, 4, in_dp4a, vf_dp4a, 8, 65536),
    MMA("tpp_cuda_dmma", TPP_FP64, sp_f64, 80, 0, 32768),
    MMA("tpp_cuda_hmma_tf32_f32acc", TPP_TF32, sp_tf32, 80, 0, 65536),
    MMA("tpp_cuda_hmma_f16_k8_f32acc", TPP_FP16, sp_f16_k8, 75, 75, 32768),
    MMA("tpp_cuda_hmma_f16_f32acc", TPP_FP16, sp_f16, 80, 0, 65536),
    MMA("tpp_cuda_hmma_f16_k8_f16acc", TPP_FP16, sp_f16acc_k8, 75, 75, 32768 + F16_RUN),
    MMA("tpp_cuda_hmma_f16_f16acc", TPP_FP16, sp_f16acc, 80, 0, 65536 + F16_RUN),
    MMA("tpp_cuda_hmma_bf16_f32acc", TPP_BF16, sp_bf16, 80, 0, 65536),
    /* Triangle-wave kernels (f16 accumulate, FP8) run 2^k + 32 iterations: the wave at its
     * peak, t = 32, never at zero (see mma_steps). */
    /* FP8 mma.sync is native on Ada (sm_89) and consumer Blackwell (sm_12x); sm_90 and
     * sm_100 lower it to F2FP conversions + HMMA (seen in the SASS): their FP8 path is
     * wgmma / tcgen05, so no FP8 mma.sync row there. */
    MMA("tpp_cuda_qmma_e4m3_f32acc", TPP_FP8, sp_e4m3, 89, 89, 16384 + F16_RUN),
    MMA("tpp_cuda_qmma_e4m3_f32acc", TPP_FP8, sp_e4m3, 120, 129, 16384 + F16_RUN),
    MMA("tpp_cuda_qmma_e5m2_f32acc", TPP_FP8, sp_e5m2, 89, 89, 16384 + F16_RUN),
    MMA("tpp_cuda_qmma_e5m2_f32acc", TPP_FP8, sp_e5m2, 120, 129, 16384 + F16_RUN),
    MMA("tpp_cuda_imma_s8_m8", TPP_INT8, sp_s8_m8, 75, 75, 65536),
    MMA("tpp_cuda_imma_s8", TPP_INT8, sp_s8, 80, 0, 65536),
    /* INT4 tensor cores end with Ada: Hopper emulates s4 mma, sm_120 splits it in two. */
    MMA("tpp_cuda_imma_s4_m8", TPP_INT4, sp_s4_m8, 75, 75, 65536),
    MMA("tpp_cuda_imma_s4", TPP_INT4, sp_s4, 80, 89, 65536),
};

#define N_KERNELS (sizeof(kernels) / sizeof(kernels[0]))
#define MAX_WGMMA 16

const struct tpp_cuda_kernel *const *
tpp_cuda_kernels(void)
{
  /* Built on first use; the process's first caller is the single-threaded CLI. */
  static const struct tpp_cuda_kernel *all[N_KERNELS + MAX_WGMMA + 1];
  static int built;
  if (!built) {
    const struct tpp_cuda_kernel *const *wg = tpp_cuda_wgmma_kernels();
    size_t n = 0;
    for (size_t i = 0; i < N_KERNELS; i++)
      all[n++] = &kernels[i];
    for (size_t i = 0; wg[i] && i < MAX_WGMMA; i++)
      all[n++] = wg[i];
    all[n] = NULL;
    built = 1;
  }
  return all;
}
