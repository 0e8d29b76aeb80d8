/* test_jsonread.c - locating values by path in JSON text, typed getters with located
 * errors, unknown keys, syntax errors and duplicate keys. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "testutil.h"
#include "tpp/jsonread.h"

/* Line numbers are given in the comments; columns count characters. */
static const char doc[] = "{\n"                                                        /*  1 */
                          "  \"name\": \"x\",\n"                                       /*  2 */
                          "  \"nested\": {\"a\": {\"b\": [10, 20, {\"c\": true}]}},\n" /*  3 */
                          "  \"esc\": \"va\\\"l[0].x\", \"k\\u0041\": 1,\n"            /*  4 */
                          "  \"s\": \"[{\\\"not\\\": 1}]\", \"after\": 42,\n"          /*  5 */
                          "  \"multi\": [\n"                                           /*  6 */
                          "    1,\n"                                                   /*  7 */
                          "    {\n"                                                    /*  8 */
                          "      \"deep\": null,\n"                                    /*  9 */
                          "      \"\xc3\xa9\": \"\xc3\xbc\"\n"                         /* 10 */
                          "    }\n"                                                    /* 11 */
                          "  ],\n"                                                     /* 12 */
                          "  \"num\": -1.5e+3,\n"                                      /* 13 */
                          "  \"int\": 7,\n"                                            /* 14 */
                          "  \"real7\": 7.0,\n"                                        /* 15 */
                          "  \"frac\": 7.5,\n"                                         /* 16 */
                          "  \"flag\": false,\n"                                       /* 17 */
                          "  \"obj\": {},\n"                                           /* 18 */
                          "  \"arr\": []\n"                                            /* 19 */
                          "}\n";                                                       /* 20 */

static void
assert_at(const char *text, const char *path, int line, int column)
{
  int l = -1, c = -1;
  int err = tpp_jsonloc_find(text, path, &l, &c);
  ck_assert_msg(err == 0, "find(\"%s\") returned %d", path, err);
  ck_assert_msg(l == line && c == column, "find(\"%s\"): %d:%d, expected %d:%d", path, l, c, line,
                column);
}

START_TEST(test_find_paths)
{
  assert_at(doc, "", 1, 1);
  assert_at(doc, "name", 2, 11);
  assert_at(doc, "nested", 3, 13);
  assert_at(doc, "nested.a", 3, 19);
  assert_at(doc, "nested.a.b", 3, 25);
  assert_at(doc, "nested.a.b[0]", 3, 26);
  assert_at(doc, "nested.a.b[1]", 3, 30);
  assert_at(doc, "nested.a.b[2]", 3, 34);
  assert_at(doc, "nested.a.b[2].c", 3, 40);
  /* A string holding an escaped quote, brackets and dots is skipped whole. */
  assert_at(doc, "esc", 4, 10);
  /* Keys are compared after decoding escapes: "k\u0041" is "kA". */
  assert_at(doc, "kA", 4, 35);
  assert_at(doc, "s", 5, 8);
  assert_at(doc, "after", 5, 35);
  /* Multi-line values. */
  assert_at(doc, "multi", 6, 12);
  assert_at(doc, "multi[0]", 7, 5);
  assert_at(doc, "multi[1]", 8, 5);
  assert_at(doc, "multi[1].deep", 9, 15);
  /* Columns count characters: the two-byte key is one column wide. */
  assert_at(doc, "multi[1].\xc3\xa9", 10, 12);
  assert_at(doc, "num", 13, 10);
  assert_at(doc, "flag", 17, 11);
  assert_at(doc, "arr", 19, 10);
}
END_TEST

