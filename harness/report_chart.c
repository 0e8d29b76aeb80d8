/* report_chart.c - the zone chart: TPP (x) against performance density (y), log scales, the
 * regions of the rule set from its zone map (zonemap.h), the device with its measured
 * spread, reference chips from the device profiles, labelled where a label fits. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report_cairo.h"
#include "tpp/zonemap.h"

#define TAU 6.283185307179586 /* a full turn, radians */
#define MAX_BOXES 512
#define STRIP_H 30.0 /* the band above the plot for chips without a die area */

static const struct tpp_rc_font f_tick = {6.5, 0, TPP_RC_MUTED};
static const struct tpp_rc_font f_tick_bold = {6.5, 1, TPP_RC_INK};
static const struct tpp_rc_font f_axis = {7.5, 0, TPP_RC_INK};
static const struct tpp_rc_font f_title = {8.5, 1, TPP_RC_INK};
static const struct tpp_rc_font f_ref = {6, 0, TPP_RC_INK};
static const struct tpp_rc_font f_dev = {7.5, 1, TPP_RC_INK};
static const struct tpp_rc_font f_legend = {6.5, 0, TPP_RC_INK};

struct box {
  double x0, y0, x1, y1;
};

/* Labels placed so far and marks they must not cover. */
struct placer {
  struct box bounds;
  struct box b[MAX_BOXES];
  size_t n;
};

static double
clampd(double v, double lo, double hi)
{
  return v < lo ? lo : v > hi ? hi : v;
}

static int
boxes_overlap(const struct box *a, const struct box *b)
{
  return a->x0 < b->x1 && b->x0 < a->x1 && a->y0 < b->y1 && b->y0 < a->y1;
}

static int
fits(const struct placer *p, const struct box *c)
{
  if (c->x0 < p->bounds.x0 || c->x1 > p->bounds.x1 || c->y0 < p->bounds.y0 || c->y1 > p->bounds.y1)
    return 0;
  for (size_t i = 0; i < p->n; i++)
    if (boxes_overlap(&p->b[i], c))
      return 0;
  return 1;
}

static void
occupy(struct placer *p, double x0, double y0, double x1, double y1)
{
  if (p->n < MAX_BOXES)
    p->b[p->n++] = (struct box){x0, y0, x1, y1};
}

/* A label beside a mark at (px, py) of radius r: the first free one of eight positions
 * around it, then, up to `reach` further out, of the same positions on wider rings, joined
 * to the mark by a leader line.  1 when drawn. */
static int
place_label(cairo_t *cr, struct placer *p, const struct tpp_rc_font *f, const char *text, double px,
            double py, double r, double reach)
{
  double w, h;
  tpp_rc_text_size(cr, f, text, 0, &w, &h);
  for (double g = r + 1.5; g <= r + 1.5 + reach; g += 7) {
    const double pos[8][2] = {
        {px + g,           py - h / 2      },
        {px - g - w,       py - h / 2      },
        {px + g * 0.7,     py - g * 0.7 - h},
        {px + g * 0.7,     py + g * 0.7    },
        {px - w / 2,       py - g - h      },
        {px - w / 2,       py + g          },
        {px - g * 0.7 - w, py - g * 0.7 - h},
        {px - g * 0.7 - w, py + g * 0.7    },
    };
    for (int k = 0; k < 8; k++) {
      struct box c = {pos[k][0] - 1, pos[k][1], pos[k][0] + w + 1, pos[k][1] + h};
      if (!fits(p, &c))
        continue;
      if (g > r + 1.5) {
        /* The leader ends at the nearest point of the label's box. */
        double lx = clampd(px, c.x0, c.x1), ly = clampd(py, c.y0, c.y1);
        tpp_rc_rgb(cr, TPP_RC_INK);
        cairo_set_line_width(cr, 0.6);
        cairo_move_to(cr, px, py);
        cairo_line_to(cr, lx, ly);
        cairo_stroke(cr);
      }
      tpp_rc_text(cr, f, text, pos[k][0], pos[k][1], 0, TPP_RC_LEFT, 1, NULL);
      occupy(p, c.x0, c.y0, c.x1, c.y1);
      return 1;
    }
  }
  return 0;
}

/* --- scales --------------------------------------------------------------------------- */

/* The largest 1, 2 or 5 x 10^k at most v, and the smallest at least v. */
static double
nice_floor(double v)
{
  double d = pow(10, floor(log10(v)));
  return v >= 5 * d ? 5 * d : v >= 2 * d ? 2 * d : d;
}

static double
nice_ceil(double v)
{
  double d = pow(10, floor(log10(v)));
  if (v <= d)
    return d;
  return v <= 2 * d ? 2 * d : v <= 5 * d ? 5 * d : 10 * d;
}

struct span {
  double lo, hi;
};

static void
span_add(struct span *s, double v)
{
  if (!(isfinite(v) && v > 0))
    return;
  if (!(s->lo <= v))
    s->lo = v;
  if (!(s->hi >= v))
    s->hi = v;
}

/* log10 of the ends: the values with room around them, at least a decade and a half. */
static void
span_finish(struct span *s, double dflt_lo, double dflt_hi, double *l0, double *l1)
{
  double lo = isfinite(s->lo) ? s->lo / 1.5 : dflt_lo, hi = isfinite(s->hi) ? s->hi * 1.5 : dflt_hi;
  lo = nice_floor(lo);
  hi = nice_ceil(hi);
  while (hi / lo < 30) {
    lo = nice_floor(lo / 1.5);
    if (hi / lo < 30)
      hi = nice_ceil(hi * 1.5);
  }
  *l0 = log10(lo);
  *l1 = log10(hi);
}

