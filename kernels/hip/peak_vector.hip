// peak_vector.hip - vector-ALU peak kernels: v_fma_f64, v_pk_fma_f32, v_pk_fma_f16.
//
// Contract (harness/backends/hip/hip_kernels.h): void NAME(void *out, const void *in, unsigned iters),
// 256 threads a block.  Thread g (global index) runs TPP_CHAINS independent chains for
// `iters` steps and writes the left-to-right sum of its chains at out + block * BLOCK_BYTES
// + thread * element size; the block trailer (tpp_hip.h) follows the block's data.
//
// Chains start from the peakref rule (key & 1023) / 1024 + 0.5, lane l of a packed
// chain from key(g, c, l).  FP64 and FP32 step x = fma(x, a, b) with a = 1 + 2^-20 and a
// small b > 0 from `in`: every step multiplies by more than one ulp's worth, so each
// chain grows strictly, never repeats and never settles (a < 1, as in x -> 1, would stop
// at a rounding fixed point long before the end of a launch).  FP16 has too few bits for
// that: its chains couple the two halves of a register into a slowly growing rotation
// (below).  The host recomputes sampled threads bit for bit and checks that every chain
// still moves in the last 1% of the launch (tests/backends/hip/test_hip_ref.c).
//
// Why nothing stalls: 16 independent chains per thread, so a chain's next FMA is issued
// 16 instructions after the previous one (>= 64 cycles on a SIMD16 CDNA CU, >= 16 on an
// RDNA SIMD32), far beyond the VALU's dependency latency; the loop is unrolled 16 times
// (256 FMAs a trip) so the scalar loop counter and branch cost ~1% of issue slots.
//
// Expected ISA (tests/backends/hip/test_hip_isa.sh): v_fma_f64; v_pk_fma_f32 on gfx90a/gfx942
// (gfx11/gfx12 have no packed FP32 FMA: v_fma_f32 / v_fmac_f32 / v_dual_fmac_f32 there);
// v_pk_fma_f16 everywhere.
#include "tpp_hip.h"

#define TPP_CHAINS 16

TPP_DEVICE double
start_f64(uint32_t g, uint32_t c)
{
  return (double)(tpp_key(g, c, 0) & 1023u) * (1.0 / 1024.0) + 0.5;
}

TPP_DEVICE float
start_f32(uint32_t g, uint32_t c, uint32_t l)
{
  return (float)(tpp_key(g, c, l) & 1023u) * (1.0f / 1024.0f) + 0.5f;
}

// in: double a, double b.  Data: one double per thread.
TPP_KERNEL void
tpp_hip_fma_f64(void *out, const void *in, unsigned iters)
{
  const double a = ((const double *)in)[0], b = ((const double *)in)[1];
  const uint32_t t = tpp_thread(), g = tpp_block() * TPP_BLOCK + t;
  double x[TPP_CHAINS];
#pragma unroll
  for (int c = 0; c < TPP_CHAINS; c++)
    x[c] = start_f64(g, c);
#pragma unroll 16
  for (unsigned i = 0; i < iters; i++) {
#pragma unroll
    for (int c = 0; c < TPP_CHAINS; c++)
      x[c] = __builtin_fma(x[c], a, b);
  }
  double r = x[0];
#pragma unroll
  for (int c = 1; c < TPP_CHAINS; c++)
    r = r + x[c];
  const uint32_t data = TPP_BLOCK * 8;
  ((double *)((char *)out + (uint64_t)tpp_block() * (data + 16)))[t] = r;
  tpp_trailer(out, data + 16, data, iters);
}

// in: float2 a, float2 b (lane 0, lane 1).  Data: one float2 per thread.
TPP_KERNEL void
tpp_hip_pk_fma_f32(void *out, const void *in, unsigned iters)
{
  const f32x2 a = ((const f32x2 *)in)[0], b = ((const f32x2 *)in)[1];
  const uint32_t t = tpp_thread(), g = tpp_block() * TPP_BLOCK + t;
  f32x2 x[TPP_CHAINS];
#pragma unroll
  for (int c = 0; c < TPP_CHAINS; c++)
    x[c] = (f32x2){start_f32(g, c, 0), start_f32(g, c, 1)};
#pragma unroll 16
  for (unsigned i = 0; i < iters; i++) {
#pragma unroll
    for (int c = 0; c < TPP_CHAINS; c++)
      x[c] = __builtin_elementwise_fma(x[c], a, b);
  }
  f32x2 r = x[0];
#pragma unroll
  for (int c = 1; c < TPP_CHAINS; c++)
    r = r + x[c];
  const uint32_t data = TPP_BLOCK * 8;
  ((f32x2 *)((char *)out + (uint64_t)tpp_block() * (data + 16)))[t] = r;
  tpp_trailer(out, data + 16, data, iters);
}

// in: half2 k = (k0, k1).  Data: one half2 per thread.  Chain c is one half2 (u, v), u
// from key(g, c, 0), v from key(g, c, 1), on a 1/1024 grid in [0.5, 1.5) (exact in half).
// A step is one v_pk_fma_f16 whose first source has its halves swapped (op_sel):
//   (u, v) <- (fma(v, k0, u), fma(u, k1, v)),  k0 = 2^-8, k1 = -2^-8,
// a rotation by about 2^-8 radian that also grows by sqrt(1 + 2^-16) a step (|u|, |v| stay
// below 4 for 65536 steps).  The pair is a 32-bit state, so, unlike x = x*x + c on 16 bits
// (whose orbits fall into cycles of a few dozen steps, some onto fixed points), no chain
// returns to a state it held in the last 1% of a launch (tests/backends/hip/test_hip_ref.c checks every
// chain).
TPP_KERNEL void
tpp_hip_pk_fma_f16(void *out, const void *in, unsigned iters)
{
  const f16x2 k = ((const f16x2 *)in)[0];
  const uint32_t t = tpp_thread(), g = tpp_block() * TPP_BLOCK + t;
  f16x2 x[TPP_CHAINS];
#pragma unroll
  for (int c = 0; c < TPP_CHAINS; c++)
    x[c] = (f16x2){(_Float16)start_f32(g, c, 0), (_Float16)start_f32(g, c, 1)};
#pragma unroll 16
  for (unsigned i = 0; i < iters; i++) {
#pragma unroll
    for (int c = 0; c < TPP_CHAINS; c++)
      x[c] = __builtin_elementwise_fma(x[c].yx, k, x[c]);
  }
  f16x2 r = x[0];
#pragma unroll
  for (int c = 1; c < TPP_CHAINS; c++)
    r = r + x[c];
  const uint32_t data = TPP_BLOCK * 4;
  ((f16x2 *)((char *)out + (uint64_t)tpp_block() * (data + 16)))[t] = r;
  tpp_trailer(out, data + 16, data, iters);
}
