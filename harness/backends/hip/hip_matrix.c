/* hip_matrix.c - descriptors, operands and host checks of the AMD matrix-core kernels
 * (kernels/hip/peak_mfma.hip on CDNA, peak_wmma.hip on RDNA; the loop is peak_matrix.h).
 *
 * Every wave takes the same operand registers (`in`, lane-major), keeps 4 accumulator
 * sets and writes their sum, so each output element must be exactly 4 * t * (A*B)[i][j]
 * with t = iters (the FP8 kernels: the triangle wave t(iters), period 64).  The host
 * rebuilds A and B from the registers with the ISA's layouts (register -> matrix element,
 * below), multiplies them and checks every element of every wave, and every block's
 * trailer.  The layouts are those of AMD's Matrix Instruction Calculator
 * (github.com/ROCm/amd_matrix_instruction_calculator, commit 2ef9189, 2025-05-20), for
 * lane l, operand dword r, element j within the dword (q = its index among the lane's
 * elements):
 *   CDNA 32x32xK   A[i][k]: i = l % 32, k = (l / 32) * K/2 + q      (B: j for i)
 *                  D element c: i = 8(c/4) + 4(l/32) + c%4, j = l % 32
 *   CDNA 16x16x4   A[i][k]: i = l % 16, k = l / 16 (one f64 a lane)
 *   (f64)          D element c: i = 4c + l/16, j = l % 16
 *   RDNA3 16x16x16 A[i][k]: i = l % 16, k = q; lanes 16-31 repeat lanes 0-15
 *                  D element c: i = 2c + l/16, j = l % 16
 *   RDNA4 16x16x16 16-bit: k = 8(r/2) + 4(l/16) + 2(r%2) + j; 8-bit: k = 8(l/16) + 4r + j
 *                  D element c: i = 8(l/16) + c, j = l % 16
 * tests/backends/hip/test_hip_ref.c builds fragments through the inverse mapping (matrix element ->
 * register, the calculator's other direction), so a layout slip on either side fails.
 *
 * Exactness: operands are +-1, +-2 (INT8 up to +-4), exact in every input format; a set
 * holds t * (A*B), and the f32 sum of the 4 sets must stay below 2^24 (i32: 2^31, f64:
 * 2^53).  verify() refuses an iteration count beyond that rather than report a false
 * mismatch.  Launch sizes aim at ~8 ms a launch at units = 1 on the largest part of each
 * target: iters x 8 (CDNA) or 16 (RDNA) waves a CU x 4 x 2MNK / rate.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hip/hip_kernels.h"
#include "tpp/peakref.h"

#define SETS 4
#define RUN 32 /* TPP_RUN: iterations between sign flips of A (triangle wave) */

#define FAIL(...)                       \
  do {                                  \
    snprintf(why, whylen, __VA_ARGS__); \
    return -1;                          \
  } while (0)

/* Operand formats.  FP8/BF8 on gfx942 are the FNUZ variants (ROCm HIP documentation, "FP8
 * Numbers": gfx940/941/942 support FNUZ FP8 and not OCP FP8; no infinities, no -0: 0x80 is
 * the NaN) with exponent bias 8 for E4M3 and 16 for E5M2 (LLVM's APFloat, Float8E4M3FNUZ
 * and Float8E5M2FNUZ), one more than the OCP formats of gfx12, which use 7 and 15. */
enum elem { E_F16, E_BF16, E_F32, E_F64, E_I8, E_FP8_FNUZ, E_BF8_FNUZ, E_FP8_OCP, E_BF8_OCP };

