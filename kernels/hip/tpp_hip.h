// tpp_hip.h - the few HIP definitions tppbench's AMD kernels need.
//
// The kernels are compiled by Debian's clang-19 as HIP device code with -nogpuinc
// -nogpulib: no ROCm headers, no device libraries.  Everything a kernel uses is a clang
// builtin or defined here, and every kernel is extern "C" with a fixed block size, so the
// code object needs nothing from the HIP runtime but the kernel arguments (no hidden
// arguments: the host can launch with a plain kernarg buffer).
//
// Output contract shared by the peak kernels (harness/backends/hip/hip_kernels.h): block b writes
// its data at out + b * OUT_BYTES_PER_BLOCK and, after a barrier, a 16-byte trailer behind
// it that records what the block saw: {TPP_HIP_MAGIC, b, iters, work-group size}.
#ifndef TPP_HIP_H
#define TPP_HIP_H

typedef __UINT8_TYPE__ uint8_t;
typedef __UINT16_TYPE__ uint16_t;
typedef __UINT32_TYPE__ uint32_t;
typedef __UINT64_TYPE__ uint64_t;
typedef __INT32_TYPE__ int32_t;
typedef __INT64_TYPE__ int64_t;

#define TPP_HIP_MAGIC 0x48505054u /* "TPPH" */
#define TPP_BLOCK 256             /* threads per block, every kernel */

#define TPP_DEVICE static inline __attribute__((device, always_inline))
#define TPP_KERNEL                                                                           \
  extern "C" __attribute__((global))                                                         \
  __attribute__((amdgpu_flat_work_group_size(TPP_BLOCK, TPP_BLOCK)))

// Vector types (clang extended vectors: element-wise arithmetic, [] access).
typedef float f32x2 __attribute__((ext_vector_type(2)));
typedef float f32x8 __attribute__((ext_vector_type(8)));
typedef float f32x16 __attribute__((ext_vector_type(16)));
typedef double f64x4 __attribute__((ext_vector_type(4)));
typedef _Float16 f16x2 __attribute__((ext_vector_type(2)));
typedef _Float16 f16x4 __attribute__((ext_vector_type(4)));
typedef _Float16 f16x8 __attribute__((ext_vector_type(8)));
typedef _Float16 f16x16 __attribute__((ext_vector_type(16)));
typedef short i16x4 __attribute__((ext_vector_type(4)));
typedef short i16x8 __attribute__((ext_vector_type(8)));
typedef short i16x16 __attribute__((ext_vector_type(16)));
typedef int i32x2 __attribute__((ext_vector_type(2)));
typedef int i32x4 __attribute__((ext_vector_type(4)));
typedef int i32x8 __attribute__((ext_vector_type(8)));
typedef int i32x16 __attribute__((ext_vector_type(16)));
typedef uint32_t u32x4 __attribute__((ext_vector_type(4)));

TPP_DEVICE uint32_t
tpp_thread(void)
{
  return __builtin_amdgcn_workitem_id_x();
}

TPP_DEVICE uint32_t
tpp_block(void)
{
  return __builtin_amdgcn_workgroup_id_x();
}

// The HSA dispatch packet the command processor read this launch from: its
// workgroup_size_x (uint16 at byte 4) and grid_size_x (uint32 at byte 12, in work-items).
// Read from the packet rather than passed as arguments, so they cannot disagree with the
// launch.
TPP_DEVICE uint32_t
tpp_group_size(void)
{
  return ((const __attribute__((address_space(4))) uint16_t *)__builtin_amdgcn_dispatch_ptr())[2];
}

TPP_DEVICE uint32_t
tpp_grid_size(void)
{
  return ((const __attribute__((address_space(4))) uint32_t *)__builtin_amdgcn_dispatch_ptr())[3];
}

// Chain starting points, the rule of include/tpp/peakref.h: key = g*131 + c*17 + l*5.
TPP_DEVICE uint32_t
tpp_key(uint32_t g, uint32_t c, uint32_t l)
{
  return g * 131u + c * 17u + l * 5u;
}

// The block's trailer, written by thread 0 once every wave of the block has finished.
TPP_DEVICE void
tpp_trailer(void *out, uint32_t block_bytes, uint32_t data_bytes, uint32_t iters)
{
  __builtin_amdgcn_s_barrier();
  if (tpp_thread() == 0) {
    uint32_t *t = (uint32_t *)((char *)out + (uint64_t)tpp_block() * block_bytes + data_bytes);
    t[0] = TPP_HIP_MAGIC;
    t[1] = tpp_block();
    t[2] = iters;
    t[3] = tpp_group_size();
  }
}

#endif
