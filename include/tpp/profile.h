/* profile.h - device profiles (profiles/devices/<id>.json): what an accelerator is declared
 * to be, with a source for every figure.
 *
 * A profile identifies a product (PCI ids, names the drivers report, SM/CU count, memory),
 * gives its datasheet dense peaks per precision with the clock each is computed at, its
 * logic dies (the non-planar ones make the applicable die area of 3A090), memory and
 * interconnect bandwidth, any published TPP/PD, and advisories (statements by a regulator
 * that bear on the product beyond its classification).  `run` matches the measured device
 * to a profile and uses its die area; `verify` compares a run with a declared profile.  The
 * file format is in docs/profiles.md.
 */
#ifndef TPP_PROFILE_H
#define TPP_PROFILE_H

#include <jansson.h>
#include <stddef.h>
#include <stdio.h>

#include "tpp/backend.h"
#include "tpp/error.h"
#include "tpp/precision.h"

#define TPP_PROFILE_SCHEMA_VERSION 1
#define TPP_PROFILE_MAX_PEAKS 24
#define TPP_PROFILE_MAX_DIES 8
#define TPP_PROFILE_MAX_LIST 8 /* aliases, PCI device ids, names */
#define TPP_PROFILE_MAX_ADVISORIES 4
/* A profile's figures (TOPS, GB/s) are at most this, as a result's are (result.h): sums
 * and products over any fleet stay finite. */
#define TPP_PROFILE_MAX_FIGURE 1e9

/* A dated statement with its source, printed wherever the profile's classification is
 * (e.g. BIS guidance that using a chip anywhere risks violating General Prohibition 10). */
struct tpp_advisory {
  char text[512];
  char date[11];     /* YYYY-MM-DD */
  char source[2048]; /* the citation(s) its source key(s) name, joined by "; " */
};

struct tpp_profile_peak {
  enum tpp_precision precision;
  enum tpp_path path;
  double tops;      /* dense, a MAC counted as 2 */
  double clock_mhz; /* the clock the figure is computed at; NAN unknown */
};

struct tpp_profile_die {
  char name[48];
  int count;
  double area_mm2; /* NAN: unpublished */
  int non_planar;  /* FinFET/GAA: counts towards the applicable die area */
  int estimate;    /* a third party's estimate */
};

struct tpp_profile {
  char id[64];
  char vendor[32];
  char name[96];
  char path[512];  /* the file it came from */
  char sha256[65]; /* SHA-256 of the bytes parsed (provenance.h) */
  char aliases[TPP_PROFILE_MAX_LIST][32];
  size_t n_aliases;
  int datacenter;         /* designed or marketed for datacenters */
  unsigned pci_vendor_id; /* 0: none or unknown */
  unsigned pci_device_ids[TPP_PROFILE_MAX_LIST];
  size_t n_pci_device_ids;
  char names[TPP_PROFILE_MAX_LIST][64]; /* substrings of the driver's device name */
  size_t n_names;
  int compute_units; /* 0: unknown */
  char compute_unit_type[16];
  double memory_gb; /* nominal; NAN unknown */
  struct tpp_profile_peak peaks[TPP_PROFILE_MAX_PEAKS];
  size_t n_peaks;
  struct tpp_profile_die dies[TPP_PROFILE_MAX_DIES];
  size_t n_dies;
  double die_area_mm2;     /* sum of count x area over non-planar dies; NAN if one is unknown */
  int die_area_estimate;   /* some non-planar die's area is an estimate */
  double memory_bw_gbs;    /* NAN unknown */
  double interconnect_gbs; /* aggregate bidirectional chip-to-chip I/O; NAN unknown */
  double published_tpp, published_pd; /* NAN when none */
  char published_source[256];
  struct tpp_advisory advisories[TPP_PROFILE_MAX_ADVISORIES];
  size_t n_advisories;
};

struct tpp_profile_set {
  struct tpp_profile *v;
  size_t n;
  char dir[1024]; /* where they were loaded from */
};

/* Parse one profile (`name` is used in messages).  TPP_EPARSE naming file, line, column and
 * field for anything malformed: unknown keys, wrong types, a missing figure or source, a
 * source key that `sources` does not define, an unknown precision or path, a negative
 * number, an id that is not [a-z0-9-]+, a schema_version other than 1, an advisory without
 * text, date (YYYY-MM-DD) or source. */
int tpp_profile_parse(const char *name, const char *text, struct tpp_profile *p,
                      struct tpp_diag *diag);
int tpp_profile_load(const char *path, struct tpp_profile *p, struct tpp_diag *diag);

/* Every *.json in dir, sorted by file name.  Also TPP_EPARSE when an id differs from its
 * file name or an id or alias is used twice.  TPP_ENOENT when dir cannot be opened. */
int tpp_profile_set_load_dir(const char *dir, struct tpp_profile_set *set, struct tpp_diag *diag);
/* The devices/ folder of the first profile directory (paths.h) that has one. */
int tpp_profile_set_load_default(struct tpp_profile_set *set, struct tpp_diag *diag);
void tpp_profile_set_free(struct tpp_profile_set *set);

/* By id or alias, case-insensitive; NULL when none. */
const struct tpp_profile *tpp_profile_find(const struct tpp_profile_set *set, const char *name);

/* TPP from the profile's peaks (highest tops x bits); NAN when it has none.  *best (may be
 * NULL) gets the index of the peak that sets it. */
double tpp_profile_tpp(const struct tpp_profile *p, size_t *best);
/* The profile's highest figure for a precision on a path (NAN: none); *clock_mhz gets its
 * clock (may be NULL). */
double tpp_profile_peak(const struct tpp_profile *p, enum tpp_precision prec, enum tpp_path path,
                        double *clock_mhz);

/* How well a device matches a profile.  Identity evidence, strongest first: the PCI
 * vendor:device id, a name the driver reports; then the SM/CU count and memory size
 * separate products that share a PCI id.  Fills `how` ("pci 10de:2330, 132 SM, 80 GB"). */
struct tpp_profile_match {
  const struct tpp_profile *profile; /* NULL: no match */
  int score;
  int ambiguous; /* another profile scored the same */
  char how[128];
};

/* A name the driver reports (device_name) shows a profile's name: case-insensitive, as a
 * whole word ("NVIDIA L4" is not in "NVIDIA L40S"). */
int tpp_profile_name_matches(const char *device_name, const char *name);

/* The best-matching profile for a device (profile NULL when none matches by PCI id or
 * name). */
void tpp_profile_match_device(const struct tpp_profile_set *set, const struct tpp_device_info *d,
                              struct tpp_profile_match *out);

/* The advisories, printed under a classification ("advisory    DATE  TEXT" and an indented
 * "source: ..." line each; nothing when there are none), or as a JSON array of
 * {"text", "date", "source"} (the citation, not its key).  The _list forms take the copy a
 * result file carries. */
void tpp_profile_advisories_print(const struct tpp_profile *p, FILE *out);
json_t *tpp_profile_advisories_json(const struct tpp_profile *p);
void tpp_advisory_list_print(const struct tpp_advisory *a, size_t n, FILE *out);
json_t *tpp_advisory_list_json(const struct tpp_advisory *a, size_t n);

/* Device memory (bytes, as the driver reports it) is consistent with a nominal size in GB:
 * within 10 % of either GB or GiB (drivers report usable memory, reservations included). */
int tpp_profile_memory_matches(double memory_gb, double bytes);

#endif
