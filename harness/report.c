/* report.c - what the certificate says (report.h): identity, verdict, readings, notes,
 * provenance, signature, the chart's data.  Every format is written from this, so the PDF,
 * the HTML and the Markdown never disagree. */
#include "tpp/report.h"

#include <ctype.h>
#include <jansson.h>
#include <math.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "tpp/metrics.h"

static const char *const format_names[TPP_REPORT_FORMAT_COUNT] = {
    [TPP_REPORT_MD] = "md",   [TPP_REPORT_CSV] = "csv", [TPP_REPORT_HTML] = "html",
    [TPP_REPORT_PDF] = "pdf", [TPP_REPORT_SVG] = "svg", [TPP_REPORT_PNG] = "png",
};

const char *
tpp_report_format_name(enum tpp_report_format f)
{
  return (unsigned)f < TPP_REPORT_FORMAT_COUNT ? format_names[f] : "?";
}

int
tpp_report_format_parse(const char *name, enum tpp_report_format *out)
{
  for (int f = 0; f < TPP_REPORT_FORMAT_COUNT; f++)
    if (name && strcmp(name, format_names[f]) == 0) {
      *out = (enum tpp_report_format)f;
      return 0;
    }
  return TPP_EINVAL;
}

int
tpp_report_format_from_path(const char *path, enum tpp_report_format *out)
{
  const char *dot = path ? strrchr(path, '.') : NULL;
  if (!dot || strchr(dot, '/'))
    return TPP_EINVAL;
  if (strcasecmp(dot, ".htm") == 0) {
    *out = TPP_REPORT_HTML;
    return 0;
  }
  for (int f = 0; f < TPP_REPORT_FORMAT_COUNT; f++)
    if (strcasecmp(dot + 1, format_names[f]) == 0) {
      *out = (enum tpp_report_format)f;
      return 0;
    }
  return TPP_EINVAL;
}

/* Zone fills: light enough for the labels and the markers drawn over them to read in print,
 * far enough apart to tell the zones apart in grey scale. */
unsigned
tpp_report_zone_rgb(enum tpp_zone z)
{
  switch (z) {
  case TPP_ZONE_BLACK:
    return 0x33363Bu;
  case TPP_ZONE_GREY:
    return 0xA9AEB5u;
  case TPP_ZONE_WHITE:
    return 0xFFFFFFu;
  default:
    return 0xE9E3D0u;
  }
}

