/* test_report.c - `tppbench report`: the zone regions computed from rule data (zonemap), every
 * format's content (md, csv, html, svg well-formed with the regions and the device, png and pdf
 * valid, the png's pixels where the chart puts zones and the device), bad input, and `fleet
 * --format`. */
#include <cairo.h>
#include <check.h>
#include <expat.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "testutil.h"
#include "tpp/report.h"
#include "tpp/zonemap.h"

#define EXAMPLE TPP_TEST_DATA "/../../docs/examples/synthetic-h100-sxm.json"
#define POCL TPP_TEST_DATA "/../../results/pocl-3.1-xeon-2cpu-kvm.json"

static const char *const rule_sets[] = {"eccn-3a090-2023", "eccn-3a090-2022", "case-by-case-2026",
                                        "ai-diffusion-2025", NULL};

static void
load_rules(const char *id, struct tpp_ruleset *rs)
{
  char path[1024];
  struct tpp_diag d = {0};
  snprintf(path, sizeof(path), "%s/rules/%s.json", TPP_PROFILES_DIR, id);
  ck_assert_msg(tpp_ruleset_load(path, rs, &d) == 0, "%s: %s", path, d.text);
}

static enum tpp_zone
zone_at(const struct tpp_zonemap *m, double tpp, double pd)
{
  const struct tpp_zonemap_cell *c = tpp_zonemap_at(m, tpp, pd);
  ck_assert_ptr_nonnull(c);
  ck_assert_msg(c->zone == c->zone_min, "(%g, %g) depends on another metric", tpp, pd);
  return c->zone;
}

/* --- the regions ------------------------------------------------------------------------ */

START_TEST(regions_2023)
{
  static struct tpp_ruleset rs;
  static struct tpp_zonemap dc, ndc;
  const struct tpp_zonemap_cell *c;
  load_rules("eccn-3a090-2023", &rs);
  ck_assert_int_eq(tpp_zonemap_build(&rs, 1, NULL, &dc), 0);
  ck_assert_int_eq(tpp_zonemap_build(&rs, 0, NULL, &ndc), 0);

  ck_assert_int_eq(zone_at(&dc, 5000, 1), TPP_ZONE_BLACK);
  ck_assert_int_eq(zone_at(&dc, 2000, 6), TPP_ZONE_BLACK);
  ck_assert_int_eq(zone_at(&dc, 3000, 2), TPP_ZONE_GREY);
  ck_assert_int_eq(zone_at(&dc, 1000, 10), TPP_ZONE_WHITE);
  ck_assert_int_eq(zone_at(&ndc, 2000, 10), TPP_ZONE_WHITE);
  ck_assert_int_eq(zone_at(&ndc, 5000, 1), TPP_ZONE_GREY); /* a.1, NAC/ACA */
  ck_assert_int_eq(zone_at(&ndc, 3000, 2), TPP_ZONE_WHITE);

  /* The rule's wording at the edges: "or more" holds at the threshold, "less than" not. */
  ck_assert_int_eq(zone_at(&dc, 4800, 1), TPP_ZONE_BLACK);
  ck_assert_int_eq(zone_at(&dc, nextafter(4800, 0), 1), TPP_ZONE_WHITE);
  ck_assert_int_eq(zone_at(&dc, 1600, 5.92), TPP_ZONE_BLACK);
  ck_assert_int_eq(zone_at(&dc, 1600, nextafter(5.92, 0)), TPP_ZONE_GREY); /* b.2 */
  ck_assert_int_eq(zone_at(&dc, 2400, 1.6), TPP_ZONE_GREY);                /* b.1 */
  ck_assert_int_eq(zone_at(&dc, 2400, nextafter(1.6, 0)), TPP_ZONE_WHITE);

  /* The cells and their clauses. */
  c = tpp_zonemap_at(&dc, 2000, 6);
  ck_assert_str_eq(c->clause, "3A090.a.2");
  ck_assert_double_eq(c->tpp_lo, 1600);
  ck_assert_double_eq(c->tpp_hi, 2400);
  ck_assert_double_eq(c->pd_lo, 5.92);
  ck_assert(isinf(c->pd_hi));
  ck_assert_str_eq(tpp_zonemap_at(&dc, 3000, 2)->clause, "3A090.b.1");
  ck_assert_str_eq(tpp_zonemap_at(&dc, 2000, 4)->clause, "3A090.b.2");
  ck_assert_ptr_null(tpp_zonemap_at(&dc, 1000, 10)->clause);
  /* Edges: 0, the thresholds, infinity. */
  ck_assert_uint_eq(dc.n_tpp_edges, 5); /* 0 1600 2400 4800 inf */
  ck_assert_uint_eq(dc.n_pd_edges, 5);  /* 0 1.6 3.2 5.92 inf */
  ck_assert_uint_eq(ndc.n_tpp_edges, 3);
  ck_assert_uint_eq(ndc.n_pd_edges, 2); /* no PD threshold for a non-datacenter chip */
  ck_assert_ptr_null(tpp_zonemap_at(&dc, NAN, 1));
  ck_assert_ptr_null(tpp_zonemap_at(&dc, 1, -1));
}
END_TEST

/* Every cell of every shipped rule set, both kinds of chip, agrees with the classifier's own
 * first match at and around every threshold, with the other metrics known or not. */
