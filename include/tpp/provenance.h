/* provenance.h - what a result records about how it was made, so a third party can check
 * it: SHA-256 of the tppbench binary, of the kernel images, rule set and profile files; the
 * command line; UTC start and end; the host name; the user's labels (docs/result-schema.md).
 */
#ifndef TPP_PROVENANCE_H
#define TPP_PROVENANCE_H

#include <jansson.h>
#include <stddef.h>

#include "tpp/error.h"

#define TPP_SHA256_HEX 65 /* 64 lower-case hex digits and the NUL */

/* SHA-256 (libsodium's crypto_hash_sha256) of len bytes, as hex into out. */
void tpp_sha256_hex(const void *bytes, size_t len, char out[TPP_SHA256_HEX]);
/* Of a whole file.  0, or TPP_ENOENT / TPP_EIO with diag naming the file. */
int tpp_sha256_file(const char *path, char out[TPP_SHA256_HEX], struct tpp_diag *diag);

/* --label KEY=VALUE: keys [A-Za-z0-9_.-]{1,64}, values at most TPP_LABEL_VALUE_MAX bytes
 * of UTF-8; at most TPP_LABELS_MAX labels. */
#define TPP_LABEL_KEY_MAX 64
#define TPP_LABEL_VALUE_MAX 256
#define TPP_LABELS_MAX 32
/* Add one "KEY=VALUE" to *labels (a JSON object, created when NULL).  0, or TPP_EINVAL with
 * diag naming `opt` and what is wrong (no '=', a bad key, a value too long or not UTF-8, a
 * key given twice, too many). */
int tpp_label_add(json_t **labels, const char *arg, const char *opt, struct tpp_diag *diag);
/* Is this object a valid set of labels (the same rules)?  0, or a message into why. */
int tpp_labels_check(json_t *labels, char *why, size_t len);

/* The run's provenance, filled by `run`. */
struct tpp_provenance {
  char binary_path[1024];             /* what /proc/self/exe points to; "" unknown */
  char binary_sha256[TPP_SHA256_HEX]; /* "" when it could not be read */
  char binary_error[256];             /* why not */
  json_t *command_line;               /* array of strings, owned; NULL unknown */
  char started[32], finished[32];     /* UTC, ISO 8601 */
  char hostname[256];
  char rules_id[64], rules_file[512], rules_sha256[TPP_SHA256_HEX];
};

/* The binary's path and SHA-256 (/proc/self/exe), the command line and the host name. */
void tpp_provenance_collect(struct tpp_provenance *p, int argc, const char *const *argv);
/* UTC now, ISO 8601 ("2026-01-02T03:04:05Z"). */
void tpp_utc_now(char *buf, size_t len);
void tpp_provenance_free(struct tpp_provenance *p);

#endif
