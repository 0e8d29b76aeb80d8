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
#include "tpp/metrics.h"

#define TPP_RULES_MAX_CLAUSES 16
#define TPP_RULES_MAX_THRESHOLDS 32
#define TPP_RULES_MAX_RANGES 32
#define TPP_RULES_SCHEMA_VERSION 1
#define TPP_RULES_DEFAULT "eccn-3a090-2023"

/* Indeterminate is the zero value: a classification that was never made (a cleared
 * struct, a device that could not be measured) never reads as white.  White, grey and
 * black are in order of severity. */
enum tpp_zone {
  TPP_ZONE_INDETERMINATE,
  TPP_ZONE_WHITE,
  TPP_ZONE_GREY,
  TPP_ZONE_BLACK,
  TPP_ZONE_COUNT
};

/* The metrics a clause may test; the file spelling is tpp_metric_name(): "tpp", "pd",
 * "interconnect_gbs" (aggregate bidirectional chip-to-chip I/O, GB/s: the 2022 rule) and
 * "dram_bandwidth_gbs" (total DRAM bandwidth, GB/s: the January 2026 policy). */
enum tpp_metric {
  TPP_METRIC_TPP,
  TPP_METRIC_PD,
  TPP_METRIC_INTERCONNECT,
  TPP_METRIC_DRAM_BW,
  TPP_METRIC_COUNT
};

/* Which chips a clause applies to ("applies_to" in the file; default: all). */
enum tpp_scope { TPP_SCOPE_ALL, TPP_SCOPE_DATACENTER, TPP_SCOPE_NON_DATACENTER };

struct tpp_bound {
  int used;    /* the clause tests this metric */
  int has_min; /* value >= min */
  double min;
  int has_below; /* value < below */
  double below;
};

struct tpp_clause {
  char id[32]; /* "3A090.a.1" */
  enum tpp_zone zone;
  enum tpp_scope scope;
  struct tpp_bound when[TPP_METRIC_COUNT];
  char note[256]; /* e.g. "NAC/ACA-eligible (notification to BIS, which may require a licence)" */
};

/* How sure a number in the data is (docs/rules.md): "primary" (the rule text), "secondary"
 * (a summary of it), "derived" (arithmetic on those), "recalled" (no source at hand). */
enum tpp_confidence {
  TPP_CONF_PRIMARY,
  TPP_CONF_SECONDARY,
  TPP_CONF_DERIVED,
  TPP_CONF_RECALLED,
  TPP_CONF_COUNT
};

#define TPP_ACCOUNTING_MAX 8

/* A TPP quantity a fleet is compared with (the AI Diffusion allowances), or a share limit
 * (the UVEU percentages).  Exactly one of tpp, max_fraction, min_fraction is set (others
 * NAN). */
struct tpp_quantity {
  char id[32];
  char title[160];
  char per[96]; /* "ultimate consignee per calendar year" */
  double tpp;
  double max_fraction, min_fraction;
  enum tpp_confidence confidence;
  char source[384];
};

/* Optional "accounting" section of a rule set: how fleets are totalled. */
struct tpp_accounting {
  char unit_name[48]; /* "H100-equivalent" */
  double unit_tpp;    /* 15831.2; NAN when the set has no accounting */
  enum tpp_confidence unit_confidence;
  char unit_source[384];
  unsigned counted_zones; /* bit (1u << zone): whose TPP counts against the quantities */
  struct tpp_quantity quantities[TPP_ACCOUNTING_MAX];
  size_t n_quantities;
  struct tpp_quantity shares[TPP_ACCOUNTING_MAX];
  size_t n_shares;
};

const char *tpp_confidence_name(enum tpp_confidence c);

#define TPP_TF32_READINGS 4
#define TPP_MAX_READINGS (TPP_READ_COUNT * TPP_TF32_READINGS)

/* Optional "interpretations" section of a rule set: the readings of TPP it admits, each
 * with its source, the first of each list being the default (docs/rules.md).  A rule set
 * without the section gets the built-in lists: highest then aggregate, TF32 as 32 then 19
 * bits.  `chosen` is the reading verdicts are given under: the defaults, unless the
 * command line chose another (--tpp-reading, --tf32-bits). */
struct tpp_readings {
  enum tpp_tpp_reading tpp[TPP_READ_COUNT];
  char tpp_source[TPP_READ_COUNT][1024];
  size_t n_tpp;
  int tf32_bits[TPP_TF32_READINGS];
  char tf32_source[TPP_TF32_READINGS][1024];
  size_t n_tf32;
  struct tpp_reading chosen;
};

struct tpp_ruleset {
  char id[64]; /* "eccn-3a090-2023" */
  char title[256];
  char source[512];   /* citation(s) */
  char effective[32]; /* "2023-11-17" */
  char path[512];     /* file it was loaded from */
  char sha256[65];    /* SHA-256 of the bytes parsed (provenance.h) */
  struct tpp_clause clauses[TPP_RULES_MAX_CLAUSES];
  size_t n_clauses;
  struct tpp_accounting accounting; /* n_quantities == 0 when the file has none */
  struct tpp_readings readings;
};

