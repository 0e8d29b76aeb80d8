/* test_rules.c - rule-set parsing: the shipped 2023 rule set, every malformed-file case
 * under tests/data/rules/ (error code, line, column and field), and finding rule sets by
 * name or path. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "tpp/rules.h"

#define SHIPPED TPP_PROFILES_DIR "/rules/eccn-3a090-2023.json"
#define BAD(name) TPP_TEST_DATA "/rules/" name

START_TEST(test_shipped_profile)
{
  struct tpp_ruleset rs;
  struct tpp_diag d;
  const struct tpp_clause *c;
  char msg[1024];
  int err;

  memset(&d, 0, sizeof(d));
  err = tpp_ruleset_load(SHIPPED, &rs, &d);
  tpp_diag_format(&d, msg, sizeof(msg));
  ck_assert_msg(err == 0, "load failed: %s", msg);
  ck_assert_str_eq(rs.id, "eccn-3a090-2023");
  ck_assert_str_eq(rs.effective, "2023-11-17");
  ck_assert_str_eq(rs.path, SHIPPED);
  ck_assert_ptr_nonnull(strstr(rs.source, "88 FR 73458"));
  ck_assert_uint_eq(rs.n_clauses, 5);

  c = &rs.clauses[0];
  ck_assert_str_eq(c->id, "3A090.a.1");
  ck_assert_int_eq(c->zone, TPP_ZONE_BLACK);
  ck_assert_int_eq(c->scope, TPP_SCOPE_DATACENTER);
  ck_assert(c->when[TPP_METRIC_TPP].used && c->when[TPP_METRIC_TPP].has_min);
  ck_assert(!c->when[TPP_METRIC_TPP].has_below);
  ck_assert(c->when[TPP_METRIC_TPP].min == 4800);
  ck_assert(!c->when[TPP_METRIC_PD].used);

  c = &rs.clauses[1];
  ck_assert_str_eq(c->id, "3A090.a.1");
  ck_assert_int_eq(c->zone, TPP_ZONE_GREY);
  ck_assert_int_eq(c->scope, TPP_SCOPE_NON_DATACENTER);
  ck_assert(c->when[TPP_METRIC_TPP].min == 4800);
  ck_assert_ptr_nonnull(strstr(c->note, "NAC/ACA"));
  /* Issue 9: Note 2 only points to License Exceptions NAC/ACA; NAC is a notification BIS
   * reviews and may answer by requiring a licence.  Nothing says "never". */
  ck_assert_ptr_nonnull(strstr(c->note, "notification to BIS, which may require a licence"));
  ck_assert_ptr_null(strstr(c->note, "never"));

  c = &rs.clauses[2];
  ck_assert_str_eq(c->id, "3A090.a.2");
  ck_assert_int_eq(c->zone, TPP_ZONE_BLACK);
  ck_assert(c->when[TPP_METRIC_TPP].min == 1600);
  ck_assert(c->when[TPP_METRIC_PD].has_min && c->when[TPP_METRIC_PD].min == 5.92);
  ck_assert(!c->when[TPP_METRIC_PD].has_below);

  c = &rs.clauses[3];
  ck_assert_str_eq(c->id, "3A090.b.1");
  ck_assert_int_eq(c->zone, TPP_ZONE_GREY);
  ck_assert(c->when[TPP_METRIC_TPP].min == 2400 && c->when[TPP_METRIC_TPP].below == 4800);
  ck_assert(c->when[TPP_METRIC_PD].min == 1.6 && c->when[TPP_METRIC_PD].below == 5.92);

  c = &rs.clauses[4];
  ck_assert_str_eq(c->id, "3A090.b.2");
  ck_assert_int_eq(c->zone, TPP_ZONE_GREY);
  ck_assert(c->when[TPP_METRIC_TPP].min == 1600 && !c->when[TPP_METRIC_TPP].has_below);
  ck_assert(c->when[TPP_METRIC_PD].min == 3.2 && c->when[TPP_METRIC_PD].below == 5.92);
}
END_TEST

