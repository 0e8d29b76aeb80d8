/* fleet.h - totals over many results: devices and TPP per zone and per clause,
 * equivalents of the rule set's accounting unit (H100-equivalents), and the counted TPP
 * against the rule set's quantities (the AI Diffusion allowances) and shares.
 *
 * The rule counts TPP at its theoretical maximum (3A090 technical note: "the rate of TPP
 * is to be calculated at its maximum value theoretically possible"), so the default basis,
 * "rule", is each device's datasheet TPP where a profile matched, else its measured TPP
 * (marked per device).  "measured" totals what was measured; "declared" only datasheet
 * figures (a device without a profile has no TPP there).  The other basis (measured for
 * rule and declared, rule for measured) is always totalled beside the chosen one.
 *
 * A device whose zone cannot be decided (nothing measured, or a die area the zone depends
 * on is unknown) is undetermined.  A quantity is exceeded when the counted devices exceed
 * it, undetermined when the undetermined devices (and borderline ones that could be
 * counted) would exceed it if they were counted, and fits only otherwise.  Devices are
 * counted once: by UUID, else by host, PCI bus id and file (a hash table: adding n devices
 * costs O(n)).  A fleet keeps a summary of each device, not its result.
 */
#ifndef TPP_FLEET_H
#define TPP_FLEET_H

#include <jansson.h>
#include <stdio.h>

#include "tpp/profile.h"
#include "tpp/result.h"
#include "tpp/rules.h"

#define TPP_FLEET_MAX_GROUPS 32
/* Of `fleet --json` ("kind": "fleet"); 1 is the first to carry one. */
#define TPP_FLEET_SCHEMA_VERSION 1

/* The rule's basis is the default (the zero value). */
enum tpp_fleet_basis {
  TPP_FLEET_RULE,
  TPP_FLEET_MEASURED,
  TPP_FLEET_DECLARED,
  TPP_FLEET_BASIS_COUNT
};

const char *tpp_fleet_basis_name(enum tpp_fleet_basis b); /* "rule", "measured", "declared" */
int tpp_fleet_basis_parse(const char *name, enum tpp_fleet_basis *out);

/* A fleet's or a quantity's verdict; undetermined is the zero value (never "fits"). */
enum tpp_fleet_verdict { TPP_FLEET_UNDETERMINED, TPP_FLEET_FITS, TPP_FLEET_EXCEEDED };

const char *tpp_fleet_verdict_name(enum tpp_fleet_verdict v); /* "undetermined", "fits", ... */
/* 0 fits, 1 exceeded, 3 undetermined. */
int tpp_fleet_verdict_exit_status(enum tpp_fleet_verdict v);

struct tpp_fleet_group {
  enum tpp_zone zone;
  const char *clause; /* NULL: not controlled, or (per-zone groups) all clauses */
  size_t devices;
  double tpp;
};

/* One device on one basis under one reading of the rule. */
struct tpp_fleet_outcome {
  double tpp;         /* NAN unknown */
  const char *basis;  /* what TPP came from: "declared", "measured", "none" */
  enum tpp_zone zone; /* indeterminate: undetermined */
  const char *clause;
  int borderline;
  enum tpp_zone borderline_zone;
  int may_count;   /* undetermined, and a counted zone is among its possible ones */
  int lower_bound; /* tpp is a lower bound: the device could add more */
};

/* [0]: the chosen basis, [1]: the other one. */
#define TPP_FLEET_BASES 2

/* A device, as the totals and the device list need it (the result itself is not kept).
 * The strings and outcomes belong to the fleet; a string never recorded is "". */
struct tpp_fleet_device {
  const char *file;     /* the result file, as given */
  const char *host;     /* the result's host name (host.hostname) */
  const char *selector; /* the device's selector in that run: "cuda:3", "opencl:0.0" */
  const char *name;
  const char *pci_bus_id; /* "dddd:bb:dd.f" */
  const char *uuid;
  const char *profile; /* the matched device profile's id */
  const char *key;     /* the identity it is counted once by */
  /* The file's claims (claims.h): a disputed profile was not used (why says what). */
  unsigned char profile_claim, disputed, die_area_user, datacenter_user;
  /* From a run stopped before every row was measured ("complete": false): its measured TPP
   * is a lower bound, so it is undetermined unless that cannot matter. */
  unsigned char interrupted;
  const char *why; /* NULL unless disputed */
  /* on[b][k]: basis b (0 chosen, 1 other) under reading k (0 the chosen reading, then the
   * rule set's other readings in tpp_ruleset_readings order; n_readings of them). */
  struct tpp_fleet_outcome *on[TPP_FLEET_BASES];
};

/* A device given twice (same identity key): counted from `first`, dropped from `again`. */
struct tpp_fleet_dup {
  const char *name, *key, *first, *again;
};