START_TEST(test_find_root_forms)
{
  int l, c;
  assert_at("\n\n   [1, [2, 3]]", "", 3, 4);
  assert_at("\n\n   [1, [2, 3]]", "[1][1]", 3, 12);
  assert_at("[{\"a\": 1}]", "[0].a", 1, 8);
  assert_at("\"just a string\"", "", 1, 1);
  /* Escaped keys: "x\/y" is "x/y", "t\tk" holds a tab. */
  assert_at("{\"x\\/y\": 1, \"t\\tk\": 2}", "x/y", 1, 10);
  assert_at("{\"x\\/y\": 1, \"t\\tk\": 2}", "t\tk", 1, 21);
  /* A NULL path is the root; line and column may be NULL. */
  ck_assert_int_eq(tpp_jsonloc_find("{}", NULL, &l, &c), 0);
  ck_assert_int_eq(tpp_jsonloc_find("{}", "", NULL, NULL), 0);
}
END_TEST

START_TEST(test_find_missing)
{
  int l, c;
  ck_assert_int_eq(tpp_jsonloc_find(doc, "zz", &l, &c), TPP_ENOENT);
  ck_assert_int_eq(tpp_jsonloc_find(doc, "nested.zz", &l, &c), TPP_ENOENT);
  ck_assert_int_eq(tpp_jsonloc_find(doc, "nested.a.b[3]", &l, &c), TPP_ENOENT);
  ck_assert_int_eq(tpp_jsonloc_find(doc, "name.x", &l, &c), TPP_ENOENT);
  ck_assert_int_eq(tpp_jsonloc_find(doc, "name[0]", &l, &c), TPP_ENOENT);
  ck_assert_int_eq(tpp_jsonloc_find(doc, "obj.x", &l, &c), TPP_ENOENT);
  ck_assert_int_eq(tpp_jsonloc_find(doc, "arr[0]", &l, &c), TPP_ENOENT);
  ck_assert_int_eq(tpp_jsonloc_find(doc, "multi[1].deep.x", &l, &c), TPP_ENOENT);
  /* "k\u0041" does not match a path spelled with the escape. */
  ck_assert_int_eq(tpp_jsonloc_find(doc, "k\\u0041", &l, &c), TPP_ENOENT);
  /* A key that is a prefix of another does not match it. */
  ck_assert_int_eq(tpp_jsonloc_find(doc, "nam", &l, &c), TPP_ENOENT);
  ck_assert_int_eq(tpp_jsonloc_find(doc, "names", &l, &c), TPP_ENOENT);
}
END_TEST

START_TEST(test_find_bad_path)
{
  int l, c;
  ck_assert_int_eq(tpp_jsonloc_find(doc, "nested..a", &l, &c), TPP_EINVAL);
  ck_assert_int_eq(tpp_jsonloc_find(doc, "multi[x]", &l, &c), TPP_EINVAL);
  ck_assert_int_eq(tpp_jsonloc_find(doc, "multi[1", &l, &c), TPP_EINVAL);
  ck_assert_int_eq(tpp_jsonloc_find(doc, "multi[1]deep", &l, &c), TPP_EINVAL);
  ck_assert_int_eq(tpp_jsonloc_find(doc, ".name", &l, &c), TPP_EINVAL);
}
END_TEST

START_TEST(test_find_bad_text)
{
  char *deep;
  int l, c;
  size_t n = 3000;

  ck_assert_int_eq(tpp_jsonloc_find("{\"a\": [1, 2,, 3]}", "a[3]", &l, &c), TPP_EPARSE);
  ck_assert_int_eq(tpp_jsonloc_find("{\"a\": [1,,], \"b\": 1}", "b", &l, &c), TPP_EPARSE);
  ck_assert_int_eq(tpp_jsonloc_find("{\"a\": \"unterminated", "b", &l, &c), TPP_EPARSE);
  ck_assert_int_eq(tpp_jsonloc_find("{\"a\": \"bad \\q escape\", \"b\": 1}", "b", &l, &c),
                   TPP_EPARSE);
  ck_assert_int_eq(tpp_jsonloc_find("{\"a\": tru, \"b\": 1}", "b", &l, &c), TPP_EPARSE);
  ck_assert_int_eq(tpp_jsonloc_find("{\"a\": 01, \"b\": 1}", "b", &l, &c), TPP_EPARSE);
  ck_assert_int_eq(tpp_jsonloc_find("{\"a\" 1}", "a", &l, &c), TPP_EPARSE);
  ck_assert_int_eq(tpp_jsonloc_find("", "", &l, &c), TPP_EPARSE);
  ck_assert_int_eq(tpp_jsonloc_find("{\"a\": 1", "b", &l, &c), TPP_EPARSE);

  /* Nesting deeper than the limit is refused, not recursed into. */
  deep = malloc(2 * n + 32);
  ck_assert_ptr_nonnull(deep);
  strcpy(deep, "{\"a\": ");
  memset(deep + 6, '[', n);
  memset(deep + 6 + n, ']', n);
  strcpy(deep + 6 + 2 * n, ", \"b\": 1}");
  ck_assert_int_eq(tpp_jsonloc_find(deep, "b", &l, &c), TPP_EPARSE);
  free(deep);
}
END_TEST