static const struct {
  int bits;
  int ebits, mbits, bias; /* FP8 only */
  int n;                  /* allowed values */
  double value[8];
} elems[] = {
    [E_F16] = {16, 0, 0, 0,  4, {1, -1, 2, -2}              },
    [E_BF16] = {16, 0, 0, 0,  4, {1, -1, 2, -2}              },
    [E_F32] = {32, 0, 0, 0,  4, {1, -1, 2, -2}              },
    [E_F64] = {64, 0, 0, 0,  4, {1, -1, 2, -2}              },
    [E_I8] = {8,  0, 0, 0,  8, {1, -1, 2, -2, 3, -3, 4, -4}},
    [E_FP8_FNUZ] = {8,  4, 3, 8,  4, {1, -1, 2, -2}              },
    [E_BF8_FNUZ] = {8,  5, 2, 16, 4, {1, -1, 2, -2}              },
    [E_FP8_OCP] = {8,  4, 3, 7,  4, {1, -1, 2, -2}              },
    [E_BF8_OCP] = {8,  5, 2, 15, 4, {1, -1, 2, -2}              },
};

enum layout { L_CDNA32, L_CDNA16_F64, L_RDNA3, L_RDNA4 };
enum acc { ACC_F32, ACC_I32, ACC_F64 };

struct spec {
  enum elem elem;
  enum layout layout;
  int mn, k; /* M = N = mn; K */
  int wave;
  int na, nb; /* operand dwords a lane */
  int nc;     /* accumulator elements a lane */
  enum acc acc;
  int flip; /* triangle wave */
};

/* Decode one FP8 code (either family); NAN for NaN codes. */
static double
fp8_value(enum elem e, uint32_t code)
{
  int eb = elems[e].ebits, mb = elems[e].mbits, bias = elems[e].bias;
  int ex = (int)(code >> mb) & ((1 << eb) - 1), man = (int)code & ((1 << mb) - 1);
  int fnuz = e == E_FP8_FNUZ || e == E_BF8_FNUZ;
  double v;
  if (fnuz && code == 0x80)
    return NAN;
  if (!fnuz && ex == (1 << eb) - 1 && (e == E_BF8_OCP || man == (1 << mb) - 1))
    return e == E_BF8_OCP && man == 0 ? INFINITY : NAN;
  v = ex == 0 ? ldexp(man, 1 - bias - mb) : ldexp(1.0 + ldexp(man, -mb), ex - bias);
  return code & 0x80 ? -v : v;
}

/* The value an element code stands for; NAN unless it is one of the allowed values. */
static double
decode(enum elem e, uint64_t code)
{
  double v;
  float f;
  uint32_t u = (uint32_t)code;
  switch (e) {
  case E_F16:
    v = tpp_half_to_float((uint16_t)u);
    break;
  case E_BF16:
    v = tpp_bf16_to_float((uint16_t)u);
    break;
  case E_F32:
    memcpy(&f, &u, 4);
    v = f;
    break;
  case E_F64:
    memcpy(&v, &code, 8);
    break;
  case E_I8:
    v = (int8_t)u;
    break;
  default:
    v = fp8_value(e, u);
    break;
  }
  for (int i = 0; i < elems[e].n; i++)
    if (elems[e].value[i] == v)
      return v;
  return NAN;
}

/* The code of an allowed value (make_input). */
static uint64_t
encode(enum elem e, double v)
{
  float f = (float)v;
  uint32_t u;
  uint64_t w;
  int ex;
  switch (e) {
  case E_F16:
    return tpp_float_to_half(v);
  case E_BF16:
    return tpp_float_to_bf16(v);
  case E_F32:
    memcpy(&u, &f, 4);
    return u;
  case E_F64:
    memcpy(&w, &v, 8);
    return w;
  case E_I8:
    return (uint8_t)(int8_t)v;
  default: /* powers of two only: sign | biased exponent | zero mantissa */
    frexp(fabs(v), &ex);
    return (v < 0 ? 0x80u : 0u) | (uint32_t)(ex - 1 + elems[e].bias) << elems[e].mbits;
  }
}

/* --- layouts: register -> matrix element -------------------------------------------- */

