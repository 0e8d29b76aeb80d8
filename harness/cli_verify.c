/* cli_verify.c - `tppbench verify --declared NAME RESULT.json`: does the hardware match the
 * product it was declared as?  Exit 0 consistent, 1 not, 3 borderline or inconclusive, 2 bad
 * input; --device all: every device, and the node's verdict, the worst of them. */
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

/* Severity of a verdict for a node, so a worse one never hides behind a better one:
 * consistent < borderline, inconclusive (or not checked) < inconsistent. */
static int
severity(enum tpp_verdict v)
{
  return v == TPP_VERDICT_CONSISTENT ? 0 : v == TPP_VERDICT_INCONSISTENT ? 2 : 1;
}

struct verify_ctx {
  const char *file;
  struct tpp_result *r;
  const struct tpp_profile *declared;
  struct tpp_profile_set *set;
  struct tpp_ruleset *rules;
  const struct tpp_verify_opts *vo;
  struct tpp_cli_trust *trust;
  int json;
  json_t *out; /* --device all --json: the devices' objects */
};

/* Verify one device: print (or collect) its verdict; its exit status, and *verdict. */
static int
verify_one(struct verify_ctx *x, struct tpp_device_result *d, enum tpp_verdict *verdict)
{
  struct tpp_verification *v = calloc(1, sizeof(*v));
  struct tpp_claims claims;
  int err, status;

  *verdict = TPP_VERDICT_INCONCLUSIVE;
  if (!v)
    return tpp_cli_fail(TPP_ENOMEM, NULL);
  /* What the file claims beyond its rows: shown; the class is judged on the declared die. */
  tpp_claims_check(d, x->set->n ? x->set : NULL, -1, &claims);
  if ((err = tpp_device_result_classify(d, x->rules)) != 0) {
    fprintf(stderr, "tppbench: %s: %s (%s): %s\n", x->file, d->info.selector, d->info.name,
            d->cls.reason);
    status = tpp_exit_status(err);
    goto out;
  }
  if ((err = tpp_verify(d, x->declared, x->rules, x->vo, v)) != 0) {
    fprintf(stderr, "tppbench: %s: %s (%s): cannot be compared with --declared %s under %s: %s\n",
            x->file, d->info.selector, d->info.name, x->declared->id, x->rules->id,
            err == TPP_EINVAL ? "the declared figures cannot be classified" : tpp_strerror(err));
    status = tpp_exit_status(err);
    goto out;
  }
  if (x->json) {
    json_t *o = tpp_verification_to_json(v);
    int bad = !o;
    if (o) {
      bad |= json_object_set_new(o, "device",
                                 json_pack("{s:s, s:s, s:s}", "file", x->file, "selector",
                                           d->info.selector, "name", d->info.name)) != 0;
      bad |= json_object_set_new(o, "rules", json_string(x->rules->id)) != 0;
      bad |= json_object_set_new(o, "claims", tpp_claims_to_json(&claims, d->datacenter)) != 0;
      bad |= json_object_set_new(o, "advisories", tpp_profile_advisories_json(x->declared)) != 0;
      if (x->r->incomplete)
        bad |= json_object_set_new(o, "incomplete_reason", json_string(x->r->incomplete_reason)) !=
               0;
    }
    if (x->out && !bad) {
      if (json_array_append_new(x->out, o) != 0) {
        status = tpp_cli_fail(TPP_ENOMEM, NULL);
        goto out;
      }
    } else if (x->out) {
      json_decref(o);
      status = tpp_cli_print_json(NULL, 1, "verify --json");
      goto out;
    } else {
      tpp_cli_trust_to_json(x->trust, o);
      if (tpp_cli_print_json(o, bad, "verify --json") != 0) {
        status = 1;
        goto out;
      }
    }
  } else {
    printf("%s: %s (%s)\n", x->file, d->info.name, d->info.selector);
    if (x->r->incomplete)
      printf("INCOMPLETE  %s: the rows the run did not reach are unknown (inconclusive)\n",
             x->r->incomplete_reason);
    tpp_claims_print(&claims, d->datacenter, stdout);
    if (claims.die_area_user || claims.datacenter_user || claims.disputed)
      printf("            (the class is judged on the declared product's die area and "
             "datacenter flag, not the file's)\n");
    tpp_verification_print(v, stdout);
    tpp_profile_advisories_print(x->declared, stdout);
  }
  *verdict = v->verdict;
  status = tpp_verdict_exit_status(v->verdict);
out:
  tpp_verification_free(v);
  free(v);
  return status;
}

