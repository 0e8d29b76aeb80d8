// peak_mma.cu - tensor-core peak kernels through mma.sync (warp-level MMA).
//
// Contract (harness/cuda/cuda_kernels.h): void NAME(void *out, const void *in, unsigned iters).
// `in` holds one warp's fragments, the same for every warp: A as 32 lanes x NA 32-bit
// registers, then B as 32 x NB.  Each warp keeps TPP_SETS independent accumulator sets
// (zero at the start) and per iteration issues one mma into each set, D = A*B + D, so the
// tensor pipe always has TPP_SETS independent instructions to overlap.  At the end each lane
// writes, per accumulator register, the sum of the sets (set 0 + set 1 + ...), as
// 32 lanes x NC values per warp, warps in order.
//
// Operands are non-zero random small integers (halves for fp8), exactly representable, so
// every accumulator is an exact integer multiple of (A*B)[row][col]: the host rebuilds A and
// B from `in` through the PTX ISA fragment layouts and checks every element of every warp
// against TPP_SETS * iters * (A*B) (bounds in harness/cuda/cuda_kernels.c).  The f16-accumulate
// kernel alternates A and -A so its accumulators stay small (fp16 holds integers only up to
// 2048) and ends with one extra A*B.
//
// Napkin math: one m16n8k16 mma = 2*16*8*16 = 4096 FLOP per warp; m16n8k32 8192; m16n8k8
// (tf32) 2048; m16n8k64 (s4) 16384; m8n8k4 (f64) 512.  Expected SASS: HMMA (fp16, bf16,
// tf32), IMMA (s8, s4), DMMA (f64), and HMMA/QMMA with E4M3/E5M2 types for fp8 (sm_89+).
#include <stdint.h>

#ifdef __CUDA_ARCH__
#define TPP_ARCH __CUDA_ARCH__
#else
#define TPP_ARCH 0
#endif

#define TPP_SETS 4
#define TPP_WARPS_PER_BLOCK 8

#define MMA_M16N8(KIND, SHAPE, D, A, B)                                                       \
  asm volatile("mma.sync.aligned." SHAPE ".row.col." KIND                                    \
               " {%0,%1,%2,%3}, {%4,%5,%6,%7}, {%8,%9}, {%0,%1,%2,%3};\n"                     \
               : "+r"(D[0]), "+r"(D[1]), "+r"(D[2]), "+r"(D[3])                               \
               : "r"(A[0]), "r"(A[1]), "r"(A[2]), "r"(A[3]), "r"(B[0]), "r"(B[1]))

// Loads fragments, runs the loop with `STEP(d)` on each set, writes the sum of the sets.
// ACC is the accumulator register type as seen by C (float, int or uint32_t).
#define TPP_MMA_KERNEL(NAME, MIN_ARCH, MAX_ARCH, NA, NB, NC, ACC, STEP)                       \
  extern "C" __global__ void __launch_bounds__(32 * TPP_WARPS_PER_BLOCK)                     \
  NAME(void *out, const void *in, unsigned iters)                                            \
  {                                                                                          \
    if (TPP_ARCH >= MIN_ARCH && TPP_ARCH <= MAX_ARCH) {                                      \
      const uint32_t *w = (const uint32_t *)in;                                              \
      const unsigned lane = threadIdx.x & 31;                                                \
      uint32_t a[NA > 4 ? NA : 4], b[NB > 2 ? NB : 2];                                       \
      _Pragma("unroll") for (int i = 0; i < NA; i++) a[i] = w[lane * NA + i];                \
      _Pragma("unroll") for (int i = 0; i < NB; i++) b[i] = w[32 * NA + lane * NB + i];      \
      uint32_t d[TPP_SETS][NC];                                                              \
      _Pragma("unroll") for (int s = 0; s < TPP_SETS; s++)                                   \
        _Pragma("unroll") for (int i = 0; i < NC; i++) d[s][i] = 0;                          \
      for (unsigned it = 0; it < iters; it++) {                                              \
        _Pragma("unroll") for (int s = 0; s < TPP_SETS; s++) { STEP(d[s]); }                 \
      }                                                                                      \
      const size_t warp = (size_t)blockIdx.x * (blockDim.x / 32) + threadIdx.x / 32;         \
      ACC *o = (ACC *)out + (warp * 32 + lane) * NC;                                         \
      _Pragma("unroll") for (int i = 0; i < NC; i++) {                                       \
        ACC sum = *(ACC *)&d[0][i];                                                          \
        _Pragma("unroll") for (int s = 1; s < TPP_SETS; s++) sum = sum + *(ACC *)&d[s][i];   \
        o[i] = sum;                                                                          \
      }                                                                                      \
    }                                                                                        \
  }