/* Lane `lane`'s element j of dword r holds A[mn][k] (B[k][mn]). */
static void
operand_pos(const struct spec *sp, int lane, int r, int j, int *mn, int *k)
{
  int bits = elems[sp->elem].bits, per = bits >= 32 ? 1 : 32 / bits, q = r * per + j;
  *mn = *k = 0;
  switch (sp->layout) {
  case L_CDNA32:
    *mn = lane % 32;
    *k = (lane / 32) * (sp->k / 2) + q;
    break;
  case L_CDNA16_F64:
    *mn = lane % 16;
    *k = lane / 16;
    break;
  case L_RDNA3:
    *mn = lane % 16;
    *k = q;
    break;
  case L_RDNA4:
    *mn = lane % 16;
    *k = bits == 16 ? 8 * (r / 2) + 4 * (lane / 16) + 2 * (r % 2) + j : 8 * (lane / 16) + 4 * r + j;
    break;
  }
}

/* Lane `lane`'s accumulator element c is D[*i][*j]. */
static void
result_pos(const struct spec *sp, int lane, int c, int *i, int *j)
{
  *i = *j = 0;
  switch (sp->layout) {
  case L_CDNA32:
    *i = 8 * (c / 4) + 4 * (lane / 32) + c % 4;
    *j = lane % 32;
    break;
  case L_CDNA16_F64:
    *i = 4 * c + lane / 16;
    *j = lane % 16;
    break;
  case L_RDNA3:
    *i = 2 * c + lane / 16;
    *j = lane % 16;
    break;
  case L_RDNA4:
    *i = 8 * (lane / 16) + c;
    *j = lane % 16;
    break;
  }
}

/* Element j of dword r (elements of 8/16 bits; f64: r = 0 reads dwords 0-1). */
static uint64_t
element(const uint32_t *w, int bits, int r, int j)
{
  if (bits == 64)
    return (uint64_t)w[0] | (uint64_t)w[1] << 32;
  if (bits == 32)
    return w[r];
  return (w[r] >> (j * bits)) & ((1u << bits) - 1u);
}

/* Elements a lane holds in `nw` dwords: (dwords, per-dword) pairs to walk. */
static void
lane_shape(const struct spec *sp, int nw, int *dwords, int *per)
{
  int bits = elems[sp->elem].bits;
  *dwords = bits == 64 ? 1 : nw;
  *per = bits >= 32 ? 1 : 32 / bits;
}

/* A (mn x k) and B (k x mn) from the lane-major registers.  0, or -1 with `why` when a
 * code is outside the kernel's set or RDNA3's replicated lanes differ. */
static int
matrices(const struct spec *sp, const void *in, double a[32][16], double b[16][32], char *why,
         size_t whylen)
{
  const uint32_t *w = in;
  int bits = elems[sp->elem].bits;
  for (int op = 0; op < 2; op++) {
    int nw = op == 0 ? sp->na : sp->nb, dwords, per;
    const uint32_t *base = op == 0 ? w : w + sp->wave * sp->na;
    lane_shape(sp, nw, &dwords, &per);
    for (int lane = 0; lane < sp->wave; lane++) {
      const uint32_t *lw = base + lane * nw;
      if (sp->layout == L_RDNA3 && lane >= 16 && memcmp(lw, lw - 16 * nw, (size_t)nw * 4) != 0)
        FAIL("operand %c: lane %d differs from lane %d (RDNA3 replicates lanes 0-15)",
             op ? 'B' : 'A', lane, lane - 16);
      for (int r = 0; r < dwords; r++)
        for (int j = 0; j < per; j++) {
          int mn, k;
          double v = decode(sp->elem, element(lw, bits, r, j));
          if (isnan(v))
            FAIL("operand %c: lane %d dword %d element %d holds a value outside the kernel's set",
                 op ? 'B' : 'A', lane, r, j);
          operand_pos(sp, lane, r, j, &mn, &k);
          if (op == 0)
            a[mn][k] = v;
          else
            b[k][mn] = v;
        }
    }
  }
  return 0;
}

/* How many A*B one set holds after n iterations: n, or the triangle wave (A's sign flips
 * after every RUN iterations). */
