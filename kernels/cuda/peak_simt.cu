// peak_simt.cu - CUDA-core peak kernels: DFMA, FFMA, HFMA2 (fp16 and bf16), IMAD, IDP4A.
//
// Contract (harness/backends/cuda/cuda_kernels.h): void NAME(void *out, const void *in, unsigned iters).
// Each thread runs TPP_CHAINS independent chains for `iters` steps and writes one value:
// the left-to-right sum of its chains.  Chains start from the thread's global index by the
// rule of include/tpp/peakref.h, and the step operands come from `in` (the host's), so no
// step can be folded; the host recomputes sampled threads bit for bit.
//
// Every chain keeps changing to its last step, so a launch that ran fewer steps shows
// (tests/backends/cuda/test_cuda_chains.c simulates each for the real counts):
//   FFMA, DFMA  x = fma(x, a, b), a = 1 - 2^-16, b = 3 * 2^-16: x walks towards 3, far
//               outside the start values [0.5, 1.5), by >= 12 ulps a step for 131072 steps;
//   IMAD        x = x*a + b with a = 1 (mod 4) and b odd: full period 2^32 (Hull-Dobell);
//   DP4A        x = dp4a(x, b, c + s*0x10001) at step s: |dot| <= 3584 < 0x10001 / 2, so
//               the values of different steps lie in disjoint bands;
//   HFMA2       x = fma(x, x, c_t) in half (bfloat16): a 16-bit value cannot avoid cycles
//               for long under a fixed map, so c_t moves every 32 steps (t = step / 32):
//               c_t = base + ((t * 0x9E3779B9) >> shift) * inc (per half, packed in one
//               register): a Weyl sequence, so the forcing never repeats within a launch
//               (a periodic one entrains bf16 chains), within [-1.9, -1.75], where every
//               orbit of [-1.9, 1.9] stays in it for any of the constants (the image of
//               x^2 + c is [c, 3.61 + c]) and the map is chaotic.
//
// Napkin math (per SM per clock, CUDA C++ Programming Guide, "Arithmetic Instructions"): FP32 128 FFMA (sm_80+: 128; sm_75: 64),
// FP64 64 DFMA on GA100/GH100 (2 on GeForce), HFMA2 = 2 FP16 FMA per lane.  One thread of
// 16 chains keeps 16 independent FMAs in flight; with 256 threads x 4 blocks per SM the
// scheduler has 32 warps to hide the 4-cycle latency.  The iteration loop is unrolled 16
// times (256 FMAs per trip), so counter and branch take ~1% of the issue slots that FFMA
// and HFMA2 need all of (one warp instruction a clock per SM sub-partition).
//
// Expected SASS: FFMA, DFMA, HFMA2, HFMA2.BF16_V2 (sm_80+), IMAD, IDP.4A.S8.S8.
#include <cuda_bf16.h>
#include <cuda_fp16.h>

#define TPP_CHAINS 16

__device__ __forceinline__ unsigned
tpp_key(unsigned g, unsigned c)
{
  return g * 131u + c * 17u;
}

__device__ __forceinline__ float
tpp_init(unsigned g, unsigned c)
{
  return (float)(tpp_key(g, c) & 1023u) * (1.0f / 1024.0f) + 0.5f;
}

// in: float a, float b.  Steps: x = fma(x, a, b).
extern "C" __global__ void __launch_bounds__(256, 4)
tpp_cuda_ffma(void *out, const void *in, unsigned iters)
{
  const float a = ((const float *)in)[0], b = ((const float *)in)[1];
  const unsigned g = blockIdx.x * blockDim.x + threadIdx.x;
  float x[TPP_CHAINS];
#pragma unroll
  for (int c = 0; c < TPP_CHAINS; c++)
    x[c] = tpp_init(g, c);
#pragma unroll 16
  for (unsigned i = 0; i < iters; i++) {
#pragma unroll
    for (int c = 0; c < TPP_CHAINS; c++)
      x[c] = __fmaf_rn(x[c], a, b);
  }
  float r = x[0];
#pragma unroll
  for (int c = 1; c < TPP_CHAINS; c++)
    r = __fadd_rn(r, x[c]);
  ((float *)out)[g] = r;
}

