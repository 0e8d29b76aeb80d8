/* paths.h - where tppbench finds its data files (rule sets, rate tables). */
#ifndef TPP_PATHS_H
#define TPP_PATHS_H

/* Directories holding profiles/ content, most specific first (NULL-terminated):
 * $TPPBENCH_PROFILES if set, the source tree's profiles/ (running from a build), and the
 * installed share/tppbench.  Subfolders (rules/) are below each. */
const char *const *tpp_profile_dirs(void);

/* The same list with "/<sub>" appended to each entry (e.g. "rules"). */
const char *const *tpp_profile_subdirs(const char *sub);

#endif