static double
set_steps(const struct spec *sp, unsigned n)
{
  unsigned m;
  if (!sp->flip)
    return n;
  m = n % (2 * RUN);
  return m <= RUN ? m : 2 * RUN - m;
}

static void
product(const struct spec *sp, double a[32][16], double b[16][32], double ab[32][32], double *amax)
{
  *amax = 0;
  for (int i = 0; i < sp->mn; i++)
    for (int j = 0; j < sp->mn; j++) {
      ab[i][j] = 0;
      for (int k = 0; k < sp->k; k++)
        ab[i][j] += a[i][k] * b[k][j];
      *amax = fmax(*amax, fabs(ab[i][j]));
    }
}

static size_t
elem_bytes(const struct spec *sp)
{
  return sp->acc == ACC_F64 ? 8 : 4;
}

static int
mx_verify(const struct spec *sp, const char *name, const void *in, const void *out, size_t blocks,
          unsigned iters, char *why, size_t whylen)
{
  double a[32][16], b[16][32], ab[32][32], amax;
  unsigned step = sp->flip ? RUN : 4;
  double factor = SETS * set_steps(sp, iters);
  size_t eb = elem_bytes(sp), data = (size_t)TPP_HIP_BLOCK * (size_t)sp->nc * eb;
  size_t waves = (size_t)TPP_HIP_BLOCK / (size_t)sp->wave;

  if (iters < step || iters % step != 0)
    FAIL("%s: runs a multiple of %u iterations, not %u", name, step, iters);
  if (factor == 0) /* a triangle wave back at zero: a launch doing nothing would pass */
    FAIL("%s: %u iterations leave the accumulators at zero: nothing to check", name, iters);
  if (matrices(sp, in, a, b, why, whylen))
    return -1;
  product(sp, a, b, ab, &amax);
  if ((sp->acc == ACC_F32 && factor * amax > 16777216.0) ||
      (sp->acc == ACC_I32 && factor * amax > 2147483647.0) ||
      (sp->acc == ACC_F64 && factor * amax > 9007199254740992.0))
    FAIL("%s: %u iterations exceed the exact range of the accumulator", name, iters);
  if (tpp_hip_check_trailers(out, blocks, data + TPP_HIP_TRAILER_BYTES, iters, why, whylen))
    return -1;
  for (size_t blk = 0; blk < blocks; blk++) {
    const unsigned char *o = (const unsigned char *)out + blk * (data + TPP_HIP_TRAILER_BYTES);
    for (size_t wv = 0; wv < waves; wv++)
      for (int lane = 0; lane < sp->wave; lane++)
        for (int c = 0; c < sp->nc; c++) {
          size_t at = ((wv * (size_t)sp->wave + (size_t)lane) * (size_t)sp->nc + (size_t)c) * eb;
          int i, j;
          double got, want;
          result_pos(sp, lane, c, &i, &j);
          want = factor * ab[i][j];
          if (sp->acc == ACC_F64) {
            memcpy(&got, o + at, 8);
          } else if (sp->acc == ACC_I32) {
            int32_t v;
            memcpy(&v, o + at, 4);
            got = v;
          } else {
            float v;
            memcpy(&v, o + at, 4);
            got = v;
          }
          if (got != want)
            FAIL("%s: block %zu wave %zu lane %d element %d (D[%d][%d]): device %.9g, host %.9g",
                 name, blk, wv, lane, c, i, j, got, want);
        }
  }
  return 0;
}

/* The reference: one block's data (every wave the same), as mx_verify expects it; NaNs when
 * the operands are not the kernel's. */
