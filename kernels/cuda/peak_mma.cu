// peak_mma.cu - tensor-core peak kernels through mma.sync (warp-level MMA).
//
// Contract (harness/backends/cuda/cuda_kernels.h): void NAME(void *out, const void *in, unsigned iters).
// `in` holds one warp's fragments, the same for every warp: A as 32 lanes x NA 32-bit
// registers, then B as 32 x NB (m8n8k4 f64: 32 doubles of A, then 32 of B).  They are
// loaded once.  Each warp keeps TPP_SETS independent accumulator sets (zero at the start)
// and per iteration issues one mma into each set, D = A*B + D, back to back, so the tensor
// pipe always has TPP_SETS independent instructions to overlap.  At the end each lane
// writes, per accumulator element, the sum of its sets (set 0 + set 1 + ...), as 32 lanes x
// NC values per warp, warps in order (f16 accumulators are widened to f32 first).
//
// Operands are small random non-zero integers, exactly representable, so after n iterations
// every accumulator holds n * (A*B)[row][col] exactly while it stays below the accumulator's
// integer range (2^24 for f32, 2^53 for f64; s32 wraps exactly).  The host rebuilds A and B
// from `in` through the PTX ISA fragment layouts and checks every element of every warp;
// harness/backends/cuda/cuda_kernels.c documents the bound per kernel.  f16 accumulators hold
// integers only up to 2048, so those kernels flip the sign of A every TPP_F16_RUN
// iterations: the accumulator walks up and down a triangle wave, t(n) * (A*B) with
// t(n) = m for m = n mod 2R <= R and 2R - m otherwise, never above R * |A*B| <= 2048,
// and it still changes with every iteration.  The FP8 kernels do the same (their f32
// accumulation may keep fewer bits than f32).  A wave is blind to whole periods (n and
// n + 64 leave the same accumulators), so these kernels count the completed periods as
// they run and lane 0 of each warp adds floor(n / 64) to its element 0.
//
// Napkin math (FLOP per warp-level mma = 2mnk): m16n8k16 4096; m16n8k32 8192; m16n8k8
// 2048; m16n8k64 16384; m8n8k16 2048; m8n8k32 4096; m8n8k4 512.  A block is 8 warps of
// 4 sets, so one iteration is 32 mmas per block.
// Expected SASS: HMMA.16816.F32 / .F16 / .F32.BF16, HMMA.1688.F32.TF32, HMMA.1688 (sm_75),
// QMMA.16832.F32.E4M3.E4M3 / .E5M2.E5M2 (sm_89, sm_120; sm_90 and sm_100 lower FP8
// mma.sync to F2FP conversions + HMMA, so those archs get no FP8 kernel), IMMA.16832.S8.S8,
// IMMA.16864.S4.S4 (sm_80..sm_89), IMMA.8816 / IMMA.8832 (sm_75), DMMA.884 (sm_80+),
// DMMA.16816 (m16n8k16 f64, sm_90+).
#include <stdint.h>

#ifdef __CUDA_ARCH__
#define TPP_ARCH __CUDA_ARCH__
#else
#define TPP_ARCH 0
#endif

#define TPP_SETS 4
#define TPP_WARPS_PER_BLOCK 8
#define TPP_F16_RUN 32
// 4 blocks of 256 threads per SM: resident on every target (Turing's limit is 1024
// threads per SM); the kernels need at most 32 registers per thread.
#define TPP_BOUNDS __launch_bounds__(32 * TPP_WARPS_PER_BLOCK, 4)

// m16n8kK with A in 4 registers, B in 2, C/D in 4 (f32 or s32).
#define MMA_A4B2C4(KIND, SHAPE, D, A, B)                                                       \
  asm volatile("mma.sync.aligned." SHAPE ".row.col." KIND                                    \
               " {%0,%1,%2,%3}, {%4,%5,%6,%7}, {%8,%9}, {%0,%1,%2,%3};\n"                     \
               : "+r"(D[0]), "+r"(D[1]), "+r"(D[2]), "+r"(D[3])                               \
               : "r"(A[0]), "r"(A[1]), "r"(A[2]), "r"(A[3]), "r"(B[0]), "r"(B[1]))
