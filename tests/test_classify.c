/* test_classify.c - the classifier against the shipped 2023 rule set: both sides of every
 * threshold, Note 2 for non-datacenter chips, unknown TPP, unknown die area (area ranges
 * and their end points), margins, and the JSON and terminal renderings. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "tpp/explain.h"
#include "tpp/rules.h"

#define SHIPPED TPP_PROFILES_DIR "/rules/eccn-3a090-2023.json"

static struct tpp_ruleset rules2023;

static void
load_shipped(void)
{
  struct tpp_diag d;
  char msg[1024];
  int err;

  memset(&d, 0, sizeof(d));
  err = tpp_ruleset_load(SHIPPED, &rules2023, &d);
  tpp_diag_format(&d, msg, sizeof(msg));
  ck_assert_msg(err == 0, "cannot load %s: %s", SHIPPED, msg);
}

static struct tpp_chip_facts
facts3(double tpp, double area, int datacenter)
{
  struct tpp_chip_facts f;
  tpp_chip_facts_init(&f);
  f.tpp = tpp;
  f.die_area_mm2 = area;
  f.datacenter = datacenter;
  return f;
}

static struct tpp_classification
classify(double tpp, double area, int datacenter)
{
  struct tpp_chip_facts f = facts3(tpp, area, datacenter);
  struct tpp_classification c;
  int err = tpp_classify(&rules2023, &f, &c);
  ck_assert_msg(err == 0, "classify(%g, %g, %d) failed: %d", tpp, area, datacenter, err);
  return c;
}

/* zone and clause (NULL: none) for a chip with a known area. */
static void
expect(double tpp, double area, int datacenter, enum tpp_zone zone, const char *clause)
{
  struct tpp_classification c = classify(tpp, area, datacenter);
  ck_assert_msg(c.zone == zone, "TPP %.17g area %.17g dc %d: zone %s, expected %s (%s)", tpp, area,
                datacenter, tpp_zone_name(c.zone), tpp_zone_name(zone), c.reason);
  if (clause)
    ck_assert_msg(c.clause && strcmp(c.clause, clause) == 0,
                  "TPP %.17g area %.17g dc %d: clause %s, expected %s (%s)", tpp, area, datacenter,
                  c.clause ? c.clause : "none", clause, c.reason);
  else
    ck_assert_msg(c.clause == NULL, "TPP %.17g area %.17g dc %d: clause %s, expected none", tpp,
                  area, datacenter, c.clause);
  ck_assert_uint_eq(c.n_ranges, 0);
}

START_TEST(test_names)
{
  ck_assert_str_eq(tpp_zone_name(TPP_ZONE_WHITE), "white");
  ck_assert_str_eq(tpp_zone_name(TPP_ZONE_GREY), "grey");
  ck_assert_str_eq(tpp_zone_name(TPP_ZONE_BLACK), "black");
  ck_assert_str_eq(tpp_zone_name(TPP_ZONE_INDETERMINATE), "indeterminate");
  ck_assert_str_eq(tpp_metric_name(TPP_METRIC_TPP), "tpp");
  ck_assert_str_eq(tpp_metric_name(TPP_METRIC_PD), "pd");
}
END_TEST

/* The quotients used below are exact decimal ratios, and IEEE division rounds correctly, so
 * they equal the threshold literals bit for bit. */
START_TEST(test_exact_quotients)
{
  ck_assert(2960.0 / 500.0 == 5.92);
  ck_assert(1776.0 / 300.0 == 5.92);
  ck_assert(2000.0 / 625.0 == 3.2);
  ck_assert(1600.0 / 500.0 == 3.2);
  ck_assert(3200.0 / 2000.0 == 1.6);
  ck_assert(4000.0 / 2500.0 == 1.6);
}
END_TEST

START_TEST(test_tpp_4800)
{
  /* a.1 regardless of PD at exactly 4800; just below falls to the PD clauses. */
  expect(4800, 10000, 1, TPP_ZONE_BLACK, "3A090.a.1");
  expect(4799.999, 10000, 1, TPP_ZONE_WHITE, NULL); /* PD 0.48 */
  expect(4800, 1000, 1, TPP_ZONE_BLACK, "3A090.a.1");
  expect(4799.999, 1000, 1, TPP_ZONE_GREY, "3A090.b.1"); /* PD 4.8 */
  expect(4799.999, 500, 1, TPP_ZONE_BLACK, "3A090.a.2"); /* PD 9.6 */
  expect(nextafter(4800, 0), 1000, 1, TPP_ZONE_GREY, "3A090.b.1");
}
END_TEST

START_TEST(test_tpp_2400)
{
  /* b.1 starts at 2400; below it only b.2 (PD >= 3.2) can make a datacenter chip grey. */
  expect(2400, 1000, 1, TPP_ZONE_GREY, "3A090.b.1"); /* PD 2.4 */
  expect(2399.999, 1000, 1, TPP_ZONE_WHITE, NULL);
  expect(nextafter(2400, 0), 1000, 1, TPP_ZONE_WHITE, NULL);
  expect(2399.999, 700, 1, TPP_ZONE_GREY, "3A090.b.2"); /* PD 3.43 */
}
END_TEST

START_TEST(test_tpp_1600)
{
  expect(1600, 100, 1, TPP_ZONE_BLACK, "3A090.a.2"); /* PD 16 */
  expect(1599.999, 100, 1, TPP_ZONE_WHITE, NULL);
  expect(1600, 400, 1, TPP_ZONE_GREY, "3A090.b.2"); /* PD 4 */
  expect(1599.999, 400, 1, TPP_ZONE_WHITE, NULL);
  expect(nextafter(1600, 0), 100, 1, TPP_ZONE_WHITE, NULL);
}
END_TEST

START_TEST(test_pd_5_92)
{
  expect(2960, 500, 1, TPP_ZONE_BLACK, "3A090.a.2");    /* PD 5.92 exactly */
  expect(2960, 500.001, 1, TPP_ZONE_GREY, "3A090.b.1"); /* PD 5.91999 */
  expect(1776, 300, 1, TPP_ZONE_BLACK, "3A090.a.2");    /* PD 5.92 exactly */
  expect(1776, 300.001, 1, TPP_ZONE_GREY, "3A090.b.2"); /* TPP < 2400, PD in [3.2, 5.92) */
}
END_TEST

START_TEST(test_pd_3_2)
{
  expect(2000, 625, 1, TPP_ZONE_GREY, "3A090.b.2"); /* PD 3.2 exactly */
  expect(2000, 625.001, 1, TPP_ZONE_WHITE, NULL);
  expect(1600, 500, 1, TPP_ZONE_GREY, "3A090.b.2"); /* TPP 1600 and PD 3.2: both on the edge */
  expect(1600, 500.001, 1, TPP_ZONE_WHITE, NULL);
}
END_TEST

START_TEST(test_pd_1_6)
{
  expect(3200, 2000, 1, TPP_ZONE_GREY, "3A090.b.1"); /* PD 1.6 exactly */
  expect(3200, 2000.001, 1, TPP_ZONE_WHITE, NULL);
  expect(4000, 2500, 1, TPP_ZONE_GREY, "3A090.b.1");
  expect(4000, 2500.001, 1, TPP_ZONE_WHITE, NULL);
}
END_TEST

START_TEST(test_known_chips)
{
  /* From chips.csv / regulation.md section 2.8. */
  expect(15831.2, 814, 1, TPP_ZONE_BLACK, "3A090.a.1"); /* H100 SXM */
  expect(4992, 826, 1, TPP_ZONE_BLACK, "3A090.a.1");    /* A100 */
  expect(2644, 826, 1, TPP_ZONE_GREY, "3A090.b.1");     /* A30: PD 3.2009 */
  expect(2642.5, 826, 1, TPP_ZONE_GREY, "3A090.b.1");   /* A30 from SMs: PD 3.199 < 3.2 */
  expect(2896, 608.5, 1, TPP_ZONE_GREY, "3A090.b.1");   /* L40 */
  expect(1940, 294.5, 1, TPP_ZONE_BLACK, "3A090.a.2");  /* L4 */
  expect(2000, 628.4, 1, TPP_ZONE_WHITE, NULL);         /* A10 */
  expect(2368, 814, 1, TPP_ZONE_WHITE, NULL);           /* H20 */
  expect(1040, 545, 1, TPP_ZONE_WHITE, NULL);           /* T4 */
}
END_TEST

