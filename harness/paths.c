/* paths.c - data-file search path.  See paths.h. */
#include "tpp/paths.h"

#include <stdio.h>
#include <stdlib.h>

#define MAX_DIRS TPP_PROFILE_DIRS_MAX

/* Filled once by the single-threaded CLI before any backend runs; read-only afterwards. */
static char dir_buf[MAX_DIRS][1024];
static const char *dirs[MAX_DIRS + 1];

const char *const *
tpp_profile_dirs(void)
{
  int n = 0;
  const char *env = getenv("TPPBENCH_PROFILES");
  if (env && *env)
    snprintf(dir_buf[n++], sizeof(dir_buf[0]), "%s", env);
  snprintf(dir_buf[n++], sizeof(dir_buf[0]), "%s/profiles", TPP_SOURCE_DIR);
  snprintf(dir_buf[n++], sizeof(dir_buf[0]), "%s", TPP_DATADIR);
  for (int i = 0; i < n; i++)
    dirs[i] = dir_buf[i];
  dirs[n] = NULL;
  return dirs;
}
