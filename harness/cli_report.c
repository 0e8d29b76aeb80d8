/* cli_report.c - `tppbench report RESULT.json`: the certificate of one measured device, as
 * Markdown (default, on stdout), CSV, self-contained HTML, or a page in PDF, SVG or PNG
 * (docs/report.md). */
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "tpp/atomicio.h"
#include "tpp/profile.h"
#include "tpp/report.h"
#include "tpp/result.h"

/* What --trust found for the file, into the report's signature status. */
static void
signature_of(const struct tpp_cli_trust *t, struct tpp_report_signature *sig)
{
  json_t *o = json_array_get(t->checked, 0);
  const char *ts;
  memset(sig, 0, sizeof(*sig));
  if (!o)
    return;
  sig->checked = 1;
  snprintf(sig->key_id, sizeof(sig->key_id), "%s", json_string_value(json_object_get(o, "key_id")));
  snprintf(sig->key, sizeof(sig->key), "%s", json_string_value(json_object_get(o, "key")));
  snprintf(sig->trusted_comment, sizeof(sig->trusted_comment), "%s",
           json_string_value(json_object_get(o, "trusted_comment")));
  if ((ts = json_string_value(json_object_get(o, "timestamp"))) != NULL)
    snprintf(sig->timestamp, sizeof(sig->timestamp), "%s", ts);
}

/* The format: --format, else --out's extension, else Markdown.  0, or 2 after saying why. */
static int
pick_format(const char *format, const char *out, enum tpp_report_format *f)
{
  enum tpp_report_format by_ext;
  int has_ext = out && strcmp(out, "-") != 0 && tpp_report_format_from_path(out, &by_ext) == 0;
  if (format) {
    if (tpp_report_format_parse(format, f) != 0) {
      fprintf(stderr, "tppbench: --format: expected pdf, svg, png, html, md or csv, got \"%s\"\n",
              format);
      return 2;
    }
    if (has_ext && by_ext != *f) {
      fprintf(stderr, "tppbench: --out %s is named as %s but --format says %s\n", out,
              tpp_report_format_name(by_ext), format);
      return 2;
    }
    return 0;
  }
  if (has_ext) {
    *f = by_ext;
    return 0;
  }
  if (out && strcmp(out, "-") != 0) {
    fprintf(stderr,
            "tppbench: --out %s: no format in the name (.pdf .svg .png .html .md .csv); give "
            "--format\n",
            out);
    return 2;
  }
  *f = TPP_REPORT_MD;
  return 0;
}

int
tpp_cli_report(int argc, char **argv)
{
  enum { OPT_RULES = 256, OPT_FORMAT, OPT_TRUST };
  static const struct option longopts[] = {
      {.name = "device",   .has_arg = required_argument, .val = 'd'},
      {.name = "rules",        .has_arg = required_argument, .val = OPT_RULES},
      {.name = "format",    .has_arg = required_argument, .val = OPT_FORMAT},
      {.name = "out",  .has_arg = required_argument, .val = 'o'},
      {.name = "trust",   .has_arg = required_argument, .val = OPT_TRUST},
      {.name = "help", .has_arg = no_argument, .val = 'h'},
      {0     },
  };
  const char *device_sel = NULL, *rules_name = NULL, *format = NULL, *out = NULL, *file;
  struct tpp_cli_trust trust = {0};
  struct tpp_ruleset *rules = NULL;
  struct tpp_profile_set set = {0};
  struct tpp_report *rep = NULL;
  struct tpp_report_signature sig;
  struct tpp_device_result *d;
  struct tpp_diag diag = {0};
  struct tpp_result r;
  enum tpp_report_format fmt;
  char *doc = NULL;
  size_t doc_len = 0;
  int c, err, status, loaded = 0, matched_now = 0, have_profiles;

  optind = 1;
  while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
    switch (c) {
    case 'd':
      device_sel = optarg;
      break;
    case OPT_RULES:
      rules_name = optarg;
      break;
    case OPT_FORMAT:
      format = optarg;
      break;
    case 'o':
      out = optarg;
      break;
    case OPT_TRUST:
      if ((status = tpp_cli_trust_add(&trust, optarg)))
        return status;
      break;
    case 'h':
      tpp_cli_usage(stdout, "report");
      return 0;
    default:
      tpp_cli_usage(stderr, "report");
      return 2;
    }
  }
  if (argc - optind != 1) {
    fprintf(stderr, "tppbench report: give one RESULT.json\n\n");
    tpp_cli_usage(stderr, "report");
    return 2;
  }
  file = argv[optind];
  if ((status = pick_format(format, out, &fmt)))
    return status;
  if ((fmt == TPP_REPORT_PDF || fmt == TPP_REPORT_PNG) && (!out || strcmp(out, "-") == 0) &&
      isatty(STDOUT_FILENO)) {
    fprintf(stderr, "tppbench: --format %s is binary: give --out FILE (or redirect stdout)\n",
            tpp_report_format_name(fmt));
    return 2;
  }
  /* A ruleset and a report are tens of kilobytes each: on the heap. */
  if (!(rules = malloc(sizeof(*rules))) || !(rep = malloc(sizeof(*rep)))) {
    status = tpp_cli_fail(TPP_ENOMEM, NULL);
    goto out;
  }
  if ((err = tpp_cli_load_rules(rules_name, rules, &diag))) {
    status = tpp_cli_fail(err, &diag);
    goto out;
  }
  /* Read once: the signature (with --trust) is checked over the bytes that are parsed. */
  if ((status = tpp_cli_trust_load_result(&trust, file, rules, &r)))
    goto out;
  signature_of(&trust, &sig);
  loaded = 1;
  if ((status = tpp_cli_pick_result_device(&r, file, device_sel, &d)))
    goto out;
  if (d->error[0]) {
    fprintf(stderr, "tppbench: %s: %s (%s) was not measured: %s\n", file, d->info.name,
            d->info.selector, d->error);
    status = 1;
    goto out;
  }
  have_profiles = tpp_cli_load_profiles(&set, &diag) == 0;
  if (!have_profiles)
    fprintf(stderr, "tppbench: warning: no device profiles (%s): no reference chips on the chart\n",
            diag.text);
  if (!d->has_profile && have_profiles) {
    /* Written before profiles, or by a run that matched none: match now, as classify does. */
    struct tpp_profile_match m;
    tpp_profile_match_device(&set, &d->info, &m);
    if (m.profile) {
      tpp_device_result_set_profile(d, m.profile, m.how, 0);
      matched_now = 1;
    }
  }
  if ((err = tpp_device_result_classify(d, rules))) {
    fprintf(stderr, "tppbench: %s: %s (%s): %s\n", file, d->info.selector, d->info.name,
            d->cls.reason);
    status = tpp_exit_status(err);
    goto out;
  }
  if ((err = tpp_report_build(rep, file, &r, d, rules, have_profiles ? &set : NULL, &sig,
                              matched_now, &diag)) ||
      (err = tpp_report_render(rep, fmt, &doc, &doc_len, &diag)) ||
      (err = tpp_atomic_write(out ? out : "-", doc, doc_len, &diag))) {
    status = tpp_cli_fail(err, &diag);
    goto out;
  }
  if (out && strcmp(out, "-") != 0)
    fprintf(stderr, "report: %s (%s): %s under %s\n", out, tpp_report_format_name(fmt),
            rep->zone_text, rules->id);
  status = 0;
out:
  free(doc);
  if (loaded)
    tpp_result_free(&r);
  tpp_profile_set_free(&set);
  tpp_cli_trust_free(&trust);
  free(rep);
  free(rules);
  tpp_report_release_fonts();
  return status;
}
