/* jsonread.h - reading user-supplied JSON with errors that name the file, line and field.
 *
 * jansson parses the text and reports syntax errors with their line and column; it keeps no
 * positions for values once parsed.  For a value that parses but is wrong (a missing key, a
 * string where a number belongs, a key we do not know) these helpers find the value's line
 * and column again by walking the original text along the value's path, so every message
 * reads "profiles/rules/x.json:12:20: clauses[2].when.pd.min: expected a number".
 *
 * Paths are written "a.b[2].c"; the empty string is the root.
 */
#ifndef TPP_JSONREAD_H
#define TPP_JSONREAD_H

#include <jansson.h>
#include <stddef.h>

#include "tpp/error.h"

struct tpp_jctx {
  const char *file;      /* name used in messages */
  const char *text;      /* the whole document, NUL-terminated */
  struct tpp_diag *diag; /* filled on failure; may be NULL */
};

/* Line and column (1-based) of the value at `path` in `text`.
 * 0, or TPP_ENOENT when the path does not exist, TPP_EPARSE when the text is not JSON,
 * TPP_EINVAL for a malformed path ("a..b", "x[y]"). */
int tpp_jsonloc_find(const char *text, const char *path, int *line, int *column);

/* Read a whole file (at most 16 MiB, not empty, no NUL byte) into *text (malloc'd,
 * NUL-terminated; its length into *len, which may be NULL), in one pass: what a caller
 * checks (a signature) and then parses is these bytes, never the file read again.
 * TPP_ENOENT / TPP_EIO (cannot read), TPP_EPARSE (empty, a NUL byte). */
int tpp_jread_file(const char *file, char **text, size_t *len, struct tpp_diag *diag);
/* Read a whole file (tpp_jread_file) and parse it.  On success *root and *text belong to
 * the caller (json_decref, free).  Errors: TPP_ENOENT / TPP_EIO (cannot read),
 * TPP_EPARSE (syntax: diag has jansson's line and column; or larger than 16 MiB, empty,
 * a NUL byte). */
int tpp_jload_file(const char *file, json_t **root, char **text, struct tpp_diag *diag);
/* Same for text already in memory (`name` is used in messages). */
int tpp_jload_text(const char *name, const char *text, json_t **root, struct tpp_diag *diag);

/* The frame of every strict reader: parse `text` (named `name` in messages) and call
 * fn(ctx, root, arg) with a context that locates errors in it.  fn's return, or the
 * syntax error. */
typedef int (*tpp_jparse_fn)(struct tpp_jctx *c, json_t *root, void *arg);
int tpp_jparse_text(const char *name, const char *text, tpp_jparse_fn fn, void *arg,
                    struct tpp_diag *diag);
/* Read the file (TPP_ENOENT / TPP_EIO when it cannot be read), then tpp_jparse_text. */
int tpp_jparse_file(const char *file, tpp_jparse_fn fn, void *arg, struct tpp_diag *diag);

/* Record an error about the value at `path` (located in c->text) and return `err`. */
int tpp_jfail(struct tpp_jctx *c, int err, const char *path, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Typed members of object `obj` (itself at `path`).  Each returns 0 when the member was
 * read, 1 when it is absent and not required (*out untouched), or TPP_EPARSE with the diag
 * filled (absent and required, or of the wrong type).  JSON null counts as absent. */
int tpp_jget_number(struct tpp_jctx *c, json_t *obj, const char *path, const char *key,
                    int required, double *out);
int tpp_jget_int(struct tpp_jctx *c, json_t *obj, const char *path, const char *key, int required,
                 long long *out);
int tpp_jget_bool(struct tpp_jctx *c, json_t *obj, const char *path, const char *key, int required,
                  int *out);
int tpp_jget_string(struct tpp_jctx *c, json_t *obj, const char *path, const char *key,
                    int required, char *buf, size_t len);
/* Borrowed reference to a member object/array. */
int tpp_jget_object(struct tpp_jctx *c, json_t *obj, const char *path, const char *key,
                    int required, json_t **out);
int tpp_jget_array(struct tpp_jctx *c, json_t *obj, const char *path, const char *key, int required,
                   json_t **out);

/* Reject members of `obj` not named in `allowed` (NULL-terminated): TPP_EPARSE naming the
 * first unknown key, or 0. */
int tpp_jcheck_keys(struct tpp_jctx *c, json_t *obj, const char *path, const char *const *allowed);

/* Build "path.key" or "path[i]" into buf (for walking nested values). */
const char *tpp_jpath_key(char *buf, size_t len, const char *path, const char *key);
const char *tpp_jpath_index(char *buf, size_t len, const char *path, size_t index);

#endif
