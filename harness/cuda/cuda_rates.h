/* cuda_rates.h - profiles/cuda-rates.json: dense operations per clock per SM by compute
 * capability, precision, path and (optionally) kernel variant, with sources.
 *
 * One strict reader: an unknown key, a wrong type, a rate that is not a positive number, a
 * compute capability outside the supported list, an entry without a source or a duplicate
 * entry is an error naming the file, line and field (TPP_EPARSE).  A malformed table never
 * loads as "no rate": that would silently turn off the > 100% gate.
 */
#ifndef TPP_CUDA_RATES_H
#define TPP_CUDA_RATES_H

#include "tpp/error.h"
#include "tpp/precision.h"

#define TPP_CUDA_RATES_MAX 256

struct tpp_cuda_rate {
  int ccs[16]; /* compute capability x 10 */
  int n_ccs;
  enum tpp_precision precision;
  enum tpp_path path;
  char variant[48]; /* "" for any kernel; else a substring of the kernel's variant */
  double ops_per_clock_per_sm;
};

struct tpp_cuda_rates {
  struct tpp_cuda_rate e[TPP_CUDA_RATES_MAX];
  int n;
};

/* Compute capabilities (x 10) the backend supports; 0-terminated. */
extern const int tpp_cuda_supported_ccs[];

/* Read and check one table. */
int tpp_cuda_rates_load(const char *file, struct tpp_cuda_rates *r, struct tpp_diag *diag);

/* Find the first cuda-rates.json in the profile directories and load it: 0; TPP_ENOENT
 * when there is none (rows are then unchecked); TPP_EPARSE when it is malformed. */
int tpp_cuda_rates_find(struct tpp_cuda_rates *r, char *path, size_t pathlen,
                        struct tpp_diag *diag);

/* Ops per clock per SM for a kernel variant on cc: an entry naming a variant found in
 * `variant` wins over one without; NAN when none. */
double tpp_cuda_rate_lookup(const struct tpp_cuda_rates *r, int cc, enum tpp_precision p,
                            enum tpp_path path, const char *variant);

#endif