START_TEST(regions_match_classifier)
{
  static struct tpp_ruleset rs;
  static struct tpp_zonemap m, known;
  for (size_t s = 0; rule_sets[s]; s++) {
    load_rules(rule_sets[s], &rs);
    for (int dc = 0; dc <= 1; dc++) {
      double xs[64], ys[64], others[] = {100, 600, 900, 3000, 6500, 8000};
      size_t nx = 0, ny = 0;
      ck_assert_int_eq(tpp_zonemap_build(&rs, dc, NULL, &m), 0);
      for (size_t i = 1; i + 1 < m.n_tpp_edges; i++) {
        xs[nx++] = m.tpp_edges[i];
        xs[nx++] = nextafter(m.tpp_edges[i], 0);
      }
      for (size_t i = 1; i + 1 < m.n_pd_edges; i++) {
        ys[ny++] = m.pd_edges[i];
        ys[ny++] = nextafter(m.pd_edges[i], 0);
      }
      xs[nx++] = 10;
      xs[nx++] = 1e6;
      ys[ny++] = 0.01;
      ys[ny++] = 1000;
      for (size_t o = 0; o < sizeof(others) / sizeof(others[0]); o++) {
        double v[TPP_METRIC_COUNT] = {0};
        v[TPP_METRIC_INTERCONNECT] = others[o];
        v[TPP_METRIC_DRAM_BW] = others[o];
        ck_assert_int_eq(tpp_zonemap_build(&rs, dc, v, &known), 0);
        for (size_t i = 0; i < nx; i++)
          for (size_t j = 0; j < ny; j++) {
            const struct tpp_zonemap_cell *cu = tpp_zonemap_at(&m, xs[i], ys[j]);
            const struct tpp_zonemap_cell *ck = tpp_zonemap_at(&known, xs[i], ys[j]);
            int idx;
            enum tpp_zone z;
            v[TPP_METRIC_TPP] = xs[i];
            v[TPP_METRIC_PD] = ys[j];
            idx = tpp_rules_first_match(&rs, dc, v);
            z = idx < 0 ? TPP_ZONE_WHITE : rs.clauses[idx].zone;
            ck_assert_msg(ck->zone == z && ck->zone_min == z,
                          "%s dc=%d (%g, %g) other %g: %d, rule %d", rule_sets[s], dc, xs[i], ys[j],
                          others[o], ck->zone, z);
            ck_assert_msg(cu->zone_min <= z && z <= cu->zone, "%s dc=%d (%g, %g): %d..%d vs %d",
                          rule_sets[s], dc, xs[i], ys[j], cu->zone_min, cu->zone, z);
          }
      }
    }
  }
}
END_TEST

START_TEST(regions_other_metric)
{
  static struct tpp_ruleset rs;
  static struct tpp_zonemap m;
  double v[TPP_METRIC_COUNT] = {0};
  const struct tpp_zonemap_cell *c;
  load_rules("eccn-3a090-2022", &rs);
  ck_assert_int_eq(tpp_zonemap_build(&rs, 1, NULL, &m), 0);
  ck_assert_uint_eq(m.other_used, 1u << TPP_METRIC_INTERCONNECT);
  c = tpp_zonemap_at(&m, 5000, 10);
  ck_assert_int_eq(c->zone_min, TPP_ZONE_WHITE);
  ck_assert_int_eq(c->zone, TPP_ZONE_BLACK);
  ck_assert_uint_eq(c->depends, 1u << TPP_METRIC_INTERCONNECT);
  ck_assert_ptr_null(c->clause);
  ck_assert_int_eq(zone_at(&m, 1000, 10), TPP_ZONE_WHITE); /* TPP alone decides */
  v[TPP_METRIC_INTERCONNECT] = 900;
  ck_assert_int_eq(tpp_zonemap_build(&rs, 1, v, &m), 0);
  ck_assert_int_eq(zone_at(&m, 5000, 10), TPP_ZONE_BLACK);
  ck_assert_str_eq(tpp_zonemap_at(&m, 5000, 10)->clause, "3A090.a (2022)");
  v[TPP_METRIC_INTERCONNECT] = 400;
  ck_assert_int_eq(tpp_zonemap_build(&rs, 1, v, &m), 0);
  ck_assert_int_eq(zone_at(&m, 5000, 10), TPP_ZONE_WHITE);
}
END_TEST

/* --- the report of a result, in every format ----------------------------------------------- */

struct fixture {
  struct tpp_ruleset rs;
  struct tpp_profile_set set;
  struct tpp_result r;
  struct tpp_report rep;
};

/* Load a result as the CLI does: classified, matched to a profile when it has none. */
static struct fixture *
fixture(const char *file, const char *rules, int with_profiles)
{
  struct fixture *f = calloc(1, sizeof(*f));
  struct tpp_diag d = {0};
  struct tpp_device_result *dev;
  int matched = 0;
  ck_assert_ptr_nonnull(f);
  load_rules(rules, &f->rs);
  ck_assert_int_eq(tpp_profile_set_load_dir(TPP_PROFILES_DIR "/devices", &f->set, &d), 0);
  ck_assert_msg(tpp_result_load_checked(file, &f->rs, &f->r, &d) == 0, "%s", d.text);
  dev = &f->r.devices[0];
  if (!dev->has_profile) {
    struct tpp_profile_match m;
    tpp_profile_match_device(&f->set, &dev->info, &m);
    if (m.profile) {
      tpp_device_result_set_profile(dev, m.profile, m.how, 0);
      matched = 1;
    }
  }
  ck_assert_int_eq(tpp_device_result_classify(dev, &f->rs), 0);
  ck_assert_int_eq(tpp_report_build(&f->rep, file, &f->r, dev, &f->rs,
                                    with_profiles ? &f->set : NULL, NULL, matched, &d),
                   0);
  return f;
}

