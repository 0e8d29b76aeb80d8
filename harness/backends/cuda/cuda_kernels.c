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
 * Each chain keeps changing to its last step (peak_simt.cu says how for each type;
 * tests/backends/cuda/test_cuda_chains.c simulates them for the real counts).
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
 *   one set peaks at 32 * 128 = 2^12;  f64 m16n8k16 (sm_90) |A*B| <= 64;
 *   f16 accumulate: one set peaks at 32 * |A*B| <= 2048 (f16 integers are exact to 2^11),
 *   the sets are summed in f32;  s8/s4 wrap modulo 2^32 exactly;  f64 exact to 2^53.
 * verify() refuses an iters beyond these bounds rather than report a false mismatch.
 * Triangle-wave kernels also count whole periods: lane 0 of each warp adds floor(n / 64)
 * to its element 0, so n and n + 64 differ.
 */
#include "cuda/cuda_kernels.h"
#include "gpu/gpu.h"

#include <math.h>
#include <pthread.h>
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

/* FFMA/DFMA: x = fma(x, a, b) with a = 1 - 2^-16, b = 3 * 2^-16: x walks towards the fixed
 * point 3, far from every start value in [0.5, 1.5), and still moves by many ulps a step
 * after the 131072 (65536) steps of a launch (1 - 2^-12 and 2^-12 stalled at 1 within
 * ~33,600 FFMA steps, and a chain starting at 1.0 never moved). */
static void
in_ffma(void *in, size_t n, uint64_t seed)
{
  float v[2] = {0.9999847412109375f, 4.57763671875e-05f};
  (void)seed;
  memcpy(in, v, n < sizeof(v) ? n : sizeof(v));
}

static void
in_dfma(void *in, size_t n, uint64_t seed)
{
  double v[2] = {0.9999847412109375, 4.57763671875e-05};
  (void)seed;
  memcpy(in, v, n < sizeof(v) ? n : sizeof(v));
}

/* IMAD: a = 1 (mod 4) and b odd give x = x*a + b the full period 2^32 (Hull-Dobell). */
static void
in_imad(void *in, size_t n, uint64_t seed)
{
  uint32_t v[2] = {((uint32_t)splitmix64(&seed) & ~3u) | 1u, (uint32_t)splitmix64(&seed) | 1u};
  memcpy(in, v, n < sizeof(v) ? n : sizeof(v));
}

/* HFMA2 chains step x = fma(x, x, c_t) with c_t in [-1.9, -1.75]: every orbit of
 * [-1.9, 1.9] stays there for all of them (x^2 + c lies in [c, 3.61 + c]), chaotic, and
 * c_t moves every TPP_CUDA_H2_TRIP steps (peak_simt.cu): in = {base, inc, shift}, the half2
 * bits of c_t = base + ((t * 0x9E3779B9) >> shift) * inc, a sequence that does not repeat.  fp16:
 * 0xBF00 (-1.75) + 0..24 per half, inc 2, 64 values (to -1.8955); bf16 has 19 codes there: 0xBFE0
 * (-1.75) + 0..2, inc 1, 16 values (to -1.8984). */
static void
in_hfma2(void *in, size_t n, uint64_t seed)
{
  uint32_t lo = 0xBF00u + (uint32_t)(splitmix64(&seed) % 25),
           hi = 0xBF00u + (uint32_t)(splitmix64(&seed) % 25);
  uint32_t v[3] = {lo | hi << 16, 2u | 2u << 16, 26u}; /* 64 values */
  memcpy(in, v, n < sizeof(v) ? n : sizeof(v));
}

