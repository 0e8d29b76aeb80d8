/* cli.h - the tppbench command line: one function per command, shared helpers. */
#ifndef TPP_CLI_H
#define TPP_CLI_H

#include <jansson.h>
#include <stdio.h>

#include "tpp/error.h"
#include "tpp/rules.h"

/* What main() knows that the commands record (a result's provenance): the program name as
 * invoked and `git describe` of the source it was built from.  Set once by main() before a
 * command runs; "tppbench" and "unknown" otherwise (the fuzz targets). */
extern const char *tpp_cli_argv0;
extern const char *tpp_cli_git_describe;

int tpp_cli_list(int argc, char **argv);
int tpp_cli_run(int argc, char **argv);
int tpp_cli_classify(int argc, char **argv);
int tpp_cli_verify(int argc, char **argv);
int tpp_cli_fleet(int argc, char **argv);
int tpp_cli_keygen(int argc, char **argv);
int tpp_cli_sign(int argc, char **argv);
int tpp_cli_report(int argc, char **argv);

/* Ready getopt_long for a new argument vector.  glibc keeps a position inside the last
 * short-option cluster it scanned beyond optind: optind = 0 (not 1) makes it forget that
 * too, so a command can run many times in one process (the fuzz targets of tests/fuzz). */
void tpp_cli_getopt_reset(void);

/* Print a JSON document to stdout with a newline, and release it (NULL allowed).  A document
 * that could not be built whole (NULL, or `incomplete`: a json_pack or a member that failed
 * to be added) or that could not be written is an error on stderr naming `what`, never an
 * empty or partial answer with exit 0: the exit status 1; else 0. */
int tpp_cli_print_json(json_t *doc, int incomplete, const char *what);

/* Print "tppbench: <diag>" to stderr and return the exit status for err. */
int tpp_cli_fail(int err, const struct tpp_diag *diag);

/* Parse a positive finite number for option `opt`; exit-status-style 0 or TPP_EINVAL with
 * the diag naming the option. */
int tpp_cli_parse_positive(const char *opt, const char *text, double *out, struct tpp_diag *diag);

/* --dies N: 0, or TPP_EINVAL with the diag naming the option. */
int tpp_cli_parse_dies(const char *text, int *out, struct tpp_diag *diag);
/* --die-area with --dies (dies_given: --dies was given): an area a package of that many dies
 * can have (metrics.h), and --dies only with --die-area.  0, or TPP_EINVAL naming the option. */
int tpp_cli_check_die_area(double area, int dies, int dies_given, struct tpp_diag *diag);

/* Load the rule set named by --rules (NULL: the default). */
int tpp_cli_load_rules(const char *name_or_file, struct tpp_ruleset *rs, struct tpp_diag *diag);

/* --tpp-reading highest|aggregate and --tf32-bits N (classify, verify, fleet): what the
 * command line chose, applied to the rule set once it is loaded. */
struct tpp_cli_reading {
  int tpp_given, tf32_given;
  struct tpp_reading r;
};
/* getopt_long values of the two options (above any command's own) and their entries. */
enum { TPP_CLI_OPT_TPP_READING = 0x1000, TPP_CLI_OPT_TF32_BITS };
#define TPP_CLI_READING_OPTIONS                                                          \
  {.name = "tpp-reading", .has_arg = required_argument, .val = TPP_CLI_OPT_TPP_READING}, \
  {                                                                                      \
    .name = "tf32-bits", .has_arg = required_argument, .val = TPP_CLI_OPT_TF32_BITS      \
  }
/* Parse one of them (c is its getopt value); 0 or TPP_EINVAL with the diag naming it. */
int tpp_cli_parse_reading(int c, const char *arg, struct tpp_cli_reading *cr,
                          struct tpp_diag *diag);
/* Make the chosen reading the rule set's (TPP_EINVAL naming the option when the rule set
 * does not admit it). */
int tpp_cli_choose_reading(struct tpp_ruleset *rs, const struct tpp_cli_reading *cr,
                           struct tpp_diag *diag);

struct tpp_profile;
struct tpp_profile_set;

/* Load the device profiles (profiles/devices/, or $TPPBENCH_PROFILES/devices). */
int tpp_cli_load_profiles(struct tpp_profile_set *set, struct tpp_diag *diag);

