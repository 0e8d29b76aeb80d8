/* metrics.h - the arithmetic of 3A090: bit-length-weighted TOPS, TPP, performance density,
 * per-clock efficiency.  Pure functions; NAN stands for "unknown" throughout.
 */
#ifndef TPP_METRICS_H
#define TPP_METRICS_H

#include <stddef.h>

#include "tpp/precision.h"

/* One dense throughput figure: tera-operations per second, a MAC counted as 2, and the
 * unit it runs on when known (the aggregate reading needs it). */
struct tpp_peak {
  enum tpp_precision precision;
  double tops;
  int has_path;       /* 0: the unit is not known (a bare --peak) */
  enum tpp_path path; /* vector or matrix ("tensor") unit */
};

/* Readings of the rule's TPP (docs/rules.md, "Readings of the rule").  Technical Note 2 to
 * 3A090 defines TPP as 2 x MacTOPS x bit length "aggregated over all processing units" and
 * also says to evaluate "the highest TPP value" over bit lengths; the two are read
 * differently:
 *  - highest: the single highest (precision, unit) figure, the reading used in practice;
 *  - aggregate: the best vector-unit figure plus the best matrix-unit figure.
 * The zero value is the highest reading with TF32 counted as 32 bits. */
enum tpp_tpp_reading { TPP_READ_HIGHEST, TPP_READ_AGGREGATE, TPP_READ_COUNT };

struct tpp_reading {
  enum tpp_tpp_reading tpp;
  int tf32_bits; /* the bit length TF32 counts as; 0: the precision table's (32) */
};

const char *tpp_tpp_reading_name(enum tpp_tpp_reading r);               /* "highest", "aggregate" */
int tpp_tpp_reading_parse(const char *name, enum tpp_tpp_reading *out); /* 0 or TPP_EINVAL */
/* "highest, TF32 as 32 bits" */
void tpp_reading_format(char *buf, size_t len, const struct tpp_reading *r);
int tpp_reading_equal(const struct tpp_reading *a, const struct tpp_reading *b);

/* The bit length of precision p under reading r (NULL: the precision table). */
int tpp_reading_bits(const struct tpp_reading *r, enum tpp_precision p);

/* TPP of the figures under reading r (NULL: highest, table bits); NAN entries are ignored.
 * NAN when there is no figure, or under the aggregate reading when a figure's unit is not
 * known.  best[0] (and best[1] for the second unit of an aggregate, else SIZE_MAX) get the
 * indexes of the figures that set it; best may be NULL. */
double tpp_tpp_read(const struct tpp_peak *peaks, size_t n, const struct tpp_reading *r,
                    size_t best[2]);

/* tops × bit length of the operation (the quantity TPP maximises). */
double tpp_bit_tops(enum tpp_precision p, double tops);

/* TPP = the highest tops × bits over the figures given (NAN entries ignored).
 * Returns NAN when there is none; *best (may be NULL) gets the index of the winner. */
double tpp_total_processing_performance(const struct tpp_peak *peaks, size_t n, size_t *best);

/* PD = TPP / applicable die area (mm²); NAN when either is unknown or the area is not > 0. */
double tpp_performance_density(double tpp, double die_area_mm2);

/* The largest die a scanner exposes in one shot: its full field, 26 mm x 33 mm (docs/rules.md,
 * "Die area"); a larger logic area needs several dies. */
#define TPP_DIE_MAX_MM2 858.0
#define TPP_DIES_MAX 64 /* dies a --dies option or a result file may declare */

/* A die area is physical for `dies` logic dies: 0 < area <= dies x TPP_DIE_MAX_MM2 and
 * 1 <= dies <= TPP_DIES_MAX.  0, or TPP_EINVAL with why (a sentence) filled. */
int tpp_die_area_check(double area_mm2, int dies, char *why, size_t len);

/* Theoretical peak in TOPS: units × ops per clock per unit × clock (MHz).  NAN if unknown. */
double tpp_peak_tops(int units, double ops_per_clock_per_unit, double clock_mhz);

/* measured / peak; NAN when the peak is unknown or not > 0. */
double tpp_efficiency(double measured_tops, double peak_tops);

#endif
