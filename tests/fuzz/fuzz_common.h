/* fuzz_common.h - what the libFuzzer targets of tests/fuzz share (see README.md). */
#ifndef TPP_FUZZ_COMMON_H
#define TPP_FUZZ_COMMON_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "tpp/profile.h"
#include "tpp/rules.h"

#define FUZZ_RULE_SETS 4

/* Loaded once by fuzz_init: the shipped rule sets and the fuzz data's device profiles. */
extern struct tpp_ruleset fuzz_rules[FUZZ_RULE_SETS];
extern struct tpp_profile_set fuzz_profiles;
extern FILE *fuzz_null; /* where renderings are written to be exercised */

/* TPPBENCH_PROFILES -> the fuzz data folder, no OpenCL platform, the data loaded.  Aborts
 * when the data cannot be loaded (a broken build, not a finding). */
void fuzz_init(void);

/* A NUL-terminated copy of the input (malloc'd). */
char *fuzz_text(const uint8_t *data, size_t size);

/* Write data to the per-process scratch file numbered `slot` (0..3); its path. */
const char *fuzz_write_file(int slot, const uint8_t *data, size_t size);

/* A finding that is not a crash (a broken invariant): print it and abort, so that libFuzzer
 * keeps the input. */
void fuzz_fail(const char *what) __attribute__((noreturn));

#endif