static void
fixture_free(struct fixture *f)
{
  tpp_result_free(&f->r);
  tpp_profile_set_free(&f->set);
  free(f);
}

static char *
render(struct fixture *f, enum tpp_report_format k, size_t *len)
{
  char *out = NULL;
  struct tpp_diag d = {0};
  ck_assert_msg(tpp_report_render(&f->rep, k, &out, len, &d) == 0, "%s", d.text);
  ck_assert_ptr_nonnull(out);
  ck_assert_uint_gt(*len, 100);
  return out;
}

START_TEST(markdown_content)
{
  struct fixture *f = fixture(EXAMPLE, "eccn-3a090-2023", 1);
  size_t len;
  char *md = render(f, TPP_REPORT_MD, &len);
  md = realloc(md, len + 1);
  md[len] = '\0';
  ck_assert_ptr_nonnull(strstr(md, "**Zone: black (3A090.a.1)** under `eccn-3a090-2023`"));
  ck_assert_ptr_nonnull(strstr(md, "TPP 13456.8 (measured fp8 tensor, 1682.1 x 8 bits)"));
  ck_assert_ptr_nonnull(strstr(md, "PD 16.53 (TPP / 814 mm²)"));
  ck_assert_ptr_nonnull(strstr(md, "SYNTHETIC EXAMPLE"));
  ck_assert_ptr_nonnull(strstr(md, "| Precision | Path | Status | TOPS |"));
  ck_assert_ptr_nonnull(strstr(md, "| fp8 | tensor | ok | **1682.1** |"));
  ck_assert_ptr_nonnull(strstr(md, "| memory | read | ok | 3015 GB/s |"));
  ck_assert_ptr_nonnull(strstr(md, "| **UUID** | not reported |"));
  ck_assert_ptr_nonnull(strstr(md, "nvidia-h100-sxm5-80gb"));
  ck_assert_ptr_nonnull(strstr(md, "not checked: the result is not signed"));
  ck_assert_ptr_nonnull(strstr(md, "No other reading of the rule"));
  ck_assert_ptr_nonnull(strstr(md, "88 FR 73458")); /* the rule set's source */
  ck_assert_ptr_nonnull(strstr(md, "not a licence determination"));
  free(md);
  fixture_free(f);
}
END_TEST

/* The provenance block: what a result records, hashes in full in the text formats and
 * shortened on the page; a result without provenance (schema 2 here) says "not recorded". */
START_TEST(provenance_block)
{
  static const char bin[] = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
  static const char rules[] = "fedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210";
  struct fixture *f = fixture(EXAMPLE, "eccn-3a090-2023", 1);
  struct tpp_result *r = &f->r;
  struct tpp_board *b = &r->devices[0].info.board;
  size_t len;
  char *md = render(f, TPP_REPORT_MD, &len), *csv;
  md = realloc(md, len + 1);
  md[len] = '\0';
  ck_assert_ptr_nonnull(
      strstr(md, "| **Provenance** | not recorded: a result of schema 3 or older"));
  ck_assert_ptr_nonnull(strstr(md, "| **Binary** | not recorded |"));
  ck_assert_ptr_nonnull(
      strstr(md, "| **Run (UTC)** | not recorded; created 2026-11-22T00:00:00Z |"));
  ck_assert_ptr_nonnull(strstr(md, "| **Labels** | not recorded |"));
  ck_assert_ptr_nonnull(strstr(md, "| **Board** | not recorded |"));
  free(md);

  /* As `run` records it (schema 4). */
  r->has_provenance = 1;
  snprintf(r->prov.binary_path, sizeof(r->prov.binary_path), "/usr/bin/tppbench");
  snprintf(r->prov.binary_sha256, sizeof(r->prov.binary_sha256), "%s", bin);
  snprintf(r->prov.started, sizeof(r->prov.started), "2026-01-02T03:04:05Z");
  snprintf(r->prov.finished, sizeof(r->prov.finished), "2026-01-02T03:14:05Z");
  snprintf(r->prov.hostname, sizeof(r->prov.hostname), "node-17");
  snprintf(r->prov.rules_id, sizeof(r->prov.rules_id), "eccn-3a090-2023");
  snprintf(r->prov.rules_file, sizeof(r->prov.rules_file), "/usr/share/tppbench/rules/x.json");
  snprintf(r->prov.rules_sha256, sizeof(r->prov.rules_sha256), "%s", rules);
  snprintf(r->git_describe, sizeof(r->git_describe), "v0.1.0-3-gabc1234");
  r->labels = json_pack("{s:s, s:s}", "case", "A-17", "operator", "Zoë");
  r->devices[0].info.has_board = 1;
  tpp_board_clear(b);
  snprintf(b->source, sizeof(b->source), "nvml");
  snprintf(b->serial, sizeof(b->serial), "1654220000042");
  snprintf(b->vbios_version, sizeof(b->vbios_version), "96.00.99.00.01");
  b->ecc_mode = b->ecc_mode_pending = 1;
  tpp_board_unknown(b, TPP_BOARD_MIG_MODE, "nvmlDeviceGetMigMode: Not Supported");
  b->persistence_mode = 0;
  b->pcie_link_gen = 4;
  b->pcie_link_gen_max = 5;
  b->pcie_link_width = b->pcie_link_width_max = 16;
  b->app_clock_sm_mhz = 1410;
  b->app_clock_sm_default_mhz = 1980;
  b->app_clock_mem_mhz = b->app_clock_mem_default_mhz = 2619;
  ck_assert_int_eq(tpp_report_build(&f->rep, EXAMPLE, r, &r->devices[0], &f->rs, &f->set, NULL, 1,
                                    &(struct tpp_diag){0}),
                   0);
  md = render(f, TPP_REPORT_MD, &len);
  md = realloc(md, len + 1);
  md[len] = '\0';
  ck_assert_ptr_null(strstr(md, "| **Provenance** |"));
  ck_assert_ptr_nonnull(strstr(md,
                               "| **Binary** | SHA-256 " /* in full */
                               "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef "
                               "(/usr/bin/tppbench) |"));
  ck_assert_ptr_nonnull(strstr(md, "| **Tool** | tppbench synthetic (v0.1.0-3-gabc1234) |"));
  ck_assert_ptr_nonnull(
      strstr(md, "| **Run (UTC)** | 2026-01-02T03:04:05Z to 2026-01-02T03:14:05Z |"));
  ck_assert_ptr_nonnull(strstr(md, "| **Host** | node-17 |"));
  ck_assert_ptr_nonnull(strstr(md,
                               "| **Rules** | eccn-3a090-2023 (/usr/share/tppbench/rules/x.json), "
                               "SHA-256 fedcba9876543210"));
  /* the rule file the report used differs from the one recorded: both shown */
  ck_assert_ptr_nonnull(strstr(md, "| **Rules now** | eccn-3a090-2023 (eccn-3a090-2023.json)"));
  ck_assert_ptr_nonnull(strstr(md, "| **Profile file** | nvidia-h100-sxm5-80gb ("));
  ck_assert_ptr_nonnull(strstr(md, "| **Labels** | case=A-17, operator=Zoë |"));
  ck_assert_msg(strstr(md, "| **Board** | serial 1654220000042 · VBIOS 96.00.99.00.01 · ECC on · "
                           "MIG unknown · persistence off · PCIe gen 4 x16 (max gen 5 x16) · app "
                           "clocks SM 1410 MHz (set; default 1980), memory 2619 MHz (default) |"),
                "%s", md);
  free(md);
  csv = render(f, TPP_REPORT_CSV, &len);
  csv = realloc(csv, len + 1);
  csv[len] = '\0';
  ck_assert_ptr_nonnull(strstr(csv,
                               "\"Binary\",\"SHA-256 " /* in full */
                               "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef "
                               "(/usr/bin/tppbench)\""));
  ck_assert_ptr_nonnull(strstr(csv, "\"Labels\",\"case=A-17, operator=Zoë\""));
  ck_assert_ptr_nonnull(strstr(csv, "\"Board\",\"serial 1654220000042 · "));
  free(csv);
  /* The page (PDF, SVG, PNG) draws the short value: 12 hex digits */
  {
    const struct tpp_report_kv *bk = NULL;
    for (size_t i = 0; i < f->rep.n_provenance; i++)
      if (strcmp(f->rep.provenance[i].key, "Binary") == 0)
        bk = &f->rep.provenance[i];
    ck_assert_ptr_nonnull(bk);
    ck_assert_str_eq(bk->value, "SHA-256 0123456789ab… (tppbench)");
  }
  fixture_free(f);
}
END_TEST