static void add_kv(struct tpp_report_kv *kv, size_t *n, const char *key, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void
add_kv(struct tpp_report_kv *kv, size_t *n, const char *key, const char *fmt, ...)
{
  va_list ap;
  if (*n >= TPP_REPORT_MAX_KV)
    return;
  snprintf(kv[*n].key, sizeof(kv[*n].key), "%s", key);
  va_start(ap, fmt);
  vsnprintf(kv[*n].value, sizeof(kv[*n].value), fmt, ap);
  va_end(ap);
  (*n)++;
}

/* The last line added, in full (report.h: the page shows `value`, the text formats `full`). */
static void set_full(struct tpp_report_kv *kv, size_t n, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
set_full(struct tpp_report_kv *kv, size_t n, const char *fmt, ...)
{
  va_list ap;
  if (n == 0)
    return;
  va_start(ap, fmt);
  vsnprintf(kv[n - 1].full, sizeof(kv[n - 1].full), fmt, ap);
  va_end(ap);
}

/* A SHA-256 for the page: its first 12 hex digits and an ellipsis ("" stays ""). */
static const char *
short_hash(const char *hex, char *buf, size_t cap)
{
  snprintf(buf, cap, "%.12s%s", hex, strlen(hex) > 12 ? "…" : "");
  return buf;
}

/* Append to a bounded string. */
static void cat(char *buf, size_t cap, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static void
cat(char *buf, size_t cap, const char *fmt, ...)
{
  size_t used = strlen(buf);
  va_list ap;
  if (used + 1 >= cap)
    return;
  va_start(ap, fmt);
  vsnprintf(buf + used, cap - used, fmt, ap);
  va_end(ap);
}

static void
zone_text(char *buf, size_t cap, enum tpp_zone z, const char *clause)
{
  if (clause)
    snprintf(buf, cap, "%s (%s)", tpp_zone_name(z), clause);
  else if (z == TPP_ZONE_WHITE)
    snprintf(buf, cap, "white (not controlled)");
  else
    snprintf(buf, cap, "%s", tpp_zone_name(z));
}

/* The file's SHA-256 in hex, or "unreadable". */
static void
file_sha256(const char *file, char out[65])
{
  crypto_hash_sha256_state st;
  unsigned char buf[65536], h[crypto_hash_sha256_BYTES];
  size_t n;
  FILE *f = fopen(file, "rb");
  snprintf(out, 65, "unreadable");
  if (!f || sodium_init() < 0) {
    if (f)
      fclose(f);
    return;
  }
  crypto_hash_sha256_init(&st);
  while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
    crypto_hash_sha256_update(&st, buf, n);
  if (!ferror(f)) {
    crypto_hash_sha256_final(&st, h);
    for (size_t i = 0; i < sizeof(h); i++)
      snprintf(out + 2 * i, 3, "%02x", h[i]);
  }
  fclose(f);
}

/* A profile's name made short enough to label a point: "H100 SXM5 80GB" -> "H100 SXM5",
 * "GeForce RTX 4090" -> "RTX 4090", "Ascend 910B (910B2; ...)" -> "Ascend 910B". */
static void
short_label(const struct tpp_profile *p, char *out, size_t cap)
{
  static const char *const drop_prefix[] = {"GeForce ", "Tesla ", "Instinct ", "Cloud ", NULL};
  const char *name = p->name;
  char *cut;
  size_t n;
  for (size_t i = 0; drop_prefix[i]; i++)
    if (strncmp(name, drop_prefix[i], strlen(drop_prefix[i])) == 0)
      name += strlen(drop_prefix[i]);
  snprintf(out, cap, "%s", name);
  if ((cut = strstr(out, " (")) != NULL)
    *cut = '\0';
  /* A trailing memory size ("80GB", "141GB") names a variant, not the chip. */
  n = strlen(out);
  if (n > 3 && strcmp(out + n - 2, "GB") == 0) {
    char *sp = strrchr(out, ' ');
    int digits = sp != NULL;
    for (char *q = sp ? sp + 1 : out; digits && q < out + n - 2; q++)
      digits = isdigit((unsigned char)*q);
    if (digits && sp)
      *sp = '\0';
  }
}

static void
add_refs(struct tpp_report *rep, const struct tpp_profile_set *set)
{
  const struct tpp_device_result *d = rep->dev;
  for (size_t i = 0; set && i < set->n && rep->n_refs < TPP_REPORT_MAX_REFS; i++) {
    const struct tpp_profile *p = &set->v[i];
    struct tpp_peak peaks[TPP_PROFILE_MAX_PEAKS];
    size_t n = tpp_profile_figures(p, peaks, TPP_PROFILE_MAX_PEAKS);
    double tpp = tpp_tpp_read(peaks, n, &rep->rs->readings.chosen, NULL);
    struct tpp_report_ref *r;
    if (!(isfinite(tpp) && tpp > 0))
      continue;
    r = &rep->refs[rep->n_refs++];
    snprintf(r->id, sizeof(r->id), "%s", p->id);
    short_label(p, r->label, sizeof(r->label));
    r->tpp = tpp;
    r->pd = tpp_performance_density(tpp, p->die_area_mm2);
    r->datacenter = p->datacenter;
    r->is_device_profile = d->has_profile && strcmp(p->id, d->profile.id) == 0;
    if (isnan(r->pd))
      rep->n_refs_no_area++;
  }
}

static void
build_identity(struct tpp_report *rep)
{
  const struct tpp_device_result *d = rep->dev;
  const struct tpp_device_info *i = &d->info;
  struct tpp_report_kv *kv = rep->identity;
  size_t *n = &rep->n_identity;

  add_kv(kv, n, "Device", "%s", i->name[0] ? i->name : "(no name reported)");
  add_kv(kv, n, "Vendor", "%s; selector %s", i->vendor[0] ? i->vendor : "not reported",
         i->selector);
  if (i->pci_vendor_id || i->pci_device_id)
    add_kv(kv, n, "PCI", "%04x:%04x at %s", i->pci_vendor_id, i->pci_device_id,
           i->pci_bus_id[0] ? i->pci_bus_id : "an unreported bus id");
  else
    add_kv(kv, n, "PCI", "id not reported; bus id %s",
           i->pci_bus_id[0] ? i->pci_bus_id : "not reported");
  add_kv(kv, n, "UUID", "%s", i->uuid[0] ? i->uuid : "not reported");
  if (i->global_mem_bytes)
    add_kv(kv, n, "Units, memory", "%d compute units; %.1f GiB", i->compute_units,
           (double)i->global_mem_bytes / (1u << 30));
  else
    add_kv(kv, n, "Units, memory", "%d compute units; memory not reported", i->compute_units);
  add_kv(kv, n, "Driver", "%s", i->driver_version[0] ? i->driver_version : "not recorded");
  add_kv(kv, n, "Datacenter chip", "%s", d->datacenter ? "yes" : "no (Note 2 to 3A090 applies)");
  if (isfinite(d->die_area_mm2))
    add_kv(kv, n, "Die area", "%g mm² (%s%s)", d->die_area_mm2,
           strncmp(d->die_area_source, "profile:", 8) == 0 ? "the profile's" : d->die_area_source,
           d->has_profile && d->profile.die_area_estimate &&
                   strncmp(d->die_area_source, "profile:", 8) == 0
               ? ", an estimate"
               : "");
  else
    add_kv(kv, n, "Die area", "unknown");
  if (d->has_profile) {
    snprintf(rep->profile_line, sizeof(rep->profile_line), "%s, %s (matched by %s%s)",
             d->profile.id, d->profile.name, d->profile.matched_by,
             rep->profile_matched_now ? ", when this report was made: the result records none"
                                      : "");
    add_kv(kv, n, "Profile", "%s, matched by %s%s", d->profile.id, d->profile.matched_by,
           rep->profile_matched_now ? " (now: the result records none)" : "");
  } else {
    snprintf(rep->profile_line, sizeof(rep->profile_line),
             "no profile (no device profile matches; die area only as recorded)");
    add_kv(kv, n, "Profile", "no profile (none matches)");
  }
}

/* "fp8 tensor (1682.1 x 8 bits)" or the two rows of the aggregate reading. */
static void
tpp_source(const struct tpp_device_result *d, char *buf, size_t cap)
{
  const struct tpp_reading *rd = &d->cls.reading;
  buf[0] = '\0';
  for (int k = 0; k < 2; k++) {
    int idx = k == 0 ? d->tpp_row : d->tpp_row_other;
    const struct tpp_row *r;
    if (idx < 0 || (size_t)idx >= d->n_rows)
      continue;
    r = &d->rows[idx];
    cat(buf, cap, "%s%s %s, %g x %d bits", k ? " + " : "", tpp_precision_name(r->precision),
        tpp_path_name(r->path), r->tops, tpp_reading_bits(rd, r->precision));
  }
}

/* A metric other than TPP and PD, when the rule set tests it. */
static void
other_metric(struct tpp_report *rep, enum tpp_metric m, const char *key, double v,
             const char *source)
{
  if (!(rep->map.other_used & (1u << m)))
    return;
  if (isfinite(v))
    add_kv(rep->verdict, &rep->n_verdict, key, "%g%s (%s)", v, tpp_metric_unit(m), source);
  else
    add_kv(rep->verdict, &rep->n_verdict, key, "unknown");
}

static void
build_verdict(struct tpp_report *rep)
{
  const struct tpp_device_result *d = rep->dev;
  const struct tpp_classification *c = &d->cls;
  struct tpp_report_kv *kv = rep->verdict;
  size_t *n = &rep->n_verdict;
  char src[200], reading[96], margins[400] = "";

  zone_text(rep->zone_text, sizeof(rep->zone_text), c->zone, c->clause);
  tpp_source(d, src, sizeof(src));
  if (isfinite(c->tpp))
    snprintf(rep->tpp_text, sizeof(rep->tpp_text), "%.6g (measured %s%s)", c->tpp, src,
             tpp_device_result_tpp_lower_bound(d) ? "; a lower bound" : "");
  else
    snprintf(rep->tpp_text, sizeof(rep->tpp_text), "unknown (no row measured ok and checked)");
  if (isfinite(c->pd))
    snprintf(rep->pd_text, sizeof(rep->pd_text), "%.4g (TPP / %g mm²)", c->pd, c->die_area_mm2);
  else
    snprintf(rep->pd_text, sizeof(rep->pd_text), "unknown (%s)",
             isfinite(c->die_area_mm2) ? "TPP unknown" : "die area unknown");
  tpp_reading_format(reading, sizeof(reading), &c->reading);

  add_kv(kv, n, "Rule set", "%s (in force from %s)", rep->rs->id, rep->rs->effective);
  add_kv(kv, n, "Zone", "%s%s%s", rep->zone_text, c->borderline ? "; borderline" : "",
         c->interpretation_sensitive ? "; interpretation-sensitive" : "");
  if (c->note)
    add_kv(kv, n, "Clause note", "%s", c->note);
  add_kv(kv, n, "Reason", "%s", c->reason);
  add_kv(kv, n, "TPP", "%s", rep->tpp_text);
  if (isfinite(d->tpp_unchecked))
    add_kv(kv, n, "Unchecked", "%.6g from rows no per-clock rate bounds (not counted)",
           d->tpp_unchecked);
  add_kv(kv, n, "PD", "%s", rep->pd_text);
  other_metric(rep, TPP_METRIC_INTERCONNECT, "Interconnect", c->interconnect_gbs,
               d->interconnect_source);
  other_metric(rep, TPP_METRIC_DRAM_BW, "DRAM bandwidth", c->dram_bw_gbs, d->dram_bw_source);
  add_kv(kv, n, "Reading", "%s", reading);
  if (isfinite(c->tpp) && isfinite(rep->tpp_lo) && isfinite(rep->tpp_hi))
    add_kv(kv, n, "Spread", "TPP %.6g–%.6g over the samples%s", rep->tpp_lo, rep->tpp_hi,
           c->borderline ? "" : ": no threshold inside");
  if (c->borderline)
    add_kv(kv, n, "Borderline", "%s", c->borderline_reason);
  for (size_t i = 0; i < c->n_margins; i++) {
    const struct tpp_margin *m = &c->margins[i];
    if (isnan(m->margin))
      cat(margins, sizeof(margins), "%s%s %g%s: unknown", i ? "; " : "",
          tpp_metric_label(m->metric), m->threshold, tpp_metric_unit(m->metric));
    else
      cat(margins, sizeof(margins), "%s%s %g%s: %+.6g", i ? "; " : "", tpp_metric_label(m->metric),
          m->threshold, tpp_metric_unit(m->metric), m->margin);
  }
  if (margins[0])
    add_kv(kv, n, "Margins", "%s", margins);
}

static void
build_readings(struct tpp_report *rep)
{
  const struct tpp_classification *c = &rep->dev->cls;
  for (size_t k = 0; k < c->n_readings && rep->n_readings < TPP_MAX_READINGS; k++) {
    const struct tpp_reading_outcome *o = &c->readings[k];
    char name[96], zt[160];
    if (!o->evaluated || !o->differs)
      continue;
    tpp_reading_format(name, sizeof(name), &o->reading);
    zone_text(zt, sizeof(zt), o->zone, o->clause);
    rep->reading_tpp[rep->n_readings] = o->tpp;
    snprintf(rep->reading_label[rep->n_readings], sizeof(rep->reading_label[0]), "%s reading",
             tpp_tpp_reading_name(o->reading.tpp));
    snprintf(rep->readings[rep->n_readings++], sizeof(rep->readings[0]), "%s: TPP %.6g, %s", name,
             o->tpp, zt);
  }
}

static void
build_notes(struct tpp_report *rep)
{
  const struct tpp_device_result *d = rep->dev;
  size_t errors = 0, unchecked = 0;
  for (size_t i = 0; i < d->n_rows; i++) {
    errors += d->rows[i].status == TPP_ROW_ERROR;
    unchecked += d->rows[i].status == TPP_ROW_OK && d->rows[i].unchecked;
  }
  for (size_t i = 0; i < d->n_bw; i++)
    errors += d->bw[i].status == TPP_ROW_ERROR;
  if (unchecked)
    snprintf(rep->notes[rep->n_notes++], sizeof(rep->notes[0]),
             "unchecked: %zu row(s) no per-clock rate bounds from above: shown, not counted in "
             "TPP%s.",
             unchecked, isfinite(d->tpp_unchecked) ? " (they would set it higher)" : "");
  if (rep->result && rep->result->incomplete)
    snprintf(rep->notes[rep->n_notes++], sizeof(rep->notes[0]),
             "INCOMPLETE: %s; the rows the run did not reach are unknown%s.",
             rep->result->incomplete_reason[0] ? rep->result->incomplete_reason
                                               : "the run did not finish",
             d->interrupted ? " and this device's TPP is at least what it shows" : "");
  if (tpp_device_result_tpp_lower_bound(d) && !d->interrupted)
    snprintf(rep->notes[rep->n_notes++], sizeof(rep->notes[0]),
             "lower bound: TPP comes from a kernel below the device's peak path; the device's "
             "TPP is at least this.");
  if (errors)
    snprintf(rep->notes[rep->n_notes++], sizeof(rep->notes[0]),
             "error: %zu row(s) ended in an error (reason in the table); the other rows ran.",
             errors);
}

/* The base name of a path. */
static const char *
base_name(const char *path)
{
  const char *b = strrchr(path, '/');
  return b ? b + 1 : path;
}

static void
build_provenance(struct tpp_report *rep)
{
  const struct tpp_result *r = rep->result;
  const struct tpp_provenance *p = &r->prov;
  const struct tpp_device_result *d = rep->dev;
  struct tpp_report_kv *kv = rep->provenance;
  size_t *n = &rep->n_provenance;
  json_t *h = r->host;
  const char *host = json_string_value(json_object_get(h, "hostname"));
  const char *os = json_string_value(json_object_get(h, "os"));
  const char *cpu = json_string_value(json_object_get(h, "cpu_model"));
  const char *nr = "not recorded";
  char s1[32], sha[65];

  add_kv(kv, n, "Result file", "%s, SHA-256 %s", base_name(rep->file),
         short_hash(rep->sha256, s1, sizeof(s1)));
  set_full(kv, *n, "%s, SHA-256 %s", rep->file, rep->sha256);
  if (!r->has_provenance)
    add_kv(kv, n, "Provenance",
           "not recorded: a result of schema 3 or older, or not written by "
           "`run` (no binary, run time, rule-set or label record)");
  if (!r->has_provenance)
    add_kv(kv, n, "Binary", "%s", nr);
  else if (p->binary_sha256[0]) {
    add_kv(kv, n, "Binary", "SHA-256 %s (%s)", short_hash(p->binary_sha256, s1, sizeof(s1)),
           p->binary_path[0] ? base_name(p->binary_path) : "path not recorded");
    set_full(kv, *n, "SHA-256 %s (%s)", p->binary_sha256,
             p->binary_path[0] ? p->binary_path : "path not recorded");
  } else
    add_kv(kv, n, "Binary", "not hashed: %s", p->binary_error[0] ? p->binary_error : "no reason");
  add_kv(kv, n, "Tool", "tppbench %s%s%s%s",
         r->tool_version[0] ? r->tool_version : "(version not recorded)",
         r->git_describe[0] ? " (" : "", r->git_describe, r->git_describe[0] ? ")" : "");
  if (r->has_provenance && (p->started[0] || p->finished[0]))
    add_kv(kv, n, "Run (UTC)", "%s to %s", p->started[0] ? p->started : "start not recorded",
           p->finished[0] ? p->finished : "end not recorded");
  else
    add_kv(kv, n, "Run (UTC)", "%s; created %s", nr,
           r->created[0] ? r->created : "(date not recorded)");
  if (r->has_provenance && p->hostname[0] && !host)
    host = p->hostname;
  if (host || os || cpu)
    add_kv(kv, n, "Host", "%s%s%s%s%s", host ? host : "(name not recorded)", os ? ", " : "",
           os ? os : "", cpu ? ", " : "", cpu ? cpu : "");
  else
    add_kv(kv, n, "Host", "not recorded");
  for (size_t i = 0; i < r->n_backends; i++)
    if (strcmp(r->backends[i].name, d->info.backend) == 0)
      add_kv(kv, n, "Backend", "%s: %s", r->backends[i].name, r->backends[i].status.reason);
  /* The rule set the run classified under, as recorded; and the one this report used when
   * it is another file (where it was found differs from machine to machine; its content
   * does not). */
  if (r->has_provenance && p->rules_id[0]) {
    add_kv(kv, n, "Rules", "%s, SHA-256 %s", p->rules_id,
           p->rules_sha256[0] ? short_hash(p->rules_sha256, s1, sizeof(s1)) : "not recorded");
    set_full(kv, *n, "%s (%s), SHA-256 %s", p->rules_id, p->rules_file,
             p->rules_sha256[0] ? p->rules_sha256 : "not recorded");
  } else
    add_kv(kv, n, "Rules", "%s", nr);
  if (rep->rs->path[0]) {
    file_sha256(rep->rs->path, sha);
    if (!(r->has_provenance && strcmp(sha, p->rules_sha256) == 0)) {
      add_kv(kv, n, "Rules now", "%s, SHA-256 %s", rep->rs->id, short_hash(sha, s1, sizeof(s1)));
      set_full(kv, *n, "%s (%s), SHA-256 %s", rep->rs->id, base_name(rep->rs->path), sha);
    }
  }
  if (d->has_profile && d->profile.sha256[0]) {
    const char *now = rep->profile_matched_now ? " (matched now)" : "";
    add_kv(kv, n, "Profile file", "%s, SHA-256 %s%s", d->profile.id,
           short_hash(d->profile.sha256, s1, sizeof(s1)), now);
    set_full(kv, *n, "%s (%s), SHA-256 %s%s", d->profile.id, d->profile.file, d->profile.sha256,
             now);
  } else if (d->has_profile)
    add_kv(kv, n, "Profile file", "%s, SHA-256 not recorded", d->profile.id);
  else
    add_kv(kv, n, "Profile file", "none matched");
  {
    char labels[400] = "";
    const char *k;
    json_t *v;
    json_object_foreach (r->labels, k, v)
      cat(labels, sizeof(labels), "%s%s=%s", labels[0] ? ", " : "", k, json_string_value(v));
    add_kv(kv, n, "Labels", "%s", labels[0] ? labels : r->has_provenance ? "none" : "not recorded");
  }
  if (d->info.has_board) {
    char board[400];
    tpp_board_describe(&d->info.board, board, sizeof(board));
    add_kv(kv, n, "Board", "%s", board);
  } else
    add_kv(kv, n, "Board", "not recorded");
}

static void
build_signature(struct tpp_report *rep, const struct tpp_report_signature *sig)
{
  struct stat st;
  char sigfile[4200];
  if (sig)
    rep->sig = *sig;
  snprintf(sigfile, sizeof(sigfile), "%s.minisig", rep->file);
  rep->sig.file_present = stat(sigfile, &st) == 0;
  if (rep->sig.checked)
    snprintf(rep->signature_text, sizeof(rep->signature_text),
             "verified: Ed25519 signature by trusted key %s (%s)%s%s; trusted comment: %s",
             rep->sig.key_id, rep->sig.key, rep->sig.timestamp[0] ? ", signed " : "",
             rep->sig.timestamp, rep->sig.trusted_comment);
  else if (rep->sig.file_present)
    snprintf(rep->signature_text, sizeof(rep->signature_text),
             "not checked: %s.minisig is present; check it with `minisign -Vm FILE -p KEY.pub` "
             "or give `--trust KEY.pub`",
             rep->file);
  else
    snprintf(rep->signature_text, sizeof(rep->signature_text),
             "not checked: the result is not signed (no %s.minisig)", rep->file);
}

static void
build_banner(struct tpp_report *rep)
{
  const struct tpp_result *r = rep->result;
  if (rep->dev->info.simulated)
    snprintf(rep->banner, sizeof(rep->banner),
             "SIMULATED DEVICE: the driver is a test simulator. No figure in this report is a "
             "measurement.");
  else if (strcmp(r->tool_version, "synthetic") == 0)
    snprintf(rep->banner, sizeof(rep->banner),
             "SYNTHETIC EXAMPLE: this result was constructed by hand (tool version "
             "\"synthetic\"), not measured. No figure in this report is a measurement.");
}

/* What the chart cannot show: a metric other than TPP and PD the rule set tests. */
static void
build_other_note(struct tpp_report *rep)
{
  const struct tpp_device_result *d = rep->dev;
  for (int m = 0; m < TPP_METRIC_COUNT; m++) {
    double t[TPP_RULES_MAX_THRESHOLDS], v = rep->map.other[m];
    size_t nt;
    const char *source = m == TPP_METRIC_INTERCONNECT ? d->interconnect_source : d->dram_bw_source;
    if (!(rep->map.other_used & (1u << m)))
      continue;
    nt = tpp_rules_thresholds(rep->rs, d->datacenter, (enum tpp_metric)m, t,
                              TPP_RULES_MAX_THRESHOLDS);
    cat(rep->other_note, sizeof(rep->other_note), "%s%s also tests %s (threshold%s",
        rep->other_note[0] ? " " : "", rep->rs->id, tpp_metric_label((enum tpp_metric)m),
        nt > 1 ? "s" : "");
    for (size_t i = 0; i < nt; i++)
      cat(rep->other_note, sizeof(rep->other_note), "%s %g%s", i ? "," : "", t[i],
          tpp_metric_unit((enum tpp_metric)m));
    if (isfinite(v))
      cat(rep->other_note, sizeof(rep->other_note),
          "); this device: %g%s (%s): the regions are drawn for that value.", v,
          tpp_metric_unit((enum tpp_metric)m), source[0] ? source : "?");
    else
      cat(rep->other_note, sizeof(rep->other_note),
          "); unknown for this device: hatched regions depend on it.");
  }
}

int
tpp_report_build(struct tpp_report *rep, const char *file, const struct tpp_result *r,
                 const struct tpp_device_result *d, const struct tpp_ruleset *rs,
                 const struct tpp_profile_set *profiles, const struct tpp_report_signature *sig,
                 int profile_matched_now, struct tpp_diag *diag)
{
  const struct tpp_classification *c = &d->cls;
  struct tpp_chip_facts facts;
  double other[TPP_METRIC_COUNT];
  int err;

  memset(rep, 0, sizeof(*rep));
  rep->file = file;
  rep->result = r;
  rep->dev = d;
  rep->rs = rs;
  rep->profile_matched_now = profile_matched_now;
  file_sha256(file, rep->sha256);
  snprintf(rep->title, sizeof(rep->title), "%s", d->info.name[0] ? d->info.name : d->info.selector);

  for (int m = 0; m < TPP_METRIC_COUNT; m++)
    other[m] = tpp_classification_value(c, (enum tpp_metric)m);
  if ((err = tpp_zonemap_build(rs, d->datacenter, other, &rep->map)))
    return tpp_diag_set(diag, err, rs->path, 0, "clauses",
                        "too many thresholds to draw the zones of %s", rs->id);

  tpp_device_result_facts(d, &facts);
  rep->tpp = c->tpp;
  rep->tpp_lo = isfinite(c->tpp) ? facts.tpp_lo : NAN;
  rep->tpp_hi = isfinite(c->tpp) ? facts.tpp_hi : NAN;
  rep->pd = c->pd;
  rep->pd_lo = tpp_performance_density(rep->tpp_lo, c->die_area_mm2);
  rep->pd_hi = tpp_performance_density(rep->tpp_hi, c->die_area_mm2);

  build_banner(rep);
  build_identity(rep);
  build_verdict(rep);
  build_readings(rep);
  build_notes(rep);
  build_provenance(rep);
  build_signature(rep, sig);
  build_other_note(rep);
  add_refs(rep, profiles);
  return 0;
}