// m16n8k8 f16 with f32 accumulate: A 2 registers, B 1, C/D 4.
#define MMA_A2B1C4(KIND, SHAPE, D, A, B)                                                       \
  asm volatile("mma.sync.aligned." SHAPE ".row.col." KIND                                    \
               " {%0,%1,%2,%3}, {%4,%5}, {%6}, {%0,%1,%2,%3};\n"                               \
               : "+r"(D[0]), "+r"(D[1]), "+r"(D[2]), "+r"(D[3])                               \
               : "r"(A[0]), "r"(A[1]), "r"(B[0]))
// m8n8kK integer: A 1 register, B 1, C/D 2.
#define MMA_A1B1C2(KIND, SHAPE, D, A, B)                                                       \
  asm volatile("mma.sync.aligned." SHAPE ".row.col." KIND " {%0,%1}, {%2}, {%3}, {%0,%1};\n" \
               : "+r"(D[0]), "+r"(D[1])                                                       \
               : "r"(A[0]), "r"(B[0]))
// f16 accumulate: C/D 2 registers of f16x2.
#define MMA_A4B2C2(KIND, SHAPE, D, A, B)                                                       \
  asm volatile("mma.sync.aligned." SHAPE ".row.col." KIND                                    \
               " {%0,%1}, {%2,%3,%4,%5}, {%6,%7}, {%0,%1};\n"                                 \
               : "+r"(D[0]), "+r"(D[1])                                                       \
               : "r"(A[0]), "r"(A[1]), "r"(A[2]), "r"(A[3]), "r"(B[0]), "r"(B[1]))
#define MMA_A2B1C2(KIND, SHAPE, D, A, B)                                                       \
  asm volatile("mma.sync.aligned." SHAPE ".row.col." KIND " {%0,%1}, {%2,%3}, {%4}, {%0,%1};\n" \
               : "+r"(D[0]), "+r"(D[1])                                                       \
               : "r"(A[0]), "r"(A[1]), "r"(B[0]))

// The loop: iters x one mma per set.  FLIP != 0: A's sign bits (FLIP) flip every
// TPP_F16_RUN iterations, the triangle wave that keeps f16 (and FP8: see below)
// accumulators small.
#define TPP_MMA_LOOP(NA, STEP, FLIP)                                                          \
  unsigned runs = 0; /* full runs of TPP_F16_RUN: the wave's periods are runs / 2 */        \
  if ((FLIP) == 0) {                                                                         \
    _Pragma("unroll 4") for (unsigned it = 0; it < iters; it++) {                            \
      _Pragma("unroll") for (int s = 0; s < TPP_SETS; s++) { STEP(d[s], a, b); }             \
    }                                                                                        \
  } else {                                                                                   \
    for (unsigned left = iters; left > 0;) {                                                 \
      const unsigned run = left < TPP_F16_RUN ? left : TPP_F16_RUN;                          \
      _Pragma("unroll 4") for (unsigned it = 0; it < run; it++) {                            \
        _Pragma("unroll") for (int s = 0; s < TPP_SETS; s++) { STEP(d[s], a, b); }           \
      }                                                                                      \
      left -= run;                                                                           \
      runs += run == TPP_F16_RUN;                                                            \
      _Pragma("unroll") for (int i = 0; i < NA; i++) a[i] ^= (FLIP);                         \
    }                                                                                        \
  }

