/* hip_kernels.c - descriptors of the AMD vector-ALU peak kernels (kernels/hip/
 * peak_vector.hip), their operands and host checks, and the block trailer shared by every
 * kernel.  The matrix-core
 * kernels are in hip_matrix.c.
 *
 * Launch sizes (napkin math for an MI300X, 304 CUs at 2.1 GHz; one launch at units = 1,
 * 4 blocks of 256 threads per CU):
 *   v_fma_f64     16 chains x 2 = 32 FLOP/thread/iter, 8192 per block; 4 blocks per CU
 *                 at 128 FLOP/clk/CU: 256 clocks an iteration, 65536 iters ~ 8 ms
 *                 (RDNA, 4 FLOP/clk/CU: 2048 iters ~ 7 ms at 2.5 GHz)
 *   v_pk_fma_f32  16 chains x 2 lanes x 2 = 64 FLOP/thread/iter, 16384 per block; at
 *                 256 FLOP/clk/CU 256 clocks an iteration, 65536 iters ~ 8 ms
 *   v_pk_fma_f16  the same shape (a half2 chain = 2 FMAs); 256 FLOP/clk/CU on CDNA (512 on RDNA3)
 *
 * Chains (see peak_vector.hip): FP64 and FP32 step x = fma(x, a, b) with a = 1 + 2^-20 and
 * b > 0, so every step adds at least 4 ulps and a chain grows strictly: it cannot settle
 * or repeat, and a missing step shows.  FP16 chains are a half2 (u, v) stepping
 * (fma(v, k0, u), fma(u, k1, v)) with k0 = -k1 = 2^-8, a slowly growing rotation: v*k0 + u
 * is exact in double, so rounding it once to half reproduces the device bit for bit.
 */
#include "gpu/gpu.h"
#include "hip/hip_kernels.h"

#include <pthread.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tpp/peakref.h"

#define CHAINS 16
#define SAMPLES TPP_HIP_VERIFY_SAMPLES
#define CDNA (TPP_HIP_ARCH_BIT(TPP_HIP_GFX90A) | TPP_HIP_ARCH_BIT(TPP_HIP_GFX942))
#define RDNA (TPP_HIP_ARCH_BIT(TPP_HIP_GFX1100) | TPP_HIP_ARCH_BIT(TPP_HIP_GFX1201))

#define FAIL(...)                       \
  do {                                  \
    snprintf(why, whylen, __VA_ARGS__); \
    return -1;                          \
  } while (0)

/* --- targets ------------------------------------------------------------------------- */

static const char *const arch_names[TPP_HIP_ARCH_COUNT] = {[TPP_HIP_GFX90A] = "gfx90a",
                                                           [TPP_HIP_GFX942] = "gfx942",
                                                           [TPP_HIP_GFX1100] = "gfx1100",
                                                           [TPP_HIP_GFX1201] = "gfx1201"};

const char *
tpp_hip_arch_name(enum tpp_hip_arch a)
{
  return a < TPP_HIP_ARCH_COUNT ? arch_names[a] : "unknown";
}

int
tpp_hip_arch_parse(const char *gcn_arch_name, enum tpp_hip_arch *out)
{
  size_t len = strcspn(gcn_arch_name, ":");
  for (int a = 0; a < TPP_HIP_ARCH_COUNT; a++)
    if (strlen(arch_names[a]) == len && strncmp(gcn_arch_name, arch_names[a], len) == 0) {
      *out = (enum tpp_hip_arch)a;
      return 0;
    }
  return -1;
}

int
tpp_hip_kernels_built(void)
{
  for (int m = 0; m < TPP_HIP_MOD_COUNT; m++)
    for (int a = 0; a < TPP_HIP_ARCH_COUNT; a++)
      if (tpp_hip_code_objects[m][a] && tpp_hip_code_object_sizes[m][a])
        return 1;
  return 0;
}

/* --- trailers ------------------------------------------------------------------------ */

void
tpp_hip_trailer(void *out16, size_t block, unsigned iters)
{
  uint32_t t[4] = {TPP_HIP_MAGIC, (uint32_t)block, iters, TPP_HIP_BLOCK};
  memcpy(out16, t, sizeof(t));
}