/* Split one CSV record (RFC 4180, CRLF) into fields; returns their number. */
static size_t
csv_record(const char **p, char fields[32][512])
{
  size_t n = 0, k = 0;
  int quoted = 0;
  const char *s = *p;
  fields[0][0] = '\0';
  for (; *s; s++) {
    if (quoted) {
      if (*s == '"' && s[1] == '"')
        fields[n][k++] = *s++;
      else if (*s == '"')
        quoted = 0;
      else if (k < 511)
        fields[n][k++] = *s;
    } else if (*s == '"') {
      quoted = 1;
    } else if (*s == ',') {
      fields[n][k] = '\0';
      n++;
      k = 0;
    } else if (*s == '\r' && s[1] == '\n') {
      s += 2;
      break;
    } else if (k < 511) {
      fields[n][k++] = *s;
    }
  }
  fields[n][k] = '\0';
  *p = s;
  return n + 1;
}

START_TEST(csv_content)
{
  static char fields[32][512];
  struct fixture *f = fixture(EXAMPLE, "eccn-3a090-2023", 1);
  size_t len, n, rows = 0, header;
  char *csv = render(f, TPP_REPORT_CSV, &len);
  const char *p;
  int zone = 0, clause = 0, tpp = 0;
  csv = realloc(csv, len + 1);
  csv[len] = '\0';
  p = csv;
  header = csv_record(&p, fields);
  ck_assert_uint_eq(header, 20);
  ck_assert_str_eq(fields[0], "kind");
  ck_assert_str_eq(fields[4], "value");
  while (*p && strncmp(p, "\r\n", 2) != 0) {
    n = csv_record(&p, fields);
    ck_assert_uint_eq(n, header);
    rows++;
    if (strcmp(fields[1], "fp8") == 0) {
      ck_assert_str_eq(fields[3], "ok");
      ck_assert_double_eq_tol(strtod(fields[4], NULL), 1682.1, 1e-9);
      ck_assert_double_eq_tol(strtod(fields[6], NULL), 13456.8, 1e-6);
      ck_assert_str_eq(fields[15], "1"); /* sets TPP */
    }
  }
  ck_assert_uint_eq(rows, 9); /* 7 precisions, 2 bandwidth rows */
  p += 2;
  ck_assert_uint_eq(csv_record(&p, fields), 2);
  ck_assert_str_eq(fields[0], "quantity");
  while (*p) {
    ck_assert_uint_eq(csv_record(&p, fields), 2);
    zone |= strcmp(fields[0], "zone") == 0 && strcmp(fields[1], "black") == 0;
    clause |= strcmp(fields[0], "clause") == 0 && strcmp(fields[1], "3A090.a.1") == 0;
    tpp |= strcmp(fields[0], "tpp") == 0 && fabs(strtod(fields[1], NULL) - 13456.8) < 1e-6;
  }
  ck_assert(zone && clause && tpp);
  free(csv);
  fixture_free(f);
}
END_TEST

