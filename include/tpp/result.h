/* result.h - a run's result: devices, measurement rows, classification; JSON both ways.
 *
 * The JSON layout is documented in docs/result-schema.md.  Writing and reading are exact
 * inverses for everything but "classification", which a reader recomputes from the rows
 * with the rule set it is given.  Reading re-checks what the file derives from its rows
 * (tops against its samples' median, bit_tops, efficiency, the device's TPP, and with
 * tpp_result_load_checked the stored zone): a contradiction is bad input naming the field.
 */
#ifndef TPP_RESULT_H
#define TPP_RESULT_H

#include <jansson.h>

#include "tpp/backend.h"
#include "tpp/jsonread.h"
#include "tpp/profile.h"
#include "tpp/provenance.h"
#include "tpp/rules.h"
#include "tpp/stats.h"

#define TPP_RESULT_SCHEMA_VERSION 4 /* reads 1 to 4 */
#define TPP_RESULT_SCHEMA_VERSION_TEXT "4"
/* Relative tolerance of the re-checks on reading (docs/result-schema.md): two figures the
 * writer derives from each other agree to within rounding, far below 1e-9. */
#define TPP_RESULT_REL_TOL 1e-9
#define TPP_MAX_VARIANTS 4 /* kernels measured per precision and path */
#define TPP_MAX_ROWS (TPP_PRECISION_COUNT * TPP_PATH_COUNT * TPP_MAX_VARIANTS)
#define TPP_MAX_BW_ROWS 3
#define TPP_MAX_BACKENDS 8
/* A result is one node: more devices than this is bad input (docs/result-schema.md,
 * resource limits), so reading a file costs memory in proportion to what it holds. */
#define TPP_MAX_DEVICES 1024
/* Every number a result holds is finite and at most this in magnitude, in its unit (TOPS,
 * GB/s, MHz, W, mm², seconds): far above any device, and low enough that products (bit-TOPS)
 * and sums over any fleet stay finite.  Counts of operations or bytes per launch: at most
 * TPP_RESULT_MAX_COUNT. */
#define TPP_RESULT_MAX_FIGURE 1e9
#define TPP_RESULT_MAX_COUNT 1e21

/* "Not measured" (skipped) is the zero value: a cleared row never reads as ok. */
enum tpp_row_status {
  TPP_ROW_SKIPPED,
  TPP_ROW_UNSUPPORTED,
  TPP_ROW_ERROR,
  TPP_ROW_OK,
  TPP_ROW_STATUS_COUNT
};

const char *tpp_row_status_name(enum tpp_row_status s); /* "ok", "unsupported", ... */

/* One precision on one path. */
struct tpp_row {
  enum tpp_precision precision;
  enum tpp_path path;
  enum tpp_row_status status;
  char reason[256];                   /* why not ok; "" when ok */
  char kernel[48];                    /* variant measured */
  char kernel_sha256[TPP_SHA256_HEX]; /* of the embedded image the kernel came from; "" */
  double tops;                        /* median tera-ops/s (MAC = 2); NAN unless ok */
  struct tpp_stats stats;             /* over samples, in tera-ops/s */
  double ops_per_launch;
  struct tpp_telemetry telemetry; /* clock (mean, min, max), power, temperature, events */
  char clock_source[24];          /* owned copy of telemetry.clock_source */
  double peak_tops;               /* theoretical at clock_mhz; NAN unknown */
  double efficiency;              /* tops / peak_tops; NAN unknown */
  int verified;                   /* the output matched the host's values */
  /* ok, but no per-clock rate (or clock) was known, so the > 100% gate could not judge it:
   * shown, flagged, never counted in TPP (the same for every backend). */
  int unchecked;
  int lower_bound;  /* the kernel is known to stay below the device's peak path */
  int device_reset; /* a sticky error made the backend reset the device during the row */
  /* --repeat N: the N runs' medians (n = N; 0 without --repeat).  `stats` is then the run
   * whose median is the middle one, so tops = stats.median still holds. */
  struct tpp_stats runs;
};

/* Device-memory bandwidth, one access pattern. */
struct tpp_bw_row {
  char kind[8]; /* "read", "write", "copy" */
  enum tpp_row_status status;
  char reason[256];
  char kernel[48];
  char kernel_sha256[TPP_SHA256_HEX];
  double gbs;             /* median GB/s (1e9 bytes) */
  struct tpp_stats stats; /* in GB/s */
  double bytes_per_launch;
  int verified;
  int device_reset;
};