/* One malformed file: what the diag must say. */
struct bad_case {
  const char *file;
  int line;
  int column;        /* 0: not checked (jansson's own column) */
  const char *field; /* "" for syntax errors and the root */
  const char *text;  /* substring of diag.text, or NULL */
};

static const struct bad_case bad_cases[] = {
    {"syntax.json",                    11, 0,  "",                          NULL                                             },
    {"duplicate_key.json",             8,  0,  "",                          "duplicate"                                      },
    {"not_object.json",                1,  1,  "",                          "must be a JSON object"                          },
    {"unknown_key_root.json",          4,  13, "colour",                    "unknown key \"colour\""                         },
    {"unknown_key_clause.json",        13, 16, "clauses[1].zonee",          "unknown key \"zonee\""                          },
    {"unknown_key_bound.json",         9,  33, "clauses[0].when.pd.max",    "unknown key \"max\""                            },
    {"wrong_type.json",                8,  31, "clauses[0].when.tpp.min",   "expected a number, found a string"              },
    {"min_ge_below.json",              15, 15, "clauses[1].when.pd",        "empty interval"                                 },
    {"min_eq_below.json",              6,  21, "clauses[0].when.pd",        "empty interval"                                 },
    {"unknown_zone.json",              7,  15, "clauses[0].zone",           "unknown zone \"red\""                           },
    {"zone_indeterminate.json",        7,  15, "clauses[0].zone",           "unknown zone \"indeterminate\""                 },
    {"unknown_metric.json",            10, 17, "clauses[0].when.tops",      "unknown metric \"tops\""                        },
    {"unknown_scope.json",             8,  21, "clauses[0].applies_to",     "unknown scope \"cloud\""                        },
    {"bad_schema_version.json",        2,  21, "schema_version",            "unsupported schema_version 2"                   },
    {"fractional_schema_version.json", 3,  21, "schema_version",            "expected an integer"                            },
    {"missing_schema_version.json",    1,  1,  "schema_version",            "missing required key"                           },
    {"empty_clauses.json",             5,  14, "clauses",                   "at least one clause"                            },
    {"clauses_not_array.json",         4,  14, "clauses",                   "expected an array, found an object"             },
    {"too_many_clauses.json",          21, 5,  "clauses[16]",               "too many clauses"                               },
    {"missing_id.json",                1,  1,  "id",                        "missing required key \"id\""                    },
    {"missing_clause_id.json",         10, 5,  "clauses[1].id",             "missing required key \"id\""                    },
    {"missing_when.json",              5,  5,  "clauses[0].when",           "missing required key \"when\""                  },
    {"empty_bound.json",               8,  41, "clauses[0].when.pd",        "needs \"min\", \"below\" or both"               },
    {"negative_threshold.json",        8,  33, "clauses[0].when.tpp.below", "must not be negative"                           },
    {"bad_date.json",                  4,  16, "effective",                 "expected a date"                                },
 /* issue 15.3: the 17th outcome would have been dropped and the verdict decided without it */
    {"scenarios_17.json",              5,  13, "clauses",                   "= 17 outcomes when they are unknown, at most 16"},
};

START_TEST(test_malformed_file)
{
  const struct bad_case *bc = &bad_cases[_i];
  char path[512], msg[1024];
  struct tpp_ruleset rs;
  struct tpp_diag d;
  int err;

  snprintf(path, sizeof(path), "%s", BAD(""));
  strncat(path, bc->file, sizeof(path) - strlen(path) - 1);
  memset(&d, 0, sizeof(d));
  err = tpp_ruleset_load(path, &rs, &d);
  tpp_diag_format(&d, msg, sizeof(msg));
  ck_assert_msg(err == TPP_EPARSE, "%s: expected EPARSE, got %d (%s)", bc->file, err, msg);
  ck_assert_str_eq(d.file, path);
  ck_assert_msg(d.line == bc->line, "%s: line %d, expected %d (%s)", bc->file, d.line, bc->line,
                msg);
  if (bc->column)
    ck_assert_msg(d.column == bc->column, "%s: column %d, expected %d (%s)", bc->file, d.column,
                  bc->column, msg);
  ck_assert_msg(strcmp(d.field, bc->field) == 0, "%s: field \"%s\", expected \"%s\"", bc->file,
                d.field, bc->field);
  if (bc->text)
    ck_assert_msg(strstr(d.text, bc->text) != NULL, "%s: text \"%s\" lacks \"%s\"", bc->file,
                  d.text, bc->text);
  /* A failed parse leaves nothing half-filled behind. */
  ck_assert_uint_eq(rs.n_clauses, 0);
}
END_TEST