static double
map_x(const struct tpp_rc_axes *a, double v)
{
  return a->x + (log10(v) - a->lx0) / (a->lx1 - a->lx0) * a->w;
}

static double
map_y(const struct tpp_rc_axes *a, double v)
{
  return a->y + a->h - (log10(v) - a->ly0) / (a->ly1 - a->ly0) * a->h;
}

static int
ref_visible(const struct tpp_rc_axes *a, const struct tpp_report_ref *r, double *x, double *y)
{
  *x = map_x(a, r->tpp);
  *y = map_y(a, r->pd);
  return *x >= a->x && *x <= a->x + a->w && *y >= a->y && *y <= a->y + a->h;
}

static void
occupy_refs(const struct tpp_report *rep, const struct tpp_rc_axes *a, struct placer *pl)
{
  double x, y;
  for (size_t i = 0; i < rep->n_refs; i++)
    if (!isnan(rep->refs[i].pd) && ref_visible(a, &rep->refs[i], &x, &y))
      occupy(pl, x - 3, y - 3, x + 3, y + 3);
}

/* --- regions ---------------------------------------------------------------------------- */

static void
cell_rect(const struct tpp_rc_axes *a, const struct tpp_zonemap_cell *c, struct box *b)
{
  double xl = a->x, xr = a->x + a->w, yt = a->y, yb = a->y + a->h;
  b->x0 = c->tpp_lo > 0 ? clampd(map_x(a, c->tpp_lo), xl, xr) : xl;
  b->x1 = isfinite(c->tpp_hi) ? clampd(map_x(a, c->tpp_hi), xl, xr) : xr;
  b->y1 = c->pd_lo > 0 ? clampd(map_y(a, c->pd_lo), yt, yb) : yb;
  b->y0 = isfinite(c->pd_hi) ? clampd(map_y(a, c->pd_hi), yt, yb) : yt;
}

static void
hatch(cairo_t *cr, const struct box *b, unsigned rgb)
{
  cairo_save(cr);
  cairo_rectangle(cr, b->x0, b->y0, b->x1 - b->x0, b->y1 - b->y0);
  cairo_clip(cr);
  tpp_rc_rgb(cr, rgb);
  cairo_set_line_width(cr, 1.6);
  for (double s = b->x0 - (b->y1 - b->y0); s < b->x1; s += 5) {
    cairo_move_to(cr, s, b->y1);
    cairo_line_to(cr, s + (b->y1 - b->y0), b->y0);
  }
  cairo_stroke(cr);
  cairo_restore(cr);
}

static void
metric_names(unsigned bits, char *buf, size_t cap)
{
  buf[0] = '\0';
  for (int m = 0; m < TPP_METRIC_COUNT; m++)
    if (bits & (1u << m))
      snprintf(buf + strlen(buf), cap - strlen(buf), "%s%s", buf[0] ? " and " : "",
               tpp_metric_label((enum tpp_metric)m));
}

/* The label of a region: its clause, or what it is without one. */
static void
region_label(const struct tpp_zonemap_cell *c, char *buf, size_t cap)
{
  char names[64];
  if (c->zone != c->zone_min) {
    metric_names(c->depends, names, sizeof(names));
    snprintf(buf, cap, "%s or %s: depends on %s", tpp_zone_name(c->zone_min),
             tpp_zone_name(c->zone), names);
  } else if (c->clause) {
    snprintf(buf, cap, "%s", c->clause);
  } else {
    snprintf(buf, cap, "%s", c->zone == TPP_ZONE_WHITE ? "not controlled" : tpp_zone_name(c->zone));
  }
}

static void
draw_regions(cairo_t *cr, const struct tpp_report *rep, const struct tpp_rc_axes *a,
             struct placer *pl)
{
  const struct tpp_zonemap *m = &rep->map;
  size_t n = m->n_tpp * m->n_pd;
  char done[TPP_ZONEMAP_MAX_CELLS] = {0};

