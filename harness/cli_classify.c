/* cli_classify.c - `tppbench classify`: datasheet peaks, a device profile or a result file
 * -> zone, margins, and what would move the chip to another zone. */
#include <getopt.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "tpp/claims.h"
#include "tpp/explain.h"
#include "tpp/metrics.h"
#include "tpp/profile.h"
#include "tpp/result.h"

#define MAX_PEAKS 32

/* What the user overrides on the command line (NAN / -1: not given). */
struct overrides {
  double die_area, interconnect, dram_bw;
  int datacenter; /* -1 not given */
  int dies;       /* --dies (1 by default) */
};

/* "fp16=989.4" or "fp16:tensor=989.4" -> peak.  TPP_EINVAL with the diag naming --peak. */
static int
parse_peak(const char *arg, struct tpp_peak *peak, struct tpp_diag *diag)
{
  char name[32], *colon;
  const char *eq = strchr(arg, '=');
  size_t n = eq ? (size_t)(eq - arg) : 0;
  int err;

  if (!eq || n == 0 || n >= sizeof(name))
    return tpp_diag_set(diag, TPP_EINVAL, NULL, 0, "--peak",
                        "expected PREC[:UNIT]=TERAOPS (e.g. fp16:tensor=989.4), got \"%s\"", arg);
  memcpy(name, arg, n);
  name[n] = '\0';
  memset(peak, 0, sizeof(*peak));
  if ((colon = strchr(name, ':')) != NULL) {
    *colon = '\0';
    if (tpp_path_parse(colon + 1, &peak->path) != 0)
      return tpp_diag_set(diag, TPP_EINVAL, NULL, 0, "--peak",
                          "unknown unit \"%s\" (vector or tensor)", colon + 1);
    peak->has_path = 1;
  }
  if (tpp_precision_parse(name, &peak->precision) != 0)
    return tpp_diag_set(diag, TPP_EINVAL, NULL, 0, "--peak",
                        "unknown precision \"%s\" (fp64 fp32 tf32 fp16 bf16 fp8 int8 int4 fp4 "
                        "int16 int32)",
                        name);
  if ((err = tpp_cli_parse_positive("--peak", eq + 1, &peak->tops, diag)))
    return err;
  return 0;
}

/* The die area and datacenter flag this command was given: user-supplied in every verdict. */
static void
command_claims(const struct overrides *ov, struct tpp_claims *cl)
{
  if (!isnan(ov->die_area)) {
    cl->die_area_user = 1;
    cl->die_area_dies = ov->dies;
    if (ov->dies > 1)
      snprintf(cl->die_area_source, sizeof(cl->die_area_source),
               "--die-area (%d dies; this command)", ov->dies);
    else
      snprintf(cl->die_area_source, sizeof(cl->die_area_source), "--die-area (this command)");
  }
  if (ov->datacenter >= 0) {
    cl->datacenter_user = 1;
    snprintf(cl->datacenter_source, sizeof(cl->datacenter_source), "%s (this command)",
             ov->datacenter ? "--datacenter" : "--non-datacenter");
  }
}

/* Classify under every reading, explain, print.  `extra` (may be NULL) is merged into the
 * JSON; the claims (what the user or the file supplied, what is disputed) are printed before
 * the verdict and in the JSON's "claims". */
static int
report(const struct tpp_ruleset *rs, const struct tpp_chip_facts *facts,
       const struct tpp_figures *fig, const struct tpp_claims *claims, json_t *extra,
       const char *what, const char *header, int json)
{
  struct tpp_classification cls;
  struct tpp_explanation ex;
  int err;

  if ((err = tpp_classify_figures(rs, facts, fig, &cls)) || (err = tpp_explain(rs, &cls, &ex))) {
    fprintf(stderr, "tppbench: %s: %s under %s: %s\n", what,
            err == TPP_EINVAL ? "cannot be classified" : "classification failed", rs->id,
            err == TPP_EINVAL ? "a die area, TPP, interconnect or DRAM bandwidth that is not a "
                                "positive number, or an aggregate reading of figures whose unit "
                                "is not given"
                              : tpp_strerror(err));
    json_decref(extra);
    return tpp_exit_status(err);
  }
  if (json) {
    json_t *o = tpp_classification_to_json(&cls);
    int bad = !o;
    if (o) {
      bad |= json_object_set_new(o, "explanation", tpp_explanation_to_json(&ex)) != 0;
      bad |= json_object_set_new(o, "claims", tpp_claims_to_json(claims, facts->datacenter != 0)) !=
             0;
      if (extra)
        bad |= json_object_update(o, extra) != 0;
    }
    json_decref(extra);
    return tpp_cli_print_json(o, bad, "classify --json");
  } else {
    fputs(header, stdout);
    tpp_claims_print(claims, facts->datacenter != 0, stdout);
    tpp_classification_print(&cls, stdout);
    tpp_explanation_print(&ex, stdout);
  }
  json_decref(extra);
  return 0;
}