START_TEST(test_non_datacenter)
{
  struct tpp_classification c;

  /* Note 2: >= 4800 is 3A090.a.1 but grey (NAC/ACA); below is not controlled whatever PD. */
  c = classify(4800, 608.5, 0);
  ck_assert_int_eq(c.zone, TPP_ZONE_GREY);
  ck_assert_str_eq(c.clause, "3A090.a.1");
  ck_assert_ptr_nonnull(c.note);
  ck_assert_ptr_nonnull(strstr(c.note, "NAC/ACA"));
  ck_assert_ptr_nonnull(strstr(c.reason, "TPP 4800 >= 4800 (3A090.a.1, non-datacenter chip)"));
  expect(4799.999, 608.5, 0, TPP_ZONE_WHITE, NULL);
  expect(5284.8, 608.5, 0, TPP_ZONE_GREY, "3A090.a.1"); /* RTX 4090 */
  expect(4707.2, 608.5, 0, TPP_ZONE_WHITE, NULL);       /* RTX 4090 D */
  expect(4750, 750, 0, TPP_ZONE_WHITE, NULL);           /* RTX 5090 D: PD 6.3, still white */
  /* RTX 3090: white as a gaming card, b.2 if it were marketed for datacenters. */
  expect(2272, 628.4, 0, TPP_ZONE_WHITE, NULL);
  expect(2272, 628.4, 1, TPP_ZONE_GREY, "3A090.b.2");
  c = classify(2272, 628.4, 0);
  ck_assert_ptr_null(c.note);
  ck_assert_ptr_nonnull(strstr(c.reason, "not controlled"));
  /* With an unknown area, the non-datacenter outcome never depends on it. */
  c = classify(5000, NAN, 0);
  ck_assert_int_eq(c.zone, TPP_ZONE_GREY);
  ck_assert_str_eq(c.clause, "3A090.a.1");
  c = classify(4000, NAN, 0);
  ck_assert_int_eq(c.zone, TPP_ZONE_WHITE);
  ck_assert_ptr_null(c.clause);
}
END_TEST

START_TEST(test_unknown_tpp)
{
  struct tpp_classification c = classify(NAN, 814, 1);

  ck_assert_int_eq(c.zone, TPP_ZONE_INDETERMINATE);
  ck_assert_ptr_null(c.clause);
  ck_assert_ptr_null(c.note);
  ck_assert(isnan(c.tpp) && isnan(c.pd));
  ck_assert(c.die_area_mm2 == 814);
  ck_assert_ptr_nonnull(strstr(c.reason, "nothing was measured"));
  ck_assert_uint_eq(c.n_ranges, 0);
  ck_assert_uint_eq(c.n_margins, 6);
  for (size_t i = 0; i < c.n_margins; i++)
    ck_assert(isnan(c.margins[i].value) && isnan(c.margins[i].margin));
  c = classify(NAN, NAN, 0);
  ck_assert_int_eq(c.zone, TPP_ZONE_INDETERMINATE);
  ck_assert_uint_eq(c.n_ranges, 0);
}
END_TEST

static void
expect_range(const struct tpp_classification *c, size_t i, double lo, int lo_inc, double hi,
             int hi_inc, enum tpp_zone zone, const char *clause)
{
  const struct tpp_area_range *r;
  ck_assert_msg(i < c->n_ranges, "range %zu of %zu", i, c->n_ranges);
  r = &c->ranges[i];
  ck_assert_msg(r->lo == lo && r->hi == hi, "range %zu: (%.17g, %.17g), expected (%.17g, %.17g)", i,
                r->lo, r->hi, lo, hi);
  ck_assert_int_eq(r->lo_inclusive, lo_inc);
  ck_assert_int_eq(r->hi_inclusive, hi_inc);
  ck_assert_int_eq(r->zone, zone);
  if (clause)
    ck_assert_str_eq(r->clause, clause);
  else
    ck_assert_ptr_null(r->clause);
}

START_TEST(test_unknown_area_3000)
{
  /* PD >= 5.92 <=> A <= 3000/5.92 (a.2); 1.6 <= PD < 5.92 <=> 3000/5.92 < A <= 3000/1.6
   * (b.1, which also covers the b.2 band, so 3000/3.2 is not an end point); below that
   * not controlled. */
  struct tpp_classification c = classify(3000, NAN, 1);

  ck_assert_int_eq(c.zone, TPP_ZONE_INDETERMINATE);
  ck_assert_ptr_null(c.clause);
  ck_assert_ptr_null(c.note);
  ck_assert(isnan(c.pd) && isnan(c.die_area_mm2));
  ck_assert_uint_eq(c.n_ranges, 3);
  expect_range(&c, 0, 0, 0, 3000 / 5.92, 1, TPP_ZONE_BLACK, "3A090.a.2");
  expect_range(&c, 1, 3000 / 5.92, 0, 3000 / 1.6, 1, TPP_ZONE_GREY, "3A090.b.1");
  expect_range(&c, 2, 3000 / 1.6, 0, INFINITY, 0, TPP_ZONE_WHITE, NULL);
  ck_assert_msg(strstr(c.reason, "black (3A090.a.2) for area <= 506.8 mm²") != NULL, "%s",
                c.reason);
  ck_assert_msg(strstr(c.reason, "grey (3A090.b.1) for 506.8 < area <= 1875.0 mm²") != NULL, "%s",
                c.reason);
  ck_assert_msg(strstr(c.reason, "white (not controlled) for area > 1875.0 mm²") != NULL, "%s",
                c.reason);
}
END_TEST

START_TEST(test_unknown_area_2000)
{
  /* Below 2400 only a.2 and b.2 remain: 2000/1.6 is no end point, 2000/3.2 is. */
  struct tpp_classification c = classify(2000, NAN, 1);

  ck_assert_int_eq(c.zone, TPP_ZONE_INDETERMINATE);
  ck_assert_uint_eq(c.n_ranges, 3);
  expect_range(&c, 0, 0, 0, 2000 / 5.92, 1, TPP_ZONE_BLACK, "3A090.a.2");
  expect_range(&c, 1, 2000 / 5.92, 0, 2000 / 3.2, 1, TPP_ZONE_GREY, "3A090.b.2");
  expect_range(&c, 2, 2000 / 3.2, 0, INFINITY, 0, TPP_ZONE_WHITE, NULL);
}
END_TEST

START_TEST(test_unknown_area_1600)
{
  struct tpp_classification c = classify(1600, NAN, 1);

  ck_assert_uint_eq(c.n_ranges, 3);
  expect_range(&c, 0, 0, 0, 1600 / 5.92, 1, TPP_ZONE_BLACK, "3A090.a.2");
  expect_range(&c, 1, 1600 / 5.92, 0, 500, 1, TPP_ZONE_GREY, "3A090.b.2");
  expect_range(&c, 2, 500, 0, INFINITY, 0, TPP_ZONE_WHITE, NULL);
}
END_TEST