/* Build a rule set with `n` clauses, each testing two fresh PD thresholds. */
static void
many_pd_thresholds(char *buf, size_t len, int n)
{
  size_t used = (size_t)snprintf(buf, len,
                                 "{\"schema_version\": 1, \"id\": \"many\",\n"
                                 " \"clauses\": [\n");
  for (int i = 0; i < n; i++)
    used += (size_t)snprintf(buf + used, len - used,
                             "  {\"id\": \"c%d\", \"zone\": \"grey\", \"when\": "
                             "{\"pd\": {\"min\": %d, \"below\": %d.5}}}%s\n",
                             i, i + 1, i + 1, i + 1 < n ? "," : "");
  snprintf(buf + used, len - used, " ]}\n");
}

START_TEST(test_too_many_pd_thresholds)
{
  char text[8192];
  struct tpp_ruleset rs;
  struct tpp_diag d;

  /* 14 distinct PD thresholds (7 clauses) fit. */
  many_pd_thresholds(text, sizeof(text), 7);
  ck_assert_int_eq(tpp_ruleset_parse("many.json", text, &rs, &d), 0);
  ck_assert_uint_eq(rs.n_clauses, 7);
  /* The 16th distinct PD threshold (clause 8's "below") is one too many: with 15
   * breakpoints an unknown die area can already give 31 area ranges. */
  many_pd_thresholds(text, sizeof(text), 8);
  ck_assert_int_eq(tpp_ruleset_parse("many.json", text, &rs, &d), TPP_EPARSE);
  ck_assert_str_eq(d.field, "clauses[7].when.pd.below");
  ck_assert_int_eq(d.line, 10);
  ck_assert_ptr_nonnull(strstr(d.text, "too many distinct pd thresholds"));
}
END_TEST

/* Issue 15.3: classify decided "whatever the interconnect" from the first 16 of 17 outcomes
 * (white, where the 17th is black).  16 fit and are all listed; 17 is a bad rule set (above),
 * and a rule set built by hand with 17 is refused by the classifier, never decided. */
START_TEST(test_scenario_limit)
{
  char text[8192];
  size_t used;
  struct tpp_ruleset rs;
  struct tpp_diag d;
  struct tpp_chip_facts f;
  struct tpp_classification c;

  used = (size_t)snprintf(text, sizeof(text),
                          "{\"schema_version\": 1, \"id\": \"s16\", \"clauses\": [\n"
                          " {\"id\": \"wide\", \"zone\": \"black\", \"when\": "
                          "{\"interconnect_gbs\": {\"min\": 1500}}}");
  for (int k = 1; k < 15; k++)
    used += (size_t)snprintf(text + used, sizeof(text) - used,
                             ",\n {\"id\": \"w%d\", \"zone\": \"black\", \"when\": {\"tpp\": "
                             "{\"below\": 1}, \"interconnect_gbs\": {\"min\": %d}}}",
                             k, 100 * k);
  snprintf(text + used, sizeof(text) - used, "]}\n");
  ck_assert_msg(tpp_ruleset_parse("s16.json", text, &rs, &d) == 0, "%s", d.text);
  tpp_chip_facts_init(&f);
  f.tpp = 15831.2;
  f.die_area_mm2 = 814;
  ck_assert_int_eq(tpp_classify(&rs, &f, &c), 0);
  ck_assert_int_eq(c.zone, TPP_ZONE_INDETERMINATE);
  ck_assert_uint_eq(c.n_scenarios, 16);
  ck_assert_int_eq(c.scenarios[15].zone, TPP_ZONE_BLACK);
  /* One more threshold, added behind the parser's back. */
  rs.clauses[rs.n_clauses] = rs.clauses[1];
  rs.clauses[rs.n_clauses].when[TPP_METRIC_INTERCONNECT].min = 1550;
  rs.n_clauses++;
  ck_assert_int_eq(tpp_classify(&rs, &f, &c), TPP_EINVAL);
}
END_TEST

