/* verify.h - does a measured device match the product it was declared as?
 *
 * For importers: a run's result is compared with a declared device profile.
 *  - identity: the PCI vendor:device id, the name the driver reports, the SM/CU count and
 *    the memory size must be the declared product's;
 *  - capability: each measured precision against the declared dense peak.  Above the
 *    peak scaled to the measured clock (plus a tolerance) is over-capable, which is how a
 *    relabelled higher-class chip shows itself; below a fraction of the declared peak is
 *    under-performing (defective, counterfeit, or badly throttled);
 *  - class: the zone of the measured TPP (on the declared die) against the declared zone.
 * A limit that lies within a figure's measured spread (lowest to highest timed sample)
 * gives "borderline", not a false verdict.
 */
#ifndef TPP_VERIFY_H
#define TPP_VERIFY_H

#include <jansson.h>
#include <stdio.h>

#include "tpp/profile.h"
#include "tpp/result.h"
#include "tpp/rules.h"

enum tpp_verdict {
  TPP_VERDICT_CONSISTENT,
  TPP_VERDICT_BORDERLINE,   /* within the measured spread of a limit */
  TPP_VERDICT_INCONCLUSIVE, /* nothing could be compared */
  TPP_VERDICT_INCONSISTENT,
  TPP_VERDICT_NOT_CHECKED   /* a check that could not be made (one check only) */
};

#define TPP_VERIFY_MAX_CHECKS 48

struct tpp_check {
  char what[48];       /* "pci id", "name", "compute units", "memory", "fp16 tensor", "class" */
  enum tpp_verdict verdict;
  const char *finding; /* "match", "wrong identity", "over-capable", "under-performing",
                          "within range", "not in the declared product", ... */
  char detail[320];
  double measured, declared, limit_lo, limit_hi; /* capability: TOPS; NAN elsewhere */
};

struct tpp_verify_opts {
  double min_fraction; /* under-performing below min_fraction x declared (0.5) */
  double tolerance;    /* over-capable above (1 + tolerance) x declared at clock (0.05) */
};

struct tpp_verification {
  char declared_id[64];
  char declared_name[128];
  enum tpp_verdict verdict;
  struct tpp_check checks[TPP_VERIFY_MAX_CHECKS];
  size_t n_checks;
  struct tpp_classification declared_cls, measured_cls;
  char summary[512];
};

void tpp_verify_defaults(struct tpp_verify_opts *o);
const char *tpp_verdict_name(enum tpp_verdict v); /* "consistent", ... */
/* 0 consistent, 1 inconsistent, 3 borderline or inconclusive. */
int tpp_verdict_exit_status(enum tpp_verdict v);

/* Compare; 0 or an error from classification (TPP_EINVAL for bad facts). */
int tpp_verify(const struct tpp_device_result *d, const struct tpp_profile *declared,
               const struct tpp_ruleset *rs, const struct tpp_verify_opts *o,
               struct tpp_verification *out);

json_t *tpp_verification_to_json(const struct tpp_verification *v);
void tpp_verification_print(const struct tpp_verification *v, FILE *out);

#endif