START_TEST(test_unknown_area_decided)
{
  struct tpp_classification c;

  /* TPP >= 4800 on a datacenter chip: a.1 whatever the area. */
  c = classify(15831.2, NAN, 1);
  ck_assert_int_eq(c.zone, TPP_ZONE_BLACK);
  ck_assert_str_eq(c.clause, "3A090.a.1");
  ck_assert_ptr_nonnull(c.note);
  ck_assert_uint_eq(c.n_ranges, 1);
  expect_range(&c, 0, 0, 0, INFINITY, 0, TPP_ZONE_BLACK, "3A090.a.1");
  ck_assert_msg(strstr(c.reason, "TPP 15831.2 >= 4800 (3A090.a.1") != NULL, "%s", c.reason);
  ck_assert_ptr_nonnull(strstr(c.reason, "whatever the die area"));
  /* TPP < 1600: not controlled whatever the area. */
  c = classify(1599.999, NAN, 1);
  ck_assert_int_eq(c.zone, TPP_ZONE_WHITE);
  ck_assert_ptr_null(c.clause);
  ck_assert_uint_eq(c.n_ranges, 1);
  expect_range(&c, 0, 0, 0, INFINITY, 0, TPP_ZONE_WHITE, NULL);
  ck_assert_ptr_nonnull(strstr(c.reason, "not controlled"));
  /* TPP 0: PD is 0 for every area. */
  c = classify(0, NAN, 1);
  ck_assert_int_eq(c.zone, TPP_ZONE_WHITE);
  ck_assert_uint_eq(c.n_ranges, 1);
  c = classify(0, 100, 1);
  ck_assert_int_eq(c.zone, TPP_ZONE_WHITE);
  ck_assert(c.pd == 0);
}
END_TEST

/* Which range holds area a (by the ranges' own end points). */
static const struct tpp_area_range *
range_of(const struct tpp_classification *c, double a)
{
  for (size_t i = 0; i < c->n_ranges; i++) {
    const struct tpp_area_range *r = &c->ranges[i];
    int above_lo = r->lo_inclusive ? a >= r->lo : a > r->lo;
    int below_hi = r->hi_inclusive ? a <= r->hi : a < r->hi;
    if (above_lo && below_hi)
      return r;
  }
  return NULL;
}

START_TEST(test_ranges_agree_with_known_area)
{
  /* For many TPPs, the ranges must tile (0, inf) without gaps or overlaps and agree with
   * classification at a known area inside each range (end points themselves are left out:
   * TPP / (TPP / t) need not round back to t). */
  static const double tpps[] = {1000, 1600, 1700, 2000,     2399.999, 2400,
                                2644, 3000, 4000, 4799.999, 4800,     6000};
  for (size_t i = 0; i < sizeof(tpps) / sizeof(tpps[0]); i++) {
    struct tpp_classification u = classify(tpps[i], NAN, 1);
    ck_assert_uint_ge(u.n_ranges, 1);
    ck_assert(u.ranges[0].lo == 0 && !u.ranges[0].lo_inclusive);
    ck_assert(isinf(u.ranges[u.n_ranges - 1].hi));
    for (size_t r = 0; r < u.n_ranges; r++) {
      const struct tpp_area_range *g = &u.ranges[r];
      double probes[4];
      size_t np = 0;
      if (r + 1 < u.n_ranges) {
        ck_assert(g->hi == u.ranges[r + 1].lo);
        ck_assert_int_ne(g->hi_inclusive, u.ranges[r + 1].lo_inclusive);
        ck_assert(g->zone != u.ranges[r + 1].zone || g->clause != u.ranges[r + 1].clause);
      }
      if (isinf(g->hi)) {
        probes[np++] = g->lo * 1.000001 + 1;
        probes[np++] = g->lo * 10 + 10;
      } else {
        probes[np++] = g->lo + (g->hi - g->lo) / 2;
        probes[np++] = g->hi * (1 - 1e-9);
        if (g->lo > 0)
          probes[np++] = g->lo * (1 + 1e-9);
      }
      for (size_t p = 0; p < np; p++) {
        struct tpp_classification k = classify(tpps[i], probes[p], 1);
        ck_assert_ptr_eq(range_of(&u, probes[p]), g);
        ck_assert_msg(k.zone == g->zone, "TPP %g area %g: %s vs range %s", tpps[i], probes[p],
                      tpp_zone_name(k.zone), tpp_zone_name(g->zone));
        ck_assert_ptr_eq(k.clause, g->clause);
      }
    }
  }
}
END_TEST

START_TEST(test_margins)
{
  static const struct {
    enum tpp_metric m;
    double t;
  } want[] = {
      {TPP_METRIC_TPP, 1600},
      {TPP_METRIC_TPP, 2400},
      {TPP_METRIC_TPP, 4800},
      {TPP_METRIC_PD,  1.6 },
      {TPP_METRIC_PD,  3.2 },
      {TPP_METRIC_PD,  5.92}
  };
  struct tpp_classification c = classify(2896, 608.5, 1);

  ck_assert_uint_eq(c.n_margins, 6);
  for (size_t i = 0; i < 6; i++) {
    const struct tpp_margin *m = &c.margins[i];
    double v = want[i].m == TPP_METRIC_TPP ? 2896 : 2896 / 608.5;
    ck_assert_int_eq(m->metric, want[i].m);
    ck_assert(m->threshold == want[i].t);
    ck_assert(m->value == v);
    ck_assert(m->margin == v - want[i].t);
  }
  /* Unknown area: PD margins unknown, TPP margins known. */
  c = classify(2896, NAN, 1);
  ck_assert_uint_eq(c.n_margins, 6);
  ck_assert(c.margins[0].margin == 2896 - 1600);
  ck_assert(isnan(c.margins[3].value) && isnan(c.margins[3].margin));
  /* A non-datacenter chip is tested against 4800 only. */
  c = classify(5284.8, 608.5, 0);
  ck_assert_uint_eq(c.n_margins, 1);
  ck_assert_int_eq(c.margins[0].metric, TPP_METRIC_TPP);
  ck_assert(c.margins[0].threshold == 4800);
  ck_assert(fabs(c.margins[0].margin - 484.8) < 1e-9);
}
END_TEST

START_TEST(test_invalid_facts)
{
  struct tpp_chip_facts f = facts3(-1, 100, 1);
  struct tpp_classification c;

  ck_assert_int_eq(tpp_classify(&rules2023, &f, &c), TPP_EINVAL);
  f.tpp = 100;
  f.die_area_mm2 = 0;
  ck_assert_int_eq(tpp_classify(&rules2023, &f, &c), TPP_EINVAL);
  f.die_area_mm2 = -5;
  ck_assert_int_eq(tpp_classify(&rules2023, &f, &c), TPP_EINVAL);
  f.die_area_mm2 = INFINITY;
  ck_assert_int_eq(tpp_classify(&rules2023, &f, &c), TPP_EINVAL);
  f.die_area_mm2 = 100;
  f.tpp = INFINITY;
  ck_assert_int_eq(tpp_classify(&rules2023, &f, &c), TPP_EINVAL);
  ck_assert_int_eq(tpp_classify(NULL, &f, &c), TPP_EINVAL);
}
END_TEST

START_TEST(test_first_match_and_scope)
{
  /* File order decides; scope "all" applies to both kinds; an empty "when" matches all. */
  const char *text =
      "{\"schema_version\": 1, \"id\": \"order\", \"clauses\": [\n"
      " {\"id\": \"wide\", \"zone\": \"grey\", \"when\": {\"tpp\": {\"min\": 100}}},\n"
      " {\"id\": \"narrow\", \"zone\": \"black\", \"when\": {\"tpp\": {\"min\": 200}}},\n"
      " {\"id\": \"dense\", \"zone\": \"black\", \"applies_to\": \"non_datacenter\",\n"
      "  \"when\": {\"pd\": {\"below\": 2}}},\n"
      " {\"id\": \"rest\", \"zone\": \"white\", \"when\": {}, \"note\": \"catch-all\"}\n"
      "]}";
  struct tpp_ruleset rs;
  struct tpp_diag d;
  struct tpp_chip_facts f = facts3(300, 100, 1);
  struct tpp_classification c;

  ck_assert_int_eq(tpp_ruleset_parse("order.json", text, &rs, &d), 0);
  ck_assert_int_eq(tpp_classify(&rs, &f, &c), 0);
  ck_assert_str_eq(c.clause, "wide");
  ck_assert_int_eq(c.zone, TPP_ZONE_GREY);
  f.tpp = 50;
  f.datacenter = 0;
  ck_assert_int_eq(tpp_classify(&rs, &f, &c), 0);
  ck_assert_str_eq(c.clause, "dense");
  f.datacenter = 1;
  ck_assert_int_eq(tpp_classify(&rs, &f, &c), 0);
  ck_assert_str_eq(c.clause, "rest");
  ck_assert_int_eq(c.zone, TPP_ZONE_WHITE);
  ck_assert_str_eq(c.note, "catch-all");
  ck_assert_str_eq(c.rules_id, "order");
  /* Unknown area, non-datacenter, TPP 50: PD < 2 <=> A > 25. */
  f.datacenter = 0;
  f.die_area_mm2 = NAN;
  ck_assert_int_eq(tpp_classify(&rs, &f, &c), 0);
  ck_assert_int_eq(c.zone, TPP_ZONE_INDETERMINATE);
  ck_assert_uint_eq(c.n_ranges, 2);
  expect_range(&c, 0, 0, 0, 25, 1, TPP_ZONE_WHITE, "rest");
  expect_range(&c, 1, 25, 0, INFINITY, 0, TPP_ZONE_BLACK, "dense");
}
END_TEST

