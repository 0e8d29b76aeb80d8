/* cli_run.c - `tppbench run`: measure every selected device at once (a thread each), print
 * the tables, classify, write the result (also when interrupted: "complete": false). */
#include <getopt.h>
#include <math.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <errno.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "tpp/atomicio.h"
#include "tpp/metrics.h"
#include "tpp/profile.h"
#include "tpp/provenance.h"
#include "tpp/runenv.h"
#include "tpp/runner.h"
#include "tpp/version.h"

/* A right-aligned number with `prec` significant digits (%g) or decimals (%f), or "-". */
static void
print_num(FILE *f, char style, double v, int width, int prec)
{
  if (!isfinite(v))
    fprintf(f, "%*s", width, "-");
  else if (style == 'g')
    fprintf(f, "%*.*g", width, prec, v);
  else
    fprintf(f, "%*.*f", width, prec, v);
}

static void
print_device_table(FILE *f, const struct tpp_device_result *d)
{
  const struct tpp_device_info *i = &d->info;
  int unchecked = 0;
  fprintf(f, "\n%s  %s\n", i->selector, i->name);
  if (i->simulated)
    fprintf(f, "  SIMULATED DEVICE (test driver): no figure below is a measurement\n");
  if (d->error[0]) {
    fprintf(f, "  not measured: %s\n\n", d->error);
    tpp_classification_print(&d->cls, f);
    return;
  }
  fprintf(f, "  %s, %s, %d compute units, driver %s%s%s\n", i->platform, i->type, i->compute_units,
          i->driver_version, i->pci_bus_id[0] ? ", PCI " : "", i->pci_bus_id);
  fprintf(f, "\n  %-6s %-6s %-11s %10s %10s %8s %10s %6s %6s  %s\n", "prec", "path", "status",
          "TOPS", "bit*TOPS", "clk MHz", "peak TOPS", "eff", "cv%", "kernel / reason");
  for (size_t k = 0; k < d->n_rows; k++) {
    const struct tpp_row *r = &d->rows[k];
    if (r->status == TPP_ROW_SKIPPED)
      continue;
    unchecked |= r->status == TPP_ROW_OK && r->unchecked;
    fprintf(f, "  %-6s %-6s %-11s ", tpp_precision_name(r->precision), tpp_path_name(r->path),
            r->status == TPP_ROW_OK && r->unchecked ? "unchecked" : tpp_row_status_name(r->status));
    print_num(f, 'g', r->tops, 10, 4);
    fputc(' ', f);
    print_num(f, 'g', tpp_bit_tops(r->precision, r->tops), 10, 4);
    fputc(' ', f);
    print_num(f, 'f', r->telemetry.clock_mhz, 8, 0);
    fputc(' ', f);
    print_num(f, 'g', r->peak_tops, 10, 4);
    fputc(' ', f);
    print_num(f, 'f', r->efficiency, 6, 3);
    fputc(' ', f);
    print_num(f, 'f', r->stats.n ? 100 * r->stats.cv : NAN, 6, 2);
    fprintf(f, "  %s%s%s\n", r->status == TPP_ROW_OK ? r->kernel : r->reason,
            r->lower_bound ? " [lower bound]" : "", r->device_reset ? " [device reset]" : "");
  }
  for (size_t k = 0; k < d->n_bw; k++) {
    const struct tpp_bw_row *b = &d->bw[k];
    fprintf(f, "  %-6s %-6s %-11s ", "memory", b->kind, tpp_row_status_name(b->status));
    print_num(f, 'g', b->gbs, 10, 4);
    fprintf(f, " %-10s %8s %10s %6s ", "GB/s", "", "", "");
    print_num(f, 'f', b->stats.n ? 100 * b->stats.cv : NAN, 6, 2);
    fprintf(f, "  %s%s\n", b->status == TPP_ROW_OK ? b->kernel : b->reason,
            b->device_reset ? " [device reset]" : "");
  }
  fputc('\n', f);
  if (unchecked)
    fprintf(f,
            "unchecked   no per-clock rate bounds these rows from above: shown, not counted "
            "in TPP%s\n",
            isfinite(d->tpp_unchecked) ? " (they would set it higher)" : "");
  if (tpp_device_result_tpp_lower_bound(d))
    fprintf(f, "lower bound TPP comes from a kernel below the device's peak path: the device's "
               "TPP is at least this\n");
  tpp_classification_print(&d->cls, f);
  if (d->has_profile)
    tpp_advisory_list_print(d->profile.advisories, d->profile.n_advisories, f);
}