  for (size_t i = 0; i < n; i++) {
    const struct tpp_zonemap_cell *c = &m->cells[i];
    struct box b;
    cell_rect(a, c, &b);
    if (b.x1 - b.x0 <= 0 || b.y1 - b.y0 <= 0)
      continue;
    tpp_rc_rgb(cr, tpp_report_zone_rgb(c->zone_min));
    cairo_rectangle(cr, b.x0, b.y0, b.x1 - b.x0, b.y1 - b.y0);
    cairo_fill(cr);
    if (c->zone != c->zone_min)
      hatch(cr, &b, tpp_report_zone_rgb(c->zone));
  }
  /* One label per region (the cells with the same label): in a corner of one of its cells,
   * the largest first, where it covers no mark. */
  for (size_t i = 0; i < n; i++) {
    char label[160], other[160];
    size_t idx[TPP_ZONEMAP_MAX_CELLS], n_idx = 0;
    int placed = 0;
    if (done[i])
      continue;
    region_label(&m->cells[i], label, sizeof(label));
    for (size_t k = i; k < n; k++) {
      region_label(&m->cells[k], other, sizeof(other));
      if (strcmp(label, other) == 0) {
        done[k] = 1;
        idx[n_idx++] = k;
      }
    }
    for (size_t t = 0; t < n_idx && !placed; t++) {
      /* The largest remaining cell of the region. */
      size_t best = t;
      struct box bb, b;
      double w, h;
      for (size_t u = t + 1; u < n_idx; u++) {
        cell_rect(a, &m->cells[idx[u]], &b);
        cell_rect(a, &m->cells[idx[best]], &bb);
        if ((b.x1 - b.x0) * (b.y1 - b.y0) > (bb.x1 - bb.x0) * (bb.y1 - bb.y0))
          best = u;
      }
      {
        size_t tmp = idx[t];
        idx[t] = idx[best];
        idx[best] = tmp;
      }
      {
        const struct tpp_zonemap_cell *c = &m->cells[idx[t]];
        struct tpp_rc_font f = {7, 1, c->zone_min == TPP_ZONE_BLACK ? 0xFFFFFFu : TPP_RC_INK};
        cell_rect(a, c, &bb);
        tpp_rc_text_size(cr, &f, label, 0, &w, &h);
        for (int corner = 0; corner < 4 && !placed; corner++) {
          double lx = corner & 1 ? bb.x1 - 4 - w : bb.x0 + 4;
          double ly = corner & 2 ? bb.y1 - 3 - h : bb.y0 + 3;
          struct box lb = {lx - 1, ly - 1, lx + w + 1, ly + h + 1};
          if (lb.x0 < bb.x0 || lb.x1 > bb.x1 || lb.y0 < bb.y0 || lb.y1 > bb.y1 || !fits(pl, &lb))
            continue;
          tpp_rc_text(cr, &f, label, lx, ly, 0, TPP_RC_LEFT, c->zone != c->zone_min, NULL);
          occupy(pl, lb.x0, lb.y0, lb.x1, lb.y1);
          placed = 1;
        }
      }
    }
  }
}

/* --- axes ------------------------------------------------------------------------------- */

static void
fmt_tick(char *buf, size_t cap, double v)
{
  snprintf(buf, cap, "%g", v);
}

/* Ticks and labels of one axis: each decade and each threshold (bold), a decade label left
 * out where a threshold's would overlap it. */
static void
draw_axis(cairo_t *cr, const struct tpp_rc_axes *a, int vertical, const double *thr, size_t n_thr)
{
  double l0 = vertical ? a->ly0 : a->lx0, l1 = vertical ? a->ly1 : a->lx1;
  struct box taken[TPP_ZONEMAP_MAX_EDGES];
  size_t n_taken = 0;
  char buf[32];
  double w, h;

  tpp_rc_rgb(cr, TPP_RC_MUTED);
  cairo_set_line_width(cr, 0.5);
  for (double d = floor(l0); d <= ceil(l1); d++)
    for (int k = 1; k <= 9; k++) {
      double lv = d + log10(k), p;
      if (lv < l0 - 1e-9 || lv > l1 + 1e-9)
        continue;
      p = vertical ? map_y(a, pow(10, lv)) : map_x(a, pow(10, lv));
      if (vertical) {
        cairo_move_to(cr, a->x - (k == 1 ? 4 : 2), p);
        cairo_line_to(cr, a->x, p);
      } else {
        cairo_move_to(cr, p, a->y + a->h);
        cairo_line_to(cr, p, a->y + a->h + (k == 1 ? 4 : 2));
      }
    }
  cairo_stroke(cr);
  /* Thresholds first: they matter most. */
  for (size_t i = 0; i < n_thr; i++) {
    double p;
    if (!(thr[i] > 0) || log10(thr[i]) < l0 || log10(thr[i]) > l1)
      continue;
    fmt_tick(buf, sizeof(buf), thr[i]);
    tpp_rc_text_size(cr, &f_tick_bold, buf, 0, &w, &h);
    p = vertical ? map_y(a, thr[i]) : map_x(a, thr[i]);
    {
      struct box b = vertical
                         ? (struct box){a->x - 6 - w, p - h / 2, a->x - 5, p + h / 2}
                         : (struct box){p - w / 2, a->y + a->h + 5, p + w / 2, a->y + a->h + 5 + h};
      int clash = 0;
      for (size_t k = 0; k < n_taken; k++)
        clash |= boxes_overlap(&taken[k], &b);
      if (clash)
        continue;
      tpp_rc_text(cr, &f_tick_bold, buf, b.x0, b.y0, 0, TPP_RC_LEFT, 0, NULL);
      taken[n_taken++] = (struct box){b.x0 - 2, b.y0, b.x1 + 2, b.y1};
    }
  }
  for (double d = ceil(l0 - 1e-9); d <= l1 + 1e-9; d++) {
    double v = pow(10, d), p = vertical ? map_y(a, v) : map_x(a, v);
    struct box b;
    int clash = 0;
    fmt_tick(buf, sizeof(buf), v);
    tpp_rc_text_size(cr, &f_tick, buf, 0, &w, &h);
    b = vertical ? (struct box){a->x - 6 - w, p - h / 2, a->x - 5, p + h / 2}
                 : (struct box){p - w / 2, a->y + a->h + 5, p + w / 2, a->y + a->h + 5 + h};
    for (size_t k = 0; k < n_taken; k++)
      clash |= boxes_overlap(&taken[k], &b);
    if (!clash && n_taken < TPP_ZONEMAP_MAX_EDGES) {
      tpp_rc_text(cr, &f_tick, buf, b.x0, b.y0, 0, TPP_RC_LEFT, 0, NULL);
      taken[n_taken++] = b;
    }
  }
}

