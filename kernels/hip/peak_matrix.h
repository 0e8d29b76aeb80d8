// peak_matrix.h - the loop shared by the MFMA (CDNA) and WMMA (RDNA) peak kernels.
//
// Contract (harness/backends/hip/hip_kernels.h): void NAME(void *out, const void *in, unsigned iters),
// 256 threads a block.  `in` is one wave's operand registers, the same for every wave,
// lane-major: lane l's NA dwords of A at in[l * NA], then B, lane l's NB dwords at
// in[WAVE * NA + l * NB].  The host lays the matrices into those registers (and reads the
// result back) with the ISA's register layouts; the kernel knows no layout.
//
// Each wave keeps TPP_SETS independent accumulators, zero at the start, and per
// iteration issues one matrix instruction into each, D = A*B + D, back to back: the
// instruction that reads a set's accumulator comes TPP_SETS - 1 instructions after the one
// that wrote it, so the matrix pipe never waits on a dependency (the ISA test checks that
// the compiler had to insert no s_nop wait states in the loop).  The loop is unrolled 4
// times by hand: 16 matrix instructions a trip.  At the end each lane writes, per accumulator
// element, the sum of its sets, as WAVE lanes x NC elements per wave, waves in order,
// then the block trailer.
//
// Operands are small integers, exact in every input type, so after n iterations each
// accumulator element is exactly n * (A*B)[i][j] while it stays in the accumulator's exact
// range (harness/backends/hip/hip_matrix.c bounds each kernel's iteration count).  FLIP != 0 makes
// a triangle wave instead: A's sign bits (the mask FLIP) flip every TPP_RUN iterations,
// so a set holds t(n) * A*B with t rising and falling between 0 and TPP_RUN; every
// iteration still changes it, and the accumulator never needs more than a few bits (FP8
// accumulation precision is not documented).
#ifndef TPP_PEAK_MATRIX_H
#define TPP_PEAK_MATRIX_H

#include "tpp_hip.h"

#define TPP_SETS 4
#define TPP_RUN 32

// Load NW dwords into an operand of type T.
template <typename T, int NW>
TPP_DEVICE T
tpp_load(const uint32_t *w)
{
  uint32_t v[NW];
#pragma unroll
  for (int i = 0; i < NW; i++)
    v[i] = w[i];
  return __builtin_bit_cast(T, v);
}

// Flip the sign bits of every element of an operand of NW dwords.
template <typename T, int NW>
TPP_DEVICE T
tpp_flip(T x, uint32_t mask)
{
  struct words {
    uint32_t v[NW];
  } w = __builtin_bit_cast(words, x);
#pragma unroll
  for (int i = 0; i < NW; i++)
    w.v[i] ^= mask;
  return __builtin_bit_cast(T, w);
}

// One iteration: one instruction into each accumulator set.
template <typename CT, typename AT, typename BT, typename OP>
TPP_DEVICE void
tpp_matrix_step(CT *d, AT a, BT b)
{
#pragma unroll
  for (int s = 0; s < TPP_SETS; s++)
    d[s] = OP()(a, b, d[s]);
}

// AT/BT: operand types (NA/NB dwords), CT: accumulator (NC elements of ET), OP: a functor
// whose operator() issues the instruction.
template <int WAVE, typename AT, int NA, typename BT, int NB, typename CT, typename ET, int NC,
          typename OP, uint32_t FLIP>
TPP_DEVICE void
tpp_matrix_body(void *out, const void *in, unsigned iters)
{
  const uint32_t *w = (const uint32_t *)in;
  const uint32_t t = tpp_thread(), lane = t % WAVE;
  AT a = tpp_load<AT, NA>(w + lane * NA);
  const BT b = tpp_load<BT, NB>(w + WAVE * NA + lane * NB);
  CT d[TPP_SETS];
  // The first iteration takes a zero accumulator: the sets then start as the matrix
  // unit's own results, so the compiler keeps them in one register class through the loop
  // (zeroed VGPRs made it copy 32 FP64 accumulators to AGPRs and back every trip).
#pragma unroll
  for (int s = 0; s < TPP_SETS; s++)
    d[s] = OP()(a, b, (CT){});
  // Groups of 4 iterations, unrolled by hand: the matrix builtins are convergent, and LLVM
  // will not unroll a loop of convergent calls by a count it cannot prove divides the trip
  // count.  The host runs a multiple of 4 iterations (of TPP_RUN for FLIP).  The first
  // group is peeled: its first instruction takes a zero accumulator (above).
  const unsigned groups = iters / 4;
  tpp_matrix_step<CT, AT, BT, OP>(d, a, b);
  tpp_matrix_step<CT, AT, BT, OP>(d, a, b);
  tpp_matrix_step<CT, AT, BT, OP>(d, a, b);
  for (unsigned g = 1; g < groups;) {
    const unsigned per_run = TPP_RUN / 4, next = (g / per_run + 1) * per_run;
    const unsigned end = FLIP == 0 || next > groups ? groups : next;
    for (; g < end; g++) {
      tpp_matrix_step<CT, AT, BT, OP>(d, a, b);
      tpp_matrix_step<CT, AT, BT, OP>(d, a, b);
      tpp_matrix_step<CT, AT, BT, OP>(d, a, b);
      tpp_matrix_step<CT, AT, BT, OP>(d, a, b);
    }
    if (FLIP != 0 && g == next)
      a = tpp_flip<AT, NA>(a, FLIP);
  }
  const uint32_t data = TPP_BLOCK * NC * (uint32_t)sizeof(ET);
  ET *o = (ET *)((char *)out + (uint64_t)tpp_block() * (data + 16)) + (uint64_t)t * NC;
#pragma unroll
  for (int i = 0; i < NC; i++) {
    ET sum = d[0][i];
#pragma unroll
    for (int s = 1; s < TPP_SETS; s++)
      sum = sum + d[s][i];
    o[i] = sum;
  }
  tpp_trailer(out, data + 16, data, iters);
}

#endif
