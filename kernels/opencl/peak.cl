/*
 * tppbench peak-throughput kernel (OpenCL C 1.2)
 *
 *   __kernel void tpp_peak(__global TPP_T *out, const TPP_S a, const TPP_S b,
 *                          const uint iters)
 *
 * Build-time knobs (-D):
 *   TPP_S       scalar type: double, float, uint, ushort, uchar
 *               (unsigned integer types: wrapping arithmetic is well defined)
 *   TPP_T       vector type of TPP_S with TPP_LANES lanes (e.g. float16);
 *               for TPP_LANES == 1, TPP_T == TPP_S
 *   TPP_LANES   vector width: 1, 2, 4, 8, 16 (3 is not supported)
 *   TPP_CHAINS  number of independent accumulators per work-item (>= 1)
 *   TPP_UNROLL  (optional, default 1) how many times the block of TPP_CHAINS
 *               multiply-adds is repeated inside one iteration of the
 *               `iters` loop (reduces loop overhead; does not change results
 *               other than the number of steps: each chain performs
 *               iters * TPP_UNROLL dependent steps).
 *   TPP_FMA     floating point: step is x = fma(x, a, b) (OpenCL fma(),
 *               correctly rounded => host fma()/fmaf() reproduces it
 *               bit-exactly). Without TPP_FMA (integer types): x = x * a + b
 *               with wrap-around modulo 2^bits.
 *   TPP_FP64    enables cl_khr_fp64 (needed for TPP_S=double).
 *   TPP_PACK    (optional, integer types only, default 1; 1 or 2) number of
 *               consecutive chains kept side by side in one wider internal
 *               vector (clang ext_vector_type of TPP_PACK*TPP_LANES lanes;
 *               PoCL compiles with clang). OpenCL C has no 32-lane ushort
 *               vector, so ushort16 is only 256 bits; TPP_PACK=2 lets the
 *               x86 backend use 512-bit registers. Requires TPP_CHAINS to be
 *               a multiple of TPP_PACK. Results are bit-identical.
 *   TPP_INT8_AS16 (optional, TPP_S=uchar only) keep the uchar chains in
 *               16-bit lanes internally (x86 has no 8-bit multiply; the low
 *               8 bits of a 16-bit x*a+b equal the 8-bit result, so results
 *               are bit-identical: out lanes are the low bytes).
 *
 * Work per work-item: iters * TPP_UNROLL * TPP_CHAINS multiply-adds on TPP_T
 * vectors, all chains independent of each other, each step of a chain
 * depending on the previous one.
 *   ops per work-item = 2 * iters * TPP_CHAINS * TPP_LANES * TPP_UNROLL
 * (a multiply-add counts as 2 operations).
 *
 * Initial value of chain c, lane l, work-item g = get_global_id(0):
 *   k = (uint)(g * 131u + c * 17u + l * 5u)        (uint arithmetic, wraps)
 *   floating point: x = (TPP_S)(k & 1023u) * (1/1024) + (TPP_S)0.5  (exact)
 *   integer:        x = (TPP_S)(k + 1u)     (truncated to the type's width)
 * Floats: the host passes a = 1 - 2^-16 and b = 3 * 2^-16: the recurrence
 * moves every chain towards b/(1-a) = 3, far from its start, changing it at
 * every step of a launch, stays finite and normal, and since a and b are
 * runtime arguments no step can be folded or skipped.  Integers: a full-
 * period LCG, run for fewer steps than its period (harness/backends/opencl/
 * cl_peak.c says the counts).
 *
 * Final combination (fixed order, per lane):
 *   r = acc[0]; r = r + acc[1]; r = r + acc[2]; ... r = r + acc[TPP_CHAINS-1];
 *   out[g] = r;        (left-to-right sum; wrapping for integer types)
 */
#ifdef TPP_FP64
#pragma OPENCL EXTENSION cl_khr_fp64 : enable
#endif

#ifndef TPP_UNROLL
#define TPP_UNROLL 1
#endif

#ifndef TPP_PACK
#define TPP_PACK 1
#endif

/* internal scalar type */
#ifdef TPP_INT8_AS16
#define TPP_IS ushort
#else
#define TPP_IS TPP_S
#endif