/* A profile named by id or alias in `set`, or loaded from a file (NAME containing '/' or
 * ending in .json) into *own.  0 and *out, or an error with the diag filled (naming the option
 * `opt`, "--profile" or "--declared", when no profile has that name). */
int tpp_cli_pick_profile(const struct tpp_profile_set *set, const char *name_or_file,
                         struct tpp_profile *own, const struct tpp_profile **out, const char *opt,
                         struct tpp_diag *diag);

struct tpp_result;
struct tpp_device_result;
/* The device of a loaded result that --device SEL picks (SEL NULL: the only one).  0, or
 * the exit status after printing why (1 no device, 2 bad selection). */
int tpp_cli_pick_result_device(struct tpp_result *r, const char *file, const char *sel,
                               struct tpp_device_result **out);

/* verify and fleet take no simulated device (identity "simulated": a test driver of
 * tests/backends/<name>/sim) as evidence: 0, or 2 after naming the file and the device.  The
 * suite's own tests set TPPBENCH_TEST_ALLOW_SIMULATED=1 (tpp_cli_allow_simulated) to pass
 * them. */
int tpp_cli_allow_simulated(void);
int tpp_cli_refuse_simulated(const struct tpp_result *r, const char *file, const char *command);

/* "fp8 tensor (1978.9 x 8 bits)" or, under the aggregate reading, "fp32 vector (44 x 32
 * bits) + int8 tensor (296 x 8 bits)": the figures that set TPP under reading r. */
void tpp_cli_describe_tpp(char *buf, size_t len, const struct tpp_peak *peaks, size_t n,
                          const struct tpp_reading *r);
/* --trust PUBKEY (verify, fleet): the trusted public keys, and the signature each checked
 * file carried.  Without --trust nothing is checked and nothing is added to the output.
 * The keys are read at the first check, so that until then nothing needs freeing. */
#define TPP_CLI_TRUST_MAX 16
struct tpp_pubkey;
struct json_t;
struct tpp_cli_trust {
  const char *arg[TPP_CLI_TRUST_MAX]; /* each --trust: a key file or a base64 key */
  size_t n_args;
  struct tpp_pubkey *keys; /* n_args of them once read */
  struct json_t *checked;  /* [{file, key_id, key, algorithm, trusted_comment, timestamp}] */
};
/* Note one --trust.  0, or the exit status (2, too many) after printing why. */
int tpp_cli_trust_add(struct tpp_cli_trust *t, const char *key);
struct tpp_result;
/* Read the result `file` once into memory; with --trust, FILE.minisig must verify over those
 * bytes with one of the keys; then parse those same bytes (tpp_result_parse_checked under
 * rs).  0, or the exit status (2 for a bad key, signature or file) after printing the file
 * and the reason.  A file swapped on disk after the read changes nothing. */
int tpp_cli_trust_load_result(struct tpp_cli_trust *t, const char *file,
                              const struct tpp_ruleset *rs, struct tpp_result *r);
/* Read the keys now: 0, or the exit status after printing why (a bad --trust). */
int tpp_cli_trust_ready(struct tpp_cli_trust *t);
/* The check itself, for fleet's reader (t: a struct tpp_cli_trust whose keys are read),
 * over the bytes of `file` the caller read and will parse: without printing, safe on any
 * thread: 0 and *who (the signer, for tpp_cli_trust_record, or NULL without --trust), or an
 * error with diag filled.  Then, in the order the files are counted, record who signed (and
 * free who). */
int tpp_cli_trust_sig(void *t, const char *file, const char *bytes, size_t len, void **who,
                      struct tpp_diag *diag);
void tpp_cli_trust_record(void *t, const char *file, void *who);
/* Which key verified each file, and its trusted comment. */
void tpp_cli_trust_print(const struct tpp_cli_trust *t, FILE *f);
/* Add "signatures" (the same) to a JSON object when --trust was given. */
void tpp_cli_trust_to_json(const struct tpp_cli_trust *t, struct json_t *o);
void tpp_cli_trust_free(struct tpp_cli_trust *t);

/* "tppbench COMMAND: bad usage" helpers: print usage for the command to f. */
void tpp_cli_usage(FILE *f, const char *command);

#endif
