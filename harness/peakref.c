/* peakref.c - see peakref.h. */
#include "tpp/peakref.h"

#include <math.h>
#include <string.h>

uint32_t
tpp_peakref_key(uint32_t g, uint32_t c, uint32_t l)
{
  return g * 131u + c * 17u + l * 5u;
}

double
tpp_peakref_f64(uint32_t g, uint32_t l, int chains, uint64_t steps, double a, double b)
{
  double r = 0;
  for (int c = 0; c < chains; c++) {
    double x = (double)(tpp_peakref_key(g, (uint32_t)c, l) & 1023u) * (1.0 / 1024.0) + 0.5;
    for (uint64_t s = 0; s < steps; s++)
      x = fma(x, a, b);
    r = c == 0 ? x : r + x;
  }
  return r;
}

float
tpp_peakref_f32(uint32_t g, uint32_t l, int chains, uint64_t steps, float a, float b)
{
  float r = 0;
  for (int c = 0; c < chains; c++) {
    float x = (float)(tpp_peakref_key(g, (uint32_t)c, l) & 1023u) * (1.0f / 1024.0f) + 0.5f;
    for (uint64_t s = 0; s < steps; s++)
      x = fmaf(x, a, b);
    r = c == 0 ? x : r + x;
  }
  return r;
}

uint32_t
tpp_peakref_uint(uint32_t g, uint32_t l, int chains, uint64_t steps, uint32_t a, uint32_t b,
                 uint32_t mask)
{
  uint32_t r = 0;
  for (int c = 0; c < chains; c++) {
    uint32_t x = (tpp_peakref_key(g, (uint32_t)c, l) + 1u) & mask;
    for (uint64_t s = 0; s < steps; s++)
      x = (x * a + b) & mask;
    r = (c == 0 ? x : r + x) & mask;
  }
  return r;
}

float
tpp_half_to_float(uint16_t h)
{
  int e = (h >> 10) & 0x1f, m = h & 0x3ff;
  float v = e == 0    ? ldexpf((float)m, -24)
            : e == 31 ? INFINITY
                      : ldexpf((float)(m | 0x400), e - 25);
  return h & 0x8000 ? -v : v;
}

/* Round |a| > 0 to `bits` significant bits (nearest even), keeping its exponent e
 * (a = m * 2^e, m in [0.5, 1)); rounding up may carry into the next binade. */
static double
round_bits(double a, int bits, int *e)
{
  double q;
  frexp(a, e);
  q = rint(ldexp(a, bits - *e));
  if (q >= ldexp(1.0, bits)) {
    q /= 2;
    (*e)++;
  }
  return q;
}

uint16_t
tpp_float_to_half(double f)
{
  uint16_t sign = signbit(f) ? 0x8000 : 0;
  double a = fabs(f), q;
  int e;
  if (a == 0)
    return sign;
  if (a >= 65520.0)
    return sign | 0x7c00;
  frexp(a, &e);
  if (e < -13) /* subnormal: units of 2^-24 */
    return sign | (uint16_t)lrint(ldexp(a, 24));
  q = round_bits(a, 11, &e);
  return sign | (uint16_t)(((e + 14) << 10) | ((uint32_t)q & 0x3ff));
}

float
tpp_bf16_to_float(uint16_t h)
{
  uint32_t u = (uint32_t)h << 16;
  float f;
  memcpy(&f, &u, 4);
  return f;
}

uint16_t
tpp_float_to_bf16(double f)
{
  uint16_t sign = signbit(f) ? 0x8000 : 0;
  double a = fabs(f), q;
  int e;
  if (a == 0)
    return sign;
  q = round_bits(a, 8, &e); /* normal numbers only: the kernels stay far from 2^-126 */
  return sign | (uint16_t)(((e + 126) << 7) | ((uint32_t)q & 0x7f));
}