/* An XML document that expat reads to the end, with the elements counted. */
struct xml_count {
  int depth, elements, svg_root;
  unsigned wanted[4]; /* fills looked for (0xRRGGBB) */
  int found[4];
};

static unsigned
channel(double pct)
{
  return (unsigned)lround(pct * 2.55);
}

static void XMLCALL
xml_start(void *data, const XML_Char *name, const XML_Char **attr)
{
  struct xml_count *x = data;
  if (x->depth == 0 && strcmp(name, "svg") == 0)
    x->svg_root = 1;
  x->depth++;
  x->elements++;
  for (size_t i = 0; attr[i]; i += 2) {
    const char *p = attr[i + 1];
    double r, g, b;
    if (strcmp(attr[i], "style") != 0)
      continue;
    /* cairo writes fills as "fill:rgb(20%,21.176471%,23.137255%)". */
    while ((p = strstr(p, "fill:rgb(")) != NULL) {
      p += 9;
      if (sscanf(p, "%lf%%,%lf%%,%lf%%", &r, &g, &b) != 3)
        continue;
      for (int k = 0; k < 4; k++)
        if (channel(r) == (x->wanted[k] >> 16 & 255) && channel(g) == (x->wanted[k] >> 8 & 255) &&
            channel(b) == (x->wanted[k] & 255))
          x->found[k] = 1;
    }
  }
}

static void XMLCALL
xml_end(void *data, const XML_Char *name)
{
  ((struct xml_count *)data)->depth--;
}

static void
check_svg(const char *svg, size_t len, struct xml_count *x)
{
  XML_Parser p = XML_ParserCreate("UTF-8");
  XML_SetUserData(p, x);
  XML_SetElementHandler(p, xml_start, xml_end);
  ck_assert_msg(XML_Parse(p, svg, (int)len, 1) == XML_STATUS_OK,
                "SVG not well-formed: %s at line %lu", XML_ErrorString(XML_GetErrorCode(p)),
                (unsigned long)XML_GetCurrentLineNumber(p));
  XML_ParserFree(p);
  ck_assert(x->svg_root);
  ck_assert_int_eq(x->depth, 0);
}

START_TEST(svg_regions_and_point)
{
  struct fixture *f = fixture(EXAMPLE, "eccn-3a090-2023", 1);
  struct xml_count x = {
      .wanted = {tpp_report_zone_rgb(TPP_ZONE_BLACK), tpp_report_zone_rgb(TPP_ZONE_GREY),
                 tpp_report_zone_rgb(TPP_ZONE_WHITE), TPP_REPORT_DEVICE_RGB}
  };
  size_t len;
  char *svg = render(f, TPP_REPORT_SVG, &len);
  check_svg(svg, len, &x);
  ck_assert_int_gt(x.elements, 100);
  ck_assert_msg(x.found[0] && x.found[1] && x.found[2], "zone fills: %d %d %d", x.found[0],
                x.found[1], x.found[2]);
  ck_assert_msg(x.found[3], "no device marker");
  free(svg);

  /* A non-datacenter chip under the 2023 rule: no black region. */
  memset(x.found, 0, sizeof(x.found));
  x.elements = x.svg_root = 0;
  f->r.devices[0].datacenter = 0;
  ck_assert_int_eq(tpp_device_result_classify(&f->r.devices[0], &f->rs), 0);
  ck_assert_int_eq(tpp_report_build(&f->rep, EXAMPLE, &f->r, &f->r.devices[0], &f->rs, NULL, NULL,
                                    0, &(struct tpp_diag){0}),
                   0);
  ck_assert_int_eq(tpp_report_chart_svg(&f->rep, 600, 400, &svg, &len, &(struct tpp_diag){0}), 0);
  check_svg(svg, len, &x);
  ck_assert(!x.found[0] && x.found[1] && x.found[2] && x.found[3]);
  free(svg);
  fixture_free(f);
}
END_TEST

/* Whether `needle` occurs in the n bytes at p. */
static int
contains(const char *p, size_t n, const char *needle)
{
  size_t k = strlen(needle);
  for (size_t i = 0; i + k <= n; i++)
    if (memcmp(p + i, needle, k) == 0)
      return 1;
  return 0;
}

struct mem {
  const unsigned char *p;
  size_t len, off;
};

static cairo_status_t
mem_read(void *closure, unsigned char *data, unsigned int length)
{
  struct mem *m = closure;
  if (m->off + length > m->len)
    return CAIRO_STATUS_READ_ERROR;
  memcpy(data, m->p + m->off, length);
  m->off += length;
  return CAIRO_STATUS_SUCCESS;
}

/* The colour of the png's pixel where the page puts (tpp, pd). */
static unsigned
pixel_at(cairo_surface_t *img, const struct tpp_report *rep, double tpp, double pd)
{
  double x, y;
  int px, py;
  unsigned v;
  ck_assert_int_eq(tpp_report_page_point(rep, tpp, pd, &x, &y), 0);
  px = (int)lround(x * TPP_REPORT_PNG_SCALE);
  py = (int)lround(y * TPP_REPORT_PNG_SCALE);
  ck_assert(px >= 0 && px < cairo_image_surface_get_width(img));
  ck_assert(py >= 0 && py < cairo_image_surface_get_height(img));
  v = *(const uint32_t *)(cairo_image_surface_get_data(img) +
                          (size_t)py * (size_t)cairo_image_surface_get_stride(img) +
                          (size_t)px * 4);
  return v & 0xFFFFFFu;
}