struct tpp_device_result {
  struct tpp_device_info info;
  char error[256]; /* why the device could not be measured; "" when it was */
  /* n_rows rows (at most TPP_MAX_ROWS), malloc'd to what the run measured or the file holds
   * (tpp_device_result_add_row; freed by tpp_device_result_free). */
  struct tpp_row *rows;
  size_t n_rows;
  struct tpp_bw_row bw[TPP_MAX_BW_ROWS];
  size_t n_bw;
  double die_area_mm2;      /* NAN unknown */
  char die_area_source[96]; /* "--die-area", "profile:<id>", "unknown" */
  int datacenter;           /* 1 unless --non-datacenter or a non-datacenter profile */
  int has_profile;          /* the device profile matched (or named) for this device */
  struct {
    char id[64];
    char name[96];
    char matched_by[128];        /* "pci 10de:2330, 132 SM, 80 GB", "--profile" */
    char file[512];              /* the profile file, as loaded */
    char sha256[TPP_SHA256_HEX]; /* of the bytes parsed */
    double die_area_mm2;         /* what the profile declares (NAN unknown) */
    int die_area_estimate;
    int datacenter;
    double memory_bw_gbs, interconnect_gbs;                     /* NAN unknown */
    struct tpp_advisory advisories[TPP_PROFILE_MAX_ADVISORIES]; /* the profile's, copied */
    size_t n_advisories;
  } profile;
  double interconnect_gbs; /* for rules that test it; NAN unknown */
  char interconnect_source[96];
  /* Derived by tpp_device_result_classify: the DRAM bandwidth the rules see (best ok
   * bandwidth row, else the profile's figure). */
  double dram_bw_gbs;
  char dram_bw_source[96];
  json_t *placement; /* topo.h's object, owned; may be NULL */
  /* The run was interrupted before every row of this device was measured: the rows it has
   * are real, the missing ones unknown, so its TPP is a lower bound. */
  int interrupted;
  double tpp;        /* from the ok, checked rows under cls.reading; NAN when none */
  int tpp_row;       /* index of the row that sets it, -1 */
  int tpp_row_other; /* the other unit's row under the aggregate reading, -1 */
  /* The highest bit*TOPS of an ok but unchecked row when it exceeds tpp (NAN otherwise):
   * reported beside TPP, never in it. */
  double tpp_unchecked;
  struct tpp_classification cls;
  /* What the file's "classification" said (reading only): re-checked against the rows. */
  struct {
    int present;
    char rules[64];
    enum tpp_zone zone;
    struct tpp_reading reading;
  } stored;
};

/* The ok rows of a device as figures for the classifier (fig points into the struct): the
 * counted ones (lower_bound flagged), and the unchecked ones apart. */
struct tpp_device_figures {
  struct tpp_peak peaks[TPP_MAX_ROWS];
  double lo[TPP_MAX_ROWS], hi[TPP_MAX_ROWS];
  int lower_bound[TPP_MAX_ROWS];
  int row[TPP_MAX_ROWS]; /* index into rows[] */
  struct tpp_peak unchecked[TPP_MAX_ROWS];
  struct tpp_figures fig;
};
void tpp_device_result_figures(const struct tpp_device_result *d, struct tpp_device_figures *out);

struct tpp_result {
  char tool_version[32];
  char git_describe[64]; /* `git describe` of the source tppbench was built from */
  char created[32];      /* UTC, ISO 8601 */
  double budget_s;       /* per-row time budget used */
  json_t *host;          /* topo.h's host object, owned; may be NULL */
  struct {
    char name[16];
    struct tpp_backend_status status;
  } backends[TPP_MAX_BACKENDS];
  size_t n_backends;
  struct tpp_device_result *devices;
  size_t n_devices;
  int has_provenance; /* written by a tppbench that records it (schema 4) */
  struct tpp_provenance prov;
  json_t *labels;              /* --label KEY=VALUE: an object of strings, owned; NULL none */
  int repeat;                  /* --repeat: whole measurements per row (0 read as 1) */
  int incomplete;              /* interrupted: some requested rows were never measured */
  char incomplete_reason[256]; /* "interrupted by SIGINT after 5 of 22 rows" */
  json_t *warnings;            /* array of strings: what may have disturbed the run; may be NULL */
  struct {
    int present;    /* written by `run` (schema 4); the rest is derived from devices[] */
    int concurrent; /* the devices were measured at once, one thread each */
    double wall_s;  /* wall time of the measurement */
  } node;
};

/* A row added at the end of d->rows (grown by one), cleared: skipped, every figure unknown
 * (NAN), telemetry cleared.  NULL when d already holds TPP_MAX_ROWS rows or out of memory. */
struct tpp_row *tpp_device_result_add_row(struct tpp_device_result *d);
/* Release what a device result owns (its rows, its placement), leaving none. */
void tpp_device_result_free(struct tpp_device_result *d);

