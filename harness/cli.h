/* cli.h - the tppbench command line: one function per command, shared helpers. */
#ifndef TPP_CLI_H
#define TPP_CLI_H

#include <stdio.h>

#include "tpp/error.h"
#include "tpp/rules.h"

int tpp_cli_list(int argc, char **argv);
int tpp_cli_run(int argc, char **argv);
int tpp_cli_classify(int argc, char **argv);

/* Print "tppbench: <diag>" to stderr and return the exit status for err. */
int tpp_cli_fail(int err, const struct tpp_diag *diag);

/* Parse a positive finite number for option `opt`; exit-status-style 0 or TPP_EINVAL with
 * the diag naming the option. */
int tpp_cli_parse_positive(const char *opt, const char *text, double *out, struct tpp_diag *diag);

/* Load the rule set named by --rules (NULL: the default). */
int tpp_cli_load_rules(const char *name_or_file, struct tpp_ruleset *rs, struct tpp_diag *diag);

/* "tppbench COMMAND: bad usage" helpers: print usage for the command to f. */
void tpp_cli_usage(FILE *f, const char *command);

#endif
