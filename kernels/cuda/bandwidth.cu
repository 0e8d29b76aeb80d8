// bandwidth.cu - device-memory bandwidth: read, write and copy in 16-byte accesses over a
// buffer far larger than L2 (the host uses a quarter of device memory, at most 4 GiB).
//
// Grid-stride loops: thread t of T touches elements t, t+T, t+2T, ... so neighbouring
// threads touch neighbouring 16-byte elements (coalesced 512-byte warp accesses).
//   read:  out[t] = XOR of the elements it read (lane-wise); the host recomputes samples.
//   write: element i gets (unsigned)i ^ v on every lane; a new v each launch.
//   copy:  out[i] = in[i].
// Expected SASS: LDG.E.128 / STG.E.128 in the loops.
#include <stdint.h>

extern "C" __global__ void __launch_bounds__(256)
tpp_cuda_bw_read(const uint4 *in, uint4 *out, unsigned long long n)
{
  const unsigned long long t = (unsigned long long)blockIdx.x * blockDim.x + threadIdx.x;
  const unsigned long long stride = (unsigned long long)gridDim.x * blockDim.x;
  uint4 acc = make_uint4(0, 0, 0, 0);
  for (unsigned long long i = t; i < n; i += stride) {
    uint4 v = in[i];
    acc.x ^= v.x;
    acc.y ^= v.y;
    acc.z ^= v.z;
    acc.w ^= v.w;
  }
  out[t] = acc;
}

extern "C" __global__ void __launch_bounds__(256)
tpp_cuda_bw_write(uint4 *out, unsigned long long n, unsigned v)
{
  const unsigned long long t = (unsigned long long)blockIdx.x * blockDim.x + threadIdx.x;
  const unsigned long long stride = (unsigned long long)gridDim.x * blockDim.x;
  for (unsigned long long i = t; i < n; i += stride) {
    unsigned x = (unsigned)i ^ v;
    out[i] = make_uint4(x, x, x, x);
  }
}

extern "C" __global__ void __launch_bounds__(256)
tpp_cuda_bw_copy(const uint4 *in, uint4 *out, unsigned long long n)
{
  const unsigned long long t = (unsigned long long)blockIdx.x * blockDim.x + threadIdx.x;
  const unsigned long long stride = (unsigned long long)gridDim.x * blockDim.x;
  for (unsigned long long i = t; i < n; i += stride)
    out[i] = in[i];
}