/* The index of the first device of a test driver (identity "simulated": its figures are not
 * measurements), or -1 when there is none. */
long tpp_result_find_simulated(const struct tpp_result *r);

/* Does the row count towards TPP?  ok and checked against its per-clock peak. */
int tpp_row_counts(const struct tpp_row *r);

/* Is the device's TPP a lower bound (a row setting it is flagged lower_bound)? */
int tpp_device_result_tpp_lower_bound(const struct tpp_device_result *d);

/* The facts the rules see for a classified device: TPP, die area, datacenter flag,
 * interconnect, DRAM bandwidth and the measured spreads (TPP under cls.reading). */
void tpp_device_result_facts(const struct tpp_device_result *d, struct tpp_chip_facts *f);

/* TPP from the device's ok rows under the rule set's chosen reading, then classify against
 * rs under every reading (fills tpp, tpp_row, dram_bw_*, cls).  The measured spread (lowest
 * and highest samples) is passed on, so a threshold inside it makes the verdict
 * borderline.  A device that was not measured is indeterminate. */
int tpp_device_result_classify(struct tpp_device_result *d, const struct tpp_ruleset *rs);

/* A device that could not be measured (opening or preparing it failed): its rows are
 * dropped, TPP is unknown and `why` is kept, so it is written as not measured (zone
 * indeterminate once classified), never as a white device of TPP 0. */
void tpp_device_result_not_measured(struct tpp_device_result *d, const char *why);

/* How a run went: *failed devices not measured, *errors rows (compute or bandwidth) that
 * ended in an error, *measured ok rows (each may be NULL).  The exit status of `run`: 0
 * when every device was measured, something was, and no row ended in an error; else 1. */
int tpp_result_run_status(const struct tpp_result *r, size_t *failed, size_t *errors,
                          size_t *measured);

/* The document; NULL when out of memory (never one with keys missing). */
json_t *tpp_result_to_json(const struct tpp_result *r);

/* Read a result document (as written by tpp_result_to_json).  TPP_EPARSE with the diag
 * naming file, line and field for anything malformed. */
int tpp_result_from_json(struct tpp_jctx *c, json_t *root, struct tpp_result *r);
int tpp_result_load(const char *file, struct tpp_result *r, struct tpp_diag *diag);
/* tpp_result_load, and every device whose stored classification was made under rs's id is
 * classified again (under the stored reading): a zone that differs is TPP_EPARSE naming
 * devices[i].classification.zone.  The devices are left classified. */
int tpp_result_load_checked(const char *file, const struct tpp_ruleset *rs, struct tpp_result *r,
                            struct tpp_diag *diag);
/* The same for the text of a file already read (`name` names it in messages). */
int tpp_result_parse_checked(const char *name, const char *text, const struct tpp_ruleset *rs,
                             struct tpp_result *r, struct tpp_diag *diag);
/* The same for a document already parsed (tpp_jparse_file's callback). */
int tpp_result_from_json_checked(struct tpp_jctx *c, json_t *root, const struct tpp_ruleset *rs,
                                 struct tpp_result *r);
/* Does a parsed document claim to be a result?  It does when "tool" names tppbench and it
 * has no "kind" (tppbench's reports, `fleet --json`, carry one), or, in files of schema 1,
 * which may lack "tool", when it has "schema_version" and "devices".  1 when it does (read
 * it strictly then: a bad result is bad input); 0 with *what saying what it is instead. */
int tpp_result_recognise(json_t *root, char *what, size_t len);

void tpp_result_free(struct tpp_result *r);

/* The schema section of docs/result-schema.md, generated from the table the writer and the
 * reader use (malloc'd Markdown; NULL when out of memory). */
char *tpp_result_schema_markdown(void);
/* The same table as a JSON Schema (2020-12) of result files of every version it reads
 * (docs/result.schema.json): malloc'd text ending in a newline; NULL when out of memory. */
char *tpp_result_json_schema(void);

struct tpp_profile;
struct tpp_profile_match;
/* Record a matched (or named) profile on a device result: its identity, and its die area
 * (unless the area came from --die-area), datacenter flag (unless `dc_forced`) and
 * interconnect (unless given). */
void tpp_device_result_set_profile(struct tpp_device_result *d, const struct tpp_profile *p,
                                   const char *matched_by, int dc_forced);

/* A profile's datasheet peaks as figures for the classifier (units known, no spread);
 * their number (at most cap). */
size_t tpp_profile_figures(const struct tpp_profile *p, struct tpp_peak *peaks, size_t cap);

#endif
