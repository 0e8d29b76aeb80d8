/* precision.h - the operand precisions tppbench knows, their bit lengths and names.
 *
 * The bit length is the one 3A090's Technical Note uses: the largest bit length of the
 * inputs to the multiply.  TF32 operands are stored and counted as 32-bit words, as the
 * published TPP tables do.
 */
#ifndef TPP_PRECISION_H
#define TPP_PRECISION_H

#include "tpp/error.h"

enum tpp_precision {
  TPP_FP64,
  TPP_FP32,
  TPP_TF32,
  TPP_FP16,
  TPP_BF16,
  TPP_FP8,
  TPP_INT32,
  TPP_INT16,
  TPP_INT8,
  TPP_INT4,
  TPP_FP4,
  TPP_PRECISION_COUNT
};

/* Where the operation runs: ordinary vector/SIMD units, or matrix ("tensor") units. */
enum tpp_path { TPP_PATH_VECTOR, TPP_PATH_TENSOR, TPP_PATH_COUNT };

struct tpp_precision_info {
  const char *name;  /* "fp64": the CLI and JSON spelling */
  const char *label; /* "FP64": for tables */
  int bits;          /* bit length of the operation */
  int is_float;
};

/* Never NULL for a valid precision. */
const struct tpp_precision_info *tpp_precision_info(enum tpp_precision p);
const char *tpp_precision_name(enum tpp_precision p);
int tpp_precision_bits(enum tpp_precision p);
const char *tpp_path_name(enum tpp_path path);

/* Parse "fp32" (case-insensitive).  0 or TPP_EINVAL. */
int tpp_precision_parse(const char *name, enum tpp_precision *out);
int tpp_path_parse(const char *name, enum tpp_path *out);

/* Parse "fp32,fp64,int8" (or "all") into a bit mask (1u << precision).
 * TPP_EINVAL with diag->field set to the bad item. */
int tpp_precision_mask_parse(const char *list, unsigned *mask, struct tpp_diag *diag);

#endif
