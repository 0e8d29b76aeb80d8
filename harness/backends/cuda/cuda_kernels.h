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
enum tpp_cuda_module {
  TPP_CUDA_MOD_SIMT,
  TPP_CUDA_MOD_MMA,
  TPP_CUDA_MOD_WGMMA,
  TPP_CUDA_MOD_BANDWIDTH,
  TPP_CUDA_MOD_COUNT
};

struct tpp_cuda_kernel {
  const char *symbol; /* extern "C" name */
  enum tpp_cuda_module module;
  enum tpp_precision precision;
  enum tpp_path path;      /* vector (CUDA cores) or tensor */
  const char *variant;     /* "ffma", "hmma.f32acc", "wgmma.m64n256k16.f32acc", ... */
  int min_cc, max_cc;      /* compute capability ×10 (75 = sm_75); max_cc 0 = no upper bound */
  int needs_arch_specific; /* 1: only the exact target runs it (sm_90a), no PTX fallback */
  unsigned threads_per_block;
  unsigned blocks_per_sm;        /* its __launch_bounds__ minimum; the grid is the driver's
                                  * occupancy (cuOccupancyMaxActiveBlocksPerMultiprocessor)
                                  * x SM count x launch multiple */
  unsigned shared_bytes;         /* dynamic shared memory per block */
  unsigned iters;                /* default loop count per launch */
  double ops_per_block_per_iter; /* MAC = 2 */
  size_t in_bytes;
  size_t out_bytes_per_block;
  /* Fill the operand buffer (deterministic from seed; non-zero random values). */
  void (*make_input)(void *in, size_t bytes, uint64_t seed);
  /* Check `blocks` blocks of output against the host's values for `iters`.
   * 0, or -1 with `why` saying which block/element and both values.  A kernel with
   * verify_samples > 0 reads only the outputs of the threads tpp_gpu_sample_thread() (gpu/gpu.h)
   * names; 0: every byte of every block. */
  int (*verify)(const void *in, const void *out, size_t blocks, unsigned iters, char *why,
                size_t whylen);
  unsigned verify_samples;
  /* The host reference the check compares with: the output of unit `unit` (a thread of
   * out_bytes_per_block / threads_per_block bytes when verify_samples > 0, else a whole
   * block) after `iters` iterations, into `out`.  The simulated driver (tests/backends/cuda/sim)
   * "runs" kernels with it. */
  void (*reference)(const void *in, unsigned iters, size_t unit, void *out);
};

/* Can an accumulator that keeps `bits` significant bits hold, exactly, every multiple of
 * `unit` up to max_abs (unit: the finest step of the values, e.g. 0.25 for products of
 * +-0.5 operands)?  The checks refuse iteration counts and operands that break this. */
int tpp_cuda_exact_in_bits(double max_abs, double unit, int bits);

/* HFMA2 (fp16, bf16) chains: the constant moves every TPP_CUDA_H2_TRIP steps; the 16-bit
 * code of half `lane` (0, 1) at step `step` for the operands `in` (peak_simt.cu). */
#define TPP_CUDA_H2_TRIP 32
uint16_t tpp_cuda_h2_constant(const void *in, int lane, unsigned step);

/* Significant bits FP8 accumulation keeps on Hopper (about 14: DeepSeek-V3 technical
 * report, sect. 3.3.2); the checks allow no more for FP8 accumulators. */
#define TPP_CUDA_FP8_ACC_BITS 14

/* All peak kernels, NULL-terminated, in the order rows are reported. */
const struct tpp_cuda_kernel *const *tpp_cuda_kernels(void);

/* wgmma kernels (Hopper, harness/backends/cuda/wgmma_kernels.c), appended to tpp_cuda_kernels(). */
const struct tpp_cuda_kernel *const *tpp_cuda_wgmma_kernels(void);

/* Bandwidth kernels:
 *   extern "C" __global__ void tpp_cuda_bw_read(const uint4 *in, uint4 *out, unsigned long long n);
 *   extern "C" __global__ void tpp_cuda_bw_write(uint4 *out, unsigned long long n, unsigned v);
 *   extern "C" __global__ void tpp_cuda_bw_copy(const uint4 *in, uint4 *out, unsigned long long n);
 * n = number of uint4 elements; grid-stride loops; read writes one XOR-reduced uint4 per
 * thread to out[global thread index]; write sets every lane of element i to (unsigned)i ^ v. */

/* Embedded images (generated at build time by cmake/embed.cmake; NULL/0 where not built),
 * a row per build: row 0 the CUDA 13 fatbins (nvcc: SASS for TPP_CUDA_ARCHS and compute_120
 * PTX; drivers of CUDA 13.0+, R580+), rows 1.. the CUDA 12 cubins NVRTC 12 builds, one row
 * per target of TPP_CUDA12_SM in that order (drivers of CUDA 12.x, R525-R575; the wgmma
 * module only in the sm_90 row, built for sm_90a).  backend.cmake reads TPP_CUDA12_SM from
 * this line. */
#define TPP_CUDA12_SM 75, 80, 86, 89, 90, 100, 120
enum { TPP_CUDA12_TARGETS = 7, TPP_CUDA_IMAGE_ROWS = 1 + TPP_CUDA12_TARGETS };
extern const unsigned char *const tpp_cuda_fatbins[TPP_CUDA_IMAGE_ROWS][TPP_CUDA_MOD_COUNT];
extern const size_t tpp_cuda_fatbin_sizes[TPP_CUDA_IMAGE_ROWS][TPP_CUDA_MOD_COUNT];

#endif
