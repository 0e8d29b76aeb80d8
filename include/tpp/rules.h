/* rules.h - rule sets (data files under profiles/rules/) and the classifier.
 *
 * A rule set is an ordered list of clauses.  Each clause names the zone it puts a chip in
 * and the conditions on the chip's metrics (TPP, performance density) as half-open
 * intervals: "min" is inclusive ("or more"), "below" is exclusive ("less than"), the
 * wording of 3A090.  A clause may apply only to datacenter or only to non-datacenter
 * chips.  The first clause that matches decides; no match means "white" (not controlled).
 * No threshold lives in code: docs/rules.md documents the file format.
 */
#ifndef TPP_RULES_H
#define TPP_RULES_H

#include <jansson.h>
#include <stddef.h>
#include <stdio.h>

#include "tpp/error.h"

#define TPP_RULES_MAX_CLAUSES 16
#define TPP_RULES_MAX_THRESHOLDS 32
#define TPP_RULES_MAX_RANGES 32
#define TPP_RULES_SCHEMA_VERSION 1
#define TPP_RULES_DEFAULT "eccn-3a090-2023"

enum tpp_zone { TPP_ZONE_WHITE, TPP_ZONE_GREY, TPP_ZONE_BLACK, TPP_ZONE_INDETERMINATE };

/* The metrics a clause may test ("tpp", "pd" in the files). */
enum tpp_metric { TPP_METRIC_TPP, TPP_METRIC_PD, TPP_METRIC_COUNT };

/* Which chips a clause applies to ("applies_to" in the file; default: all). */
enum tpp_scope { TPP_SCOPE_ALL, TPP_SCOPE_DATACENTER, TPP_SCOPE_NON_DATACENTER };

struct tpp_bound {
  int used;      /* the clause tests this metric */
  int has_min;   /* value >= min */
  double min;
  int has_below; /* value < below */
  double below;
};

struct tpp_clause {
  char id[32];     /* "3A090.a.1" */
  enum tpp_zone zone;
  enum tpp_scope scope;
  struct tpp_bound when[TPP_METRIC_COUNT];
  char note[256];  /* e.g. "License Exception NAC/ACA eligible" */
};

struct tpp_ruleset {
  char id[64];           /* "eccn-3a090-2023" */
  char title[256];
  char source[512];      /* citation(s) */
  char effective[32];    /* "2023-11-17" */
  char path[512];        /* file it was loaded from */
  struct tpp_clause clauses[TPP_RULES_MAX_CLAUSES];
  size_t n_clauses;
};

/* What the classifier needs to know about a chip. */
struct tpp_chip_facts {
  double tpp;          /* NAN when unknown (nothing measured) */
  double die_area_mm2; /* NAN when unknown */
  int datacenter;      /* 1: designed or marketed for datacenters; 0: not */
};

/* Distance from a metric to one threshold a rule set uses. */
struct tpp_margin {
  enum tpp_metric metric;
  double threshold;
  double value;   /* NAN when the metric is unknown */
  double margin;  /* value - threshold; NAN when unknown */
};

/* For an unknown die area: the areas (mm²) that give each outcome.  An interval runs from
 * lo to hi (always (lo, hi]: "pd >= t" is "area <= TPP/t"); hi is INFINITY for the last.
 * Filled whenever TPP is known and the area is not: one range means the outcome does not
 * depend on the area, several mean it does (zone indeterminate). */
struct tpp_area_range {
  double lo, hi;
  int lo_inclusive, hi_inclusive;
  enum tpp_zone zone;
  const char *clause; /* id of the deciding clause, or NULL (not controlled) */
};

struct tpp_classification {
  const char *rules_id;  /* points into the rule set */
  double tpp;            /* NAN when unknown */
  double pd;             /* NAN when unknown */
  double die_area_mm2;   /* NAN when unknown */
  int datacenter;
  enum tpp_zone zone;
  const char *clause;    /* deciding clause id, NULL when none (white or indeterminate) */
  const char *note;      /* the deciding clause's note, or NULL */
  char reason[512];      /* one sentence a person can read */
  struct tpp_margin margins[TPP_RULES_MAX_THRESHOLDS];
  size_t n_margins;
  struct tpp_area_range ranges[TPP_RULES_MAX_RANGES]; /* only when die area is unknown */
  size_t n_ranges;
};

const char *tpp_zone_name(enum tpp_zone z);        /* "black" ... "indeterminate" */
const char *tpp_metric_name(enum tpp_metric m);    /* "tpp", "pd" */

/* A classification points into its rule set (rules_id, clause, note, ranges[].clause):
 * keep the rule set alive while the classification is used.
 *
 * Parse a rule set from text (`name` is used in messages).  TPP_EPARSE with the diag
 * naming file, line, column and field for anything malformed: unknown keys, wrong types,
 * an empty interval (min >= below), an unknown zone, metric or scope, too many clauses,
 * a missing id, or a schema_version other than TPP_RULES_SCHEMA_VERSION.  Limits: at most
 * TPP_RULES_MAX_THRESHOLDS distinct (metric, threshold) pairs and TPP_RULES_MAX_RANGES - 1
 * distinct PD thresholds, so the fixed arrays of a classification never overflow. */
int tpp_ruleset_parse(const char *name, const char *text, struct tpp_ruleset *rs,
                      struct tpp_diag *diag);
int tpp_ruleset_load(const char *path, struct tpp_ruleset *rs, struct tpp_diag *diag);

/* Resolve NAME-or-FILE: something containing '/' or ending in ".json" is a file; otherwise
 * `<dir>/<name>.json` for each dir in `search_dirs` (NULL-terminated), first found wins.
 * TPP_ENOENT (diag names what was tried) when nothing matches. */
int tpp_ruleset_open(const char *name_or_file, const char *const *search_dirs,
                     struct tpp_ruleset *rs, struct tpp_diag *diag);

/* Classify.  Never fails for valid inputs; TPP_EINVAL for a negative or zero die area or a
 * negative TPP. */
int tpp_classify(const struct tpp_ruleset *rs, const struct tpp_chip_facts *facts,
                 struct tpp_classification *out);

/* The classification as a JSON object (new reference):
 *   { "rules", "tpp", "performance_density", "die_area_mm2", "datacenter", "zone",
 *     "clause", "note", "reason",
 *     "margins": [ {"metric", "threshold", "value", "margin"} ... ],
 *     "die_area_ranges": [ {"min_mm2", "max_mm2", "min_inclusive", "max_inclusive",
 *                           "zone", "clause"} ... ]   (empty when the area is known) }
 * Unknown numbers are null; max_mm2 is null for an open upper end. */
json_t *tpp_classification_to_json(const struct tpp_classification *c);

/* Readable multi-line explanation for the terminal. */
void tpp_classification_print(const struct tpp_classification *c, FILE *out);

#endif
