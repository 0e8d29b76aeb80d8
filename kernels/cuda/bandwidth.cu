// bandwidth.cu - device-memory bandwidth: read, write and copy in 16-byte accesses over a
// buffer far larger than L2 (the host uses a quarter of device memory, at most 4 GiB).
//
// Grid-stride loops: thread t of T touches elements t, t+T, t+2T, ... so neighbouring
// threads touch neighbouring 16-byte elements (coalesced 512-byte warp accesses).
//   read:  out[t] = XOR of the elements it read (lane-wise); the host recomputes samples.
//   write: element i gets (unsigned)i ^ v on every lane; a new v each launch.
//   copy:  out[i] = in[i].
//
// Each loop trip issues TPP_BW_UNROLL independent 16-byte loads (elements i, i+T, ... ,
// i+(U-1)T) before using any, so a thread keeps U loads in flight.  Little's law: to
// sustain a bandwidth B with a loaded DRAM latency L, B*L bytes must be in flight.
// HBM3e on H200 (4.8 TB/s, datasheet) at 90% and L ~ 1 us needs ~4.3 MB, 33 KB per SM of
// 132; B200 (8 TB/s, 148 SMs) ~49 KB per SM.  At full occupancy (2048 threads per SM) one
// load per thread is 32 KB: marginal, and below any latency above ~0.8 us; U = 4 gives
// 128 KB per SM, 2.6x the B200 need.  A tail loop takes the last (n mod U*T) elements.
// __launch_bounds__(256, SM threads / 256) keeps every SM full: 32 registers a thread.
// Expected SASS: U x LDG.E.128 per trip of the read and copy loops, U x STG.E.128 per trip
// of the write and copy loops (tests/backends/cuda/test_cuda_sass.sh counts them in the loop).
#include <stdint.h>

#define TPP_BW_UNROLL 4

// Resident threads per SM (CUDA C Programming Guide, "Technical Specifications per Compute
// Capability"): 1024 on 7.5, 1536 on 8.6/8.7/8.9/12.x, 2048 elsewhere.
#if !defined(__CUDA_ARCH__) || __CUDA_ARCH__ == 800 || (__CUDA_ARCH__ >= 900 && __CUDA_ARCH__ < 1200)
#define TPP_BW_BLOCKS 8
#elif __CUDA_ARCH__ == 750
#define TPP_BW_BLOCKS 4
#else
#define TPP_BW_BLOCKS 6
#endif

extern "C" __global__ void __launch_bounds__(256, TPP_BW_BLOCKS)
tpp_cuda_bw_read(const uint4 *in, uint4 *out, unsigned long long n)
{
  const unsigned long long t = (unsigned long long)blockIdx.x * blockDim.x + threadIdx.x;
  const unsigned long long stride = (unsigned long long)gridDim.x * blockDim.x;
  uint4 acc = make_uint4(0, 0, 0, 0);
  unsigned long long i = t;
  for (; i + (TPP_BW_UNROLL - 1) * stride < n; i += TPP_BW_UNROLL * stride) {
    uint4 v[TPP_BW_UNROLL];
#pragma unroll
    for (int u = 0; u < TPP_BW_UNROLL; u++)
      v[u] = in[i + u * stride];
#pragma unroll
    for (int u = 0; u < TPP_BW_UNROLL; u++) {
      acc.x ^= v[u].x;
      acc.y ^= v[u].y;
      acc.z ^= v[u].z;
      acc.w ^= v[u].w;
    }
  }
  for (; i < n; i += stride) {
    uint4 v = in[i];
    acc.x ^= v.x;
    acc.y ^= v.y;
    acc.z ^= v.z;
    acc.w ^= v.w;
  }
  out[t] = acc;
}

extern "C" __global__ void __launch_bounds__(256, TPP_BW_BLOCKS)
tpp_cuda_bw_write(uint4 *out, unsigned long long n, unsigned v)
{
  const unsigned long long t = (unsigned long long)blockIdx.x * blockDim.x + threadIdx.x;
  const unsigned long long stride = (unsigned long long)gridDim.x * blockDim.x;
  unsigned long long i = t;
  for (; i + (TPP_BW_UNROLL - 1) * stride < n; i += TPP_BW_UNROLL * stride) {
#pragma unroll
    for (int u = 0; u < TPP_BW_UNROLL; u++) {
      unsigned x = (unsigned)(i + u * stride) ^ v;
      out[i + u * stride] = make_uint4(x, x, x, x);
    }
  }
  for (; i < n; i += stride) {
    unsigned x = (unsigned)i ^ v;
    out[i] = make_uint4(x, x, x, x);
  }
}

extern "C" __global__ void __launch_bounds__(256, TPP_BW_BLOCKS)
tpp_cuda_bw_copy(const uint4 *in, uint4 *out, unsigned long long n)
{
  const unsigned long long t = (unsigned long long)blockIdx.x * blockDim.x + threadIdx.x;
  const unsigned long long stride = (unsigned long long)gridDim.x * blockDim.x;
  unsigned long long i = t;
  for (; i + (TPP_BW_UNROLL - 1) * stride < n; i += TPP_BW_UNROLL * stride) {
    uint4 v[TPP_BW_UNROLL];
#pragma unroll
    for (int u = 0; u < TPP_BW_UNROLL; u++)
      v[u] = in[i + u * stride];
#pragma unroll
    for (int u = 0; u < TPP_BW_UNROLL; u++)
      out[i + u * stride] = v[u];
  }
  for (; i < n; i += stride)
    out[i] = in[i];
}
