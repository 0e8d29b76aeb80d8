/* test_chips.c - data-driven check of TPP and classification against the sourced chip table
 * (TPP_CHIPS_CSV, shared/data/chips.csv).  For every row with an empty `uncertainty`
 * column: TPP from the published dense peaks must match `tpp_computed` within 0.5 %, and
 * the shipped 2023 rule set must give `zone_computed` and `eccn_2023_rule_computed`.
 * Skipped (exit 77) when the table is not there. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "tpp/metrics.h"
#include "tpp/rules.h"

#define SHIPPED TPP_PROFILES_DIR "/rules/eccn-3a090-2023.json"
#define CSV_MAX_FIELDS 64
#define CSV_MAX_ROW (64 * 1024)
#define TPP_TOLERANCE 0.005

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

/* The throughput columns and the precision each is counted at.  The first
 * N_ANALYST_COLUMNS are the ones chips.csv's tpp_computed uses; TPP as tppbench computes
 * it also counts TF32, FP32 and FP64.  The order matters only for ties: the first maximum
 * is reported as the winner, so a TF32/FP32/FP64 winner means it is strictly higher. */
static const struct {
  const char *column;
  enum tpp_precision precision;
} peak_columns[] = {
    {"fp16_dense_tflops", TPP_FP16},  {"bf16_dense_tflops", TPP_BF16},
    {"fp8_dense_tflops", TPP_FP8},    {"int8_dense_tops", TPP_INT8},
    {"int4_dense_tops", TPP_INT4},    {"fp4_dense_tflops", TPP_FP4},
    {"tf32_dense_tflops", TPP_TF32},  {"fp32_tflops", TPP_FP32},
    {"fp64_tensor_tflops", TPP_FP64}, {"fp64_vector_tflops", TPP_FP64},
};
#define N_PEAK_COLUMNS (sizeof(peak_columns) / sizeof(peak_columns[0]))
#define N_ANALYST_COLUMNS 6

/* Column indices, -1 when absent. */
struct columns {
  int name, vendor, datacenter, area, uncertainty, tpp_computed, zone, eccn;
  int peak[N_PEAK_COLUMNS];
};