static void
in_hfma2_bf16(void *in, size_t n, uint64_t seed)
{
  uint32_t lo = 0xBFE0u + (uint32_t)(splitmix64(&seed) % 3),
           hi = 0xBFE0u + (uint32_t)(splitmix64(&seed) % 3);
  uint32_t v[3] = {lo | hi << 16, 1u | 1u << 16, 28u}; /* 16 values */
  memcpy(in, v, n < sizeof(v) ? n : sizeof(v));
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

/* --- CUDA-core references and checks ------------------------------------------------- */

static uint32_t
sample_thread(size_t blocks, size_t s, size_t n)
{
  return (uint32_t)tpp_gpu_sample_thread(blocks * SIMT_THREADS, s, n);
}

#define FAIL(...)                       \
  do {                                  \
    snprintf(why, whylen, __VA_ARGS__); \
    return -1;                          \
  } while (0)

static void
ref_ffma(const void *in, unsigned iters, size_t g, void *out)
{
  const float *ab = in;
  float r = tpp_peakref_f32((uint32_t)g, 0, SIMT_CHAINS, iters, ab[0], ab[1]);
  memcpy(out, &r, sizeof(r));
}

static void
ref_dfma(const void *in, unsigned iters, size_t g, void *out)
{
  const double *ab = in;
  double r = tpp_peakref_f64((uint32_t)g, 0, SIMT_CHAINS, iters, ab[0], ab[1]);
  memcpy(out, &r, sizeof(r));
}

static void
ref_imad(const void *in, unsigned iters, size_t g, void *out)
{
  const uint32_t *ab = in;
  uint32_t r = tpp_peakref_uint((uint32_t)g, 0, SIMT_CHAINS, iters, ab[0], ab[1], 0xffffffffu);
  memcpy(out, &r, sizeof(r));
}

static int32_t
dp4a(int32_t x, uint32_t b, int32_t c)
{
  int32_t sum = c;
  for (int i = 0; i < 4; i++)
    sum += (int32_t)(int8_t)((uint32_t)x >> (8 * i)) * (int32_t)(int8_t)(b >> (8 * i));
  return sum;
}

/* DP4A chain: step s adds c + s * 0x10001 (peak_simt.cu). */
static void
ref_dp4a(const void *in, unsigned iters, size_t g, void *out)
{
  const uint32_t *bc = in;
  uint32_t r = 0;
  for (int c = 0; c < SIMT_CHAINS; c++) {
    int32_t x = (int32_t)(tpp_peakref_key((uint32_t)g, (uint32_t)c, 0) + 1u);
    for (unsigned i = 0; i < iters; i++)
      x = dp4a(x, bc[0], (int32_t)(bc[1] + i * 0x10001u));
    r += (uint32_t)x;
  }
  memcpy(out, &r, sizeof(r));
}

/* One step x -> round(x * x + c) of a half (bf16) chain is a map of the 2^16 codes: one
 * table per constant code, built once per process (at most 128 codes are used). */
static pthread_mutex_t h2_lock = PTHREAD_MUTEX_INITIALIZER;
static uint16_t *h2_tables[2][65536];

static const uint16_t *
h2_table(int bf16, uint16_t c)
{
  uint16_t *t;
  pthread_mutex_lock(&h2_lock);
  t = h2_tables[bf16][c];
  if (!t && (t = malloc(65536 * sizeof(*t))) != NULL) {
    double c0 = bf16 ? tpp_bf16_to_float(c) : tpp_half_to_float(c);
    for (uint32_t x = 0; x < 65536; x++) {
      double xf = bf16 ? tpp_bf16_to_float((uint16_t)x) : tpp_half_to_float((uint16_t)x);
      t[x] = isfinite(xf)
                 ? (bf16 ? tpp_float_to_bf16(fma(xf, xf, c0)) : tpp_float_to_half(fma(xf, xf, c0)))
                 : (uint16_t)x;
    }
    h2_tables[bf16][c] = t;
  }
  pthread_mutex_unlock(&h2_lock);
  return t;
}

uint16_t
tpp_cuda_h2_constant(const void *in, int lane, unsigned step)
{
  const uint32_t *bi = in;
  uint32_t bits = bi[0] + (((step / TPP_CUDA_H2_TRIP) * 0x9E3779B9u) >> bi[2]) * bi[1];
  return (uint16_t)(bits >> (16 * lane));
}

/* One lane of a half2 / bfloat162 chain kernel: init on a 1/1024 (1/128) grid, then
 * x = round(fma(x, x, c_t)), then the left-to-right sum, each rounded once. */
static uint16_t
ref_h2_lane(const void *in, uint32_t g, int lane, unsigned iters, int bf16)
{
  float (*to_f)(uint16_t) = bf16 ? tpp_bf16_to_float : tpp_half_to_float;
  uint16_t (*from_f)(double) = bf16 ? tpp_float_to_bf16 : tpp_float_to_half;
  uint16_t x[SIMT_CHAINS], r = 0;
  for (int c = 0; c < SIMT_CHAINS; c++) {
    uint32_t k = tpp_peakref_key(g, (uint32_t)c, 0) + 5u * (uint32_t)lane;
    x[c] = bf16 ? from_f((double)(k & 127u) / 128.0 + 0.5)
                : from_f((double)(k & 1023u) / 1024.0 + 0.5);
  }
  for (unsigned i = 0; i < iters; i += TPP_CUDA_H2_TRIP) {
    const uint16_t *step = h2_table(bf16, tpp_cuda_h2_constant(in, lane, i));
    unsigned n = iters - i < TPP_CUDA_H2_TRIP ? iters - i : TPP_CUDA_H2_TRIP;
    if (!step)
      return 0xffff; /* out of memory: a NaN code, which never matches */
    for (int c = 0; c < SIMT_CHAINS; c++)
      for (unsigned j = 0; j < n; j++)
        x[c] = step[x[c]];
  }
  for (int c = 0; c < SIMT_CHAINS; c++)
    r = c == 0 ? x[c] : from_f((double)to_f(r) + to_f(x[c]));
  return r;
}

static void
ref_h2(const void *in, unsigned iters, size_t g, void *out, int bf16)
{
  uint16_t v[2] = {ref_h2_lane(in, (uint32_t)g, 0, iters, bf16),
                   ref_h2_lane(in, (uint32_t)g, 1, iters, bf16)};
  memcpy(out, v, sizeof(v));
}

static void
ref_hfma2(const void *in, unsigned iters, size_t g, void *out)
{
  ref_h2(in, iters, g, out, 0);
}

static void
ref_hfma2_bf16(const void *in, unsigned iters, size_t g, void *out)
{
  ref_h2(in, iters, g, out, 1);
}

/* Compare the sampled threads' outputs (elem bytes each) with the reference. */
static int
vf_simt(const char *name, void (*ref)(const void *, unsigned, size_t, void *), size_t elem,
        unsigned samples, const void *in, const void *out, size_t blocks, unsigned iters, char *why,
        size_t whylen)
{
  for (size_t s = 0; s < samples; s++) {
    uint32_t g = sample_thread(blocks, s, samples);
    unsigned char want[8];
    const unsigned char *got = (const unsigned char *)out + (size_t)g * elem;
    ref(in, iters, g, want);
    if (memcmp(want, got, elem) != 0) {
      char w[48], d[48];
      if (elem == 8) {
        double a, b;
        memcpy(&a, want, 8);
        memcpy(&b, got, 8);
        snprintf(w, sizeof(w), "%.17g", a);
        snprintf(d, sizeof(d), "%.17g", b);
      } else if (strcmp(name, "ffma") == 0) {
        float a, b;
        memcpy(&a, want, 4);
        memcpy(&b, got, 4);
        snprintf(w, sizeof(w), "%.9g", (double)a);
        snprintf(d, sizeof(d), "%.9g", (double)b);
      } else {
        uint32_t a, b;
        memcpy(&a, want, 4);
        memcpy(&b, got, 4);
        snprintf(w, sizeof(w), "0x%08x", a);
        snprintf(d, sizeof(d), "0x%08x", b);
      }
      FAIL("%s: thread %u: device %s, host %s", name, g, d, w);
    }
  }
  return 0;
}

#define SIMT_FUNCS(NAME, ELEM, SAMPLES)                                                           \
  static int vf_##NAME(const void *in, const void *out, size_t blocks, unsigned iters, char *why, \
                       size_t whylen)                                                             \
  {                                                                                               \
    return vf_simt(#NAME, ref_##NAME, ELEM, SAMPLES, in, out, blocks, iters, why, whylen);        \
  }
SIMT_FUNCS(ffma, 4, VERIFY_SAMPLES)
SIMT_FUNCS(dfma, 8, VERIFY_SAMPLES)
SIMT_FUNCS(imad, 4, VERIFY_SAMPLES)
SIMT_FUNCS(dp4a, 4, VERIFY_SAMPLES)
SIMT_FUNCS(hfma2, 4, H2_SAMPLES)
SIMT_FUNCS(hfma2_bf16, 4, H2_SAMPLES)

/* --- mma.sync operands and checks ----------------------------------------------------- */

enum elem { E_F16, E_BF16, E_TF32, E_E4M3, E_E5M2, E_S8, E_S4, E_F64 };

/* Codes of the allowed non-zero operand values and the values they stand for. */
static const struct {
  int bits;
  int n;
  uint32_t code[8];
  double value[8];
} elems[] = {
    [E_F16] = {16, 4, {0x3c00, 0xbc00, 0x4000, 0xc000},                 {1, -1, 2, -2}              },
    [E_BF16] = {16, 4, {0x3f80, 0xbf80, 0x4000, 0xc000},                 {1, -1, 2, -2}              },
    [E_TF32] = {32, 4, {0x3f800000, 0xbf800000, 0x40000000, 0xc0000000}, {1, -1, 2, -2}              },
    [E_E4M3] = {8,  4, {0x38, 0xb8, 0x40, 0xc0},                         {1, -1, 2, -2}              },
    [E_E5M2] = {8,  4, {0x3c, 0xbc, 0x40, 0xc0},                         {1, -1, 2, -2}              },
    [E_S8] = {8,  8, {0x01, 0xff, 0x02, 0xfe, 0x03, 0xfd, 0x04, 0xfc}, {1, -1, 2, -2, 3, -3, 4, -4}},
    [E_S4] = {4,  8, {0x1, 0xf, 0x3, 0xd, 0x5, 0xb, 0x7, 0x9},         {1, -1, 3, -3, 5, -5, 7, -7}},
    [E_F64] = {64, 4, {0},                                              {1, -1, 2, -2}              },
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
  int m, k;         /* m16n8kK or m8n8kK */
  int na, nb;       /* fragment registers per lane: 32-bit ones, or doubles for f64 */
  int out_per_lane; /* bytes of output per lane */
};

/* Accumulator elements per lane as written: m16n8 4, m8n8 2. */
static int
mma_nc(const struct mma_spec *sp)
{
  return sp->m == 16 ? 4 : 2;
}

static int
mma_wave(const struct mma_spec *sp)
{
  return sp->acc == ACC_F16 || sp->in == E_E4M3 || sp->in == E_E5M2;
}

/* How many times A*B one set holds after `iters` iterations. */
static double
mma_steps(const struct mma_spec *sp, unsigned iters)
{
  if (mma_wave(sp)) { /* triangle wave */
    unsigned m = iters % (2 * F16_RUN);
    return m <= F16_RUN ? m : 2 * F16_RUN - m;
  }
  return iters;
}

/* f64: `in` holds A as 32 lanes x na doubles, then B as 32 x nb; others 32-bit registers. */
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

/* A (m x K) and B (K x 8) rebuilt from the fragments; NAN on a bad code.  Register r of A,
 * element j (e elements of `bits` per register; f64: one per register), lane (g, tig):
 * row g + 8 (r & 1), column tig e + j + 4e (r >> 1); of B: row tig e + j + 4e r, column g. */
static void
mma_matrices(const struct mma_spec *sp, const void *in, double a[16][64], double b[64][8])
{
  int bits = elems[sp->in].bits, e = bits == 64 ? 1 : 32 / bits, half = 4 * e;
  uint32_t mask = bits >= 32 ? 0xffffffffu : (1u << bits) - 1u;
  for (int lane = 0; lane < 32; lane++) {
    int g = lane / 4, tig = lane % 4;
    for (int r = 0; r < sp->na; r++)
      for (int j = 0; j < e; j++)
        a[g + 8 * (r & 1)][tig * e + j + half * (r >> 1)] =
            bits == 64
                ? ((const double *)in)[lane * sp->na + r]
                : decode(sp->in, (((const uint32_t *)in)[lane * sp->na + r] >> (j * bits)) & mask);
    for (int r = 0; r < sp->nb; r++)
      for (int j = 0; j < e; j++)
        b[tig * e + j + half * r][g] =
            bits == 64
                ? ((const double *)in)[32 * sp->na + lane * sp->nb + r]
                : decode(sp->in,
                         (((const uint32_t *)in)[32 * sp->na + lane * sp->nb + r] >> (j * bits)) &
                             mask);
  }
}

/* A*B (m x 8) from the operands; -1 with why on a code outside the kernel's set. */
static int
mma_product(const struct mma_spec *sp, const void *in, double ab[16][8], double *amax, char *why,
            size_t whylen)
{
  double a[16][64], b[64][8];
  *amax = 0;
  mma_matrices(sp, in, a, b);
  for (int r = 0; r < sp->m; r++)
    for (int c = 0; c < 8; c++) {
      ab[r][c] = 0;
      for (int k = 0; k < sp->k; k++)
        ab[r][c] += a[r][k] * b[k][c];
      if (isnan(ab[r][c]))
        FAIL("%s: operand buffer holds a value outside the kernel's set", sp->name);
      *amax = fmax(*amax, fabs(ab[r][c]));
    }
  return 0;
}

/* The expected output element `at` (warp-relative: lane * nc + i) of any warp. */
static double
mma_expect(const struct mma_spec *sp, double ab[16][8], unsigned iters, int lane, int i)
{
  int g = lane / 4, tig = lane % 4;
  double want = MMA_SETS * mma_steps(sp, iters) * ab[g + 8 * (i >> 1)][tig * 2 + (i & 1)];
  if (sp->acc == ACC_S32)
    want = (double)(int32_t)(uint32_t)(int64_t)want; /* the accumulator wraps modulo 2^32 */
  if (mma_wave(sp) && lane == 0 && i == 0)
    want += iters / (2 * F16_RUN); /* whole periods of the wave, counted by the kernel */
  return want;
}

static void
mma_store(const struct mma_spec *sp, void *out, size_t at, double v)
{
  if (sp->acc == ACC_F64)
    ((double *)out)[at] = v;
  else if (sp->acc == ACC_S32)
    ((int32_t *)out)[at] = (int32_t)v;
  else
    ((float *)out)[at] = (float)v;
}

static double
mma_load(const struct mma_spec *sp, const void *out, size_t at)
{
  if (sp->acc == ACC_F64)
    return ((const double *)out)[at];
  if (sp->acc == ACC_S32)
    return ((const int32_t *)out)[at];
  return ((const float *)out)[at];
}

/* The reference: one block (MMA_WARPS identical warps) as the kernel writes it. */
static void
mma_reference(const struct mma_spec *sp, const void *in, unsigned iters, size_t block, void *out)
{
  double ab[16][8], amax;
  char why[8];
  int nc = mma_nc(sp);
  (void)block;
  if (mma_product(sp, in, ab, &amax, why, sizeof(why)) != 0) {
    memset(out, 0xff, (size_t)MMA_WARPS * 32 * (size_t)nc * (sp->acc == ACC_F64 ? 8 : 4));
    return;
  }
  for (int wp = 0; wp < MMA_WARPS; wp++)
    for (int lane = 0; lane < 32; lane++)
      for (int i = 0; i < nc; i++)
        mma_store(sp, out, ((size_t)wp * 32 + (size_t)lane) * (size_t)nc + (size_t)i,
                  mma_expect(sp, ab, iters, lane, i));
}

static int
mma_verify(const struct mma_spec *sp, const void *in, const void *out, size_t blocks,
           unsigned iters, char *why, size_t whylen)
{
  double ab[16][8], amax = 0;
  int nc = mma_nc(sp);
  double steps = mma_steps(sp, iters), factor = MMA_SETS * steps;
  size_t warps = blocks * MMA_WARPS;

  if (steps == 0) /* a triangle-wave kernel back at zero: a launch doing nothing would pass */
    FAIL("%s: %u iterations leave the accumulators at zero: nothing to check", sp->name, iters);
  if (mma_product(sp, in, ab, &amax, why, whylen) != 0)
    return -1;
  /* Exactness: a set's accumulator (f16 11 bits, FP8 about 14, f32 24, f64 53) and the f32
   * sum of the sets; operands are integers, so the unit is 1. */
  if ((sp->acc == ACC_F16 && !tpp_cuda_exact_in_bits(steps * amax, 1, 11)) ||
      ((sp->in == E_E4M3 || sp->in == E_E5M2) &&
       !tpp_cuda_exact_in_bits(steps * amax, 1, TPP_CUDA_FP8_ACC_BITS)) ||
      (sp->acc == ACC_F32 &&
       !tpp_cuda_exact_in_bits(factor * amax + (mma_wave(sp) ? iters / (2 * F16_RUN) : 0), 1,
                               24)) ||
      (sp->acc == ACC_F64 && !tpp_cuda_exact_in_bits(factor * amax, 1, 53)))
    FAIL("%s: %u iterations exceed the exact range of the accumulator", sp->name, iters);
  for (size_t wp = 0; wp < warps; wp++)
    for (int lane = 0; lane < 32; lane++)
      for (int i = 0; i < nc; i++) {
        size_t at = (wp * 32 + (size_t)lane) * (size_t)nc + (size_t)i;
        double got = mma_load(sp, out, at), want = mma_expect(sp, ab, iters, lane, i);
        if (got != want)
          FAIL("%s: warp %zu lane %d element %d (row %d, col %d): device %.9g, host %.9g", sp->name,
               wp, lane, i, lane / 4 + 8 * (i >> 1), (lane % 4) * 2 + (i & 1), got, want);
      }
  return 0;
}

int
tpp_cuda_exact_in_bits(double max_abs, double unit, int bits)
{
  /* Every multiple of unit up to 2^bits units has at most `bits` significant bits. */
  return unit > 0 && fabs(max_abs) / unit <= ldexp(1.0, bits);
}

/* Per kernel: variant, operand type, accumulator, m, k, 32-bit fragment registers per lane
 * of A and B, output bytes per lane (macros, so the descriptor table can use them). */
#define SPEC_sp_f64 "dmma.m8n8k4", E_F64, ACC_F64, 8, 4, 1, 1, 16
#define SPEC_sp_f64_k16 "dmma.m16n8k16", E_F64, ACC_F64, 16, 16, 8, 4, 32
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

static const struct mma_spec sp_f64 = {SPEC_sp_f64}, sp_f64_k16 = {SPEC_sp_f64_k16},
                             sp_tf32 = {SPEC_sp_tf32}, sp_f16_k8 = {SPEC_sp_f16_k8},
                             sp_f16 = {SPEC_sp_f16}, sp_f16acc_k8 = {SPEC_sp_f16acc_k8},
                             sp_f16acc = {SPEC_sp_f16acc}, sp_bf16 = {SPEC_sp_bf16},
                             sp_e4m3 = {SPEC_sp_e4m3}, sp_e5m2 = {SPEC_sp_e5m2},
                             sp_s8_m8 = {SPEC_sp_s8_m8}, sp_s8 = {SPEC_sp_s8},
                             sp_s4_m8 = {SPEC_sp_s4_m8}, sp_s4 = {SPEC_sp_s4};

/* make_input / verify entry points per spec (the descriptor takes plain functions). */
#define MMA_FUNCS(SP)                                                                           \
  static void in_##SP(void *in, size_t n, uint64_t seed)                                        \
  {                                                                                             \
    mma_make(&SP, in, n, seed);                                                                 \
  }                                                                                             \
  static int vf_##SP(const void *in, const void *out, size_t blocks, unsigned iters, char *why, \
                     size_t whylen)                                                             \
  {                                                                                             \
    return mma_verify(&SP, in, out, blocks, iters, why, whylen);                                \
  }                                                                                             \
  static void ref_##SP(const void *in, unsigned iters, size_t unit, void *out)                  \
  {                                                                                             \
    mma_reference(&SP, in, iters, unit, out);                                                   \
  }
