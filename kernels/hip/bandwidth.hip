// bandwidth.hip - device-memory bandwidth: read, write and copy in 16-byte accesses over a
// buffer far larger than the last-level cache (the host picks the size; MI300X has a
// 256 MB Infinity Cache, so at least 1 GiB).
//
//   void tpp_hip_bw_read(const u32x4 *in, u32x4 *out, uint64_t n)
//   void tpp_hip_bw_write(u32x4 *out, uint64_t n, uint32_t v)
//   void tpp_hip_bw_copy(const u32x4 *in, u32x4 *out, uint64_t n)
//
// n = number of 16-byte elements.  Grid-stride loops: thread t of T (T = grid size, read
// from the dispatch packet) touches elements t, t+T, t+2T, ..., so a wave's 64 lanes touch
// 1 KiB of consecutive memory per access.  The main loop handles four strides a trip and
// issues all four loads before using any, so each wave has 4 KiB in flight.
//   read:  out[t] = XOR of the elements thread t read (lane-wise); the host recomputes
//          samples (XOR does not depend on the order).
//   write: element i gets (uint32)i ^ v on every lane; the host changes v every launch.
//   copy:  out[i] = in[i].
// Same contract as kernels/cuda/bandwidth.cu, so the host checks are the same.
// Expected ISA: global_load_dwordx4 / global_store_dwordx4 (gfx11/gfx12: global_load_b128 /
// global_store_b128).
#include "tpp_hip.h"

TPP_DEVICE uint64_t
global_thread(void)
{
  return (uint64_t)tpp_block() * TPP_BLOCK + tpp_thread();
}

TPP_KERNEL void
tpp_hip_bw_read(const u32x4 *in, u32x4 *out, uint64_t n)
{
  const uint64_t t = global_thread(), T = tpp_grid_size();
  u32x4 acc = {0, 0, 0, 0};
  uint64_t i = t;
  for (; i + 3 * T < n; i += 4 * T) {
    const u32x4 v0 = in[i], v1 = in[i + T], v2 = in[i + 2 * T], v3 = in[i + 3 * T];
    acc ^= v0 ^ v1 ^ v2 ^ v3;
  }
  for (; i < n; i += T)
    acc ^= in[i];
  out[t] = acc;
}

TPP_KERNEL void
tpp_hip_bw_write(u32x4 *out, uint64_t n, uint32_t v)
{
  const uint64_t t = global_thread(), T = tpp_grid_size();
  for (uint64_t i = t; i < n; i += T) {
    const uint32_t x = (uint32_t)i ^ v;
    out[i] = (u32x4){x, x, x, x};
  }
}

TPP_KERNEL void
tpp_hip_bw_copy(const u32x4 *in, u32x4 *out, uint64_t n)
{
  const uint64_t t = global_thread(), T = tpp_grid_size();
  uint64_t i = t;
  for (; i + 3 * T < n; i += 4 * T) {
    const u32x4 v0 = in[i], v1 = in[i + T], v2 = in[i + 2 * T], v3 = in[i + 3 * T];
    out[i] = v0;
    out[i + T] = v1;
    out[i + 2 * T] = v2;
    out[i + 3 * T] = v3;
  }
  for (; i < n; i += T)
    out[i] = in[i];
}
