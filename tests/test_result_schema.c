/* test_result_schema.c - docs/result-schema.md's tables of keys are what the writer and the
 * reader use: the section between its "schema: begin" and "schema: end" markers must be
 * tpp_result_schema_markdown(), generated from the table in harness/result_json.c.
 *
 *   test_result_schema                  check (the CTest test)
 *   test_result_schema --write FILE     rewrite that section of FILE after changing the table
 *
 * docs/result.schema.json, the JSON Schema of result files, must be tpp_result_json_schema(),
 * generated from the same table:
 *
 *   test_result_schema --write-json-schema docs/result.schema.json
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "testutil.h"
#include "tpp/result.h"

#define BEGIN "<!-- schema: begin -->\n"
#define END "<!-- schema: end -->\n"

static const char *write_to, *write_json_to;

START_TEST(the_doc_is_the_table)
{
  char *doc = tpp_test_slurp(TPP_SOURCE_DIR "/docs/result-schema.md"),
       *md = tpp_result_schema_markdown();
  const char *b, *e;
  ck_assert_ptr_nonnull(doc);
  ck_assert_ptr_nonnull(md);
  b = strstr(doc, BEGIN);
  e = b ? strstr(b, END) : NULL;
  ck_assert_msg(b && e, "docs/result-schema.md lacks the markers %s and %s", BEGIN, END);
  b += strlen(BEGIN);
  if (write_to) {
    FILE *f = fopen(write_to, "w");
    ck_assert_ptr_nonnull(f);
    fprintf(f, "%.*s%s%s", (int)(b - doc), doc, md, e);
    ck_assert_int_eq(fclose(f), 0);
    printf("wrote the schema section of %s\n", write_to);
  } else {
    ck_assert_msg(strlen(md) == (size_t)(e - b) && strncmp(b, md, strlen(md)) == 0,
                  "docs/result-schema.md's schema section is not the table's: run "
                  "build/tests/test_result_schema --write docs/result-schema.md");
  }
  /* Every key of a written result is in the doc: the writer uses the same table. */
  ck_assert_ptr_nonnull(strstr(md, "| `facts` |"));
  ck_assert_ptr_nonnull(strstr(md, "| `clock_events` |"));
  free(doc);
  free(md);
}
END_TEST

START_TEST(the_json_schema_is_the_table)
{
  char *committed = tpp_test_slurp(TPP_SOURCE_DIR "/docs/result.schema.json"),
       *js = tpp_result_json_schema();
  json_t *j;
  ck_assert_ptr_nonnull(js);
  if (write_json_to) {
    FILE *f = fopen(write_json_to, "w");
    ck_assert_ptr_nonnull(f);
    fputs(js, f);
    ck_assert_int_eq(fclose(f), 0);
    printf("wrote %s\n", write_json_to);
  } else {
    ck_assert_msg(committed && strcmp(committed, js) == 0,
                  "docs/result.schema.json is not the table's: run "
                  "build/tests/test_result_schema --write-json-schema docs/result.schema.json");
  }
  /* It is JSON, of the current version, and closed: an unknown key is not a result's. */
  j = json_loads(js, 0, NULL);
  ck_assert_ptr_nonnull(j);
  ck_assert_int_eq(
      json_integer_value(json_object_get(
          json_object_get(json_object_get(j, "properties"), "schema_version"), "maximum")),
      TPP_RESULT_SCHEMA_VERSION);
  ck_assert(json_is_false(json_object_get(j, "additionalProperties")));
  ck_assert_ptr_nonnull(strstr(js, "\"kernel_sha256\""));
  ck_assert_ptr_nonnull(strstr(js, "\"provenance\""));
  json_decref(j);
  free(committed);
  free(js);
}
END_TEST

int
main(int argc, char **argv)
{
  Suite *s = suite_create("result_schema");
  TCase *tc = tcase_create("core");
  if (argc == 3 && strcmp(argv[1], "--write") == 0) {
    write_to = argv[2];
    setenv("CK_FORK", "no", 1);
  }
  if (argc == 3 && strcmp(argv[1], "--write-json-schema") == 0) {
    write_json_to = argv[2];
    setenv("CK_FORK", "no", 1);
  }
  tcase_add_test(tc, the_doc_is_the_table);
  tcase_add_test(tc, the_json_schema_is_the_table);
  suite_add_tcase(s, tc);
  return tpp_test_run(s);
}