static void
mx_reference(const struct spec *sp, const void *in, unsigned iters, size_t block, void *out)
{
  double a[32][16], b[16][32], ab[32][32], amax, factor = SETS * set_steps(sp, iters);
  size_t eb = elem_bytes(sp), waves = (size_t)TPP_HIP_BLOCK / (size_t)sp->wave;
  char why[8];
  (void)block; /* every block computes the same */
  if (matrices(sp, in, a, b, why, sizeof(why)) != 0) {
    memset(out, 0xff, (size_t)TPP_HIP_BLOCK * (size_t)sp->nc * eb);
    return;
  }
  product(sp, a, b, ab, &amax);
  for (size_t wv = 0; wv < waves; wv++)
    for (int lane = 0; lane < sp->wave; lane++)
      for (int c = 0; c < sp->nc; c++) {
        unsigned char *o = (unsigned char *)out +
                           ((wv * (size_t)sp->wave + (size_t)lane) * (size_t)sp->nc + (size_t)c) *
                               eb;
        int i, j;
        double want;
        result_pos(sp, lane, c, &i, &j);
        want = factor * ab[i][j];
        if (sp->acc == ACC_F64) {
          memcpy(o, &want, 8);
        } else if (sp->acc == ACC_I32) {
          int32_t v = (int32_t)want;
          memcpy(o, &v, 4);
        } else {
          float v = (float)want;
          memcpy(o, &v, 4);
        }
      }
}

/* Random codes from the allowed values in every operand register, RDNA3's lanes 16-31 a
 * copy of 0-15; drawn again in the (unlikely) case that A*B is all zero. */
static void
mx_make(const struct spec *sp, void *in, size_t n, uint64_t seed)
{
  double a[32][16], b[16][32], ab[32][32], amax = 0;
  char why[8];
  uint32_t *w = in;
  int bits = elems[sp->elem].bits;
  if (n < (size_t)sp->wave * (size_t)(sp->na + sp->nb) * 4)
    return;
  do {
    for (int op = 0; op < 2; op++) {
      int nw = op == 0 ? sp->na : sp->nb;
      uint32_t *base = op == 0 ? w : w + sp->wave * sp->na;
      for (int lane = 0; lane < sp->wave; lane++) {
        uint32_t *lw = base + lane * nw;
        if (sp->layout == L_RDNA3 && lane >= 16) {
          memcpy(lw, lw - 16 * nw, (size_t)nw * 4);
          continue;
        }
        for (int r = 0; r < nw; r++) {
          if (bits >= 32) {
            uint64_t s = seed += 0x9e3779b97f4a7c15ull, z = (s ^ (s >> 31)) * 0xbf58476d1ce4e5b9ull;
            uint64_t code = encode(sp->elem,
                                   elems[sp->elem].value[(z >> 33) % (uint64_t)elems[sp->elem].n]);
            if (bits == 64 && r + 1 < nw) {
              lw[r] = (uint32_t)code;
              lw[r + 1] = (uint32_t)(code >> 32);
              r++;
            } else {
              lw[r] = (uint32_t)code;
            }
            continue;
          }
          lw[r] = 0;
          for (int j = 0; j < 32 / bits; j++) {
            uint64_t s = seed += 0x9e3779b97f4a7c15ull, z = (s ^ (s >> 29)) * 0x94d049bb133111ebull;
            uint64_t code = encode(sp->elem,
                                   elems[sp->elem].value[(z >> 33) % (uint64_t)elems[sp->elem].n]);
            lw[r] |= (uint32_t)code << (j * bits);
          }
        }
      }
    }
    if (matrices(sp, in, a, b, why, sizeof(why)) != 0)
      return;
    product(sp, a, b, ab, &amax);
  } while (amax == 0);
}

/* The accumulators move at every iteration of the last 1% when A*B is not all zero and
 * the set count t(n) changes at each step (linear: +1; triangle: +-1). */
static int
mx_moving(const struct spec *sp, const char *name, const void *in, unsigned iters, char *why,
          size_t whylen)
{
  double a[32][16], b[16][32], ab[32][32], amax;
  unsigned tail = iters / 100 ? iters / 100 : 1;
  if (matrices(sp, in, a, b, why, whylen))
    return -1;
  product(sp, a, b, ab, &amax);
  if (amax == 0)
    FAIL("%s: A*B is zero: the accumulators never change", name);
  for (unsigned t = iters - tail + 1; t <= iters; t++)
    if (set_steps(sp, t) == set_steps(sp, t - 1))
      FAIL("%s: iteration %u of %u leaves the accumulators unchanged", name, t, iters);
  return 0;
}