/* Dashed lines at the thresholds, so a reader can follow them across regions of one zone. */
static void
draw_threshold_lines(cairo_t *cr, const struct tpp_rc_axes *a, const struct tpp_zonemap *m)
{
  static const double dash[] = {2, 2};
  cairo_save(cr);
  cairo_set_dash(cr, dash, 2, 0);
  cairo_set_line_width(cr, 0.4);
  cairo_set_source_rgba(cr, 0.5, 0.5, 0.5, 0.8);
  for (size_t i = 1; i + 1 < m->n_tpp_edges; i++) {
    double v = m->tpp_edges[i];
    if (log10(v) <= a->lx0 || log10(v) >= a->lx1)
      continue;
    cairo_move_to(cr, map_x(a, v), a->y);
    cairo_line_to(cr, map_x(a, v), a->y + a->h);
  }
  for (size_t i = 1; i + 1 < m->n_pd_edges; i++) {
    double v = m->pd_edges[i];
    if (log10(v) <= a->ly0 || log10(v) >= a->ly1)
      continue;
    cairo_move_to(cr, a->x, map_y(a, v));
    cairo_line_to(cr, a->x + a->w, map_y(a, v));
  }
  cairo_stroke(cr);
  cairo_restore(cr);
}

/* --- marks ------------------------------------------------------------------------------ */

static void
mark_ref(cairo_t *cr, double x, double y, int same_scope)
{
  cairo_new_path(cr);
  if (same_scope)
    cairo_arc(cr, x, y, 2.6, 0, TAU);
  else
    cairo_rectangle(cr, x - 2.3, y - 2.3, 4.6, 4.6);
  tpp_rc_rgb(cr, 0xFFFFFFu);
  cairo_fill_preserve(cr);
  tpp_rc_rgb(cr, same_scope ? TPP_RC_INK : 0x6A6F78u);
  cairo_set_line_width(cr, 0.9);
  cairo_stroke(cr);
}

static void
mark_strip(cairo_t *cr, double x, double y)
{
  cairo_new_path(cr);
  cairo_move_to(cr, x - 2.6, y - 2.2);
  cairo_line_to(cr, x + 2.6, y - 2.2);
  cairo_line_to(cr, x, y + 2.4);
  cairo_close_path(cr);
  tpp_rc_rgb(cr, 0xFFFFFFu);
  cairo_fill_preserve(cr);
  tpp_rc_rgb(cr, TPP_RC_INK);
  cairo_set_line_width(cr, 0.9);
  cairo_stroke(cr);
}

static void
mark_device(cairo_t *cr, double x, double y)
{
  cairo_new_path(cr);
  cairo_arc(cr, x, y, 4.6, 0, TAU);
  tpp_rc_rgb(cr, TPP_REPORT_DEVICE_RGB);
  cairo_fill_preserve(cr);
  tpp_rc_rgb(cr, TPP_RC_INK);
  cairo_set_line_width(cr, 1.1);
  cairo_stroke(cr);
}

static void
mark_datasheet(cairo_t *cr, double x, double y)
{
  cairo_new_path(cr);
  cairo_move_to(cr, x, y - 4.2);
  cairo_line_to(cr, x + 4.2, y);
  cairo_line_to(cr, x, y + 4.2);
  cairo_line_to(cr, x - 4.2, y);
  cairo_close_path(cr);
  tpp_rc_rgb(cr, 0xFFFFFFu);
  cairo_fill_preserve(cr);
  tpp_rc_rgb(cr, TPP_REPORT_DEVICE_RGB);
  cairo_set_line_width(cr, 1.4);
  cairo_stroke(cr);
}

/* The chip under another reading of the rule: a hollow point in the device's colour. */
static void
mark_reading(cairo_t *cr, double x, double y)
{
  cairo_new_path(cr);
  cairo_arc(cr, x, y, 3.8, 0, TAU);
  tpp_rc_rgb(cr, 0xFFFFFFu);
  cairo_fill_preserve(cr);
  tpp_rc_rgb(cr, TPP_REPORT_DEVICE_RGB);
  cairo_set_line_width(cr, 1.6);
  cairo_stroke(cr);
}

/* Horizontal or vertical error bar with caps. */
static void
error_bar(cairo_t *cr, double x0, double y0, double x1, double y1)
{
  int horizontal = y0 == y1;
  tpp_rc_rgb(cr, TPP_RC_INK);
  cairo_set_line_width(cr, 1);
  cairo_move_to(cr, x0, y0);
  cairo_line_to(cr, x1, y1);
  if (horizontal) {
    cairo_move_to(cr, x0, y0 - 3);
    cairo_line_to(cr, x0, y0 + 3);
    cairo_move_to(cr, x1, y1 - 3);
    cairo_line_to(cr, x1, y1 + 3);
  } else {
    cairo_move_to(cr, x0 - 3, y0);
    cairo_line_to(cr, x0 + 3, y0);
    cairo_move_to(cr, x1 - 3, y1);
    cairo_line_to(cr, x1 + 3, y1);
  }
  cairo_stroke(cr);
}

/* Order of the reference labels: the device's own profile, then chips of the device's
 * datacenter kind, nearest to the device first (context near the device matters most). */