/* Parses doc and sets up a context whose diag is *d. */
struct fixture {
  json_t *root;
  struct tpp_diag d;
  struct tpp_jctx c;
};

static void
fixture_init(struct fixture *f)
{
  memset(f, 0, sizeof(*f));
  ck_assert_int_eq(tpp_jload_text("doc.json", doc, &f->root, &f->d), 0);
  f->c.file = "doc.json";
  f->c.text = doc;
  f->c.diag = &f->d;
}

static void
assert_diag(const struct tpp_diag *d, int line, int column, const char *field, const char *text)
{
  char msg[1024];
  tpp_diag_format(d, msg, sizeof(msg));
  ck_assert_msg(d->line == line && d->column == column, "at %d:%d, expected %d:%d (%s)", d->line,
                d->column, line, column, msg);
  ck_assert_str_eq(d->file, "doc.json");
  ck_assert_str_eq(d->field, field);
  ck_assert_msg(strstr(d->text, text) != NULL, "\"%s\" lacks \"%s\"", d->text, text);
}

START_TEST(test_get_number)
{
  struct fixture f;
  double v = -7;
  json_t *a;

  fixture_init(&f);
  ck_assert_int_eq(tpp_jget_number(&f.c, f.root, "", "num", 1, &v), 0);
  ck_assert(v == -1500.0);
  /* An integer is a number. */
  ck_assert_int_eq(tpp_jget_number(&f.c, f.root, "", "int", 1, &v), 0);
  ck_assert(v == 7.0);
  ck_assert_int_eq(tpp_jget_number(&f.c, f.root, "", "name", 1, &v), TPP_EPARSE);
  assert_diag(&f.d, 2, 11, "name", "expected a number, found a string");
  ck_assert_int_eq(tpp_jget_number(&f.c, f.root, "", "flag", 0, &v), TPP_EPARSE);
  assert_diag(&f.d, 17, 11, "flag", "found a boolean");
  ck_assert_int_eq(tpp_jget_object(&f.c, f.root, "", "nested", 1, &a), 0);
  ck_assert_int_eq(tpp_jget_object(&f.c, a, "nested", "a", 1, &a), 0);
  ck_assert_int_eq(tpp_jget_number(&f.c, a, "nested.a", "b", 1, &v), TPP_EPARSE);
  assert_diag(&f.d, 3, 25, "nested.a.b", "expected a number, found an array");
  json_decref(f.root);
}
END_TEST

START_TEST(test_get_int)
{
  struct fixture f;
  long long v = 0;

  fixture_init(&f);
  ck_assert_int_eq(tpp_jget_int(&f.c, f.root, "", "int", 1, &v), 0);
  ck_assert_int_eq(v, 7);
  /* A real without a fractional part is accepted. */
  v = 0;
  ck_assert_int_eq(tpp_jget_int(&f.c, f.root, "", "real7", 1, &v), 0);
  ck_assert_int_eq(v, 7);
  ck_assert_int_eq(tpp_jget_int(&f.c, f.root, "", "frac", 1, &v), TPP_EPARSE);
  assert_diag(&f.d, 16, 11, "frac", "expected an integer");
  ck_assert_int_eq(tpp_jget_int(&f.c, f.root, "", "name", 1, &v), TPP_EPARSE);
  assert_diag(&f.d, 2, 11, "name", "expected an integer, found a string");
  json_decref(f.root);
}
END_TEST