START_TEST(test_parse_minimal_and_defaults)
{
  const char *text = "{\"schema_version\": 1.0, \"id\": \"mini\", \"clauses\": [\n"
                     "  {\"id\": \"all\", \"zone\": \"white\", \"when\": {}}\n"
                     "], \"notes\": null}";
  struct tpp_ruleset rs;
  struct tpp_diag d;

  ck_assert_int_eq(tpp_ruleset_parse("mini.json", text, &rs, &d), 0);
  ck_assert_str_eq(rs.id, "mini");
  ck_assert_str_eq(rs.title, "");
  ck_assert_str_eq(rs.path, "mini.json");
  ck_assert_uint_eq(rs.n_clauses, 1);
  ck_assert_int_eq(rs.clauses[0].scope, TPP_SCOPE_ALL);
  ck_assert_int_eq(rs.clauses[0].zone, TPP_ZONE_WHITE);
  ck_assert(!rs.clauses[0].when[TPP_METRIC_TPP].used);
  ck_assert(!rs.clauses[0].when[TPP_METRIC_PD].used);
  ck_assert_str_eq(rs.clauses[0].note, "");
}
END_TEST

START_TEST(test_parse_errors_inline)
{
  struct tpp_ruleset rs;
  struct tpp_diag d;

  /* notes must be text; an overlong id is refused rather than cut. */
  ck_assert_int_eq(tpp_ruleset_parse("t",
                                     "{\"schema_version\": 1, \"id\": \"x\", \"notes\": 3,"
                                     " \"clauses\": []}",
                                     &rs, &d),
                   TPP_EPARSE);
  ck_assert_str_eq(d.field, "notes");
  ck_assert_int_eq(tpp_ruleset_parse("t",
                                     "{\"schema_version\": 1, \"id\": \"x\", \"clauses\": "
                                     "[{\"id\": \"0123456789012345678901234567890123\", "
                                     "\"zone\": \"grey\", \"when\": {}}]}",
                                     &rs, &d),
                   TPP_EPARSE);
  ck_assert_str_eq(d.field, "clauses[0].id");
  ck_assert_ptr_nonnull(strstr(d.text, "too long"));
  /* A bound that is not an object. */
  ck_assert_int_eq(tpp_ruleset_parse("t",
                                     "{\"schema_version\": 1, \"id\": \"x\", \"clauses\": "
                                     "[{\"id\": \"a\", \"zone\": \"grey\", "
                                     "\"when\": {\"tpp\": 4800}}]}",
                                     &rs, &d),
                   TPP_EPARSE);
  ck_assert_str_eq(d.field, "clauses[0].when.tpp");
  /* An empty rule-set id. */
  ck_assert_int_eq(tpp_ruleset_parse("t",
                                     "{\"schema_version\": 1, \"id\": \"\", \"clauses\": "
                                     "[{\"id\": \"a\", \"zone\": \"grey\", \"when\": {}}]}",
                                     &rs, &d),
                   TPP_EPARSE);
  ck_assert_str_eq(d.field, "id");
  ck_assert_str_eq(d.file, "t");
  ck_assert_int_eq(tpp_ruleset_parse("t", "", &rs, &d), TPP_EPARSE);
}
END_TEST

START_TEST(test_open_by_name)
{
  const char *const dirs[] = {"/nonexistent-tppbench-dir", TPP_PROFILES_DIR "/rules", NULL};
  struct tpp_ruleset rs;
  struct tpp_diag d;

  ck_assert_int_eq(tpp_ruleset_open(TPP_RULES_DEFAULT, dirs, &rs, &d), 0);
  ck_assert_str_eq(rs.id, "eccn-3a090-2023");
  ck_assert_str_eq(rs.path, SHIPPED);
}
END_TEST