START_TEST(test_adjacent_thresholds)
{
  /* Conditions on PD read "A <= TPP/t" or "A > TPP/t", so every range is (lo, hi]: a
   * breakpoint always goes with the piece to its left, even for thresholds 1e-7 apart. */
  const char *text =
      "{\"schema_version\": 1, \"id\": \"near\", \"clauses\": [\n"
      " {\"id\": \"lo\", \"zone\": \"grey\", \"when\": {\"pd\": {\"below\": 4}}},\n"
      " {\"id\": \"hi\", \"zone\": \"black\", \"when\": {\"pd\": {\"min\": 4.0000001}}},\n"
      " {\"id\": \"at\", \"zone\": \"white\", \"when\": {\"pd\": {\"min\": 4}}}\n"
      "]}";
  struct tpp_ruleset rs;
  struct tpp_diag d;
  struct tpp_chip_facts f = facts3(400, NAN, 1);
  struct tpp_classification c;

  ck_assert_int_eq(tpp_ruleset_parse("near.json", text, &rs, &d), 0);
  ck_assert_int_eq(tpp_classify(&rs, &f, &c), 0);
  ck_assert_int_eq(c.zone, TPP_ZONE_INDETERMINATE);
  ck_assert_uint_eq(c.n_ranges, 3);
  expect_range(&c, 0, 0, 0, 400 / 4.0000001, 1, TPP_ZONE_BLACK, "hi");
  expect_range(&c, 1, 400 / 4.0000001, 0, 100, 1, TPP_ZONE_WHITE, "at");
  expect_range(&c, 2, 100, 0, INFINITY, 0, TPP_ZONE_GREY, "lo");
  /* At area exactly 100, PD is exactly 4: "at", as the ranges say. */
  f.die_area_mm2 = 100;
  ck_assert_int_eq(tpp_classify(&rs, &f, &c), 0);
  ck_assert_str_eq(c.clause, "at");
}
END_TEST

START_TEST(test_json)
{
  struct tpp_classification c = classify(3000, NAN, 1);
  json_t *j = tpp_classification_to_json(&c), *r, *m;
  static const char *const keys[] = {"rules",
                                     "tpp",
                                     "performance_density",
                                     "die_area_mm2",
                                     "interconnect_gbs",
                                     "dram_bandwidth_gbs",
                                     "datacenter",
                                     "zone",
                                     "clause",
                                     "note",
                                     "reason",
                                     "tpp_lower_bound",
                                     "at_least",
                                     "tpp_unchecked",
                                     "margins",
                                     "die_area_ranges",
                                     "scenarios",
                                     "borderline",
                                     "reading",
                                     "interpretation_sensitive",
                                     "interpretations",
                                     "readings_not_evaluated"};

  ck_assert_ptr_nonnull(j);
  for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
    ck_assert_msg(json_object_get(j, keys[i]) != NULL, "missing key %s", keys[i]);
  ck_assert_uint_eq(json_object_size(j), sizeof(keys) / sizeof(keys[0]));
  ck_assert_str_eq(json_string_value(json_object_get(j, "rules")), "eccn-3a090-2023");
  ck_assert(json_number_value(json_object_get(j, "tpp")) == 3000);
  ck_assert(json_is_null(json_object_get(j, "performance_density")));
  ck_assert(json_is_null(json_object_get(j, "die_area_mm2")));
  ck_assert(json_is_true(json_object_get(j, "datacenter")));
  ck_assert_str_eq(json_string_value(json_object_get(j, "zone")), "indeterminate");
  ck_assert(json_is_null(json_object_get(j, "clause")));
  ck_assert(json_is_null(json_object_get(j, "note")));
  ck_assert_str_eq(json_string_value(json_object_get(j, "reason")), c.reason);

  m = json_object_get(j, "margins");
  ck_assert_uint_eq(json_array_size(m), 6);
  ck_assert_str_eq(json_string_value(json_object_get(json_array_get(m, 0), "metric")), "tpp");
  ck_assert(json_number_value(json_object_get(json_array_get(m, 0), "threshold")) == 1600);
  ck_assert(json_number_value(json_object_get(json_array_get(m, 0), "margin")) == 1400);
  ck_assert_str_eq(json_string_value(json_object_get(json_array_get(m, 5), "metric")), "pd");
  ck_assert(json_is_null(json_object_get(json_array_get(m, 5), "value")));
  ck_assert(json_is_null(json_object_get(json_array_get(m, 5), "margin")));

  r = json_object_get(j, "die_area_ranges");
  ck_assert_uint_eq(json_array_size(r), 3);
  ck_assert(json_number_value(json_object_get(json_array_get(r, 0), "min_mm2")) == 0);
  ck_assert(json_number_value(json_object_get(json_array_get(r, 0), "max_mm2")) == 3000 / 5.92);
  ck_assert(json_is_false(json_object_get(json_array_get(r, 0), "min_inclusive")));
  ck_assert(json_is_true(json_object_get(json_array_get(r, 0), "max_inclusive")));
  ck_assert_str_eq(json_string_value(json_object_get(json_array_get(r, 0), "zone")), "black");
  ck_assert_str_eq(json_string_value(json_object_get(json_array_get(r, 0), "clause")), "3A090.a.2");
  ck_assert(json_is_null(json_object_get(json_array_get(r, 2), "max_mm2")));
  ck_assert(json_is_null(json_object_get(json_array_get(r, 2), "clause")));
  json_decref(j);

  /* Known area: numbers everywhere, no ranges. */
  c = classify(4800, 608.5, 0);
  j = tpp_classification_to_json(&c);
  ck_assert_ptr_nonnull(j);
  ck_assert(json_number_value(json_object_get(j, "die_area_mm2")) == 608.5);
  ck_assert(json_number_value(json_object_get(j, "performance_density")) == 4800 / 608.5);
  ck_assert(json_is_false(json_object_get(j, "datacenter")));
  ck_assert_str_eq(json_string_value(json_object_get(j, "zone")), "grey");
  ck_assert_str_eq(json_string_value(json_object_get(j, "clause")), "3A090.a.1");
  ck_assert(json_is_string(json_object_get(j, "note")));
  ck_assert_uint_eq(json_array_size(json_object_get(j, "die_area_ranges")), 0);
  json_decref(j);

  /* Unknown TPP: null. */
  c = classify(NAN, NAN, 1);
  j = tpp_classification_to_json(&c);
  ck_assert(json_is_null(json_object_get(j, "tpp")));
  ck_assert_str_eq(json_string_value(json_object_get(j, "zone")), "indeterminate");
  json_decref(j);
}
END_TEST

static char *
print_to_string(const struct tpp_classification *c)
{
  char *buf = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&buf, &len);
  ck_assert_ptr_nonnull(f);
  tpp_classification_print(c, f);
  fclose(f);
  return buf;
}

