/* peakref.h - host references for the peak kernels' multiply-add chains, shared by the
 * OpenCL and CUDA backends so both kernels follow one contract:
 *
 *   chain c of lane l of work-item/thread g starts at
 *     key = g*131 + c*17 + l*5 (uint32, wrapping)
 *     float types: (key & 1023) / 1024 + 0.5        integers: key + 1 (truncated)
 *   and takes `steps` steps x = fma(x, a, b) (floats) or x = x*a + b (wrapping);
 *   the result is acc[0] + acc[1] + ... + acc[chains-1], left to right.
 *
 * fma()/fmaf() are correctly rounded, as OpenCL fma() and CUDA FFMA/DFMA are, so the
 * floating-point references are bit-exact.
 */
#ifndef TPP_PEAKREF_H
#define TPP_PEAKREF_H

#include <stdint.h>

uint32_t tpp_peakref_key(uint32_t g, uint32_t c, uint32_t l);
double tpp_peakref_f64(uint32_t g, uint32_t l, int chains, uint64_t steps, double a, double b);
float tpp_peakref_f32(uint32_t g, uint32_t l, int chains, uint64_t steps, float a, float b);
/* mask: 0xff, 0xffff or 0xffffffff for 8-, 16- and 32-bit lanes */
uint32_t tpp_peakref_uint(uint32_t g, uint32_t l, int chains, uint64_t steps, uint32_t a,
                          uint32_t b, uint32_t mask);

/* IEEE half and bfloat16 <-> float.  The narrowing conversions take a double and round
 * once, to nearest even, so an exact double result (an fma of short operands) gives the
 * correctly rounded half or bfloat16 (no NaN payloads needed here). */
float tpp_half_to_float(uint16_t h);
uint16_t tpp_float_to_half(double f);
float tpp_bf16_to_float(uint16_t h);
uint16_t tpp_float_to_bf16(double f);

#endif
