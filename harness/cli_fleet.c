/* cli_fleet.c - `tppbench fleet RESULT.json|DIR|-...`: totals per zone and clause, and the
 * counted TPP against the rule set's accounting quantities.  Exit 0 all fit, 1 any
 * exceeded, 3 undetermined or incomplete (--keep-going left a bad file out), 2 bad input. */
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "tpp/fleet.h"
#include "tpp/fleet_format.h"
#include "tpp/fleet_inputs.h"

#define FLEET_DEFAULT_RULES "ai-diffusion-2025"

int
tpp_cli_fleet(int argc, char **argv)
{
  enum { OPT_RULES = 256, OPT_BASIS, OPT_TRUST, OPT_FORMAT, OPT_FILES_FROM, OPT_KEEP_GOING };
  static const struct option longopts[] = {
      {.name = "rules",      .has_arg = required_argument, .val = OPT_RULES},
      {.name = "basis",    .has_arg = required_argument, .val = OPT_BASIS},
      TPP_CLI_READING_OPTIONS,
      {.name = "trust",      .has_arg = required_argument, .val = OPT_TRUST},
      {.name = "format",    .has_arg = required_argument, .val = OPT_FORMAT},
      {.name = "files-from",      .has_arg = required_argument, .val = OPT_FILES_FROM},
      {.name = "keep-going",    .has_arg = no_argument, .val = OPT_KEEP_GOING},
      {.name = "json",     .has_arg = no_argument, .val = 'j'},
      {.name = "help",   .has_arg = no_argument, .val = 'h'},
      {0},
  };
  const char *rules_name = FLEET_DEFAULT_RULES;
  enum tpp_fleet_basis basis = TPP_FLEET_RULE;
  struct tpp_ruleset rules;
  struct tpp_profile_set set = {0};
  struct tpp_fleet fleet;
  struct tpp_diag diag = {0};
  struct tpp_cli_reading reading = {0};
  struct tpp_cli_trust trust = {0};
  enum tpp_fleet_format_kind format = TPP_FLEET_FORMAT_TEXT;
  struct tpp_fleet_inputs inputs = {0};
  struct tpp_fleet_load load = {.log = stderr};
  const char *lists[16];
  size_t n_lists = 0;
  int json = 0, c, err, status = 0;

  tpp_cli_getopt_reset();
  while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
    switch (c) {
    case OPT_RULES:
      rules_name = optarg;
      break;
    case OPT_BASIS:
      if (tpp_fleet_basis_parse(optarg, &basis) != 0) {
        fprintf(stderr, "tppbench: --basis: expected rule, measured or declared, got \"%s\"\n",
                optarg);
        return 2;
      }
      break;
    case TPP_CLI_OPT_TPP_READING:
    case TPP_CLI_OPT_TF32_BITS:
      if ((err = tpp_cli_parse_reading(c, optarg, &reading, &diag)))
        return tpp_cli_fail(err, &diag);
      break;
    case OPT_TRUST:
      if ((status = tpp_cli_trust_add(&trust, optarg)))
        return status;
      break;
    case OPT_FORMAT:
      if (tpp_fleet_format_parse(optarg, &format) != 0) {
        fprintf(stderr, "tppbench: --format: expected text, csv, md or html, got \"%s\"\n", optarg);
        return 2;
      }
      break;
    case OPT_FILES_FROM:
      if (n_lists == sizeof(lists) / sizeof(lists[0])) {
        fprintf(stderr, "tppbench: --files-from: at most %zu lists\n", n_lists);
        return 2;
      }
      lists[n_lists++] = optarg;
      break;
    case OPT_KEEP_GOING:
      load.keep_going = 1;
      break;
    case 'j':
      json = 1;
      break;
    case 'h':
      tpp_cli_usage(stdout, "fleet");
      return 0;
    default:
      tpp_cli_usage(stderr, "fleet");
      return 2;
    }
  }
  if (json && format != TPP_FLEET_FORMAT_TEXT) {
    fprintf(stderr, "tppbench fleet: --json and --format contradict: give one\n");
    return 2;
  }
  if (optind >= argc && n_lists == 0) {
    fprintf(stderr, "tppbench fleet: give result files, directories, - or --files-from\n\n");
    tpp_cli_usage(stderr, "fleet");
    return 2;
  }
  if ((err = tpp_cli_load_rules(rules_name, &rules, &diag)) ||
      (err = tpp_cli_choose_reading(&rules, &reading, &diag)))
    return tpp_cli_fail(err, &diag);
  if ((err = tpp_cli_load_profiles(&set, &diag)))
    return tpp_cli_fail(err, &diag);
  tpp_fleet_init(&fleet, &rules, basis);
  if ((status = tpp_cli_trust_ready(&trust)))
    goto out;
  /* The inputs in the order given: arguments, then the lists of --files-from. */
  for (int i = optind; i < argc && err == 0; i++)
    err = strcmp(argv[i], "-") == 0 ? tpp_fleet_inputs_add_list(&inputs, "-", stderr, &diag)
                                    : tpp_fleet_inputs_add(&inputs, argv[i], stderr);
  for (size_t i = 0; i < n_lists && err == 0; i++)
    err = tpp_fleet_inputs_add_list(&inputs, lists[i], stderr, &diag);
  if (err) {
    status = tpp_cli_fail(err, &diag);
    goto out;
  }
  /* Every file is read before anything is printed: without --keep-going one bad file fails
   * the whole total (its message is on stderr). */
  load.profiles = &set;
  load.allow_simulated = tpp_cli_allow_simulated();
  if (trust.n_args) {
    load.check = tpp_cli_trust_sig;
    load.accepted = tpp_cli_trust_record;
    load.check_arg = &trust;
  }
  if ((err = tpp_fleet_load(&fleet, &inputs, &load))) {
    status = tpp_exit_status(err);
    goto out;
  }
  if (fleet.n_results == 0 && fleet.n_not_read == 0) {
    /* An empty directory or list totals nothing: never a "fits". */
    fprintf(stderr, "tppbench: fleet: no tppbench result among the inputs (%zu skipped)\n",
            fleet.n_skipped);
    status = 2;
    goto out;
  }
  if (json) {
    json_t *o = tpp_fleet_to_json(&fleet);
    if (o)
      tpp_cli_trust_to_json(&trust, o);
    if (tpp_cli_print_json(o, 0, "fleet --json") != 0) {
      status = 1;
      goto out;
    }
  } else if (format != TPP_FLEET_FORMAT_TEXT) {
    if ((err = tpp_fleet_format_write(&fleet, format, stdout))) {
      status = tpp_cli_fail(err, NULL);
      goto out;
    }
  } else {
    tpp_cli_trust_print(&trust, stdout);
    tpp_fleet_print(&fleet, stdout);
  }
  /* A total without some files is never a verdict to act on: 3, as undetermined. */
  status = fleet.n_not_read ? 3 : tpp_fleet_verdict_exit_status(tpp_fleet_result(&fleet));
out:
  tpp_fleet_inputs_free(&inputs);
  tpp_fleet_free(&fleet);
  tpp_profile_set_free(&set);
  tpp_cli_trust_free(&trust);
  return status;
}