/* Make `r` the reading verdicts are given under.  TPP_EINVAL (diag naming `field`, the
 * option that asked) when the rule set does not list it. */
int tpp_ruleset_choose_reading(struct tpp_ruleset *rs, const struct tpp_reading *r,
                               const char *field, struct tpp_diag *diag);
/* Every reading the rule set admits (the cross product of its lists), chosen first; their
 * number (at most TPP_MAX_READINGS). */
size_t tpp_ruleset_readings(const struct tpp_ruleset *rs, struct tpp_reading *out);

/* What the classifier needs to know about a chip.  Start from tpp_chip_facts_init(). */
struct tpp_chip_facts {
  double tpp;              /* NAN when unknown (nothing measured) */
  double die_area_mm2;     /* NAN when unknown */
  int datacenter;          /* 1: designed or marketed for datacenters; 0: not */
  double interconnect_gbs; /* NAN when unknown */
  double dram_bw_gbs;      /* NAN when unknown */
  /* The measured spread (lowest and highest timed sample) of TPP and DRAM bandwidth, NAN
   * when there is none: a threshold inside it makes the verdict borderline. */
  double tpp_lo, tpp_hi;
  double dram_bw_lo, dram_bw_hi;
  /* TPP is a lower bound (a kernel known to stay below the device's peak path set it): the
   * true TPP is tpp or more.  The zone is decided only when no higher TPP changes it. */
  int tpp_lower_bound;
  /* The TPP an ok figure that nothing bounded from above (no per-clock peak to check it
   * against) would give, when it is above tpp; NAN none.  Not counted in tpp: when it would
   * give another zone the verdict is borderline. */
  double tpp_unchecked;
};

/* Everything unknown, datacenter chip. */
void tpp_chip_facts_init(struct tpp_chip_facts *f);