int
tpp_hip_check_trailers(const void *out, size_t blocks, size_t block_bytes, unsigned iters,
                       char *why, size_t whylen)
{
  for (size_t b = 0; b < blocks; b++) {
    uint32_t t[4];
    memcpy(t, (const unsigned char *)out + (b + 1) * block_bytes - TPP_HIP_TRAILER_BYTES,
           sizeof(t));
    if (t[0] != TPP_HIP_MAGIC)
      FAIL("block %zu did not finish (trailer 0x%08x, want 0x%08x)", b, t[0], TPP_HIP_MAGIC);
    if (t[1] != (uint32_t)b || t[2] != iters || t[3] != TPP_HIP_BLOCK)
      FAIL("block %zu trailer says block %u, %u iterations, %u threads (want %zu, %u, %d)", b, t[1],
           t[2], t[3], b, iters, TPP_HIP_BLOCK);
  }
  return 0;
}

/* --- vector kernels: operands -------------------------------------------------------- */

#define GROW (1.0 + 0x1p-20) /* a: exact in float and double */

static void
in_f64(void *in, size_t n, uint64_t seed)
{
  double v[2] = {GROW, 0x1p-20};
  (void)seed;
  memcpy(in, v, n < sizeof(v) ? n : sizeof(v));
}

static void
in_f32(void *in, size_t n, uint64_t seed)
{
  float v[4] = {(float)GROW, (float)GROW, 0x1p-20f, 0x1p-19f}; /* a lanes, b lanes */
  (void)seed;
  memcpy(in, v, n < sizeof(v) ? n : sizeof(v));
}

/* FP16: the rotation's k0 = 2^-8, k1 = -2^-8 (exact in half). */
static void
in_f16(void *in, size_t n, uint64_t seed)
{
  uint16_t v[2] = {0x1c00, 0x9c00};
  (void)seed;
  memcpy(in, v, n < sizeof(v) ? n : sizeof(v));
}

/* --- vector kernels: chains ----------------------------------------------------------- */

static double
start(uint32_t g, uint32_t c, uint32_t l)
{
  return (double)(tpp_peakref_key(g, c, l) & 1023u) / 1024.0 + 0.5;
}

/* Sample s of n: threads spread evenly over the launch, the first and the last included
 * (the ones the GPU layer reads back). */
static uint32_t
sample_thread(size_t blocks, size_t s, size_t n)
{
  return (uint32_t)tpp_gpu_sample_thread(blocks * TPP_HIP_BLOCK, s, n);
}

static const void *
block_data(const void *out, size_t block_bytes, uint32_t g)
{
  return (const unsigned char *)out + (g / TPP_HIP_BLOCK) * block_bytes;
}

static int
vf_f64(const void *in, const void *out, size_t blocks, unsigned iters, char *why, size_t whylen)
{
  const double *ab = in;
  const size_t bb = TPP_HIP_BLOCK * 8 + TPP_HIP_TRAILER_BYTES;
  if (tpp_hip_check_trailers(out, blocks, bb, iters, why, whylen))
    return -1;
  for (size_t s = 0; s < SAMPLES; s++) {
    uint32_t g = sample_thread(blocks, s, SAMPLES);
    double got, want = tpp_peakref_f64(g, 0, CHAINS, iters, ab[0], ab[1]);
    memcpy(&got, (const double *)block_data(out, bb, g) + g % TPP_HIP_BLOCK, 8);
    if (memcmp(&got, &want, 8) != 0)
      FAIL("v_fma_f64: thread %u: device %.17g, host %.17g", g, got, want);
  }
  return 0;
}

static int
vf_f32(const void *in, const void *out, size_t blocks, unsigned iters, char *why, size_t whylen)
{
  const float *ab = in;
  const size_t bb = TPP_HIP_BLOCK * 8 + TPP_HIP_TRAILER_BYTES;
  if (tpp_hip_check_trailers(out, blocks, bb, iters, why, whylen))
    return -1;
  for (size_t s = 0; s < SAMPLES; s++) {
    uint32_t g = sample_thread(blocks, s, SAMPLES);
    for (uint32_t l = 0; l < 2; l++) {
      float got, want = tpp_peakref_f32(g, l, CHAINS, iters, ab[l], ab[2 + l]);
      memcpy(&got, (const float *)block_data(out, bb, g) + 2 * (g % TPP_HIP_BLOCK) + l, 4);
      if (memcmp(&got, &want, 4) != 0)
        FAIL("v_pk_fma_f32: thread %u lane %u: device %.9g, host %.9g", g, l, (double)got,
             (double)want);
    }
  }
  return 0;
}

