/* testutil.h - small helpers shared by the Check test programs. */
#ifndef TPP_TESTUTIL_H
#define TPP_TESTUTIL_H

#include <check.h>
#include <stddef.h>

/* Run one suite with CK_NORMAL output; returns the process exit status (0 or 1). */
int tpp_test_run(Suite *s);

/* Read a whole file into a malloc'd NUL-terminated string, or NULL. */
char *tpp_test_slurp(const char *path);

/* Run a command line through /bin/sh; returns its exit status (or -1) and captures up to
 * len-1 bytes of combined stdout+stderr into out (may be NULL). */
int tpp_test_sh(const char *cmd, char *out, size_t len);

/* A fresh empty directory under $TMPDIR (or /tmp); path written into buf. */
void tpp_test_tmpdir(char *buf, size_t len);

#endif
