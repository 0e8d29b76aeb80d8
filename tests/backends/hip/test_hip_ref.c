/* test_hip_ref.c - the AMD kernels' host checks, without a GPU: for every descriptor, an
 * output computed independently is accepted, and one iteration short, one wrong element,
 * all zeros or a missing block trailer is rejected; the chains still move at the end of
 * a measured launch; the per-clock rate table reproduces AMD's MI300X and MI250X peaks;
 * the embedded code objects are AMD code objects for the right targets.
 *
 * Matrix kernels: the test draws A and B as matrices and writes them into registers
 * through the AMD Matrix Instruction Calculator's matrix element -> register mapping
 * (typed here from the calculator's "Matrix element to register mapping" output), and
 * lays D out the same way; the host check decodes registers the other way round
 * (register -> element), so a layout mistake on either side fails here. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "gpu/gpu.h"
#include "hip/hip_kernels.h"
#include "testutil.h"
#include "tpp/jsonread.h"
#include "tpp/metrics.h"
#include "tpp/rates.h"
#include "tpp/peakref.h"

#define SETS 4
#define CHAINS 16

static const struct tpp_hip_kernel *
kernel(const char *symbol, enum tpp_hip_arch arch)
{
  const struct tpp_hip_kernel *const *k = tpp_hip_kernels();
  for (size_t i = 0; k[i]; i++)
    if (strcmp(k[i]->symbol, symbol) == 0 && (k[i]->archs & TPP_HIP_ARCH_BIT(arch)))
      return k[i];
  ck_abort_msg("no descriptor %s for %s", symbol, tpp_hip_arch_name(arch));
  return NULL;
}

static void
put_trailers(void *out, size_t blocks, size_t block_bytes, unsigned iters)
{
  for (size_t b = 0; b < blocks; b++) {
    uint32_t t[4] = {TPP_HIP_MAGIC, (uint32_t)b, iters, TPP_HIP_BLOCK};
    memcpy((unsigned char *)out + (b + 1) * block_bytes - 16, t, 16);
  }
}

/* --- matrix kernels ---------------------------------------------------------------------- */

/* Operand formats and the codes of +-1, +-2 (+-3, +-4 for int8), typed from the formats'
 * definitions: FNUZ E4M3 bias 8 and E5M2 bias 16 (gfx942), OCP E4M3 bias 7 and E5M2
 * bias 15 (gfx12). */
enum fmt { F_F16, F_BF16, F_F32, F_F64, F_I8, F_FP8_FNUZ, F_BF8_FNUZ, F_FP8_OCP, F_BF8_OCP };
static const uint32_t fp8_codes[][4] = {
    [F_FP8_FNUZ] = {0x40, 0xc0, 0x48, 0xc8},
    [F_BF8_FNUZ] = {0x40, 0xc0, 0x44, 0xc4},
    [F_FP8_OCP] = {0x38, 0xb8, 0x40, 0xc0},
    [F_BF8_OCP] = {0x3c, 0xbc, 0x40, 0xc0},
};

/* Register forms: where A[i][k] (B[k][j], with j for i) and D[i][j] live. */
enum form {
  CDNA_F64,   /* v_mfma_f64_16x16x4 */
  CDNA_F32,   /* v_mfma_f32_32x32x2 */
  CDNA_XF32,  /* v_mfma_f32_32x32x4_xf32 */
  CDNA_16_K8, /* 32x32x8 f16 / bf16 */
  CDNA_8_K8,  /* 32x32x8 i8 (gfx90a) */
  CDNA_8_K16, /* 32x32x16 i8 / fp8 / bf8 (gfx942) */
  RDNA3_16,   /* 16x16x16 f16 / bf16, wave32 */
  RDNA3_8,    /* 16x16x16 iu8, wave32 */
  RDNA4_16,
  RDNA4_8,
};

struct mshape {
  const char *symbol;
  enum tpp_hip_arch arch;
  enum form form;
  enum fmt fmt;
  int mn, k, wave, na, nb, nc;
  int acc; /* 0 f32, 1 i32, 2 f64 */
  int flip;
};

static const struct mshape mshapes[] = {
    {"tpp_hip_mfma_f64",    TPP_HIP_GFX90A,  CDNA_F64,   F_F64,      16, 4,  64, 2, 2, 4,  2, 0},
    {"tpp_hip_mfma_f32",    TPP_HIP_GFX90A,  CDNA_F32,   F_F32,      32, 2,  64, 1, 1, 16, 0, 0},
    {"tpp_hip_mfma_f16",    TPP_HIP_GFX90A,  CDNA_16_K8, F_F16,      32, 8,  64, 2, 2, 16, 0, 0},
    {"tpp_hip_mfma_bf16",   TPP_HIP_GFX90A,  CDNA_16_K8, F_BF16,     32, 8,  64, 2, 2, 16, 0, 0},
    {"tpp_hip_mfma_i8",     TPP_HIP_GFX90A,  CDNA_8_K8,  F_I8,       32, 8,  64, 1, 1, 16, 1, 0},
    {"tpp_hip_mfma_f64",    TPP_HIP_GFX942,  CDNA_F64,   F_F64,      16, 4,  64, 2, 2, 4,  2, 0},
    {"tpp_hip_mfma_f32",    TPP_HIP_GFX942,  CDNA_F32,   F_F32,      32, 2,  64, 1, 1, 16, 0, 0},
    {"tpp_hip_mfma_xf32",   TPP_HIP_GFX942,  CDNA_XF32,  F_F32,      32, 4,  64, 2, 2, 16, 0, 0},
    {"tpp_hip_mfma_f16",    TPP_HIP_GFX942,  CDNA_16_K8, F_F16,      32, 8,  64, 2, 2, 16, 0, 0},
    {"tpp_hip_mfma_bf16",   TPP_HIP_GFX942,  CDNA_16_K8, F_BF16,     32, 8,  64, 2, 2, 16, 0, 0},
    {"tpp_hip_mfma_i8_k16", TPP_HIP_GFX942,  CDNA_8_K16, F_I8,       32, 16, 64, 2, 2, 16, 1, 0},
    {"tpp_hip_mfma_fp8",    TPP_HIP_GFX942,  CDNA_8_K16, F_FP8_FNUZ, 32, 16, 64, 2, 2, 16, 0, 1},
    {"tpp_hip_mfma_bf8",    TPP_HIP_GFX942,  CDNA_8_K16, F_BF8_FNUZ, 32, 16, 64, 2, 2, 16, 0, 1},
    {"tpp_hip_wmma_f16",    TPP_HIP_GFX1100, RDNA3_16,   F_F16,      16, 16, 32, 8, 8, 8,  0, 0},
    {"tpp_hip_wmma_bf16",   TPP_HIP_GFX1100, RDNA3_16,   F_BF16,     16, 16, 32, 8, 8, 8,  0, 0},
    {"tpp_hip_wmma_i8",     TPP_HIP_GFX1100, RDNA3_8,    F_I8,       16, 16, 32, 4, 4, 8,  1, 0},
    {"tpp_hip_wmma_f16",    TPP_HIP_GFX1201, RDNA4_16,   F_F16,      16, 16, 32, 4, 4, 8,  0, 0},
    {"tpp_hip_wmma_bf16",   TPP_HIP_GFX1201, RDNA4_16,   F_BF16,     16, 16, 32, 4, 4, 8,  0, 0},
    {"tpp_hip_wmma_i8",     TPP_HIP_GFX1201, RDNA4_8,    F_I8,       16, 16, 32, 2, 2, 8,  1, 0},
    {"tpp_hip_wmma_fp8",    TPP_HIP_GFX1201, RDNA4_8,    F_FP8_OCP,  16, 16, 32, 2, 2, 8,  0, 1},
    {"tpp_hip_wmma_bf8",    TPP_HIP_GFX1201, RDNA4_8,    F_BF8_OCP,  16, 16, 32, 2, 2, 8,  0, 1},
};

