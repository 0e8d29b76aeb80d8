// peak_wmma.hip - WMMA peak kernels for RDNA3 (gfx1100: Radeon RX 7900 XTX/XT, PRO W7900)
// and RDNA4 (gfx1201: Radeon RX 9070 XT, AI PRO R9700).  The loop and the output contract
// are peak_matrix.h's; wave32, 8 waves a block.
//
//   kernel                      instruction (both targets)         operands a lane
//   tpp_hip_wmma_f16            v_wmma_f32_16x16x16_f16            gfx1100 16 halves, gfx1201 8
//   tpp_hip_wmma_bf16           v_wmma_f32_16x16x16_bf16           same
//   tpp_hip_wmma_i8             v_wmma_i32_16x16x16_iu8 (signed)   gfx1100 16 bytes, gfx1201 8
//   tpp_hip_wmma_fp8 (gfx1201)  v_wmma_f32_16x16x16_fp8_fp8        8 bytes (OCP E4M3)
//   tpp_hip_wmma_bf8 (gfx1201)  v_wmma_f32_16x16x16_bf8_bf8        8 bytes (OCP E5M2)
// RDNA3 replicates A and B: lanes 16-31 must hold the same values as lanes 0-15 (the host
// lays them out so).  RDNA4 changed the register layout and halved the operand registers
// (GPUOpen, "Using the Matrix Cores of AMD RDNA 4 architecture GPUs"), hence separate
// builtins.  Cycles per instruction (AMD Matrix Instruction Calculator): 32 (RDNA3),
// 16 for f16/bf16 and 8 for iu8/fp8 (RDNA4); four independent accumulators.
#include "peak_matrix.h"

#define WMMA_WAVE 32

#define TPP_OP(NAME, AT, BT, CT, EXPR)                                                      \
  struct NAME {                                                                             \
    __attribute__((device)) CT operator()(AT a, BT b, CT d) const { return EXPR; }          \
  };

#if defined(__gfx1100__)
TPP_OP(op_f16, f16x16, f16x16, f32x8, __builtin_amdgcn_wmma_f32_16x16x16_f16_w32(a, b, d))
TPP_OP(op_bf16, i16x16, i16x16, f32x8, __builtin_amdgcn_wmma_f32_16x16x16_bf16_w32(a, b, d))
TPP_OP(op_i8, i32x4, i32x4, i32x8,
       __builtin_amdgcn_wmma_i32_16x16x16_iu8_w32(true, a, true, b, d, false))
#define A16 f16x16
#define B16 i16x16
#define AI8 i32x4
#define N16 8 /* dwords of a 16-bit operand */
#define NI8 4 /* dwords of an 8-bit operand */
#endif

#if defined(__gfx1201__)
TPP_OP(op_f16, f16x8, f16x8, f32x8, __builtin_amdgcn_wmma_f32_16x16x16_f16_w32_gfx12(a, b, d))
TPP_OP(op_bf16, i16x8, i16x8, f32x8, __builtin_amdgcn_wmma_f32_16x16x16_bf16_w32_gfx12(a, b, d))
TPP_OP(op_i8, i32x2, i32x2, i32x8,
       __builtin_amdgcn_wmma_i32_16x16x16_iu8_w32_gfx12(true, a, true, b, d, false))
TPP_OP(op_fp8, i32x2, i32x2, f32x8, __builtin_amdgcn_wmma_f32_16x16x16_fp8_fp8_w32_gfx12(a, b, d))
TPP_OP(op_bf8, i32x2, i32x2, f32x8, __builtin_amdgcn_wmma_f32_16x16x16_bf8_bf8_w32_gfx12(a, b, d))
#define A16 f16x8
#define B16 i16x8
#define AI8 i32x2
#define N16 4
#define NI8 2

// FP8 and BF8: the triangle wave (sign bit of each byte of A).
TPP_KERNEL void
tpp_hip_wmma_fp8(void *out, const void *in, unsigned iters)
{
  tpp_matrix_body<WMMA_WAVE, i32x2, 2, i32x2, 2, f32x8, float, 8, op_fp8, 0x80808080u>(out, in, iters);
}

TPP_KERNEL void
tpp_hip_wmma_bf8(void *out, const void *in, unsigned iters)
{
  tpp_matrix_body<WMMA_WAVE, i32x2, 2, i32x2, 2, f32x8, float, 8, op_bf8, 0x80808080u>(out, in, iters);
}
#endif

#if defined(__gfx1100__) || defined(__gfx1201__)
TPP_KERNEL void
tpp_hip_wmma_f16(void *out, const void *in, unsigned iters)
{
  tpp_matrix_body<WMMA_WAVE, A16, N16, A16, N16, f32x8, float, 8, op_f16, 0>(out, in, iters);
}

TPP_KERNEL void
tpp_hip_wmma_bf16(void *out, const void *in, unsigned iters)
{
  tpp_matrix_body<WMMA_WAVE, B16, N16, B16, N16, f32x8, float, 8, op_bf16, 0>(out, in, iters);
}

TPP_KERNEL void
tpp_hip_wmma_i8(void *out, const void *in, unsigned iters)
{
  tpp_matrix_body<WMMA_WAVE, AI8, NI8, AI8, NI8, i32x8, int, 8, op_i8, 0>(out, in, iters);
}
#endif