START_TEST(png_pixels_where_the_chart_says)
{
  /* No reference chips: only the regions and the device are drawn in the plot. */
  struct fixture *f = fixture(EXAMPLE, "eccn-3a090-2023", 0);
  size_t len;
  char *png = render(f, TPP_REPORT_PNG, &len);
  struct mem m = {(const unsigned char *)png, len, 0};
  cairo_surface_t *img;
  double x, y;

  ck_assert_int_eq(memcmp(png, "\x89PNG\r\n\x1a\n", 8), 0);
  img = cairo_image_surface_create_from_png_stream(mem_read, &m);
  ck_assert_int_eq(cairo_surface_status(img), CAIRO_STATUS_SUCCESS);
  ck_assert_int_eq(cairo_image_surface_get_width(img), (int)ceil(595.28 * TPP_REPORT_PNG_SCALE));
  ck_assert_int_eq(pixel_at(img, &f->rep, 30000, 3), tpp_report_zone_rgb(TPP_ZONE_BLACK));
  ck_assert_int_eq(pixel_at(img, &f->rep, 4500, 1.7), tpp_report_zone_rgb(TPP_ZONE_GREY));
  ck_assert_int_eq(pixel_at(img, &f->rep, 1300, 2.5), tpp_report_zone_rgb(TPP_ZONE_WHITE));
  ck_assert_int_eq(pixel_at(img, &f->rep, 2000, 30), tpp_report_zone_rgb(TPP_ZONE_BLACK)); /* a.2 */
  ck_assert_int_eq(pixel_at(img, &f->rep, 13456.8, 13456.8 / 814), TPP_REPORT_DEVICE_RGB);
  ck_assert_int_ne(tpp_report_page_point(&f->rep, 1e9, 1, &x, &y), 0); /* off the plot */
  cairo_surface_destroy(img);
  free(png);
  fixture_free(f);
}
END_TEST

START_TEST(pdf_and_html_valid)
{
  struct fixture *f = fixture(EXAMPLE, "eccn-3a090-2023", 1);
  size_t len;
  char *pdf = render(f, TPP_REPORT_PDF, &len), *html;
  ck_assert_int_eq(memcmp(pdf, "%PDF-", 5), 0);
  ck_assert(contains(pdf + len - 8, 8, "%%EOF"));
  /* The date is the result's, not the clock's: the same result gives the same file. */
  ck_assert(contains(pdf, len, "20261122000000"));
  {
    size_t len2;
    char *again = render(f, TPP_REPORT_PDF, &len2);
    ck_assert(len2 == len && memcmp(pdf, again, len) == 0);
    free(again);
  }
  free(pdf);
  html = render(f, TPP_REPORT_HTML, &len);
  html = realloc(html, len + 1);
  html[len] = '\0';
  ck_assert_int_eq(strncmp(html, "<!DOCTYPE html>", 15), 0);
  ck_assert_ptr_nonnull(strstr(html, "<svg"));
  ck_assert_ptr_nonnull(strstr(html, "</svg>"));
  ck_assert_ptr_null(strstr(html, "<?xml")); /* the SVG's declaration stays out of the HTML */
  ck_assert_ptr_nonnull(strstr(html, "black (3A090.a.1)"));
  ck_assert_ptr_nonnull(strstr(html, "13456.8"));
  /* Self-contained: nothing is fetched (the namespace URIs are names, not fetches). */
  ck_assert_ptr_null(strstr(html, "src="));
  ck_assert_ptr_null(strstr(html, "<link"));
  for (const char *u = html; (u = strstr(u, "url(")) != NULL; u++)
    ck_assert_msg(u[4] == '#', "an external url(): %.40s", u); /* url(#clip1): in the page */
  ck_assert_ptr_null(strstr(html, "@import"));
  free(html);
  fixture_free(f);
}
END_TEST

START_TEST(no_profile_unknown_area)
{
  /* PoCL's CPU device matches no profile: "no profile", die area unknown, the device a
   * vertical band on the chart. */
  struct fixture *f = fixture(POCL, "eccn-3a090-2023", 1);
  size_t len;
  char *md;
  ck_assert(!f->r.devices[0].has_profile);
  ck_assert(isnan(f->rep.pd));
  ck_assert(isfinite(f->rep.tpp));
  md = render(f, TPP_REPORT_MD, &len);
  md = realloc(md, len + 1);
  md[len] = '\0';
  ck_assert_ptr_nonnull(strstr(md, "no profile"));
  ck_assert_ptr_nonnull(strstr(md, "unknown (die area unknown)"));
  ck_assert_ptr_nonnull(strstr(md, "| fp16 | vector | unsupported |"));
  ck_assert_ptr_null(strstr(md, "SYNTHETIC"));
  free(md);
  free(render(f, TPP_REPORT_PNG, &len));
  fixture_free(f);
}
END_TEST

START_TEST(formats_from_names)
{
  enum tpp_report_format k;
  ck_assert_int_eq(tpp_report_format_from_path("a/b.PDF", &k), 0);
  ck_assert_int_eq(k, TPP_REPORT_PDF);
  ck_assert_int_eq(tpp_report_format_from_path("x.htm", &k), 0);
  ck_assert_int_eq(k, TPP_REPORT_HTML);
  ck_assert_int_eq(tpp_report_format_from_path("x.md", &k), 0);
  ck_assert_int_eq(k, TPP_REPORT_MD);
  ck_assert_int_ne(tpp_report_format_from_path("x.txt", &k), 0);
  ck_assert_int_ne(tpp_report_format_from_path("dir.pdf/x", &k), 0);
  ck_assert_int_ne(tpp_report_format_parse("jpeg", &k), 0);
  ck_assert_int_eq(tpp_report_format_parse("svg", &k), 0);
  ck_assert_int_eq(k, TPP_REPORT_SVG);
}
END_TEST