/* The calculator's mapping for A[i][k] (B[k][j]: j for i): lane, register (dword; f64:
 * the pair's first), bit offset; lane2 is RDNA3's replica lane (-1 for none). */
static void
operand_place(enum form f, int i, int k, int *lane, int *lane2, int *gpr, int *shift)
{
  *lane = *gpr = *shift = 0;
  *lane2 = -1;
  switch (f) {
  case CDNA_F64:
    *lane = 16 * k + i;
    *gpr = 0;
    break;
  case CDNA_F32:
    *lane = 32 * k + i;
    *gpr = 0;
    break;
  case CDNA_XF32:
    *lane = 32 * (k / 2) + i;
    *gpr = k % 2;
    break;
  case CDNA_16_K8:
    *lane = 32 * (k / 4) + i;
    *gpr = (k / 2) % 2;
    *shift = 16 * (k % 2);
    break;
  case CDNA_8_K8:
    *lane = 32 * (k / 4) + i;
    *gpr = 0;
    *shift = 8 * (k % 4);
    break;
  case CDNA_8_K16:
    *lane = 32 * (k / 8) + i;
    *gpr = (k / 4) % 2;
    *shift = 8 * (k % 4);
    break;
  case RDNA3_16:
    *lane = i;
    *lane2 = i + 16;
    *gpr = k / 2;
    *shift = 16 * (k % 2);
    break;
  case RDNA3_8:
    *lane = i;
    *lane2 = i + 16;
    *gpr = k / 4;
    *shift = 8 * (k % 4);
    break;
  case RDNA4_16:
    *lane = 16 * ((k / 4) % 2) + i;
    *gpr = 2 * (k / 8) + (k / 2) % 2;
    *shift = 16 * (k % 2);
    break;
  case RDNA4_8:
    *lane = 16 * (k / 8) + i;
    *gpr = (k / 4) % 2;
    *shift = 8 * (k % 4);
    break;
  }
}

/* D[i][j]: lane and accumulator element (f64: the pair's index). */
static void
result_place(enum form f, int i, int j, int *lane, int *elem)
{
  switch (f) {
  case CDNA_F64:
    *lane = 16 * (i % 4) + j;
    *elem = i / 4;
    break;
  case RDNA3_16:
  case RDNA3_8:
    *lane = (16 * i) % 32 + j;
    *elem = i / 2;
    break;
  case RDNA4_16:
  case RDNA4_8:
    *lane = 16 * (i / 8) + j;
    *elem = i % 8;
    break;
  default:
    *lane = (32 * (i / 4)) % 64 + j;
    *elem = 4 * (i / 8) + i % 4;
    break;
  }
}

static uint64_t
code_of(enum fmt f, double v)
{
  float x = (float)v;
  uint32_t u;
  uint64_t w;
  switch (f) {
  case F_F16:
    return tpp_float_to_half(v);
  case F_BF16:
    return tpp_float_to_bf16(v);
  case F_F32:
    memcpy(&u, &x, 4);
    return u;
  case F_F64:
    memcpy(&w, &v, 8);
    return w;
  case F_I8:
    return (uint8_t)(int8_t)v;
  default:
    return fp8_codes[f][(v < 0) + 2 * (fabs(v) == 2)];
  }
}

static double
draw(enum fmt f, unsigned *seed)
{
  static const double fp[] = {1, -1, 2, -2}, i8[] = {1, -1, 2, -2, 3, -3, 4, -4};
  *seed = *seed * 1103515245u + 12345u;
  return f == F_I8 ? i8[(*seed >> 16) % 8] : fp[(*seed >> 16) % 4];
}

/* How many A*B one set holds after n iterations, simulated step by step: A's sign flips
 * after every 32 iterations for the triangle-wave kernels. */
static double
set_steps(const struct mshape *s, unsigned n)
{
  double t = 0;
  int sign = 1;
  if (!s->flip)
    return n;
  for (unsigned i = 0; i < n; i++) {
    t += sign;
    if ((i + 1) % 32 == 0)
      sign = -sign;
  }
  return t;
}