struct ref_order {
  size_t i;
  double key;
};

static int
cmp_ref(const void *a, const void *b)
{
  const struct ref_order *x = a, *y = b;
  return x->key < y->key ? -1 : x->key > y->key;
}

static size_t
ref_order(const struct tpp_report *rep, int with_area, struct ref_order *o)
{
  size_t n = 0;
  double dx0 = isfinite(rep->tpp) ? log10(rep->tpp) : 3.5;
  double dy0 = isfinite(rep->pd) ? log10(rep->pd) : 1;
  for (size_t i = 0; i < rep->n_refs; i++) {
    const struct tpp_report_ref *r = &rep->refs[i];
    double dx, dy;
    if (with_area != !isnan(r->pd))
      continue;
    dx = log10(r->tpp) - dx0;
    dy = with_area ? log10(r->pd) - dy0 : 0;
    o[n].i = i;
    o[n].key = sqrt(dx * dx + dy * dy) + (r->datacenter == rep->dev->datacenter ? 0 : 10) +
               (r->is_device_profile ? -100 : 0);
    n++;
  }
  qsort(o, n, sizeof(o[0]), cmp_ref);
  return n;
}

/* The label of a reference point and of the others drawn at the same spot: their names
 * ("H100 SXM5 / H200 SXM / H800 SXM5"), or, short, the first and how many more ("+2"). */
static void
ref_label(const struct tpp_report *rep, const struct tpp_rc_axes *a, size_t i, char *buf,
          size_t cap, const char *suffix, int shorter)
{
  const struct tpp_report_ref *r = &rep->refs[i];
  int with_area = !isnan(r->pd);
  size_t others = 0;
  snprintf(buf, cap, "%s", r->label);
  for (size_t k = 0; k < rep->n_refs; k++) {
    const struct tpp_report_ref *q = &rep->refs[k];
    if (k == i || with_area != !isnan(q->pd) || strcmp(q->label, r->label) == 0)
      continue;
    if (fabs(map_x(a, q->tpp) - map_x(a, r->tpp)) < 1 &&
        (!with_area || fabs(map_y(a, q->pd) - map_y(a, r->pd)) < 1)) {
      others++;
      if (!shorter)
        snprintf(buf + strlen(buf), cap - strlen(buf), " / %s", q->label);
    }
  }
  if (others && shorter)
    snprintf(buf + strlen(buf), cap - strlen(buf), " +%zu", others);
  if (suffix)
    snprintf(buf + strlen(buf), cap - strlen(buf), "%s", suffix);
}

static void
draw_refs(cairo_t *cr, const struct tpp_report *rep, const struct tpp_rc_axes *a, struct placer *pl)
{
  struct ref_order o[TPP_REPORT_MAX_REFS];
  size_t n = ref_order(rep, 1, o);
  char label[96];
  double x, y;
  /* Marks first (the placer already holds them as obstacles), then labels in order of
   * priority. */
  for (size_t k = n; k-- > 0;) {
    const struct tpp_report_ref *r = &rep->refs[o[k].i];
    if (!ref_visible(a, r, &x, &y))
      continue;
    if (r->is_device_profile)
      mark_datasheet(cr, x, y);
    else
      mark_ref(cr, x, y, r->datacenter == rep->dev->datacenter);
  }
  for (size_t k = 0; k < n; k++) {
    const struct tpp_report_ref *r = &rep->refs[o[k].i];
    int seen = 0;
    if (!ref_visible(a, r, &x, &y))
      continue;
    /* One label for points drawn at the same spot. */
    for (size_t j = 0; j < k; j++) {
      const struct tpp_report_ref *q = &rep->refs[o[j].i];
      seen |= fabs(map_x(a, q->tpp) - x) < 1 && fabs(map_y(a, q->pd) - y) < 1;
    }
    if (seen)
      continue;
    for (int shorter = 0; shorter < 2; shorter++) {
      ref_label(rep, a, o[k].i, label, sizeof(label), r->is_device_profile ? " (datasheet)" : NULL,
                shorter);
      if (place_label(cr, pl, &f_ref, label, x, y, r->is_device_profile ? 4.5 : 2.8, 0))
        break;
    }
  }
}

