/* report.h - the certificate of one measured device, for people: `tppbench report`.
 *
 * One page: the device's identity, the measured table, TPP and performance density with
 * their margins, the zone and clause under a rule set and the readings of the rule that
 * would change it, the profile and its advisories, the provenance the result carries and
 * the signature status; at its centre the zone chart (TPP against PD, log scales, the
 * regions of the rule set computed from its clauses by zonemap.h, the device with its
 * measured spread, reference chips from the device profiles).  docs/report.md.
 *
 * tpp_report_build gathers everything from a loaded, classified device result; the writers
 * turn it into a document in memory (the caller writes it atomically):
 *   pdf, svg, png   the page, drawn with cairo and pango (report_page.c, report_chart.c);
 *   html            self-contained: the text as HTML, the chart as inline SVG;
 *   md, csv         the table and the verdict lines (report_text.c).
 */
#ifndef TPP_REPORT_H
#define TPP_REPORT_H

#include <stddef.h>

#include "tpp/error.h"
#include "tpp/profile.h"
#include "tpp/result.h"
#include "tpp/rules.h"
#include "tpp/zonemap.h"

enum tpp_report_format {
  TPP_REPORT_MD, /* the default: Markdown on stdout */
  TPP_REPORT_CSV,
  TPP_REPORT_HTML,
  TPP_REPORT_PDF,
  TPP_REPORT_SVG,
  TPP_REPORT_PNG,
  TPP_REPORT_FORMAT_COUNT
};

const char *tpp_report_format_name(enum tpp_report_format f); /* "md", "pdf", ... */
/* "pdf" -> TPP_REPORT_PDF; 0 or TPP_EINVAL. */
int tpp_report_format_parse(const char *name, enum tpp_report_format *out);
/* From a file name's extension (.md .csv .html .htm .pdf .svg .png, any case); 0 or
 * TPP_EINVAL when it has none of them. */
int tpp_report_format_from_path(const char *path, enum tpp_report_format *out);

#define TPP_REPORT_MAX_REFS 96
#define TPP_REPORT_MAX_KV 24

/* A reference chip from a device profile, for the chart. */
struct tpp_report_ref {
  char id[64];
  char label[48]; /* "H100 SXM5": the profile's name, shortened */
  double tpp;     /* datasheet TPP under the rule set's chosen reading */
  double pd;      /* NAN: die area unpublished (drawn on the strip above the plot) */
  int datacenter;
  int is_device_profile; /* the profile the device matched: its datasheet point */
};

/* A labelled line: "PCI bus id" / "0000:1b:00.0". */
struct tpp_report_kv {
  char key[40];
  char value[400]; /* as the page shows it: long hashes shortened ("3f2a9c01b7e4…") */
  char full[400];  /* the same with every hash in full (HTML, Markdown, CSV); "": = value */
};

/* What --trust found (or that nothing was checked). */
struct tpp_report_signature {
  int checked;        /* --trust was given and the signature verified */
  int file_present;   /* RESULT.json.minisig exists */
  char key_id[17];    /* the trusted key that verified it */
  char key[512];      /* its file, or "base64 key" */
  char timestamp[32]; /* from the trusted comment, UTC; "" none */
  char trusted_comment[256];
};

struct tpp_report {
  /* Inputs (not owned). */
  const char *file; /* the result file, as given */
  const struct tpp_result *result;
  const struct tpp_device_result *dev; /* loaded and classified under rs */
  const struct tpp_ruleset *rs;
  char sha256[65]; /* of the result file */

  /* Not a measurement: a synthetic example (tool version "synthetic") or a simulated
   * device.  banner says so on every format; "" for a real measurement. */
  char banner[320];
  char title[160]; /* "NVIDIA H100 80GB HBM3" */
  char profile_line[320];
  int profile_matched_now; /* the result had none; tppbench report matched one */

