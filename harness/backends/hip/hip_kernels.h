/* hip_kernels.h - the contract between tppbench's AMD kernels (kernels/hip/, compiled by
 * clang-19 into code objects embedded in the binary, harness/backends/hip/backend.cmake) and the
 * host code that launches and checks them.
 *
 * Every peak kernel has one signature, launched with a plain kernarg buffer
 * (tpp_gpu_args_pack, gpu/gpu.h: the pointers at 0 and 8, the count at 16):
 *
 *   extern "C" __global__ void NAME(void *out, const void *in, unsigned iters);
 *
 *   in    operands prepared by make_input, in_bytes long;
 *   out   out_bytes_per_block bytes per block: the block's data, then a 16-byte trailer
 *         {TPP_HIP_MAGIC, block index, iters, work-group size} written after a barrier;
 *   iters the loop count, a multiple of iter_step; the work per block is
 *         ops_per_block_per_iter * iters.
 *
 * The host clears `out` before each launch and checks it with verify(), which recomputes
 * the expected values on the host (bit-exact) and every block's trailer.
 * Bandwidth kernels have their own signatures, below.
 */
#ifndef TPP_HIP_KERNELS_H
#define TPP_HIP_KERNELS_H

#include <stddef.h>
#include <stdint.h>

#include "tpp/precision.h"

/* Targets with code objects (harness/backends/hip/backend.cmake builds one per module and target).
 */
enum tpp_hip_arch {
  TPP_HIP_GFX90A,
  TPP_HIP_GFX942,
  TPP_HIP_GFX1100,
  TPP_HIP_GFX1201,
  TPP_HIP_ARCH_COUNT
};
#define TPP_HIP_ARCH_BIT(a) (1u << (a))

/* One code object per module and target (the kernels/hip/ sources). */
enum tpp_hip_module {
  TPP_HIP_MOD_VECTOR,
  TPP_HIP_MOD_MATRIX,
  TPP_HIP_MOD_BANDWIDTH,
  TPP_HIP_MOD_COUNT
};

#define TPP_HIP_BLOCK 256 /* threads per block, every kernel */
#define TPP_HIP_TRAILER_BYTES 16
#define TPP_HIP_MAGIC 0x48505054u /* "TPPH", kernels/hip/tpp_hip.h */

struct tpp_hip_kernel {
  const char *symbol; /* extern "C" name */
  enum tpp_hip_module module;
  unsigned archs; /* TPP_HIP_ARCH_BIT()s of the targets it runs on */
  enum tpp_precision precision;
  enum tpp_path path;            /* vector ALU or matrix cores (tensor) */
  const char *variant;           /* the instruction measured, as the ISA names it */
  unsigned wave_size;            /* 64 (CDNA) or 32 (RDNA) */
  unsigned blocks_per_cu;        /* grid = blocks_per_cu x CUs x launch multiple */
  unsigned iters;                /* default loop count per launch */
  unsigned iter_step;            /* iters must be a multiple of it */
  double ops_per_block_per_iter; /* MAC = 2 */
  size_t in_bytes;
  size_t out_bytes_per_block; /* data + TPP_HIP_TRAILER_BYTES */
  /* Fill the operand buffer, deterministic from seed. */
  void (*make_input)(void *in, size_t bytes, uint64_t seed);
  /* Check `blocks` blocks of output for `iters`: every block's trailer, and the data
   * (vector kernels: 32 threads spread over the launch, first and last included; matrix
   * kernels: every element of every wave).  0, or -1 with `why` saying where and both
   * values.  Refuses an iters the kernel cannot run or whose result is not exact. */
  int (*verify)(const void *in, const void *out, size_t blocks, unsigned iters, char *why,
                size_t whylen);
  /* What verify reads: the data of verify_samples threads (tpp_gpu_sample_thread) and every
   * block's trailer; 0: every byte of every block. */
  unsigned verify_samples;
  /* The host reference verify compares with, as the kernel writes it for `iters`: unit is a
   * thread (its (out_bytes_per_block - trailer) / TPP_HIP_BLOCK bytes) when verify_samples
   * > 0, else a block (its data, without the trailer).  The simulated runtime
   * (tests/backends/hip/sim) "runs" kernels with it. */
  void (*reference)(const void *in, unsigned iters, size_t unit, void *out);
  /* Simulate the kernel's chains for `iters` from these operands: 0 when every chain still
   * changes in each of the last 1% of the iterations, -1 with `why` otherwise. */
  int (*moving)(const void *in, unsigned iters, char *why, size_t whylen);
};

/* All peak kernels, NULL-terminated, in the order rows are reported.  A symbol may have
 * one descriptor per target family (different instruction names and iteration counts). */
const struct tpp_hip_kernel *const *tpp_hip_kernels(void);

/* "gfx90a" ... */
const char *tpp_hip_arch_name(enum tpp_hip_arch a);
/* A device's gcnArchName ("gfx942:sramecc+:xnack-") to a target with code objects: 0, or
 * -1 when none (the processor before the first ':' must match exactly: a gfx1101 cannot
 * run gfx1100 code). */
int tpp_hip_arch_parse(const char *gcn_arch_name, enum tpp_hip_arch *out);

/* Bandwidth kernels (kernels/hip/bandwidth.hip): the GPU layer's contract (gpu/gpu.h,
 * struct tpp_gpu_bandwidth), TPP_HIP_BW_BLOCKS_PER_CU blocks a CU. */
#define TPP_HIP_BW_BLOCKS_PER_CU 8

/* An exact double rounded to the nearest half (ties to even, subnormals kept): the FP16
 * chains' reference rounding. */
uint16_t tpp_hip_half_round(double d);

#define TPP_HIP_VERIFY_SAMPLES 32 /* threads a vector kernel's check reads */

/* The block trailer every peak kernel writes: {TPP_HIP_MAGIC, block, iters, block size}. */
void tpp_hip_trailer(void *out16, size_t block, unsigned iters);

/* The block trailer check shared by all peak kernels: 0, or -1 with `why`. */
int tpp_hip_check_trailers(const void *out, size_t blocks, size_t block_bytes, unsigned iters,
                           char *why, size_t whylen);

/* Matrix-core kernels (harness/backends/hip/hip_matrix.c), appended to tpp_hip_kernels(). */
const struct tpp_hip_kernel *const *tpp_hip_matrix_kernels(void);

/* Embedded code objects (generated at build time; NULL/0 when not built). */
extern const unsigned char *const tpp_hip_code_objects[TPP_HIP_MOD_COUNT][TPP_HIP_ARCH_COUNT];
extern const size_t tpp_hip_code_object_sizes[TPP_HIP_MOD_COUNT][TPP_HIP_ARCH_COUNT];

/* 1 when at least one code object was built; else the backend reports this reason. */
int tpp_hip_kernels_built(void);
#define TPP_HIP_UNBUILT_REASON "built without HIP kernels (no clang-19 at build time)"

#endif