/* --- the command ---------------------------------------------------------------------------- */

static char out[1 << 16];

static int sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static int
sh(const char *fmt, ...)
{
  char cmd[4096];
  va_list ap;
  int n = snprintf(cmd, sizeof(cmd), "%s ", TPP_BINARY);
  va_start(ap, fmt);
  vsnprintf(cmd + n, sizeof(cmd) - (size_t)n, fmt, ap);
  va_end(ap);
  return tpp_test_sh(cmd, out, sizeof(out));
}

static int
exists(const char *path)
{
  struct stat st;
  return stat(path, &st) == 0;
}

START_TEST(cli_formats_and_errors)
{
  char dir[512], path[1024], old[1024];
  FILE *fp;
  tpp_test_tmpdir(dir, sizeof(dir));

  ck_assert_int_eq(sh("report %s", EXAMPLE), 0); /* Markdown on stdout */
  ck_assert_ptr_nonnull(strstr(out, "**Zone: black (3A090.a.1)**"));
  for (int k = 0; k < TPP_REPORT_FORMAT_COUNT; k++) {
    snprintf(path, sizeof(path), "%s/r.%s", dir, tpp_report_format_name(k));
    ck_assert_msg(sh("report %s --out %s", EXAMPLE, path) == 0, "%s", out);
    ck_assert(exists(path));
  }
  ck_assert_int_eq(sh("report %s --format csv", EXAMPLE), 0);
  ck_assert_int_eq(strncmp(out, "kind,precision,path", 19), 0);
  ck_assert_int_eq(sh("report %s --rules eccn-3a090-2022 --format md", EXAMPLE), 0);
  ck_assert_ptr_nonnull(strstr(out, "also tests interconnect"));

  /* Bad input: exit 2 naming what is wrong, nothing written. */
  snprintf(path, sizeof(path), "%s/bad.pdf", dir);
  ck_assert_int_eq(sh("report %s/missing.json --out %s", dir, path), 2);
  ck_assert_ptr_nonnull(strstr(out, "missing.json"));
  ck_assert(!exists(path));
  snprintf(old, sizeof(old), "%s/malformed.json", dir);
  fp = fopen(old, "w");
  fputs("{\"schema_version\": 2, \"devices\": [ {\"identity\": 7} ]}\n", fp);
  fclose(fp);
  ck_assert_int_eq(sh("report %s --out %s", old, path), 2);
  ck_assert_ptr_nonnull(strstr(out, "malformed.json"));
  ck_assert(!exists(path));
  ck_assert_int_eq(sh("report %s --format jpeg", EXAMPLE), 2);
  ck_assert_ptr_nonnull(strstr(out, "--format"));
  ck_assert_int_eq(sh("report %s --out %s/r.txt", EXAMPLE, dir), 2);
  ck_assert_ptr_nonnull(strstr(out, "give --format"));
  snprintf(path, sizeof(path), "%s/r2.png", dir);
  ck_assert_int_eq(sh("report %s --format pdf --out %s", EXAMPLE, path), 2);
  ck_assert(!exists(path));
  ck_assert_int_eq(sh("report %s --device 5", EXAMPLE), 2);
  ck_assert_int_eq(sh("report"), 2);
  ck_assert_int_eq(sh("report %s --rules %s/none.json", EXAMPLE, dir), 2);

  /* An existing report is left whole when the new one cannot be made. */
  snprintf(path, sizeof(path), "%s/keep.md", dir);
  fp = fopen(path, "w");
  fputs("old\n", fp);
  fclose(fp);
  ck_assert_int_eq(sh("report %s --device nosuch --out %s", EXAMPLE, path), 2);
  {
    char *text = tpp_test_slurp(path);
    ck_assert_str_eq(text, "old\n");
    free(text);
  }
  /* An output that cannot be written is a failure to write (1, as for run --out). */
  ck_assert_int_eq(sh("report %s --out %s/no/such/dir/r.pdf", EXAMPLE, dir), 1);
  ck_assert_ptr_nonnull(strstr(out, "no/such/dir/r.pdf"));

  /* A result with no measured device: said, exit 1. */
  snprintf(path, sizeof(path), "%s/empty.json", dir);
  ck_assert_int_eq(tpp_test_write_result(path, NULL, 0), 0);
  ck_assert_int_eq(sh("report %s", path), 1);
  ck_assert_ptr_nonnull(strstr(out, "no measured device"));
  /* A device that could not be measured: said with the reason, exit 1, nothing written. */
  {
    static struct tpp_device_result d;
    tpp_test_synth_device(&d, "Broken GPU", 0x10de, 0x2330, 132, 80);
    tpp_device_result_not_measured(&d,
                                   "cuCtxCreate: CUDA_ERROR_NO_DEVICE (no CUDA-capable device)");
    snprintf(path, sizeof(path), "%s/broken.json", dir);
    ck_assert_int_eq(tpp_test_write_result(path, &d, 1), 0);
    snprintf(old, sizeof(old), "%s/broken.pdf", dir);
    ck_assert_int_eq(sh("report %s --out %s", path, old), 1);
    ck_assert_ptr_nonnull(strstr(out, "was not measured: cuCtxCreate"));
    ck_assert(!exists(old));
  }
}
END_TEST

