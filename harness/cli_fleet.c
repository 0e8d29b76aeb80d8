/* cli_fleet.c - `tppbench fleet RESULT.json...`: totals per zone and clause, and the
 * counted TPP against the rule set's accounting quantities.  Exit 0 all fit, 1 any
 * exceeded, 3 undetermined, 2 bad input. */
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "tpp/fleet.h"

#define FLEET_DEFAULT_RULES "ai-diffusion-2025"

int
tpp_cli_fleet(int argc, char **argv)
{
  enum { OPT_RULES = 256, OPT_BASIS, OPT_TRUST };
  static const struct option longopts[] = {
      {.name = "rules",   .has_arg = required_argument, .val = OPT_RULES},
      {.name = "basis", .has_arg = required_argument, .val = OPT_BASIS},
      TPP_CLI_READING_OPTIONS,
      {.name = "trust",   .has_arg = required_argument, .val = OPT_TRUST},
      {.name = "json", .has_arg = no_argument, .val = 'j'},
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
  if (optind >= argc) {
    fprintf(stderr, "tppbench fleet: give one or more RESULT.json files\n\n");
    tpp_cli_usage(stderr, "fleet");
    return 2;
  }
  if ((err = tpp_cli_load_rules(rules_name, &rules, &diag)) ||
      (err = tpp_cli_choose_reading(&rules, &reading, &diag)))
    return tpp_cli_fail(err, &diag);
  if ((err = tpp_cli_load_profiles(&set, &diag)))
    return tpp_cli_fail(err, &diag);
  tpp_fleet_init(&fleet, &rules, basis);
  /* Every file is read before anything is printed: one bad file fails the whole total. */
  for (int i = optind; i < argc; i++) {
    struct tpp_result r;
    size_t dups = fleet.n_dups;
    if ((status = tpp_cli_trust_check(&trust, argv[i])))
      goto out;
    if ((err = tpp_result_load_checked(argv[i], &rules, &r, &diag))) {
      status = tpp_cli_fail(err, &diag);
      goto out;
    }
    if ((status = tpp_cli_refuse_simulated(&r, argv[i], "fleet")) != 0) {
      tpp_result_free(&r);
      goto out;
    }
    err = tpp_fleet_add(&fleet, argv[i], &r, &set);
    if (err) {
      fprintf(stderr, "tppbench: %s: %s\n", argv[i], fleet.why[0] ? fleet.why : tpp_strerror(err));
      status = tpp_exit_status(err);
      tpp_result_free(&r);
      goto out;
    }
    tpp_result_free(&r);
    for (; dups < fleet.n_dups; dups++)
      fprintf(stderr,
              "tppbench: warning: %s: %s is the device already counted from %s (%s); "
              "counted once\n",
              fleet.dups[dups].again, fleet.dups[dups].name, fleet.dups[dups].first,
              fleet.dups[dups].key);
  }
  if (json) {
    json_t *o = tpp_fleet_to_json(&fleet);
    if (o)
      tpp_cli_trust_to_json(&trust, o);
    if (!o || json_dumpf(o, stdout, JSON_INDENT(2)) != 0) {
      json_decref(o);
      fprintf(stderr, "tppbench: fleet: the JSON totals could not be built or written\n");
      status = 1;
      goto out;
    }
    putchar('\n');
    json_decref(o);
  } else {
    tpp_cli_trust_print(&trust, stdout);
    tpp_fleet_print(&fleet, stdout);
  }
  status = tpp_fleet_verdict_exit_status(tpp_fleet_result(&fleet));
out:
  tpp_fleet_free(&fleet);
  tpp_profile_set_free(&set);
  tpp_cli_trust_free(&trust);
  return status;
}
