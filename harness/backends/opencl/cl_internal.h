/* cl_internal.h - what the OpenCL backend's files share (not part of the public API). */
#ifndef TPP_CL_INTERNAL_H
#define TPP_CL_INTERNAL_H

#include <CL/cl.h>
#include <stddef.h>

#include "tpp/backend.h"

/* The backend's state of an open device (struct tpp_device's priv). */
struct cl_dev {
  const struct tpp_device_info *info; /* the core's */
  cl_platform_id platform;
  cl_device_id device;
  cl_context context;
  cl_command_queue queue;
  int is_cpu;
  double clock_before; /* MHz at telemetry_begin (CPU devices) */
};

/* One shape of kernels/opencl/peak.cl: its type, vector width, chains and recurrence. */
enum tpp_cl_scalar { TPP_CL_F64, TPP_CL_F32, TPP_CL_U32, TPP_CL_U16, TPP_CL_U8 };
struct tpp_cl_peak_variant {
  const char *scalar; /* OpenCL C scalar type */
  enum tpp_cl_scalar kind;
  size_t size; /* bytes per scalar */
  int lanes, chains, unroll;
  unsigned iters;      /* per launch; chain steps = iters x unroll */
  size_t local;        /* work-group size */
  const char *ext;     /* required extension, or NULL */
  const char *options; /* further -D knobs of peak.cl, or NULL */
  double a, b;         /* recurrence x = x*a + b (floating point: fma) */
};

/* The CPU shape of the kernel for a precision (a GPU runs fewer lanes and chains, the same
 * recurrence), or NULL when OpenCL C has none. */
const struct tpp_cl_peak_variant *tpp_cl_peak_variant(enum tpp_precision p);

/* Kernel sources embedded by cmake/embed.cmake. */
extern const char tpp_cl_src_peak[];
extern const char tpp_cl_src_bandwidth[];
extern const unsigned long tpp_cl_src_peak_len, tpp_cl_src_bandwidth_len;

/* Name of an OpenCL status code ("CL_OUT_OF_RESOURCES"). */
const char *tpp_cl_strerror(cl_int err);

/* Build `source` with `options` for the device; on failure the build log (trimmed) goes to
 * why.  TPP_EBACKEND on failure. */
int tpp_cl_build(struct cl_dev *dev, const char *source, const char *options, cl_program *program,
                 char *why, size_t whylen);

/* Enqueue a 1-D kernel and return its device time from profiling events.  On failure
 * `why` (may be NULL) names the call and the OpenCL status. */
int tpp_cl_run_timed(struct cl_dev *dev, cl_kernel kernel, size_t global, size_t local,
                     double *seconds, char *why, size_t whylen);

/* Does the device list this extension (its "extensions" fact)? */
int tpp_cl_has_extension(const struct cl_dev *dev, const char *ext);

/* The LLVM target CPU of a PoCL CPU device, from its name ("pthread-skylake-avx512-Intel(R)
 * Xeon(R) ..." gives "skylake-avx512"): the key of its per-clock rates.  0, or -1 when the
 * name is not of that form. */
int tpp_cl_llvm_cpu(const char *device_name, char *out, size_t len);

int tpp_cl_prepare_peak(struct tpp_device *dev, enum tpp_precision p, enum tpp_path path, int index,
                        struct tpp_workload *w, char *why, size_t whylen);
int tpp_cl_prepare_bandwidth(struct tpp_device *dev, enum tpp_bw_kind kind, struct tpp_workload *w,
                             char *why, size_t whylen);

#endif
