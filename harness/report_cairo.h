/* report_cairo.h - what the page (report_page.c) and the zone chart (report_chart.c) share:
 * text with pango, colours, the chart's geometry.  Private to the report module. */
#ifndef TPP_REPORT_CAIRO_H
#define TPP_REPORT_CAIRO_H

#include <cairo.h>
#include <pango/pangocairo.h>

#include "tpp/report.h"

#define TPP_RC_FONT "DejaVu Sans"
#define TPP_RC_INK 0x1D1F23u   /* body text, rules */
#define TPP_RC_MUTED 0x555B63u /* labels, captions */
#define TPP_RC_ALERT 0xB3261Eu /* the not-a-measurement banner, error rows */

enum tpp_rc_align { TPP_RC_LEFT, TPP_RC_CENTER, TPP_RC_RIGHT };

/* Text style: size in points, bold, colour. */
struct tpp_rc_font {
  double size;
  int bold;
  unsigned rgb;
};

void tpp_rc_rgb(cairo_t *cr, unsigned rgb);

/* Draw `text` (UTF-8, no markup) with its top at y; wrapped to `width` when width > 0, else
 * one line aligned at x.  A halo (a white outline under the glyphs) keeps a label readable
 * over any region.  Returns the height it took; *w (may be NULL) gets the width. */
double tpp_rc_text(cairo_t *cr, const struct tpp_rc_font *f, const char *text, double x, double y,
                   double width, enum tpp_rc_align align, int halo, double *w);
/* The size text would take, drawing nothing. */
void tpp_rc_text_size(cairo_t *cr, const struct tpp_rc_font *f, const char *text, double width,
                      double *w, double *h);

/* Where the chart's plot lies and what it spans (log10 of the data ranges). */
struct tpp_rc_axes {
  double x, y, w, h;         /* the plot area, in user units */
  double lx0, lx1, ly0, ly1; /* log10 of TPP and PD at its edges */
};

/* Draw the zone chart into the box (x, y, w, h); *ax (may be NULL) gets the plot's geometry. */
void tpp_rc_chart(cairo_t *cr, const struct tpp_report *rep, double x, double y, double w, double h,
                  struct tpp_rc_axes *ax);

#endif
