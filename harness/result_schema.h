/* result_schema.h - the table of the result document's objects and keys (result_schema.c)
 * and the engine that writes and reads by it (result_json.c).  Private to those two. */
#ifndef TPP_RESULT_SCHEMA_H
#define TPP_RESULT_SCHEMA_H

#include <jansson.h>
#include <math.h>
#include <stddef.h>

#include "tpp/jsonread.h"

enum ftype {
  FT_STRING,   /* char[size]; written as is */
  FT_TEXT,     /* char[size]; "" is written null, null reads "" */
  FT_NUMBER,   /* double; NAN is written null, null reads NAN */
  FT_INT,      /* int */
  FT_UINT64,   /* uint64_t */
  FT_BOOL,     /* int */
  FT_FLAG,     /* int; written only when true, absent reads false */
  FT_HEX16,    /* unsigned; "10de", 0 is written null */
  FT_OPT_BOOL, /* int; -1 (unknown) is written null, null reads -1 */
  FT_OPT_INT,  /* int, not negative; -1 (unknown) is written null, null reads -1 */
  FT_OBJECT,   /* a nested object of its own table (sub) */
  FT_ARRAY,    /* an array of objects of `sub`, count at count_off, at most cap */
  FT_CUSTOM,   /* read and write functions */
};

#define REQUIRED 1u /* must be present, not null */
#define DERIVED 2u  /* the writer derives it; the reader recomputes or re-checks it */
#define NONNEG 4u   /* FT_NUMBER, FT_INT: not negative */
/* FT_NUMBER: at most TPP_RESULT_MAX_COUNT in magnitude (a count of operations or bytes)
 * instead of TPP_RESULT_MAX_FIGURE (result.h) */
#define COUNT 8u
/* FT_ARRAY: the member is a pointer to the entries, allocated to as many as the file holds
 * (the owner frees it) instead of an array of `cap` in the struct */
#define ALLOCATED 16u

struct rd; /* a reading in progress */
struct object;

struct field {
  const char *key;
  enum ftype type;
  size_t off, size; /* where in the object's struct; size of a string buffer */
  unsigned flags;
  int since, until; /* the schema versions that have it (until 0: the current one too) */
  const struct object *sub;
  size_t count_off, cap; /* FT_ARRAY */
  ptrdiff_t present_off; /* FT_OBJECT: an int saying whether it is there (null when not), -1 */
  int (*read)(struct rd *r, json_t *parent, const char *path, const char *key, void *base);
  json_t *(*write)(const void *base);
  const char *type_doc; /* FT_CUSTOM: its JSON type, for the doc */
  const char *doc;
};

struct object {
  const char *name; /* as the doc names it */
  size_t size;      /* of its struct (array elements) */
  const struct field *fields;
  size_t n;
  void (*init)(void *base);                                 /* defaults before reading */
  int (*check)(struct rd *r, const char *path, void *base); /* after reading */
};

/* What a reading carries: the file's version and the derived figures a check compares. */
struct rd {
  struct tpp_jctx *c;
  long long version;
  double bit_tops; /* the row being read */
  double tpp;      /* the device being read */
  char tpp_precision[32];
};

#define NO_PRESENT (-1)
#define F(k, t, T, member, fl, since_, doc_)                                           \
  {                                                                                    \
    .key = k, .type = t, .off = offsetof(T, member), .size = sizeof(((T *)0)->member), \
    .flags = fl, .since = since_, .present_off = NO_PRESENT, .doc = doc_               \
  }
#define C(k, jtype, rd_, wr_, fl, since_, until_, doc_)                                      \
  {                                                                                          \
    .key = k, .type = FT_CUSTOM, .flags = fl, .since = since_, .until = until_, .read = rd_, \
    .write = wr_, .present_off = NO_PRESENT, .type_doc = jtype, .doc = doc_                  \
  }
#define OBJ(k, T, member, sub_, fl, since_, doc_)                                          \
  {                                                                                        \
    .key = k, .type = FT_OBJECT, .off = offsetof(T, member), .flags = fl, .since = since_, \
    .sub = sub_, .present_off = NO_PRESENT, .doc = doc_                                    \
  }
#define ARR(k, T, member, count, cap_, sub_, fl, since_, doc_)                            \
  {                                                                                       \
    .key = k, .type = FT_ARRAY, .off = offsetof(T, member), .flags = fl, .since = since_, \
    .sub = sub_, .count_off = offsetof(T, count), .cap = cap_, .present_off = NO_PRESENT, \
    .doc = doc_                                                                           \
  }
#define N_OF(a) (sizeof(a) / sizeof(a[0]))

/* null for an unknown number. */
static inline json_t *
num_or_null(double v)
{
  return isfinite(v) ? json_real(v) : json_null();
}

/* The document's top level, and one device (read one by one, as the devices array grows). */
extern const struct object tpp__result_top, tpp__result_device;
/* The objects the doc lists, with their headings, NULL-terminated. */
struct schema_section {
  const char *heading;
  const struct object *object;
};
extern const struct schema_section tpp__result_sections[];

/* The engine's writer (result_json.c), for the devices array of the top level. */
json_t *tpp__result_write(const struct object *ob, const void *base);

#endif