START_TEST(test_print)
{
  struct tpp_classification c;
  char *s;

  c = classify(1600, NAN, 1);
  s = print_to_string(&c);
  ck_assert_msg(strstr(s, "die area <= 270.3 mm²: black (3A090.a.2)") != NULL, "%s", s);
  ck_assert_msg(strstr(s, "270.3 < die area <= 500.0 mm²: grey (3A090.b.2)") != NULL, "%s", s);
  ck_assert_msg(strstr(s, "die area > 500.0 mm²: white (not controlled)") != NULL, "%s", s);
  ck_assert_msg(strstr(s, "TPP         1600") != NULL, "%s", s);
  ck_assert_msg(strstr(s, "PD          unknown") != NULL, "%s", s);
  ck_assert_msg(strstr(s, "PD 5.92: unknown") != NULL, "%s", s);
  free(s);

  c = classify(15831.2, 814, 1);
  s = print_to_string(&c);
  ck_assert_msg(strstr(s, "zone        black (3A090.a.1)") != NULL, "%s", s);
  ck_assert_msg(strstr(s, "TPP 15831.2 >= 4800 (3A090.a.1") != NULL, "%s", s);
  ck_assert_msg(strstr(s, "PD          19.4486 (die area 814 mm²)") != NULL, "%s", s);
  ck_assert_msg(strstr(s, "TPP 4800: +11031.2") != NULL, "%s", s);
  free(s);

  /* Values are never rounded onto a threshold they are not equal to. */
  c = classify(4799.999, 10000, 1);
  ck_assert_msg(strstr(c.reason, "TPP 4799.999 and PD 0.48:") != NULL, "%s", c.reason);
  c = classify(2960, 500.001, 1);
  ck_assert_msg(strstr(c.reason, "PD 5.91999 >= 1.6 and < 5.92") != NULL, "%s", c.reason);
  c = classify(1776, 300.0000001, 1);
  ck_assert_msg(strstr(c.reason, "PD 5.92 ") == NULL, "%s", c.reason);
  ck_assert_msg(strstr(c.reason, "PD 5.919999998 >= 3.2 and < 5.92") != NULL, "%s", c.reason);
  s = print_to_string(&c);
  ck_assert_msg(strstr(s, "PD          5.92 ") == NULL, "%s", s);
  ck_assert_msg(strstr(s, "by area") == NULL, "%s", s);
  free(s);
}
END_TEST

/* --- the other shipped rule sets ------------------------------------------------------ */

static struct tpp_ruleset
load_set(const char *name)
{
  char path[512];
  struct tpp_ruleset rs;
  struct tpp_diag d = {0};
  snprintf(path, sizeof(path), "%s/rules/%s.json", TPP_PROFILES_DIR, name);
  ck_assert_msg(tpp_ruleset_load(path, &rs, &d) == 0, "%s: %s", path, d.text);
  return rs;
}

static struct tpp_classification
classify_full(const struct tpp_ruleset *rs, double tpp, double area, double ic, double dram)
{
  struct tpp_chip_facts f = facts3(tpp, area, 1);
  struct tpp_classification c;
  f.interconnect_gbs = ic;
  f.dram_bw_gbs = dram;
  ck_assert_int_eq(tpp_classify(rs, &f, &c), 0);
  return c;
}

/* 2022: 4800 or more AND 600 GB/s or more, both sides of both. */
START_TEST(test_rules_2022)
{
  static struct tpp_ruleset rs;
  struct tpp_classification c;
  rs = load_set("eccn-3a090-2022");
  ck_assert(classify_full(&rs, 4992, 826, 600, NAN).zone == TPP_ZONE_BLACK);    /* A100 */
  ck_assert(classify_full(&rs, 4992, 826, 599.99, NAN).zone == TPP_ZONE_WHITE); /* */
  ck_assert(classify_full(&rs, 4992, 826, 400, NAN).zone == TPP_ZONE_WHITE);    /* A800 */
  ck_assert(classify_full(&rs, 4799.99, 826, 900, NAN).zone == TPP_ZONE_WHITE);
  ck_assert(classify_full(&rs, 4800, NAN, 600, NAN).zone == TPP_ZONE_BLACK); /* no PD test */
  /* Unknown interconnect: it decides, so indeterminate with one scenario per side. */
  c = classify_full(&rs, 15831.2, 814, NAN, NAN);
  ck_assert(c.zone == TPP_ZONE_INDETERMINATE);
  ck_assert_uint_eq(c.n_scenarios, 2);
  ck_assert(c.scenarios[0].zone == TPP_ZONE_WHITE && c.scenarios[0].conds[0].hi == 600);
  ck_assert(c.scenarios[1].zone == TPP_ZONE_BLACK && c.scenarios[1].conds[0].lo == 600);
  ck_assert_msg(strstr(c.reason, "unknown interconnect") != NULL, "%s", c.reason);
  /* ...unless TPP alone settles it. */
  c = classify_full(&rs, 2000, 814, NAN, NAN);
  ck_assert(c.zone == TPP_ZONE_WHITE);
  ck_assert_uint_eq(c.n_scenarios, 0);
  ck_assert_msg(strstr(c.reason, "whatever the interconnect") != NULL, "%s", c.reason);
}
END_TEST

/* January 2026: case-by-case below 21,000 TPP and 6,500 GB/s; both sides of both. */
START_TEST(test_rules_2026)
{
  static struct tpp_ruleset rs;
  struct tpp_classification c;
  rs = load_set("case-by-case-2026");
  c = classify_full(&rs, 15831.2, 814, NAN, 4800); /* H200 */
  ck_assert(c.zone == TPP_ZONE_GREY);
  ck_assert_str_eq(c.clause, "742.6(b)(10) case-by-case");
  ck_assert(classify_full(&rs, 20919.2, 1017, NAN, 6000).zone == TPP_ZONE_GREY); /* MI325X */
  ck_assert(classify_full(&rs, 20999.99, 1017, NAN, 6499.99).zone == TPP_ZONE_GREY);
  ck_assert(classify_full(&rs, 21000, 1017, NAN, 6000).zone == TPP_ZONE_BLACK);
  ck_assert(classify_full(&rs, 20000, 1017, NAN, 6500).zone == TPP_ZONE_BLACK);
  ck_assert(classify_full(&rs, 36000, 1628, NAN, 7700).zone == TPP_ZONE_BLACK); /* B200 */
  /* a.2 by density, with high bandwidth: denial; with low: case-by-case */
  ck_assert(classify_full(&rs, 1940, 294.5, NAN, 7000).zone == TPP_ZONE_BLACK);
  ck_assert(classify_full(&rs, 1940, 294.5, NAN, 300).zone == TPP_ZONE_GREY);
  /* 3A090.b chips and white chips are outside the policy whatever their bandwidth */
  c = classify_full(&rs, 2896, 608.5, NAN, 9000);
  ck_assert(c.zone == TPP_ZONE_GREY);
  ck_assert_str_eq(c.clause, "3A090.b.1");
  ck_assert(classify_full(&rs, 2368, 814, NAN, 4000).zone == TPP_ZONE_WHITE); /* H20 */
  /* A TPP of 21,000 or more decides whatever the bandwidth; below, bandwidth decides. */
  c = classify_full(&rs, 36000, 1628, NAN, NAN);
  ck_assert(c.zone == TPP_ZONE_BLACK);
  c = classify_full(&rs, 15831.2, 814, NAN, NAN);
  ck_assert(c.zone == TPP_ZONE_INDETERMINATE);
  ck_assert_uint_eq(c.n_scenarios, 2);
}
END_TEST

/* The AI Diffusion set classifies exactly like the 2023 one. */
START_TEST(test_rules_ai_diffusion_same_zones)
{
  static struct tpp_ruleset rs;
  static const double tpps[] = {1000, 1600, 2000, 2400, 3000, 4799, 4800, 15831.2};
  static const double areas[] = {100, 294.5, 500, 608.5, 814, 2000, NAN};
  rs = load_set("ai-diffusion-2025");
  for (size_t i = 0; i < sizeof(tpps) / sizeof(tpps[0]); i++)
    for (size_t k = 0; k < sizeof(areas) / sizeof(areas[0]); k++)
      for (int dc = 0; dc < 2; dc++) {
        struct tpp_chip_facts f = facts3(tpps[i], areas[k], dc);
        struct tpp_classification a, b;
        ck_assert_int_eq(tpp_classify(&rs, &f, &a), 0);
        ck_assert_int_eq(tpp_classify(&rules2023, &f, &b), 0);
        ck_assert_msg(a.zone == b.zone, "TPP %g area %g dc %d", tpps[i], areas[k], dc);
      }
}
END_TEST