START_TEST(test_open_by_path)
{
  struct tpp_ruleset rs;
  struct tpp_diag d;

  /* A path is used as given, whatever the search directories. */
  ck_assert_int_eq(tpp_ruleset_open(SHIPPED, NULL, &rs, &d), 0);
  ck_assert_str_eq(rs.id, "eccn-3a090-2023");
  ck_assert_int_eq(tpp_ruleset_open(BAD("wrong_type.json"), NULL, &rs, &d), TPP_EPARSE);
  ck_assert_int_eq(d.line, 8);
  ck_assert_int_eq(tpp_ruleset_open("no-such-rules.json", NULL, &rs, &d), TPP_ENOENT);
  ck_assert_str_eq(d.file, "no-such-rules.json");
}
END_TEST

START_TEST(test_open_not_found)
{
  const char *const dirs[] = {"/nonexistent-a", "/nonexistent-b", NULL};
  const char *const none[] = {NULL};
  struct tpp_ruleset rs;
  struct tpp_diag d;

  ck_assert_int_eq(tpp_ruleset_open("eccn-9z999", dirs, &rs, &d), TPP_ENOENT);
  ck_assert_ptr_nonnull(strstr(d.text, "eccn-9z999"));
  ck_assert_ptr_nonnull(strstr(d.text, "/nonexistent-a/eccn-9z999.json"));
  ck_assert_ptr_nonnull(strstr(d.text, "/nonexistent-b/eccn-9z999.json"));
  ck_assert_int_eq(tpp_ruleset_open("eccn-3a090-2023", none, &rs, &d), TPP_ENOENT);
  ck_assert_int_eq(tpp_ruleset_open("eccn-3a090-2023", NULL, &rs, &d), TPP_ENOENT);
  ck_assert_int_eq(tpp_ruleset_open("", dirs, &rs, &d), TPP_EINVAL);
}
END_TEST

START_TEST(test_load_unreadable)
{
  struct tpp_ruleset rs;
  struct tpp_diag d;

  ck_assert_int_eq(tpp_ruleset_load("/nonexistent-dir/x.json", &rs, &d), TPP_ENOENT);
  ck_assert_int_eq(tpp_ruleset_load(TPP_TEST_DATA, &rs, &d), TPP_EIO);
}
END_TEST

