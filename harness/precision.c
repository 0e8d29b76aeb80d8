/* precision.c - the precision table. */
#include "tpp/precision.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const struct tpp_precision_info precisions[TPP_PRECISION_COUNT] = {
    [TPP_FP64] = {.name = "fp64",  .label = "FP64",  .bits = 64, .is_float = 1},
    [TPP_FP32] = {.name = "fp32",  .label = "FP32",  .bits = 32, .is_float = 1},
    [TPP_TF32] = {.name = "tf32",  .label = "TF32",  .bits = 32, .is_float = 1},
    [TPP_FP16] = {.name = "fp16",  .label = "FP16",  .bits = 16, .is_float = 1},
    [TPP_BF16] = {.name = "bf16",  .label = "BF16",  .bits = 16, .is_float = 1},
    [TPP_FP8] = {.name = "fp8",   .label = "FP8",   .bits = 8,  .is_float = 1},
    [TPP_INT32] = {.name = "int32", .label = "INT32", .bits = 32, .is_float = 0},
    [TPP_INT16] = {.name = "int16", .label = "INT16", .bits = 16, .is_float = 0},
    [TPP_INT8] = {.name = "int8",  .label = "INT8",  .bits = 8,  .is_float = 0},
    [TPP_INT4] = {.name = "int4",  .label = "INT4",  .bits = 4,  .is_float = 0},
    [TPP_FP4] = {.name = "fp4",   .label = "FP4",   .bits = 4,  .is_float = 1},
};

static const char *const path_names[TPP_PATH_COUNT] = {
    [TPP_PATH_VECTOR] = "vector",
    [TPP_PATH_TENSOR] = "tensor",
};

const struct tpp_precision_info *
tpp_precision_info(enum tpp_precision p)
{
  if ((unsigned)p >= TPP_PRECISION_COUNT)
    return NULL;
  return &precisions[p];
}

const char *
tpp_precision_name(enum tpp_precision p)
{
  const struct tpp_precision_info *i = tpp_precision_info(p);
  return i ? i->name : "?";
}

int
tpp_precision_bits(enum tpp_precision p)
{
  const struct tpp_precision_info *i = tpp_precision_info(p);
  return i ? i->bits : 0;
}

const char *
tpp_path_name(enum tpp_path path)
{
  return (unsigned)path < TPP_PATH_COUNT ? path_names[path] : "?";
}

int
tpp_precision_parse(const char *name, enum tpp_precision *out)
{
  for (int p = 0; p < TPP_PRECISION_COUNT; p++) {
    if (strcasecmp(name, precisions[p].name) == 0) {
      *out = (enum tpp_precision)p;
      return 0;
    }
  }
  return TPP_EINVAL;
}

int
tpp_path_parse(const char *name, enum tpp_path *out)
{
  for (int p = 0; p < TPP_PATH_COUNT; p++) {
    if (strcasecmp(name, path_names[p]) == 0) {
      *out = (enum tpp_path)p;
      return 0;
    }
  }
  return TPP_EINVAL;
}

int
tpp_precision_mask_parse(const char *list, unsigned *mask, struct tpp_diag *diag)
{
  char item[32];
  const char *s = list;
  unsigned m = 0;

  if (strcasecmp(list, "all") == 0) {
    *mask = (1u << TPP_PRECISION_COUNT) - 1;
    return 0;
  }
  while (*s) {
    size_t n = strcspn(s, ",");
    enum tpp_precision p;
    if (n == 0 || n >= sizeof(item))
      return tpp_diag_set(diag, TPP_EINVAL, NULL, 0, "--precisions",
                          "empty or overlong item in \"%s\"", list);
    memcpy(item, s, n);
    item[n] = '\0';
    if (tpp_precision_parse(item, &p) != 0)
      return tpp_diag_set(diag, TPP_EINVAL, NULL, 0, "--precisions",
                          "unknown precision \"%s\" (known: fp64 fp32 tf32 fp16 bf16 fp8 "
                          "int32 int16 int8 int4 fp4, or all)",
                          item);
    m |= 1u << p;
    s += n;
    if (*s == ',')
      s++;
  }
  if (m == 0)
    return tpp_diag_set(diag, TPP_EINVAL, NULL, 0, "--precisions", "no precision given");
  *mask = m;
  return 0;
}
