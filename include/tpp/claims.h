/* claims.h - what a result file says about a device beyond its measurements, checked when it
 * is read: the profile it names against the device's identity and the shipped profiles, the
 * die area against the dies it says it covers and its source, and which facts a user
 * supplied rather than a profile.  Every verdict shows them (classify, verify, fleet; docs/
 * result-schema.md, "Claims").  A disputed claim is never used as if it were true. */
#ifndef TPP_CLAIMS_H
#define TPP_CLAIMS_H

#include <jansson.h>
#include <stdio.h>

#include "tpp/profile.h"
#include "tpp/result.h"

/* The profile a file names, against the identity. */
enum tpp_profile_claim {
  TPP_CLAIM_NONE,      /* the file names no profile */
  TPP_CLAIM_CONFIRMED, /* the identity matches it */
  TPP_CLAIM_USER,      /* named with --profile at run time: the identity does not confirm it */
  TPP_CLAIM_MISMATCH,  /* the identity matches another profile */
  TPP_CLAIM_UNMATCHED, /* said to be matched, but the identity matches no profile */
  TPP_CLAIM_UNKNOWN,   /* said to be matched, but no shipped profile has that id */
  TPP_CLAIM_COUNT
};

const char *tpp_profile_claim_name(enum tpp_profile_claim c); /* "confirmed", "mismatch", ... */

struct tpp_claims {
  enum tpp_profile_claim profile;
  char file_profile[64];     /* the id the file names, "" none */
  char identity_profile[64]; /* what the identity matches now, "" none */
  char how[128];             /* how it matched */
  int ambiguous;             /* another profile matched as well */
  int disputed;              /* the file contradicts itself or the shipped profiles */
  char why[400];             /* what is disputed, "" */
  /* Facts a user supplied (on the command line of run, of this command, or written into
   * the file without a profile behind them). */
  int die_area_user;
  int die_area_dies; /* dies the area is said to cover (1 unless "--die-area (N dies)") */
  char die_area_source[96];
  int datacenter_user;
  char datacenter_source[96];
};

/* The dies a die_area_source says the area covers: "--die-area (N dies)" -> N, a profile's
 * area -> TPP_DIES_MAX (its own dies are checked against the profile), else 1. */
int tpp_die_area_source_dies(const char *source);

/* Check device d of a file against the shipped profiles (set may be NULL: nothing can be
 * confirmed, nothing is disputed but an impossible area).  dc_given: this command's
 * --datacenter / --non-datacenter (-1 none). */
void tpp_claims_check(const struct tpp_device_result *d, const struct tpp_profile_set *set,
                      int dc_given, struct tpp_claims *out);

/* When the claims are disputed, the file's profile and what it gave (die area, datacenter
 * flag, interconnect) are not used: the device is taken as its identity says, as a file that
 * names no profile is (the profile it matches now, or none: die area unknown, datacenter).
 * A die area the user supplied stays.  Nothing changes when nothing is disputed. */
void tpp_claims_apply(struct tpp_device_result *d, const struct tpp_profile_set *set,
                      const struct tpp_claims *c);

/* {"profile": {"status", "file", "identity", "how", "ambiguous"}, "disputed", "why",
 *  "die_area": {"source", "user_supplied", "dies"}, "datacenter": {"value", "source",
 *  "user_supplied"}} */
json_t *tpp_claims_to_json(const struct tpp_claims *c, int datacenter);
/* "claims      ..." lines for the terminal. */
void tpp_claims_print(const struct tpp_claims *c, int datacenter, FILE *out);

#endif