/* Every shipped rule set loads; the thresholds the issue names are where they belong. */
START_TEST(test_shipped_sets)
{
  static const char *const names[] = {"eccn-3a090-2023", "eccn-3a090-2022", "case-by-case-2026",
                                      "ai-diffusion-2025"};
  const char *dirs[] = {TPP_PROFILES_DIR "/rules", NULL};
  struct tpp_ruleset rs;
  struct tpp_diag d;
  double t[TPP_RULES_MAX_THRESHOLDS];
  size_t n;

  for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
    memset(&d, 0, sizeof(d));
    ck_assert_msg(tpp_ruleset_open(names[i], dirs, &rs, &d) == 0, "%s: %s", names[i], d.text);
    ck_assert_str_eq(rs.id, names[i]);
    ck_assert_msg(rs.source[0] && rs.effective[0], "%s lacks source or date", names[i]);
    /* Issue 9: every set cites the Federal Register document a reader can check, states
     * its readings of the rule with sources, and no note promises "never a licence". */
    ck_assert_msg(strstr(rs.source, "https://www.federalregister.gov/documents/") != NULL,
                  "%s: source is not a Federal Register document", names[i]);
    ck_assert_uint_eq(rs.readings.n_tpp, 2);
    ck_assert_uint_eq(rs.readings.n_tf32, 2);
    ck_assert_msg(strstr(rs.readings.tpp_source[1], "aggregated over all process") != NULL, "%s",
                  names[i]);
    for (size_t k = 0; k < rs.n_clauses; k++)
      ck_assert_msg(strstr(rs.clauses[k].note, "never") == NULL, "%s: clause %zu: %s", names[i], k,
                    rs.clauses[k].note);
    {
      char path[512], *text;
      snprintf(path, sizeof(path), "%s/%s.json", dirs[0], names[i]);
      text = tpp_test_slurp(path);
      ck_assert_ptr_nonnull(text);
      ck_assert_msg(strstr(text, "shared/") == NULL, "%s cites a file outside the repository",
                    names[i]);
      free(text);
    }
  }
  ck_assert_int_eq(tpp_ruleset_open("eccn-3a090-2022", dirs, &rs, &d), 0);
  n = tpp_rules_thresholds(&rs, 1, TPP_METRIC_INTERCONNECT, t, TPP_RULES_MAX_THRESHOLDS);
  ck_assert(n == 1 && t[0] == 600);
  n = tpp_rules_thresholds(&rs, 1, TPP_METRIC_TPP, t, TPP_RULES_MAX_THRESHOLDS);
  ck_assert(n == 1 && t[0] == 4800);
  ck_assert(isnan(rs.accounting.unit_tpp));

  ck_assert_int_eq(tpp_ruleset_open("case-by-case-2026", dirs, &rs, &d), 0);
  n = tpp_rules_thresholds(&rs, 1, TPP_METRIC_DRAM_BW, t, TPP_RULES_MAX_THRESHOLDS);
  ck_assert(n == 1 && t[0] == 6500);
  n = tpp_rules_thresholds(&rs, 1, TPP_METRIC_TPP, t, TPP_RULES_MAX_THRESHOLDS);
  ck_assert(n == 4 && t[3] == 21000);

  ck_assert_int_eq(tpp_ruleset_open("ai-diffusion-2025", dirs, &rs, &d), 0);
  ck_assert(rs.accounting.unit_tpp == 15831.2);
  ck_assert_str_eq(rs.accounting.unit_name, "H100-equivalent");
  ck_assert_uint_eq(rs.accounting.counted_zones, 1u << TPP_ZONE_BLACK);
  ck_assert_uint_eq(rs.accounting.n_quantities, 4);
  ck_assert_str_eq(rs.accounting.quantities[0].id, "lpp");
  ck_assert(rs.accounting.quantities[0].tpp == 26900000);
  ck_assert(rs.accounting.quantities[0].confidence == TPP_CONF_SECONDARY);
  ck_assert(rs.accounting.quantities[1].tpp == 790000000);
  ck_assert(rs.accounting.quantities[1].confidence == TPP_CONF_RECALLED);
  ck_assert_uint_eq(rs.accounting.n_shares, 3);
  ck_assert(rs.accounting.shares[1].max_fraction == 0.07);
  /* The published H100-equivalent counts follow from the unit: 1,699 and 49,901. */
  ck_assert_int_eq((int)(rs.accounting.quantities[0].tpp / rs.accounting.unit_tpp), 1699);
  ck_assert_int_eq((int)(rs.accounting.quantities[1].tpp / rs.accounting.unit_tpp), 49901);
}
END_TEST

static const char *const acct_head =
    "{\"schema_version\": 1, \"id\": \"a\", \"clauses\": [{\"id\": \"c\", \"zone\": \"black\","
    " \"when\": {\"tpp\": {\"min\": 1}}}],\n\"accounting\": ";

