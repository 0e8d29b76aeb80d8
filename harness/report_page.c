/* report_page.c - the certificate as one page (PDF, SVG, PNG) drawn with cairo, text laid out
 * by pango; the zone chart alone as SVG for the HTML (report.h).
 *
 * The page is A4 portrait in points.  It is laid out twice: once on a recording surface to
 * learn where everything falls (a result with many rows makes the page taller rather than
 * cutting it), then on the real surface. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cairo-pdf.h>
#include <cairo-svg.h>
#include <fontconfig/fontconfig.h>

#include "report_cairo.h"

#define PAGE_W 595.28
#define PAGE_H 841.89
#define MARGIN 36.0
#define CONTENT_W (PAGE_W - 2 * MARGIN)
#define CHART_H 266.0

static const struct tpp_rc_font f_small = {6.3, 0, TPP_RC_MUTED};
static const struct tpp_rc_font f_body = {7.2, 0, TPP_RC_INK};
static const struct tpp_rc_font f_key = {7.2, 0, TPP_RC_MUTED};
static const struct tpp_rc_font f_head = {8.5, 1, TPP_RC_INK};
static const struct tpp_rc_font f_cell = {6.4, 0, TPP_RC_INK};
static const struct tpp_rc_font f_cell_head = {6.4, 1, TPP_RC_INK};

void
tpp_rc_rgb(cairo_t *cr, unsigned rgb)
{
  cairo_set_source_rgb(cr, ((rgb >> 16) & 255) / 255.0, ((rgb >> 8) & 255) / 255.0,
                       (rgb & 255) / 255.0);
}

/* A pango layout of text in font f (sizes in user units: 1 point), wrapped at width > 0. */
static PangoLayout *
make_layout(cairo_t *cr, const struct tpp_rc_font *f, const char *text, double width,
            enum tpp_rc_align align)
{
  PangoLayout *l = pango_cairo_create_layout(cr);
  PangoFontDescription *fd = pango_font_description_new();
  cairo_font_options_t *fo = cairo_font_options_create();