/* Registers from matrices, and the expected output of `blocks` blocks after `iters`. */
static void
mx_build(const struct mshape *s, unsigned iters, unsigned seed, size_t blocks, void *in, void *out,
         size_t block_bytes)
{
  double a[32][16], b[16][32];
  int bits = s->fmt == F_F64                       ? 64
             : s->fmt == F_F32                     ? 32
             : s->fmt == F_F16 || s->fmt == F_BF16 ? 16
                                                   : 8;
  uint32_t *w = in;
  size_t waves = TPP_HIP_BLOCK / (size_t)s->wave;
  double factor = SETS * set_steps(s, iters);

  memset(in, 0, (size_t)s->wave * (size_t)(s->na + s->nb) * 4);
  for (int i = 0; i < s->mn; i++)
    for (int k = 0; k < s->k; k++)
      a[i][k] = draw(s->fmt, &seed);
  for (int k = 0; k < s->k; k++)
    for (int j = 0; j < s->mn; j++)
      b[k][j] = draw(s->fmt, &seed);
  for (int op = 0; op < 2; op++)
    for (int x = 0; x < s->mn; x++)
      for (int k = 0; k < s->k; k++) {
        int lane, lane2, gpr, shift, nw = op ? s->nb : s->na;
        uint32_t *base = op ? w + s->wave * s->na : w;
        uint64_t code = code_of(s->fmt, op ? b[k][x] : a[x][k]);
        operand_place(s->form, x, k, &lane, &lane2, &gpr, &shift);
        for (int copy = 0; copy < 2; copy++) {
          int l = copy ? lane2 : lane;
          if (l < 0)
            continue;
          if (bits == 64) {
            base[l * nw + gpr] = (uint32_t)code;
            base[l * nw + gpr + 1] = (uint32_t)(code >> 32);
          } else {
            base[l * nw + gpr] |= (uint32_t)code << shift;
          }
        }
      }
  memset(out, 0, blocks * block_bytes);
  for (size_t blk = 0; blk < blocks; blk++)
    for (size_t wv = 0; wv < waves; wv++)
      for (int i = 0; i < s->mn; i++)
        for (int j = 0; j < s->mn; j++) {
          int lane, e;
          double d = 0;
          for (int k = 0; k < s->k; k++)
            d += a[i][k] * b[k][j];
          d *= factor;
          result_place(s->form, i, j, &lane, &e);
          unsigned char *p = (unsigned char *)out + blk * block_bytes +
                             ((wv * (size_t)s->wave + (size_t)lane) * (size_t)s->nc + (size_t)e) *
                                 (s->acc == 2 ? 8 : 4);
          if (s->acc == 2) {
            memcpy(p, &d, 8);
          } else if (s->acc == 1) {
            int32_t v = (int32_t)d;
            memcpy(p, &v, 4);
          } else {
            float v = (float)d;
            memcpy(p, &v, 4);
          }
        }
  put_trailers(out, blocks, block_bytes, iters);
}

START_TEST(matrix_checks_follow_the_register_layouts)
{
  const struct mshape *s = &mshapes[_i];
  const struct tpp_hip_kernel *k = kernel(s->symbol, s->arch);
  unsigned iters = s->flip ? 1024 + 32 : 1000;
  size_t blocks = 2, bb = k->out_bytes_per_block, bytes = bb * blocks;
  void *in = calloc(1, k->in_bytes), *out = malloc(bytes), *other = malloc(bytes);
  char why[256];

  ck_assert_uint_eq(k->wave_size, (unsigned)s->wave);
  ck_assert_uint_eq(k->in_bytes, (size_t)s->wave * (size_t)(s->na + s->nb) * 4);
  ck_assert_uint_eq(bb, (size_t)TPP_HIP_BLOCK * (size_t)s->nc * (s->acc == 2 ? 8 : 4) + 16);
  ck_assert_double_eq(k->ops_per_block_per_iter,
                      2.0 * s->mn * s->mn * s->k * SETS * (TPP_HIP_BLOCK / s->wave));
  mx_build(s, iters, 99u + (unsigned)_i, blocks, in, out, bb);
  ck_assert_msg(k->verify(in, out, blocks, iters, why, sizeof(why)) == 0, "%s %s: %s", s->symbol,
                tpp_hip_arch_name(s->arch), why);
  /* One iteration short. */
  mx_build(s, iters - 1, 99u + (unsigned)_i, blocks, in, other, bb);
  put_trailers(other, blocks, bb, iters);
  ck_assert_int_ne(k->verify(in, other, blocks, iters, why, sizeof(why)), 0);
  /* One element of the last wave of the last block wrong. */
  memcpy(other, out, bytes);
  ((unsigned char *)other)[bytes - 16 - 2] ^= 0x40;
  ck_assert_int_ne(k->verify(in, other, blocks, iters, why, sizeof(why)), 0);
  /* All zeros, with right trailers. */
  memset(other, 0, bytes);
  put_trailers(other, blocks, bb, iters);
  ck_assert_int_ne(k->verify(in, other, blocks, iters, why, sizeof(why)), 0);
  /* A block that did not finish, or saw another iteration count. */
  memcpy(other, out, bytes);
  memset((unsigned char *)other + bytes - 16, 0, 16);
  ck_assert_int_ne(k->verify(in, other, blocks, iters, why, sizeof(why)), 0);
  ck_assert_ptr_nonnull(strstr(why, "did not finish"));
  memcpy(other, out, bytes);
  put_trailers(other, blocks, bb, iters + (unsigned)k->iter_step);
  ck_assert_int_ne(k->verify(in, other, blocks, iters, why, sizeof(why)), 0);
  /* A count the kernel cannot run is refused. */
  ck_assert_int_ne(k->verify(in, out, blocks, iters + 1, why, sizeof(why)), 0);
  ck_assert_ptr_nonnull(strstr(why, "multiple"));
  /* The default count stays in the exact range: a right output passes. */
  mx_build(s, k->iters, 7u, blocks, in, out, bb);
  ck_assert_msg(k->verify(in, out, blocks, k->iters, why, sizeof(why)) == 0, "%s: %s", s->symbol,
                why);
  /* RDNA3: A replica lane that differs is a bad operand buffer. */
  if (s->form == RDNA3_16 || s->form == RDNA3_8) {
    memcpy(other, out, bytes);
    ((uint32_t *)in)[20 * s->na] ^= 1u;
    ck_assert_int_ne(k->verify(in, out, blocks, k->iters, why, sizeof(why)), 0);
    ck_assert_ptr_nonnull(strstr(why, "replicates"));
  }
  /* make_input's operands are ones the check knows, and its chains move to the end. */
  k->make_input(in, k->in_bytes, TPP_GPU_INPUT_SEED);
  memset(out, 0, bytes);
  put_trailers(out, blocks, bb, iters);
  ck_assert_int_ne(k->verify(in, out, blocks, iters, why, sizeof(why)), 0);
  ck_assert_ptr_null(strstr(why, "outside"));
  ck_assert_msg(k->moving(in, k->iters, why, sizeof(why)) == 0, "%s: %s", s->symbol, why);
  free(in);
  free(out);
  free(other);
}
END_TEST

