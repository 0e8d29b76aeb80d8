/* cl_bandwidth.c - host side of kernels/opencl/bandwidth.cl: device-memory read, write
 * and copy bandwidth over buffers much larger than any cache, each launch checked.
 *
 * Every launch touches the whole buffer (the launch size is fixed, not grown), so the
 * figure is the memory's, not a cache's.  Each launch gets a fresh value `v` (write) or a
 * cleared output (read, copy), so a launch that did nothing cannot pass the check with
 * the previous launch's data.
 */
#include <CL/cl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "opencl/cl_internal.h"

#define ELEM_LANES 16 /* uint16: 64 bytes, one cache line */
#define ELEM_BYTES (ELEM_LANES * 4)
#define MAX_BUFFER_BYTES (1024ull << 20) /* per buffer; 4x this machine's 260 MiB L3 */
#define VERIFY_SAMPLES 64
/* Smallest buffer that still measures memory rather than a cache: 64 MiB, or twice the
 * device's global memory cache when that is larger. */
#define MIN_BUFFER_BYTES (64ull << 20)

struct cl_bw {
  struct cl_dev *dev;
  enum tpp_bw_kind kind;
  cl_program program;
  cl_kernel kernel, init;
  cl_mem in, out;
  size_t items;     /* work-items per launch */
  cl_uint per_item; /* elements per work-item */
  size_t local;
  cl_uint v; /* pattern value of the input (read, copy) or of the last write */
  char name[48];
};

static void
bw_release(void *impl)
{
  struct cl_bw *bw = impl;
  if (!bw)
    return;
  if (bw->kernel)
    clReleaseKernel(bw->kernel);
  if (bw->init)
    clReleaseKernel(bw->init);
  if (bw->program)
    clReleaseProgram(bw->program);
  if (bw->in)
    clReleaseMemObject(bw->in);
  if (bw->out)
    clReleaseMemObject(bw->out);
  free(bw);
}

/* A number after `key` in a /proc file ("MemAvailable:", "VmSize:"), in kB; 0 when absent. */
static uint64_t
proc_kb(const char *file, const char *key)
{
  char line[256];
  uint64_t kb = 0;
  FILE *f = fopen(file, "r");
  if (!f)
    return 0;
  while (fgets(line, sizeof(line), f))
    if (strncmp(line, key, strlen(key)) == 0) {
      kb = strtoull(line + strlen(key), NULL, 10);
      break;
    }
  fclose(f);
  return kb;
}

/* Host memory this process may still take, in bytes, and what limits it (written to src):
 * the kernel's MemAvailable, the address-space and data limits (ulimit -v, -d) less what is
 * mapped, and TPPBENCH_TEST_HOST_MEM_AVAILABLE (bytes; for tests, to force a small figure).
 * A CPU device's "device memory" is this memory: PoCL allocates buffers lazily and aborts
 * on an assert when the host cannot give them. */