// in: double a, double b.
extern "C" __global__ void __launch_bounds__(256, 4)
tpp_cuda_dfma(void *out, const void *in, unsigned iters)
{
  const double a = ((const double *)in)[0], b = ((const double *)in)[1];
  const unsigned g = blockIdx.x * blockDim.x + threadIdx.x;
  double x[TPP_CHAINS];
#pragma unroll
  for (int c = 0; c < TPP_CHAINS; c++)
    x[c] = (double)(tpp_key(g, c) & 1023u) * (1.0 / 1024.0) + 0.5;
#pragma unroll 16
  for (unsigned i = 0; i < iters; i++) {
#pragma unroll
    for (int c = 0; c < TPP_CHAINS; c++)
      x[c] = __fma_rn(x[c], a, b);
  }
  double r = x[0];
#pragma unroll
  for (int c = 1; c < TPP_CHAINS; c++)
    r = __dadd_rn(r, x[c]);
  ((double *)out)[g] = r;
}

// in: uint a, uint b.  Steps: x = x*a + b, wrapping.
extern "C" __global__ void __launch_bounds__(256, 4)
tpp_cuda_imad(void *out, const void *in, unsigned iters)
{
  const unsigned a = ((const unsigned *)in)[0], b = ((const unsigned *)in)[1];
  const unsigned g = blockIdx.x * blockDim.x + threadIdx.x;
  unsigned x[TPP_CHAINS];
#pragma unroll
  for (int c = 0; c < TPP_CHAINS; c++)
    x[c] = tpp_key(g, c) + 1u;
#pragma unroll 16
  for (unsigned i = 0; i < iters; i++) {
#pragma unroll
    for (int c = 0; c < TPP_CHAINS; c++)
      x[c] = x[c] * a + b;
  }
  unsigned r = x[0];
#pragma unroll
  for (int c = 1; c < TPP_CHAINS; c++)
    r += x[c];
  ((unsigned *)out)[g] = r;
}

// HFMA2 steps per trip of the constant c_t (see the top of the file).
#define TPP_H2_TRIP 32

// in: uint32 base, inc, shift: c_t's half2 bits are base + ((t * 0x9E3779B9) >> shift) * inc.  Each chain is
// a half2 whose halves start from lanes 0 and 1 of the peakref rule and step
// x = fma(x, x, c_t) in half precision: bounded (orbits stay in [-2, 2]) and chaotic.
extern "C" __global__ void __launch_bounds__(256, 4)
tpp_cuda_hfma2(void *out, const void *in, unsigned iters)
{
  const unsigned base = ((const unsigned *)in)[0], inc = ((const unsigned *)in)[1];
  const unsigned shift = ((const unsigned *)in)[2];
  const unsigned g = blockIdx.x * blockDim.x + threadIdx.x;
  __half2 x[TPP_CHAINS];
#pragma unroll
  for (int c = 0; c < TPP_CHAINS; c++) {
    unsigned k = tpp_key(g, c);
    x[c] = __floats2half2_rn((float)(k & 1023u) * (1.0f / 1024.0f) + 0.5f,
                             (float)((k + 5u) & 1023u) * (1.0f / 1024.0f) + 0.5f);
  }
  const unsigned trips = iters / TPP_H2_TRIP;
#pragma unroll 1
  for (unsigned t = 0; t <= trips; t++) {
    const unsigned bits = base + ((t * 0x9E3779B9u) >> shift) * inc;
    const __half2 cst = *(const __half2 *)&bits;
    if (t < trips) {
#pragma unroll
      for (int i = 0; i < TPP_H2_TRIP; i++)
#pragma unroll
        for (int c = 0; c < TPP_CHAINS; c++)
          x[c] = __hfma2(x[c], x[c], cst);
    } else {
#pragma unroll 1
      for (unsigned i = trips * TPP_H2_TRIP; i < iters; i++)
#pragma unroll
        for (int c = 0; c < TPP_CHAINS; c++)
          x[c] = __hfma2(x[c], x[c], cst);
    }
  }
  __half2 r = x[0];
#pragma unroll
  for (int c = 1; c < TPP_CHAINS; c++)
    r = __hadd2(r, x[c]);
  ((__half2 *)out)[g] = r;
}