/* Every device of the result, then the node's verdict: the worst.  Exit status: 2 when a
 * device could not be verified for bad input, else that of the worst verdict. */
static int
verify_all(struct verify_ctx *x)
{
  enum tpp_verdict node = TPP_VERDICT_CONSISTENT, v;
  size_t count[TPP_VERDICT_COUNT] = {0};
  int bad = 0, failed = 0;
  if (x->json)
    x->out = json_array();
  else
    tpp_cli_trust_print(x->trust, stdout);
  for (size_t i = 0; i < x->r->n_devices; i++) {
    int st;
    if (!x->json && i)
      putchar('\n');
    st = verify_one(x, &x->r->devices[i], &v);
    bad |= st == 2;
    failed |= st != tpp_verdict_exit_status(v);
    count[v]++;
    if (severity(v) > severity(node))
      node = v;
  }
  if (failed && severity(node) < 1)
    node = TPP_VERDICT_INCONCLUSIVE; /* a device that could not be verified is no match */
  if (x->json) {
    json_t *o = json_pack("{s:s, s:o, s:{s:s, s:I, s:I, s:I, s:I}}", "file", x->file, "devices",
                          x->out, "node", "verdict", tpp_verdict_name(node), "devices",
                          (json_int_t)x->r->n_devices, "consistent",
                          (json_int_t)count[TPP_VERDICT_CONSISTENT], "inconsistent",
                          (json_int_t)count[TPP_VERDICT_INCONSISTENT], "borderline",
                          (json_int_t)count[TPP_VERDICT_BORDERLINE]);
    int incomplete = !o;
    if (o && x->r->incomplete)
      incomplete |= json_object_set_new(o, "incomplete_reason",
                                        json_string(x->r->incomplete_reason)) != 0;
    if (o)
      tpp_cli_trust_to_json(x->trust, o);
    if (tpp_cli_print_json(o, incomplete, "verify --device all --json") != 0)
      return 1;
  } else {
    printf("\nnode        %s: %zu device%s as declared %s: %zu consistent, %zu inconsistent, "
           "%zu borderline, %zu inconclusive%s\n",
           tpp_verdict_name(node), x->r->n_devices, x->r->n_devices == 1 ? "" : "s",
           x->declared->id, count[TPP_VERDICT_CONSISTENT], count[TPP_VERDICT_INCONSISTENT],
           count[TPP_VERDICT_BORDERLINE],
           count[TPP_VERDICT_INCONCLUSIVE] + count[TPP_VERDICT_NOT_CHECKED],
           failed ? " (a device could not be verified: see above)" : "");
  }
  return bad ? 2 : tpp_verdict_exit_status(node);
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
  struct tpp_diag diag = {0};
  struct tpp_cli_reading reading = {0};
  struct tpp_cli_trust trust = {0};
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
      (status = tpp_cli_refuse_simulated(&r, file, "verify")) != 0)
    goto out;
  {
    struct verify_ctx x = {.file = file,
                           .r = &r,
                           .declared = declared,
                           .set = &set,
                           .rules = &rules,
                           .vo = &vo,
                           .trust = &trust,
                           .json = json};
    enum tpp_verdict verdict;
    if (device_sel && strcmp(device_sel, "all") == 0 && r.n_devices > 0) {
      status = verify_all(&x);
      goto out;
    }
    if ((status = tpp_cli_pick_result_device(&r, file, device_sel, &d)) != 0)
      goto out;
    if (!json)
      tpp_cli_trust_print(&trust, stdout);
    status = verify_one(&x, d, &verdict);
  }
out:
  tpp_result_free(&r);
  tpp_profile_set_free(&set);
  tpp_cli_trust_free(&trust);
  return status;
}