static const struct {
  const char *accounting, *field, *text;
} acct_cases[] = {
    {"[]",                                                                                                      "accounting",                        "expected an object"  },
    {"{\"counted_zones\": [\"black\"]}",                                                                        "accounting.unit",                   "missing required key"},
    {"{\"unit\": {\"name\": \"u\", \"tpp\": 0, \"confidence\": \"derived\", \"source\": \"s\"},"
     " \"counted_zones\": [\"black\"]}",                                                                   "accounting.unit.tpp",               "positive"            },
    {"{\"unit\": {\"name\": \"u\", \"tpp\": 1, \"confidence\": \"sure\", \"source\": \"s\"},"
     " \"counted_zones\": [\"black\"]}",                                                                   "accounting.unit.confidence",        "unknown confidence"  },
    {"{\"unit\": {\"name\": \"u\", \"tpp\": 1, \"confidence\": \"derived\", \"source\": \"s\"},"
     " \"counted_zones\": [\"red\"]}",                                                                     "accounting.counted_zones[0]",       "expected a zone"     },
    {"{\"unit\": {\"name\": \"u\", \"tpp\": 1, \"confidence\": \"derived\", \"source\": \"s\"},"
     " \"counted_zones\": [\"black\"], \"shares\": [{\"id\": \"x\", \"title\": \"t\","
     " \"max_fraction\": 1.5, \"confidence\": \"secondary\", \"source\": \"s\"}]}",                        "accounting.shares[0].max_fraction", "(0, 1]"              },
    {"{\"unit\": {\"name\": \"u\", \"tpp\": 1, \"confidence\": \"derived\", \"source\": \"s\"},"
     " \"counted_zones\": [\"black\"], \"shares\": [{\"id\": \"x\", \"title\": \"t\","
     " \"max_fraction\": 0.5, \"min_fraction\": 0.5, \"confidence\": \"secondary\", \"source\": \"s\"}]}",
     "accounting.shares[0]",                                                                                                                         "exactly one"         },
    {"{\"unit\": {\"name\": \"u\", \"tpp\": 1, \"confidence\": \"derived\", \"source\": \"s\"},"
     " \"counted_zones\": [\"black\"], \"quantities\": [{\"id\": \"q\", \"title\": \"t\","
     " \"tpp\": 5, \"confidence\": \"secondary\", \"source\": \"s\"}, {\"id\": \"q\","
     " \"title\": \"t\", \"tpp\": 6, \"confidence\": \"secondary\", \"source\": \"s\"}]}",                 "accounting.quantities[1]",          "duplicate id"        },
    {"{\"unit\": {\"name\": \"u\", \"tpp\": 1, \"confidence\": \"derived\", \"source\": \"s\"},"
     " \"counted_zones\": [\"black\"], \"quantities\": [{\"id\": \"q\", \"title\": \"t\","
     " \"tpp\": 5, \"confidence\": \"secondary\"}]}",                                                      "accounting.quantities[0].source",   "missing required key"},
};

START_TEST(test_accounting_malformed)
{
  char text[2048], msg[1200];
  struct tpp_ruleset rs;
  struct tpp_diag d = {0};
  snprintf(text, sizeof(text), "%s%s}\n", acct_head, acct_cases[_i].accounting);
  ck_assert_msg(tpp_ruleset_parse("acct.json", text, &rs, &d) == TPP_EPARSE, "case %d accepted",
                _i);
  tpp_diag_format(&d, msg, sizeof(msg));
  ck_assert_msg(strcmp(d.field, acct_cases[_i].field) == 0, "case %d: field \"%s\": %s", _i,
                d.field, msg);
  ck_assert_msg(strstr(d.text, acct_cases[_i].text) != NULL, "case %d: %s", _i, msg);
  ck_assert_msg(d.line == 2, "case %d: line %d", _i, d.line);
}
END_TEST

