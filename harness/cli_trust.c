/* cli_trust.c - `--trust PUBKEY` for verify and fleet: each result must carry a
 * RESULT.json.minisig signed by one of the trusted keys, else it is rejected (exit 2). */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "tpp/jsonread.h"
#include "tpp/result.h"
#include "tpp/sign.h"

int
tpp_cli_trust_add(struct tpp_cli_trust *t, const char *key)
{
  if (t->n_args == TPP_CLI_TRUST_MAX) {
    fprintf(stderr, "tppbench: --trust: at most %d keys\n", TPP_CLI_TRUST_MAX);
    return 2;
  }
  t->arg[t->n_args++] = key;
  return 0;
}

static int
load_keys(struct tpp_cli_trust *t)
{
  struct tpp_diag diag = {0};
  int err;
  if (!(t->keys = calloc(t->n_args, sizeof(*t->keys))))
    return tpp_cli_fail(TPP_ENOMEM, NULL);
  for (size_t i = 0; i < t->n_args; i++)
    if ((err = tpp_pubkey_open(t->arg[i], &t->keys[i], &diag))) {
      if (!diag.field[0])
        snprintf(diag.field, sizeof(diag.field), "--trust");
      return tpp_cli_fail(err, &diag);
    }
  return 0;
}

/* The signer's "timestamp:<unix>" from a trusted comment, as UTC; 0 when there is none. */
static int
comment_timestamp(const char *comment, long long *unix_time, char *utc, size_t cap)
{
  const char *p = strstr(comment, "timestamp:");
  char *end;
  time_t tt;
  struct tm tm;
  if (!p || (p != comment && p[-1] != '\t' && p[-1] != ' '))
    return 0;
  *unix_time = strtoll(p + 10, &end, 10);
  if (end == p + 10 || (*end && *end != '\t' && *end != ' ') || *unix_time < 0)
    return 0;
  tt = (time_t)*unix_time;
  if (!gmtime_r(&tt, &tm) || strftime(utc, cap, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
    return 0;
  return 1;
}

int
tpp_cli_trust_ready(struct tpp_cli_trust *t)
{
  return t->n_args == 0 || t->keys ? 0 : load_keys(t);
}

int
tpp_cli_trust_sig(void *trust, const char *file, const char *bytes, size_t len, void **who_out,
                  struct tpp_diag *diag)
{
  const struct tpp_cli_trust *t = trust;
  struct tpp_sig_check *who;
  int err;

  *who_out = NULL;
  if (t->n_args == 0)
    return 0;
  if (!t->keys)
    return tpp_diag_set(diag, TPP_EINVAL, NULL, 0, "--trust", "the keys were not read");
  if (!(who = malloc(sizeof(*who))))
    return TPP_ENOMEM;
  if ((err = tpp_sign_check_trusted_bytes(file, bytes, len, t->keys, t->n_args, who, diag))) {
    free(who);
    return err;
  }
  *who_out = who;
  return 0;
}

void
tpp_cli_trust_record(void *trust, const char *file, void *signer)
{
  struct tpp_cli_trust *t = trust;
  struct tpp_sig_check *who = signer;
  char utc[32];
  long long ts;
  json_t *o;

  if (!who)
    return;
  if (!t->checked)
    t->checked = json_array();
  o = json_pack("{s:s, s:s, s:s, s:s, s:s}", "file", file, "key_id", who->key_id, "key",
                who->key->origin, "algorithm", who->prehashed ? "ED" : "Ed", "trusted_comment",
                who->trusted_comment);
  if (o && comment_timestamp(who->trusted_comment, &ts, utc, sizeof(utc)))
    json_object_set_new(o, "timestamp", json_string(utc));
  json_array_append_new(t->checked, o);
  free(who);
}

int
tpp_cli_trust_load_result(struct tpp_cli_trust *t, const char *file, const struct tpp_ruleset *rs,
                          struct tpp_result *r)
{
  struct tpp_diag diag = {0};
  char *text = NULL;
  size_t len = 0;
  void *who = NULL;
  int err;

  memset(r, 0, sizeof(*r));
  if ((err = tpp_cli_trust_ready(t)))
    return err;
  /* Read once: the signature is checked over these bytes, and these bytes are parsed. */
  if ((err = tpp_jread_file(file, &text, &len, &diag)) ||
      (err = tpp_cli_trust_sig(t, file, text, len, &who, &diag)) ||
      (err = tpp_result_parse_checked(file, text, rs, r, &diag))) {
    free(who);
    free(text);
    return tpp_cli_fail(err, &diag);
  }
  free(text);
  tpp_cli_trust_record(t, file, who);
  return 0;
}

void
tpp_cli_trust_print(const struct tpp_cli_trust *t, FILE *f)
{
  size_t i;
  json_t *o;
  json_array_foreach (t->checked, i, o) {
    const char *ts = json_string_value(json_object_get(o, "timestamp"));
    fprintf(f, "signature  %s: good, key %s (%s)%s%s\n",
            json_string_value(json_object_get(o, "file")),
            json_string_value(json_object_get(o, "key_id")),
            json_string_value(json_object_get(o, "key")), ts ? ", signed " : "", ts ? ts : "");
    fprintf(f, "           trusted comment: %s\n",
            json_string_value(json_object_get(o, "trusted_comment")));
  }
}

void
tpp_cli_trust_to_json(const struct tpp_cli_trust *t, json_t *o)
{
  if (t->n_args > 0 && t->checked)
    json_object_set(o, "signatures", t->checked);
  else if (t->n_args > 0)
    json_object_set_new(o, "signatures", json_array());
}

void
tpp_cli_trust_free(struct tpp_cli_trust *t)
{
  free(t->keys);
  json_decref(t->checked);
  memset(t, 0, sizeof(*t));
}
