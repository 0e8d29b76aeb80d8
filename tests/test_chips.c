/* test_chips.c - the classifier and the shipped profiles against published figures.
 *
 * tests/data/published-tpp.csv holds, per chip, the dense peaks of the vendor's own document
 * and the TPP, PD and classification that others have published (Epoch AI's data set, the
 * Kelly export-control tracker, SemiAnalysis, CSET), each row citing its documents; none of it
 * comes from tppbench's profiles.  For every row: the TPP that tppbench computes from the
 * peaks must reproduce the published TPP (1 %: published figures round), the PD the published
 * PD, and the shipped 2023 rule set must give the row's zone and clause (and agree with the
 * ECCN paragraph the source names, when it names one).  A row that names a profile also checks
 * that profile's TPP against the published one. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "tpp/metrics.h"
#include "tpp/profile.h"
#include "tpp/rules.h"

#define SHIPPED TPP_PROFILES_DIR "/rules/eccn-3a090-2023.json"
#define ORACLE TPP_TEST_DATA "/published-tpp.csv"
#define CSV_MAX_FIELDS 64
#define CSV_MAX_ROW (64 * 1024)
#define TPP_TOLERANCE 0.01
#define PD_TOLERANCE 0.015

/* One CSV record: fields point into buf. */
struct csv_row {
  char *field[CSV_MAX_FIELDS];
  size_t n;
  char buf[CSV_MAX_ROW];
};

/* Read the record at *p (RFC 4180: fields may be quoted, with "" for a quote, and then
 * hold commas and line breaks).  0 and *p advanced; 1 at the end; -1 when malformed. */
static int
csv_next(const char **p, struct csv_row *row)
{
  const char *s = *p;
  size_t used = 0;

  if (*s == '\0')
    return 1;
  row->n = 0;
  for (;;) {
    if (row->n >= CSV_MAX_FIELDS)
      return -1;
    row->field[row->n++] = row->buf + used;
    if (*s == '"') {
      s++;
      for (;;) {
        if (*s == '\0')
          return -1;
        if (*s == '"') {
          if (s[1] != '"')
            break;
          s++;
        }
        if (used + 1 >= sizeof(row->buf))
          return -1;
        row->buf[used++] = *s++;
      }
      s++; /* closing quote */
    } else {
      while (*s && *s != ',' && *s != '\n' && *s != '\r') {
        if (used + 1 >= sizeof(row->buf))
          return -1;
        row->buf[used++] = *s++;
      }
    }
    if (used + 1 > sizeof(row->buf))
      return -1;
    row->buf[used++] = '\0';
    if (*s == ',') {
      s++;
      continue;
    }
    if (*s == '\r')
      s++;
    if (*s == '\n')
      s++;
    else if (*s != '\0')
      return -1; /* text after a closing quote */
    *p = s;
    return 0;
  }
}

START_TEST(test_csv_reader)
{
  static struct csv_row row;
  const char *text = "a,\"b,c\",\"say \"\"hi\"\"\",,\"two\nlines\"\r\nlast\n";
  const char *p = text;

  ck_assert_int_eq(csv_next(&p, &row), 0);
  ck_assert_uint_eq(row.n, 5);
  ck_assert_str_eq(row.field[0], "a");
  ck_assert_str_eq(row.field[1], "b,c");
  ck_assert_str_eq(row.field[2], "say \"hi\"");
  ck_assert_str_eq(row.field[3], "");
  ck_assert_str_eq(row.field[4], "two\nlines");
  ck_assert_int_eq(csv_next(&p, &row), 0);
  ck_assert_uint_eq(row.n, 1);
  ck_assert_str_eq(row.field[0], "last");
  ck_assert_int_eq(csv_next(&p, &row), 1);
  p = "\"open";
  ck_assert_int_eq(csv_next(&p, &row), -1);
  p = "\"x\"y,z\n";
  ck_assert_int_eq(csv_next(&p, &row), -1);
}
END_TEST

/* The peak columns (dense, tera-ops/s) and the precision each is counted at. */
static const struct {
  const char *column;
  enum tpp_precision precision;
} peak_columns[] = {
    {"fp64", TPP_FP64},
    {"fp32", TPP_FP32},
    {"tf32", TPP_TF32},
    {"fp16", TPP_FP16},
    {"bf16", TPP_BF16},
    {"fp8",  TPP_FP8 },
    {"int8", TPP_INT8},
    {"int4", TPP_INT4},
    {"fp4",  TPP_FP4 },
};
#define N_PEAK_COLUMNS (sizeof(peak_columns) / sizeof(peak_columns[0]))