/* An exact double (a value of the FP16 chain: v*k + u) rounded once to half, nearest
 * even, subnormals included: bit operations, as fast as the 2^32-step simulations need
 * (tests/backends/hip/test_hip_ref.c checks it against tpp_float_to_half). */
uint16_t
tpp_hip_half_round(double d)
{
  uint64_t b, m, q, rem, half;
  int e, shift;
  uint16_t sign;
  memcpy(&b, &d, 8);
  sign = (uint16_t)((b >> 48) & 0x8000);
  if (((b >> 52) & 0x7ff) == 0)
    return sign; /* zero (or a double subnormal: far below half's range) */
  e = (int)((b >> 52) & 0x7ff) - 1023;
  if (e > 15)
    return sign | 0x7c00;
  m = (b & ((1ull << 52) - 1)) | 1ull << 52;
  shift = e >= -14 ? 42 : 28 - e; /* bits dropped: to 11 significant bits, or units of 2^-24 */
  if (shift > 60)
    return sign;
  q = m >> shift;
  rem = m & ((1ull << shift) - 1);
  half = 1ull << (shift - 1);
  if (rem > half || (rem == half && (q & 1)))
    q++;
  if (e < -14)
    return sign | (uint16_t)q; /* 0x400 is the smallest normal: the encoding carries */
  if (q >> 11) {
    q >>= 1;
    e++;
  }
  return e > 15 ? sign | 0x7c00 : sign | (uint16_t)((e + 15) << 10) | (uint16_t)(q & 0x3ff);
}

/* Half to float for every code (the chains convert twice a step). */
static float *
half_table(void)
{
  float *t = malloc(65536 * sizeof(*t));
  for (uint32_t h = 0; t && h < 65536; h++)
    t[h] = tpp_half_to_float((uint16_t)h);
  return t;
}

/* One step of an FP16 chain: (u, v) <- (round(v*k0 + u), round(u*k1 + v)). */
static void
f16_step(uint16_t *u, uint16_t *v, double k0, double k1, const float *hf)
{
  double uf = hf[*u], vf = hf[*v];
  *u = tpp_hip_half_round(vf * k0 + uf);
  *v = tpp_hip_half_round(uf * k1 + vf);
}

/* One thread's output: its chains, then their lane-wise left-to-right sums in half. */
static void
f16_thread(uint32_t g, const uint16_t *k, unsigned iters, const float *hf, uint16_t r[2])
{
  double k0 = hf[k[0]], k1 = hf[k[1]];
  for (uint32_t c = 0; c < CHAINS; c++) {
    uint16_t u = tpp_hip_half_round(start(g, c, 0)), v = tpp_hip_half_round(start(g, c, 1));
    for (unsigned i = 0; i < iters; i++)
      f16_step(&u, &v, k0, k1, hf);
    r[0] = c == 0 ? u : tpp_hip_half_round((double)hf[r[0]] + hf[u]);
    r[1] = c == 0 ? v : tpp_hip_half_round((double)hf[r[1]] + hf[v]);
  }
}

static int
vf_f16(const void *in, const void *out, size_t blocks, unsigned iters, char *why, size_t whylen)
{
  const size_t bb = TPP_HIP_BLOCK * 4 + TPP_HIP_TRAILER_BYTES;
  float *hf = half_table();
  int rc = tpp_hip_check_trailers(out, blocks, bb, iters, why, whylen);
  if (!hf) {
    snprintf(why, whylen, "v_pk_fma_f16: out of memory");
    rc = -1;
  }
  for (size_t s = 0; s < SAMPLES && rc == 0; s++) {
    uint32_t g = sample_thread(blocks, s, SAMPLES);
    uint16_t want[2], got[2];
    f16_thread(g, in, iters, hf, want);
    memcpy(got, (const uint16_t *)block_data(out, bb, g) + 2 * (g % TPP_HIP_BLOCK), 4);
    for (int l = 0; l < 2 && rc == 0; l++)
      if (got[l] != want[l]) {
        snprintf(why, whylen, "v_pk_fma_f16: thread %u half %d: device 0x%04x, host 0x%04x", g, l,
                 got[l], want[l]);
        rc = -1;
      }
  }
  free(hf);
  return rc;
}