/* The named profile, or the one the device matches ("none": no profile). */
static void
attach_profile(struct tpp_device_result *d, const struct tpp_profile_set *set,
               const struct tpp_profile *forced, const char *name, int dc_forced, int quiet)
{
  struct tpp_profile_match m;
  if (name && strcmp(name, "none") == 0)
    return;
  if (forced) {
    tpp_device_result_set_profile(d, forced, "--profile", dc_forced);
    return;
  }
  tpp_profile_match_device(set, &d->info, &m);
  if (!m.profile) {
    if (!quiet)
      fprintf(stderr,
              "profile: no device profile matches %s (%s); die area from --die-area "
              "only\n",
              d->info.name, d->info.selector);
    return;
  }
  tpp_device_result_set_profile(d, m.profile, m.how, dc_forced);
  if (!quiet)
    fprintf(stderr, "profile: %s (%s)%s\n", m.profile->id, m.how,
            m.ambiguous ? "; another profile matches as well: name one with --profile" : "");
}

/* The command line as invoked ("tppbench run ..."), the binary, host and rule set. */
static void
record_provenance(struct tpp_provenance *p, int argc, char **argv, const struct tpp_ruleset *rs)
{
  const char *full[256];
  int n = 0;
  full[n++] = tpp_cli_argv0;
  for (int i = 0; i < argc && n < (int)(sizeof(full) / sizeof(full[0])); i++)
    full[n++] = argv[i];
  tpp_provenance_collect(p, n, full);
  snprintf(p->rules_id, sizeof(p->rules_id), "%s", rs->id);
  snprintf(p->rules_file, sizeof(p->rules_file), "%s", rs->path);
  snprintf(p->rules_sha256, sizeof(p->rules_sha256), "%s", rs->sha256);
}

/* UTC: ISO 8601 ("2026-12-01T03:15:00Z") or compact for file names ("20261201T031500Z"). */
static void
utc_time(char *buf, size_t len, time_t t, int compact)
{
  struct tm tm;
  gmtime_r(&t, &tm);
  if (compact)
    strftime(buf, len, "%Y%m%dT%H%M%SZ", &tm);
  else
    strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* --- signals: the first stops the run after the rows in flight, the second kills ------ */

static volatile sig_atomic_t stop_signal;

static void
on_signal(int sig)
{
  if (stop_signal) {
    /* Asked twice: go now, leaving no temporary file behind. */
    tpp_atomic_abandon();
    signal(sig, SIG_DFL);
    raise(sig);
    return;
  }
  stop_signal = sig;
}

struct signals {
  struct sigaction old_int, old_term;
};

static void
signals_catch(struct signals *s)
{
  struct sigaction sa;
  memset(&sa, 0, sizeof(sa));
  sa.sa_handler = on_signal;
  sigemptyset(&sa.sa_mask);
  stop_signal = 0;
  sigaction(SIGINT, &sa, &s->old_int);
  sigaction(SIGTERM, &sa, &s->old_term);
}

static void
signals_restore(struct signals *s)
{
  sigaction(SIGINT, &s->old_int, NULL);
  sigaction(SIGTERM, &s->old_term, NULL);
}

/* --- one thread per device --------------------------------------------------------------- */

struct job {
  const struct tpp_device_info *info;
  const struct tpp_run_opts *opts;
  struct tpp_topo *topo;
  struct tpp_device_result *d;
  struct tpp_diag diag;
  int err;
};

static void *
run_job(void *arg)
{
  struct job *j = arg;
  j->err = tpp_run_device(j->info, j->opts, j->topo, j->d, &j->diag);
  return NULL;
}

/* Measure every job, all at once (each thread binds itself near its device: topo.h); a
 * thread that cannot be started runs its device on this one, after the others. */
static void
run_jobs(struct job *jobs, size_t n)
{
  pthread_t *tids = calloc(n, sizeof(*tids));
  char *started = calloc(n, 1);
  for (size_t k = 0; k < n && tids && started && n > 1; k++)
    started[k] = pthread_create(&tids[k], NULL, run_job, &jobs[k]) == 0;
  for (size_t k = 0; k < n; k++) {
    if (started && started[k])
      pthread_join(tids[k], NULL);
    else
      run_job(&jobs[k]);
  }
  free(started);
  free(tids);
}

/* tppbench-<host>-<UTC time>.json, never replacing another run's file: the first free name
 * with -2, -3, ... appended (written with link(2), so a racing run cannot take it either). */
static int
write_default(const char *text, size_t len, time_t t0, char *name, size_t nlen,
              struct tpp_diag *diag)
{
  char host[64] = "", stamp[32];
  int err = 0;
  gethostname(host, sizeof(host) - 1);
  for (char *c = host; *c; c++)
    if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9') ||
          *c == '-' || *c == '.'))
      *c = '_';
  utc_time(stamp, sizeof(stamp), t0, 1);
  for (int k = 1; k < 1000; k++) {
    if (k == 1)
      snprintf(name, nlen, "tppbench-%s-%s.json", host[0] ? host : "host", stamp);
    else
      snprintf(name, nlen, "tppbench-%s-%s-%d.json", host[0] ? host : "host", stamp, k);
    memset(diag, 0, sizeof(*diag));
    err = tpp_atomic_write_new(name, text, len, 0644, 0, diag);
    if (err != TPP_EINVAL)
      return err;
  }
  return err;
}