  struct tpp_report_kv identity[TPP_REPORT_MAX_KV];
  size_t n_identity;
  struct tpp_report_kv verdict[TPP_REPORT_MAX_KV]; /* zone, clause, TPP, PD, margins ... */
  size_t n_verdict;
  struct tpp_report_kv provenance[TPP_REPORT_MAX_KV];
  size_t n_provenance;
  char zone_text[160]; /* "black (3A090.a.1)", "white (not controlled)" */
  char tpp_text[160];  /* "13456.8 (measured fp8 tensor, 1682.1 x 8 bits)" */
  char pd_text[160];   /* "16.53 (die area 814 mm², profile:...)" or "unknown (...)" */
  /* The readings of the rule that give another zone ("aggregate TPP, TF32 as 32 bits:
   * TPP 14045.3, black (3A090.a.1)"), one per line; "" when none does. */
  char readings[TPP_MAX_READINGS][200];
  double reading_tpp[TPP_MAX_READINGS];     /* the TPP each of them reads (the chart marks it) */
  char reading_label[TPP_MAX_READINGS][48]; /* "aggregate, TF32 as 32 bits" */
  size_t n_readings;
  /* Notes under the table (unchecked rows, lower bound, rows in error). */
  char notes[4][240];
  size_t n_notes;
  char signature_text[400]; /* "verified: key F2933259E8450D4E (lab.pub), signed ..." */
  struct tpp_report_signature sig;

  /* The chart. */
  struct tpp_zonemap map;
  double tpp, tpp_lo, tpp_hi; /* NAN unknown; lo, hi: the measured spread */
  double pd, pd_lo, pd_hi;    /* NAN when the die area is unknown */
  char other_note[400];       /* rule sets testing a metric other than TPP and PD */
  struct tpp_report_ref refs[TPP_REPORT_MAX_REFS];
  size_t n_refs;
  size_t n_refs_no_area; /* of those, without a die area */
};

/* Gather the certificate of device d of result r (loaded from `file`, classified under
 * rs).  profiles (may be NULL): the reference chips.  sig (may be NULL): what --trust
 * found.  Everything is copied or formatted now; r, d, rs must outlive the report. */
int tpp_report_build(struct tpp_report *rep, const char *file, const struct tpp_result *r,
                     const struct tpp_device_result *d, const struct tpp_ruleset *rs,
                     const struct tpp_profile_set *profiles, const struct tpp_report_signature *sig,
                     int profile_matched_now, struct tpp_diag *diag);

/* The measured table as the readable formats show it: compute rows (skipped ones left out),
 * then the bandwidth rows, each as TPP_REPORT_COLS cells ("-" for unknown). */
#define TPP_REPORT_COLS 11
#define TPP_REPORT_CELL 200
extern const char *const tpp_report_columns[TPP_REPORT_COLS];
size_t tpp_report_table_rows(const struct tpp_report *rep);
/* Cells of table row k; returns the row's status (for colouring) and sets *sets_tpp when
 * the row is one TPP is read from. */
enum tpp_row_status tpp_report_table_row(const struct tpp_report *rep, size_t k,
                                         char cells[TPP_REPORT_COLS][TPP_REPORT_CELL],
                                         int *sets_tpp);

/* The legal notice every format ends with. */
extern const char tpp_report_disclaimer[];

/* The document in format f: *out malloc'd (caller frees), *len bytes.  0, TPP_ENOMEM, or
 * TPP_EIO when cairo fails (diag says why). */
int tpp_report_render(const struct tpp_report *rep, enum tpp_report_format f, char **out,
                      size_t *len, struct tpp_diag *diag);

/* The page formats (pdf, svg, png); tpp_report_render hands them to it. */
int tpp_report_render_page(const struct tpp_report *rep, enum tpp_report_format f, char **out,
                           size_t *len, struct tpp_diag *diag);

/* The zone chart alone as an SVG document (the HTML inlines it); width, height in points. */
int tpp_report_chart_svg(const struct tpp_report *rep, double width, double height, char **out,
                         size_t *len, struct tpp_diag *diag);

/* Where the chart puts (tpp, pd) on the page of the pdf/svg/png formats, in points from the
 * top-left corner (the png is drawn at TPP_REPORT_PNG_SCALE pixels per point).  0, or
 * TPP_EINVAL when the point is outside the plot.  For the tests that look at the page. */
#define TPP_REPORT_PNG_SCALE 2.0
int tpp_report_page_point(const struct tpp_report *rep, double tpp, double pd, double *x,
                          double *y);

/* Release what cairo, pango and fontconfig keep for the life of the process (font maps,
 * caches), once no report is drawn any more: a leak checker then sees only real leaks. */
void tpp_report_release_fonts(void);

/* The colour a zone's region is filled with (0xRRGGBB), the device marker's. */
unsigned tpp_report_zone_rgb(enum tpp_zone z);
#define TPP_REPORT_DEVICE_RGB 0xE8710Au

#endif