/* --- vector kernels: outputs computed by straight loops ---------------------------------- */

static const char *const vector_kernels[] = {"tpp_hip_fma_f64", "tpp_hip_pk_fma_f32",
                                             "tpp_hip_pk_fma_f16"};

static double
chain_start(uint32_t g, uint32_t c, uint32_t l)
{
  return (double)((g * 131u + c * 17u + l * 5u) & 1023u) / 1024.0 + 0.5;
}

static void
vec_expected(const char *sym, const void *in, unsigned iters, size_t blocks, void *out, size_t bb)
{
  memset(out, 0, blocks * bb);
  for (uint32_t g = 0; g < blocks * TPP_HIP_BLOCK; g++) {
    unsigned char *o = (unsigned char *)out + (g / TPP_HIP_BLOCK) * bb;
    uint32_t t = g % TPP_HIP_BLOCK;
    if (strcmp(sym, "tpp_hip_fma_f64") == 0) {
      const double *ab = in;
      double r = 0;
      for (uint32_t c = 0; c < CHAINS; c++) {
        double x = chain_start(g, c, 0);
        for (unsigned i = 0; i < iters; i++)
          x = fma(x, ab[0], ab[1]);
        r = c ? r + x : x;
      }
      memcpy(o + 8 * t, &r, 8);
    } else if (strcmp(sym, "tpp_hip_pk_fma_f32") == 0) {
      const float *ab = in;
      for (uint32_t l = 0; l < 2; l++) {
        float r = 0;
        for (uint32_t c = 0; c < CHAINS; c++) {
          float x = (float)chain_start(g, c, l);
          for (unsigned i = 0; i < iters; i++)
            x = fmaf(x, ab[l], ab[2 + l]);
          r = c ? r + x : x;
        }
        memcpy(o + 8 * t + 4 * l, &r, 4);
      }
    } else { /* (u, v) = (fma(v, k0, u), fma(u, k1, v)) in half, each rounded once */
      const uint16_t *kk = in;
      double k0 = tpp_half_to_float(kk[0]), k1 = tpp_half_to_float(kk[1]);
      uint16_t r[2] = {0, 0};
      for (uint32_t c = 0; c < CHAINS; c++) {
        uint16_t u = tpp_float_to_half(chain_start(g, c, 0)),
                 v = tpp_float_to_half(chain_start(g, c, 1));
        for (unsigned i = 0; i < iters; i++) {
          double uf = tpp_half_to_float(u), vf = tpp_half_to_float(v);
          u = tpp_float_to_half(vf * k0 + uf); /* exact in double */
          v = tpp_float_to_half(uf * k1 + vf);
        }
        for (int l = 0; l < 2; l++) {
          uint16_t x = l ? v : u;
          r[l] = c ? tpp_float_to_half((double)tpp_half_to_float(r[l]) + tpp_half_to_float(x)) : x;
        }
      }
      memcpy(o + 4 * t, r, 4);
    }
  }
  put_trailers(out, blocks, bb, iters);
}

START_TEST(vector_checks_accept_right_and_reject_wrong)
{
  static const enum tpp_hip_arch archs[] = {TPP_HIP_GFX942, TPP_HIP_GFX1100};
  for (size_t ai = 0; ai < 2; ai++) {
    const struct tpp_hip_kernel *k = kernel(vector_kernels[_i], archs[ai]);
    unsigned iters = 37;
    size_t blocks = 2, bb = k->out_bytes_per_block, bytes = blocks * bb;
    unsigned char in[64];
    char why[256];
    void *out = malloc(bytes), *other = malloc(bytes);
    ck_assert_uint_le(k->in_bytes, sizeof(in));
    k->make_input(in, k->in_bytes, TPP_GPU_INPUT_SEED);
    vec_expected(k->symbol, in, iters, blocks, out, bb);
    ck_assert_msg(k->verify(in, out, blocks, iters, why, sizeof(why)) == 0, "%s: %s", k->symbol,
                  why);
    vec_expected(k->symbol, in, iters - 1, blocks, other, bb); /* one step missing */
    put_trailers(other, blocks, bb, iters);
    ck_assert_int_ne(k->verify(in, other, blocks, iters, why, sizeof(why)), 0);
    memcpy(other, out, bytes);
    ((unsigned char *)other)[bytes - 16 - 1] ^= 0x10; /* the last thread is sampled */
    ck_assert_int_ne(k->verify(in, other, blocks, iters, why, sizeof(why)), 0);
    memset(other, 0, bytes);
    put_trailers(other, blocks, bb, iters);
    ck_assert_int_ne(k->verify(in, other, blocks, iters, why, sizeof(why)), 0);
    memcpy(other, out, bytes);
    memset((unsigned char *)other + bb - 16, 0, 4); /* block 0 never finished */
    ck_assert_int_ne(k->verify(in, other, blocks, iters, why, sizeof(why)), 0);
    free(out);
    free(other);
  }
}
END_TEST

/* Every kernel's reference (what the simulated runtime writes) is what its check accepts,
 * read back as the GPU layer reads it: the sampled threads and every trailer (vector), or
 * every byte (matrix); one wrong element fails it. */