/* Per kernel: operand format, layout, MN, K, wave, A and B dwords a lane, accumulator
 * elements a lane, accumulator type, triangle wave. */
#define SP_CDNA_F64 E_F64, L_CDNA16_F64, 16, 4, 64, 2, 2, 4, ACC_F64, 0
#define SP_CDNA_F32 E_F32, L_CDNA32, 32, 2, 64, 1, 1, 16, ACC_F32, 0
#define SP_CDNA_XF32 E_F32, L_CDNA32, 32, 4, 64, 2, 2, 16, ACC_F32, 0
#define SP_CDNA_F16 E_F16, L_CDNA32, 32, 8, 64, 2, 2, 16, ACC_F32, 0
#define SP_CDNA_BF16 E_BF16, L_CDNA32, 32, 8, 64, 2, 2, 16, ACC_F32, 0
#define SP_CDNA_I8K8 E_I8, L_CDNA32, 32, 8, 64, 1, 1, 16, ACC_I32, 0
#define SP_CDNA_I8K16 E_I8, L_CDNA32, 32, 16, 64, 2, 2, 16, ACC_I32, 0
#define SP_CDNA_FP8 E_FP8_FNUZ, L_CDNA32, 32, 16, 64, 2, 2, 16, ACC_F32, 1
#define SP_CDNA_BF8 E_BF8_FNUZ, L_CDNA32, 32, 16, 64, 2, 2, 16, ACC_F32, 1
#define SP_RDNA3_F16 E_F16, L_RDNA3, 16, 16, 32, 8, 8, 8, ACC_F32, 0
#define SP_RDNA3_BF16 E_BF16, L_RDNA3, 16, 16, 32, 8, 8, 8, ACC_F32, 0
#define SP_RDNA3_I8 E_I8, L_RDNA3, 16, 16, 32, 4, 4, 8, ACC_I32, 0
#define SP_RDNA4_F16 E_F16, L_RDNA4, 16, 16, 32, 4, 4, 8, ACC_F32, 0
#define SP_RDNA4_BF16 E_BF16, L_RDNA4, 16, 16, 32, 4, 4, 8, ACC_F32, 0
#define SP_RDNA4_I8 E_I8, L_RDNA4, 16, 16, 32, 2, 2, 8, ACC_I32, 0
#define SP_RDNA4_FP8 E_FP8_OCP, L_RDNA4, 16, 16, 32, 2, 2, 8, ACC_F32, 1
#define SP_RDNA4_BF8 E_BF8_OCP, L_RDNA4, 16, 16, 32, 2, 2, 8, ACC_F32, 1