/* Distance from a metric to one threshold a rule set uses. */
struct tpp_margin {
  enum tpp_metric metric;
  double threshold;
  double value;  /* NAN when the metric is unknown */
  double margin; /* value - threshold; NAN when unknown */
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

/* A condition on one metric: lo <= value < hi (lo 0 and hi INFINITY when open). */
struct tpp_condition {
  enum tpp_metric metric;
  double lo, hi;
  int holds; /* the chip's value already satisfies it */
};

#define TPP_MAX_SCENARIOS 16

/* A region of the metric space with one outcome: the classification under an unknown
 * metric (one scenario per interval of it), or an alternative outcome (explain.h). */
struct tpp_scenario {
  struct tpp_condition conds[TPP_METRIC_COUNT];
  size_t n_conds;
  enum tpp_zone zone;
  const char *clause; /* deciding clause, or NULL (not controlled, or several clauses) */
};

/* The outcome under another reading of the rule (tpp_classify_figures). */
struct tpp_reading_outcome {
  struct tpp_reading reading;
  int evaluated; /* 0: the figures do not allow this reading (why says why) */
  char why[128];
  double tpp;         /* NAN unless evaluated */
  enum tpp_zone zone; /* indeterminate unless evaluated */
  const char *clause;
  int differs; /* evaluated, and the zone is not the classification's */
};

struct tpp_classification {
  const char *rules_id;    /* points into the rule set */
  double tpp;              /* NAN when unknown */
  double pd;               /* NAN when unknown */
  double die_area_mm2;     /* NAN when unknown */
  double interconnect_gbs; /* NAN when unknown */
  double dram_bw_gbs;      /* NAN when unknown */
  int datacenter;
  enum tpp_zone zone;
  const char *clause; /* deciding clause id, NULL when none (white or indeterminate) */
  const char *note;   /* the deciding clause's note, or NULL */
  char reason[512];   /* one sentence a person can read */
  struct tpp_margin margins[TPP_RULES_MAX_THRESHOLDS];
  size_t n_margins;
  struct tpp_area_range ranges[TPP_RULES_MAX_RANGES]; /* only when die area is unknown */
  size_t n_ranges;
  /* When a metric other than PD that decides the outcome is unknown (interconnect, DRAM
   * bandwidth): the outcome for each of its intervals, and the zone is indeterminate. */
  struct tpp_scenario scenarios[TPP_MAX_SCENARIOS];
  size_t n_scenarios;
  /* TPP is a lower bound (facts.tpp_lower_bound).  When a higher TPP would change the zone,
   * the zone is indeterminate, scenarios[] give the outcome by TPP from the measured one up
   * (the last may be indeterminate: "and above") and at_least is the least severe of them. */
  int tpp_lower_bound;
  enum tpp_zone at_least; /* indeterminate unless a lower bound made the zone so */
  double tpp_unchecked;   /* facts.tpp_unchecked (NAN none) */
  /* Borderline: a threshold lies inside the measured spread, and the lowest or highest
   * sample would give another zone, or an unchecked figure (tpp_unchecked) would.
   * borderline_zone is that other zone. */
  int borderline;
  enum tpp_zone borderline_zone;
  char borderline_reason[256];
  /* The reading of the rule TPP was computed under, and (tpp_classify_figures only) the
   * outcome under every other reading the rule set admits.  interpretation_sensitive: some
   * other reading gives another zone. */
  struct tpp_reading reading;
  struct tpp_reading_outcome readings[TPP_MAX_READINGS];
  size_t n_readings;
  int interpretation_sensitive;
};

const char *tpp_zone_name(enum tpp_zone z);               /* "black" ... "indeterminate" */
int tpp_zone_parse(const char *name, enum tpp_zone *out); /* 0 or TPP_EINVAL */
/* The worse of two zones for a node of several devices: black, else indeterminate (it may be
 * black), else grey, else white. */
enum tpp_zone tpp_zone_worse(enum tpp_zone a, enum tpp_zone b);
const char *tpp_metric_name(enum tpp_metric m);  /* "tpp", "pd", ... (file spelling) */
const char *tpp_metric_label(enum tpp_metric m); /* "TPP", "PD", "interconnect", ... */
const char *tpp_metric_unit(enum tpp_metric m);  /* "", "", " GB/s", " GB/s" */
/* The chip's value of a metric in a classification (NAN unknown). */
double tpp_classification_value(const struct tpp_classification *c, enum tpp_metric m);

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

/* Figures a TPP is read from: dense peaks (datasheet or measured), each with the lowest
 * and highest timed sample when measured (lo, hi NULL: no spread) and whether it is a lower
 * bound (lower_bound NULL: none is); and the figures nothing bounded from above, which are
 * not in TPP (tpp_chip_facts.tpp_unchecked). */
struct tpp_figures {
  const struct tpp_peak *peaks;
  const double *lo, *hi;
  const int *lower_bound;
  size_t n;
  const struct tpp_peak *unchecked;
  size_t n_unchecked;
};

/* Classify under the rule set's chosen reading, TPP (and its spread) read from the
 * figures; base gives everything else (its tpp fields are ignored).  Then classify under
 * every other reading the rule set admits and record each in out->readings.  0, or
 * TPP_EINVAL when the chosen reading cannot be read from the figures (aggregate without
 * units) or for bad facts. */
int tpp_classify_figures(const struct tpp_ruleset *rs, const struct tpp_chip_facts *base,
                         const struct tpp_figures *fig, struct tpp_classification *out);

/* A classification that could not be made: zone indeterminate, every number unknown, the
 * reason given. */
void tpp_classification_unknown(struct tpp_classification *out, const struct tpp_ruleset *rs,
                                const char *reason);

/* The classification as a JSON object (new reference):
 *   { "rules", "tpp", "performance_density", "die_area_mm2", "datacenter", "zone",
 *     "clause", "note", "reason",
 *     "margins": [ {"metric", "threshold", "value", "margin"} ... ],
 *     "die_area_ranges": [ {"min_mm2", "max_mm2", "min_inclusive", "max_inclusive",
 *                           "zone", "clause"} ... ]   (empty when the area is known) }
 * Unknown numbers are null; max_mm2 is null for an open upper end. */
json_t *tpp_classification_to_json(const struct tpp_classification *c);
/* {"metric", "min" (null when 0), "below" (null when open), "holds"} */
json_t *tpp_condition_to_json(const struct tpp_condition *cd);
/* {"conditions": [...], "zone", "clause", "text"} */
json_t *tpp_scenario_to_json(const struct tpp_scenario *sc);

/* Could the chip be in zone z?  Its zone, or for an indeterminate classification one of the
 * outcomes it lists (area ranges, scenarios); any zone when TPP is unknown or nothing is
 * listed. */
int tpp_classification_possible(const struct tpp_classification *c, enum tpp_zone z);

/* The distinct thresholds (sorted, at most cap) that clauses applying to a chip with this
 * datacenter flag put on metric m; their number. */
size_t tpp_rules_thresholds(const struct tpp_ruleset *rs, int datacenter, enum tpp_metric m,
                            double *t, size_t cap);

/* First clause (index) that applies to a chip with these metric values and matches, or -1
 * (not controlled).  v[] holds every metric, PD included (NAN fails every bound on it). */
int tpp_rules_first_match(const struct tpp_ruleset *rs, int datacenter,
                          const double v[TPP_METRIC_COUNT]);

/* "TPP < 4800", "2400 <= TPP < 4800", "interconnect >= 600 GB/s". */
void tpp_condition_format(char *buf, size_t len, const struct tpp_condition *cd);

/* Readable multi-line explanation for the terminal. */
void tpp_classification_print(const struct tpp_classification *c, FILE *out);

#endif