// Loads the fragments, runs the loop with `STEP(d, a, b)` on each set, writes the sum of
// the sets.  ACC: how C adds the accumulator registers (float, or uint32_t for s32, which
// wraps like the hardware's).  The body exists only for MIN_ARCH..MAX_ARCH; elsewhere the
// kernel is empty (the host never launches it there: min_cc/max_cc).
#define TPP_MMA_KERNEL(NAME, MIN_ARCH, MAX_ARCH, NA, NB, NC, ACC, STEP, FLIP)                 \
  extern "C" __global__ void TPP_BOUNDS NAME(void *out, const void *in, unsigned iters)      \
  {                                                                                          \
    if (TPP_ARCH >= MIN_ARCH && TPP_ARCH <= MAX_ARCH) {                                      \
      const uint32_t *w = (const uint32_t *)in;                                              \
      const unsigned lane = threadIdx.x & 31;                                                \
      uint32_t a[NA], b[NB], d[TPP_SETS][NC];                                                \
      _Pragma("unroll") for (int i = 0; i < NA; i++) a[i] = w[lane * NA + i];                \
      _Pragma("unroll") for (int i = 0; i < NB; i++) b[i] = w[32 * NA + lane * NB + i];      \
      _Pragma("unroll") for (int s = 0; s < TPP_SETS; s++)                                   \
        _Pragma("unroll") for (int i = 0; i < NC; i++) d[s][i] = 0;                          \
      TPP_MMA_LOOP(NA, STEP, FLIP)                                                           \
      const size_t warp = (size_t)blockIdx.x * (blockDim.x / 32) + threadIdx.x / 32;         \
      ACC *o = (ACC *)out + (warp * 32 + lane) * NC;                                         \
      _Pragma("unroll") for (int i = 0; i < NC; i++) {                                       \
        ACC sum = __uint_as_acc<ACC>(d[0][i]);                                               \
        _Pragma("unroll") for (int s = 1; s < TPP_SETS; s++) sum = sum + __uint_as_acc<ACC>(d[s][i]); \
        if ((FLIP) != 0 && i == 0 && lane == 0)                                              \
          sum = sum + (ACC)(runs / 2); /* whole periods of the wave */                       \
        o[i] = sum;                                                                          \
      }                                                                                      \
    }                                                                                        \
  }

template <typename T> __device__ __forceinline__ T __uint_as_acc(uint32_t u);
template <> __device__ __forceinline__ float
__uint_as_acc<float>(uint32_t u)
{
  return __uint_as_float(u);
}
template <> __device__ __forceinline__ uint32_t
__uint_as_acc<uint32_t>(uint32_t u)
{
  return u;
}

// f16 accumulate (NC = 2 registers of f16x2): A's sign flips every TPP_F16_RUN
// iterations (the triangle wave above); the sets are widened to f32 and summed, 4 floats
// per lane in C-fragment element order.
#define TPP_MMA_F16ACC_KERNEL(NAME, MIN_ARCH, MAX_ARCH, NA, NB, STEP)                         \
  extern "C" __global__ void TPP_BOUNDS NAME(void *out, const void *in, unsigned iters)      \
  {                                                                                          \
    if (TPP_ARCH >= MIN_ARCH && TPP_ARCH <= MAX_ARCH) {                                      \
      const uint32_t *w = (const uint32_t *)in;                                              \
      const unsigned lane = threadIdx.x & 31;                                                \
      uint32_t a[NA], b[NB], d[TPP_SETS][2];                                                 \
      _Pragma("unroll") for (int i = 0; i < NA; i++) a[i] = w[lane * NA + i];                \
      _Pragma("unroll") for (int i = 0; i < NB; i++) b[i] = w[32 * NA + lane * NB + i];      \
      _Pragma("unroll") for (int s = 0; s < TPP_SETS; s++) d[s][0] = d[s][1] = 0;            \
      TPP_MMA_LOOP(NA, STEP, 0x80008000u)                                                    \
      const size_t warp = (size_t)blockIdx.x * (blockDim.x / 32) + threadIdx.x / 32;         \
      float *o = (float *)out + (warp * 32 + lane) * 4;                                      \
      _Pragma("unroll") for (int i = 0; i < 4; i++) {                                        \
        float sum = 0.0f;                                                                    \
        _Pragma("unroll") for (int s = 0; s < TPP_SETS; s++) {                               \
          unsigned short h = (unsigned short)(d[s][i >> 1] >> (16 * (i & 1)));               \
          sum += __half2float(__ushort_as_half(h));                                          \
        }                                                                                    \
        if (i == 0 && lane == 0)                                                             \
          sum += (float)(runs / 2); /* whole periods of the wave */                          \
        o[i] = sum;                                                                          \
      }                                                                                      \
    }                                                                                        \
  }
