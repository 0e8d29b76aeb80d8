/* cl_peak.c - host side of kernels/opencl/peak.cl: one variant per precision, the launch,
 * and a host reference that reproduces each checked work-item bit for bit.
 *
 * The kernel's contract (init values, recurrence, final sum order) is written at the top
 * of peak.cl; ref_lane() below must follow it exactly.
 */
#include <CL/cl.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "opencl/cl_internal.h"
#include "tpp/peakref.h"

/* Tuned on PoCL 3.1 (LLVM 15, AVX-512), each shape the best of a sweep over vector width,
 * chains (4-32), unroll and work-group size; sound elsewhere.  Wide vectors, many
 * independent chains: two 512-bit FMA pipes of 4-cycle latency need 8 chains in flight.
 * Integers: OpenCL C's widest ushort/uchar vectors fill half a 512-bit register, so pairs
 * of chains share one (TPP_PACK=2), and 8-bit chains run in 16-bit lanes (x86 has no 8-bit
 * multiply; the low byte of a 16-bit x*a+b is the 8-bit result, bit for bit).
 * Floating point: a = 1 - 2^-16, b = 3 * 2^-16 (both exact in float), as the CUDA kernels:
 * x walks towards the fixed point 3, far from every start value in [0.5, 1.5), by at least
 * ~190 float ulps a step over the 2048 steps of a launch, so no step leaves it unchanged.
 * (1 - 2^-12 and 2^-12 drifted towards 1: the chain starting at exactly 1.0 never moved, and
 * FP32 chains settled by step ~33,600.)
 * Integers: x = x*a + b wrapping (unsigned types: defined overflow) with a = 1 (mod 4) and b
 * odd, a full-period LCG (Hull-Dobell): period 2^bits.  So a chain repeats no state within a
 * launch only if it takes fewer steps than that: 2048 for 16 and 32 bits, 240 for 8 bits
 * (2048 steps of period 256 ended where they began: a launch doing no work would pass).
 * tests/backends/opencl/test_opencl_chains.c simulates every chain for these counts. */
static const struct tpp_cl_peak_variant variants[TPP_PRECISION_COUNT] = {
    [TPP_FP64] = {.scalar = "double",
                  .kind = TPP_CL_F64,
                  .size = 8,
                  .lanes = 8,
                  .chains = 16,
                  .unroll = 1,
                  .iters = 2048,
                  .local = 1,
                  .ext = "cl_khr_fp64",
                  .a = 0.9999847412109375,
                  .b = 4.57763671875e-05                                        },
    [TPP_FP32] = {.scalar = "float",
                  .kind = TPP_CL_F32,
                  .size = 4,
                  .lanes = 16,
                  .chains = 16,
                  .unroll = 1,
                  .iters = 2048,
                  .local = 1,
                  .a = 0.9999847412109375,
                  .b = 4.57763671875e-05                     },
    [TPP_INT32] = {.scalar = "uint",
                  .kind = TPP_CL_U32,
                  .size = 4,
                  .lanes = 16,
                  .chains = 32,
                  .unroll = 1,
                  .iters = 2048,
                  .local = 64,
                  .a = 1664525,
                  .b = 1013904223                          },
    [TPP_INT16] = {.scalar = "ushort",
                  .kind = TPP_CL_U16,
                  .size = 2,
                  .lanes = 16,
                  .chains = 32,
                  .unroll = 1,
                  .iters = 2048,
                  .local = 64,
                  .a = 25173,
                  .b = 13849,
                  .options = "-DTPP_PACK=2"                 },
    [TPP_INT8] = {.scalar = "uchar",
                  .kind = TPP_CL_U8,
                  .size = 1,
                  .lanes = 16,
                  .chains = 32,
                  .unroll = 1,
                  .iters = 240,
                  .local = 64,
                  .a = 37,
                  .b = 91,
                  .options = "-DTPP_PACK=2 -DTPP_INT8_AS16"},
};

const struct tpp_cl_peak_variant *
tpp_cl_peak_variant(enum tpp_precision p)
{
  return (unsigned)p < TPP_PRECISION_COUNT && variants[p].scalar ? &variants[p] : NULL;
}

