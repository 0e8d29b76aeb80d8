/* cli_verify.c - `tppbench verify --declared NAME RESULT.json`: does the hardware match the
 * product it was declared as?  Exit 0 consistent, 1 not, 3 borderline or inconclusive, 2 bad
 * input. */
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "tpp/claims.h"
#include "tpp/verify.h"

/* A fraction option: a number in (0, limit]. */
static int
parse_fraction(const char *opt, const char *text, double limit, double *out, struct tpp_diag *diag)
{
  int err = tpp_cli_parse_positive(opt, text, out, diag);
  if (err)
    return err;
  if (*out > limit)
    return tpp_diag_set(diag, TPP_EINVAL, NULL, 0, opt, "expected a number in (0, %g], got \"%s\"",
                        limit, text);
  return 0;
}

int
tpp_cli_verify(int argc, char **argv)
{
  enum { OPT_DECLARED = 256, OPT_RULES, OPT_MIN, OPT_TOL, OPT_TRUST };
  static const struct option longopts[] = {
      {.name = "declared",     .has_arg = required_argument, .val = OPT_DECLARED},
      {.name = "rules",   .has_arg = required_argument, .val = OPT_RULES},
      {.name = "min-fraction",        .has_arg = required_argument, .val = OPT_MIN},
      {.name = "tolerance",      .has_arg = required_argument, .val = OPT_TOL},
      TPP_CLI_READING_OPTIONS,
      {.name = "trust", .has_arg = required_argument, .val = OPT_TRUST},
      {.name = "device",        .has_arg = required_argument, .val = 'd'},
      {.name = "json",    .has_arg = no_argument, .val = 'j'},
      {.name = "help",        .has_arg = no_argument, .val = 'h'},
      {0       },
  };
  const char *declared_name = NULL, *rules_name = NULL, *device_sel = NULL, *file;
  struct tpp_verify_opts vo;
  struct tpp_ruleset rules;
  struct tpp_profile_set set = {0};
  struct tpp_profile own;
  const struct tpp_profile *declared;
  struct tpp_result r;
  struct tpp_device_result *d;
  struct tpp_verification *v = NULL;
  struct tpp_diag diag = {0};
  struct tpp_cli_reading reading = {0};
  struct tpp_cli_trust trust = {0};
  struct tpp_claims claims;
  int json = 0, c, err, status;

  tpp_verify_defaults(&vo);
  tpp_cli_getopt_reset();
  while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
    switch (c) {
    case OPT_DECLARED:
      declared_name = optarg;
      break;
    case OPT_RULES:
      rules_name = optarg;
      break;
    case OPT_MIN:
      if ((err = parse_fraction("--min-fraction", optarg, 1, &vo.min_fraction, &diag)))
        return tpp_cli_fail(err, &diag);
      break;
    case OPT_TOL:
      if ((err = parse_fraction("--tolerance", optarg, 1, &vo.tolerance, &diag)))
        return tpp_cli_fail(err, &diag);
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
    case 'd':
      device_sel = optarg;
      break;
    case 'j':
      json = 1;
      break;
    case 'h':
      tpp_cli_usage(stdout, "verify");
      return 0;
    default:
      tpp_cli_usage(stderr, "verify");
      return 2;
    }
  }
  if (!declared_name || argc - optind != 1) {
    fprintf(stderr, "tppbench verify: give --declared NAME and one RESULT.json\n\n");
    tpp_cli_usage(stderr, "verify");
    return 2;
  }
  file = argv[optind];
  if ((err = tpp_cli_load_rules(rules_name, &rules, &diag)) ||
      (err = tpp_cli_choose_reading(&rules, &reading, &diag)))
    return tpp_cli_fail(err, &diag);
  if ((err = tpp_cli_load_profiles(&set, &diag)) && !strchr(declared_name, '/'))
    return tpp_cli_fail(err, &diag);
  if ((err = tpp_cli_pick_profile(&set, declared_name, &own, &declared, "--declared", &diag))) {
    tpp_profile_set_free(&set);
    return tpp_cli_fail(err, &diag);
  }
  /* Read once: the signature (with --trust) is checked over the bytes that are parsed. */
  if ((status = tpp_cli_trust_load_result(&trust, file, &rules, &r)) != 0 ||
      (status = tpp_cli_refuse_simulated(&r, file, "verify")) != 0 ||
      (status = tpp_cli_pick_result_device(&r, file, device_sel, &d)) != 0)
    goto out;
  /* What the file claims beyond its rows: shown; the class is judged on the declared die. */
  tpp_claims_check(d, set.n ? &set : NULL, -1, &claims);
  if (!(v = calloc(1, sizeof(*v)))) {
    status = tpp_cli_fail(TPP_ENOMEM, NULL);
    goto out;
  }
  if ((err = tpp_device_result_classify(d, &rules)) != 0) {
    fprintf(stderr, "tppbench: %s: %s (%s): %s\n", file, d->info.selector, d->info.name,
            d->cls.reason);
    status = tpp_exit_status(err);
    goto out;
  }
  if ((err = tpp_verify(d, declared, &rules, &vo, v)) != 0) {
    fprintf(stderr, "tppbench: %s: %s (%s): cannot be compared with --declared %s under %s: %s\n",
            file, d->info.selector, d->info.name, declared->id, rules.id,
            err == TPP_EINVAL ? "the declared figures cannot be classified" : tpp_strerror(err));
    status = tpp_exit_status(err);
    goto out;
  }
  if (json) {
    json_t *o = tpp_verification_to_json(v);
    int bad = !o;
    if (o) {
      bad |= json_object_set_new(o, "device",
                                 json_pack("{s:s, s:s, s:s}", "file", file, "selector",
                                           d->info.selector, "name", d->info.name)) != 0;
      bad |= json_object_set_new(o, "rules", json_string(rules.id)) != 0;
      bad |= json_object_set_new(o, "claims", tpp_claims_to_json(&claims, d->datacenter)) != 0;
      bad |= json_object_set_new(o, "advisories", tpp_profile_advisories_json(declared)) != 0;
      tpp_cli_trust_to_json(&trust, o);
    }
    if (tpp_cli_print_json(o, bad, "verify --json") != 0) {
      status = 1;
      goto out;
    }
  } else {
    tpp_cli_trust_print(&trust, stdout);
    printf("%s: %s (%s)\n", file, d->info.name, d->info.selector);
    tpp_claims_print(&claims, d->datacenter, stdout);
    if (claims.die_area_user || claims.datacenter_user || claims.disputed)
      printf("            (the class is judged on the declared product's die area and "
             "datacenter flag, not the file's)\n");
    tpp_verification_print(v, stdout);
    tpp_profile_advisories_print(declared, stdout);
  }
  status = tpp_verdict_exit_status(v->verdict);
out:
  tpp_verification_free(v);
  free(v);
  tpp_result_free(&r);
  tpp_profile_set_free(&set);
  tpp_cli_trust_free(&trust);
  return status;
}