/* A file left out of the totals: skipped (not a tppbench result) or not read (unreadable or
 * malformed, with --keep-going); `why` is the note or the error message. */
struct tpp_fleet_file_note {
  const char *file, *why;
};

/* Totals of one basis under one reading. */
struct tpp_fleet_tally {
  enum tpp_fleet_basis basis;
  struct tpp_reading reading;
  size_t n_devices;
  size_t n_undetermined; /* zone indeterminate */
  size_t n_unknown_tpp;  /* of those, no TPP at all */
  size_t n_lower_bound;  /* devices whose TPP is a lower bound (measured): no total fits */
  size_t n_borderline;
  size_t n_basis_declared, n_basis_measured; /* where each device's TPP came from */
  double total_tpp;                          /* determined devices */
  double undetermined_tpp; /* known TPP of undetermined devices that may be counted */
  double possible_tpp;     /* borderline devices counted at their other zone, not now */
  double doubtful_tpp;     /* counted borderline devices not counted at their other zone */
  struct tpp_fleet_group zones[TPP_ZONE_COUNT];
  struct tpp_fleet_group clauses[TPP_FLEET_MAX_GROUPS];
  size_t n_clauses;
  double counted_tpp; /* devices in the accounting's counted zones */
  size_t counted_devices;
  /* Files were not read (--keep-going): they could hold any number of devices, so nothing
   * fits and the totals are lower bounds. */
  int incomplete;
};

struct tpp_fleet_store; /* fleet.c: the strings and outcomes of the devices */

/* The profile matches of devices that a result records without a profile, by identity:
 * the same CPU or unknown GPU in every file of a fleet is matched once, not in each. */
struct tpp_fleet_memo;
struct tpp_fleet_memo *tpp_fleet_memo_new(void);
void tpp_fleet_memo_free(struct tpp_fleet_memo *m);

struct tpp_fleet {
  const struct tpp_ruleset *rs;
  enum tpp_fleet_basis basis, other;
  struct tpp_reading readings[TPP_MAX_READINGS]; /* [0] the chosen reading */
  size_t n_readings;
  struct tpp_fleet_device *devices;
  size_t n_devices, cap;
  size_t n_results;
  struct tpp_fleet_dup *dups;
  size_t n_dups, cap_dups;
  struct tpp_fleet_file_note *skipped, *not_read;
  size_t n_skipped, cap_skipped, n_not_read, cap_not_read;
  size_t *slots; /* hash of keys: device index + 1, 0 empty */
  size_t n_slots;
  struct tpp_fleet_store *store;
  struct tpp_fleet_memo *memo; /* borrowed, may be NULL: used by tpp_fleet_add */
  char why[400];               /* why tpp_fleet_add failed, "" when it did not say */
};

void tpp_fleet_init(struct tpp_fleet *f, const struct tpp_ruleset *rs, enum tpp_fleet_basis basis);
/* Add every device of a result (a device already added under the same identity is
 * recorded in dups and not counted again).  profiles (may be NULL): a device without a
 * profile is matched to one (its die area and datasheet TPP then count). */
int tpp_fleet_add(struct tpp_fleet *f, const char *file, struct tpp_result *r,
                  const struct tpp_profile_set *profiles);
/* Add what another fleet over the same rule set, basis and readings holds (its devices,
 * duplicates, results and notes), as if its results had been added here: a device already
 * here is recorded as a duplicate.  For reading results in parallel: one small fleet per
 * file, merged in the order of the files. */
int tpp_fleet_merge(struct tpp_fleet *f, const struct tpp_fleet *part);
/* A file left out: skipped (not a result) or not read (--keep-going past a bad file). */
int tpp_fleet_note_skipped(struct tpp_fleet *f, const char *file, const char *why);
int tpp_fleet_note_not_read(struct tpp_fleet *f, const char *file, const char *why);
void tpp_fleet_free(struct tpp_fleet *f);

/* Totals on basis b (0 chosen, 1 other) under reading k. */
void tpp_fleet_tally(const struct tpp_fleet *f, int b, size_t k, struct tpp_fleet_tally *t);
/* A quantity's verdict and the fleet's (every quantity; without quantities, undetermined
 * when a device is).  Files not read make every verdict but "exceeded" undetermined. */
enum tpp_fleet_verdict tpp_fleet_quantity_verdict(const struct tpp_fleet_tally *t,
                                                  const struct tpp_quantity *q);
enum tpp_fleet_verdict tpp_fleet_verdict(const struct tpp_fleet *f,
                                         const struct tpp_fleet_tally *t);
/* The fleet's verdict on the chosen basis under the chosen reading. */
enum tpp_fleet_verdict tpp_fleet_result(const struct tpp_fleet *f);

json_t *tpp_fleet_to_json(const struct tpp_fleet *f);
void tpp_fleet_print(const struct tpp_fleet *f, FILE *out);

#endif