/* Borderline: a threshold inside the measured spread names the other zone. */
START_TEST(test_borderline_spread)
{
  struct tpp_chip_facts f = facts3(4850, 814, 1);
  struct tpp_classification c;
  f.tpp_lo = 4780;
  f.tpp_hi = 4900;
  ck_assert_int_eq(tpp_classify(&rules2023, &f, &c), 0);
  ck_assert(c.zone == TPP_ZONE_BLACK);
  ck_assert(c.borderline);
  ck_assert(c.borderline_zone == TPP_ZONE_GREY);
  ck_assert_msg(strstr(c.borderline_reason, "4780") != NULL, "%s", c.borderline_reason);
  /* A spread that stays above the threshold is not borderline. */
  f.tpp_lo = 4810;
  ck_assert_int_eq(tpp_classify(&rules2023, &f, &c), 0);
  ck_assert(!c.borderline);
  /* DRAM bandwidth spread under the 2026 policy. */
  {
    static struct tpp_ruleset rs;
    rs = load_set("case-by-case-2026");
    f = facts3(15831.2, 814, 1);
    f.dram_bw_gbs = 6450;
    f.dram_bw_lo = 6400;
    f.dram_bw_hi = 6520;
    ck_assert_int_eq(tpp_classify(&rs, &f, &c), 0);
    ck_assert(c.zone == TPP_ZONE_GREY);
    ck_assert(c.borderline && c.borderline_zone == TPP_ZONE_BLACK);
  }
}
END_TEST

/* Issue 10 / 15: a TPP that is a lower bound (a kernel known to stay below the peak path set
 * it) never reads as a zone a higher TPP would leave: decided only when every higher TPP
 * gives the same zone, else indeterminate with the outcomes by TPP and the least of them. */
START_TEST(test_lower_bound_tpp)
{
  struct tpp_chip_facts f = facts3(2000, 814, 1);
  struct tpp_classification c;
  json_t *j;

  /* White at 2000 on 814 mm2, grey from 2400, black from 4800. */
  f.tpp_lower_bound = 1;
  ck_assert_int_eq(tpp_classify(&rules2023, &f, &c), 0);
  ck_assert_msg(c.zone == TPP_ZONE_INDETERMINATE, "%s", c.reason);
  ck_assert(c.tpp_lower_bound);
  ck_assert_int_eq(c.at_least, TPP_ZONE_WHITE);
  ck_assert_uint_eq(c.n_scenarios, 3);
  ck_assert(c.scenarios[0].zone == TPP_ZONE_WHITE && c.scenarios[0].conds[0].lo == 2000 &&
            c.scenarios[0].conds[0].hi == 2400 && c.scenarios[0].conds[0].holds);
  ck_assert(c.scenarios[1].zone == TPP_ZONE_GREY && c.scenarios[1].conds[0].hi == 4800);
  ck_assert(c.scenarios[2].zone == TPP_ZONE_BLACK && isinf(c.scenarios[2].conds[0].hi));
  ck_assert_ptr_nonnull(strstr(c.reason, "lower bound"));
  /* Grey at 3000: at least grey. */
  f.tpp = 3000;
  ck_assert_int_eq(tpp_classify(&rules2023, &f, &c), 0);
  ck_assert(c.zone == TPP_ZONE_INDETERMINATE);
  ck_assert_int_eq(c.at_least, TPP_ZONE_GREY);
  ck_assert(tpp_classification_possible(&c, TPP_ZONE_BLACK));
  ck_assert(!tpp_classification_possible(&c, TPP_ZONE_WHITE));
  j = tpp_classification_to_json(&c);
  ck_assert_str_eq(json_string_value(json_object_get(j, "at_least")), "grey");
  ck_assert(json_is_true(json_object_get(j, "tpp_lower_bound")));
  json_decref(j);
  /* Black at 5000: black whatever the true TPP above it. */
  f.tpp = 5000;
  ck_assert_int_eq(tpp_classify(&rules2023, &f, &c), 0);
  ck_assert(c.zone == TPP_ZONE_BLACK);
  ck_assert_ptr_nonnull(strstr(c.reason, "lower bound"));
  /* Unknown die area: the PD breakpoints move with TPP; still at least what TPP alone says. */
  f = facts3(4000, NAN, 1);
  f.tpp_lower_bound = 1;
  ck_assert_int_eq(tpp_classify(&rules2023, &f, &c), 0);
  ck_assert(c.zone == TPP_ZONE_INDETERMINATE);
  ck_assert(tpp_classification_possible(&c, TPP_ZONE_BLACK));
  /* Without the flag, as before. */
  f = facts3(2000, 814, 1);
  ck_assert_int_eq(tpp_classify(&rules2023, &f, &c), 0);
  ck_assert(c.zone == TPP_ZONE_WHITE && !c.tpp_lower_bound);
}
END_TEST

/* A figure nothing bounded from above (unchecked) is not in TPP, but when it would give
 * another zone the verdict says so (borderline), whichever way. */
START_TEST(test_unchecked_tpp)
{
  struct tpp_chip_facts f = facts3(2000, 814, 1);
  struct tpp_classification c;
  f.tpp_unchecked = 5000;
  ck_assert_int_eq(tpp_classify(&rules2023, &f, &c), 0);
  ck_assert(c.zone == TPP_ZONE_WHITE);
  ck_assert(c.borderline && c.borderline_zone == TPP_ZONE_BLACK);
  ck_assert_ptr_nonnull(strstr(c.borderline_reason, "nothing bounded from above"));
  ck_assert_double_eq(c.tpp_unchecked, 5000);
  /* One that stays in the zone changes nothing. */
  f.tpp_unchecked = 2100;
  ck_assert_int_eq(tpp_classify(&rules2023, &f, &c), 0);
  ck_assert(c.zone == TPP_ZONE_WHITE && !c.borderline);
}
END_TEST

static int
has_alternative(const struct tpp_explanation *e, enum tpp_zone z, const char *text)
{
  for (size_t i = 0; i < e->n_alternatives; i++) {
    json_t *j = tpp_scenario_to_json(&e->alternatives[i]);
    int ok = e->alternatives[i].zone == z &&
             strcmp(json_string_value(json_object_get(j, "text")), text) == 0;
    json_decref(j);
    if (ok)
      return 1;
  }
  return 0;
}

/* What would move the H100 and the H20 to another zone. */
START_TEST(test_explain)
{
  struct tpp_classification c = classify(15831.2, 814, 1);
  struct tpp_explanation e;
  ck_assert_int_eq(tpp_explain(&rules2023, &c, &e), 0);
  ck_assert(has_alternative(&e, TPP_ZONE_WHITE, "TPP < 1600"));
  ck_assert(has_alternative(&e, TPP_ZONE_WHITE, "TPP < 4800 and PD < 1.6"));
  ck_assert(has_alternative(&e, TPP_ZONE_WHITE, "TPP < 2400 and PD < 3.2"));
  ck_assert(has_alternative(&e, TPP_ZONE_GREY, "2400 <= TPP < 4800 and 1.6 <= PD < 5.92"));
  for (size_t i = 0; i < e.n_alternatives; i++)
    ck_assert(e.alternatives[i].zone != TPP_ZONE_BLACK);
  /* Same die: white below 2400, grey up to 4800, black from there. */
  ck_assert_uint_eq(e.n_same_die, 3);
  ck_assert(e.same_die[0].zone == TPP_ZONE_WHITE && e.same_die[0].hi == 2400);
  ck_assert(e.same_die[1].zone == TPP_ZONE_GREY && e.same_die[1].hi == 4800);
  ck_assert(e.same_die[2].zone == TPP_ZONE_BLACK && isinf(e.same_die[2].hi));

  c = classify(2368, 814, 1); /* H20: white, 32 TPP under b.1 */
  ck_assert_int_eq(tpp_explain(&rules2023, &c, &e), 0);
  ck_assert(has_alternative(&e, TPP_ZONE_BLACK, "TPP >= 4800"));
  ck_assert(has_alternative(&e, TPP_ZONE_GREY, "2400 <= TPP < 4800 and 1.6 <= PD < 5.92"));
  for (size_t i = 0; i < e.n_alternatives; i++) {
    ck_assert(e.alternatives[i].zone != TPP_ZONE_WHITE);
    /* every alternative needs at least one change */
    int changes = 0;
    for (size_t k = 0; k < e.alternatives[i].n_conds; k++)
      changes += !e.alternatives[i].conds[k].holds;
    ck_assert(changes > 0);
  }
  /* Indeterminate: no alternatives. */
  c = classify(3000, NAN, 1);
  ck_assert_int_eq(tpp_explain(&rules2023, &c, &e), 0);
  ck_assert_uint_eq(e.n_alternatives, 0);
  /* Non-datacenter: only TPP matters. */
  c = classify(5284.8, 608.5, 0);
  ck_assert_int_eq(tpp_explain(&rules2023, &c, &e), 0);
  ck_assert_uint_eq(e.n_alternatives, 1);
  ck_assert(has_alternative(&e, TPP_ZONE_WHITE, "TPP < 4800"));
}
END_TEST