/* The "interpretations" section: the readings a rule set admits, the first the default. */
START_TEST(test_interpretations)
{
  static const char head[] =
      "{\"schema_version\": 1, \"id\": \"x\", \"clauses\": [{\"id\": \"a\", \"zone\": "
      "\"black\", \"when\": {\"tpp\": {\"min\": 4800}}}],\n \"interpretations\": ";
  static const struct {
    const char *text, *field, *msg;
  } bad[] = {
      {"{\"tpp_reading\": [{\"value\": \"sum\", \"source\": \"s\"}]}",
       "interpretations.tpp_reading[0].value",                                                                  "unknown TPP reading"},
      {"{\"tpp_reading\": [{\"value\": \"highest\"}]}",                "interpretations.tpp_reading[0].source",
       "missing"                                                                                                                     },
      {"{\"tf32_bits\": [{\"value\": 0, \"source\": \"s\"}]}",         "interpretations.tf32_bits[0].value",
       "1 to 64"                                                                                                                     },
      {"{\"tf32_bits\": [{\"value\": 19, \"source\": \"s\"}, {\"value\": 19, \"source\": "
       "\"s\"}]}",                                              "interpretations.tf32_bits[1].value",    "twice"              },
      {"{\"tf32_bits\": []}",                                          "interpretations.tf32_bits",             "readings"           },
      {"{\"tpp\": []}",                                                "interpretations.tpp",                   "unknown key"        },
  };
  struct tpp_ruleset rs;
  struct tpp_diag d = {0};
  struct tpp_reading all[TPP_MAX_READINGS], r;
  char text[1024], msg[1200];

  /* Without the section: highest then aggregate, TF32 32 then 19; four readings. */
  ck_assert_int_eq(tpp_ruleset_load(SHIPPED, &rs, &d), 0);
  ck_assert(rs.readings.chosen.tpp == TPP_READ_HIGHEST);
  ck_assert_int_eq(tpp_reading_bits(&rs.readings.chosen, TPP_TF32), 32);
  ck_assert_uint_eq(tpp_ruleset_readings(&rs, all), 4);
  ck_assert(all[0].tpp == TPP_READ_HIGHEST && all[0].tf32_bits == 32);
  /* Choosing another reading the set admits; refusing one it does not. */
  r.tpp = TPP_READ_AGGREGATE;
  r.tf32_bits = 19;
  ck_assert_int_eq(tpp_ruleset_choose_reading(&rs, &r, "--tpp-reading", &d), 0);
  ck_assert_uint_eq(tpp_ruleset_readings(&rs, all), 4);
  ck_assert(all[0].tpp == TPP_READ_AGGREGATE && all[0].tf32_bits == 19);
  r.tf32_bits = 24;
  ck_assert_int_eq(tpp_ruleset_choose_reading(&rs, &r, "--tf32-bits", &d), TPP_EINVAL);
  ck_assert_str_eq(d.field, "--tf32-bits");

  /* A set that admits one reading only: no alternatives. */
  snprintf(text, sizeof(text), "%s%s}", head,
           "{\"tpp_reading\": [{\"value\": \"aggregate\", \"source\": \"s\"}], "
           "\"tf32_bits\": [{\"value\": 19, \"source\": \"t\"}]}");
  ck_assert_int_eq(tpp_ruleset_parse("i.json", text, &rs, &d), 0);
  ck_assert(rs.readings.chosen.tpp == TPP_READ_AGGREGATE);
  ck_assert_int_eq(rs.readings.chosen.tf32_bits, 19);
  ck_assert_str_eq(rs.readings.tf32_source[0], "t");
  ck_assert_uint_eq(tpp_ruleset_readings(&rs, all), 1);
  r.tpp = TPP_READ_HIGHEST;
  ck_assert_int_eq(tpp_ruleset_choose_reading(&rs, &r, "--tpp-reading", &d), TPP_EINVAL);

  for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
    snprintf(text, sizeof(text), "%s%s}", head, bad[i].text);
    ck_assert_msg(tpp_ruleset_parse("i.json", text, &rs, &d) == TPP_EPARSE, "case %zu", i);
    tpp_diag_format(&d, msg, sizeof(msg));
    ck_assert_msg(strcmp(d.field, bad[i].field) == 0, "case %zu: %s", i, msg);
    ck_assert_msg(strstr(d.text, bad[i].msg) != NULL, "case %zu: %s", i, msg);
    ck_assert_msg(d.line == 2, "case %zu: %s", i, msg);
  }
}
END_TEST

static Suite *
rules_suite(void)
{
  Suite *s = suite_create("rules");
  TCase *tc = tcase_create("core");

  tcase_add_test(tc, test_shipped_profile);
  tcase_add_loop_test(tc, test_malformed_file, 0, (int)(sizeof(bad_cases) / sizeof(bad_cases[0])));
  tcase_add_test(tc, test_too_many_pd_thresholds);
  tcase_add_test(tc, test_scenario_limit);
  tcase_add_test(tc, test_parse_minimal_and_defaults);
  tcase_add_test(tc, test_parse_errors_inline);
  tcase_add_test(tc, test_open_by_name);
  tcase_add_test(tc, test_open_by_path);
  tcase_add_test(tc, test_open_not_found);
  tcase_add_test(tc, test_load_unreadable);
  tcase_add_test(tc, test_shipped_sets);
  tcase_add_test(tc, test_interpretations);
  tcase_add_loop_test(tc, test_accounting_malformed, 0,
                      (int)(sizeof(acct_cases) / sizeof(acct_cases[0])));
  suite_add_tcase(s, tc);
  return s;
}

int
main(void)
{
  return tpp_test_run(rules_suite());
}