/* {"tpp_precision": "fp8", "tpp_from": [{"precision", "path", "tops", "bits"}]}: the
 * figures that set TPP under the chosen reading (two under the aggregate reading). */
static json_t *
tpp_from_json(const struct tpp_peak *peaks, size_t n, const struct tpp_reading *r)
{
  json_t *from = json_array();
  size_t best[2];
  tpp_tpp_read(peaks, n, r, best);
  for (int k = 0; k < 2; k++)
    if (best[k] < n)
      json_array_append_new(from, json_pack("{s:s, s:o, s:f, s:i}", "precision",
                                            tpp_precision_name(peaks[best[k]].precision), "path",
                                            peaks[best[k]].has_path
                                                ? json_string(tpp_path_name(peaks[best[k]].path))
                                                : json_null(),
                                            "tops", peaks[best[k]].tops, "bits",
                                            tpp_reading_bits(r, peaks[best[k]].precision)));
  return json_pack("{s:o, s:o}", "tpp_precision",
                   best[0] < n ? json_string(tpp_precision_name(peaks[best[0]].precision))
                               : json_null(),
                   "tpp_from", from);
}

static void
apply_overrides(struct tpp_chip_facts *f, const struct overrides *ov)
{
  if (!isnan(ov->die_area))
    f->die_area_mm2 = ov->die_area;
  if (!isnan(ov->interconnect))
    f->interconnect_gbs = ov->interconnect;
  if (!isnan(ov->dram_bw))
    f->dram_bw_gbs = ov->dram_bw;
  if (ov->datacenter >= 0)
    f->datacenter = ov->datacenter;
}

static int
classify_peaks(const struct tpp_ruleset *rs, const struct tpp_peak *peaks, size_t n,
               const struct overrides *ov, int json)
{
  const struct tpp_reading *r = &rs->readings.chosen;
  struct tpp_figures fig = {.peaks = peaks, .n = n};
  struct tpp_chip_facts facts;
  json_t *arr;
  char header[256], from[160];
  double tpp;

  if (isnan(tpp = tpp_tpp_read(peaks, n, r, NULL))) {
    fprintf(stderr, "tppbench: --tpp-reading aggregate: give the unit of every --peak "
                    "(PREC:vector=TERAOPS or PREC:tensor=TERAOPS)\n");
    return 2;
  }
  tpp_chip_facts_init(&facts);
  apply_overrides(&facts, ov);
  arr = json_array();
  for (size_t i = 0; i < n; i++)
    json_array_append_new(
        arr, json_pack("{s:s, s:o, s:f, s:f}", "precision", tpp_precision_name(peaks[i].precision),
                       "path",
                       peaks[i].has_path ? json_string(tpp_path_name(peaks[i].path)) : json_null(),
                       "tops", peaks[i].tops, "bit_tops",
                       peaks[i].tops * tpp_reading_bits(r, peaks[i].precision)));
  tpp_cli_describe_tpp(from, sizeof(from), peaks, n, r);
  snprintf(header, sizeof(header), "TPP %.1f from %s\n", tpp, from);
  {
    json_t *extra = tpp_from_json(peaks, n, r);
    struct tpp_claims claims;
    memset(&claims, 0, sizeof(claims));
    snprintf(claims.die_area_source, sizeof(claims.die_area_source), "unknown");
    snprintf(claims.datacenter_source, sizeof(claims.datacenter_source), "default");
    claims.die_area_dies = 1;
    command_claims(ov, &claims);
    json_object_set_new(extra, "peaks", arr);
    return report(rs, &facts, &fig, &claims, extra, "--peak", header, json);
  }
}

