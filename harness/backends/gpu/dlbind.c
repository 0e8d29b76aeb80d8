/* dlbind.c - see dlbind.h. */
#include "gpu/dlbind.h"

#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int
tpp_dl_bind(void *lib, void *table, const struct tpp_dl_fn *fns, size_t n, const char **missing)
{
  for (size_t i = 0; i < n; i++) {
    void *p = NULL;
    for (size_t k = 0; k < 3 && fns[i].names[k] && !p; k++)
      p = dlsym(lib, fns[i].names[k]);
    /* a function pointer stored from dlsym's object pointer, as POSIX allows */
    memcpy((char *)table + fns[i].offset, &p, sizeof(p));
    if (!p && !fns[i].optional) {
      *missing = fns[i].names[0];
      return -1;
    }
  }
  return 0;
}

void *
tpp_dl_open_first(const char *const *dirs, size_t n_dirs, const char *const *names, char *found,
                  size_t len)
{
  for (size_t d = 0; d < n_dirs; d++)
    for (size_t i = 0; dirs[d] && names[i]; i++) {
      char path[1024];
      void *lib;
      if (dirs[d][0])
        snprintf(path, sizeof(path), "%s/%s", dirs[d], names[i]);
      else
        snprintf(path, sizeof(path), "%s", names[i]);
      if ((lib = dlopen(path, RTLD_NOW | RTLD_LOCAL))) {
        if (found)
          snprintf(found, len, "%s", path);
        return lib;
      }
    }
  return NULL;
}

void *
tpp_dl_open_rocm(const char *const *names, char *found, size_t len)
{
  const char *rocm = getenv("ROCM_PATH");
  char lib[1024] = "";
  const char *dirs[3] = {NULL, "", "/opt/rocm/lib"};
  if (rocm && rocm[0]) {
    snprintf(lib, sizeof(lib), "%s/lib", rocm);
    dirs[0] = lib;
  }
  return tpp_dl_open_first(dirs, 3, names, found, len);
}