/* Issue 15.4: the search for alternatives was exponential in the thresholds per metric (1.3 s
 * and 38 million cell evaluations for this 1.7 KB rule set, 104 s for a larger one), and
 * still wrong: a cap on the boxes it kept left 7 alternatives, not the simplest, and no word
 * of the 51 others.  Now each box is a few table look-ups, at most (cells of TPP) x (1 + 2 x 3
 * steps outwards) x (runs of the three other metrics) of them, and every maximal box is
 * found. */
START_TEST(test_explain_bounded)
{
  struct tpp_ruleset rs;
  struct tpp_diag d = {0};
  struct tpp_classification c;
  struct tpp_explanation e;
  struct tpp_chip_facts f = facts3(105, 1, 1);
  size_t bound = 13 * 7 * (15 * 16 / 2) * (4 * 5 / 2) * (4 * 5 / 2);
  ck_assert_msg(tpp_ruleset_load(TPP_TEST_DATA "/rules/explain_blowup.json", &rs, &d) == 0, "%s",
                d.text);
  f.interconnect_gbs = f.dram_bw_gbs = 105;
  ck_assert_int_eq(tpp_classify(&rs, &f, &c), 0);
  ck_assert(c.zone == TPP_ZONE_GREY);
  ck_assert_int_eq(tpp_explain(&rs, &c, &e), 0);
  ck_assert_msg(e.work <= bound, "%zu look-ups, bound %zu", e.work, bound);
  /* The simplest ways out (one change each) come first; the rest are counted. */
  ck_assert(has_alternative(&e, TPP_ZONE_WHITE, "PD < 400 and DRAM bandwidth < 100 GB/s"));
  ck_assert(has_alternative(&e, TPP_ZONE_WHITE, "PD < 400 and interconnect < 100 GB/s"));
  ck_assert_uint_eq(e.n_alternatives, TPP_MAX_ALTERNATIVES);
  ck_assert_uint_eq(e.n_alternatives + e.n_dropped, 51);
  for (size_t i = 0; i < e.n_alternatives; i++) {
    size_t changes = 0;
    for (size_t k = 0; k < e.alternatives[i].n_conds; k++)
      changes += !e.alternatives[i].conds[k].holds;
    ck_assert_uint_eq(changes, 1);
  }
}
END_TEST

/* The zone of the box [lo, hi] of cells (one zone: 1 and *z), by evaluating every cell. */
static int
brute_uniform(const struct tpp_ruleset *rs, double t[][8], const size_t *n, const int *lo,
              const int *hi, enum tpp_zone *z)
{
  int idx[TPP_METRIC_COUNT], first = 1;
  memcpy(idx, lo, sizeof(idx));
  for (;;) {
    double v[TPP_METRIC_COUNT];
    int k, m;
    for (m = 0; m < TPP_METRIC_COUNT; m++)
      v[m] = n[m] == 0 ? NAN : idx[m] == 0 ? 0.0 : t[m][idx[m] - 1];
    k = tpp_rules_first_match(rs, 1, v);
    if (first)
      *z = k < 0 ? TPP_ZONE_WHITE : rs->clauses[k].zone;
    else if (*z != (k < 0 ? TPP_ZONE_WHITE : rs->clauses[k].zone))
      return 0;
    first = 0;
    for (m = 0; m < TPP_METRIC_COUNT; m++) {
      if (idx[m] < hi[m]) {
        idx[m]++;
        break;
      }
      idx[m] = lo[m];
    }
    if (m == TPP_METRIC_COUNT)
      return 1;
  }
}

/* The bounded search finds every maximal one-zone box that the exhaustive one finds, on
 * random rule sets small enough to enumerate (at most 3 thresholds per metric). */
START_TEST(test_explain_matches_exhaustive)
{
  unsigned seed = 12345;
  for (int trial = 0; trial < 150; trial++) {
    struct tpp_ruleset rs;
    struct tpp_classification c;
    struct tpp_explanation e;
    struct tpp_chip_facts f;
    double t[TPP_METRIC_COUNT][8];
    size_t n[TPP_METRIC_COUNT], maximal = 0;
    int lo[TPP_METRIC_COUNT], hi[TPP_METRIC_COUNT];
    memset(&rs, 0, sizeof(rs));
    snprintf(rs.id, sizeof(rs.id), "random-%d", trial);
    rs.n_clauses = 1 + rand_r(&seed) % 5;
    for (size_t k = 0; k < rs.n_clauses; k++) {
      struct tpp_clause *cl = &rs.clauses[k];
      snprintf(cl->id, sizeof(cl->id), "c%zu", k);
      cl->zone = (enum tpp_zone)(TPP_ZONE_WHITE + rand_r(&seed) % 3);
      for (int m = 0; m < TPP_METRIC_COUNT; m++) {
        struct tpp_bound *b = &cl->when[m];
        if (rand_r(&seed) % 2)
          continue;
        b->used = 1;
        b->has_min = rand_r(&seed) % 2;
        b->min = 1 + rand_r(&seed) % 3;
        b->has_below = !b->has_min || rand_r(&seed) % 2;
        b->below = b->has_min ? b->min + 1 + rand_r(&seed) % 2 : 1 + rand_r(&seed) % 4;
      }
    }
    f = facts3(0.5 + rand_r(&seed) % 5, 1, 1);
    f.interconnect_gbs = 0.5 + rand_r(&seed) % 5;
    f.dram_bw_gbs = 0.5 + rand_r(&seed) % 5;
    ck_assert_int_eq(tpp_classify(&rs, &f, &c), 0);
    if (c.zone == TPP_ZONE_INDETERMINATE)
      continue;
    ck_assert_int_eq(tpp_explain(&rs, &c, &e), 0);
    for (int m = 0; m < TPP_METRIC_COUNT; m++)
      n[m] = tpp_rules_thresholds(&rs, 1, (enum tpp_metric)m, t[m], 8);
    /* every box, as an odometer over each metric's runs */
    for (int m = 0; m < TPP_METRIC_COUNT; m++)
      lo[m] = hi[m] = 0;
    for (;;) {
      enum tpp_zone z, zz;
      int m, is_max = 1;
      if (brute_uniform(&rs, t, n, lo, hi, &z) && z != c.zone) {
        for (m = 0; m < TPP_METRIC_COUNT && is_max; m++) {
          if (lo[m] > 0) {
            lo[m]--;
            is_max = !(brute_uniform(&rs, t, n, lo, hi, &zz) && zz == z);
            lo[m]++;
          }
          if (is_max && hi[m] < (int)n[m]) {
            hi[m]++;
            is_max = !(brute_uniform(&rs, t, n, lo, hi, &zz) && zz == z);
            hi[m]--;
          }
        }
        maximal += is_max;
      }
      for (m = 0; m < TPP_METRIC_COUNT; m++) {
        if (hi[m] < (int)n[m]) {
          hi[m]++;
          break;
        }
        if (lo[m] < (int)n[m]) {
          lo[m]++;
          hi[m] = lo[m];
          break;
        }
        lo[m] = hi[m] = 0;
      }
      if (m == TPP_METRIC_COUNT)
        break;
    }
    ck_assert_msg(e.n_alternatives + e.n_dropped == maximal,
                  "trial %d: %zu shown + %zu not shown, exhaustive search: %zu", trial,
                  e.n_alternatives, e.n_dropped, maximal);
  }
}
END_TEST