START_TEST(test_get_bool_string)
{
  struct fixture f;
  char small[2], buf[16];
  int b = 7;

  fixture_init(&f);
  ck_assert_int_eq(tpp_jget_bool(&f.c, f.root, "", "flag", 1, &b), 0);
  ck_assert_int_eq(b, 0);
  ck_assert_int_eq(tpp_jget_bool(&f.c, f.root, "", "int", 1, &b), TPP_EPARSE);
  assert_diag(&f.d, 14, 10, "int", "expected true or false, found a number");

  ck_assert_int_eq(tpp_jget_string(&f.c, f.root, "", "name", 1, buf, sizeof(buf)), 0);
  ck_assert_str_eq(buf, "x");
  ck_assert_int_eq(tpp_jget_string(&f.c, f.root, "", "esc", 1, buf, sizeof(buf)), 0);
  ck_assert_str_eq(buf, "va\"l[0].x");
  ck_assert_int_eq(tpp_jget_string(&f.c, f.root, "", "esc", 1, small, sizeof(small)), TPP_EPARSE);
  assert_diag(&f.d, 4, 10, "esc", "too long");
  ck_assert_int_eq(tpp_jget_string(&f.c, f.root, "", "after", 1, buf, sizeof(buf)), TPP_EPARSE);
  assert_diag(&f.d, 5, 35, "after", "expected a string, found a number");
  json_decref(f.root);
}
END_TEST

START_TEST(test_get_object_array)
{
  struct fixture f;
  json_t *o = NULL, *m = NULL, *e;

  fixture_init(&f);
  ck_assert_int_eq(tpp_jget_object(&f.c, f.root, "", "obj", 1, &o), 0);
  ck_assert(json_is_object(o));
  ck_assert_int_eq(tpp_jget_array(&f.c, f.root, "", "multi", 1, &m), 0);
  ck_assert_uint_eq(json_array_size(m), 2);
  ck_assert_int_eq(tpp_jget_object(&f.c, f.root, "", "arr", 1, &o), TPP_EPARSE);
  assert_diag(&f.d, 19, 10, "arr", "expected an object, found an array");
  ck_assert_int_eq(tpp_jget_array(&f.c, f.root, "", "obj", 1, &o), TPP_EPARSE);
  assert_diag(&f.d, 18, 10, "obj", "expected an array, found an object");
  /* Errors inside array elements name the element's path. */
  e = json_array_get(m, 1);
  ck_assert_int_eq(tpp_jget_string(&f.c, e, "multi[1]", "\xc3\xa9", 1, (char[4]){0}, 4), 0);
  ck_assert_int_eq(tpp_jget_number(&f.c, e, "multi[1]", "\xc3\xa9", 1, &(double){0}), TPP_EPARSE);
  assert_diag(&f.d, 10, 12, "multi[1].\xc3\xa9", "expected a number, found a string");
  json_decref(f.root);
}
END_TEST

