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

struct tpp_device_result;
struct tpp_result;

/* A synthetic measured device (what a GPU run would produce), for tests that cannot run
 * a GPU: identity, then rows added with tpp_test_synth_row.  d is zeroed memory or an
 * earlier device (whose rows are freed). */
void tpp_test_synth_device(struct tpp_device_result *d, const char *name, unsigned pci_vendor,
                           unsigned pci_device, int compute_units, double memory_gib);
/* An ok, verified row at `tops` (median) with samples spread +-spread (fraction), measured at
 * clock_mhz. */
void tpp_test_synth_row(struct tpp_device_result *d, int precision, int path, double tops,
                        double spread, double clock_mhz);
/* An ok bandwidth row. */
void tpp_test_synth_bw(struct tpp_device_result *d, const char *kind, double gbs, double spread);
/* Write a result holding copies of devs[0..n) to path; 0 or an error. */
int tpp_test_write_result(const char *path, const struct tpp_device_result *devs, size_t n);

#endif
