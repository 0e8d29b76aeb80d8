/* fleet.h - totals over many results: devices and TPP per zone and per clause,
 * equivalents of the rule set's accounting unit (H100-equivalents), and the counted TPP
 * against the rule set's quantities (the AI Diffusion allowances) and shares.
 *
 * The basis is the measured TPP of each device, or (TPP_FLEET_DECLARED) the datasheet TPP
 * of its profile where it has one: the rules count theoretical peaks, and a measurement
 * reads below them.
 */
#ifndef TPP_FLEET_H
#define TPP_FLEET_H

#include <jansson.h>
#include <stdio.h>

#include "tpp/profile.h"
#include "tpp/result.h"
#include "tpp/rules.h"

#define TPP_FLEET_MAX_GROUPS 32

enum tpp_fleet_basis { TPP_FLEET_MEASURED, TPP_FLEET_DECLARED };

struct tpp_fleet_group {
  enum tpp_zone zone;
  const char *clause; /* NULL: not controlled, or (per-zone groups) all clauses */
  size_t devices;
  double tpp;
};

struct tpp_fleet_device {
  char file[256];
  char selector[32];
  char name[96];
  char profile[64];   /* "" none */
  double tpp;         /* on the chosen basis; NAN nothing measured */
  const char *basis;  /* "measured", "declared" */
  struct tpp_classification cls;
};

struct tpp_fleet {
  const struct tpp_ruleset *rs;
  enum tpp_fleet_basis basis;
  struct tpp_fleet_device *devices;
  size_t n_devices, cap;
  size_t n_results;
  size_t n_unknown;    /* devices with no TPP or an indeterminate zone */
  size_t n_borderline;
  double total_tpp;
  struct tpp_fleet_group zones[TPP_ZONE_INDETERMINATE + 1];
  struct tpp_fleet_group clauses[TPP_FLEET_MAX_GROUPS];
  size_t n_clauses;
  double counted_tpp;  /* devices in the accounting's counted zones */
  size_t counted_devices;
};

void tpp_fleet_init(struct tpp_fleet *f, const struct tpp_ruleset *rs, enum tpp_fleet_basis basis);
/* Add every device of a result.  profiles (may be NULL): a device without a profile is
 * matched to one (its die area then counts), and the declared basis looks TPP up there. */
int tpp_fleet_add(struct tpp_fleet *f, const char *file, struct tpp_result *r,
                  const struct tpp_profile_set *profiles);
void tpp_fleet_free(struct tpp_fleet *f);

json_t *tpp_fleet_to_json(const struct tpp_fleet *f);
void tpp_fleet_print(const struct tpp_fleet *f, FILE *out);

#endif