// ---- FP16, BF16, TF32 (HMMA) --------------------------------------------------------
#define STEP_F16_F32(d) MMA_M16N8("f32.f16.f16.f32", "m16n8k16", d, a, b)
#define STEP_BF16_F32(d) MMA_M16N8("f32.bf16.bf16.f32", "m16n8k16", d, a, b)
#define STEP_TF32_F32(d) MMA_M16N8("f32.tf32.tf32.f32", "m16n8k8", d, a, b)
TPP_MMA_KERNEL(tpp_cuda_hmma_f16_f32acc, 800, 9999, 4, 2, 4, float, STEP_F16_F32)
TPP_MMA_KERNEL(tpp_cuda_hmma_bf16_f32acc, 800, 9999, 4, 2, 4, float, STEP_BF16_F32)
TPP_MMA_KERNEL(tpp_cuda_hmma_tf32_f32acc, 800, 9999, 4, 2, 4, float, STEP_TF32_F32)

// Turing: m16n8k8 f16 (A 2 registers, B 1).
#define STEP_F16_K8(d)                                                                         \
  asm volatile("mma.sync.aligned.m16n8k8.row.col.f32.f16.f16.f32"                             \
               " {%0,%1,%2,%3}, {%4,%5}, {%6}, {%0,%1,%2,%3};\n"                               \
               : "+r"(d[0]), "+r"(d[1]), "+r"(d[2]), "+r"(d[3])                                \
               : "r"(a[0]), "r"(a[1]), "r"(b[0]))
TPP_MMA_KERNEL(tpp_cuda_hmma_f16_k8_f32acc, 750, 759, 2, 1, 4, float, STEP_F16_K8)

// f16 accumulate: D is 2 registers of f16x2.  A and -A alternate (sign bits flipped), so
// the accumulators return to zero every two steps; one last A*B is added after the loop.
#define STEP_F16_F16_ONE(d, A)                                                                 \
  asm volatile("mma.sync.aligned.m16n8k16.row.col.f16.f16.f16.f16"                            \
               " {%0,%1}, {%2,%3,%4,%5}, {%6,%7}, {%0,%1};\n"                                  \
               : "+r"(d[0]), "+r"(d[1])                                                        \
               : "r"(A[0]), "r"(A[1]), "r"(A[2]), "r"(A[3]), "r"(b[0]), "r"(b[1]))