static int
classify_profile(const struct tpp_ruleset *rs, const char *name, const struct overrides *ov,
                 int json)
{
  struct tpp_profile_set set = {0};
  struct tpp_profile own;
  const struct tpp_profile *p;
  struct tpp_chip_facts facts;
  struct tpp_diag diag = {0};
  struct tpp_peak peaks[TPP_PROFILE_MAX_PEAKS];
  struct tpp_figures fig = {.peaks = peaks};
  char header[512], from[160];
  int err;

  /* A profile file may be classified even when the shipped folder is missing. */
  if ((err = tpp_cli_load_profiles(&set, &diag)) && !strchr(name, '/'))
    return tpp_cli_fail(err, &diag);
  if ((err = tpp_cli_pick_profile(&set, name, &own, &p, "--profile", &diag))) {
    tpp_profile_set_free(&set);
    return tpp_cli_fail(err, &diag);
  }
  fig.n = tpp_profile_figures(p, peaks, TPP_PROFILE_MAX_PEAKS);
  tpp_chip_facts_init(&facts);
  facts.die_area_mm2 = p->die_area_mm2;
  facts.datacenter = p->datacenter;
  facts.interconnect_gbs = p->interconnect_gbs;
  facts.dram_bw_gbs = p->memory_bw_gbs;
  apply_overrides(&facts, ov);
  tpp_cli_describe_tpp(from, sizeof(from), peaks, fig.n, &rs->readings.chosen);
  if (p->n_peaks == 0)
    snprintf(header, sizeof(header), "%s %s (%s): no peak figures\n", p->vendor, p->name, p->id);
  else
    snprintf(header, sizeof(header), "%s %s (%s): TPP %.1f from datasheet %s%s\n", p->vendor,
             p->name, p->id, tpp_tpp_read(peaks, fig.n, &rs->readings.chosen, NULL), from,
             p->die_area_estimate ? "; die area is an estimate" : "");
  {
    json_t *extra = tpp_from_json(peaks, fig.n, &rs->readings.chosen);
    struct tpp_claims claims;
    memset(&claims, 0, sizeof(claims));
    claims.profile = TPP_CLAIM_USER;
    snprintf(claims.file_profile, sizeof(claims.file_profile), "%s", p->id);
    snprintf(claims.die_area_source, sizeof(claims.die_area_source), "profile:%s", p->id);
    snprintf(claims.datacenter_source, sizeof(claims.datacenter_source), "profile:%s", p->id);
    claims.die_area_dies = TPP_DIES_MAX;
    command_claims(ov, &claims);
    json_object_set_new(extra, "profile",
                        json_pack("{s:s, s:s, s:s, s:b}", "id", p->id, "name", p->name, "file",
                                  p->path, "die_area_estimate", p->die_area_estimate));
    json_object_set_new(extra, "advisories", tpp_profile_advisories_json(p));
    err = report(rs, &facts, &fig, &claims, extra, p->path[0] ? p->path : p->id, header, json);
  }
  if (!json)
    tpp_profile_advisories_print(p, stdout);
  tpp_profile_set_free(&set);
  return err;
}

/* A result's provenance and labels (schema 4), briefly, appended to buf. */
static void
provenance_lines(const struct tpp_result *r, char *buf, size_t cap)
{
  const struct tpp_provenance *p = &r->prov;
  size_t n = strlen(buf);
  const char *k;
  json_t *v;
  int first = 1;
  if (r->has_provenance && n < cap)
    n += (size_t)snprintf(
        buf + n, cap - n,
        "provenance  tppbench %s (git %s) on %s, %s to %s\n"
        "            binary sha256 %s, rules %s sha256 %s\n",
        r->tool_version, r->git_describe[0] ? r->git_describe : "unknown",
        p->hostname[0] ? p->hostname : "(unknown host)", p->started[0] ? p->started : "?",
        p->finished[0] ? p->finished : "?", p->binary_sha256[0] ? p->binary_sha256 : "unknown",
        p->rules_id[0] ? p->rules_id : "?", p->rules_sha256[0] ? p->rules_sha256 : "unknown");
  json_object_foreach (r->labels, k, v) {
    if (n >= cap)
      break;
    n += (size_t)snprintf(buf + n, cap - n, "%s%s=%s", first ? "labels      " : ", ", k,
                          json_string_value(v));
    first = 0;
  }
  if (!first && n + 1 < cap)
    strcat(buf + n, "\n");
}