START_TEST(test_required_optional_null)
{
  struct fixture f;
  json_t *m, *e, *a;
  double v = 123.0;
  long long i = 5;
  char buf[8] = "keep";

  fixture_init(&f);
  /* Absent and optional: 1, output untouched. */
  ck_assert_int_eq(tpp_jget_number(&f.c, f.root, "", "missing", 0, &v), 1);
  ck_assert(v == 123.0);
  ck_assert_int_eq(tpp_jget_int(&f.c, f.root, "", "missing", 0, &i), 1);
  ck_assert_int_eq(i, 5);
  ck_assert_int_eq(tpp_jget_string(&f.c, f.root, "", "missing", 0, buf, sizeof(buf)), 1);
  ck_assert_str_eq(buf, "keep");
  /* Absent and required: the error points at the object that lacks the key. */
  ck_assert_int_eq(tpp_jget_number(&f.c, f.root, "", "missing", 1, &v), TPP_EPARSE);
  assert_diag(&f.d, 1, 1, "missing", "missing required key \"missing\"");
  ck_assert_int_eq(tpp_jget_object(&f.c, f.root, "", "nested", 1, &a), 0);
  ck_assert_int_eq(tpp_jget_object(&f.c, a, "nested", "a", 1, &a), 0);
  ck_assert_int_eq(tpp_jget_bool(&f.c, a, "nested.a", "zz", 1, &(int){0}), TPP_EPARSE);
  assert_diag(&f.d, 3, 19, "nested.a.zz", "missing required key \"zz\"");
  /* null counts as absent. */
  ck_assert_int_eq(tpp_jget_array(&f.c, f.root, "", "multi", 1, &m), 0);
  e = json_array_get(m, 1);
  ck_assert_int_eq(tpp_jget_number(&f.c, e, "multi[1]", "deep", 0, &v), 1);
  ck_assert(v == 123.0);
  ck_assert_int_eq(tpp_jget_number(&f.c, e, "multi[1]", "deep", 1, &v), TPP_EPARSE);
  assert_diag(&f.d, 9, 15, "multi[1].deep", "missing required key \"deep\"");
  json_decref(f.root);
}
END_TEST

START_TEST(test_check_keys)
{
  static const char *const all[] = {"name",  "nested", "esc", "kA",  "s",
                                    "after", "multi",  "num", "int", "real7",
                                    "frac",  "flag",   "obj", "arr", NULL};
  static const char *const some[] = {"name", "nested", "esc",   "kA",  "s",   "after", "multi",
                                     "num",  "int",    "real7", "obj", "arr", NULL};
  struct fixture f;
  json_t *a;

  fixture_init(&f);
  ck_assert_int_eq(tpp_jcheck_keys(&f.c, f.root, "", all), 0);
  /* The first unknown key in document order is named. */
  ck_assert_int_eq(tpp_jcheck_keys(&f.c, f.root, "", some), TPP_EPARSE);
  assert_diag(&f.d, 16, 11, "frac", "unknown key \"frac\"");
  ck_assert_int_eq(tpp_jget_object(&f.c, f.root, "", "nested", 1, &a), 0);
  ck_assert_int_eq(tpp_jcheck_keys(&f.c, a, "nested", (const char *const[]){"b", NULL}),
                   TPP_EPARSE);
  assert_diag(&f.d, 3, 19, "nested.a", "unknown key \"a\"");
  json_decref(f.root);
}
END_TEST

START_TEST(test_jfail)
{
  struct tpp_diag d;
  struct tpp_jctx c = {"f.json", doc, &d};
  struct tpp_jctx quiet = {"f.json", doc, NULL};

  ck_assert_int_eq(tpp_jfail(&c, TPP_EINVAL, "nested.a.b[2].c", "bad %s %d", "value", 3),
                   TPP_EINVAL);
  ck_assert_int_eq(d.line, 3);
  ck_assert_int_eq(d.column, 40);
  ck_assert_str_eq(d.file, "f.json");
  ck_assert_str_eq(d.field, "nested.a.b[2].c");
  ck_assert_str_eq(d.text, "bad value 3");
  /* Paths that do not exist fall back to the nearest enclosing value. */
  tpp_jfail(&c, TPP_EPARSE, "multi[1].nope[3].x", "gone");
  ck_assert_int_eq(d.line, 8);
  ck_assert_int_eq(d.column, 5);
  ck_assert_str_eq(d.field, "multi[1].nope[3].x");
  tpp_jfail(&c, TPP_EPARSE, "multi[7]", "gone");
  ck_assert_int_eq(d.line, 6);
  ck_assert_int_eq(d.column, 12);
  /* Without a diag it only returns the code. */
  ck_assert_int_eq(tpp_jfail(&quiet, TPP_EPARSE, "name", "x"), TPP_EPARSE);
}
END_TEST