/* Interpretation-sensitive verdicts.  H20-like figures (FP32 44 on the vector units, INT8
 * 296 on the matrix units, 814 mm2): not controlled under the highest reading, 3A090.b.1 under
 * the aggregate one (technical note 1.d's literal wording). */
START_TEST(test_interpretation_aggregate)
{
  struct tpp_peak peaks[] = {
      {.precision = TPP_FP32, .tops = 44,  .has_path = 1, .path = TPP_PATH_VECTOR},
      {.precision = TPP_INT8, .tops = 296, .has_path = 1, .path = TPP_PATH_TENSOR}
  };
  struct tpp_figures fig = {.peaks = peaks, .n = 2};
  struct tpp_chip_facts f = facts3(NAN, 814, 1);
  struct tpp_classification c;
  struct tpp_ruleset rs;
  struct tpp_reading agg = {.tpp = TPP_READ_AGGREGATE, .tf32_bits = 32};
  json_t *j, *in;
  int seen = 0;

  load_shipped();
  ck_assert_int_eq(tpp_classify_figures(&rules2023, &f, &fig, &c), 0);
  ck_assert(c.zone == TPP_ZONE_WHITE);
  ck_assert(c.tpp == 2368);
  ck_assert(c.interpretation_sensitive);
  ck_assert_uint_eq(c.n_readings, 3);
  for (size_t i = 0; i < c.n_readings; i++) {
    if (c.readings[i].reading.tpp != TPP_READ_AGGREGATE)
      continue;
    ck_assert(c.readings[i].evaluated && c.readings[i].differs);
    ck_assert(c.readings[i].zone == TPP_ZONE_GREY);
    ck_assert_str_eq(c.readings[i].clause, "3A090.b.1");
    ck_assert(fabs(c.readings[i].tpp - 3776) < 1e-9);
    seen++;
  }
  ck_assert_int_eq(seen, 2); /* TF32 at 32 and at 19 bits */
  j = tpp_classification_to_json(&c);
  ck_assert(json_is_true(json_object_get(j, "interpretation_sensitive")));
  in = json_object_get(j, "interpretations");
  ck_assert_uint_eq(json_array_size(in), 2);
  ck_assert_str_eq(json_string_value(json_object_get(json_array_get(in, 0), "zone")), "grey");
  ck_assert_str_eq(json_string_value(json_object_get(json_array_get(in, 0), "tpp_reading")),
                   "aggregate");
  ck_assert_str_eq(json_string_value(json_object_get(json_object_get(j, "reading"), "tpp_reading")),
                   "highest");
  json_decref(j);

  /* Chosen as the reading (--tpp-reading aggregate): grey, and the highest reading is the
   * alternative that differs. */
  rs = rules2023;
  ck_assert_int_eq(tpp_ruleset_choose_reading(&rs, &agg, "--tpp-reading", NULL), 0);
  ck_assert_int_eq(tpp_classify_figures(&rs, &f, &fig, &c), 0);
  ck_assert(c.zone == TPP_ZONE_GREY);
  ck_assert(c.interpretation_sensitive);

  /* A chip that TPP alone decides whatever the reading is not sensitive. */
  peaks[1].tops = 1978.9;
  ck_assert_int_eq(tpp_classify_figures(&rules2023, &f, &fig, &c), 0);
  ck_assert(c.zone == TPP_ZONE_BLACK);
  ck_assert(!c.interpretation_sensitive);

  /* Figures without units: the aggregate reading is not evaluated, and says why. */
  peaks[0].has_path = peaks[1].has_path = 0;
  peaks[1].tops = 296;
  ck_assert_int_eq(tpp_classify_figures(&rules2023, &f, &fig, &c), 0);
  ck_assert(!c.interpretation_sensitive);
  for (size_t i = 0; i < c.n_readings; i++)
    if (c.readings[i].reading.tpp == TPP_READ_AGGREGATE)
      ck_assert(!c.readings[i].evaluated && c.readings[i].why[0]);
  ck_assert_int_eq(tpp_classify_figures(&rs, &f, &fig, &c), TPP_EINVAL);
}
END_TEST

/* A chip whose TPP TF32 sets (160 x 32 = 5,120 on 1,000 mm2): black with TF32 as 32 bits,
 * 3A090.b.1 with TF32 as 19 bits (160 x 19 = 3,040, PD 3.04). */
START_TEST(test_interpretation_tf32)
{
  struct tpp_peak peaks[] = {
      {.precision = TPP_TF32, .tops = 160, .has_path = 1, .path = TPP_PATH_TENSOR},
      {.precision = TPP_FP16, .tops = 160, .has_path = 1, .path = TPP_PATH_TENSOR}
  };
  struct tpp_figures fig = {.peaks = peaks, .n = 2};
  struct tpp_chip_facts f = facts3(NAN, 1000, 1);
  struct tpp_classification c;
  int seen = 0;

  load_shipped();
  ck_assert_int_eq(tpp_classify_figures(&rules2023, &f, &fig, &c), 0);
  ck_assert(c.zone == TPP_ZONE_BLACK);
  ck_assert(c.interpretation_sensitive);
  for (size_t i = 0; i < c.n_readings; i++)
    if (c.readings[i].reading.tpp == TPP_READ_HIGHEST && c.readings[i].reading.tf32_bits == 19) {
      ck_assert(c.readings[i].differs);
      ck_assert(c.readings[i].zone == TPP_ZONE_GREY);
      ck_assert(fabs(c.readings[i].tpp - 3040) < 1e-9);
      seen = 1;
    }
  ck_assert(seen);
}
END_TEST

static Suite *
classify_suite(void)
{
  Suite *s = suite_create("classify");
  TCase *tc = tcase_create("core");

  tcase_add_checked_fixture(tc, load_shipped, NULL);
  tcase_add_test(tc, test_names);
  tcase_add_test(tc, test_exact_quotients);
  tcase_add_test(tc, test_tpp_4800);
  tcase_add_test(tc, test_tpp_2400);
  tcase_add_test(tc, test_tpp_1600);
  tcase_add_test(tc, test_pd_5_92);
  tcase_add_test(tc, test_pd_3_2);
  tcase_add_test(tc, test_pd_1_6);
  tcase_add_test(tc, test_known_chips);
  tcase_add_test(tc, test_non_datacenter);
  tcase_add_test(tc, test_unknown_tpp);
  tcase_add_test(tc, test_unknown_area_3000);
  tcase_add_test(tc, test_unknown_area_2000);
  tcase_add_test(tc, test_unknown_area_1600);
  tcase_add_test(tc, test_unknown_area_decided);
  tcase_add_test(tc, test_ranges_agree_with_known_area);
  tcase_add_test(tc, test_margins);
  tcase_add_test(tc, test_invalid_facts);
  tcase_add_test(tc, test_first_match_and_scope);
  tcase_add_test(tc, test_adjacent_thresholds);
  tcase_add_test(tc, test_json);
  tcase_add_test(tc, test_interpretation_aggregate);
  tcase_add_test(tc, test_interpretation_tf32);
  tcase_add_test(tc, test_rules_2022);
  tcase_add_test(tc, test_rules_2026);
  tcase_add_test(tc, test_rules_ai_diffusion_same_zones);
  tcase_add_test(tc, test_borderline_spread);
  tcase_add_test(tc, test_lower_bound_tpp);
  tcase_add_test(tc, test_unchecked_tpp);
  tcase_add_test(tc, test_explain);
  tcase_add_test(tc, test_explain_bounded);
  tcase_add_test(tc, test_explain_matches_exhaustive);
  tcase_add_test(tc, test_print);
  suite_add_tcase(s, tc);
  return s;
}

int
main(void)
{
  return tpp_test_run(classify_suite());
}
