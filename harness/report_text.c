/* report_text.c - the certificate as Markdown, CSV and self-contained HTML (report.h), and
 * the measured table every format shares. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tpp/metrics.h"
#include "tpp/report.h"

const char *const tpp_report_columns[TPP_REPORT_COLS] = {
    "Precision", "Path",       "Status", "TOPS",   "TOPS × bits", "Clock MHz",
    "Peak TOPS", "Efficiency", "Spread", "Kernel", "Notes",
};

const char tpp_report_disclaimer[] =
    "This report states what tppbench measured on the device above and how the rule set above "
    "classifies those figures; it is not a licence determination or legal advice, and the "
    "exporter remains responsible for the classification. The rule counts TPP at its "
    "theoretical maximum (Technical Note to ECCN 3A090): a measured TPP is at most that, so a "
    "zone from measured figures is checked against the datasheet's (tppbench verify). Rule "
    "thresholds and datasheet figures are data files that cite their sources.";

/* A growing text buffer; on allocation failure `failed` is set and appends stop. */
struct sbuf {
  char *p;
  size_t len, cap;
  int failed;
};

static void sb_add(struct sbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void
sb_add(struct sbuf *b, const char *fmt, ...)
{
  va_list ap;
  int n;
  if (b->failed)
    return;
  va_start(ap, fmt);
  n = vsnprintf(NULL, 0, fmt, ap);
  va_end(ap);
  if (n < 0) {
    b->failed = 1;
    return;
  }
  if (b->len + (size_t)n + 1 > b->cap) {
    size_t cap = (b->cap ? b->cap * 2 : 8192) + (size_t)n;
    char *q = realloc(b->p, cap);
    if (!q) {
      b->failed = 1;
      return;
    }
    b->p = q;
    b->cap = cap;
  }
  va_start(ap, fmt);
  vsnprintf(b->p + b->len, b->cap - b->len, fmt, ap);
  va_end(ap);
  b->len += (size_t)n;
}

/* Append s with the characters a format treats specially escaped. */
static void
sb_escaped(struct sbuf *b, const char *s, enum tpp_report_format f)
{
  for (; *s; s++) {
    char c = *s;
    if (f == TPP_REPORT_HTML && c == '&')
      sb_add(b, "&amp;");
    else if (f == TPP_REPORT_HTML && c == '<')
      sb_add(b, "&lt;");
    else if (f == TPP_REPORT_HTML && c == '>')
      sb_add(b, "&gt;");
    else if (f == TPP_REPORT_HTML && c == '"')
      sb_add(b, "&quot;");
    else if (f == TPP_REPORT_MD && (c == '|' || c == '*' || c == '_' || c == '<' || c == '['))
      sb_add(b, "\\%c", c);
    else if (f == TPP_REPORT_CSV && c == '"')
      sb_add(b, "\"\"");
    else if (c == '\n' || c == '\r' || c == '\t')
      sb_add(b, " ");
    else
      sb_add(b, "%c", c);
  }
}

static int
sb_finish(struct sbuf *b, char **out, size_t *len)
{
  if (b->failed) {
    free(b->p);
    return TPP_ENOMEM;
  }
  *out = b->p;
  *len = b->len;
  return 0;
}

/* --- the table ----------------------------------------------------------------------- */

/* v with `digits` significant digits (style 'g') or decimals ('f'), then `unit`; "-" when
 * unknown. */
static void
num(char *buf, double v, char style, int digits, const char *unit)
{
  if (!isfinite(v))
    snprintf(buf, TPP_REPORT_CELL, "-");
  else if (style == 'g')
    snprintf(buf, TPP_REPORT_CELL, "%.*g%s", digits, v, unit);
  else
    snprintf(buf, TPP_REPORT_CELL, "%.*f%s", digits, v, unit);
}

size_t
tpp_report_table_rows(const struct tpp_report *rep)
{
  size_t n = rep->dev->n_bw;
  for (size_t i = 0; i < rep->dev->n_rows; i++)
    n += rep->dev->rows[i].status != TPP_ROW_SKIPPED;
  return n;
}

static void
spread_cell(char *buf, const struct tpp_stats *s, int ok)
{
  if (!ok || s->n == 0)
    snprintf(buf, TPP_REPORT_CELL, "-");
  else
    snprintf(buf, TPP_REPORT_CELL, "%.2f %% (%.4g–%.4g)", 100 * s->cv, s->min, s->max);
}

enum tpp_row_status
tpp_report_table_row(const struct tpp_report *rep, size_t k,
                     char cells[TPP_REPORT_COLS][TPP_REPORT_CELL], int *sets_tpp)
{
  const struct tpp_device_result *d = rep->dev;
  size_t i;
  *sets_tpp = 0;
  for (int c = 0; c < TPP_REPORT_COLS; c++)
    snprintf(cells[c], TPP_REPORT_CELL, "-");
  for (i = 0; i < d->n_rows; i++) {
    const struct tpp_row *r = &d->rows[i];
    int ok;
    if (r->status == TPP_ROW_SKIPPED || k-- > 0)
      continue;
    ok = r->status == TPP_ROW_OK;
    *sets_tpp = (int)i == d->tpp_row || (int)i == d->tpp_row_other;
    snprintf(cells[0], TPP_REPORT_CELL, "%s", tpp_precision_name(r->precision));
    snprintf(cells[1], TPP_REPORT_CELL, "%s", tpp_path_name(r->path));
    snprintf(cells[2], TPP_REPORT_CELL, "%s",
             ok && r->unchecked ? "unchecked" : tpp_row_status_name(r->status));
    num(cells[3], r->tops, 'g', 5, "");
    num(cells[4], tpp_reading_bits(&d->cls.reading, r->precision) * r->tops, 'g', 6, "");
    num(cells[5], r->telemetry.clock_mhz, 'f', 0, "");
    num(cells[6], r->peak_tops, 'g', 5, "");
    num(cells[7], 100 * r->efficiency, 'f', 1, " %");
    spread_cell(cells[8], &r->stats, ok);
    snprintf(cells[9], TPP_REPORT_CELL, "%s", r->kernel[0] ? r->kernel : "-");
    cells[10][0] = '\0';
    if (*sets_tpp)
      strcat(cells[10], "sets TPP; ");
    if (r->lower_bound)
      strcat(cells[10], "lower bound; ");
    if (r->device_reset)
      strcat(cells[10], "device reset; ");
    if (ok && r->unchecked)
      strcat(cells[10], "no per-clock rate: not counted; ");
    if (!ok)
      snprintf(cells[10] + strlen(cells[10]), TPP_REPORT_CELL - strlen(cells[10]), "%s",
               r->reason[0] ? r->reason : tpp_row_status_name(r->status));
    else if (cells[10][0])
      cells[10][strlen(cells[10]) - 2] = '\0'; /* the last "; " */
    else
      snprintf(cells[10], TPP_REPORT_CELL, "%s, n %zu", r->verified ? "verified" : "not verified",
               r->stats.n);
    return ok && r->unchecked ? TPP_ROW_SKIPPED : r->status;
  }
  if (k < d->n_bw) {
    const struct tpp_bw_row *b = &d->bw[k];
    int ok = b->status == TPP_ROW_OK;
    snprintf(cells[0], TPP_REPORT_CELL, "memory");
    snprintf(cells[1], TPP_REPORT_CELL, "%s", b->kind);
    snprintf(cells[2], TPP_REPORT_CELL, "%s", tpp_row_status_name(b->status));
    if (isfinite(b->gbs))
      snprintf(cells[3], TPP_REPORT_CELL, "%.5g GB/s", b->gbs);
    spread_cell(cells[8], &b->stats, ok);
    snprintf(cells[9], TPP_REPORT_CELL, "%s", b->kernel[0] ? b->kernel : "-");
    if (ok)
      snprintf(cells[10], TPP_REPORT_CELL, "%s, n %zu%s", b->verified ? "verified" : "not verified",
               b->stats.n, b->device_reset ? "; device reset" : "");
    else
      snprintf(cells[10], TPP_REPORT_CELL, "%s%s", b->reason[0] ? b->reason : "-",
               b->device_reset ? "; device reset" : "");
    return b->status;
  }
  return TPP_ROW_SKIPPED;
}

/* --- Markdown ------------------------------------------------------------------------ */

static void
md_kv(struct sbuf *b, const struct tpp_report_kv *kv, size_t n)
{
  sb_add(b, "| | |\n| --- | --- |\n");
  for (size_t i = 0; i < n; i++) {
    sb_add(b, "| **%s** | ", kv[i].key);
    sb_escaped(b, kv[i].full[0] ? kv[i].full : kv[i].value, TPP_REPORT_MD);
    sb_add(b, " |\n");
  }
  sb_add(b, "\n");
}

static void
md_table(struct sbuf *b, const struct tpp_report *rep)
{
  char cells[TPP_REPORT_COLS][TPP_REPORT_CELL];
  int sets;
  for (int c = 0; c < TPP_REPORT_COLS; c++)
    sb_add(b, "| %s ", tpp_report_columns[c]);
  sb_add(b, "|\n");
  for (int c = 0; c < TPP_REPORT_COLS; c++)
    sb_add(b, c >= 3 && c <= 7 ? "| ---: " : "| --- ");
  sb_add(b, "|\n");
  for (size_t k = 0; k < tpp_report_table_rows(rep); k++) {
    tpp_report_table_row(rep, k, cells, &sets);
    for (int c = 0; c < TPP_REPORT_COLS; c++) {
      sb_add(b, "| %s", sets && c == 3 ? "**" : "");
      sb_escaped(b, cells[c], TPP_REPORT_MD);
      sb_add(b, "%s ", sets && c == 3 ? "**" : "");
    }
    sb_add(b, "|\n");
  }
}

static void
render_md(const struct tpp_report *rep, struct sbuf *b)
{
  const struct tpp_ruleset *rs = rep->rs;
  sb_add(b, "# Accelerator compute report: ");
  sb_escaped(b, rep->title, TPP_REPORT_MD);
  sb_add(b, "\n\n");
  if (rep->banner[0]) {
    sb_add(b, "> **");
    sb_escaped(b, rep->banner, TPP_REPORT_MD);
    sb_add(b, "**\n\n");
  }
  sb_add(b, "**Zone: %s** under `%s`. TPP ", rep->zone_text, rs->id);
  sb_escaped(b, rep->tpp_text, TPP_REPORT_MD);
  sb_add(b, "; PD ");
  sb_escaped(b, rep->pd_text, TPP_REPORT_MD);
  sb_add(b, ".\n\n## Verdict\n\n");
  md_kv(b, rep->verdict, rep->n_verdict);
  sb_add(b, "## Readings of the rule\n\n");
  if (rep->n_readings == 0)
    sb_add(b, "No other reading of the rule that `%s` admits gives another zone.\n\n", rs->id);
  for (size_t i = 0; i < rep->n_readings; i++) {
    sb_add(b, "- interpretation-sensitive: ");
    sb_escaped(b, rep->readings[i], TPP_REPORT_MD);
    sb_add(b, "\n");
  }
  if (rep->n_readings)
    sb_add(b, "\n");
  sb_add(b, "## Device\n\n");
  md_kv(b, rep->identity, rep->n_identity);
  sb_add(b, "## Measured\n\n");
  md_table(b, rep);
  sb_add(b, "\nTOPS: tera-operations per second, a multiply-add counted as 2 (median of the "
            "timed samples); spread: coefficient of variation, lowest and highest sample; n: timed "
            "samples.\n");
  for (size_t i = 0; i < rep->n_notes; i++) {
    sb_add(b, "%s- ", i ? "" : "\n");
    sb_escaped(b, rep->notes[i], TPP_REPORT_MD);
    sb_add(b, "\n");
  }
  sb_add(b, "\n## Profile and advisories\n\n");
  sb_escaped(b, rep->profile_line, TPP_REPORT_MD);
  sb_add(b, "\n\n");
  if (rep->dev->has_profile)
    for (size_t i = 0; i < rep->dev->profile.n_advisories; i++) {
      const struct tpp_advisory *a = &rep->dev->profile.advisories[i];
      sb_add(b, "- **Advisory %s**: ", a->date);
      sb_escaped(b, a->text, TPP_REPORT_MD);
      sb_add(b, " (source: ");
      sb_escaped(b, a->source, TPP_REPORT_MD);
      sb_add(b, ")\n");
    }
  if (rep->other_note[0]) {
    sb_add(b, "\n");
    sb_escaped(b, rep->other_note, TPP_REPORT_MD);
    sb_add(b, "\n");
  }
  sb_add(b, "\n## Provenance\n\n");
  md_kv(b, rep->provenance, rep->n_provenance);
  sb_add(b, "**Signature**: ");
  sb_escaped(b, rep->signature_text, TPP_REPORT_MD);
  sb_add(b, "\n\n## Rule set\n\n`%s`: ", rs->id);
  sb_escaped(b, rs->title, TPP_REPORT_MD);
  sb_add(b, ". Source: ");
  sb_escaped(b, rs->source, TPP_REPORT_MD);
  sb_add(b, "\n\nThe zone chart is in the pdf, svg, png and html formats "
            "(`tppbench report --format pdf`).\n\n---\n\n");
  sb_escaped(b, tpp_report_disclaimer, TPP_REPORT_MD);
  sb_add(b, "\n");
}

/* --- CSV ----------------------------------------------------------------------------- */

static void
csv_field(struct sbuf *b, const char *s, int last)
{
  sb_add(b, "\"");
  sb_escaped(b, s, TPP_REPORT_CSV);
  sb_add(b, "\"%s", last ? "\r\n" : ",");
}

static void
csv_num(struct sbuf *b, double v, int last)
{
  if (isfinite(v))
    sb_add(b, "%.10g%s", v, last ? "\r\n" : ",");
  else
    sb_add(b, "%s", last ? "\r\n" : ",");
}

/* One record per measured row (numbers unformatted, empty when unknown), a blank line, then
 * the verdict as quantity,value records (RFC 4180 fields, CRLF). */
static void
render_csv(const struct tpp_report *rep, struct sbuf *b)
{
  const struct tpp_device_result *d = rep->dev;
  sb_add(b, "kind,precision,path,status,value,unit,bit_tops,clock_mhz,peak_tops,efficiency,cv,"
            "min,max,samples,kernel,sets_tpp,unchecked,lower_bound,device_reset,reason\r\n");
  for (size_t i = 0; i < d->n_rows; i++) {
    const struct tpp_row *r = &d->rows[i];
    if (r->status == TPP_ROW_SKIPPED)
      continue;
    sb_add(b, "compute,%s,%s,%s,", tpp_precision_name(r->precision), tpp_path_name(r->path),
           tpp_row_status_name(r->status));
    csv_num(b, r->tops, 0);
    sb_add(b, "TOPS,");
    csv_num(b, tpp_reading_bits(&d->cls.reading, r->precision) * r->tops, 0);
    csv_num(b, r->telemetry.clock_mhz, 0);
    csv_num(b, r->peak_tops, 0);
    csv_num(b, r->efficiency, 0);
    csv_num(b, r->stats.n ? r->stats.cv : NAN, 0);
    csv_num(b, r->stats.n ? r->stats.min : NAN, 0);
    csv_num(b, r->stats.n ? r->stats.max : NAN, 0);
    sb_add(b, "%zu,", r->stats.n);
    csv_field(b, r->kernel, 0);
    sb_add(b, "%d,%d,%d,%d,", (int)i == d->tpp_row || (int)i == d->tpp_row_other,
           r->status == TPP_ROW_OK && r->unchecked, r->lower_bound, r->device_reset);
    csv_field(b, r->reason, 1);
  }
  for (size_t i = 0; i < d->n_bw; i++) {
    const struct tpp_bw_row *w = &d->bw[i];
    sb_add(b, "bandwidth,,%s,%s,", w->kind, tpp_row_status_name(w->status));
    csv_num(b, w->gbs, 0);
    sb_add(b, "GB/s,,,,,");
    csv_num(b, w->stats.n ? w->stats.cv : NAN, 0);
    csv_num(b, w->stats.n ? w->stats.min : NAN, 0);
    csv_num(b, w->stats.n ? w->stats.max : NAN, 0);
    sb_add(b, "%zu,", w->stats.n);
    csv_field(b, w->kernel, 0);
    sb_add(b, "0,0,0,%d,", w->device_reset);
    csv_field(b, w->reason, 1);
  }
  sb_add(b, "\r\nquantity,value\r\n");
  csv_field(b, "device", 0);
  csv_field(b, rep->title, 1);
  if (rep->banner[0]) {
    csv_field(b, "not a measurement", 0);
    csv_field(b, rep->banner, 1);
  }
  csv_field(b, "rules", 0);
  csv_field(b, rep->rs->id, 1);
  csv_field(b, "zone", 0);
  csv_field(b, tpp_zone_name(d->cls.zone), 1);
  csv_field(b, "clause", 0);
  csv_field(b, d->cls.clause ? d->cls.clause : "", 1);
  sb_add(b, "\"tpp\",");
  csv_num(b, d->cls.tpp, 1);
  sb_add(b, "\"tpp_lo\",");
  csv_num(b, rep->tpp_lo, 1);
  sb_add(b, "\"tpp_hi\",");
  csv_num(b, rep->tpp_hi, 1);
  sb_add(b, "\"performance_density\",");
  csv_num(b, d->cls.pd, 1);
  sb_add(b, "\"die_area_mm2\",");
  csv_num(b, d->cls.die_area_mm2, 1);
  sb_add(b, "\"borderline\",%d\r\n", d->cls.borderline);
  sb_add(b, "\"interpretation_sensitive\",%d\r\n", d->cls.interpretation_sensitive);
  for (size_t i = 0; i < d->cls.n_margins; i++) {
    char key[96];
    snprintf(key, sizeof(key), "margin %s %g", tpp_metric_name(d->cls.margins[i].metric),
             d->cls.margins[i].threshold);
    csv_field(b, key, 0);
    csv_num(b, d->cls.margins[i].margin, 1);
  }
  for (size_t i = 0; i < rep->n_verdict; i++) {
    csv_field(b, rep->verdict[i].key, 0);
    csv_field(b, rep->verdict[i].value, 1);
  }
  for (size_t i = 0; i < rep->n_readings; i++) {
    csv_field(b, "other reading", 0);
    csv_field(b, rep->readings[i], 1);
  }
  for (size_t i = 0; i < rep->n_identity; i++) {
    csv_field(b, rep->identity[i].key, 0);
    csv_field(b, rep->identity[i].value, 1);
  }
  for (size_t i = 0; i < rep->n_provenance; i++) {
    csv_field(b, rep->provenance[i].key, 0);
    csv_field(b, rep->provenance[i].full[0] ? rep->provenance[i].full : rep->provenance[i].value,
              1);
  }
  csv_field(b, "signature", 0);
  csv_field(b, rep->signature_text, 1);
}

/* --- HTML ---------------------------------------------------------------------------- */

static const char html_style[] =
    "body{font-family:'DejaVu Sans',Arial,Helvetica,sans-serif;color:#1d1f23;background:#fff;"
    "margin:0;font-size:13px;line-height:1.4}"
    "main{max-width:1000px;margin:0 auto;padding:24px 32px}"
    "header{border-bottom:3px solid #1d1f23;padding-bottom:8px;margin-bottom:14px}"
    "h1{font-size:22px;margin:0}h2{font-size:15px;margin:18px 0 6px;border-bottom:1px solid "
    "#c9ccd1;padding-bottom:2px}"
    ".sub{color:#555b63}.banner{border:2px solid #b3261e;color:#b3261e;font-weight:bold;"
    "padding:8px 12px;margin:10px 0}"
    ".zone{display:inline-block;padding:4px 12px;border:1px solid #1d1f23;font-weight:bold;"
    "font-size:16px}"
    ".z-black{background:#33363b;color:#fff}.z-grey{background:#a9aeb5}.z-white{background:#fff}"
    ".z-indeterminate{background:#e9e3d0}"
    "table{border-collapse:collapse;width:100%}td,th{padding:3px 6px;vertical-align:top;"
    "text-align:left}"
    "table.kv th{width:150px;color:#555b63;font-weight:normal}"
    "table.kv td{overflow-wrap:anywhere}"
    "table.m th{border-bottom:1.5px solid #1d1f23}table.m td{border-bottom:1px solid #e3e5e8}"
    "table.m td.n{text-align:right;font-variant-numeric:tabular-nums}"
    "tr.tpp td{font-weight:bold}tr.error td,tr.unsupported td{color:#b3261e}"
    "tr.unchecked td{color:#8a5a00}"
    ".chart{text-align:center;margin:8px 0}.chart svg{width:100%;height:auto}"
    ".small{font-size:11px;color:#555b63}footer{margin-top:18px;border-top:1px solid #c9ccd1;"
    "padding-top:6px}"
    "@media print{main{padding:0}@page{size:A4;margin:14mm}}";

static void
html_kv(struct sbuf *b, const struct tpp_report_kv *kv, size_t n)
{
  sb_add(b, "<table class=\"kv\">\n");
  for (size_t i = 0; i < n; i++) {
    sb_add(b, "<tr><th>");
    sb_escaped(b, kv[i].key, TPP_REPORT_HTML);
    sb_add(b, "</th><td>");
    sb_escaped(b, kv[i].full[0] ? kv[i].full : kv[i].value, TPP_REPORT_HTML);
    sb_add(b, "</td></tr>\n");
  }
  sb_add(b, "</table>\n");
}

static void
html_table(struct sbuf *b, const struct tpp_report *rep)
{
  char cells[TPP_REPORT_COLS][TPP_REPORT_CELL];
  int sets;
  sb_add(b, "<table class=\"m\">\n<tr>");
  for (int c = 0; c < TPP_REPORT_COLS; c++)
    sb_add(b, "<th>%s</th>", tpp_report_columns[c]);
  sb_add(b, "</tr>\n");
  for (size_t k = 0; k < tpp_report_table_rows(rep); k++) {
    enum tpp_row_status st = tpp_report_table_row(rep, k, cells, &sets);
    sb_add(b, "<tr class=\"%s%s\">", st == TPP_ROW_SKIPPED ? "unchecked" : tpp_row_status_name(st),
           sets ? " tpp" : "");
    for (int c = 0; c < TPP_REPORT_COLS; c++) {
      sb_add(b, "<td%s>", c >= 3 && c <= 7 ? " class=\"n\"" : "");
      sb_escaped(b, cells[c], TPP_REPORT_HTML);
      sb_add(b, "</td>");
    }
    sb_add(b, "</tr>\n");
  }
  sb_add(b, "</table>\n");
}

static int
render_html(const struct tpp_report *rep, struct sbuf *b, struct tpp_diag *diag)
{
  const struct tpp_ruleset *rs = rep->rs;
  char *svg = NULL;
  size_t svg_len = 0;
  const char *body;
  int err;

  if ((err = tpp_report_chart_svg(rep, 600, 380, &svg, &svg_len, diag)))
    return err;
  /* Inline: from <svg onwards (the XML declaration belongs to a file, not to HTML). */
  body = strstr(svg, "<svg");
  sb_add(b, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>");
  sb_escaped(b, rep->title, TPP_REPORT_HTML);
  sb_add(b, ": %s under ", tpp_zone_name(rep->dev->cls.zone));
  sb_escaped(b, rs->id, TPP_REPORT_HTML);
  sb_add(b, "</title>\n<style>%s</style>\n</head>\n<body>\n<main>\n<header>\n", html_style);
  sb_add(b, "<h1>Accelerator compute report</h1>\n<div class=\"sub\">");
  sb_escaped(b, rep->title, TPP_REPORT_HTML);
  sb_add(b, " &middot; measured dense throughput, Total Processing Performance and "
            "export-control zone under <b>");
  sb_escaped(b, rs->id, TPP_REPORT_HTML);
  sb_add(b, "</b></div>\n</header>\n");
  if (rep->banner[0]) {
    sb_add(b, "<div class=\"banner\">");
    sb_escaped(b, rep->banner, TPP_REPORT_HTML);
    sb_add(b, "</div>\n");
  }
  sb_add(b, "<p><span class=\"zone z-%s\">", tpp_zone_name(rep->dev->cls.zone));
  sb_escaped(b, rep->zone_text, TPP_REPORT_HTML);
  sb_add(b, "</span> &nbsp; TPP <b>");
  sb_escaped(b, rep->tpp_text, TPP_REPORT_HTML);
  sb_add(b, "</b> &nbsp; PD <b>");
  sb_escaped(b, rep->pd_text, TPP_REPORT_HTML);
  sb_add(b, "</b></p>\n<div class=\"chart\">\n%s\n</div>\n", body ? body : "");
  if (rep->other_note[0]) {
    sb_add(b, "<p class=\"small\">");
    sb_escaped(b, rep->other_note, TPP_REPORT_HTML);
    sb_add(b, "</p>\n");
  }
  free(svg);
  sb_add(b, "<h2>Verdict</h2>\n");
  html_kv(b, rep->verdict, rep->n_verdict);
  sb_add(b, "<h2>Readings of the rule</h2>\n");
  if (rep->n_readings == 0) {
    sb_add(b, "<p>No other reading of the rule that ");
    sb_escaped(b, rs->id, TPP_REPORT_HTML);
    sb_add(b, " admits gives another zone.</p>\n");
  } else
    sb_add(b, "<p>Interpretation-sensitive: these readings give another zone.</p>\n<ul>\n");
  for (size_t i = 0; i < rep->n_readings; i++) {
    sb_add(b, "<li>");
    sb_escaped(b, rep->readings[i], TPP_REPORT_HTML);
    sb_add(b, "</li>\n");
  }
  if (rep->n_readings)
    sb_add(b, "</ul>\n");
  sb_add(b, "<h2>Device</h2>\n");
  html_kv(b, rep->identity, rep->n_identity);
  sb_add(b, "<h2>Measured</h2>\n");
  html_table(b, rep);
  sb_add(b, "<p class=\"small\">TOPS: tera-operations per second, a multiply-add counted as 2 "
            "(median of the timed samples). Spread: coefficient of variation, then the lowest "
            "and highest sample; n: timed samples. The bold row sets TPP.</p>\n");
  for (size_t i = 0; i < rep->n_notes; i++) {
    sb_add(b, "<p class=\"small\">");
    sb_escaped(b, rep->notes[i], TPP_REPORT_HTML);
    sb_add(b, "</p>\n");
  }
  sb_add(b, "<h2>Profile and advisories</h2>\n<p>");
  sb_escaped(b, rep->profile_line, TPP_REPORT_HTML);
  sb_add(b, "</p>\n");
  if (rep->dev->has_profile)
    for (size_t i = 0; i < rep->dev->profile.n_advisories; i++) {
      const struct tpp_advisory *a = &rep->dev->profile.advisories[i];
      sb_add(b, "<p><b>Advisory %s</b>: ", a->date);
      sb_escaped(b, a->text, TPP_REPORT_HTML);
      sb_add(b, " <span class=\"small\">Source: ");
      sb_escaped(b, a->source, TPP_REPORT_HTML);
      sb_add(b, "</span></p>\n");
    }
  sb_add(b, "<h2>Provenance and signature</h2>\n");
  html_kv(b, rep->provenance, rep->n_provenance);
  sb_add(b, "<p><b>Signature</b>: ");
  sb_escaped(b, rep->signature_text, TPP_REPORT_HTML);
  sb_add(b, "</p>\n<footer>\n<p class=\"small\"><b>");
  sb_escaped(b, rs->id, TPP_REPORT_HTML);
  sb_add(b, "</b>: ");
  sb_escaped(b, rs->title, TPP_REPORT_HTML);
  sb_add(b, ". Source: ");
  sb_escaped(b, rs->source, TPP_REPORT_HTML);
  sb_add(b, "</p>\n<p class=\"small\">");
  sb_escaped(b, tpp_report_disclaimer, TPP_REPORT_HTML);
  sb_add(b, "</p>\n</footer>\n</main>\n</body>\n</html>\n");
  return 0;
}

int
tpp_report_render(const struct tpp_report *rep, enum tpp_report_format f, char **out, size_t *len,
                  struct tpp_diag *diag)
{
  struct sbuf b = {0};
  int err;
  switch (f) {
  case TPP_REPORT_MD:
    render_md(rep, &b);
    break;
  case TPP_REPORT_CSV:
    render_csv(rep, &b);
    break;
  case TPP_REPORT_HTML:
    if ((err = render_html(rep, &b, diag))) {
      free(b.p);
      return err;
    }
    break;
  default:
    return tpp_report_render_page(rep, f, out, len, diag);
  }
  return sb_finish(&b, out, len);
}