static int
classify_result(const struct tpp_ruleset *rs, const char *file, const char *device_sel,
                const struct overrides *ov, int json)
{
  struct tpp_result r;
  struct tpp_diag diag = {0};
  struct tpp_device_result *d;
  struct tpp_profile_set set = {0};
  struct tpp_claims claims;
  struct tpp_device_figures figs;
  struct tpp_chip_facts facts;
  char header[2048], from[160];
  int err, status = 0;

  if ((err = tpp_result_load_checked(file, rs, &r, &diag)))
    return tpp_cli_fail(err, &diag);
  if ((status = tpp_cli_pick_result_device(&r, file, device_sel, &d)) != 0)
    goto out;
  if ((err = tpp_cli_load_profiles(&set, &diag))) {
    status = tpp_cli_fail(err, &diag);
    goto out;
  }
  /* The file's own claims against its identity: a disputed profile is not used. */
  tpp_claims_check(d, &set, ov->datacenter, &claims);
  tpp_claims_apply(d, &set, &claims);
  if (!d->has_profile) {
    /* Written before profiles, or by a run that matched none: match now. */
    struct tpp_profile_match m;
    tpp_profile_match_device(&set, &d->info, &m);
    if (m.profile)
      tpp_device_result_set_profile(d, m.profile, m.how, ov->datacenter >= 0);
  }
  command_claims(ov, &claims);
  if (!isnan(ov->die_area)) {
    d->die_area_mm2 = ov->die_area;
    if (ov->dies > 1)
      snprintf(d->die_area_source, sizeof(d->die_area_source), "--die-area (%d dies)", ov->dies);
    else
      snprintf(d->die_area_source, sizeof(d->die_area_source), "--die-area");
  }
  if (ov->datacenter >= 0)
    d->datacenter = ov->datacenter;
  if (!isnan(ov->interconnect))
    d->interconnect_gbs = ov->interconnect;
  /* The device result decides TPP, spreads and DRAM bandwidth; reclassify from its facts so
   * that the explanation sees exactly what the classification saw. */
  if ((err = tpp_device_result_classify(d, rs))) {
    fprintf(stderr, "tppbench: %s: %s (%s): %s\n", file, d->info.selector, d->info.name,
            d->cls.reason);
    status = tpp_exit_status(err);
    goto out;
  }
  tpp_device_result_facts(d, &facts);
  if (!isnan(ov->dram_bw)) {
    facts.dram_bw_gbs = ov->dram_bw;
    facts.dram_bw_lo = facts.dram_bw_hi = NAN;
  }
  tpp_device_result_figures(d, &figs);
  tpp_cli_describe_tpp(from, sizeof(from), figs.peaks, figs.fig.n, &rs->readings.chosen);
  snprintf(header, sizeof(header), "%s: %s (%s)\nprofile     %s%s%s%s\n%s%s%s%s%s", file,
           d->info.name, d->info.selector, d->has_profile ? d->profile.id : "none matched",
           d->has_profile ? " (" : "", d->has_profile ? d->profile.matched_by : "",
           d->has_profile ? ")" : "", d->error[0] ? "not measured: " : "", d->error,
           d->error[0] ? "\n" : "", from[0] ? "TPP from measured " : "", from[0] ? from : "");
  if (from[0])
    strncat(header, "\n", sizeof(header) - strlen(header) - 1);
  provenance_lines(&r, header, sizeof(header));
  if (r.incomplete) {
    /* The rows the run never reached may hold a higher TPP: the figures are lower bounds. */
    size_t used = strlen(header);
    snprintf(header + used, sizeof(header) - used,
             "INCOMPLETE  %s: the rows it did not reach are unknown; TPP is a lower bound\n",
             r.incomplete_reason[0] ? r.incomplete_reason : "the run did not finish");
  }
  {
    json_t *extra = tpp_from_json(figs.peaks, figs.fig.n, &rs->readings.chosen);
    json_object_set_new(extra, "device",
                        json_pack("{s:s, s:s, s:s, s:o, s:o}", "selector", d->info.selector, "name",
                                  d->info.name, "file", file, "profile",
                                  d->has_profile ? json_string(d->profile.id) : json_null(),
                                  "error", d->error[0] ? json_string(d->error) : json_null()));
    json_object_set_new(extra, "die_area_source", json_string(d->die_area_source));
    if (r.incomplete)
      json_object_set_new(extra, "incomplete_reason", json_string(r.incomplete_reason));
    json_object_set_new(extra, "advisories",
                        tpp_advisory_list_json(d->profile.advisories,
                                               d->has_profile ? d->profile.n_advisories : 0));
    status = report(rs, &facts, &figs.fig, &claims, extra, file, header, json);
  }
  if (!json && d->has_profile)
    tpp_advisory_list_print(d->profile.advisories, d->profile.n_advisories, stdout);
out:
  tpp_profile_set_free(&set);
  tpp_result_free(&r);
  return status;
}