/* Why OpenCL C cannot express the others. */
static const char *const no_path[TPP_PRECISION_COUNT] = {
    [TPP_TF32] = "OpenCL C has no TF32 arithmetic",
    [TPP_BF16] = "OpenCL C has no BF16 arithmetic (vendor extensions convert only)",
    [TPP_FP8] = "OpenCL C has no FP8 arithmetic",
    [TPP_INT4] = "OpenCL C has no 4-bit integer arithmetic",
    [TPP_FP4] = "OpenCL C has no FP4 arithmetic",
};

struct cl_peak {
  struct cl_dev *dev;
  struct tpp_cl_peak_variant shape;    /* the table's entry, adapted to the device type */
  const struct tpp_cl_peak_variant *v; /* = &shape */
  char name[48];
  cl_program program;
  cl_kernel kernel;
  cl_mem out;
  size_t max_items;
  void *host; /* readback buffer */
};

/* --- host reference ----------------------------------------------------------------- */

/* The value of one lane of out[g], as the kernel computes it (peakref.h). */
static void
ref_lane(const struct tpp_cl_peak_variant *v, uint32_t g, uint32_t l, void *result)
{
  uint64_t steps = (uint64_t)v->iters * (uint64_t)v->unroll;
  switch (v->kind) {
  case TPP_CL_F64: {
    double r = tpp_peakref_f64(g, l, v->chains, steps, v->a, v->b);
    memcpy(result, &r, sizeof(r));
    break;
  }
  case TPP_CL_F32: {
    float r = tpp_peakref_f32(g, l, v->chains, steps, (float)v->a, (float)v->b);
    memcpy(result, &r, sizeof(r));
    break;
  }
  case TPP_CL_U32:
  case TPP_CL_U16:
  case TPP_CL_U8: {
    uint32_t mask = v->kind == TPP_CL_U32 ? 0xffffffffu : v->kind == TPP_CL_U16 ? 0xffffu : 0xffu;
    uint32_t r = tpp_peakref_uint(g, l, v->chains, steps, (uint32_t)v->a, (uint32_t)v->b, mask);
    memcpy(result, &r, v->size); /* little-endian: the low bytes */
    break;
  }
  }
}

/* --- workload ----------------------------------------------------------------------- */

static int
peak_run(void *impl, size_t units, int timed, double *seconds, char *why, size_t whylen)
{
  struct cl_peak *pk = impl;
  cl_uchar zero = 0;
  cl_int err;
  (void)timed;
  /* Clear the output first (not timed): a launch that did nothing must not leave the
   * previous launch's right answer behind for the check. */
  err = clEnqueueFillBuffer(pk->dev->queue, pk->out, &zero, 1, 0,
                            units * pk->v->local * pk->v->size * (size_t)pk->v->lanes, 0, NULL,
                            NULL);
  if (err != CL_SUCCESS) {
    snprintf(why, whylen, "clEnqueueFillBuffer: %s (%d)", tpp_cl_strerror(err), (int)err);
    return TPP_EBACKEND;
  }
  return tpp_cl_run_timed(pk->dev, pk->kernel, units * pk->v->local, pk->v->local, seconds, why,
                          whylen);
}

static void
format_lane(const struct tpp_cl_peak_variant *v, const void *p, char *buf, size_t len)
{
  double d;
  float f;
  uint32_t u = 0;
  switch (v->kind) {
  case TPP_CL_F64:
    memcpy(&d, p, sizeof(d));
    snprintf(buf, len, "%.17g", d);
    break;
  case TPP_CL_F32:
    memcpy(&f, p, sizeof(f));
    snprintf(buf, len, "%.9g", (double)f);
    break;
  default:
    memcpy(&u, p, v->size);
    snprintf(buf, len, "%u", u);
    break;
  }
}

/* Checked work-items: the first, the last, and 62 spread over the launch. */
#define VERIFY_SAMPLES 64