int
tpp_cli_run(int argc, char **argv)
{
  enum {
    OPT_BUDGET = 256,
    OPT_NO_BW,
    OPT_DIE,
    OPT_DIES,
    OPT_NONDC,
    OPT_RULES,
    OPT_DC,
    OPT_PROFILE,
    OPT_IC,
    OPT_REPEAT,
    OPT_LABEL
  };
  static const struct option longopts[] = {
      {.name = "device",       .has_arg = required_argument, .val = 'd'},
      {.name = "precisions",            .has_arg = required_argument, .val = 'p'},
      {.name = "out",   .has_arg = required_argument, .val = 'o'},
      {.name = "json",            .has_arg = no_argument, .val = 'j'},
      {.name = "quiet",          .has_arg = no_argument, .val = 'q'},
      {.name = "budget",            .has_arg = required_argument, .val = OPT_BUDGET},
      {.name = "repeat",         .has_arg = required_argument, .val = OPT_REPEAT},
      {.name = "no-bandwidth",            .has_arg = no_argument, .val = OPT_NO_BW},
      {.name = "die-area",        .has_arg = required_argument, .val = OPT_DIE},
      {.name = "dies",            .has_arg = required_argument, .val = OPT_DIES},
      {.name = "non-datacenter",       .has_arg = no_argument, .val = OPT_NONDC},
      {.name = "rules",     .has_arg = required_argument, .val = OPT_RULES},
      {.name = "datacenter",       .has_arg = no_argument, .val = OPT_DC},
      {.name = "profile",     .has_arg = required_argument, .val = OPT_PROFILE},
      {.name = "interconnect", .has_arg = required_argument, .val = OPT_IC},
      {.name = "label",      .has_arg = required_argument, .val = OPT_LABEL},
      {.name = "help",     .has_arg = no_argument, .val = 'h'},
      {0       },
  };
  const char *device_sel = NULL, *out_path = NULL, *rules_name = NULL;
  const char *profile_name = NULL, *labels[TPP_LABELS_MAX + 1];
  size_t n_labels = 0;
  struct tpp_profile_set profiles = {0};
  struct tpp_profile own_profile;
  const struct tpp_profile *forced = NULL;
  int dc_forced = 0;
  struct tpp_run_opts opts;
  struct tpp_ruleset rules;
  struct tpp_diag diag = {0};
  struct tpp_result result = {0};
  struct tpp_device_info *devs = NULL;
  struct tpp_topo *topo = NULL;
  struct tpp_backend_status st[TPP_MAX_BACKENDS];
  struct tpp_progress *progress = NULL;
  struct signals sigs;
  struct job *jobs = NULL;
  size_t n_devs = 0, *picked = NULL, n_picked = 0, n_failed = 0, n_errors = 0, measured = 0;
  size_t total_rows = 0;
  int json = 0, quiet = 0, c, err, worst = 0, bad_input = 0, dies_given = 0;
  int exit_status = 1, to_stdout, caught = 0;
  char *text = NULL, written[600] = "";
  time_t t0 = time(NULL);
  double repeat = 1;
  FILE *table;
  json_t *doc = NULL;

  tpp_run_defaults(&opts);
  tpp_cli_getopt_reset();
  while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
    switch (c) {
    case 'd':
      device_sel = optarg;
      break;
    case 'p':
      if ((err = tpp_precision_mask_parse(optarg, &opts.precisions, &diag)))
        return tpp_cli_fail(err, &diag);
      break;
    case 'o':
      out_path = optarg;
      break;
    case 'j':
      json = 1;
      break;
    case 'q':
      quiet = 1;
      break;
    case OPT_BUDGET:
      if ((err = tpp_cli_parse_positive("--budget", optarg, &opts.measure.budget_s, &diag)))
        return tpp_cli_fail(err, &diag);
      break;
    case OPT_REPEAT:
      if ((err = tpp_cli_parse_positive("--repeat", optarg, &repeat, &diag)))
        return tpp_cli_fail(err, &diag);
      if (repeat != floor(repeat) || repeat > 64) {
        tpp_diag_set(&diag, TPP_EINVAL, NULL, 0, "--repeat",
                     "expected a whole number from 1 to 64, got \"%s\"", optarg);
        return tpp_cli_fail(TPP_EINVAL, &diag);
      }
      opts.repeat = (int)repeat;
      break;
    case OPT_NO_BW:
      opts.bandwidth = 0;
      break;
    case OPT_DIE:
      if ((err = tpp_cli_parse_positive("--die-area", optarg, &opts.die_area_mm2, &diag)))
        return tpp_cli_fail(err, &diag);
      break;
    case OPT_DIES:
      if ((err = tpp_cli_parse_dies(optarg, &opts.dies, &diag)))
        return tpp_cli_fail(err, &diag);
      dies_given = 1;
      break;
    case OPT_NONDC:
      opts.datacenter = 0;
      dc_forced = 1;
      break;
    case OPT_DC:
      opts.datacenter = 1;
      dc_forced = 1;
      break;
    case OPT_PROFILE:
      profile_name = optarg;
      break;
    case OPT_IC:
      if ((err = tpp_cli_parse_positive("--interconnect", optarg, &opts.interconnect_gbs, &diag)))
        return tpp_cli_fail(err, &diag);
      break;
    case OPT_RULES:
      rules_name = optarg;
      break;
    case OPT_LABEL:
      if (n_labels == TPP_LABELS_MAX) {
        fprintf(stderr, "tppbench: --label: at most %d labels\n", TPP_LABELS_MAX);
        return 2;
      }
      labels[n_labels++] = optarg;
      break;
    case 'h':
      tpp_cli_usage(stdout, "run");
      return 0;
    default:
      tpp_cli_usage(stderr, "run");
      return 2;
    }
  }
  if (optind < argc) {
    fprintf(stderr, "tppbench run: unexpected argument \"%s\"\n", argv[optind]);
    return 2;
  }
  /* --out -: the result is stdout, so the table goes to stderr (and --json adds nothing). */
  to_stdout = out_path && strcmp(out_path, "-") == 0;
  table = to_stdout ? stderr : stdout;
  if (to_stdout)
    json = 0;
  if ((err = tpp_cli_check_die_area(opts.die_area_mm2, opts.dies, dies_given, &diag)))
    return tpp_cli_fail(err, &diag);
  /* The labels are checked with the other flags, before any file is touched; kept for the
   * result (released on every return below until the result owns them). */
  for (size_t k = 0; k < n_labels; k++)
    if ((err = tpp_label_add(&result.labels, labels[k], "--label", &diag)))
      goto bad_input;
  /* Bad input is rejected before anything is measured, an unwritable --out included. */
  if ((err = tpp_atomic_check_writable(out_path ? out_path : "tppbench-result.json", &diag)) ||
      (err = tpp_cli_load_rules(rules_name, &rules, &diag)) ||
      (err = tpp_cli_load_profiles(&profiles, &diag)))
    goto bad_input;
  if (profile_name && strcmp(profile_name, "none") != 0 &&
      (err = tpp_cli_pick_profile(&profiles, profile_name, &own_profile, &forced, "--profile",
                                  &diag)))
    goto bad_input;

  if ((err = tpp_devices_list(&devs, &n_devs, st, TPP_MAX_BACKENDS))) {
    json_decref(result.labels);
    tpp_profile_set_free(&profiles);
    tpp_diag_set(&diag, err, NULL, 0, NULL, "run: listing the devices of every backend: %s",
                 tpp_strerror(err));
    return tpp_cli_fail(err, &diag);
  }
  signals_catch(&sigs);
  caught = 1;
  snprintf(result.tool_version, sizeof(result.tool_version), "%s", TPP_VERSION);
  snprintf(result.git_describe, sizeof(result.git_describe), "%s", tpp_cli_git_describe);
  utc_time(result.created, sizeof(result.created), t0, 0);
  /* Provenance: the binary, the command line, the host, the rule set as parsed. */
  result.has_provenance = 1;
  record_provenance(&result.prov, argc, argv, &rules);
  snprintf(result.prov.started, sizeof(result.prov.started), "%s", result.created);
  result.budget_s = opts.measure.budget_s;
  result.repeat = opts.repeat;
  result.warnings = json_array();
  for (size_t b = 0; tpp_backends()[b] && b < TPP_MAX_BACKENDS; b++) {
    snprintf(result.backends[b].name, sizeof(result.backends[b].name), "%s",
             tpp_backends()[b]->name);
    result.backends[b].status = st[b];
    result.n_backends++;
    if (!quiet)
      fprintf(stderr, "backend %s: %s\n", tpp_backends()[b]->name, st[b].reason);
  }
  picked = calloc(n_devs + 1, sizeof(*picked));
  result.devices = calloc(n_devs + 1, sizeof(*result.devices));
  jobs = calloc(n_devs + 1, sizeof(*jobs));
  if (!picked || !result.devices || !jobs) {
    err = TPP_ENOMEM;
    goto done;
  }
  if (n_devs == 0) {
    /* Not a crash but a finding: the result records which backends were tried and why. */
    fprintf(stderr, "tppbench: no device to measure (see the backend lines above)\n");
    goto write;
  }
  if (tpp_devices_select(devs, n_devs, device_sel, picked, n_devs, &n_picked) != 0) {
    fprintf(stderr, "tppbench: --device \"%s\" matches none of the %zu devices (tppbench list)\n",
            device_sel, n_devs);
    exit_status = 2;
    goto done;
  }
  if (n_picked > TPP_MAX_DEVICES) {
    /* Never write what the readers refuse (docs/result-schema.md, resource limits). */
    fprintf(stderr,
            "tppbench: --device: %zu devices selected; a result holds at most %d (pick fewer "
            "with --device)\n",
            n_picked, TPP_MAX_DEVICES);
    exit_status = 2;
    goto done;
  }
  if (tpp_topo_open(&topo) == 0)
    result.host = tpp_topo_host_json(topo);
  else if (!quiet)
    fprintf(stderr, "tppbench: hwloc could not load the topology; host not described\n");
  {
    struct tpp_device_info *sel = calloc(n_picked, sizeof(*sel));
    for (size_t k = 0; sel && k < n_picked; k++)
      sel[k] = devs[picked[k]];
    if (sel)
      tpp_runenv_warnings(sel, n_picked, "", result.warnings);
    free(sel);
    for (size_t w = 0; w < json_array_size(result.warnings) && !quiet; w++)
      fprintf(stderr, "warning: %s\n", json_string_value(json_array_get(result.warnings, w)));
  }
  for (size_t k = 0; k < n_picked; k++)
    total_rows += tpp_run_planned_rows(&devs[picked[k]], &opts);
  if (!(progress = tpp_progress_new(quiet ? NULL : stderr, isatty(fileno(stderr)), total_rows))) {
    err = TPP_ENOMEM;
    goto done;
  }
  opts.progress = progress;
  opts.stop = &stop_signal;
  if (!quiet)
    fprintf(stderr, "measuring %zu device%s%s: %zu row%s\n", n_picked, n_picked > 1 ? "s" : "",
            n_picked > 1 ? " at once, one thread each" : "", total_rows,
            total_rows == 1 ? "" : "s");
  for (size_t k = 0; k < n_picked; k++)
    jobs[k] = (struct job){
        .info = &devs[picked[k]], .opts = &opts, .topo = topo, .d = &result.devices[k]};
  run_jobs(jobs, n_picked);
  result.n_devices = n_picked;
  result.node.present = 1;
  result.node.concurrent = n_picked > 1;
  result.node.wall_s = tpp_progress_elapsed(progress);

  for (size_t k = 0; k < n_picked; k++) {
    struct tpp_device_result *d = &result.devices[k];
    int cerr;
    if ((err = jobs[k].err)) {
      /* A malformed data file the device needs (a rate table) is bad input: exit 2. */
      bad_input |= tpp_exit_status(err) == 2;
      /* Recorded as not measured (indeterminate, no TPP), never as a white device. */
      char msg[sizeof(d->error)];
      if (jobs[k].diag.text[0])
        tpp_diag_format(&jobs[k].diag, msg, sizeof(msg));
      else
        snprintf(msg, sizeof(msg), "%s", tpp_strerror(err));
      tpp_device_result_not_measured(d, msg);
      fprintf(stderr, "tppbench: %s (%s) not measured: %s\n", d->info.selector, d->info.name, msg);
    }
    attach_profile(d, &profiles, forced, profile_name, dc_forced, quiet);
    if ((cerr = tpp_device_result_classify(d, &rules)) != 0) {
      fprintf(stderr, "tppbench: %s (%s): %s\n", d->info.selector, d->info.name, d->cls.reason);
      worst = worst > tpp_exit_status(cerr) ? worst : tpp_exit_status(cerr);
    }
    if (!json)
      print_device_table(table, d);
  }
  err = 0;
  /* Every selected device measured and every requested row ok or unsupported: 0. */
  exit_status = tpp_result_run_status(&result, &n_failed, &n_errors, &measured);
  if (bad_input)
    exit_status = 2;
  if (!measured)
    fprintf(stderr, "tppbench: no precision could be measured\n");
  if (n_failed)
    fprintf(stderr,
            "tppbench: %zu of %zu devices could not be measured (recorded in the "
            "result)\n",
            n_failed, n_picked);
  if (n_errors)
    fprintf(stderr,
            "tppbench: %zu requested rows ended in an error (status \"error\" in the "
            "result, with the reason)\n",
            n_errors);
  if (worst > exit_status)
    exit_status = worst;
  if (stop_signal) {
    size_t total, begun = tpp_progress_started(progress, &total);
    result.incomplete = 1;
    snprintf(result.incomplete_reason, sizeof(result.incomplete_reason),
             "interrupted by %s after %zu of %zu rows",
             stop_signal == SIGINT ? "SIGINT" : "SIGTERM", begun, total);
    fprintf(stderr, "tppbench: %s: the rows finished so far are kept (\"complete\": false)\n",
            result.incomplete_reason);
    exit_status = 128 + stop_signal;
  }
  if (!quiet)
    fprintf(stderr,
            "done: %zu device%s, %zu rows ok, %zu failed device%s, %zu error rows, %.1f s%s\n",
            n_picked, n_picked == 1 ? "" : "s", measured, n_failed, n_failed == 1 ? "" : "s",
            n_errors, result.node.wall_s, n_picked > 1 ? " (measured at once)" : "");