#include <cuda_fp16.h>

// ---- FP16, BF16, TF32 (HMMA) --------------------------------------------------------
#define STEP_F16_F32(d, a, b) MMA_A4B2C4("f32.f16.f16.f32", "m16n8k16", d, a, b)
#define STEP_BF16_F32(d, a, b) MMA_A4B2C4("f32.bf16.bf16.f32", "m16n8k16", d, a, b)
#define STEP_TF32_F32(d, a, b) MMA_A4B2C4("f32.tf32.tf32.f32", "m16n8k8", d, a, b)
#define STEP_F16_F16(d, a, b) MMA_A4B2C2("f16.f16.f16.f16", "m16n8k16", d, a, b)
TPP_MMA_KERNEL(tpp_cuda_hmma_tf32_f32acc, 800, 9999, 4, 2, 4, float, STEP_TF32_F32, 0)
TPP_MMA_KERNEL(tpp_cuda_hmma_f16_f32acc, 800, 9999, 4, 2, 4, float, STEP_F16_F32, 0)
TPP_MMA_F16ACC_KERNEL(tpp_cuda_hmma_f16_f16acc, 800, 9999, 4, 2, STEP_F16_F16)
TPP_MMA_KERNEL(tpp_cuda_hmma_bf16_f32acc, 800, 9999, 4, 2, 4, float, STEP_BF16_F32, 0)

// Turing: m16n8k8 f16 (A 2 registers, B 1).
#define STEP_F16_K8_F32(d, a, b) MMA_A2B1C4("f32.f16.f16.f32", "m16n8k8", d, a, b)
#define STEP_F16_K8_F16(d, a, b) MMA_A2B1C2("f16.f16.f16.f16", "m16n8k8", d, a, b)
TPP_MMA_KERNEL(tpp_cuda_hmma_f16_k8_f32acc, 750, 759, 2, 1, 4, float, STEP_F16_K8_F32, 0)
TPP_MMA_F16ACC_KERNEL(tpp_cuda_hmma_f16_k8_f16acc, 750, 759, 2, 1, STEP_F16_K8_F16)

// ---- FP8 (QMMA: sm_89, sm_120) --------------------------------------------------------
// FP8 mma with f32 accumulate may keep fewer accumulator bits than f32 (DeepSeek-V3 reports
// about 14 on Hopper), so these use the triangle wave too: |D| <= 32 * 128 = 2^12 per set.
#define STEP_E4M3(d, a, b) MMA_A4B2C4("f32.e4m3.e4m3.f32", "m16n8k32", d, a, b)
#define STEP_E5M2(d, a, b) MMA_A4B2C4("f32.e5m2.e5m2.f32", "m16n8k32", d, a, b)
TPP_MMA_KERNEL(tpp_cuda_qmma_e4m3_f32acc, 890, 9999, 4, 2, 4, float, STEP_E4M3, 0x80808080u)
TPP_MMA_KERNEL(tpp_cuda_qmma_e5m2_f32acc, 890, 9999, 4, 2, 4, float, STEP_E5M2, 0x80808080u)

