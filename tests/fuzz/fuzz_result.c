/* fuzz_result.c - a result file as an importer gets it: read (with the stored zones
 * re-checked), then everything the commands do with what was read: classify under every
 * shipped rule set, explain, verify against the matched and another profile, fleet totals,
 * the JSON and terminal renderings, and the writer's output read back (the reader must
 * accept what the writer writes). */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_common.h"
#include "tpp/claims.h"
#include "tpp/explain.h"
#include "tpp/fleet.h"
#include "tpp/jsonread.h"
#include "tpp/result.h"
#include "tpp/verify.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int
read_back(struct tpp_jctx *c, json_t *root, void *arg)
{
  return tpp_result_from_json(c, root, arg);
}

static void
exercise_device(struct tpp_device_result *d)
{
  struct tpp_profile_match m;
  const struct tpp_profile *declared[2];
  struct tpp_verify_opts vo;
  struct tpp_explanation ex;

  struct tpp_claims cl;
  tpp_verify_defaults(&vo);
  tpp_claims_check(d, &fuzz_profiles, -1, &cl);
  tpp_claims_print(&cl, d->datacenter, fuzz_null);
  json_decref(tpp_claims_to_json(&cl, d->datacenter));
  tpp_claims_apply(d, &fuzz_profiles, &cl);
  tpp_profile_match_device(&fuzz_profiles, &d->info, &m);
  declared[0] = m.profile;
  declared[1] = fuzz_profiles.n ? &fuzz_profiles.v[0] : NULL;
  for (int k = 0; k < FUZZ_RULE_SETS; k++) {
    json_t *j;
    if (tpp_device_result_classify(d, &fuzz_rules[k]) != 0)
      continue;
    tpp_classification_print(&d->cls, fuzz_null);
    json_decref(tpp_classification_to_json(&d->cls));
    if (tpp_explain(&fuzz_rules[k], &d->cls, &ex) == 0) {
      tpp_explanation_print(&ex, fuzz_null);
      json_decref(tpp_explanation_to_json(&ex));
    }
    for (int p = 0; p < 2; p++) {
      struct tpp_verification v;
      if (!declared[p] || tpp_verify(d, declared[p], &fuzz_rules[k], &vo, &v) != 0)
        continue;
      tpp_verification_print(&v, fuzz_null);
      j = tpp_verification_to_json(&v);
      json_decref(j);
      tpp_verification_free(&v);
    }
  }
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  struct tpp_result r;
  struct tpp_diag diag = {0};
  const char *file;
  json_t *doc;
  char *text;

  fuzz_init();
  file = fuzz_write_file(0, data, size);
  if (tpp_result_load_checked(file, &fuzz_rules[0], &r, &diag) != 0) {
    if (!diag.text[0])
      fuzz_fail("a rejected result file without a message");
    return 0;
  }
  /* What the writer makes of it must read back. */
  doc = tpp_result_to_json(&r);
  text = doc ? json_dumps(doc, JSON_INDENT(2)) : NULL;
  json_decref(doc);
  if (!text)
    fuzz_fail("the result could not be written as JSON");
  {
    struct tpp_result back;
    struct tpp_diag d2 = {0};
    memset(&back, 0, sizeof(back));
    if (tpp_jparse_text("written", text, read_back, &back, &d2) != 0) {
      fprintf(stderr, "fuzz: written result rejected: %s: %s\n%s\n", d2.field, d2.text, text);
      fuzz_fail("the reader rejects what the writer wrote");
    }
    tpp_result_free(&back);
  }
  free(text);
  for (size_t i = 0; i < r.n_devices; i++)
    exercise_device(&r.devices[i]);
  /* Fleet totals under each rule set, the file given twice (duplicates). */
  for (int k = 0; k < FUZZ_RULE_SETS; k++) {
    struct tpp_fleet fleet;
    json_t *j;
    tpp_fleet_init(&fleet, &fuzz_rules[k], (enum tpp_fleet_basis)(k % TPP_FLEET_BASIS_COUNT));
    if (tpp_fleet_add(&fleet, file, &r, &fuzz_profiles) == 0 &&
        tpp_fleet_add(&fleet, file, &r, &fuzz_profiles) == 0) {
      tpp_fleet_print(&fleet, fuzz_null);
      if (!(j = tpp_fleet_to_json(&fleet)))
        fuzz_fail("fleet totals that cannot be written as JSON");
      json_decref(j);
    }
    tpp_fleet_free(&fleet);
  }
  tpp_result_free(&r);
  return 0;
}