/* The references: one thread's output (the simulated runtime computes only the sampled ones). */
static void
ref_f64(const void *in, unsigned iters, size_t g, void *out)
{
  const double *ab = in;
  double r = tpp_peakref_f64((uint32_t)g, 0, CHAINS, iters, ab[0], ab[1]);
  memcpy(out, &r, 8);
}

static void
ref_f32(const void *in, unsigned iters, size_t g, void *out)
{
  const float *ab = in;
  float r[2];
  for (uint32_t l = 0; l < 2; l++)
    r[l] = tpp_peakref_f32((uint32_t)g, l, CHAINS, iters, ab[l], ab[2 + l]);
  memcpy(out, r, 8);
}

static void
ref_f16(const void *in, unsigned iters, size_t g, void *out)
{
  float *hf = half_table();
  uint16_t r[2] = {0x7e00, 0x7e00}; /* a NaN, which never matches, when out of memory */
  if (hf)
    f16_thread((uint32_t)g, in, iters, hf, r);
  memcpy(out, r, 4);
  free(hf);
}

/* --- vector kernels: do the chains still move at the end? ---------------------------------
 * Chain starts are (key & 1023) / 1024 + 0.5 and the key covers every residue, so the
 * 1024 start values per lane are every chain the kernel runs.  Each is simulated for the
 * full count; in the last 1% every step must change it (FP64/FP32: grow strictly). */

static unsigned
tail_from(unsigned iters)
{
  unsigned tail = iters / 100;
  return iters - (tail ? tail : 1);
}

static int
mv_f64(const void *in, unsigned iters, char *why, size_t whylen)
{
  const double *ab = in;
  for (uint32_t k = 0; k < 1024; k++) {
    double x = (double)k / 1024.0 + 0.5;
    for (unsigned i = 1; i <= iters; i++) {
      double y = fma(x, ab[0], ab[1]);
      if (i > tail_from(iters) && !(y > x))
        FAIL("v_fma_f64: chain from %g stops moving at step %u of %u", (double)k / 1024 + 0.5, i,
             iters);
      x = y;
    }
  }
  return 0;
}

static int
mv_f32(const void *in, unsigned iters, char *why, size_t whylen)
{
  const float *ab = in;
  for (uint32_t l = 0; l < 2; l++)
    for (uint32_t k = 0; k < 1024; k++) {
      float x = (float)k / 1024.0f + 0.5f;
      for (unsigned i = 1; i <= iters; i++) {
        float y = fmaf(x, ab[l], ab[2 + l]);
        if (i > tail_from(iters) && !(y > x))
          FAIL("v_pk_fma_f32: lane %u chain from %g stops moving at step %u of %u", l,
               (double)k / 1024 + 0.5, i, iters);
        x = y;
      }
    }
  return 0;
}

/* FP16: every chain (u, v) = (start(r), start(r + 5)), r = 0..1023; in the last 1% none
 * may return to a state it held earlier in that window (which also rules out a fixed
 * point), nor overflow. */
static int
mv_f16(const void *in, unsigned iters, char *why, size_t whylen)
{
  const uint16_t *k = in;
  unsigned from = tail_from(iters), n = iters - from;
  float *hf = half_table();
  uint32_t *win = malloc(((size_t)n + 1) * sizeof(*win));
  int rc = 0;
  if (!hf || !win) {
    snprintf(why, whylen, "v_pk_fma_f16: out of memory");
    rc = -1;
  }
  for (uint32_t r = 0; r < 1024 && rc == 0; r++) {
    uint16_t u = tpp_hip_half_round((double)r / 1024 + 0.5);
    uint16_t v = tpp_hip_half_round((double)((r + 5) & 1023) / 1024 + 0.5);
    unsigned have = 0;
    for (unsigned i = 1; i <= iters && rc == 0; i++) {
      f16_step(&u, &v, hf[k[0]], hf[k[1]], hf);
      if (!isfinite(hf[u]) || !isfinite(hf[v])) {
        snprintf(why, whylen, "v_pk_fma_f16: chain %u overflows at step %u", r, i);
        rc = -1;
      }
      if (i <= from)
        continue;
      for (unsigned j = 0; j < have && rc == 0; j++)
        if (win[j] == ((uint32_t)u << 16 | v)) {
          snprintf(why, whylen,
                   "v_pk_fma_f16: chain %u returns to state 0x%04x%04x at step %u "
                   "of %u (held at step %u)",
                   r, u, v, i, iters, from + 1 + j);
          rc = -1;
        }
      win[have++] = (uint32_t)u << 16 | v;
    }
  }
  free(hf);
  free(win);
  return rc;
}