/* The descriptor's functions per spec (the descriptor takes plain functions). */
#define MX_FUNCS(ID, NAME)                                                                      \
  static const struct spec sp_##ID = {SP_##ID};                                                 \
  static void in_##ID(void *in, size_t n, uint64_t seed)                                        \
  {                                                                                             \
    mx_make(&sp_##ID, in, n, seed);                                                             \
  }                                                                                             \
  static int vf_##ID(const void *in, const void *out, size_t blocks, unsigned iters, char *why, \
                     size_t whylen)                                                             \
  {                                                                                             \
    return mx_verify(&sp_##ID, NAME, in, out, blocks, iters, why, whylen);                      \
  }                                                                                             \
  static int mv_##ID(const void *in, unsigned iters, char *why, size_t whylen)                  \
  {                                                                                             \
    return mx_moving(&sp_##ID, NAME, in, iters, why, whylen);                                   \
  }                                                                                             \
  static void ref_##ID(const void *in, unsigned iters, size_t unit, void *out)                  \
  {                                                                                             \
    mx_reference(&sp_##ID, in, iters, unit, out);                                               \
  }
MX_FUNCS(CDNA_F64, "mfma.f64")
MX_FUNCS(CDNA_F32, "mfma.f32")
MX_FUNCS(CDNA_XF32, "mfma.xf32")
MX_FUNCS(CDNA_F16, "mfma.f16")
MX_FUNCS(CDNA_BF16, "mfma.bf16")
MX_FUNCS(CDNA_I8K8, "mfma.i8")
MX_FUNCS(CDNA_I8K16, "mfma.i8")
MX_FUNCS(CDNA_FP8, "mfma.fp8")
MX_FUNCS(CDNA_BF8, "mfma.bf8")
MX_FUNCS(RDNA3_F16, "wmma.f16")
MX_FUNCS(RDNA3_BF16, "wmma.bf16")
MX_FUNCS(RDNA3_I8, "wmma.i8")
MX_FUNCS(RDNA4_F16, "wmma.f16")
MX_FUNCS(RDNA4_BF16, "wmma.bf16")
MX_FUNCS(RDNA4_I8, "wmma.i8")
MX_FUNCS(RDNA4_FP8, "wmma.fp8")
MX_FUNCS(RDNA4_BF8, "wmma.bf8")

#define G90A TPP_HIP_ARCH_BIT(TPP_HIP_GFX90A)
#define G942 TPP_HIP_ARCH_BIT(TPP_HIP_GFX942)
#define G1100 TPP_HIP_ARCH_BIT(TPP_HIP_GFX1100)
#define G1201 TPP_HIP_ARCH_BIT(TPP_HIP_GFX1201)

/* 256 threads a block, 2 blocks a CU: 8 wave64s (2 a SIMD) on CDNA, 16 wave32s on RDNA. */
#define MX(SYM, ARCHS, PREC, VAR, ID, ITERS) MX_(SYM, ARCHS, PREC, VAR, ID, ITERS, SP_##ID)
#define MX_(...) MX_SHAPED(__VA_ARGS__)
#define MX_SHAPED(SYM, ARCHS, PREC, VAR, ID, ITERS, ELEM, LAYOUT, MN, K, WAVE, NA, NB, NC, ACC, \
                  FLIP)                                                                         \
  {                                                                                             \
    .symbol = SYM, .module = TPP_HIP_MOD_MATRIX, .archs = ARCHS, .precision = PREC,             \
    .path = TPP_PATH_TENSOR, .variant = VAR, .wave_size = WAVE, .blocks_per_cu = 2,             \
    .iters = ITERS, .iter_step = (FLIP) ? RUN : 4,                                              \
    .ops_per_block_per_iter = 2.0 * (MN) * (MN) * (K)*SETS * (TPP_HIP_BLOCK / (WAVE)),          \
    .in_bytes = (size_t)(WAVE) * ((NA) + (NB)) * 4,                                             \
    .out_bytes_per_block = (size_t)TPP_HIP_BLOCK * (NC) * ((ACC) == ACC_F64 ? 8 : 4) +          \
                           TPP_HIP_TRAILER_BYTES,                                               \
    .make_input = in_##ID, .verify = vf_##ID, .moving = mv_##ID, .reference = ref_##ID          \
  }

static const struct tpp_hip_kernel matrix_kernels[] = {
    /* CDNA2, gfx90a (MI210, MI250, MI250X); 1024 FLOP/clk/CU for f16/bf16/i8 */
    MX("tpp_hip_mfma_f64", G90A, TPP_FP64, "v_mfma_f64_16x16x4f64", CDNA_F64, 65536),
    MX("tpp_hip_mfma_f32", G90A, TPP_FP32, "v_mfma_f32_32x32x2f32", CDNA_F32, 32768),
    MX("tpp_hip_mfma_f16", G90A, TPP_FP16, "v_mfma_f32_32x32x8f16", CDNA_F16, 32768),
    MX("tpp_hip_mfma_bf16", G90A, TPP_BF16, "v_mfma_f32_32x32x8bf16_1k", CDNA_BF16, 32768),
    MX("tpp_hip_mfma_i8", G90A, TPP_INT8, "v_mfma_i32_32x32x8i8", CDNA_I8K8, 32768),
    /* CDNA3, gfx942 (MI300X, MI300A, MI325X, MI308X); 2048 for f16/bf16, 4096 i8/fp8 */
    MX("tpp_hip_mfma_f64", G942, TPP_FP64, "v_mfma_f64_16x16x4_f64", CDNA_F64, 65536),
    MX("tpp_hip_mfma_f32", G942, TPP_FP32, "v_mfma_f32_32x32x2_f32", CDNA_F32, 32768),
    MX("tpp_hip_mfma_xf32", G942, TPP_TF32, "v_mfma_f32_32x32x4_xf32", CDNA_XF32, 65536),
    MX("tpp_hip_mfma_f16", G942, TPP_FP16, "v_mfma_f32_32x32x8_f16", CDNA_F16, 65536),
    MX("tpp_hip_mfma_bf16", G942, TPP_BF16, "v_mfma_f32_32x32x8_bf16", CDNA_BF16, 65536),
    MX("tpp_hip_mfma_i8_k16", G942, TPP_INT8, "v_mfma_i32_32x32x16_i8", CDNA_I8K16, 65536),
    /* Triangle-wave kernels run 2^k + 32 iterations: the wave at its peak, never at 0. */
    MX("tpp_hip_mfma_fp8", G942, TPP_FP8, "v_mfma_f32_32x32x16_fp8_fp8", CDNA_FP8, 65536 + RUN),
    MX("tpp_hip_mfma_bf8", G942, TPP_FP8, "v_mfma_f32_32x32x16_bf8_bf8", CDNA_BF8, 65536 + RUN),
    /* RDNA3, gfx1100 (Radeon RX 7900 XTX/XT, PRO W7900): 512 FLOP/clk/CU */
    MX("tpp_hip_wmma_f16", G1100, TPP_FP16, "v_wmma_f32_16x16x16_f16", RDNA3_F16, 16384),
    MX("tpp_hip_wmma_bf16", G1100, TPP_BF16, "v_wmma_f32_16x16x16_bf16", RDNA3_BF16, 16384),
    MX("tpp_hip_wmma_i8", G1100, TPP_INT8, "v_wmma_i32_16x16x16_iu8", RDNA3_I8, 16384),
    /* RDNA4, gfx1201 (Radeon RX 9070 XT): 1024 f16/bf16, 2048 i8/fp8 */
    MX("tpp_hip_wmma_f16", G1201, TPP_FP16, "v_wmma_f32_16x16x16_f16", RDNA4_F16, 32768),
    MX("tpp_hip_wmma_bf16", G1201, TPP_BF16, "v_wmma_f32_16x16x16_bf16", RDNA4_BF16, 32768),
    MX("tpp_hip_wmma_i8", G1201, TPP_INT8, "v_wmma_i32_16x16x16_iu8", RDNA4_I8, 65536),
    MX("tpp_hip_wmma_fp8", G1201, TPP_FP8, "v_wmma_f32_16x16x16_fp8_fp8", RDNA4_FP8, 65536 + RUN),
    MX("tpp_hip_wmma_bf8", G1201, TPP_FP8, "v_wmma_f32_16x16x16_bf8_bf8", RDNA4_BF8, 65536 + RUN),
};

#define N_MATRIX (sizeof(matrix_kernels) / sizeof(matrix_kernels[0]))

const struct tpp_hip_kernel *const *
tpp_hip_matrix_kernels(void)
{
  static const struct tpp_hip_kernel *all[N_MATRIX + 1];
  if (!all[0])
    for (size_t i = 0; i < N_MATRIX; i++)
      all[i] = &matrix_kernels[i];
  return all;
}