START_TEST(cli_signature_status)
{
  char dir[512];
  tpp_test_tmpdir(dir, sizeof(dir));
  ck_assert_int_eq(sh("keygen --no-password --secret-key %s/k --public-key %s/k.pub", dir, dir), 0);
  {
    char cmd[2048];
    snprintf(cmd, sizeof(cmd), "cp %s %s/r.json", EXAMPLE, dir);
    ck_assert_int_eq(tpp_test_sh(cmd, NULL, 0), 0);
  }
  /* Unsigned, then signed but not checked, then checked. */
  ck_assert_int_eq(sh("report %s/r.json", dir), 0);
  ck_assert_ptr_nonnull(strstr(out, "the result is not signed"));
  ck_assert_int_eq(sh("report %s/r.json --trust %s/k.pub", dir, dir), 2);
  ck_assert_int_eq(sh("sign --key %s/k %s/r.json", dir, dir), 0);
  ck_assert_int_eq(sh("report %s/r.json", dir), 0);
  ck_assert_ptr_nonnull(strstr(out, "not checked: "));
  ck_assert_ptr_nonnull(strstr(out, "r.json.minisig is present"));
  ck_assert_int_eq(sh("report %s/r.json --trust %s/k.pub", dir, dir), 0);
  ck_assert_ptr_nonnull(strstr(out, "verified: Ed25519 signature by trusted key "));
  /* Tampered: rejected, nothing written. */
  {
    char cmd[2048];
    snprintf(cmd, sizeof(cmd), "sed -i 's/\"budget_s\": 1/\"budget_s\": 2/' %s/r.json", dir);
    ck_assert_int_eq(tpp_test_sh(cmd, NULL, 0), 0);
  }
  ck_assert_int_eq(sh("report %s/r.json --trust %s/k.pub --out %s/r.pdf", dir, dir, dir), 2);
  ck_assert_ptr_nonnull(strstr(out, "r.json"));
  {
    char path[1024];
    snprintf(path, sizeof(path), "%s/r.pdf", dir);
    ck_assert(!exists(path));
  }
}
END_TEST

START_TEST(cli_fleet_formats)
{
  static char fields[32][512];
  const char *p;
  ck_assert_int_eq(sh("fleet %s %s --format csv", EXAMPLE, POCL), 0);
  p = out;
  ck_assert_uint_eq(csv_record(&p, fields), 12);
  ck_assert_str_eq(fields[0], "file");
  ck_assert_str_eq(fields[2], "pci_bus_id");
  ck_assert_uint_eq(csv_record(&p, fields), 12);
  ck_assert_str_eq(fields[2], "0000:1b:00.0");
  ck_assert_str_eq(fields[6], "declared");
  ck_assert_double_eq_tol(strtod(fields[7], NULL), 15831.2, 1e-6);
  ck_assert_str_eq(fields[8], "black");
  ck_assert_str_eq(fields[9], "3A090.a.1");
  ck_assert_uint_eq(csv_record(&p, fields), 12);
  ck_assert_str_eq(fields[1], "vm"); /* the PoCL result's host */
  ck_assert_str_eq(fields[8], "white");
  ck_assert_ptr_nonnull(strstr(out, "\r\nquantity,title,per,tpp,used,"));
  ck_assert_ptr_nonnull(strstr(out, "\"lpp\""));
  ck_assert_int_eq(sh("fleet %s --format md", EXAMPLE), 0);
  ck_assert_ptr_nonnull(strstr(out, "# Fleet under ai-diffusion-2025: fits"));
  ck_assert_ptr_nonnull(strstr(out, "| lpp |"));
  ck_assert_int_eq(sh("fleet %s --format html", EXAMPLE), 0);
  ck_assert_int_eq(strncmp(out, "<!DOCTYPE html>", 15), 0);
  ck_assert_ptr_nonnull(strstr(out, "<td>3A090.a.1</td>"));
  ck_assert_int_eq(sh("fleet %s --format pdf", EXAMPLE), 2);
  ck_assert_int_eq(sh("fleet %s --format csv --json", EXAMPLE), 2);
  ck_assert_int_eq(sh("fleet %s --format text", EXAMPLE), 0);
  ck_assert_ptr_nonnull(strstr(out, "H100"));
}
END_TEST

/* Each test runs in its own process: release the font caches before it ends, so that the
 * sanitizer build's leak check sees only real leaks. */
static void
teardown(void)
{
  tpp_report_release_fonts();
}

int
main(void)
{
  Suite *s = suite_create("report");
  TCase *tc = tcase_create("report");
  tcase_set_timeout(tc, 120);
  tcase_add_checked_fixture(tc, NULL, teardown);
  tcase_add_test(tc, regions_2023);
  tcase_add_test(tc, regions_match_classifier);
  tcase_add_test(tc, regions_other_metric);
  tcase_add_test(tc, markdown_content);
  tcase_add_test(tc, csv_content);
  tcase_add_test(tc, provenance_block);
  tcase_add_test(tc, svg_regions_and_point);
  tcase_add_test(tc, png_pixels_where_the_chart_says);
  tcase_add_test(tc, pdf_and_html_valid);
  tcase_add_test(tc, no_profile_unknown_area);
  tcase_add_test(tc, formats_from_names);
  tcase_add_test(tc, cli_formats_and_errors);
  tcase_add_test(tc, cli_signature_status);
  tcase_add_test(tc, cli_fleet_formats);
  suite_add_tcase(s, tc);
  return tpp_test_run(s);
}
