/* paths.c - data-file search path.  See paths.h. */
#include "tpp/paths.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_DIRS 4
#define MAX_SUBS 4

/* Filled once by the single-threaded CLI before any backend runs; read-only afterwards. */
static char dir_buf[MAX_DIRS][1024];
static const char *dirs[MAX_DIRS + 1];

static char sub_buf[MAX_SUBS][MAX_DIRS][1100];
static const char *subs[MAX_SUBS][MAX_DIRS + 1];
static char sub_names[MAX_SUBS][32];

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

const char *const *
tpp_profile_subdirs(const char *sub)
{
  const char *const *base = tpp_profile_dirs();
  int slot;
  for (slot = 0; slot < MAX_SUBS && sub_names[slot][0]; slot++)
    if (strcmp(sub_names[slot], sub) == 0)
      break;
  if (slot == MAX_SUBS)
    slot = MAX_SUBS - 1;
  snprintf(sub_names[slot], sizeof(sub_names[slot]), "%s", sub);
  int i = 0;
  for (; base[i]; i++) {
    snprintf(sub_buf[slot][i], sizeof(sub_buf[slot][i]), "%s/%s", base[i], sub);
    subs[slot][i] = sub_buf[slot][i];
  }
  subs[slot][i] = NULL;
  return subs[slot];
}