static int
peak_verify(void *impl, size_t units, char *why, size_t whylen)
{
  struct cl_peak *pk = impl;
  const struct tpp_cl_peak_variant *v = pk->v;
  size_t items = units * v->local, elem = v->size * (size_t)v->lanes;
  cl_int err;

  err = clEnqueueReadBuffer(pk->dev->queue, pk->out, CL_TRUE, 0, items * elem, pk->host, 0, NULL,
                            NULL);
  if (err != CL_SUCCESS) {
    snprintf(why, whylen, "reading the result back: %s", tpp_cl_strerror(err));
    return TPP_EBACKEND;
  }
  for (size_t s = 0; s < VERIFY_SAMPLES; s++) {
    size_t g = items <= VERIFY_SAMPLES ? s : s * (items - 1) / (VERIFY_SAMPLES - 1);
    if (g >= items)
      break;
    for (int l = 0; l < v->lanes; l++) {
      unsigned char want[8] = {0};
      const unsigned char *got = (const unsigned char *)pk->host + g * elem + (size_t)l * v->size;
      ref_lane(v, (uint32_t)g, (uint32_t)l, want);
      if (memcmp(want, got, v->size) != 0) {
        char w[40], d[40];
        format_lane(v, want, w, sizeof(w));
        format_lane(v, got, d, sizeof(d));
        snprintf(why, whylen, "work-item %zu lane %d: device %s, host %s", g, l, d, w);
        return TPP_EVERIFY;
      }
    }
  }
  return 0;
}

static void
peak_release(void *impl)
{
  struct cl_peak *pk = impl;
  if (!pk)
    return;
  if (pk->kernel)
    clReleaseKernel(pk->kernel);
  if (pk->program)
    clReleaseProgram(pk->program);
  if (pk->out)
    clReleaseMemObject(pk->out);
  free(pk->host);
  free(pk);
}

static int
set_scalar_args(struct cl_peak *pk)
{
  const struct tpp_cl_peak_variant *v = pk->v;
  unsigned char a[8], b[8];
  cl_uint iters = v->iters;
  cl_int err;

  switch (v->kind) {
  case TPP_CL_F64: {
    double x = v->a, y = v->b;
    memcpy(a, &x, 8);
    memcpy(b, &y, 8);
    break;
  }
  case TPP_CL_F32: {
    float x = (float)v->a, y = (float)v->b;
    memcpy(a, &x, 4);
    memcpy(b, &y, 4);
    break;
  }
  default: {
    uint32_t x = (uint32_t)v->a, y = (uint32_t)v->b;
    memcpy(a, &x, 4); /* little-endian: the low bytes are the narrow value */
    memcpy(b, &y, 4);
    break;
  }
  }
  err = clSetKernelArg(pk->kernel, 0, sizeof(cl_mem), &pk->out);
  err |= clSetKernelArg(pk->kernel, 1, v->size, a);
  err |= clSetKernelArg(pk->kernel, 2, v->size, b);
  err |= clSetKernelArg(pk->kernel, 3, sizeof(iters), &iters);
  return err == CL_SUCCESS ? 0 : TPP_EBACKEND;
}

int
tpp_cl_prepare_peak(struct tpp_device *core, enum tpp_precision p, enum tpp_path path, int index,
                    struct tpp_workload *w, char *why, size_t whylen)
{
  struct cl_dev *dev = core->priv;
  const struct tpp_cl_peak_variant *v;
  struct cl_peak *pk;
  char opts[512];
  cl_int err;
  int rc;

  if ((unsigned)p >= TPP_PRECISION_COUNT)
    return TPP_EINVAL;
  if (index > 0)
    return TPP_ENOENT; /* one kernel per precision */
  if (path == TPP_PATH_TENSOR) {
    snprintf(why, whylen, "OpenCL C has no portable matrix-unit path");
    return TPP_EUNSUP;
  }
  v = &variants[p];
  if (p == TPP_FP16) {
    /* A half chain x = x*a + b settles within a few thousand steps on 11 bits, and the
     * chain that would not (docs/hip.md, FP16) has no OpenCL kernel and host reference yet. */
    snprintf(why, whylen, "%s",
             tpp_cl_has_extension(dev, "cl_khr_fp16")
                 ? "no OpenCL half-precision kernel with a host check yet"
                 : "device lacks cl_khr_fp16");
    return TPP_EUNSUP;
  }
  if (!v->scalar) {
    snprintf(why, whylen, "%s", no_path[p] ? no_path[p] : "no OpenCL kernel for this precision");
    return TPP_EUNSUP;
  }
  if (v->ext && !tpp_cl_has_extension(dev, v->ext)) {
    snprintf(why, whylen, "device lacks %s", v->ext);
    return TPP_EUNSUP;
  }