int
tpp_cli_classify(int argc, char **argv)
{
  enum { OPT_DIE = 256, OPT_DIES, OPT_NONDC, OPT_DC, OPT_RULES, OPT_PROFILE, OPT_IC, OPT_DRAM };
  static const struct option longopts[] = {
      {.name = "peak",           .has_arg = required_argument, .val = 'p'},
      {.name = "profile",              .has_arg = required_argument, .val = OPT_PROFILE},
      {.name = "die-area",        .has_arg = required_argument, .val = OPT_DIE},
      {.name = "dies",      .has_arg = required_argument, .val = OPT_DIES},
      {.name = "interconnect",       .has_arg = required_argument, .val = OPT_IC},
      {.name = "dram-bandwidth",          .has_arg = required_argument, .val = OPT_DRAM},
      {.name = "non-datacenter",           .has_arg = no_argument, .val = OPT_NONDC},
      {.name = "datacenter",         .has_arg = no_argument, .val = OPT_DC},
      {.name = "rules",   .has_arg = required_argument, .val = OPT_RULES},
      TPP_CLI_READING_OPTIONS,
      {.name = "device",           .has_arg = required_argument, .val = 'd'},
      {.name = "json", .has_arg = no_argument, .val = 'j'},
      {.name = "help",         .has_arg = no_argument, .val = 'h'},
      {0},
  };
  struct tpp_peak peaks[MAX_PEAKS];
  struct tpp_ruleset rules;
  struct tpp_diag diag = {0};
  struct overrides ov = {NAN, NAN, NAN, -1, 1};
  struct tpp_cli_reading reading = {0};
  const char *rules_name = NULL, *device_sel = NULL, *profile = NULL;
  size_t n_peaks = 0;
  int json = 0, c, err, sources, dies_given = 0;

  tpp_cli_getopt_reset();
  while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
    switch (c) {
    case 'p':
      if (n_peaks == MAX_PEAKS) {
        fprintf(stderr, "tppbench classify: at most %d --peak options\n", MAX_PEAKS);
        return 2;
      }
      if ((err = parse_peak(optarg, &peaks[n_peaks++], &diag)))
        return tpp_cli_fail(err, &diag);
      break;
    case OPT_PROFILE:
      profile = optarg;
      break;
    case OPT_DIE:
      if ((err = tpp_cli_parse_positive("--die-area", optarg, &ov.die_area, &diag)))
        return tpp_cli_fail(err, &diag);
      break;
    case OPT_DIES:
      if ((err = tpp_cli_parse_dies(optarg, &ov.dies, &diag)))
        return tpp_cli_fail(err, &diag);
      dies_given = 1;
      break;
    case OPT_IC:
      if ((err = tpp_cli_parse_positive("--interconnect", optarg, &ov.interconnect, &diag)))
        return tpp_cli_fail(err, &diag);
      break;
    case OPT_DRAM:
      if ((err = tpp_cli_parse_positive("--dram-bandwidth", optarg, &ov.dram_bw, &diag)))
        return tpp_cli_fail(err, &diag);
      break;
    case OPT_NONDC:
    case OPT_DC:
      if (ov.datacenter >= 0 && ov.datacenter != (c == OPT_DC)) {
        fprintf(stderr, "tppbench classify: --datacenter and --non-datacenter contradict\n");
        return 2;
      }
      ov.datacenter = c == OPT_DC;
      break;
    case OPT_RULES:
      rules_name = optarg;
      break;
    case TPP_CLI_OPT_TPP_READING:
    case TPP_CLI_OPT_TF32_BITS:
      if ((err = tpp_cli_parse_reading(c, optarg, &reading, &diag)))
        return tpp_cli_fail(err, &diag);
      break;
    case 'd':
      device_sel = optarg;
      break;
    case 'j':
      json = 1;
      break;
    case 'h':
      tpp_cli_usage(stdout, "classify");
      return 0;
    default:
      tpp_cli_usage(stderr, "classify");
      return 2;
    }
  }
  sources = (n_peaks > 0) + (profile != NULL) + (optind < argc);
  if (sources != 1 || argc - optind > 1) {
    fprintf(stderr, "tppbench classify: give --peak options, --profile, or one RESULT.json\n\n");
    tpp_cli_usage(stderr, "classify");
    return 2;
  }
  if ((err = tpp_cli_check_die_area(ov.die_area, ov.dies, dies_given, &diag)) ||
      (err = tpp_cli_load_rules(rules_name, &rules, &diag)) ||
      (err = tpp_cli_choose_reading(&rules, &reading, &diag)))
    return tpp_cli_fail(err, &diag);
  if (n_peaks > 0) {
    if (ov.datacenter < 0)
      ov.datacenter = 1;
    return classify_peaks(&rules, peaks, n_peaks, &ov, json);
  }
  if (profile)
    return classify_profile(&rules, profile, &ov, json);
  return classify_result(&rules, argv[optind], device_sel, &ov, json);
}