MMA_FUNCS(sp_f64)
MMA_FUNCS(sp_f64_k16)
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
#define SIMT(SYM, PREC, VAR, MIN, OPS_PER_THREAD, OUT, NAME, INBYTES, ITERS, SAMPLES)       \
  {                                                                                         \
    .symbol = SYM, .module = TPP_CUDA_MOD_SIMT, .precision = PREC, .path = TPP_PATH_VECTOR, \
    .variant = VAR, .min_cc = MIN, .threads_per_block = SIMT_THREADS, .blocks_per_sm = 4,   \
    .iters = ITERS, .ops_per_block_per_iter = (double)(OPS_PER_THREAD)*SIMT_THREADS,        \
    .in_bytes = INBYTES, .out_bytes_per_block = (size_t)(OUT)*SIMT_THREADS,                 \
    .make_input = in_##NAME, .verify = vf_##NAME, .verify_samples = SAMPLES,                \
    .reference = ref_##NAME                                                                 \
  }

/* Per block and iteration: 8 warps x 4 sets x one m x 8 x k mma = 2 m 8 k ops each.
 * Operands: 32 lanes x (A + B registers) x 4 bytes (f64: 8); output per lane: the
 * accumulator elements, 4 bytes each (f64 8).  BLOCKS: the __launch_bounds__ minimum. */