static uint64_t
host_mem_available(char *src, size_t srclen)
{
  const char *test = getenv("TPPBENCH_TEST_HOST_MEM_AVAILABLE");
  uint64_t avail = proc_kb("/proc/meminfo", "MemAvailable:") * 1024;
  struct rlimit rl;
  snprintf(src, srclen, "MemAvailable");
  if (avail == 0) {
    avail = UINT64_MAX;
    snprintf(src, srclen, "no limit known");
  }
  if (getrlimit(RLIMIT_AS, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY) {
    uint64_t used = proc_kb("/proc/self/status", "VmSize:") * 1024;
    uint64_t left = rl.rlim_cur > used ? rl.rlim_cur - used : 0;
    if (left < avail) {
      avail = left;
      snprintf(src, srclen, "the address-space limit (ulimit -v)");
    }
  }
  if (getrlimit(RLIMIT_DATA, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY) {
    uint64_t used = proc_kb("/proc/self/status", "VmData:") * 1024;
    uint64_t left = rl.rlim_cur > used ? rl.rlim_cur - used : 0;
    if (left < avail) {
      avail = left;
      snprintf(src, srclen, "the data limit (ulimit -d)");
    }
  }
  if (test && *test) {
    uint64_t t = strtoull(test, NULL, 10);
    if (t < avail) {
      avail = t;
      snprintf(src, srclen, "TPPBENCH_TEST_HOST_MEM_AVAILABLE");
    }
  }
  return avail;
}

/* Fill `buf` with the write pattern for value v (element i, every lane: i ^ v). */
static int
fill_pattern(struct cl_bw *bw, cl_mem buf, cl_uint v, char *why, size_t whylen)
{
  double t;
  cl_int err = clSetKernelArg(bw->init, 0, sizeof(cl_mem), &buf);
  err |= clSetKernelArg(bw->init, 1, sizeof(cl_uint), &bw->per_item);
  err |= clSetKernelArg(bw->init, 2, sizeof(cl_uint), &v);
  if (err != CL_SUCCESS)
    return TPP_EBACKEND;
  return tpp_cl_run_timed(bw->dev, bw->init, bw->items, bw->local, &t, why, whylen);
}

static int
bw_run(void *impl, size_t units, int timed, double *seconds, char *why, size_t whylen)
{
  struct cl_bw *bw = impl;
  cl_uint zero = 0;
  cl_int err = CL_SUCCESS;
  const char *call;
  (void)timed;
  size_t out_bytes = bw->kind == TPP_BW_READ ? bw->items * ELEM_BYTES
                                             : bw->items * (size_t)bw->per_item * ELEM_BYTES;
  (void)units; /* always the whole buffer */

  if (bw->kind == TPP_BW_WRITE) {
    bw->v += 0x9e3779b9u; /* a new pattern each launch */
    call = "clSetKernelArg";
    err = clSetKernelArg(bw->kernel, 2, sizeof(cl_uint), &bw->v);
  } else {
    call = "clEnqueueFillBuffer";
    err = clEnqueueFillBuffer(bw->dev->queue, bw->out, &zero, sizeof(zero), 0, out_bytes, 0, NULL,
                              NULL);
  }
  if (err != CL_SUCCESS) {
    snprintf(why, whylen, "%s: %s (%d)", call, tpp_cl_strerror(err), (int)err);
    return TPP_EBACKEND;
  }
  return tpp_cl_run_timed(bw->dev, bw->kernel, bw->items, bw->local, seconds, why, whylen);
}

static int
read_elem(struct cl_bw *bw, cl_mem buf, size_t index, uint32_t lanes[ELEM_LANES])
{
  cl_int err = clEnqueueReadBuffer(bw->dev->queue, buf, CL_TRUE, index * ELEM_BYTES, ELEM_BYTES,
                                   lanes, 0, NULL, NULL);
  return err == CL_SUCCESS ? 0 : TPP_EBACKEND;
}

static int
bw_verify(void *impl, size_t units, char *why, size_t whylen)
{
  struct cl_bw *bw = impl;
  uint32_t got[ELEM_LANES];
  (void)units;

  for (size_t s = 0; s < VERIFY_SAMPLES; s++) {
    size_t g = s * (bw->items - 1) / (VERIFY_SAMPLES - 1);
    uint32_t want;
    size_t index;
    if (bw->kind == TPP_BW_READ) {
      /* XOR of the block's elements, each (element index ^ v) on every lane. */
      size_t base = g * bw->per_item;
      want = 0;
      for (size_t i = 0; i < bw->per_item; i++)
        want ^= (uint32_t)(base + i) ^ bw->v;
      index = g;
    } else {
      /* An element inside the work-item's block, different for each sample. */
      index = g * bw->per_item + (s * 7919u) % bw->per_item;
      want = (uint32_t)index ^ bw->v;
    }
    if (read_elem(bw, bw->out, index, got)) {
      snprintf(why, whylen, "reading element %zu back failed", index);
      return TPP_EBACKEND;
    }
    for (int l = 0; l < ELEM_LANES; l++)
      if (got[l] != want) {
        snprintf(why, whylen, "%s: element %zu lane %d is 0x%08x, host expects 0x%08x", bw->name,
                 index, l, got[l], want);
        return TPP_EVERIFY;
      }
  }
  return 0;
}

int
tpp_cl_prepare_bandwidth(struct tpp_device *core, enum tpp_bw_kind kind, struct tpp_workload *w,
                         char *why, size_t whylen)
{
  struct cl_dev *dev = core->priv;
  static const char *const kernels[] = {[TPP_BW_READ] = "tpp_bw_read",
                                        [TPP_BW_WRITE] = "tpp_bw_write",
                                        [TPP_BW_COPY] = "tpp_bw_copy"};
  struct cl_bw *bw;
  uint64_t cap, total, min_bytes = MIN_BUFFER_BYTES;
  cl_ulong cache = 0;
  int buffers = kind == TPP_BW_COPY ? 2 : 1; /* read's output is one element per item */
  char limit[64] = "device memory";
  cl_int err;
  int rc;

  if ((unsigned)kind >= TPP_BW_KIND_COUNT)
    return TPP_EINVAL;
  bw = calloc(1, sizeof(*bw));
  if (!bw)
    return TPP_ENOMEM;
  bw->dev = dev;
  bw->kind = kind;
  /* CPU: each work-item streams a contiguous 64 KiB block.  GPU: one element per
   * work-item, so neighbouring work-items touch neighbouring lines (coalesced). */
  bw->per_item = dev->is_cpu ? 1024 : 1;
  bw->local = dev->is_cpu ? 1 : 256;
  /* Each buffer: at most the largest allocation the device allows and MAX_BUFFER_BYTES; all
   * of them together at most a quarter of the device's memory and, on a CPU device, half the
   * host memory this process may still take (the rest for everything else). */
  cap = dev->info->max_alloc_bytes ? dev->info->max_alloc_bytes : (256ull << 20);
  if (cap > MAX_BUFFER_BYTES)
    cap = MAX_BUFFER_BYTES;
  total = dev->info->global_mem_bytes / 4;
  if (dev->is_cpu) {
    char src[64];
    uint64_t host = host_mem_available(src, sizeof(src)) / 2;
    if (host < total) {
      total = host;
      snprintf(limit, sizeof(limit), "%s", src);
    }
  }
  if (cap > total / buffers)
    cap = total / buffers;
  if (clGetDeviceInfo(dev->device, CL_DEVICE_GLOBAL_MEM_CACHE_SIZE, sizeof(cache), &cache, NULL) ==
          CL_SUCCESS &&
      2 * (uint64_t)cache > min_bytes)
    min_bytes = 2 * (uint64_t)cache;
  if (cap < min_bytes) {
    /* A smaller buffer would measure a cache: an error row that says why, the others run. */
    snprintf(why, whylen,
             "not enough memory for the %s buffers: %d x %llu MiB needed to measure memory "
             "rather than a cache, %llu MiB usable (half of what %s leaves)",
             tpp_bw_kind_name(kind), buffers, (unsigned long long)(min_bytes >> 20),
             (unsigned long long)(total >> 20), limit);
    rc = TPP_ENOMEM;
    goto fail;
  }
  bw->items = (size_t)(cap / ((uint64_t)bw->per_item * ELEM_BYTES)) / bw->local * bw->local;
  if (bw->items < bw->local) {
    snprintf(why, whylen, "device memory too small for a bandwidth test");
    rc = TPP_EUNSUP;
    goto fail;
  }
  snprintf(bw->name, sizeof(bw->name), "%s.uint16x%u", tpp_bw_kind_name(kind), bw->per_item);

  /* CPU: streaming (non-temporal) stores, as a bandwidth benchmark must use, so writes do
   * not first read every line for ownership (plain stores measured here at about 10 GB/s
   * against 48 GB/s). */
  if ((rc = tpp_cl_build(dev, tpp_cl_src_bandwidth,
                         dev->is_cpu ? "-cl-std=CL1.2 -DTPP_BW_T=uint16 -DTPP_BW_S=uint -DTPP_BW_NT"
                                     : "-cl-std=CL1.2 -DTPP_BW_T=uint16 -DTPP_BW_S=uint",
                         &bw->program, why, whylen)))
    goto fail;
  bw->kernel = clCreateKernel(bw->program, kernels[bw->kind], &err);
  if (err == CL_SUCCESS)
    bw->init = clCreateKernel(bw->program, "tpp_bw_write", &err);
  if (err != CL_SUCCESS) {
    snprintf(why, whylen, "clCreateKernel: %s", tpp_cl_strerror(err));
    rc = TPP_EBACKEND;
    goto fail;
  }
  {
    size_t block = bw->items * (size_t)bw->per_item * ELEM_BYTES;
    size_t out_bytes = bw->kind == TPP_BW_READ ? bw->items * ELEM_BYTES : block;
    if (bw->kind != TPP_BW_WRITE)
      bw->in = clCreateBuffer(dev->context, CL_MEM_READ_WRITE, block, NULL, &err);
    if (err == CL_SUCCESS)
      bw->out = clCreateBuffer(dev->context, CL_MEM_READ_WRITE, out_bytes, NULL, &err);
    if (err != CL_SUCCESS) {
      snprintf(why, whylen, "clCreateBuffer (%zu MiB): %s", block >> 20, tpp_cl_strerror(err));
      rc = TPP_EBACKEND;
      goto fail;
    }
  }
  bw->v = 0x5bd1e995u;
  if (bw->in) {
    char run_why[200] = "";
    if ((rc = fill_pattern(bw, bw->in, bw->v, run_why, sizeof(run_why)))) {
      /* The first use of the buffer: where a lazy allocation fails (CL_OUT_OF_RESOURCES,
       * CL_MEM_OBJECT_ALLOCATION_FAILURE), named as the driver names it. */
      snprintf(why, whylen, "initialising the input buffer: %s",
               run_why[0] ? run_why : tpp_strerror(rc));
      goto fail;
    }
  }
  err = clSetKernelArg(bw->kernel, 0, sizeof(cl_mem),
                       bw->kind == TPP_BW_WRITE ? &bw->out : &bw->in);
  if (bw->kind == TPP_BW_WRITE) {
    err |= clSetKernelArg(bw->kernel, 1, sizeof(cl_uint), &bw->per_item);
    err |= clSetKernelArg(bw->kernel, 2, sizeof(cl_uint), &bw->v);
  } else {
    err |= clSetKernelArg(bw->kernel, 1, sizeof(cl_mem), &bw->out);
    err |= clSetKernelArg(bw->kernel, 2, sizeof(cl_uint), &bw->per_item);
  }
  if (err != CL_SUCCESS) {
    snprintf(why, whylen, "setting kernel arguments: %s", tpp_cl_strerror(err));
    rc = TPP_EBACKEND;
    goto fail;
  }

  memset(w, 0, sizeof(*w));
  w->impl = bw;
  w->kernel = bw->name;
  w->image = tpp_cl_src_bandwidth;
  w->image_len = tpp_cl_src_bandwidth_len;
  w->ops_per_unit = (double)bw->items * bw->per_item * ELEM_BYTES *
                    (bw->kind == TPP_BW_COPY ? 2 : 1);
  w->min_units = w->max_units = 1; /* one unit = the whole buffer */
  w->run = bw_run;
  w->verify = bw_verify;
  w->release = bw_release;
  return 0;

fail:
  bw_release(bw);
  return rc;
}
