// peak_mfma.hip - matrix-core (MFMA) peak kernels for CDNA2 (gfx90a: MI210, MI250, MI250X)
// and CDNA3 (gfx942: MI300X, MI300A, MI325X, MI308X).  The loop and the output contract
// are peak_matrix.h's; wave64, 4 waves a block.
//
// One instruction per row, the largest single-block shape of each type (32x32, and
// 16x16x4 for FP64, the only dense FP64 shape besides 4x4 blocks):
//   kernel                         gfx90a instruction            gfx942 instruction
//   tpp_hip_mfma_f64               v_mfma_f64_16x16x4f64         v_mfma_f64_16x16x4_f64
//   tpp_hip_mfma_f32               v_mfma_f32_32x32x2f32         v_mfma_f32_32x32x2_f32
//   tpp_hip_mfma_xf32              -                             v_mfma_f32_32x32x4_xf32
//   tpp_hip_mfma_f16               v_mfma_f32_32x32x8f16         v_mfma_f32_32x32x8_f16
//   tpp_hip_mfma_bf16              v_mfma_f32_32x32x8bf16_1k     v_mfma_f32_32x32x8_bf16
//   tpp_hip_mfma_i8                v_mfma_i32_32x32x8i8          -
//   tpp_hip_mfma_i8_k16            -                             v_mfma_i32_32x32x16_i8
//   tpp_hip_mfma_fp8               -                             v_mfma_f32_32x32x16_fp8_fp8
//   tpp_hip_mfma_bf8               -                             v_mfma_f32_32x32x16_bf8_bf8
// A kernel is compiled for the targets that have its instruction; on the others its
// symbol is absent and the host never asks for it.  FP8/BF8 on gfx942 are AMD's FNUZ
// formats (E4M3 with exponent bias 8, E5M2 with bias 16); gfx950's OCP formats need
// their own kernels (docs/hip.md).
//
// Cycles per instruction (AMD Matrix Instruction Calculator, CDNA2/CDNA3): 32x32 f16/bf16
// 64 on gfx90a, 32 on gfx942; i8 32x32x8 64 (gfx90a), 32x32x16 32 (gfx942); fp8 32;
// xf32 32; f32 32x32x2 64; f64 16x16x4 32.  Four independent accumulators put three
// such instructions (>= 96 cycles) between a write and the read of the same registers.
#include "peak_matrix.h"

#define MFMA_WAVE 64

// Functors issuing one instruction: d = A*B + d.
#define TPP_OP(NAME, AT, BT, CT, EXPR)                                                      \
  struct NAME {                                                                             \
    __attribute__((device)) CT operator()(AT a, BT b, CT d) const { return EXPR; }          \
  };

#if defined(__gfx90a__) || defined(__gfx942__)
TPP_OP(op_f64, double, double, f64x4, __builtin_amdgcn_mfma_f64_16x16x4f64(a, b, d, 0, 0, 0))
TPP_OP(op_f32, float, float, f32x16, __builtin_amdgcn_mfma_f32_32x32x2f32(a, b, d, 0, 0, 0))
TPP_OP(op_f16, f16x4, f16x4, f32x16, __builtin_amdgcn_mfma_f32_32x32x8f16(a, b, d, 0, 0, 0))
TPP_OP(op_bf16, i16x4, i16x4, f32x16, __builtin_amdgcn_mfma_f32_32x32x8bf16_1k(a, b, d, 0, 0, 0))

// FP64: A, B one double a lane (2 dwords), D four doubles.
TPP_KERNEL void
tpp_hip_mfma_f64(void *out, const void *in, unsigned iters)
{
  tpp_matrix_body<MFMA_WAVE, double, 2, double, 2, f64x4, double, 4, op_f64, 0>(out, in, iters);
}

TPP_KERNEL void
tpp_hip_mfma_f32(void *out, const void *in, unsigned iters)
{
  tpp_matrix_body<MFMA_WAVE, float, 1, float, 1, f32x16, float, 16, op_f32, 0>(out, in, iters);
}

TPP_KERNEL void
tpp_hip_mfma_f16(void *out, const void *in, unsigned iters)
{
  tpp_matrix_body<MFMA_WAVE, f16x4, 2, f16x4, 2, f32x16, float, 16, op_f16, 0>(out, in, iters);
}

TPP_KERNEL void
tpp_hip_mfma_bf16(void *out, const void *in, unsigned iters)
{
  tpp_matrix_body<MFMA_WAVE, i16x4, 2, i16x4, 2, f32x16, float, 16, op_bf16, 0>(out, in, iters);
}
#endif

#if defined(__gfx90a__)
TPP_OP(op_i8, int, int, i32x16, __builtin_amdgcn_mfma_i32_32x32x8i8(a, b, d, 0, 0, 0))

TPP_KERNEL void
tpp_hip_mfma_i8(void *out, const void *in, unsigned iters)
{
  tpp_matrix_body<MFMA_WAVE, int, 1, int, 1, i32x16, int, 16, op_i8, 0>(out, in, iters);
}
#endif

#if defined(__gfx942__)
TPP_OP(op_xf32, f32x2, f32x2, f32x16, __builtin_amdgcn_mfma_f32_32x32x4_xf32(a, b, d, 0, 0, 0))
TPP_OP(op_i8_k16, long, long, i32x16, __builtin_amdgcn_mfma_i32_32x32x16_i8(a, b, d, 0, 0, 0))
TPP_OP(op_fp8, long, long, f32x16, __builtin_amdgcn_mfma_f32_32x32x16_fp8_fp8(a, b, d, 0, 0, 0))
TPP_OP(op_bf8, long, long, f32x16, __builtin_amdgcn_mfma_f32_32x32x16_bf8_bf8(a, b, d, 0, 0, 0))

TPP_KERNEL void
tpp_hip_mfma_xf32(void *out, const void *in, unsigned iters)
{
  tpp_matrix_body<MFMA_WAVE, f32x2, 2, f32x2, 2, f32x16, float, 16, op_xf32, 0>(out, in, iters);
}

TPP_KERNEL void
tpp_hip_mfma_i8_k16(void *out, const void *in, unsigned iters)
{
  tpp_matrix_body<MFMA_WAVE, long, 2, long, 2, i32x16, int, 16, op_i8_k16, 0>(out, in, iters);
}

// FP8 and BF8: the triangle wave (sign bit 0x80 of each byte of A).
TPP_KERNEL void
tpp_hip_mfma_fp8(void *out, const void *in, unsigned iters)
{
  tpp_matrix_body<MFMA_WAVE, long, 2, long, 2, f32x16, float, 16, op_fp8, 0x80808080u>(out, in, iters);
}

TPP_KERNEL void
tpp_hip_mfma_bf8(void *out, const void *in, unsigned iters)
{
  tpp_matrix_body<MFMA_WAVE, long, 2, long, 2, f32x16, float, 16, op_bf8, 0x80808080u>(out, in, iters);
}
#endif
