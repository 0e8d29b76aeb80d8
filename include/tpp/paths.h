/* paths.h - where tppbench finds its data files (rule sets, rate tables). */
#ifndef TPP_PATHS_H
#define TPP_PATHS_H

#define TPP_PROFILE_DIRS_MAX 3

/* Directories holding profiles/ content, most specific first (NULL-terminated, at most
 * TPP_PROFILE_DIRS_MAX):
 * $TPPBENCH_PROFILES if set, the source tree's profiles/ (running from a build), and the
 * installed share/tppbench.  Subfolders (rules/) are below each. */
const char *const *tpp_profile_dirs(void);

#endif