/* --- the table ----------------------------------------------------------------------- */

/* 256 threads, 4 blocks per CU: 16 waves a CU on CDNA (4 per SIMD), 32 wave32s on RDNA. */
#define VEC(SYM, ARCHS, PREC, VAR, OPS_PER_THREAD, ELEM_BYTES, IN_FN, VF_FN, MV_FN, INBYTES, \
            ITERS, REF_FN)                                                                   \
  {                                                                                          \
    .symbol = SYM, .module = TPP_HIP_MOD_VECTOR, .archs = ARCHS, .precision = PREC,          \
    .path = TPP_PATH_VECTOR, .variant = VAR, .wave_size = (ARCHS) == RDNA ? 32 : 64,         \
    .blocks_per_cu = 4, .iters = ITERS, .iter_step = 1,                                      \
    .ops_per_block_per_iter = (double)(OPS_PER_THREAD)*TPP_HIP_BLOCK, .in_bytes = INBYTES,   \
    .out_bytes_per_block = (size_t)(ELEM_BYTES)*TPP_HIP_BLOCK + TPP_HIP_TRAILER_BYTES,       \
    .make_input = IN_FN, .verify = VF_FN, .moving = MV_FN, .verify_samples = SAMPLES,        \
    .reference = REF_FN                                                                      \
  }

static const struct tpp_hip_kernel vector_kernels[] = {
    VEC("tpp_hip_fma_f64", CDNA, TPP_FP64, "v_fma_f64", 2 * CHAINS, 8, in_f64, vf_f64, mv_f64, 16,
        65536, ref_f64),
    VEC("tpp_hip_fma_f64", RDNA, TPP_FP64, "v_fma_f64", 2 * CHAINS, 8, in_f64, vf_f64, mv_f64, 16,
        2048, ref_f64),
    VEC("tpp_hip_pk_fma_f32", CDNA, TPP_FP32, "v_pk_fma_f32", 4 * CHAINS, 8, in_f32, vf_f32, mv_f32,
        16, 65536, ref_f32),
    /* RDNA has no packed FP32 FMA: the same kernel compiles to two v_fma_f32 a chain. */
    VEC("tpp_hip_pk_fma_f32", RDNA, TPP_FP32, "v_fma_f32", 4 * CHAINS, 8, in_f32, vf_f32, mv_f32,
        16, 65536, ref_f32),
    VEC("tpp_hip_pk_fma_f16", CDNA, TPP_FP16, "v_pk_fma_f16", 4 * CHAINS, 4, in_f16, vf_f16, mv_f16,
        4, 65536, ref_f16),
    VEC("tpp_hip_pk_fma_f16", RDNA, TPP_FP16, "v_pk_fma_f16", 4 * CHAINS, 4, in_f16, vf_f16, mv_f16,
        4, 65536, ref_f16),
};

#define N_VECTOR (sizeof(vector_kernels) / sizeof(vector_kernels[0]))
#define MAX_MATRIX 32

/* Built once, on first use: with `run --device all` the first callers are the devices'
 * threads, at once. */
static const struct tpp_hip_kernel *all_kernels[N_VECTOR + MAX_MATRIX + 1];
static pthread_once_t all_once = PTHREAD_ONCE_INIT;

static void
build_all(void)
{
  const struct tpp_hip_kernel *const *mx = tpp_hip_matrix_kernels();
  size_t n = 0;
  for (size_t i = 0; i < N_VECTOR; i++)
    all_kernels[n++] = &vector_kernels[i];
  for (size_t i = 0; mx[i] && i < MAX_MATRIX; i++)
    all_kernels[n++] = mx[i];
  all_kernels[n] = NULL;
}

const struct tpp_hip_kernel *const *
tpp_hip_kernels(void)
{
  pthread_once(&all_once, build_all);
  return all_kernels;
}