START_TEST(test_syntax_errors)
{
  struct tpp_diag d;
  json_t *root = NULL;

  ck_assert_int_eq(tpp_jload_text("s.json", "{\n  \"a\": 1,\n  \"b\": tru\n}\n", &root, &d),
                   TPP_EPARSE);
  ck_assert_ptr_null(root);
  ck_assert_str_eq(d.file, "s.json");
  ck_assert_int_eq(d.line, 3);
  ck_assert_int_gt(d.column, 0);
  ck_assert_str_eq(d.field, "");
  ck_assert_int_eq(tpp_jload_text("s.json", "{\n\n\n  \"a\": [1, 2,]\n}", &root, &d), TPP_EPARSE);
  ck_assert_int_eq(d.line, 4);
  ck_assert_int_eq(tpp_jload_text("s.json", "{\"a\": 1}\n\n garbage", &root, &d), TPP_EPARSE);
  ck_assert_int_eq(d.line, 3);
  ck_assert_int_eq(tpp_jload_text("s.json", "", &root, &d), TPP_EPARSE);
}
END_TEST

START_TEST(test_duplicate_keys)
{
  struct tpp_diag d;
  json_t *root = NULL;

  ck_assert_int_eq(
      tpp_jload_text("dup.json", "{\n  \"a\": 1,\n  \"b\": {\"x\": 1,\n  \"x\": 2}\n}", &root, &d),
      TPP_EPARSE);
  ck_assert_ptr_null(root);
  ck_assert_int_eq(d.line, 4);
  ck_assert_ptr_nonnull(strstr(d.text, "duplicate"));
  /* The same key in different objects is fine. */
  ck_assert_int_eq(tpp_jload_text("ok.json", "{\"x\": {\"x\": 1}}", &root, &d), 0);
  json_decref(root);
}
END_TEST

static void
write_file(const char *path, const char *data, size_t n)
{
  FILE *f = fopen(path, "wb");
  ck_assert_ptr_nonnull(f);
  ck_assert_uint_eq(fwrite(data, 1, n, f), n);
  fclose(f);
}

START_TEST(test_load_file)
{
  char dir[256], path[512];
  struct tpp_diag d;
  json_t *root = NULL;
  char *text = NULL;

  tpp_test_tmpdir(dir, sizeof(dir));
  ck_assert(dir[0] != '\0');

  snprintf(path, sizeof(path), "%s/good.json", dir);
  write_file(path, "{\"a\": [1, 2]}\n", 14);
  ck_assert_int_eq(tpp_jload_file(path, &root, &text, &d), 0);
  ck_assert_str_eq(text, "{\"a\": [1, 2]}\n");
  ck_assert_uint_eq(json_array_size(json_object_get(root, "a")), 2);
  json_decref(root);
  free(text);
  unlink(path);

  snprintf(path, sizeof(path), "%s/bad.json", dir);
  write_file(path, "{\n\"a\": }\n", 9);
  ck_assert_int_eq(tpp_jload_file(path, &root, &text, &d), TPP_EPARSE);
  ck_assert_str_eq(d.file, path);
  ck_assert_int_eq(d.line, 2);
  unlink(path);

  snprintf(path, sizeof(path), "%s/nul.json", dir);
  write_file(path, "{\"a\": 1}\0{}", 11);
  ck_assert_int_eq(tpp_jload_file(path, &root, &text, &d), TPP_EPARSE);
  ck_assert_ptr_nonnull(strstr(d.text, "NUL"));
  unlink(path);

  /* An empty file (`fleet --json DIR > DIR/r.json` makes one) says so. */
  snprintf(path, sizeof(path), "%s/empty.json", dir);
  write_file(path, "", 0);
  ck_assert_int_eq(tpp_jload_file(path, &root, &text, &d), TPP_EPARSE);
  ck_assert_str_eq(d.file, path);
  ck_assert_ptr_nonnull(strstr(d.text, "empty"));
  unlink(path);

  snprintf(path, sizeof(path), "%s/none.json", dir);
  ck_assert_int_eq(tpp_jload_file(path, &root, &text, &d), TPP_ENOENT);
  ck_assert_str_eq(d.file, path);
  /* A directory opens but cannot be read. */
  ck_assert_int_eq(tpp_jload_file(dir, &root, &text, &d), TPP_EIO);
  rmdir(dir);
}
END_TEST

