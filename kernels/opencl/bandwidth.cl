/*
 * tppbench device-memory bandwidth kernels (OpenCL C 1.2)
 *
 * Knobs (-D):
 *   TPP_BW_T   element type, an unsigned integer vector (default uint16,
 *              i.e. 64 bytes = one cache line / one zmm register)
 *   TPP_BW_S   its scalar type (default uint)
 *   TPP_BW_NT  (optional) use clang's __builtin_nontemporal_store for the
 *              stores of tpp_bw_write / tpp_bw_copy (streaming stores, no
 *              read-for-ownership). Only honoured when compiled by clang
 *              (PoCL); ignored otherwise.
 *
 * Access pattern: work-item g owns the contiguous block of n_per_item
 * elements starting at element g * n_per_item (contiguous chunks are the
 * fastest pattern on a CPU device, where a work-item is a loop iteration).
 * Global size * n_per_item elements are touched in total; the host
 * chooses sizes so that the buffers are much larger than the caches.
 *
 * tpp_bw_read(in, out, n_per_item):
 *   reads its block and writes out[g] = XOR of all its elements (lane-wise),
 *   using two interleaved XOR accumulators (even / odd elements), combined
 *   at the end as acc0 ^ acc1 (XOR is associative/commutative, so the
 *   result equals the plain XOR of the block). Bytes moved: n_per_item *
 *   sizeof(TPP_BW_T) read per work-item (+ one element written).
 * tpp_bw_write(out, n_per_item, v):
 *   element i (global element index) gets every lane = (TPP_BW_S)i ^ v.
 *   Bytes moved: n_per_item * sizeof(TPP_BW_T) written per work-item.
 * tpp_bw_copy(in, out, n_per_item):
 *   out[i] = in[i] over the block; bytes moved: 2 * n_per_item *
 *   sizeof(TPP_BW_T) per work-item (one read + one write stream).
 */
#ifndef TPP_BW_T
#define TPP_BW_T uint16
#endif
#ifndef TPP_BW_S
#define TPP_BW_S uint
#endif

#if defined(TPP_BW_NT) && defined(__clang__)
#define TPP_STORE(p, v) __builtin_nontemporal_store((v), (p))
#else
#define TPP_STORE(p, v) (*(p) = (v))
#endif

__kernel void tpp_bw_read(__global const TPP_BW_T *in,
                          __global TPP_BW_T *out, const uint n_per_item)
{
    const size_t g = get_global_id(0);
    __global const TPP_BW_T *p = in + g * (size_t)n_per_item;
    TPP_BW_T acc0 = (TPP_BW_T)(0), acc1 = (TPP_BW_T)(0);
    uint i = 0;
    for (; i + 1 < n_per_item; i += 2) {
        acc0 ^= p[i];
        acc1 ^= p[i + 1];
    }
    if (i < n_per_item)
        acc0 ^= p[i];
    out[g] = acc0 ^ acc1;
}

__kernel void tpp_bw_write(__global TPP_BW_T *out, const uint n_per_item,
                           const TPP_BW_S v)
{
    const size_t g = get_global_id(0);
    const size_t base = g * (size_t)n_per_item;
    __global TPP_BW_T *p = out + base;
    for (uint i = 0; i < n_per_item; i++)
        TPP_STORE(p + i, (TPP_BW_T)((TPP_BW_S)(base + i) ^ v));
}

__kernel void tpp_bw_copy(__global const TPP_BW_T *in,
                          __global TPP_BW_T *out, const uint n_per_item)
{
    const size_t g = get_global_id(0);
    const size_t base = g * (size_t)n_per_item;
    __global const TPP_BW_T *s = in + base;
    __global TPP_BW_T *d = out + base;
    for (uint i = 0; i < n_per_item; i++)
        TPP_STORE(d + i, s[i]);
}
