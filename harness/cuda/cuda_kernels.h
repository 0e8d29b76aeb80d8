/* cuda_kernels.h - the contract between tppbench's CUDA kernels (kernels/cuda/NAME.cu, built
 * ahead of time into fatbins embedded in the binary) and the CUDA backend's host code.
 *
 * Every peak kernel has the same signature, so the host launches them all one way:
 *
 *   extern "C" __global__ void NAME(void *out, const void *in, unsigned iters);
 *
 *   in    operands prepared by the host (random, non-zero), in_bytes long;
 *   out   out_bytes_per_block bytes per block, written once at the end;
 *   iters the loop count; the work per block is ops_per_block_per_iter * iters.
 *
 * Bandwidth kernels (kernels/cuda/bandwidth.cu) have their own signature, below.
 * The host checks each launch's output with the descriptor's verify(), which recomputes
 * the expected values on the host (bit-exact where the arithmetic allows it).
 */
#ifndef TPP_CUDA_KERNELS_H
#define TPP_CUDA_KERNELS_H

#include <stddef.h>
#include <stdint.h>

#include "tpp/precision.h"

/* Which embedded fatbin holds the kernel (one per kernels/cuda/NAME.cu file). */
enum tpp_cuda_module { TPP_CUDA_MOD_SIMT, TPP_CUDA_MOD_MMA, TPP_CUDA_MOD_WGMMA, TPP_CUDA_MOD_BANDWIDTH,
                       TPP_CUDA_MOD_COUNT };

struct tpp_cuda_kernel {
  const char *symbol;          /* extern "C" name */
  enum tpp_cuda_module module;
  enum tpp_precision precision;
  enum tpp_path path;          /* vector (CUDA cores) or tensor */
  const char *variant;         /* "ffma", "hmma.f32acc", "wgmma.m64n256k16.f32acc", ... */
  int min_cc, max_cc;          /* compute capability ×10 (75 = sm_75); max_cc 0 = no upper bound */
  int needs_arch_specific;     /* 1: only the exact target runs it (sm_90a), no PTX fallback */
  unsigned threads_per_block;
  unsigned blocks_per_sm;      /* grid = blocks_per_sm × SM count × launch multiple */
  unsigned shared_bytes;       /* dynamic shared memory per block */
  unsigned iters;              /* default loop count per launch */
  double ops_per_block_per_iter; /* MAC = 2 */
  size_t in_bytes;
  size_t out_bytes_per_block;
  /* Fill the operand buffer (deterministic from seed; non-zero random values). */
  void (*make_input)(void *in, size_t bytes, uint64_t seed);
  /* Check `blocks` blocks of output against the host's values for `iters`.
   * 0, or -1 with `why` saying which block/element and both values. */
  int (*verify)(const void *in, const void *out, size_t blocks, unsigned iters, char *why,
                size_t whylen);
};

/* All peak kernels, NULL-terminated, in the order rows are reported. */
const struct tpp_cuda_kernel *const *tpp_cuda_kernels(void);

/* wgmma kernels (Hopper, harness/cuda/wgmma_kernels.c), appended to tpp_cuda_kernels(). */
const struct tpp_cuda_kernel *const *tpp_cuda_wgmma_kernels(void);

/* Bandwidth kernels:
 *   extern "C" __global__ void tpp_cuda_bw_read(const uint4 *in, uint4 *out, unsigned long long n);
 *   extern "C" __global__ void tpp_cuda_bw_write(uint4 *out, unsigned long long n, unsigned v);
 *   extern "C" __global__ void tpp_cuda_bw_copy(const uint4 *in, uint4 *out, unsigned long long n);
 * n = number of uint4 elements; grid-stride loops; read writes one XOR-reduced uint4 per
 * thread to out[global thread index]; write sets every lane of element i to (unsigned)i ^ v. */

/* Embedded fatbins (generated at build time; NULL/0 when the module was not built). */
extern const unsigned char *const tpp_cuda_fatbins[TPP_CUDA_MOD_COUNT];
extern const size_t tpp_cuda_fatbin_sizes[TPP_CUDA_MOD_COUNT];

#endif