// Same for bfloat16 (sm_80+); initial values on a 1/128 grid, exact in bf16.
extern "C" __global__ void __launch_bounds__(256, 4)
tpp_cuda_hfma2_bf16(void *out, const void *in, unsigned iters)
{
#if __CUDA_ARCH__ >= 800
  const unsigned base = ((const unsigned *)in)[0], inc = ((const unsigned *)in)[1];
  const unsigned shift = ((const unsigned *)in)[2];
  const unsigned g = blockIdx.x * blockDim.x + threadIdx.x;
  __nv_bfloat162 x[TPP_CHAINS];
#pragma unroll
  for (int c = 0; c < TPP_CHAINS; c++) {
    unsigned k = tpp_key(g, c);
    x[c] = __floats2bfloat162_rn((float)(k & 127u) * (1.0f / 128.0f) + 0.5f,
                                 (float)((k + 5u) & 127u) * (1.0f / 128.0f) + 0.5f);
  }
  const unsigned trips = iters / TPP_H2_TRIP;
#pragma unroll 1
  for (unsigned t = 0; t <= trips; t++) {
    const unsigned bits = base + ((t * 0x9E3779B9u) >> shift) * inc;
    const __nv_bfloat162 cst = *(const __nv_bfloat162 *)&bits;
    if (t < trips) {
#pragma unroll
      for (int i = 0; i < TPP_H2_TRIP; i++)
#pragma unroll
        for (int c = 0; c < TPP_CHAINS; c++)
          x[c] = __hfma2(x[c], x[c], cst);
    } else {
#pragma unroll 1
      for (unsigned i = trips * TPP_H2_TRIP; i < iters; i++)
#pragma unroll
        for (int c = 0; c < TPP_CHAINS; c++)
          x[c] = __hfma2(x[c], x[c], cst);
    }
  }
  __nv_bfloat162 r = x[0];
#pragma unroll
  for (int c = 1; c < TPP_CHAINS; c++)
    r = __hadd2(r, x[c]);
  ((__nv_bfloat162 *)out)[g] = r;
#endif
}

// in: int b (4 x int8), int c.  Steps: x = dp4a(x, b, c + s * 0x10001) at step s: the bytes
// of x times the bytes of b, plus an addend that moves every step, so no two steps within
// 65535 of each other give the same value and no closed form exists.
// 4 MACs (8 ops) per IDP.4A; the addend is one IADD3 per step for all 16 chains.
extern "C" __global__ void __launch_bounds__(256, 4)
tpp_cuda_dp4a(void *out, const void *in, unsigned iters)
{
  const int b = ((const int *)in)[0], cst = ((const int *)in)[1];
  const unsigned g = blockIdx.x * blockDim.x + threadIdx.x;
  int x[TPP_CHAINS];
#pragma unroll
  for (int c = 0; c < TPP_CHAINS; c++)
    x[c] = (int)(tpp_key(g, c) + 1u);
#pragma unroll 16
  for (unsigned i = 0; i < iters; i++) {
    const int add = (int)((unsigned)cst + i * 0x10001u);
#pragma unroll
    for (int c = 0; c < TPP_CHAINS; c++)
      x[c] = __dp4a(x[c], b, add);
  }
  unsigned r = (unsigned)x[0];
#pragma unroll
  for (int c = 1; c < TPP_CHAINS; c++)
    r += (unsigned)x[c];
  ((unsigned *)out)[g] = r;
}
