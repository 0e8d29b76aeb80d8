/* cli_util.c - what the commands share: error reporting, number options, loading rule
 * sets and profiles, picking one device of a result file. */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "tpp/metrics.h"
#include "tpp/paths.h"
#include "tpp/profile.h"
#include "tpp/result.h"

void
tpp_cli_getopt_reset(void)
{
  optind = 0;
}

const char *tpp_cli_argv0 = "tppbench";
const char *tpp_cli_git_describe = "unknown";

int
tpp_cli_print_json(json_t *doc, int incomplete, const char *what)
{
  int failed = !doc || incomplete;
  if (!failed)
    failed = json_dumpf(doc, stdout, JSON_INDENT(2)) != 0 || putchar('\n') == EOF ||
             fflush(stdout) != 0;
  json_decref(doc);
  if (failed) {
    fprintf(stderr,
            "tppbench: %s: the JSON document could not be %s (out of memory, a value JSON "
            "cannot hold, or standard output failed)\n",
            what, !doc || incomplete ? "built" : "written");
    return 1;
  }
  return 0;
}

int
tpp_cli_fail(int err, const struct tpp_diag *diag)
{
  char msg[1200];
  if (diag && (diag->text[0] || diag->file[0])) {
    tpp_diag_format(diag, msg, sizeof(msg));
    fprintf(stderr, "tppbench: %s\n", msg);
  } else {
    fprintf(stderr, "tppbench: %s\n", tpp_strerror(err));
  }
  /* Data not found by name: say where it was looked for and what TPPBENCH_PROFILES is. */
  if (err == TPP_ENOENT && diag && !diag->file[0] &&
      (strcmp(diag->field, "profiles") == 0 || strcmp(diag->field, "rules") == 0 ||
       strcmp(diag->field, "--rules") == 0)) {
    char why[4 * 1100];
    tpp_profile_dirs_explain(why, sizeof(why));
    fprintf(stderr, "%s\n", why);
  }
  return tpp_exit_status(err);
}

int
tpp_cli_parse_positive(const char *opt, const char *text, double *out, struct tpp_diag *diag)
{
  char *end;
  double v = strtod(text, &end);
  if (end == text || *end != '\0' || !isfinite(v) || !(v > 0))
    return tpp_diag_set(diag, TPP_EINVAL, NULL, 0, opt, "expected a positive number, got \"%s\"",
                        text);
  *out = v;
  return 0;
}

int
tpp_cli_parse_dies(const char *text, int *out, struct tpp_diag *diag)
{
  char *end;
  long v = strtol(text, &end, 10);
  if (end == text || *end != '\0' || v < 1 || v > TPP_DIES_MAX)
    return tpp_diag_set(diag, TPP_EINVAL, NULL, 0, "--dies",
                        "expected a number of dies from 1 to %d, got \"%s\"", TPP_DIES_MAX, text);
  *out = (int)v;
  return 0;
}

int
tpp_cli_check_die_area(double area, int dies, int dies_given, struct tpp_diag *diag)
{
  char why[300];
  if (isnan(area))
    return dies_given ? tpp_diag_set(diag, TPP_EINVAL, NULL, 0, "--dies",
                                     "says how many dies --die-area covers: give --die-area too")
                      : 0;
  if (tpp_die_area_check(area, dies, why, sizeof(why)) != 0)
    return tpp_diag_set(diag, TPP_EINVAL, NULL, 0, "--die-area", "%s", why);
  return 0;
}

int
tpp_cli_load_rules(const char *name_or_file, struct tpp_ruleset *rs, struct tpp_diag *diag)
{
  const char *const *base = tpp_profile_dirs();
  char bufs[TPP_PROFILE_DIRS_MAX][1100];
  const char *dirs[TPP_PROFILE_DIRS_MAX + 1];
  size_t n = 0;
  int err;
  for (; base[n] && n < TPP_PROFILE_DIRS_MAX; n++) { /* <profile dir>/rules */
    snprintf(bufs[n], sizeof(bufs[n]), "%s/rules", base[n]);
    dirs[n] = bufs[n];
  }
  dirs[n] = NULL;
  err = tpp_ruleset_open(name_or_file ? name_or_file : TPP_RULES_DEFAULT, dirs, rs, diag);
  /* A rule set the user named: the message names the option. */
  if (err && name_or_file && diag && !diag->file[0] && strcmp(diag->field, "rules") == 0)
    snprintf(diag->field, sizeof(diag->field), "--rules");
  return err;
}

int
tpp_cli_parse_reading(int c, const char *arg, struct tpp_cli_reading *cr, struct tpp_diag *diag)
{
  char *end;
  long v;
  if (c == TPP_CLI_OPT_TPP_READING) {
    if (tpp_tpp_reading_parse(arg, &cr->r.tpp) != 0)
      return tpp_diag_set(diag, TPP_EINVAL, NULL, 0, "--tpp-reading",
                          "expected highest or aggregate, got \"%s\"", arg);
    cr->tpp_given = 1;
    return 0;
  }
  v = strtol(arg, &end, 10);
  if (end == arg || *end != '\0' || v < 1 || v > 64)
    return tpp_diag_set(diag, TPP_EINVAL, NULL, 0, "--tf32-bits",
                        "expected a bit length (32 or 19), got \"%s\"", arg);
  cr->r.tf32_bits = (int)v;
  cr->tf32_given = 1;
  return 0;
}

