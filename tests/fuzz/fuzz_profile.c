/* fuzz_profile.c - a device profile from a client: parsed, then its datasheet figures
 * classified under every shipped rule set, devices matched to it (among the fuzz data's
 * profiles), and a synthetic H100 result verified against it as the declared product. */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_common.h"
#include "tpp/result.h"
#include "tpp/verify.h"

#ifndef FUZZ_SEED_RESULT
#error "FUZZ_SEED_RESULT (a result file to verify against the profile) comes from CMake"
#endif

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct tpp_result seed;

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  static struct tpp_profile p;
  static struct tpp_classification c;
  struct tpp_profile_set set;
  struct tpp_profile_match m;
  struct tpp_diag diag = {0};
  struct tpp_peak peaks[TPP_PROFILE_MAX_PEAKS];
  struct tpp_figures fig = {.peaks = peaks};
  struct tpp_chip_facts f;
  char *text;

  fuzz_init();
  if (!seed.devices && tpp_result_load(FUZZ_SEED_RESULT, &seed, &diag) != 0)
    fuzz_fail(diag.text);
  text = fuzz_text(data, size);
  if (tpp_profile_parse("fuzz.json", text, &p, &diag) != 0) {
    free(text);
    if (!diag.text[0] || !diag.file[0])
      fuzz_fail("a rejected profile without a message naming the file");
    return 0;
  }
  free(text);
  tpp_profile_tpp(&p, NULL);
  tpp_profile_advisories_print(&p, fuzz_null);
  json_decref(tpp_profile_advisories_json(&p));
  fig.n = tpp_profile_figures(&p, peaks, TPP_PROFILE_MAX_PEAKS);
  tpp_chip_facts_init(&f);
  f.die_area_mm2 = p.die_area_mm2;
  f.datacenter = p.datacenter;
  f.interconnect_gbs = p.interconnect_gbs;
  f.dram_bw_gbs = p.memory_bw_gbs;
  for (int k = 0; k < FUZZ_RULE_SETS; k++)
    if (tpp_classify_figures(&fuzz_rules[k], &f, &fig, &c) == 0)
      json_decref(tpp_classification_to_json(&c));
  /* Matching: the profile alone, then among the others (ties are reported, not a crash). */
  set.v = &p;
  set.n = 1;
  set.dir[0] = '\0';
  for (size_t i = 0; i < seed.n_devices; i++) {
    struct tpp_device_result *d = &seed.devices[i];
    struct tpp_verify_opts vo;
    struct tpp_verification v;
    tpp_profile_match_device(&set, &d->info, &m);
    tpp_profile_match_device(&fuzz_profiles, &d->info, &m);
    tpp_verify_defaults(&vo);
    for (int k = 0; k < FUZZ_RULE_SETS; k++) {
      if (tpp_device_result_classify(d, &fuzz_rules[k]) != 0 ||
          tpp_verify(d, &p, &fuzz_rules[k], &vo, &v) != 0)
        continue;
      tpp_verification_print(&v, fuzz_null);
      json_decref(tpp_verification_to_json(&v));
      tpp_verification_free(&v);
    }
  }
  return 0;
}