START_TEST(references_pass_their_checks)
{
  const struct tpp_hip_kernel *const *k = tpp_hip_kernels();
  for (size_t i = 0; k[i]; i++) {
    size_t blocks = 3, bb = k[i]->out_bytes_per_block, data = bb - TPP_HIP_TRAILER_BYTES;
    unsigned iters = k[i]->verify_samples ? 64 : k[i]->iters;
    unsigned char in[4096], *out = calloc(blocks, bb);
    char why[256];
    ck_assert_ptr_nonnull(out);
    k[i]->make_input(in, k[i]->in_bytes, TPP_GPU_INPUT_SEED);
    if (k[i]->verify_samples) {
      size_t elem = data / TPP_HIP_BLOCK, at = 0;
      for (unsigned smp = 0; smp < k[i]->verify_samples; smp++) {
        size_t t = tpp_gpu_sample_thread(blocks * TPP_HIP_BLOCK, smp, k[i]->verify_samples);
        at = t / TPP_HIP_BLOCK * bb + t % TPP_HIP_BLOCK * elem;
        k[i]->reference(in, iters, t, out + at);
      }
      for (size_t b = 0; b < blocks; b++)
        tpp_hip_trailer(out + (b + 1) * bb - TPP_HIP_TRAILER_BYTES, b, iters);
      ck_assert_msg(k[i]->verify(in, out, blocks, iters, why, sizeof(why)) == 0, "%s (%s): %s",
                    k[i]->symbol, k[i]->variant, why);
      out[at] ^= 0x40; /* the last sampled thread */
    } else {
      for (size_t b = 0; b < blocks; b++) {
        k[i]->reference(in, iters, b, out + b * bb);
        tpp_hip_trailer(out + (b + 1) * bb - TPP_HIP_TRAILER_BYTES, b, iters);
      }
      ck_assert_msg(k[i]->verify(in, out, blocks, iters, why, sizeof(why)) == 0, "%s (%s): %s",
                    k[i]->symbol, k[i]->variant, why);
      out[bb + 8] ^= 0x40; /* block 1 */
    }
    ck_assert_msg(k[i]->verify(in, out, blocks, iters, why, sizeof(why)) != 0, "%s (%s) passes",
                  k[i]->symbol, k[i]->variant);
    free(out);
  }
}
END_TEST

/* Every kernel's chains, simulated for the measured iteration count from the measured
 * operands, still change in each of the last 1% of the iterations. */
START_TEST(chains_move_to_the_last_iteration)
{
  const struct tpp_hip_kernel *const *k = tpp_hip_kernels();
  for (size_t i = 0; k[i]; i++) {
    unsigned char in[4096];
    char why[256];
    ck_assert_uint_le(k[i]->in_bytes, sizeof(in));
    k[i]->make_input(in, k[i]->in_bytes, TPP_GPU_INPUT_SEED);
    ck_assert_msg(k[i]->moving(in, k[i]->iters, why, sizeof(why)) == 0, "%s (%s): %s", k[i]->symbol,
                  k[i]->variant, why);
  }
}
END_TEST

/* The check can fail: x = fma(x, 1 - 2^-12, 2^-12), the recurrence that converges to 1,
 * stops at a rounding fixed point long before 65536 steps, and the chain that starts at
 * exactly 1 never moves at all. */
START_TEST(a_converging_chain_is_caught)
{
  const struct tpp_hip_kernel *f64 = kernel("tpp_hip_fma_f64", TPP_HIP_GFX942);
  const struct tpp_hip_kernel *f32 = kernel("tpp_hip_pk_fma_f32", TPP_HIP_GFX942);
  double d[2] = {0.999755859375, 0.000244140625};
  float f[4] = {0.999755859375f, 0.999755859375f, 0.000244140625f, 0.000244140625f};
  char why[256];
  ck_assert_int_ne(f64->moving(d, 65536, why, sizeof(why)), 0);
  ck_assert_ptr_nonnull(strstr(why, "stops moving"));
  ck_assert_int_ne(f32->moving(f, 65536, why, sizeof(why)), 0);
  ck_assert_int_ne(f64->moving(d, 100, why, sizeof(why)), 0);
  ck_assert_ptr_nonnull(strstr(why, "from 1 "));
}
END_TEST

/* The FP16 chains' fast rounding agrees with tpp_float_to_half: every half, the midpoints
 * between neighbours (ties to even), values just off them, subnormals and overflow. */
START_TEST(half_rounding_matches_the_reference)
{
  for (uint32_t h = 0; h < 0x7c00; h++) {
    double a = tpp_half_to_float((uint16_t)h), b = tpp_half_to_float((uint16_t)(h + 1));
    double mid = (a + b) / 2;
    ck_assert_uint_eq(tpp_hip_half_round(a), h);
    ck_assert_uint_eq(tpp_hip_half_round(-a), h | 0x8000);
    ck_assert_uint_eq(tpp_hip_half_round(mid), tpp_float_to_half(mid));
    ck_assert_uint_eq(tpp_hip_half_round(nextafter(mid, 0)), tpp_float_to_half(nextafter(mid, 0)));
    ck_assert_uint_eq(tpp_hip_half_round(nextafter(mid, 4)), tpp_float_to_half(nextafter(mid, 4)));
  }
  ck_assert_uint_eq(tpp_hip_half_round(65520.0), 0x7c00);
  ck_assert_uint_eq(tpp_hip_half_round(1e-30), 0);
  ck_assert_uint_eq(tpp_hip_half_round(ldexp(1, -25)), 0); /* tie to even: 0 */
  ck_assert_uint_eq(tpp_hip_half_round(ldexp(3, -26)), 1); /* above the tie */
}
END_TEST

/* --- descriptors ------------------------------------------------------------------------ */

