/* paths.c - the data-file search path: next to the executable, $TPPBENCH_PROFILES, the
 * source tree of a build-tree binary.  See paths.h. */
#include "tpp/paths.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tpp/error.h"

#ifndef TPP_DATADIR_REL
#error "TPP_DATADIR_REL (the data folder relative to the binary's folder) comes from CMake"
#endif

#define PATH_LEN 1024 /* callers append "/rules/NAME.json" into buffers of about 1100 */

enum origin { FROM_EXE, FROM_ENV, FROM_BUILD_TREE };
static const char *const origin_name[] = {"next to the executable", "TPPBENCH_PROFILES",
                                          "build tree"};

static struct {
  char buf[TPP_PROFILE_DIRS_MAX][PATH_LEN];
  enum origin origin[TPP_PROFILE_DIRS_MAX];
  const char *dirs[TPP_PROFILE_DIRS_MAX + 1];
  char exe_dir[PATH_LEN]; /* "" when /proc/self/exe cannot be read */
  int marker;             /* a build-tree marker sits next to the executable */
} st;
static pthread_once_t once = PTHREAD_ONCE_INIT;

/* The directory holding the running executable (symbolic links resolved, so a link in
 * /usr/local/bin to /opt/tppbench/bin/tppbench finds /opt/tppbench/share). */
static int
exe_dir(char *buf, size_t len)
{
  ssize_t n = readlink("/proc/self/exe", buf, len - 1);
  char *slash;
  if (n <= 0 || (size_t)n >= len - 1)
    return -1;
  buf[n] = '\0';
  if ((slash = strrchr(buf, '/')) == NULL)
    return -1;
  *slash = '\0';
  return 0;
}

/* dir joined with rel, each leading "../" of rel taken off dir ("/usr/bin" + "../share/x" ->
 * "/usr/share/x"), so messages show the folder a user would look in.  0, or -1 when the
 * result does not fit. */
static int
join(char *out, size_t len, const char *dir, const char *rel)
{
  char tmp[PATH_LEN];
  char *slash;
  int n;

  if (snprintf(tmp, sizeof(tmp), "%s", dir) >= (int)sizeof(tmp))
    return -1;
  while (strncmp(rel, "../", 3) == 0 && (slash = strrchr(tmp, '/')) != NULL && slash != tmp &&
         strcmp(slash, "/..") != 0) {
    *slash = '\0';
    rel += 3;
  }
  n = snprintf(out, len, "%s/%s", tmp, rel);
  return n < 0 || (size_t)n >= len ? -1 : 0;
}

/* The first line of the build-tree marker next to the executable, or -1 when there is none. */
static int
read_marker(const char *dir, char *out, size_t len)
{
  char path[PATH_LEN + 32];
  FILE *f;
  int ok;

  snprintf(path, sizeof(path), "%s/%s", dir, TPP_BUILD_TREE_MARKER);
  if ((f = fopen(path, "r")) == NULL)
    return -1;
  ok = fgets(out, (int)len, f) != NULL;
  fclose(f);
  if (!ok)
    return -1;
  out[strcspn(out, "\r\n")] = '\0';
  return out[0] == '/' ? 0 : -1; /* CMake writes an absolute path */
}

static void
compute(void)
{
  const char *env = getenv("TPPBENCH_PROFILES");
  char marker[PATH_LEN];
  int n = 0;

  if (exe_dir(st.exe_dir, sizeof(st.exe_dir)) != 0)
    st.exe_dir[0] = '\0';
  if (st.exe_dir[0] && join(st.buf[n], PATH_LEN, st.exe_dir, TPP_DATADIR_REL) == 0)
    st.origin[n++] = FROM_EXE;
  if (env && *env && snprintf(st.buf[n], PATH_LEN, "%s", env) < PATH_LEN)
    st.origin[n++] = FROM_ENV;
  if (st.exe_dir[0] && read_marker(st.exe_dir, marker, sizeof(marker)) == 0) {
    st.marker = 1;
    if (snprintf(st.buf[n], PATH_LEN, "%s", marker) < PATH_LEN)
      st.origin[n++] = FROM_BUILD_TREE;
  }
  for (int i = 0; i < n; i++)
    st.dirs[i] = st.buf[i];
  st.dirs[n] = NULL;
}

const char *const *
tpp_profile_dirs(void)
{
  pthread_once(&once, compute);
  return st.dirs;
}

static int
is_dir(const char *dir, const char *sub)
{
  char path[PATH_LEN + 32];
  struct stat sb;
  snprintf(path, sizeof(path), "%s%s%s", dir, sub ? "/" : "", sub ? sub : "");
  return stat(path, &sb) == 0 && S_ISDIR(sb.st_mode);
}

int
tpp_profile_dir_in_use(const char **dir, const char **how)
{
  const char *const *d = tpp_profile_dirs();
  for (int i = 0; d[i]; i++) {
    if (is_dir(d[i], "devices")) {
      *dir = d[i];
      *how = origin_name[st.origin[i]];
      return 0;
    }
  }
  *dir = *how = NULL;
  return TPP_ENOENT;
}

void
tpp_profile_dirs_explain(char *buf, size_t len)
{
  const char *const *d = tpp_profile_dirs();
  const char *env = getenv("TPPBENCH_PROFILES");
  size_t used = 0;
  int have_exe = 0;

#define APPEND(...)                                           \
  do {                                                        \
    if (used < len) {                                         \
      int n_ = snprintf(buf + used, len - used, __VA_ARGS__); \
      used += n_ > 0 ? (size_t)n_ : 0;                        \
    }                                                         \
  } while (0)
  if (len == 0)
    return;
  buf[0] = '\0';
  APPEND("data folders searched, in order (each holds rules/ and devices/):\n");
  for (int i = 0; d[i]; i++) {
    have_exe |= st.origin[i] == FROM_EXE;
    APPEND("  %s (%s): %s\n", d[i], origin_name[st.origin[i]],
           !is_dir(d[i], NULL)        ? "missing"
           : !is_dir(d[i], "devices") ? "no devices/ folder"
                                      : "present");
  }
  if (!have_exe)
    APPEND("  (the executable's own folder could not be read from /proc/self/exe)\n");
  if (!env || !*env)
    APPEND("  TPPBENCH_PROFILES: not set\n");
  if (!st.marker)
    APPEND("  no source tree: this binary is not in a build tree\n");
  APPEND("Install the data with the binary (`cmake --install`, or the .deb), or\n"
         "set TPPBENCH_PROFILES to a folder laid out like the source tree's profiles/\n"
         "(see \"environment\" in `tppbench --help`).");
#undef APPEND
}
