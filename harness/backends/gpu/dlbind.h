/* dlbind.h - loading a vendor library at run time (the CUDA driver and NVML, the HIP runtime,
 * amd-smi and rocm-smi) and binding its functions from a table, so one binary starts on
 * machines with and without the vendor's software. */
#ifndef TPP_DLBIND_H
#define TPP_DLBIND_H

#include <stddef.h>

/* One function of a library's table: the field at `offset` of the table struct gets the
 * first of `names` the library exports (newer versioned names first); a required one
 * missing fails the binding. */
struct tpp_dl_fn {
  size_t offset;
  const char *names[3];
  int optional;
};
#define TPP_DL_FN(type, field, ...)         \
  {                                         \
    offsetof(type, field), {__VA_ARGS__}, 0 \
  }
#define TPP_DL_OPT(type, field, ...)        \
  {                                         \
    offsetof(type, field), {__VA_ARGS__}, 1 \
  }

/* Bind n functions of lib into table.  0, or -1 with *missing the first name of the first
 * required function the library lacks (optional ones missing are left NULL). */
int tpp_dl_bind(void *lib, void *table, const struct tpp_dl_fn *fns, size_t n,
                const char **missing);

/* dlopen the first library of names (NULL-terminated) found: in each of the n_dirs
 * directories in turn ("" is the loader's search path, by name; NULL is skipped).
 * The path opened goes to found (may be NULL).  NULL when none loads. */
void *tpp_dl_open_first(const char *const *dirs, size_t n_dirs, const char *const *names,
                        char *found, size_t len);

/* The vendor's directories as the ROCm libraries are searched: $ROCM_PATH/lib when it is set
 * (the user chose that ROCm), then the loader's search path, then /opt/rocm/lib. */
void *tpp_dl_open_rocm(const char *const *names, char *found, size_t len);

#endif