START_TEST(every_target_has_its_rows)
{
  /* precision:path rows each target must have */
  static const char *const want[TPP_HIP_ARCH_COUNT] = {
      [TPP_HIP_GFX90A] = "fp64:vector fp32:vector fp16:vector fp64:tensor fp32:tensor "
                         "fp16:tensor bf16:tensor int8:tensor",
      [TPP_HIP_GFX942] = "fp64:vector fp32:vector fp16:vector fp64:tensor fp32:tensor "
                         "tf32:tensor fp16:tensor bf16:tensor int8:tensor fp8:tensor",
      [TPP_HIP_GFX1100] = "fp64:vector fp32:vector fp16:vector fp16:tensor bf16:tensor int8:tensor",
      [TPP_HIP_GFX1201] = "fp64:vector fp32:vector fp16:vector fp16:tensor bf16:tensor "
                          "int8:tensor fp8:tensor",
  };
  const struct tpp_hip_kernel *const *k = tpp_hip_kernels();
  for (int a = 0; a < TPP_HIP_ARCH_COUNT; a++) {
    char have[512] = "";
    for (size_t i = 0; k[i]; i++) {
      char row[40];
      if (!(k[i]->archs & TPP_HIP_ARCH_BIT(a)))
        continue;
      snprintf(row, sizeof(row), "%s:%s", tpp_precision_name(k[i]->precision),
               tpp_path_name(k[i]->path));
      ck_assert_msg(strstr(want[a], row), "%s: unexpected row %s", tpp_hip_arch_name(a), row);
      if (!strstr(have, row))
        strncat(have, row, sizeof(have) - strlen(have) - 2), strcat(have, " ");
      ck_assert_msg(k[i]->iters % k[i]->iter_step == 0 && k[i]->iters >= k[i]->iter_step, "%s",
                    k[i]->symbol);
      ck_assert_uint_eq(k[i]->wave_size, a >= TPP_HIP_GFX1100 ? 32u : 64u);
      ck_assert(k[i]->make_input && k[i]->verify && k[i]->moving &&
                k[i]->ops_per_block_per_iter > 0);
      for (size_t j = i + 1; k[j]; j++)
        ck_assert_msg(strcmp(k[i]->symbol, k[j]->symbol) != 0 ||
                          !(k[j]->archs & TPP_HIP_ARCH_BIT(a)),
                      "%s twice for %s", k[i]->symbol, tpp_hip_arch_name(a));
    }
    for (const char *p = want[a]; *p;) {
      size_t n = strcspn(p, " ");
      char row[40];
      snprintf(row, sizeof(row), "%.*s", (int)n, p);
      ck_assert_msg(strstr(have, row), "%s lacks %s", tpp_hip_arch_name(a), row);
      p += n + (p[n] == ' ');
    }
  }
  /* MI300X FP16 MFMA: 4 waves x 4 sets x 2*32*32*8 per block and iteration. */
  ck_assert_double_eq(kernel("tpp_hip_mfma_f16", TPP_HIP_GFX942)->ops_per_block_per_iter,
                      4 * 4 * 16384.0);
  ck_assert_double_eq(kernel("tpp_hip_pk_fma_f32", TPP_HIP_GFX942)->ops_per_block_per_iter,
                      256 * 16 * 4.0);
}
END_TEST

START_TEST(targets_parse_from_gcn_arch_names)
{
  enum tpp_hip_arch a;
  ck_assert_int_eq(tpp_hip_arch_parse("gfx942:sramecc+:xnack-", &a), 0);
  ck_assert_int_eq(a, TPP_HIP_GFX942);
  ck_assert_int_eq(tpp_hip_arch_parse("gfx90a:xnack+", &a), 0);
  ck_assert_int_eq(a, TPP_HIP_GFX90A);
  ck_assert_int_eq(tpp_hip_arch_parse("gfx1201", &a), 0);
  ck_assert_int_eq(a, TPP_HIP_GFX1201);
  ck_assert_int_ne(tpp_hip_arch_parse("gfx1101", &a), 0); /* another ISA: no code for it */
  ck_assert_int_ne(tpp_hip_arch_parse("gfx94", &a), 0);
  ck_assert_int_ne(tpp_hip_arch_parse("gfx9420", &a), 0);
  ck_assert_int_ne(tpp_hip_arch_parse("", &a), 0);
  ck_assert_str_eq(tpp_hip_arch_name(TPP_HIP_GFX1100), "gfx1100");
}
END_TEST

START_TEST(kernel_arguments_and_bandwidth_references)
{
  unsigned char b[24];
  uint64_t p, out = 0x1111, in = 0x2222, n = 1ull << 40;
  uint32_t v, iters = 77;
  struct tpp_gpu_args peak =
                          {
                              3, {&out, &in, &iters},
                               {8,    8,   4     }
  },
                      read = {3, {&in, &out, &n}, {8, 8, 8}},
                      write = {3, {&out, &n, &iters}, {8, 8, 4}};
  /* The kernarg layouts the code objects' metadata gives (test_hip_isa.sh): 20 and 24 bytes. */
  ck_assert_uint_eq(tpp_gpu_args_pack(&peak, b, sizeof(b)), 20);
  memcpy(&p, b, 8);
  ck_assert_uint_eq(p, 0x1111);
  memcpy(&p, b + 8, 8);
  ck_assert_uint_eq(p, 0x2222);
  memcpy(&v, b + 16, 4);
  ck_assert_uint_eq(v, 77);
  ck_assert_uint_eq(tpp_gpu_args_pack(&read, b, sizeof(b)), 24);
  memcpy(&p, b + 16, 8);
  ck_assert_uint_eq(p, 1ull << 40);
  ck_assert_uint_eq(tpp_gpu_args_pack(&write, b, sizeof(b)), 20);
  ck_assert_uint_eq(tpp_gpu_args_pack(&read, b, 20), 0); /* does not fit */
  /* read: thread 1 of 4 over 10 elements reads 1, 5, 9 */
  ck_assert_uint_eq(tpp_gpu_bw_read_expect(1, 4, 10, 0xff00),
                    (1u ^ 0xff00) ^ (5u ^ 0xff00) ^ (9u ^ 0xff00));
  ck_assert_uint_eq(tpp_gpu_bw_read_expect(7, 8, 5, 3), 0);
  ck_assert_uint_eq(tpp_gpu_bw_value(0x100000001ull, 1), 0);
}
END_TEST

