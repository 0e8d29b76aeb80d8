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
 * Every precision the declared product has a figure for is a check of its own: one not
 * measured ok (not requested, unsupported, an error, absent from the result) is listed with
 * why, and when it is the one that sets the declared TPP the verdict is inconclusive.  Every
 * row that ended in an error is a finding naming its kernel and reason.  A limit that lies
 * within a figure's measured spread (lowest to highest timed sample) gives "borderline",
 * not a false verdict.  The class is compared under every reading of the rule the rule set
 * admits; a comparison that another reading changes is interpretation-sensitive.
 */
#ifndef TPP_VERIFY_H
#define TPP_VERIFY_H

#include <jansson.h>
#include <stdio.h>

#include "tpp/profile.h"
#include "tpp/result.h"
#include "tpp/rules.h"

/* Inconclusive is the zero value: a verification never made never reads as consistent. */
enum tpp_verdict {
  TPP_VERDICT_INCONCLUSIVE, /* what decides could not be compared */
  TPP_VERDICT_NOT_CHECKED,  /* a check that could not be made (one check only) */
  TPP_VERDICT_BORDERLINE,   /* within the measured spread of a limit */
  TPP_VERDICT_INCONSISTENT,
  TPP_VERDICT_CONSISTENT,
  TPP_VERDICT_COUNT
};

struct tpp_check {
  char what[48]; /* "pci id", "name", "compute units", "memory", "fp16 tensor", "class" */
  enum tpp_verdict verdict;
  const char *finding; /* "match", "wrong identity", "over-capable", "under-performing",
                          "within range", "not in the declared product", "not requested",
                          "unsupported", "not in the result", "measurement error", ... */
  char kernel[48];     /* the row's kernel, "" when none */
  int sets_tpp;        /* the declared TPP is set by this precision and unit */
  char detail[320];
  double measured, declared, limit_lo, limit_hi; /* capability: TOPS; NAN elsewhere */
};

/* The class comparison under another reading of the rule, when it differs. */
struct tpp_verify_reading {
  struct tpp_reading reading;
  enum tpp_zone declared_zone, measured_zone;
  int above; /* the measured zone is above the declared one */
};

struct tpp_verify_opts {
  double min_fraction; /* under-performing below min_fraction x declared (0.5) */
  double tolerance;    /* over-capable above (1 + tolerance) x declared at clock (0.05) */
};

struct tpp_verification {
  char declared_id[64];
  char declared_name[128];
  enum tpp_verdict verdict;
  struct tpp_check *checks; /* sized to the result and the profile: no check is dropped */
  size_t n_checks, cap_checks;
  size_t n_errors;    /* rows that ended in an error */
  int tpp_unmeasured; /* the precision that sets the declared TPP was not measured ok */
  struct tpp_classification declared_cls, measured_cls;
  struct tpp_verify_reading readings[TPP_MAX_READINGS]; /* where another reading differs */
  size_t n_readings;
  char summary[1024];
};

void tpp_verify_defaults(struct tpp_verify_opts *o);
const char *tpp_verdict_name(enum tpp_verdict v); /* "consistent", ... */
/* 0 consistent, 1 inconsistent, 3 borderline or inconclusive. */
int tpp_verdict_exit_status(enum tpp_verdict v);

/* Compare (classes under the rule set's chosen reading, and every other); 0, TPP_ENOMEM, or
 * an error from classification (TPP_EINVAL for bad facts).  Free with
 * tpp_verification_free. */
int tpp_verify(const struct tpp_device_result *d, const struct tpp_profile *declared,
               const struct tpp_ruleset *rs, const struct tpp_verify_opts *o,
               struct tpp_verification *out);
void tpp_verification_free(struct tpp_verification *v);
/* The class check (measured above declared or not) comes out otherwise under another
 * reading of the rule: the verdict is interpretation-sensitive. */
int tpp_verification_sensitive(const struct tpp_verification *v);

json_t *tpp_verification_to_json(const struct tpp_verification *v);
void tpp_verification_print(const struct tpp_verification *v, FILE *out);

#endif