// ---- INT8, INT4 (IMMA) --------------------------------------------------------------
#define STEP_S8(d, a, b) MMA_A4B2C4("s32.s8.s8.s32", "m16n8k32", d, a, b)
#define STEP_S4(d, a, b) MMA_A4B2C4("s32.s4.s4.s32", "m16n8k64", d, a, b)
#define STEP_S8_M8(d, a, b) MMA_A1B1C2("s32.s8.s8.s32", "m8n8k16", d, a, b)
#define STEP_S4_M8(d, a, b) MMA_A1B1C2("s32.s4.s4.s32", "m8n8k32", d, a, b)
TPP_MMA_KERNEL(tpp_cuda_imma_s8, 800, 9999, 4, 2, 4, uint32_t, STEP_S8, 0)
TPP_MMA_KERNEL(tpp_cuda_imma_s8_m8, 750, 759, 1, 1, 2, uint32_t, STEP_S8_M8, 0)
// INT4 tensor cores end with Ada (Hopper emulates s4 mma, sm_120 splits it in two IMMA.S8).
TPP_MMA_KERNEL(tpp_cuda_imma_s4, 800, 899, 4, 2, 4, uint32_t, STEP_S4, 0)
TPP_MMA_KERNEL(tpp_cuda_imma_s4_m8, 750, 759, 1, 1, 2, uint32_t, STEP_S4_M8, 0)

// ---- FP64 (DMMA) ------------------------------------------------------------------------
// Only where FP64 tensor cores exist: GA100 (sm_80) and Hopper and datacenter Blackwell
// (sm_90, sm_100, sm_103, sm_110); the host never runs these on sm_86/89/12x, whose DMMA is
// there "for program correctness" at a fraction of the DFMA rate.
// m8n8k4 (sm_80+): A and B one double each, D two doubles.
extern "C" __global__ void TPP_BOUNDS
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
#pragma unroll 4
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

// m16n8k16 (sm_90+, PTX ISA 7.8): A 8 doubles per lane, B 4, C/D 4 (the fragment layouts
// of the f16 m16n8k16 shape with one element per register).  `in`: A as 32 lanes x 8
// doubles, then B as 32 x 4.  DMMA.16x8x16 wants A, B and each accumulator in aligned
// runs of registers (16 + 8 + 4 x 8 = 56 for four sets): at 4 blocks per SM (64 registers)
// ptxas spills the accumulators to the stack around every DMMA, so this one allows 2
// blocks of 256 threads per SM (128 registers); the host sizes the grid by occupancy.
extern "C" __global__ void __launch_bounds__(32 * TPP_WARPS_PER_BLOCK, 2)
tpp_cuda_dmma_k16(void *out, const void *in, unsigned iters)
{
#if defined(__CUDA_ARCH__) && __CUDA_ARCH__ >= 900
  const double *w = (const double *)in;
  const unsigned lane = threadIdx.x & 31;
  double a[8], b[4], d[TPP_SETS][4];
#pragma unroll
  for (int i = 0; i < 8; i++)
    a[i] = w[lane * 8 + i];
#pragma unroll
  for (int i = 0; i < 4; i++)
    b[i] = w[256 + lane * 4 + i];
#pragma unroll
  for (int s = 0; s < TPP_SETS; s++)
#pragma unroll
    for (int i = 0; i < 4; i++)
      d[s][i] = 0.0;
#pragma unroll 2
  for (unsigned it = 0; it < iters; it++) {
#pragma unroll
    for (int s = 0; s < TPP_SETS; s++)
      asm volatile("mma.sync.aligned.m16n8k16.row.col.f64.f64.f64.f64 {%0,%1,%2,%3}, "
                   "{%4,%5,%6,%7,%8,%9,%10,%11}, {%12,%13,%14,%15}, {%0,%1,%2,%3};\n"
                   : "+d"(d[s][0]), "+d"(d[s][1]), "+d"(d[s][2]), "+d"(d[s][3])
                   : "d"(a[0]), "d"(a[1]), "d"(a[2]), "d"(a[3]), "d"(a[4]), "d"(a[5]), "d"(a[6]),
                     "d"(a[7]), "d"(b[0]), "d"(b[1]), "d"(b[2]), "d"(b[3]));
  }
  const size_t warp = (size_t)blockIdx.x * (blockDim.x / 32) + threadIdx.x / 32;
  double *o = (double *)out + (warp * 32 + lane) * 4;
#pragma unroll
  for (int i = 0; i < 4; i++) {
    double sum = d[0][i];
#pragma unroll
    for (int s = 1; s < TPP_SETS; s++)
      sum = __dadd_rn(sum, d[s][i]);
    o[i] = sum;
  }
#endif
}
