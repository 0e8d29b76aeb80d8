/* fuzz_rules.c - a rule set from a client: parsed, then chips classified under it (every
 * metric known, the die area, interconnect or DRAM bandwidth unknown, a measured spread,
 * figures read under every reading) and explained, with the renderings. */
#include <jansson.h>
#include <math.h>
#include <stdlib.h>

#include "fuzz_common.h"
#include "tpp/explain.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Chips on both sides of the shipped thresholds, and the corners of the metric space. */
static const struct {
  double tpp, area, ic, dram;
  int datacenter;
} chips[] = {
    {15831.2, 814,    900,   3350, 1},
    {2368,    814,    900,   4000, 1},
    {4800,    1600,   NAN,   NAN,  1},
    {4799.99, NAN,    600,   6500, 0},
    {0,       1,      0,     0,    1},
    {1e12,    0.01,   1e9,   1e9,  1},
    {3000,    NAN,    NAN,   NAN,  1},
    {NAN,     500,    10,    10,   0},
    {1600,    270.27, 599.9, NAN,  1},
};

/* A zone decided with the interconnect or DRAM bandwidth unknown must hold for every value
 * of it: tried at 0 and at each threshold (issue 15.3 decided from some of them). */
static void
check_unknown_metrics(const struct tpp_ruleset *rs, const struct tpp_chip_facts *f,
                      const struct tpp_classification *c)
{
  for (int m = TPP_METRIC_INTERCONNECT; m < TPP_METRIC_COUNT; m++) {
    double t[TPP_RULES_MAX_THRESHOLDS + 1];
    size_t n;
    if (!isnan(m == TPP_METRIC_INTERCONNECT ? f->interconnect_gbs : f->dram_bw_gbs))
      continue;
    n = tpp_rules_thresholds(rs, c->datacenter, (enum tpp_metric)m, t, TPP_RULES_MAX_THRESHOLDS);
    t[n++] = 0;
    for (size_t i = 0; i < n; i++) {
      struct tpp_chip_facts g = *f;
      struct tpp_classification alt;
      if (m == TPP_METRIC_INTERCONNECT)
        g.interconnect_gbs = t[i];
      else
        g.dram_bw_gbs = t[i];
      g.tpp_lo = g.tpp_hi = g.dram_bw_lo = g.dram_bw_hi = NAN;
      if (tpp_classify(rs, &g, &alt) == 0 && alt.zone != TPP_ZONE_INDETERMINATE &&
          alt.zone != c->zone)
        fuzz_fail("a zone decided whatever an unknown metric, which one of its values changes");
    }
  }
}

static void
classify_and_explain(const struct tpp_ruleset *rs, const struct tpp_chip_facts *f)
{
  struct tpp_classification c;
  struct tpp_explanation e;
  if (tpp_classify(rs, f, &c) != 0)
    return;
  if (!isnan(f->tpp) && c.zone == TPP_ZONE_WHITE && isnan(f->die_area_mm2) && c.n_ranges > 1)
    fuzz_fail("white while the outcome depends on the unknown die area");
  if (c.zone != TPP_ZONE_INDETERMINATE && !c.borderline)
    check_unknown_metrics(rs, f, &c);
  tpp_classification_print(&c, fuzz_null);
  json_decref(tpp_classification_to_json(&c));
  if (tpp_explain(rs, &c, &e) == 0) {
    tpp_explanation_print(&e, fuzz_null);
    json_decref(tpp_explanation_to_json(&e));
  }
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  static struct tpp_ruleset rs; /* ~70 KB */
  struct tpp_diag diag = {0};
  char *text;

  fuzz_init();
  text = fuzz_text(data, size);
  if (tpp_ruleset_parse("fuzz.json", text, &rs, &diag) != 0) {
    free(text);
    if (!diag.text[0] || !diag.file[0])
      fuzz_fail("a rejected rule set without a message naming the file");
    return 0;
  }
  free(text);
  for (size_t i = 0; i < sizeof(chips) / sizeof(chips[0]); i++) {
    struct tpp_chip_facts f;
    tpp_chip_facts_init(&f);
    f.tpp = chips[i].tpp;
    f.die_area_mm2 = chips[i].area;
    f.interconnect_gbs = chips[i].ic;
    f.dram_bw_gbs = chips[i].dram;
    f.datacenter = chips[i].datacenter;
    classify_and_explain(&rs, &f);
    /* the same TPP as a lower bound: decided only when no higher TPP changes the zone */
    {
      struct tpp_chip_facts g = f;
      struct tpp_classification c, hi;
      double t[TPP_RULES_MAX_THRESHOLDS];
      size_t n;
      g.tpp_lower_bound = 1;
      if (!isnan(g.tpp) && tpp_classify(&rs, &g, &c) == 0 && c.zone != TPP_ZONE_INDETERMINATE) {
        n = tpp_rules_thresholds(&rs, c.datacenter, TPP_METRIC_TPP, t, TPP_RULES_MAX_THRESHOLDS);
        for (size_t k = 0; k <= n; k++) {
          g.tpp_lower_bound = 0;
          g.tpp = k < n ? t[k] : 1e9 * (f.tpp + 1);
          if (g.tpp >= f.tpp && tpp_classify(&rs, &g, &hi) == 0 &&
              hi.zone != TPP_ZONE_INDETERMINATE && hi.zone != c.zone)
            fuzz_fail("a lower-bound TPP decided, which a higher TPP puts in another zone");
        }
      }
      g = f;
      g.tpp_unchecked = f.tpp * 3 + 1;
      classify_and_explain(&rs, &g);
    }
    /* the same chip with a spread around TPP and DRAM bandwidth */
    f.tpp_lo = f.tpp * 0.98;
    f.tpp_hi = f.tpp * 1.02;
    f.dram_bw_lo = f.dram_bw_gbs * 0.9;
    f.dram_bw_hi = f.dram_bw_gbs * 1.1;
    classify_and_explain(&rs, &f);
  }
  {
    /* H20-like figures under every reading the rule set admits */
    struct tpp_peak peaks[] = {
        {.precision = TPP_FP32, .tops = 44,  .has_path = 1, .path = TPP_PATH_VECTOR},
        {.precision = TPP_TF32, .tops = 74,  .has_path = 1, .path = TPP_PATH_TENSOR},
        {.precision = TPP_INT8, .tops = 296, .has_path = 1, .path = TPP_PATH_TENSOR},
    };
    double lo[] = {43, 70, 290}, hi[] = {45, 75, 300};
    struct tpp_figures fig = {.peaks = peaks, .lo = lo, .hi = hi, .n = 3};
    struct tpp_chip_facts f;
    struct tpp_classification *c = malloc(sizeof(*c));
    if (!c)
      abort();
    tpp_chip_facts_init(&f);
    f.die_area_mm2 = 814;
    if (tpp_classify_figures(&rs, &f, &fig, c) == 0) {
      tpp_classification_print(c, fuzz_null);
      json_decref(tpp_classification_to_json(c));
    }
    free(c);
  }
  return 0;
}