#define MMA(SYM, PREC, SP, MIN, MAX, ITERS) MMA_(SYM, PREC, SP, MIN, MAX, ITERS, 4, SPEC_##SP)
#define MMA_B(SYM, PREC, SP, MIN, MAX, ITERS, BLOCKS) \
  MMA_(SYM, PREC, SP, MIN, MAX, ITERS, BLOCKS, SPEC_##SP)
#define MMA_(...) MMA_SHAPED(__VA_ARGS__)
#define MMA_SHAPED(SYM, PREC, SP, MIN, MAX, ITERS, BLOCKS, NAME, ELEM, ACC, M, K, NA, NB, OUT)     \
  {                                                                                                \
    .symbol = SYM, .module = TPP_CUDA_MOD_MMA, .precision = PREC, .path = TPP_PATH_TENSOR,         \
    .variant = NAME, .min_cc = MIN, .max_cc = MAX, .threads_per_block = 32 * MMA_WARPS,            \
    .blocks_per_sm = BLOCKS, .iters = ITERS,                                                       \
    .ops_per_block_per_iter = 2.0 * M * 8 * K * MMA_SETS * MMA_WARPS,                              \
    .in_bytes = (size_t)32 * ((NA) + (NB)) * ((ELEM) == E_F64 ? 8 : 4),                            \
    .out_bytes_per_block = (size_t)(OUT)*32 * MMA_WARPS, .make_input = in_##SP, .verify = vf_##SP, \
    .reference = ref_##SP                                                                          \
  }

static const struct tpp_cuda_kernel kernels[] = {
    SIMT("tpp_cuda_dfma", TPP_FP64, "dfma", 75, 2 * SIMT_CHAINS, 8, dfma, 16, 65536,
         VERIFY_SAMPLES),
    SIMT("tpp_cuda_ffma", TPP_FP32, "ffma", 75, 2 * SIMT_CHAINS, 4, ffma, 8, 131072,
         VERIFY_SAMPLES),
    SIMT("tpp_cuda_hfma2", TPP_FP16, "hfma2", 75, 4 * SIMT_CHAINS, 4, hfma2, 12, 131072,
         H2_SAMPLES),
    SIMT("tpp_cuda_hfma2_bf16", TPP_BF16, "hfma2.bf16", 80, 4 * SIMT_CHAINS, 4, hfma2_bf16, 12,
         131072, H2_SAMPLES),
    SIMT("tpp_cuda_imad", TPP_INT32, "imad", 75, 2 * SIMT_CHAINS, 4, imad, 8, 65536,
         VERIFY_SAMPLES),
    SIMT("tpp_cuda_dp4a", TPP_INT8, "idp4a", 75, 8 * SIMT_CHAINS, 4, dp4a, 8, 65536,
         VERIFY_SAMPLES),
    /* FP64 tensor cores: GA100 (sm_80), Hopper and datacenter Blackwell (sm_90 .. sm_110).
     * sm_86/89/12x have DMMA only for program correctness, at a fraction of the DFMA rate:
     * no fp64 tensor row there.  m16n8k16 is native on sm_90 only (DMMA.16x8x16); sm_100
     * and sm_110 split it into DMMA.8x8x4, so m8n8k4 measures them. */
    MMA("tpp_cuda_dmma", TPP_FP64, sp_f64, 80, 80, 32768),
    MMA("tpp_cuda_dmma", TPP_FP64, sp_f64, 90, 119, 32768),
    MMA_B("tpp_cuda_dmma_k16", TPP_FP64, sp_f64_k16, 90, 90, 8192, 2),
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

/* Built once, on first use: with `run --device all` the first callers are the devices'
 * threads, at once. */
static const struct tpp_cuda_kernel *all_kernels[N_KERNELS + MAX_WGMMA + 1];
static pthread_once_t all_once = PTHREAD_ONCE_INIT;

static void
build_all(void)
{
  const struct tpp_cuda_kernel *const *wg = tpp_cuda_wgmma_kernels();
  size_t n = 0;
  for (size_t i = 0; i < N_KERNELS; i++)
    all_kernels[n++] = &kernels[i];
  for (size_t i = 0; wg[i] && i < MAX_WGMMA; i++)
    all_kernels[n++] = wg[i];
  all_kernels[n] = NULL;
}

const struct tpp_cuda_kernel *const *
tpp_cuda_kernels(void)
{
  pthread_once(&all_once, build_all);
  return all_kernels;
}