/* Chips whose die area is not published: on a strip above the plot, at their TPP. */
static void
draw_strip(cairo_t *cr, const struct tpp_report *rep, const struct tpp_rc_axes *a)
{
  struct ref_order o[TPP_REPORT_MAX_REFS];
  struct placer sp = {
      .bounds = {a->x - 2, a->y - STRIP_H, a->x + a->w + 40, a->y - 4}
  };
  size_t n = ref_order(rep, 0, o);
  double ym = a->y - 7;
  char label[96];

  tpp_rc_rgb(cr, 0xF3F4F6u);
  cairo_rectangle(cr, a->x, a->y - STRIP_H, a->w, STRIP_H - 2);
  cairo_fill(cr);
  for (size_t k = 0; k < n; k++) {
    double x = map_x(a, rep->refs[o[k].i].tpp);
    if (x < a->x || x > a->x + a->w)
      continue;
    mark_strip(cr, x, ym);
    occupy(&sp, x - 3, ym - 3, x + 3, ym + 3);
  }
  for (size_t k = 0; k < n; k++) {
    const struct tpp_report_ref *r = &rep->refs[o[k].i];
    double x = map_x(a, r->tpp), w, h;
    int seen = 0;
    if (x < a->x || x > a->x + a->w)
      continue;
    for (size_t j = 0; j < k; j++)
      seen |= fabs(map_x(a, rep->refs[o[j].i].tpp) - x) < 1;
    if (seen)
      continue;
    ref_label(rep, a, o[k].i, label, sizeof(label), NULL, 1);
    tpp_rc_text_size(cr, &f_ref, label, 0, &w, &h);
    /* Above the mark, in the first of the strip's two text rows that is free. */
    for (int row = 0; row < 2; row++) {
      struct box c = {x - w / 2 - 1, ym - 4 - (row + 1) * h, x + w / 2 + 1, ym - 4 - row * h};
      if (!fits(&sp, &c))
        continue;
      tpp_rc_text(cr, &f_ref, label, c.x0 + 1, c.y0, 0, TPP_RC_LEFT, 0, NULL);
      occupy(&sp, c.x0, c.y0, c.x1, c.y1);
      break;
    }
  }
  tpp_rc_text(cr, &(struct tpp_rc_font){6, 1, TPP_RC_MUTED}, "die area unpublished:", a->x + 3,
              a->y - STRIP_H + 1, 0, TPP_RC_LEFT, 0, NULL);
}

static void
draw_device(cairo_t *cr, const struct tpp_report *rep, const struct tpp_rc_axes *a,
            struct placer *pl)
{
  double x, y;
  if (!isfinite(rep->tpp) || log10(rep->tpp) < a->lx0 || log10(rep->tpp) > a->lx1)
    return;
  x = map_x(a, rep->tpp);
  if (!isfinite(rep->pd)) {
    /* PD unknown: the device is somewhere on the vertical line at its TPP. */
    static const double dash[] = {4, 2};
    double x0 = isfinite(rep->tpp_lo) ? map_x(a, rep->tpp_lo) : x;
    double x1 = isfinite(rep->tpp_hi) ? map_x(a, rep->tpp_hi) : x;
    cairo_set_source_rgba(cr, ((TPP_REPORT_DEVICE_RGB >> 16) & 255) / 255.0,
                          ((TPP_REPORT_DEVICE_RGB >> 8) & 255) / 255.0,
                          (TPP_REPORT_DEVICE_RGB & 255) / 255.0, 0.35);
    cairo_rectangle(cr, x0 - 1.5, a->y, x1 - x0 + 3, a->h);
    cairo_fill(cr);
    cairo_save(cr);
    cairo_set_dash(cr, dash, 2, 0);
    tpp_rc_rgb(cr, TPP_REPORT_DEVICE_RGB);
    cairo_set_line_width(cr, 1.6);
    cairo_move_to(cr, x, a->y);
    cairo_line_to(cr, x, a->y + a->h);
    cairo_stroke(cr);
    cairo_restore(cr);
    occupy(pl, x0 - 2, a->y, x1 + 2, a->y + a->h);
    place_label(cr, pl, &f_dev, "this device: die area unknown, PD anywhere on this line", x,
                a->y + a->h * 0.5, 3, a->h / 2);
    return;
  }
  y = map_y(a, rep->pd);
  /* Where another reading of the rule that changes the zone puts the chip: same die area, so
   * on the diagonal through the device. */
  for (size_t k = 0; k < rep->n_readings; k++) {
    static const double dash[] = {2, 1.5};
    double t = rep->reading_tpp[k], rx, ry;
    int seen = 0;
    char label[96];
    for (size_t j = 0; j < k; j++)
      seen |= rep->reading_tpp[j] == t;
    if (seen || !(t > 0) || log10(t) < a->lx0 || log10(t) > a->lx1)
      continue;
    rx = map_x(a, t);
    ry = map_y(a, t * rep->pd / rep->tpp);
    cairo_save(cr);
    cairo_set_dash(cr, dash, 2, 0);
    tpp_rc_rgb(cr, TPP_REPORT_DEVICE_RGB);
    cairo_set_line_width(cr, 1);
    cairo_move_to(cr, x, y);
    cairo_line_to(cr, rx, ry);
    cairo_stroke(cr);
    cairo_restore(cr);
    mark_reading(cr, rx, ry);
    occupy(pl, rx - 5, ry - 5, rx + 5, ry + 5);
    snprintf(label, sizeof(label), "%s: TPP %.5g", rep->reading_label[k], t);
    place_label(cr, pl, &f_ref, label, rx, ry, 4, 30);
  }
  if (isfinite(rep->tpp_lo) && isfinite(rep->tpp_hi))
    error_bar(cr, map_x(a, rep->tpp_lo), y, map_x(a, rep->tpp_hi), y);
  if (isfinite(rep->pd_lo) && isfinite(rep->pd_hi))
    error_bar(cr, x, map_y(a, rep->pd_hi), x, map_y(a, rep->pd_lo));
  mark_device(cr, x, y);
  occupy(pl, x - 6, y - 6, x + 6, y + 6);
  place_label(cr, pl, &f_dev, "this device (measured)", x, y, 5, 60);
}

/* --- legend ----------------------------------------------------------------------------- */

struct legend {
  double x, y, x_end, row_h;
  double start_x;
};