static int
column_index(const struct csv_row *header, const char *name)
{
  for (size_t i = 0; i < header->n; i++)
    if (strcmp(header->field[i], name) == 0)
      return (int)i;
  ck_abort_msg("chips.csv has no column \"%s\"", name);
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

/* "grey* (ECCN 3A090.a but NAC/ACA path)" -> grey; "black" -> black. */
static enum tpp_zone
expected_zone(const char *s)
{
  if (strncmp(s, "black", 5) == 0)
    return TPP_ZONE_BLACK;
  if (strncmp(s, "grey", 4) == 0)
    return TPP_ZONE_GREY;
  if (strncmp(s, "white", 5) == 0)
    return TPP_ZONE_WHITE;
  return TPP_ZONE_INDETERMINATE;
}

/* "3A090.a.1 (non-datacenter; ...)" -> "3A090.a.1"; "not controlled ..." -> "" (none). */
static void
expected_clause(const char *s, char *buf, size_t len)
{
  size_t n;
  if (strncmp(s, "not controlled", 14) == 0) {
    buf[0] = '\0';
    return;
  }
  n = strcspn(s, " ");
  if (n >= len)
    n = len - 1;
  memcpy(buf, s, n);
  buf[n] = '\0';
}

START_TEST(test_certain_rows)
{
  static struct csv_row header, row;
  struct tpp_ruleset rs;
  struct tpp_diag d;
  struct columns col;
  char *text = tpp_test_slurp(TPP_CHIPS_CSV);
  const char *p = text;
  int checked = 0, failures = 0, rc;

  ck_assert_msg(text != NULL, "cannot read %s", TPP_CHIPS_CSV);
  ck_assert_int_eq(tpp_ruleset_load(SHIPPED, &rs, &d), 0);
  ck_assert_int_eq(csv_next(&p, &header), 0);
  col.vendor = column_index(&header, "vendor");
  col.name = column_index(&header, "name");
  col.datacenter = column_index(&header, "designed_or_marketed_for_datacenter");
  col.area = column_index(&header, "applicable_die_area_mm2");
  col.uncertainty = column_index(&header, "uncertainty");
  col.tpp_computed = column_index(&header, "tpp_computed");
  col.zone = column_index(&header, "zone_computed");
  col.eccn = column_index(&header, "eccn_2023_rule_computed");
  for (size_t i = 0; i < N_PEAK_COLUMNS; i++)
    col.peak[i] = column_index(&header, peak_columns[i].column);

  while ((rc = csv_next(&p, &row)) == 0) {
    struct tpp_peak peaks[N_PEAK_COLUMNS];
    struct tpp_chip_facts facts;
    struct tpp_classification c;
    char name[160], want_clause[32];
    enum tpp_zone want_zone;
    size_t n = 0, best = 0;
    double tpp, tpp_analyst, published;
    size_t n_analyst = 0;
    int ok = 1;

    if (row.n == 1 && row.field[0][0] == '\0')
      continue; /* blank line */
    ck_assert_msg(row.n == header.n, "row with %zu fields, header has %zu", row.n, header.n);
    snprintf(name, sizeof(name), "%s %s", cell(&row, col.vendor), cell(&row, col.name));
    if (cell(&row, col.uncertainty)[0]) {
      printf("skip  %-40s uncertain: %.70s\n", name, cell(&row, col.uncertainty));
      continue;
    }

    for (size_t i = 0; i < N_PEAK_COLUMNS; i++) {
      double v = number_cell(&row, col.peak[i], peak_columns[i].column);
      if (isnan(v))
        continue;
      peaks[n].precision = peak_columns[i].precision;
      peaks[n].tops = v;
      n++;
      if (i < N_ANALYST_COLUMNS)
        n_analyst = n;
    }
    tpp = tpp_total_processing_performance(peaks, n, &best);
    tpp_analyst = tpp_total_processing_performance(peaks, n_analyst, NULL);
    if (tpp > tpp_analyst || isnan(tpp_analyst))
      printf("note  %-40s %s raises TPP to %.1f over %.1f from FP16/BF16/FP8/INT8/INT4/FP4\n",
             name, tpp_precision_name(peaks[best].precision), tpp, tpp_analyst);
    published = number_cell(&row, col.tpp_computed, "tpp_computed");
    if (isnan(tpp) || isnan(published) ||
        fabs(tpp - published) > TPP_TOLERANCE * published) {
      printf("FAIL  %-40s TPP %.1f (%s) vs tpp_computed %.1f: more than %.1f %% apart\n", name,
             tpp, isnan(tpp) ? "none" : tpp_precision_name(peaks[best].precision), published,
             TPP_TOLERANCE * 100);
      ok = 0;
    }

    tpp_chip_facts_init(&facts);
    facts.tpp = tpp;
    facts.die_area_mm2 = number_cell(&row, col.area, "applicable_die_area_mm2");
    facts.datacenter = strcmp(cell(&row, col.datacenter), "yes") == 0;
    ck_assert_int_eq(tpp_classify(&rs, &facts, &c), 0);
    want_zone = expected_zone(cell(&row, col.zone));
    expected_clause(cell(&row, col.eccn), want_clause, sizeof(want_clause));
    if (c.zone != want_zone) {
      printf("FAIL  %-40s zone %s, chips.csv says \"%s\"\n", name, tpp_zone_name(c.zone),
             cell(&row, col.zone));
      ok = 0;
    }
    if (strcmp(c.clause ? c.clause : "", want_clause) != 0) {
      printf("FAIL  %-40s clause %s, chips.csv says \"%s\"\n", name,
             c.clause ? c.clause : "none", cell(&row, col.eccn));
      ok = 0;
    }
    printf("%s  %-40s TPP %8.1f via %-4s PD %7.3f  %-5s %-5s %s\n", ok ? "ok  " : "FAIL", name,
           tpp, tpp_precision_name(peaks[best].precision), c.pd,
           facts.datacenter ? "DC" : "nonDC", tpp_zone_name(c.zone),
           c.clause ? c.clause : "not controlled");
    checked++;
    failures += !ok;
  }
  free(text);
  ck_assert_msg(rc == 1, "malformed CSV after %d rows", checked);
  printf("%d certain rows checked, %d failed\n", checked, failures);
  ck_assert_int_eq(failures, 0);
  ck_assert_int_ge(checked, 15);
}
END_TEST

static Suite *
chips_suite(void)
{
  Suite *s = suite_create("chips");
  TCase *tc = tcase_create("core");

  tcase_add_test(tc, test_csv_reader);
  tcase_add_test(tc, test_certain_rows);
  suite_add_tcase(s, tc);
  return s;
}

int
main(void)
{
  FILE *f = fopen(TPP_CHIPS_CSV, "r");

  if (!f) {
    printf("skipped: cannot open the chip table %s: %s\n", TPP_CHIPS_CSV, strerror(errno));
    return 77;
  }
  fclose(f);
  return tpp_test_run(chips_suite());
}