  pk = calloc(1, sizeof(*pk));
  if (!pk)
    return TPP_ENOMEM;
  pk->dev = dev;
  pk->shape = *v;
  if (!dev->is_cpu) {
    /* GPUs: scalar SIMT lanes, so fewer registers per work-item and many work-items per
     * group.  Not yet measured on any GPU through OpenCL. */
    pk->shape.lanes = 4;
    pk->shape.chains = 8;
    pk->shape.local = 256;
  }
  v = pk->v = &pk->shape;
  snprintf(pk->name, sizeof(pk->name), "%s.%s%dx%d",
           v->kind == TPP_CL_F64 || v->kind == TPP_CL_F32 ? "fma" : "mad", v->scalar, v->lanes,
           v->chains);
  /* Up to 256 MiB of output, and no more than the device allows in one buffer. */
  {
    size_t elem = v->size * (size_t)v->lanes;
    uint64_t cap = dev->info->max_alloc_bytes ? dev->info->max_alloc_bytes : (64u << 20);
    if (cap > (256u << 20))
      cap = 256u << 20;
    pk->max_items = (size_t)(cap / elem) / v->local * v->local;
    pk->out = clCreateBuffer(dev->context, CL_MEM_WRITE_ONLY, pk->max_items * elem, NULL, &err);
    if (err != CL_SUCCESS) {
      snprintf(why, whylen, "output buffer: %s", tpp_cl_strerror(err));
      rc = TPP_EBACKEND;
      goto fail;
    }
    pk->host = malloc(pk->max_items * elem);
    if (!pk->host) {
      rc = TPP_ENOMEM;
      goto fail;
    }
  }
  snprintf(opts, sizeof(opts),
           "-cl-std=CL1.2 -DTPP_S=%s -DTPP_T=%s%d -DTPP_LANES=%d "
           "-DTPP_CHAINS=%d -DTPP_UNROLL=%d%s%s %s",
           v->scalar, v->scalar, v->lanes, v->lanes, v->chains, v->unroll,
           v->kind == TPP_CL_F64 || v->kind == TPP_CL_F32 ? " -DTPP_FMA" : "",
           v->kind == TPP_CL_F64 ? " -DTPP_FP64" : "", v->options && dev->is_cpu ? v->options : "");
  if ((rc = tpp_cl_build(dev, tpp_cl_src_peak, opts, &pk->program, why, whylen)))
    goto fail;
  pk->kernel = clCreateKernel(pk->program, "tpp_peak", &err);
  if (err != CL_SUCCESS) {
    snprintf(why, whylen, "clCreateKernel(tpp_peak): %s", tpp_cl_strerror(err));
    rc = TPP_EBACKEND;
    goto fail;
  }
  if ((rc = set_scalar_args(pk))) {
    snprintf(why, whylen, "setting kernel arguments failed");
    goto fail;
  }

  memset(w, 0, sizeof(*w));
  w->impl = pk;
  w->kernel = pk->name;
  w->image = tpp_cl_src_peak; /* the source text the program was built from */
  w->image_len = tpp_cl_src_peak_len;
  w->ops_per_unit = 2.0 * v->iters * v->unroll * v->chains * v->lanes * (double)v->local;
  w->min_units = (size_t)(dev->info->compute_units > 0 ? dev->info->compute_units : 1);
  w->max_units = pk->max_items / v->local;
  w->run = peak_run;
  w->verify = peak_verify;
  w->release = peak_release;
  return 0;

fail:
  peak_release(pk);
  return rc;
}