static void
legend_item(cairo_t *cr, struct legend *l, int kind, unsigned rgb, const char *text)
{
  double w, h, need;
  tpp_rc_text_size(cr, &f_legend, text, 0, &w, &h);
  need = 14 + w + 9;
  if (l->x + need > l->x_end) {
    l->x = l->start_x;
    l->y += l->row_h;
  }
  switch (kind) {
  case 0: /* a zone swatch */
    tpp_rc_rgb(cr, rgb);
    cairo_rectangle(cr, l->x, l->y + 1.5, 10, 7);
    cairo_fill_preserve(cr);
    tpp_rc_rgb(cr, TPP_RC_MUTED);
    cairo_set_line_width(cr, 0.5);
    cairo_stroke(cr);
    break;
  case 1:
    mark_device(cr, l->x + 5, l->y + 5);
    break;
  case 2:
    mark_ref(cr, l->x + 5, l->y + 5, 1);
    break;
  case 3:
    mark_ref(cr, l->x + 5, l->y + 5, 0);
    break;
  case 4:
    mark_strip(cr, l->x + 5, l->y + 5);
    break;
  case 5:
    mark_datasheet(cr, l->x + 5, l->y + 5);
    break;
  case 7:
    mark_reading(cr, l->x + 5, l->y + 5);
    break;
  default: { /* hatched */
    struct box b = {l->x, l->y + 1.5, l->x + 10, l->y + 8.5};
    tpp_rc_rgb(cr, tpp_report_zone_rgb(TPP_ZONE_WHITE));
    cairo_rectangle(cr, b.x0, b.y0, 10, 7);
    cairo_fill(cr);
    hatch(cr, &b, rgb);
    break;
  }
  }
  tpp_rc_text(cr, &f_legend, text, l->x + 14, l->y + 5 - h / 2, 0, TPP_RC_LEFT, 0, NULL);
  l->x += need;
}

/* The legend's rows, from y; returns the height taken. */
static double
draw_legend(cairo_t *cr, const struct tpp_report *rep, double x, double y, double w)
{
  struct legend l = {x, y, x + w, 12, x};
  unsigned depends = 0, zones = 0;
  int other_scope = 0, no_area = rep->n_refs_no_area > 0, has_profile_point = 0;
  char buf[160], names[64];

  for (size_t i = 0; i < rep->map.n_tpp * rep->map.n_pd; i++) {
    const struct tpp_zonemap_cell *c = &rep->map.cells[i];
    zones |= 1u << c->zone_min | 1u << c->zone;
    if (c->zone != c->zone_min)
      depends |= c->depends;
  }
  for (size_t i = 0; i < rep->n_refs; i++) {
    other_scope |= !isnan(rep->refs[i].pd) && rep->refs[i].datacenter != rep->dev->datacenter;
    has_profile_point |= rep->refs[i].is_device_profile && !isnan(rep->refs[i].pd);
  }
  if (zones & (1u << TPP_ZONE_BLACK))
    legend_item(cr, &l, 0, tpp_report_zone_rgb(TPP_ZONE_BLACK), "black: licence required");
  if (zones & (1u << TPP_ZONE_GREY))
    legend_item(cr, &l, 0, tpp_report_zone_rgb(TPP_ZONE_GREY),
                "grey: NAC/ACA notice, case by case");
  if (zones & (1u << TPP_ZONE_WHITE))
    legend_item(cr, &l, 0, tpp_report_zone_rgb(TPP_ZONE_WHITE), "white: not controlled");
  if (depends) {
    metric_names(depends, names, sizeof(names));
    snprintf(buf, sizeof(buf), "hatched: depends on %s (unknown)", names);
    legend_item(cr, &l, 6, tpp_report_zone_rgb(TPP_ZONE_BLACK), buf);
  }
  if (isfinite(rep->tpp))
    legend_item(cr, &l, 1, 0,
                isfinite(rep->pd) ? "this device (bars: sample range)" : "this device, measured");
  else
    legend_item(cr, &l, 1, 0, "this device: TPP unknown, not on the chart");
  if (has_profile_point)
    legend_item(cr, &l, 5, 0, "its datasheet");
  if (rep->n_readings && isfinite(rep->pd))
    legend_item(cr, &l, 7, 0, "another reading of the rule");
  legend_item(cr, &l, 2, 0, rep->dev->datacenter ? "datacenter chips" : "non-datacenter chips");
  if (other_scope)
    legend_item(cr, &l, 3, 0, rep->dev->datacenter ? "non-datacenter chips" : "datacenter chips");
  if (no_area)
    legend_item(cr, &l, 4, 0, "die area unpublished");
  return l.y + l.row_h - y;
}

/* --- the chart -------------------------------------------------------------------------- */

void
tpp_rc_chart(cairo_t *cr, const struct tpp_report *rep, double x, double y, double w, double h,
             struct tpp_rc_axes *out)
{
  const struct tpp_zonemap *m = &rep->map;
  struct span sx = {NAN, NAN}, sy = {NAN, NAN};
  struct tpp_rc_axes a;
  struct placer pl;
  double title_h, legend_h, top;
  char title[200];
  cairo_surface_t *probe;
  cairo_t *pc;