int
tpp_cli_choose_reading(struct tpp_ruleset *rs, const struct tpp_cli_reading *cr,
                       struct tpp_diag *diag)
{
  struct tpp_reading r = rs->readings.chosen;
  if (cr->tpp_given)
    r.tpp = cr->r.tpp;
  if (cr->tf32_given)
    r.tf32_bits = cr->r.tf32_bits;
  if (!cr->tpp_given && !cr->tf32_given)
    return 0;
  return tpp_ruleset_choose_reading(
      rs, &r, cr->tf32_given && !cr->tpp_given ? "--tf32-bits" : "--tpp-reading", diag);
}

void
tpp_cli_describe_tpp(char *buf, size_t len, const struct tpp_peak *peaks, size_t n,
                     const struct tpp_reading *r)
{
  size_t best[2], used = 0;
  buf[0] = '\0';
  if (isnan(tpp_tpp_read(peaks, n, r, best)))
    return;
  for (int k = 0; k < 2 && used < len; k++) {
    const struct tpp_peak *p;
    int w;
    if (best[k] >= n)
      continue;
    p = &peaks[best[k]];
    w = snprintf(buf + used, len - used, "%s%s%s%s (%g x %d bits)", k ? " + " : "",
                 tpp_precision_name(p->precision), p->has_path ? " " : "",
                 p->has_path ? tpp_path_name(p->path) : "", p->tops,
                 tpp_reading_bits(r, p->precision));
    if (w > 0)
      used += (size_t)w;
  }
}

int
tpp_cli_load_profiles(struct tpp_profile_set *set, struct tpp_diag *diag)
{
  return tpp_profile_set_load_default(set, diag);
}

int
tpp_cli_pick_profile(const struct tpp_profile_set *set, const char *name_or_file,
                     struct tpp_profile *own, const struct tpp_profile **out, const char *opt,
                     struct tpp_diag *diag)
{
  size_t n = strlen(name_or_file);
  int err;
  *out = NULL;
  if (strchr(name_or_file, '/') || (n >= 5 && strcmp(name_or_file + n - 5, ".json") == 0)) {
    if ((err = tpp_profile_load(name_or_file, own, diag)) != 0)
      return err;
    *out = own;
    return 0;
  }
  if ((*out = tpp_profile_find(set, name_or_file)) == NULL)
    return tpp_diag_set(diag, TPP_ENOENT, NULL, 0, opt,
                        "no device profile \"%s\" in %s (`tppbench list --profiles` lists them)",
                        name_or_file, set->dir[0] ? set->dir : "the profile folders");
  return 0;
}

int
tpp_cli_pick_result_device(struct tpp_result *r, const char *file, const char *sel,
                           struct tpp_device_result **out)
{
  struct tpp_device_info *infos;
  size_t picked[1], n_picked = 0;
  int status = 0;

  *out = NULL;
  if (r->n_devices == 0) {
    fprintf(stderr, "tppbench: %s: the result holds no measured device\n", file);
    return 1;
  }
  if (!sel && r->n_devices > 1) {
    fprintf(stderr, "tppbench: %s holds %zu devices; pick one with --device\n", file, r->n_devices);
    return 2;
  }
  if (!(infos = calloc(r->n_devices, sizeof(*infos))))
    return tpp_cli_fail(TPP_ENOMEM, NULL);
  for (size_t i = 0; i < r->n_devices; i++)
    infos[i] = r->devices[i].info;
  if (tpp_devices_select(infos, r->n_devices, sel ? sel : "0", picked, 1, &n_picked) != 0 ||
      n_picked != 1) {
    fprintf(stderr, "tppbench: %s: --device \"%s\" does not pick exactly one device\n", file,
            sel ? sel : "");
    status = 2;
  } else {
    *out = &r->devices[picked[0]];
  }
  free(infos);
  return status;
}

int
tpp_cli_allow_simulated(void)
{
  const char *allow = getenv("TPPBENCH_TEST_ALLOW_SIMULATED");
  return allow && strcmp(allow, "1") == 0;
}

int
tpp_cli_refuse_simulated(const struct tpp_result *r, const char *file, const char *command)
{
  long i = tpp_cli_allow_simulated() ? -1 : tpp_result_find_simulated(r);
  if (i < 0)
    return 0;
  fprintf(stderr,
          "tppbench: %s: devices[%ld].identity.simulated: %s (%s) is a simulated device "
          "(a test driver's), not a measurement: %s takes none\n",
          file, i, r->devices[i].info.selector, r->devices[i].info.name, command);
  return 2;
}
