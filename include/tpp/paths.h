/* paths.h - where tppbench finds its data files (rule sets, device profiles, rate tables).
 *
 * The search order, most specific first:
 *   1. <directory of the executable>/TPP_DATADIR_REL (../share/tppbench): the data that
 *      `cmake --install` and the .deb put next to the binary, wherever the prefix is;
 *   2. $TPPBENCH_PROFILES, when set: a folder laid out like the source tree's profiles/;
 *   3. for a binary in its build tree only, the source tree's profiles/: CMake writes the
 *      marker file TPP_BUILD_TREE_MARKER next to the binaries it builds, holding that path.
 *      An installed binary has no marker, so it never reads a source tree. */
#ifndef TPP_PATHS_H
#define TPP_PATHS_H

#include <stddef.h>

#define TPP_PROFILE_DIRS_MAX 3
#define TPP_BUILD_TREE_MARKER "tppbench-build-tree"

/* The data directories in search order (NULL-terminated, at most TPP_PROFILE_DIRS_MAX),
 * whether or not they exist.  Subfolders (rules/, devices/) are below each.  Computed once;
 * safe to call from any thread. */
const char *const *tpp_profile_dirs(void);

/* The directory the device profiles come from (the first with a devices/ folder) and how it
 * was found ("next to the executable", "TPPBENCH_PROFILES", "build tree"); 0, or TPP_ENOENT
 * when none has one. */
int tpp_profile_dir_in_use(const char **dir, const char **how);

/* A few lines saying where data is looked for and what was found there, and what
 * TPPBENCH_PROFILES is: for the errors that report missing data. */
void tpp_profile_dirs_explain(char *buf, size_t len);

#endif