/* Kernel descriptors (symbols NAME.kd) of one code object: calls fn(name, descriptor). */
static void
each_kernel(const unsigned char *e, size_t size,
            void (*fn)(const char *, const unsigned char *, void *), void *arg)
{
  uint64_t shoff;
  uint16_t shnum, shentsize;
  memcpy(&shoff, e + 0x28, 8);
  memcpy(&shentsize, e + 0x3a, 2);
  memcpy(&shnum, e + 0x3c, 2);
  ck_assert(shentsize == 64 && shoff + (uint64_t)shnum * 64 <= size);
  for (uint16_t i = 0; i < shnum; i++) {
    const unsigned char *sh = e + shoff + (size_t)i * 64, *str;
    uint32_t type, link;
    uint64_t off, sz;
    memcpy(&type, sh + 4, 4);
    if (type != 2) /* SHT_SYMTAB */
      continue;
    memcpy(&off, sh + 24, 8);
    memcpy(&sz, sh + 32, 8);
    memcpy(&link, sh + 40, 4);
    {
      const unsigned char *lsh = e + shoff + (size_t)link * 64;
      uint64_t soff;
      memcpy(&soff, lsh + 24, 8);
      str = e + soff;
    }
    for (uint64_t at = off; at + 24 <= off + sz; at += 24) {
      uint32_t name;
      uint16_t shndx;
      uint64_t value, saddr, soff;
      const char *n;
      size_t len;
      memcpy(&name, e + at, 4);
      memcpy(&shndx, e + at + 6, 2);
      memcpy(&value, e + at + 8, 8);
      n = (const char *)str + name;
      len = strlen(n);
      if (len < 4 || strcmp(n + len - 3, ".kd") != 0)
        continue;
      memcpy(&saddr, e + shoff + (size_t)shndx * 64 + 16, 8);
      memcpy(&soff, e + shoff + (size_t)shndx * 64 + 24, 8);
      {
        char kname[128];
        snprintf(kname, sizeof(kname), "%.*s", (int)(len - 3), n);
        fn(kname, e + soff + (value - saddr), arg);
      }
    }
  }
}

struct co_check {
  enum tpp_hip_arch arch;
  int module;
  int kernels;
};

/* Each kernel's descriptor: the float modes the host references assume (round to nearest
 * even, denormals kept, COMPUTE_PGM_RSRC1 bits 12-19 at byte 48), the kernarg size the
 * host packs, no scratch, and a host descriptor for it. */
static void
check_descriptor(const char *name, const unsigned char *kd, void *arg)
{
  struct co_check *c = arg;
  uint32_t kernarg, priv, rsrc1;
  const struct tpp_hip_kernel *const *k = tpp_hip_kernels();
  int known = 0;
  memcpy(&priv, kd + 4, 4);
  memcpy(&kernarg, kd + 8, 4);
  memcpy(&rsrc1, kd + 48, 4);
  ck_assert_msg(((rsrc1 >> 12) & 0xff) == 0xf0, "%s %s: float modes 0x%x", name,
                tpp_hip_arch_name(c->arch), (rsrc1 >> 12) & 0xff);
  ck_assert_msg(priv == 0, "%s uses scratch", name);
  for (size_t i = 0; k[i]; i++)
    known |= strcmp(k[i]->symbol, name) == 0 && (k[i]->archs & TPP_HIP_ARCH_BIT(c->arch)) &&
             (int)k[i]->module == c->module;
  if (strncmp(name, "tpp_hip_bw_", 11) == 0)
    ck_assert_uint_eq(kernarg, strcmp(name, "tpp_hip_bw_write") == 0 ? 20 : 24);
  else
    ck_assert_msg(known && kernarg == 20, "%s (%s): no host descriptor or kernarg %u", name,
                  tpp_hip_arch_name(c->arch), kernarg);
  c->kernels++;
}

/* The embedded code objects are AMD HSA code objects v5 for their targets, built for any
 * XNACK and SRAMECC setting (so they load on parts with either), holding exactly the
 * kernels the host describes for the target; or none were built. */
START_TEST(embedded_code_objects_match_their_targets)
{
  static const unsigned mach[TPP_HIP_ARCH_COUNT] = {0x3f, 0x4c, 0x41, 0x4e}; /* EF_AMDGPU_MACH */
  const struct tpp_hip_kernel *const *k = tpp_hip_kernels();
  if (!tpp_hip_kernels_built())
    return;
  for (int m = 0; m < TPP_HIP_MOD_COUNT; m++)
    for (int a = 0; a < TPP_HIP_ARCH_COUNT; a++) {
      const unsigned char *e = tpp_hip_code_objects[m][a];
      struct co_check c = {.arch = (enum tpp_hip_arch)a, .module = m};
      int want = m == TPP_HIP_MOD_BANDWIDTH ? 3 : 0;
      uint32_t flags;
      uint16_t machine;
      ck_assert_msg(e && tpp_hip_code_object_sizes[m][a] > 64, "module %d %s missing", m,
                    tpp_hip_arch_name(a));
      ck_assert(memcmp(e, "\177ELF", 4) == 0 && e[4] == 2 /* 64-bit */);
      ck_assert_uint_eq(e[7], 64); /* ELFOSABI_AMDGPU_HSA */
      ck_assert_uint_eq(e[8], 3);  /* ABI version 3: code object v5 */
      memcpy(&machine, e + 18, 2);
      ck_assert_uint_eq(machine, 224); /* EM_AMDGPU */
      memcpy(&flags, e + 48, 4);
      ck_assert_uint_eq(flags & 0xff, mach[a]);
      if (a <= TPP_HIP_GFX942)
        ck_assert_uint_eq(flags & 0xf00, 0x500); /* XNACK any, SRAMECC any */
      each_kernel(e, tpp_hip_code_object_sizes[m][a], check_descriptor, &c);
      for (size_t i = 0; k[i]; i++)
        want += (int)k[i]->module == m && (k[i]->archs & TPP_HIP_ARCH_BIT(a));
      ck_assert_msg(c.kernels == want, "module %d %s: %d kernels, %d described", m,
                    tpp_hip_arch_name(a), c.kernels, want);
    }
}
END_TEST

/* --- per-clock rates --------------------------------------------------------------------- */

/* The shipped table through the core's strict loader, with the targets that have code
 * objects as the only architectures it may name. */
