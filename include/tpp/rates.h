/* rates.h - per-clock rate tables: profiles/rates/<backend>.json, one per backend, read by
 * one strict loader for all of them.
 *
 * A table gives dense operations per clock per compute unit (a multiply-add counts 2) by
 * architecture (what struct tpp_device's `arch` names: "sm_90", "gfx942", "haswell"),
 * precision, path and, optionally, kernel variant.  The per-clock peak of a row is
 * rate x compute units x the clock measured during the row; it sets efficiency and the
 * > 100% gate.  Layout:
 *
 *   {"schema_version": 1, "backend": "cuda", "unit": "SM", "description": "...",
 *    "sources": {"id": "full citation", ...},            (optional)
 *    "rates": [{"arch": "sm_90" or ["sm_89", "sm_90"], "precision": "fp32",
 *               "path": "vector", "variant": "ffma", "ops_per_clock_per_unit": 256,
 *               "source": "citation, or ids of sources", "note": "..."}]}
 *
 * An entry naming a variant applies to the kernels whose variant contains it, and wins over
 * an entry without one.  Every entry needs a source a reader can check: with a "sources"
 * object, the ids of its entries; without, the citation itself.
 *
 * Strict: an unknown key, a wrong type, a rate that is not a positive number, an
 * architecture the backend does not know, a precision or path that does not exist, a
 * missing source, or a second entry for the same architecture, precision, path and
 * variant is TPP_EPARSE naming the file, line and field.  A malformed table never loads
 * as "no rate": that would quietly turn off the > 100% gate.
 */
#ifndef TPP_RATES_H
#define TPP_RATES_H

#include "tpp/error.h"
#include "tpp/precision.h"

#define TPP_RATES_SCHEMA_VERSION 1

struct tpp_rate {
  char arch[32];
  enum tpp_precision precision;
  enum tpp_path path;
  char variant[48]; /* "" for any kernel */
  double ops_per_clock_per_unit;
  int index; /* of its entry in the file's "rates" */
};

struct tpp_rates {
  char file[1024];
  char backend[16];
  char unit[16];      /* what a compute unit is: "SM", "CU", "core" */
  struct tpp_rate *e; /* one per architecture of each entry */
  size_t n;
};

/* Read one table.  `archs` (NULL-terminated, or NULL for any well-formed name) are the
 * architectures it may name; `backend` the name it must carry (NULL: any). */
int tpp_rates_load(const char *file, const char *backend, const char *const *archs,
                   struct tpp_rates *r, struct tpp_diag *diag);

/* The first rates/<backend>.json of the data directories (paths.h), loaded: 0; TPP_ENOENT
 * when there is none (rows are then unchecked); TPP_EPARSE when it is malformed. */
int tpp_rates_find(const char *backend, const char *const *archs, struct tpp_rates *r,
                   struct tpp_diag *diag);

/* Operations per clock per compute unit for a kernel variant: an entry whose variant the
 * kernel's contains wins over one without; NAN when none (or r is NULL). */
double tpp_rates_lookup(const struct tpp_rates *r, const char *arch, enum tpp_precision p,
                        enum tpp_path path, const char *variant);

void tpp_rates_free(struct tpp_rates *r);

#endif