  /* Metrics that do not depend on the surface, so both layout passes agree. */
  cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
  cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
  pango_cairo_context_set_font_options(pango_layout_get_context(l), fo);
  pango_layout_context_changed(l);
  cairo_font_options_destroy(fo);
  pango_font_description_set_family(fd, TPP_RC_FONT);
  pango_font_description_set_weight(fd, f->bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
  pango_font_description_set_absolute_size(fd, f->size * PANGO_SCALE);
  pango_layout_set_font_description(l, fd);
  pango_font_description_free(fd);
  if (width > 0) {
    pango_layout_set_width(l, (int)(width * PANGO_SCALE));
    pango_layout_set_wrap(l, PANGO_WRAP_WORD_CHAR);
  }
  pango_layout_set_alignment(l, align == TPP_RC_CENTER  ? PANGO_ALIGN_CENTER
                                : align == TPP_RC_RIGHT ? PANGO_ALIGN_RIGHT
                                                        : PANGO_ALIGN_LEFT);
  pango_layout_set_text(l, text, -1);
  return l;
}

void
tpp_rc_text_size(cairo_t *cr, const struct tpp_rc_font *f, const char *text, double width,
                 double *w, double *h)
{
  PangoLayout *l = make_layout(cr, f, text, width, TPP_RC_LEFT);
  int pw, ph;
  pango_layout_get_size(l, &pw, &ph);
  *w = (double)pw / PANGO_SCALE;
  *h = (double)ph / PANGO_SCALE;
  g_object_unref(l);
}

double
tpp_rc_text(cairo_t *cr, const struct tpp_rc_font *f, const char *text, double x, double y,
            double width, enum tpp_rc_align align, int halo, double *w)
{
  PangoLayout *l = make_layout(cr, f, text, width, align);
  int pw, ph;
  double left = x;

  pango_layout_get_size(l, &pw, &ph);
  if (width <= 0 && align == TPP_RC_CENTER)
    left = x - (double)pw / PANGO_SCALE / 2;
  else if (width <= 0 && align == TPP_RC_RIGHT)
    left = x - (double)pw / PANGO_SCALE;
  cairo_save(cr);
  cairo_move_to(cr, left, y);
  if (halo) {
    pango_cairo_layout_path(cr, l);
    cairo_set_source_rgba(cr, 1, 1, 1, 0.92);
    cairo_set_line_width(cr, 2.4);
    cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
    cairo_stroke(cr);
    cairo_move_to(cr, left, y);
  }
  tpp_rc_rgb(cr, f->rgb);
  pango_cairo_show_layout(cr, l);
  cairo_restore(cr);
  if (w)
    *w = (double)pw / PANGO_SCALE;
  g_object_unref(l);
  return (double)ph / PANGO_SCALE;
}

/* --- blocks of the page ----------------------------------------------------------------- */

static double
section_head(cairo_t *cr, const char *title, double x, double y, double w)
{
  double h = tpp_rc_text(cr, &f_head, title, x, y, 0, TPP_RC_LEFT, 0, NULL);
  tpp_rc_rgb(cr, 0xC9CCD1u);
  cairo_set_line_width(cr, 0.6);
  cairo_move_to(cr, x, y + h + 1.5);
  cairo_line_to(cr, x + w, y + h + 1.5);
  cairo_stroke(cr);
  return h + 4;
}

/* Key/value lines, keys in a column of key_w; returns the height. */
static double
kv_block(cairo_t *cr, const struct tpp_report_kv *kv, size_t n, double x, double y, double w,
         double key_w)
{
  double y0 = y;
  for (size_t i = 0; i < n; i++) {
    double hv, hk;
    hk = tpp_rc_text(cr, &f_key, kv[i].key, x, y, key_w - 4, TPP_RC_LEFT, 0, NULL);
    hv = tpp_rc_text(cr, &f_body, kv[i].value, x + key_w, y, w - key_w, TPP_RC_LEFT, 0, NULL);
    y += (hv > hk ? hv : hk) + 1.2;
  }
  return y - y0;
}

static double
header(cairo_t *cr, const struct tpp_report *rep, double y)
{
  char sub[400];
  double h, y0 = y;
  tpp_rc_text(cr, &(struct tpp_rc_font){7, 1, TPP_RC_MUTED}, "ACCELERATOR COMPUTE REPORT", MARGIN,
              y, 0, TPP_RC_LEFT, 0, NULL);
  tpp_rc_text(cr, &(struct tpp_rc_font){7, 0, TPP_RC_MUTED}, rep->rs->id, PAGE_W - MARGIN, y, 0,
              TPP_RC_RIGHT, 0, NULL);
  y += 10;
  h = tpp_rc_text(cr, &(struct tpp_rc_font){17, 1, TPP_RC_INK}, rep->title, MARGIN, y, CONTENT_W,
                  TPP_RC_LEFT, 0, NULL);
  y += h + 1;
  snprintf(sub, sizeof(sub),
           "Measured dense throughput, TPP and export-control zone · result of %s · tppbench %s",
           rep->result->created[0] ? rep->result->created : "an unrecorded date",
           rep->result->tool_version[0] ? rep->result->tool_version : "(version not recorded)");
  y += tpp_rc_text(cr, &(struct tpp_rc_font){7.5, 0, TPP_RC_MUTED}, sub, MARGIN, y, CONTENT_W,
                   TPP_RC_LEFT, 0, NULL);
  y += 4;
  tpp_rc_rgb(cr, TPP_RC_INK);
  cairo_set_line_width(cr, 1.6);
  cairo_move_to(cr, MARGIN, y);
  cairo_line_to(cr, PAGE_W - MARGIN, y);
  cairo_stroke(cr);
  return y + 7 - y0;
}

static double
banner(cairo_t *cr, const struct tpp_report *rep, double y)
{
  const struct tpp_rc_font f = {8, 1, TPP_RC_ALERT};
  double w, h;
  if (!rep->banner[0])
    return 0;
  tpp_rc_text_size(cr, &f, rep->banner, CONTENT_W - 16, &w, &h);
  cairo_set_source_rgb(cr, 1, 0.96, 0.95);
  cairo_rectangle(cr, MARGIN, y, CONTENT_W, h + 10);
  cairo_fill_preserve(cr);
  tpp_rc_rgb(cr, TPP_RC_ALERT);
  cairo_set_line_width(cr, 1.4);
  cairo_stroke(cr);
  tpp_rc_text(cr, &f, rep->banner, MARGIN + 8, y + 5, CONTENT_W - 16, TPP_RC_LEFT, 0, NULL);
  return h + 10 + 8;
}

/* The zone badge and the verdict lines. */
static double
verdict(cairo_t *cr, const struct tpp_report *rep, double x, double y, double w)
{
  const struct tpp_classification *c = &rep->dev->cls;
  unsigned fill = tpp_report_zone_rgb(c->zone);
  struct tpp_rc_font fz = {15, 1, c->zone == TPP_ZONE_BLACK ? 0xFFFFFFu : TPP_RC_INK};
  struct tpp_rc_font fc = {7.5, 1, fz.rgb};
  char zone[32], clause[96];
  double h = section_head(cr, "Verdict", x, y, w), bh = 38, tw, cw, ch, bw = 100;

  snprintf(zone, sizeof(zone), "%s", tpp_zone_name(c->zone));
  for (char *p = zone; *p; p++)
    *p = (char)(*p >= 'a' && *p <= 'z' ? *p - 32 : *p);
  snprintf(clause, sizeof(clause), "%s",
           c->clause                   ? c->clause
           : c->zone == TPP_ZONE_WHITE ? "not controlled"
                                       : "no verdict");
  /* The badge is as wide as its clause, up to 150 points; a longer one wraps. */
  tpp_rc_text_size(cr, &fc, clause, 0, &cw, &ch);
  if (cw + 12 > bw)
    bw = cw + 12 > 150 ? 150 : cw + 12;
  tpp_rc_text_size(cr, &fz, zone, 0, &cw, &ch);
  if (cw + 16 > bw)
    bw = cw + 16;
  tpp_rc_text_size(cr, &fc, clause, bw - 8, &cw, &ch);
  if (24 + ch + 4 > bh)
    bh = 24 + ch + 4;
  tpp_rc_rgb(cr, fill);
  cairo_rectangle(cr, x, y + h, bw, bh);
  cairo_fill_preserve(cr);
  tpp_rc_rgb(cr, TPP_RC_INK);
  cairo_set_line_width(cr, 1);
  cairo_stroke(cr);
  tpp_rc_text(cr, &fz, zone, x + bw / 2, y + h + 4, 0, TPP_RC_CENTER, 0, &tw);
  tpp_rc_text(cr, &fc, clause, x + 4, y + h + 24, bw - 8, TPP_RC_CENTER, 0, NULL);
  {
    char line[400];
    double ty = y + h, th;
    snprintf(line, sizeof(line), "TPP %s", rep->tpp_text);
    th = tpp_rc_text(cr, &(struct tpp_rc_font){8, 1, TPP_RC_INK}, line, x + bw + 8, ty, w - bw - 8,
                     TPP_RC_LEFT, 0, NULL);
    ty += th + 1;
    snprintf(line, sizeof(line), "PD %s", rep->pd_text);
    ty += tpp_rc_text(cr, &(struct tpp_rc_font){8, 1, TPP_RC_INK}, line, x + bw + 8, ty, w - bw - 8,
                      TPP_RC_LEFT, 0, NULL) +
          1;
    snprintf(line, sizeof(line), "%s%s", c->borderline ? "BORDERLINE. " : "",
             c->interpretation_sensitive ? "INTERPRETATION-SENSITIVE (below)." : "");
    if (line[0])
      ty += tpp_rc_text(cr, &(struct tpp_rc_font){7.5, 1, TPP_RC_ALERT}, line, x + bw + 8, ty,
                        w - bw - 8, TPP_RC_LEFT, 0, NULL);
    if (ty - y - h > bh)
      bh = ty - y - h;
  }
  h += bh + 5;
  /* The lines after the headline ones (rule set, zone, clause, reason, ...). */
  {
    struct tpp_report_kv rest[TPP_REPORT_MAX_KV];
    size_t n = 0;
    for (size_t i = 0; i < rep->n_verdict; i++)
      if (strcmp(rep->verdict[i].key, "TPP") && strcmp(rep->verdict[i].key, "PD") &&
          strcmp(rep->verdict[i].key, "Zone"))
        rest[n++] = rep->verdict[i];
    h += kv_block(cr, rest, n, x, y + h, w, 58);
  }
  return h;
}

/* The measured table.  Precision and path share the first column here (width 0: merged into
 * the column before), so the kernel names and the reasons get the room. */
static double
table(cairo_t *cr, const struct tpp_report *rep, double y)
{
  static const double widths[TPP_REPORT_COLS] = {54, 0, 38, 36, 40, 26, 34, 40, 80, 92, 0};
  char cells[TPP_REPORT_COLS][TPP_REPORT_CELL];
  double x[TPP_REPORT_COLS + 1], y0 = y, h = 0;
  int sets;

  x[0] = MARGIN;
  for (int c = 0; c < TPP_REPORT_COLS; c++)
    x[c + 1] = c + 1 < TPP_REPORT_COLS ? x[c] + widths[c] : PAGE_W - MARGIN;
  y += section_head(cr, "Measured", MARGIN, y, CONTENT_W);
  for (int c = 0; c < TPP_REPORT_COLS; c++) {
    double hh;
    if (x[c + 1] <= x[c])
      continue;
    hh = tpp_rc_text(cr, &f_cell_head, c == 0 ? "Precision, path" : tpp_report_columns[c],
                     x[c] + 1.5, y, x[c + 1] - x[c] - 3, TPP_RC_LEFT, 0, NULL);
    h = hh > h ? hh : h;
  }
  y += h + 2;
  tpp_rc_rgb(cr, TPP_RC_INK);
  cairo_set_line_width(cr, 0.8);
  cairo_move_to(cr, MARGIN, y);
  cairo_line_to(cr, PAGE_W - MARGIN, y);
  cairo_stroke(cr);
  y += 2;
  for (size_t k = 0; k < tpp_report_table_rows(rep); k++) {
    enum tpp_row_status st = tpp_report_table_row(rep, k, cells, &sets);
    struct tpp_rc_font f = f_cell;
    double rh = 0;
    int span = st == TPP_ROW_ERROR || st == TPP_ROW_UNSUPPORTED;
    snprintf(cells[0] + strlen(cells[0]), TPP_REPORT_CELL - strlen(cells[0]), " %s", cells[1]);
    if (span) {
      /* A row that was not measured: its kernel and reason across the last three columns. */
      char why[2 * TPP_REPORT_CELL + 4];
      snprintf(why, sizeof(why), "%s%s%s", strcmp(cells[9], "-") ? cells[9] : "",
               strcmp(cells[9], "-") ? ": " : "", cells[10]);
      snprintf(cells[8], TPP_REPORT_CELL, "%s", why);
      cells[9][0] = cells[10][0] = '\0';
    }
    if (sets)
      f.bold = 1;
    if (st == TPP_ROW_ERROR || st == TPP_ROW_UNSUPPORTED)
      f.rgb = TPP_RC_ALERT;
    else if (st == TPP_ROW_SKIPPED) /* ok but unchecked */
      f.rgb = 0x8A5A00u;
    /* Measure, shade every other row, then draw. */
    for (int c = 0; c < TPP_REPORT_COLS; c++) {
      double w, hh; /* numbers are one line, right-aligned; the text columns wrap */
      double right_edge = span && c == 8 ? PAGE_W - MARGIN : x[c + 1];
      if (x[c + 1] <= x[c] || (span && c > 8))
        continue;
      tpp_rc_text_size(cr, &f, cells[c], c >= 3 && c <= 7 ? 0 : right_edge - x[c] - 3, &w, &hh);
      rh = hh > rh ? hh : rh;
    }
    if (k % 2 == 1) {
      tpp_rc_rgb(cr, 0xF3F4F6u);
      cairo_rectangle(cr, MARGIN, y - 1, CONTENT_W, rh + 2);
      cairo_fill(cr);
    }
    for (int c = 0; c < TPP_REPORT_COLS; c++) {
      int right = c >= 3 && c <= 7;
      double right_edge = span && c == 8 ? PAGE_W - MARGIN : x[c + 1];
      if (x[c + 1] <= x[c] || (span && c > 8))
        continue;
      tpp_rc_text(cr, &f, cells[c], right ? x[c + 1] - 4 : x[c] + 1.5, y,
                  right ? 0 : right_edge - x[c] - 3, right ? TPP_RC_RIGHT : TPP_RC_LEFT, 0, NULL);
    }
    y += rh + 2;
  }
  tpp_rc_rgb(cr, 0xC9CCD1u);
  cairo_set_line_width(cr, 0.6);
  cairo_move_to(cr, MARGIN, y);
  cairo_line_to(cr, PAGE_W - MARGIN, y);
  cairo_stroke(cr);
  y += 3;
  y += tpp_rc_text(cr, &f_small,
                   "TOPS: tera-operations per second, a multiply-add counted as 2 (median of the "
                   "timed samples); TOPS × bits under the reading above; peak: the per-clock peak "
                   "at the clock measured during the row. Spread: coefficient of variation, "
                   "lowest and highest sample; n: timed samples. Bold: the row TPP is read from.",
                   MARGIN, y, CONTENT_W, TPP_RC_LEFT, 0, NULL);
  for (size_t i = 0; i < rep->n_notes; i++)
    y += tpp_rc_text(cr, &(struct tpp_rc_font){6.3, 1, 0x8A5A00u}, rep->notes[i], MARGIN, y + 1,
                     CONTENT_W, TPP_RC_LEFT, 0, NULL) +
         1;
  return y - y0;
}

static double
readings(cairo_t *cr, const struct tpp_report *rep, double y)
{
  char line[1800];
  double y0 = y;
  if (rep->n_readings == 0) {
    snprintf(line, sizeof(line),
             "Readings of the rule: no other reading that %s admits (aggregate TPP, TF32 bit "
             "length) gives another zone.",
             rep->rs->id);
  } else {
    snprintf(line, sizeof(line), "Interpretation-sensitive: other readings give another zone:");
    for (size_t i = 0; i < rep->n_readings; i++)
      snprintf(line + strlen(line), sizeof(line) - strlen(line), "%s %s", i ? ";" : "",
               rep->readings[i]);
  }
  y += tpp_rc_text(
      cr,
      &(struct tpp_rc_font){7, rep->n_readings > 0, rep->n_readings ? TPP_RC_ALERT : TPP_RC_INK},
      line, MARGIN, y, CONTENT_W, TPP_RC_LEFT, 0, NULL);
  if (rep->other_note[0])
    y += tpp_rc_text(cr, &f_small, rep->other_note, MARGIN, y + 1, CONTENT_W, TPP_RC_LEFT, 0,
                     NULL) +
         1;
  return y - y0 + 6;
}

/* The profile's advisories (statements by a regulator about the product), in the verdict
 * column: they bear on it as much as the zone. */
static double
advisories(cairo_t *cr, const struct tpp_report *rep, double x, double y, double w)
{
  const struct tpp_device_result *d = rep->dev;
  char line[3000];
  double y0 = y;
  for (size_t i = 0; d->has_profile && i < d->profile.n_advisories; i++) {
    snprintf(line, sizeof(line), "Advisory %s: %s", d->profile.advisories[i].date,
             d->profile.advisories[i].text);
    y += tpp_rc_text(cr, &(struct tpp_rc_font){7, 1, TPP_RC_ALERT}, line, x, y + 2, w, TPP_RC_LEFT,
                     0, NULL) +
         2;
    snprintf(line, sizeof(line), "Source: %s", d->profile.advisories[i].source);
    y += tpp_rc_text(cr, &f_small, line, x, y, w, TPP_RC_LEFT, 0, NULL);
  }
  return y - y0;
}

/* Verified or not, right under the title. */
static double
signature_line(cairo_t *cr, const struct tpp_report *rep, double y)
{
  struct tpp_rc_font fs = {7.2, 1, rep->sig.checked ? 0x1E7B34u : TPP_RC_INK};
  double h;
  tpp_rc_text(cr, &f_key, "Signature", MARGIN, y, 0, TPP_RC_LEFT, 0, NULL);
  h = tpp_rc_text(cr, &fs, rep->signature_text, MARGIN + 52, y, CONTENT_W - 52, TPP_RC_LEFT, 0,
                  NULL);
  return h + 7;
}

/* Two columns of key/value lines, split in the middle. */
static double
provenance_block(cairo_t *cr, const struct tpp_report *rep, double y)
{
  const double gap = 14, w = (CONTENT_W - gap) / 2;
  size_t half = (rep->n_provenance + 1) / 2;
  double y0 = y, h1, h2;
  y += section_head(cr, "Provenance", MARGIN, y, CONTENT_W);
  h1 = kv_block(cr, rep->provenance, half, MARGIN, y, w, 52);
  h2 = kv_block(cr, rep->provenance + half, rep->n_provenance - half, MARGIN + w + gap, y, w, 52);
  return y - y0 + (h1 > h2 ? h1 : h2);
}

static double
footer(cairo_t *cr, const struct tpp_report *rep, double y)
{
  char line[1200];
  double y0 = y;
  tpp_rc_rgb(cr, TPP_RC_INK);
  cairo_set_line_width(cr, 0.8);
  cairo_move_to(cr, MARGIN, y);
  cairo_line_to(cr, PAGE_W - MARGIN, y);
  cairo_stroke(cr);
  y += 3;
  snprintf(line, sizeof(line), "Rule set %s: %s. Source: %s", rep->rs->id, rep->rs->title,
           rep->rs->source);
  y += tpp_rc_text(cr, &f_small, line, MARGIN, y, CONTENT_W, TPP_RC_LEFT, 0, NULL) + 2;
  y += tpp_rc_text(cr, &f_small, tpp_report_disclaimer, MARGIN, y, CONTENT_W, TPP_RC_LEFT, 0, NULL);
  return y - y0;
}

/* The whole page from the top; returns where the content ends and the chart's axes. */
static double
draw_page(cairo_t *cr, const struct tpp_report *rep, struct tpp_rc_axes *ax)
{
  const double col = CONTENT_W * 0.6, gap = 14;
  double y = MARGIN, h1, h2;

  y += header(cr, rep, y);
  y += banner(cr, rep, y);
  y += signature_line(cr, rep, y);
  h1 = verdict(cr, rep, MARGIN, y, col);
  h1 += advisories(cr, rep, MARGIN, y + h1, col);
  h2 = section_head(cr, "Device", MARGIN + col + gap, y, CONTENT_W - col - gap);
  h2 += kv_block(cr, rep->identity, rep->n_identity, MARGIN + col + gap, y + h2,
                 CONTENT_W - col - gap, 62);
  y += (h1 > h2 ? h1 : h2) + 8;
  {
    /* A long table takes room from the chart, down to 200 points, before the page shrinks. */
    size_t rows = tpp_report_table_rows(rep);
    double ch = rows <= 12 ? CHART_H : CHART_H - 6.0 * (double)(rows - 12);
    if (ch < 200)
      ch = 200;
    tpp_rc_chart(cr, rep, MARGIN, y, CONTENT_W, ch, ax);
    y += ch + 4;
  }
  y += readings(cr, rep, y);
  y += table(cr, rep, y) + 8;
  y += provenance_block(cr, rep, y) + 8;
  y += footer(cr, rep, y);
  return y;
}

/* Where the page's content goes: A4, the content scaled down (to 78 % at the least) when
 * it would run past the bottom margin, and a taller page beyond that. */
struct page_geom {
  double height;         /* of the page */
  double scale, tx, ty;  /* content transform: translate, then scale */
  struct tpp_rc_axes ax; /* the chart, in content units */
};

#define MIN_SCALE 0.78

static void
layout(const struct tpp_report *rep, struct page_geom *g)
{
  cairo_surface_t *s = cairo_recording_surface_create(CAIRO_CONTENT_COLOR_ALPHA, NULL);
  cairo_t *cr = cairo_create(s);
  double bottom = draw_page(cr, rep, &g->ax), k = 1;
  cairo_destroy(cr);
  cairo_surface_destroy(s);
  if (bottom + MARGIN > PAGE_H) {
    k = (PAGE_H - 2 * MARGIN) / (bottom - MARGIN);
    if (k < MIN_SCALE)
      k = MIN_SCALE;
  }
  g->scale = k;
  if (getenv("TPP_REPORT_DEBUG"))
    fprintf(stderr, "layout: bottom %.1f scale %.3f\n", bottom, k);
  g->tx = MARGIN * (1 - k) + CONTENT_W * (1 - k) / 2; /* centred between the margins */
  g->ty = MARGIN * (1 - k);
  g->height = MARGIN + k * (bottom - MARGIN) + MARGIN;
  if (g->height < PAGE_H)
    g->height = PAGE_H;
  else
    g->height = ceil(g->height);
}

/* --- output ------------------------------------------------------------------------------- */

struct stream {
  unsigned char *p;
  size_t len, cap;
};

static cairo_status_t
stream_write(void *closure, const unsigned char *data, unsigned int length)
{
  struct stream *s = closure;
  if (s->len + length > s->cap) {
    size_t cap = (s->cap ? s->cap * 2 : 65536) + length;
    unsigned char *q = realloc(s->p, cap);
    if (!q)
      return CAIRO_STATUS_NO_MEMORY;
    s->p = q;
    s->cap = cap;
  }
  memcpy(s->p + s->len, data, length);
  s->len += length;
  return CAIRO_STATUS_SUCCESS;
}

static int
finish(cairo_surface_t *surf, struct stream *st, char **out, size_t *len, struct tpp_diag *diag)
{
  cairo_status_t cs;
  cairo_surface_finish(surf);
  cs = cairo_surface_status(surf);
  cairo_surface_destroy(surf);
  if (cs != CAIRO_STATUS_SUCCESS) {
    free(st->p);
    return tpp_diag_set(diag, cs == CAIRO_STATUS_NO_MEMORY ? TPP_ENOMEM : TPP_EIO, NULL, 0,
                        "report", "cairo: %s", cairo_status_to_string(cs));
  }
  *out = (char *)st->p;
  *len = st->len;
  return 0;
}

int
tpp_report_render_page(const struct tpp_report *rep, enum tpp_report_format f, char **out,
                       size_t *len, struct tpp_diag *diag)
{
  struct stream st = {0};
  cairo_surface_t *surf;
  cairo_t *cr;
  cairo_status_t cs;
  struct page_geom g;
  double h;

  layout(rep, &g);
  h = g.height;

  switch (f) {
  case TPP_REPORT_PDF: {
    char title[400];
    surf = cairo_pdf_surface_create_for_stream(stream_write, &st, PAGE_W, h);
    snprintf(title, sizeof(title), "%s: %s under %s", rep->title, rep->zone_text, rep->rs->id);
    cairo_pdf_surface_set_metadata(surf, CAIRO_PDF_METADATA_TITLE, title);
    cairo_pdf_surface_set_metadata(surf, CAIRO_PDF_METADATA_CREATOR, "tppbench report");
    /* The result's date, not the clock's: the same result gives the same file. */
    if (strlen(rep->result->created) == 20)
      cairo_pdf_surface_set_metadata(surf, CAIRO_PDF_METADATA_CREATE_DATE, rep->result->created);
    break;
  }
  case TPP_REPORT_SVG:
    surf = cairo_svg_surface_create_for_stream(stream_write, &st, PAGE_W, h);
    cairo_svg_surface_set_document_unit(surf, CAIRO_SVG_UNIT_PT);
    break;
  case TPP_REPORT_PNG:
    surf = cairo_image_surface_create(CAIRO_FORMAT_RGB24, (int)ceil(PAGE_W * TPP_REPORT_PNG_SCALE),
                                      (int)ceil(h * TPP_REPORT_PNG_SCALE));
    break;
  default:
    return tpp_diag_set(diag, TPP_EINVAL, NULL, 0, "--format", "not a page format: %s",
                        tpp_report_format_name(f));
  }
  cr = cairo_create(surf);
  if (f == TPP_REPORT_PNG)
    cairo_scale(cr, TPP_REPORT_PNG_SCALE, TPP_REPORT_PNG_SCALE);
  cairo_set_source_rgb(cr, 1, 1, 1);
  cairo_paint(cr);
  cairo_translate(cr, g.tx, g.ty);
  cairo_scale(cr, g.scale, g.scale);
  draw_page(cr, rep, NULL);
  cs = cairo_status(cr);
  cairo_destroy(cr);
  if (cs != CAIRO_STATUS_SUCCESS) {
    cairo_surface_destroy(surf);
    free(st.p);
    return tpp_diag_set(diag, TPP_EIO, NULL, 0, "report", "cairo: %s", cairo_status_to_string(cs));
  }
  if (f == TPP_REPORT_PNG) {
    cs = cairo_surface_write_to_png_stream(surf, stream_write, &st);
    if (cs != CAIRO_STATUS_SUCCESS) {
      cairo_surface_destroy(surf);
      free(st.p);
      return tpp_diag_set(diag, TPP_EIO, NULL, 0, "report", "cairo: %s",
                          cairo_status_to_string(cs));
    }
  }
  return finish(surf, &st, out, len, diag);
}

int
tpp_report_chart_svg(const struct tpp_report *rep, double width, double height, char **out,
                     size_t *len, struct tpp_diag *diag)
{
  struct stream st = {0};
  cairo_surface_t *surf = cairo_svg_surface_create_for_stream(stream_write, &st, width, height);
  cairo_t *cr = cairo_create(surf);
  cairo_set_source_rgb(cr, 1, 1, 1);
  cairo_paint(cr);
  tpp_rc_chart(cr, rep, 6, 6, width - 12, height - 12, NULL);
  cairo_destroy(cr);
  return finish(surf, &st, out, len, diag);
}

int
tpp_report_page_point(const struct tpp_report *rep, double tpp, double pd, double *x, double *y)
{
  struct page_geom g;
  const struct tpp_rc_axes *a = &g.ax;
  double lx = log10(tpp), ly = log10(pd);
  layout(rep, &g);
  if (!(lx >= a->lx0 && lx <= a->lx1 && ly >= a->ly0 && ly <= a->ly1))
    return TPP_EINVAL;
  *x = g.tx + g.scale * (a->x + (lx - a->lx0) / (a->lx1 - a->lx0) * a->w);
  *y = g.ty + g.scale * (a->y + a->h - (ly - a->ly0) / (a->ly1 - a->ly0) * a->h);
  return 0;
}

void
tpp_report_release_fonts(void)
{
  pango_cairo_font_map_set_default(NULL);
  cairo_debug_reset_static_data();
  FcFini();
}