/* Issue 15.7: a file over 16 MiB is bad input (exit 2) naming the file, not a read failure
 * (exit 1); one of exactly 16 MiB is read. */
START_TEST(test_file_size_limit)
{
  const size_t limit = 16u << 20;
  char dir[256], path[512], msg[1200];
  struct tpp_diag d;
  json_t *root = NULL;
  char *text = NULL, *big = malloc(limit + 1);
  FILE *f;

  ck_assert_ptr_nonnull(big);
  tpp_test_tmpdir(dir, sizeof(dir));
  snprintf(path, sizeof(path), "%s/big.json", dir);
  /* A JSON string padded to exactly the limit: ["xxx...x"] */
  memset(big, 'x', limit);
  big[0] = '[';
  big[1] = '"';
  big[limit - 2] = '"';
  big[limit - 1] = ']';
  ck_assert_ptr_nonnull(f = fopen(path, "wb"));
  ck_assert_uint_eq(fwrite(big, 1, limit, f), limit);
  fclose(f);
  ck_assert_int_eq(tpp_jload_file(path, &root, &text, &d), 0);
  json_decref(root);
  free(text);
  ck_assert_ptr_nonnull(f = fopen(path, "ab"));
  fputc('\n', f);
  fclose(f);
  ck_assert_int_eq(tpp_jload_file(path, &root, &text, &d), TPP_EPARSE);
  ck_assert_int_eq(tpp_exit_status(TPP_EPARSE), 2);
  tpp_diag_format(&d, msg, sizeof(msg));
  ck_assert_str_eq(d.file, path);
  ck_assert_msg(strstr(msg, "larger than 16777216 bytes") != NULL, "%s", msg);
  unlink(path);
  rmdir(dir);
  free(big);
}
END_TEST

START_TEST(test_path_builders)
{
  char buf[64], buf2[64], small[6];

  ck_assert_str_eq(tpp_jpath_key(buf, sizeof(buf), "", "a"), "a");
  ck_assert_str_eq(tpp_jpath_key(buf, sizeof(buf), NULL, "a"), "a");
  ck_assert_str_eq(tpp_jpath_key(buf, sizeof(buf), "a.b", "c"), "a.b.c");
  ck_assert_str_eq(tpp_jpath_index(buf, sizeof(buf), "clauses", 12), "clauses[12]");
  ck_assert_str_eq(tpp_jpath_index(buf, sizeof(buf), "", 0), "[0]");
  ck_assert_str_eq(tpp_jpath_key(small, sizeof(small), "abc", "def"), "abc.d");
  /* What the builders make, the finder finds. */
  tpp_jpath_index(buf, sizeof(buf), "nested.a.b", 2);
  assert_at(doc, tpp_jpath_key(buf2, sizeof(buf2), buf, "c"), 3, 40);
}
END_TEST

static Suite *
jsonread_suite(void)
{
  Suite *s = suite_create("jsonread");
  TCase *find = tcase_create("find");
  TCase *get = tcase_create("get");
  TCase *load = tcase_create("load");

  tcase_add_test(find, test_find_paths);
  tcase_add_test(find, test_find_root_forms);
  tcase_add_test(find, test_find_missing);
  tcase_add_test(find, test_find_bad_path);
  tcase_add_test(find, test_find_bad_text);
  tcase_add_test(find, test_path_builders);
  tcase_add_test(get, test_get_number);
  tcase_add_test(get, test_get_int);
  tcase_add_test(get, test_get_bool_string);
  tcase_add_test(get, test_get_object_array);
  tcase_add_test(get, test_required_optional_null);
  tcase_add_test(get, test_check_keys);
  tcase_add_test(get, test_jfail);
  tcase_add_test(load, test_syntax_errors);
  tcase_add_test(load, test_duplicate_keys);
  tcase_add_test(load, test_load_file);
  tcase_add_test(load, test_file_size_limit);
  suite_add_tcase(s, find);
  suite_add_tcase(s, get);
  suite_add_tcase(s, load);
  return s;
}

int
main(void)
{
  return tpp_test_run(jsonread_suite());
}