  for (size_t i = 1; i + 1 < m->n_tpp_edges; i++)
    span_add(&sx, m->tpp_edges[i]);
  for (size_t i = 1; i + 1 < m->n_pd_edges; i++)
    span_add(&sy, m->pd_edges[i]);
  span_add(&sx, rep->tpp_lo);
  span_add(&sx, rep->tpp_hi);
  span_add(&sy, rep->pd_lo);
  span_add(&sy, rep->pd_hi);
  for (size_t i = 0; i < rep->n_refs; i++) {
    span_add(&sx, rep->refs[i].tpp);
    span_add(&sy, rep->refs[i].pd);
  }
  span_finish(&sx, 100, 100000, &a.lx0, &a.lx1);
  span_finish(&sy, 0.1, 100, &a.ly0, &a.ly1);

  snprintf(title, sizeof(title), "Zones of %s for a %s chip, drawn from its clauses", rep->rs->id,
           rep->dev->datacenter ? "datacenter" : "non-datacenter");
  title_h = tpp_rc_text(cr, &f_title, title, x, y, 0, TPP_RC_LEFT, 0, NULL);
  /* The legend's height, measured on a scratch surface before anything is placed. */
  probe = cairo_recording_surface_create(CAIRO_CONTENT_COLOR_ALPHA, NULL);
  pc = cairo_create(probe);
  legend_h = draw_legend(pc, rep, x + 40, 0, w - 40);
  cairo_destroy(pc);
  cairo_surface_destroy(probe);

  top = y + title_h + 4 + (rep->n_refs_no_area ? STRIP_H : 4);
  a.x = x + 40;
  a.y = top;
  a.w = w - 40 - 6;
  a.h = y + h - legend_h - 30 - top;
  if (out)
    *out = a;

  memset(&pl, 0, sizeof(pl));
  pl.bounds = (struct box){a.x + 1, a.y + 1, a.x + a.w - 1, a.y + a.h - 1};
  /* The marks first, as obstacles: no label may cover one. */
  occupy_refs(rep, &a, &pl);
  if (isfinite(rep->tpp) && isfinite(rep->pd)) {
    double dx = map_x(&a, rep->tpp), dy = map_y(&a, rep->pd);
    occupy(&pl, dx - 6, dy - 6, dx + 6, dy + 6);
  } else if (isfinite(rep->tpp)) { /* the band of an unknown PD */
    double x0 = map_x(&a, isfinite(rep->tpp_lo) ? rep->tpp_lo : rep->tpp);
    double x1 = map_x(&a, isfinite(rep->tpp_hi) ? rep->tpp_hi : rep->tpp);
    occupy(&pl, x0 - 3, a.y, x1 + 3, a.y + a.h);
  }
  cairo_save(cr);
  cairo_rectangle(cr, a.x, a.y, a.w, a.h);
  cairo_clip(cr);
  draw_regions(cr, rep, &a, &pl);
  draw_threshold_lines(cr, &a, m);
  cairo_restore(cr);
  tpp_rc_rgb(cr, TPP_RC_INK);
  cairo_set_line_width(cr, 0.8);
  cairo_rectangle(cr, a.x, a.y, a.w, a.h);
  cairo_stroke(cr);
  {
    double tt[TPP_RULES_MAX_THRESHOLDS], pt[TPP_RULES_MAX_THRESHOLDS];
    size_t nt = 0, np = 0;
    for (size_t i = 1; i + 1 < m->n_tpp_edges; i++)
      tt[nt++] = m->tpp_edges[i];
    for (size_t i = 1; i + 1 < m->n_pd_edges; i++)
      pt[np++] = m->pd_edges[i];
    draw_axis(cr, &a, 0, tt, nt);
    draw_axis(cr, &a, 1, pt, np);
  }
  tpp_rc_text(cr, &f_axis, "TPP = 2 × dense MAC TOPS × bit length (log scale)", a.x + a.w / 2,
              a.y + a.h + 15, 0, TPP_RC_CENTER, 0, NULL);
  cairo_save(cr);
  cairo_translate(cr, x, a.y + a.h / 2);
  cairo_rotate(cr, -TAU / 4);
  {
    /* The long title where the plot is tall enough for it. */
    static const char *const ytitles[] = {"performance density, TPP per mm² of logic die (log)",
                                          "performance density, TPP / mm² (log)",
                                          "PD, TPP / mm² (log)"};
    double tw, th;
    size_t k = 0;
    for (; k + 1 < sizeof(ytitles) / sizeof(ytitles[0]); k++) {
      tpp_rc_text_size(cr, &f_axis, ytitles[k], 0, &tw, &th);
      if (tw <= a.h)
        break;
    }
    tpp_rc_text(cr, &f_axis, ytitles[k], 0, 0, 0, TPP_RC_CENTER, 0, NULL);
  }
  cairo_restore(cr);

  if (rep->n_refs_no_area)
    draw_strip(cr, rep, &a);
  /* The device's label finds its place first, around the reference chips' marks, before
   * their labels take the room. */
  draw_device(cr, rep, &a, &pl);
  cairo_save(cr);
  cairo_rectangle(cr, a.x, a.y, a.w, a.h);
  cairo_clip(cr);
  draw_refs(cr, rep, &a, &pl);
  cairo_restore(cr);
  /* Marks over labels: the device stays on top of everything. */
  if (isfinite(rep->pd) && isfinite(rep->tpp) && log10(rep->tpp) >= a.lx0 &&
      log10(rep->tpp) <= a.lx1 && log10(rep->pd) >= a.ly0 && log10(rep->pd) <= a.ly1)
    mark_device(cr, map_x(&a, rep->tpp), map_y(&a, rep->pd));
  draw_legend(cr, rep, a.x, y + h - legend_h, a.w);
}