static void
load_rates(struct tpp_rates *r)
{
  const char *archs[TPP_HIP_ARCH_COUNT + 1];
  struct tpp_diag d;
  for (int a = 0; a < TPP_HIP_ARCH_COUNT; a++)
    archs[a] = tpp_hip_arch_name((enum tpp_hip_arch)a);
  archs[TPP_HIP_ARCH_COUNT] = NULL;
  ck_assert_msg(tpp_rates_load(TPP_PROFILES_DIR "/rates/hip.json", "hip", archs, r, &d) == 0,
                "%s:%d: %s: %s", d.file, d.line, d.field, d.text);
}

/* The rate of a kernel variant, or (variant NULL) the first for the precision and path. */
static double
rate_of(const struct tpp_rates *r, const char *arch, const char *prec, const char *path,
        const char *variant)
{
  enum tpp_precision p;
  enum tpp_path pa;
  ck_assert(tpp_precision_parse(prec, &p) == 0 && tpp_path_parse(path, &pa) == 0);
  if (variant)
    return tpp_rates_lookup(r, arch, p, pa, variant);
  for (size_t i = 0; i < r->n; i++)
    if (strcmp(r->e[i].arch, arch) == 0 && r->e[i].precision == p && r->e[i].path == pa)
      return r->e[i].ops_per_clock_per_unit;
  return NAN;
}

START_TEST(rate_table_reproduces_the_datasheet_peaks)
{
  struct tpp_rates rt, *r = &rt;
  load_rates(r);
  /* AMD's MI300X dense peaks: 304 CUs x rate x 2100 MHz (ROCm MI300 page, data sheet). */
  static const struct {
    const char *prec, *path;
    double tflops;
  } mi300x[] = {
      {"fp16", "tensor", 1307.4},
      {"fp64", "vector", 81.7  },
      {"fp64", "tensor", 163.4 },
      {"fp8",  "tensor", 2614.9},
      {"int8", "tensor", 2614.9},
      {"tf32", "tensor", 653.7 },
      {"bf16", "tensor", 1307.4},
      {"fp32", "vector", 163.4 },
      {"fp32", "tensor", 163.4 }
  };
  for (size_t i = 0; i < sizeof(mi300x) / sizeof(mi300x[0]); i++) {
    double ops = rate_of(r, "gfx942", mi300x[i].prec, mi300x[i].path, NULL);
    ck_assert_msg(fabs(tpp_peak_tops(304, ops, 2100) - mi300x[i].tflops) < 0.05,
                  "MI300X %s %s: %.2f", mi300x[i].prec, mi300x[i].path,
                  tpp_peak_tops(304, ops, 2100));
  }
  /* MI250X: 220 CUs at 1700 MHz (AMD product page): 47.9 FP64 vector, 95.7 FP64/FP32
   * matrix and packed FP32, 383 FP16/BF16/INT8. */
  ck_assert_double_eq_tol(tpp_peak_tops(220, rate_of(r, "gfx90a", "fp64", "vector", NULL), 1700),
                          47.9, 0.05);
  ck_assert_double_eq_tol(tpp_peak_tops(220, rate_of(r, "gfx90a", "fp64", "tensor", NULL), 1700),
                          95.7, 0.05);
  ck_assert_double_eq_tol(tpp_peak_tops(220, rate_of(r, "gfx90a", "fp32", "vector", NULL), 1700),
                          95.7, 0.05);
  ck_assert_double_eq_tol(tpp_peak_tops(220, rate_of(r, "gfx90a", "fp16", "tensor", NULL), 1700),
                          383.0, 0.05);
  ck_assert_double_eq_tol(tpp_peak_tops(220, rate_of(r, "gfx90a", "int8", "tensor", NULL), 1700),
                          383.0, 0.05);
  tpp_rates_free(r);
}
END_TEST

/* Every kernel has a rate for every target it runs on, keyed by its variant, except the
 * RDNA4 vector rows (no AMD figure found: efficiency null). */
START_TEST(every_kernel_has_a_rate)
{
  struct tpp_rates rt, *r = &rt;
  const struct tpp_hip_kernel *const *k = tpp_hip_kernels();
  load_rates(r);
  for (size_t i = 0; k[i]; i++)
    for (int a = 0; a < TPP_HIP_ARCH_COUNT; a++) {
      double ops;
      if (!(k[i]->archs & TPP_HIP_ARCH_BIT(a)))
        continue;
      ops = rate_of(r, tpp_hip_arch_name(a), tpp_precision_name(k[i]->precision),
                    tpp_path_name(k[i]->path), k[i]->variant);
      if (a == TPP_HIP_GFX1201 && k[i]->path == TPP_PATH_VECTOR)
        ck_assert_msg(isnan(ops), "gfx1201 %s now has a rate: update this test and docs/hip.md",
                      k[i]->variant);
      else
        ck_assert_msg(ops > 0, "no rate for %s %s", tpp_hip_arch_name(a), k[i]->variant);
    }
  tpp_rates_free(r);
}
END_TEST

int
main(void)
{
  Suite *s = suite_create("hip_ref");
  TCase *tc = tcase_create("core");
  tcase_set_timeout(tc, 120);
  tcase_add_loop_test(tc, matrix_checks_follow_the_register_layouts, 0,
                      (int)(sizeof(mshapes) / sizeof(mshapes[0])));
  tcase_add_loop_test(tc, vector_checks_accept_right_and_reject_wrong, 0,
                      (int)(sizeof(vector_kernels) / sizeof(vector_kernels[0])));
  tcase_add_test(tc, chains_move_to_the_last_iteration);
  tcase_add_test(tc, references_pass_their_checks);
  tcase_add_test(tc, a_converging_chain_is_caught);
  tcase_add_test(tc, half_rounding_matches_the_reference);
  tcase_add_test(tc, every_target_has_its_rows);
  tcase_add_test(tc, targets_parse_from_gcn_arch_names);
  tcase_add_test(tc, kernel_arguments_and_bandwidth_references);
  tcase_add_test(tc, embedded_code_objects_match_their_targets);
  tcase_add_test(tc, rate_table_reproduces_the_datasheet_peaks);
  tcase_add_test(tc, every_kernel_has_a_rate);
  suite_add_tcase(s, tc);
  return tpp_test_run(s);
}