#if TPP_PACK != 1 || defined(TPP_INT8_AS16)
#define TPP_INTERNAL 1
/* internal vector types: one chain (tpp_n) and one pack of chains (tpp_w) */
typedef TPP_IS tpp_n __attribute__((ext_vector_type(TPP_LANES)));
typedef TPP_IS tpp_w __attribute__((ext_vector_type(TPP_LANES * TPP_PACK)));
#endif

#define TPP_CAT_(x, y) x##y
#define TPP_CAT(x, y) TPP_CAT_(x, y)

#ifdef TPP_FMA
#define TPP_STEP(x) (x) = fma((x), va, vb)
#else
#define TPP_STEP(x) (x) = (x) * va + vb
#endif

__kernel void tpp_peak(__global TPP_T *out, const TPP_S a, const TPP_S b,
                       const uint iters)
{
    const uint g = (uint)get_global_id(0);
#ifdef TPP_INTERNAL
    /* Packed / widened integer path (see TPP_PACK, TPP_INT8_AS16): internal
     * vector j holds chains j*TPP_PACK .. j*TPP_PACK+TPP_PACK-1; internal
     * lane p*TPP_LANES + l is lane l of chain j*TPP_PACK + p. Same
     * initial values, same steps, same final combination as below. */
    const TPP_IS va = (TPP_IS)a;
    const TPP_IS vb = (TPP_IS)b;
    tpp_w acc[TPP_CHAINS / TPP_PACK];
#pragma unroll
    for (uint j = 0; j < TPP_CHAINS / TPP_PACK; j++) {
#pragma unroll
        for (uint p = 0; p < TPP_PACK; p++) {
#pragma unroll
            for (uint l = 0; l < TPP_LANES; l++) {
                uint k = g * 131u + (j * TPP_PACK + p) * 17u + l * 5u;
                acc[j][p * TPP_LANES + l] = (TPP_IS)(TPP_S)(k + 1u);
            }
        }
    }
    for (uint i = 0; i < iters; i++) {
#pragma unroll
        for (uint u = 0; u < TPP_UNROLL; u++) {
#pragma unroll
            for (uint j = 0; j < TPP_CHAINS / TPP_PACK; j++)
                acc[j] = acc[j] * va + vb;
        }
    }
    TPP_T r;
#pragma unroll
    for (uint c = 0; c < TPP_CHAINS; c++) {
        TPP_T v;
#pragma unroll
        for (uint l = 0; l < TPP_LANES; l++)
            v[l] = (TPP_S)acc[c / TPP_PACK][(c % TPP_PACK) * TPP_LANES + l];
        r = (c == 0) ? v : r + v;
    }
    out[g] = r;
#else
    const TPP_T va = (TPP_T)(a);
    const TPP_T vb = (TPP_T)(b);
    TPP_T acc[TPP_CHAINS];

#pragma unroll
    for (uint c = 0; c < TPP_CHAINS; c++) {
#if TPP_LANES == 1
        uint k = g * 131u + c * 17u;
#ifdef TPP_FMA
        acc[c] = (TPP_S)(k & 1023u) * (TPP_S)0x1p-10f + (TPP_S)0.5;
#else
        acc[c] = (TPP_S)(k + 1u);
#endif
#else
        TPP_S init[TPP_LANES];
#pragma unroll
        for (uint l = 0; l < TPP_LANES; l++) {
            uint k = g * 131u + c * 17u + l * 5u;
#ifdef TPP_FMA
            init[l] = (TPP_S)(k & 1023u) * (TPP_S)0x1p-10f + (TPP_S)0.5;
#else
            init[l] = (TPP_S)(k + 1u);
#endif
        }
        acc[c] = TPP_CAT(vload, TPP_LANES)(0, init);
#endif
    }

    for (uint i = 0; i < iters; i++) {
#pragma unroll
        for (uint u = 0; u < TPP_UNROLL; u++) {
#pragma unroll
            for (uint c = 0; c < TPP_CHAINS; c++)
                TPP_STEP(acc[c]);
        }
    }

    TPP_T r = acc[0];
#pragma unroll
    for (uint c = 1; c < TPP_CHAINS; c++)
        r = r + acc[c];
    out[g] = r;
#endif
}