write:
  /* Nothing measured: a previous result at --out is worth more than an empty one. */
  if (!measured && out_path && !to_stdout && access(out_path, F_OK) == 0) {
    fprintf(stderr, "tppbench: nothing was measured; %s left as it was (nothing written)\n",
            out_path);
    if (exit_status == 0)
      exit_status = 1;
    goto done;
  }
  utc_time(result.prov.finished, sizeof(result.prov.finished), time(NULL), 0);
  doc = tpp_result_to_json(&result);
  if (!doc || !(text = json_dumps(doc, JSON_INDENT(2) | JSON_PRESERVE_ORDER))) {
    err = TPP_ENOMEM;
    goto done;
  }
  {
    size_t len = strlen(text);
    char *nl = realloc(text, len + 2);
    if (!nl) {
      err = TPP_ENOMEM;
      goto done;
    }
    text = nl;
    text[len++] = '\n';
    text[len] = '\0';
    if (out_path) {
      snprintf(written, sizeof(written), "%s", out_path);
      err = tpp_atomic_write(out_path, text, len, &diag);
    } else
      err = write_default(text, len, t0, written, sizeof(written), &diag);
    if (err)
      goto done; /* reported once, below, with the file named */
    if (json && (fputs(text, stdout) == EOF || fflush(stdout) != 0)) {
      fprintf(stderr, "tppbench: run --json: cannot write the result to stdout: %s\n",
              strerror(errno));
      if (exit_status == 0)
        exit_status = 1;
    }
  }
  if (!quiet && !to_stdout)
    fprintf(stderr, "result written to %s\n", written);
  err = 0;
done:
  if (caught)
    signals_restore(&sigs);
  free(text);
  json_decref(doc);
  tpp_result_free(&result);
  tpp_progress_free(progress);
  tpp_topo_close(topo);
  tpp_profile_set_free(&profiles);
  free(jobs);
  free(picked);
  free(devs);
  return err ? tpp_cli_fail(err, &diag) : exit_status;

bad_input:
  json_decref(result.labels);
  tpp_profile_set_free(&profiles);
  return tpp_cli_fail(err, &diag);
}