/* Column indices. */
struct columns {
  int vendor, chip, profile, datacenter, area, tpp, pd, eccn, zone, clause;
  int sources[3];
  int peak[N_PEAK_COLUMNS];
};

static int
column_index(const struct csv_row *header, const char *name)
{
  for (size_t i = 0; i < header->n; i++)
    if (strcmp(header->field[i], name) == 0)
      return (int)i;
  ck_abort_msg("published-tpp.csv has no column \"%s\"", name);
  return -1;
}

static const char *
cell(const struct csv_row *row, int index)
{
  return index >= 0 && (size_t)index < row->n ? row->field[index] : "";
}

/* A number, or NAN for an empty cell; aborts on anything else. */
static double
number_cell(const struct csv_row *row, int index, const char *what)
{
  const char *s = cell(row, index);
  char *end;
  double v;
  if (!s[0])
    return NAN;
  errno = 0;
  v = strtod(s, &end);
  ck_assert_msg(errno == 0 && end != s && *end == '\0', "%s: \"%s\" is not a number", what, s);
  return v;
}

static enum tpp_zone
zone_named(const char *s)
{
  if (strcmp(s, "black") == 0)
    return TPP_ZONE_BLACK;
  if (strcmp(s, "grey") == 0)
    return TPP_ZONE_GREY;
  if (strcmp(s, "white") == 0)
    return TPP_ZONE_WHITE;
  ck_abort_msg("expected_zone \"%s\" is not black, grey or white", s);
  return TPP_ZONE_INDETERMINATE;
}

static void
read_columns(const struct csv_row *header, struct columns *col)
{
  static const char *const source_columns[] = {"peaks_source", "published_source", "zone_source"};
  col->vendor = column_index(header, "vendor");
  col->chip = column_index(header, "chip");
  col->profile = column_index(header, "profile");
  col->datacenter = column_index(header, "datacenter");
  col->area = column_index(header, "die_area_mm2");
  col->tpp = column_index(header, "published_tpp");
  col->pd = column_index(header, "published_pd");
  col->eccn = column_index(header, "published_eccn");
  col->zone = column_index(header, "expected_zone");
  col->clause = column_index(header, "expected_clause");
  for (size_t i = 0; i < 3; i++)
    col->sources[i] = column_index(header, source_columns[i]);
  for (size_t i = 0; i < N_PEAK_COLUMNS; i++)
    col->peak[i] = column_index(header, peak_columns[i].column);
}

/* Every row cites documents a reader can open, none outside this repository. */
static int
check_sources(const struct csv_row *row, const struct columns *col, const char *name)
{
  int ok = 1;
  for (size_t i = 0; i < 3; i++) {
    const char *s = cell(row, col->sources[i]);
    if (!strstr(s, "https://") ||
        strstr(s, "shared"
                  "/") ||
        strstr(s, "chips.csv")) {
      printf("FAIL  %-32s source column %zu does not cite a document by URL: \"%.60s\"\n", name, i,
             s);
      ok = 0;
    }
  }
  return ok;
}