extern "C" __global__ void __launch_bounds__(32 * TPP_WARPS_PER_BLOCK)
tpp_cuda_hmma_f16_f16acc(void *out, const void *in, unsigned iters)
{
#if defined(__CUDA_ARCH__) && __CUDA_ARCH__ >= 800
  const uint32_t *w = (const uint32_t *)in;
  const unsigned lane = threadIdx.x & 31;
  uint32_t a[4], an[4], b[2], d[TPP_SETS][2];
#pragma unroll
  for (int i = 0; i < 4; i++) {
    a[i] = w[lane * 4 + i];
    an[i] = a[i] ^ 0x80008000u;
  }
#pragma unroll
  for (int i = 0; i < 2; i++)
    b[i] = w[32 * 4 + lane * 2 + i];
#pragma unroll
  for (int s = 0; s < TPP_SETS; s++)
    d[s][0] = d[s][1] = 0;
  for (unsigned it = 0; it < iters; it++) {
#pragma unroll
    for (int s = 0; s < TPP_SETS; s++)
      STEP_F16_F16_ONE(d[s], a);
#pragma unroll
    for (int s = 0; s < TPP_SETS; s++)
      STEP_F16_F16_ONE(d[s], an);
  }
#pragma unroll
  for (int s = 0; s < TPP_SETS; s++)
    STEP_F16_F16_ONE(d[s], a);
  const size_t warp = (size_t)blockIdx.x * (blockDim.x / 32) + threadIdx.x / 32;
  uint32_t *o = (uint32_t *)out + (warp * 32 + lane) * 2;
  // Sum of the sets in f16x2 (exact: |values| <= 4 * 64).
#pragma unroll
  for (int i = 0; i < 2; i++) {
    uint32_t sum = d[0][i];
#pragma unroll
    for (int s = 1; s < TPP_SETS; s++)
      asm("add.rn.f16x2 %0, %0, %1;" : "+r"(sum) : "r"(d[s][i]));
    o[i] = sum;
  }
#endif
}

// ---- INT8, INT4 (IMMA) --------------------------------------------------------------
#define STEP_S8(d) MMA_M16N8("s32.s8.s8.s32", "m16n8k32", d, a, b)
#define STEP_S4(d) MMA_M16N8("s32.s4.s4.s32", "m16n8k64", d, a, b)
TPP_MMA_KERNEL(tpp_cuda_imma_s8, 800, 9999, 4, 2, 4, int, STEP_S8)
TPP_MMA_KERNEL(tpp_cuda_imma_s4, 800, 899, 4, 2, 4, int, STEP_S4)

// ---- FP8 (sm_89+) ----------------------------------------------------------------------
#define STEP_E4M3(d) MMA_M16N8("f32.e4m3.e4m3.f32", "m16n8k32", d, a, b)
#define STEP_E5M2(d) MMA_M16N8("f32.e5m2.e5m2.f32", "m16n8k32", d, a, b)
TPP_MMA_KERNEL(tpp_cuda_qmma_e4m3_f32acc, 890, 9999, 4, 2, 4, float, STEP_E4M3)
TPP_MMA_KERNEL(tpp_cuda_qmma_e5m2_f32acc, 890, 9999, 4, 2, 4, float, STEP_E5M2)

// ---- FP64 (DMMA, sm_80+): m8n8k4, A and B one double each, D two doubles -------------
extern "C" __global__ void __launch_bounds__(32 * TPP_WARPS_PER_BLOCK)
tpp_cuda_dmma(void *out, const void *in, unsigned iters)
{
#if defined(__CUDA_ARCH__) && __CUDA_ARCH__ >= 800
  const double *w = (const double *)in;
  const unsigned lane = threadIdx.x & 31;
  const double a = w[lane], b = w[32 + lane];
  double d[TPP_SETS][2];
#pragma unroll
  for (int s = 0; s < TPP_SETS; s++)
    d[s][0] = d[s][1] = 0.0;
  for (unsigned it = 0; it < iters; it++) {
#pragma unroll
    for (int s = 0; s < TPP_SETS; s++)
      asm volatile("mma.sync.aligned.m8n8k4.row.col.f64.f64.f64.f64 {%0,%1}, {%2}, {%3}, {%0,%1};\n"
                   : "+d"(d[s][0]), "+d"(d[s][1])
                   : "d"(a), "d"(b));
  }
  const size_t warp = (size_t)blockIdx.x * (blockDim.x / 32) + threadIdx.x / 32;
  double *o = (double *)out + (warp * 32 + lane) * 2;
#pragma unroll
  for (int i = 0; i < 2; i++) {
    double sum = d[0][i];
#pragma unroll
    for (int s = 1; s < TPP_SETS; s++)
      sum = __dadd_rn(sum, d[s][i]);
    o[i] = sum;
  }
#endif
}