START_TEST(test_published_rows)
{
  static struct csv_row header, row;
  struct tpp_ruleset rs;
  struct tpp_profile_set profiles;
  struct tpp_diag d = {0};
  struct columns col;
  char *text = tpp_test_slurp(ORACLE);
  const char *p = text;
  int checked = 0, with_profile = 0, failures = 0, rc;

  ck_assert_msg(text != NULL, "cannot read %s", ORACLE);
  ck_assert_int_eq(tpp_ruleset_load(SHIPPED, &rs, &d), 0);
  ck_assert_int_eq(tpp_profile_set_load_dir(TPP_PROFILES_DIR "/devices", &profiles, &d), 0);
  ck_assert_int_eq(csv_next(&p, &header), 0);
  read_columns(&header, &col);

  while ((rc = csv_next(&p, &row)) == 0) {
    struct tpp_peak peaks[N_PEAK_COLUMNS];
    struct tpp_chip_facts facts;
    struct tpp_classification c;
    char name[160];
    const char *want_clause, *eccn, *pid;
    size_t n = 0, best = 0;
    double tpp, published, published_pd, pd;
    int ok = 1;

    if (row.n == 1 && row.field[0][0] == '\0')
      continue; /* blank line */
    ck_assert_msg(row.n == header.n, "row with %zu fields, header has %zu", row.n, header.n);
    snprintf(name, sizeof(name), "%s %s", cell(&row, col.vendor), cell(&row, col.chip));
    ok &= check_sources(&row, &col, name);

    for (size_t i = 0; i < N_PEAK_COLUMNS; i++) {
      double v = number_cell(&row, col.peak[i], peak_columns[i].column);
      if (isnan(v))
        continue;
      peaks[n].precision = peak_columns[i].precision;
      peaks[n].tops = v;
      n++;
    }
    ck_assert_msg(n > 0, "%s: no peaks", name);
    tpp = tpp_total_processing_performance(peaks, n, &best);
    published = number_cell(&row, col.tpp, "published_tpp");
    ck_assert_msg(isfinite(published), "%s: no published TPP", name);
    if (fabs(tpp - published) > TPP_TOLERANCE * published) {
      printf("FAIL  %-32s TPP %.1f (%s) vs published %.1f: more than %.0f %% apart\n", name, tpp,
             tpp_precision_name(peaks[best].precision), published, TPP_TOLERANCE * 100);
      ok = 0;
    }

    tpp_chip_facts_init(&facts);
    facts.tpp = tpp;
    facts.die_area_mm2 = number_cell(&row, col.area, "die_area_mm2");
    facts.datacenter = strcmp(cell(&row, col.datacenter), "yes") == 0;
    ck_assert_int_eq(tpp_classify(&rs, &facts, &c), 0);
    pd = tpp_performance_density(tpp, facts.die_area_mm2);
    published_pd = number_cell(&row, col.pd, "published_pd");
    if (isfinite(published_pd) && !(fabs(pd / published_pd - 1) <= PD_TOLERANCE)) {
      printf("FAIL  %-32s PD %.3f vs published %.3f\n", name, pd, published_pd);
      ok = 0;
    }
    if (c.zone != zone_named(cell(&row, col.zone))) {
      printf("FAIL  %-32s zone %s, expected %s\n", name, tpp_zone_name(c.zone),
             cell(&row, col.zone));
      ok = 0;
    }
    want_clause = cell(&row, col.clause);
    if (strcmp(c.clause ? c.clause : "", want_clause) != 0) {
      printf("FAIL  %-32s clause %s, expected \"%s\"\n", name, c.clause ? c.clause : "none",
             want_clause);
      ok = 0;
    }
    eccn = cell(&row, col.eccn);
    if (eccn[0] && (!c.clause || strncmp(c.clause, eccn, strlen(eccn)) != 0)) {
      printf("FAIL  %-32s clause %s is not within the published %s\n", name,
             c.clause ? c.clause : "none", eccn);
      ok = 0;
    }

    pid = cell(&row, col.profile);
    if (pid[0]) {
      const struct tpp_profile *prof = tpp_profile_find(&profiles, pid);
      double ptpp = prof ? tpp_profile_tpp(prof, NULL) : NAN;
      if (!prof || !(fabs(ptpp - published) <= TPP_TOLERANCE * published)) {
        printf("FAIL  %-32s profile %s: TPP %.1f vs published %.1f\n", name, pid, ptpp, published);
        ok = 0;
      }
      with_profile++;
    }
    printf("%s  %-32s TPP %8.1f via %-4s PD %7.3f  %-5s %-5s %s\n", ok ? "ok  " : "FAIL", name, tpp,
           tpp_precision_name(peaks[best].precision), pd, facts.datacenter ? "DC" : "nonDC",
           tpp_zone_name(c.zone), c.clause ? c.clause : "not controlled");
    checked++;
    failures += !ok;
  }
  free(text);
  tpp_profile_set_free(&profiles);
  ck_assert_msg(rc == 1, "malformed CSV after %d rows", checked);
  printf("%d published rows checked (%d against a profile), %d failed\n", checked, with_profile,
         failures);
  ck_assert_int_eq(failures, 0);
  ck_assert_int_ge(checked, 30);
  ck_assert_int_ge(with_profile, 30);
}
END_TEST

static Suite *
chips_suite(void)
{
  Suite *s = suite_create("chips");
  TCase *tc = tcase_create("core");

  tcase_add_test(tc, test_csv_reader);
  tcase_add_test(tc, test_published_rows);
  suite_add_tcase(s, tc);
  return s;
}

int
main(void)
{
  return tpp_test_run(chips_suite());
}
