/* profile.c - device profiles: parsing, loading a folder of them, lookup by name and
 * matching a measured device.  See profile.h and docs/profiles.md. */
#define _DEFAULT_SOURCE /* strcasecmp, strncasecmp */
#include "tpp/profile.h"

#include <ctype.h>
#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "tpp/jsonread.h"
#include "tpp/provenance.h"
#include "tpp/metrics.h"
#include "tpp/paths.h"

/* --- parsing ------------------------------------------------------------------------- */

/* `source` is one key of the "sources" map, or several separated by ", ". */
static int
check_source(struct tpp_jctx *c, json_t *obj, const char *path, json_t *sources)
{
  char buf[256], kpath[256];
  char *tok, *next;
  int err;

  if ((err = tpp_jget_string(c, obj, path, "source", 1, buf, sizeof(buf))) != 0)
    return err;
  tpp_jpath_key(kpath, sizeof(kpath), path, "source");
  /* Split by hand: strtok_r would skip empty keys, and take "", ",,," as citing nothing. */
  for (tok = buf;; tok = next + 1) {
    char *end;
    next = strchr(tok, ',');
    if (next)
      *next = '\0';
    while (*tok == ' ')
      tok++;
    for (end = tok + strlen(tok); end > tok && end[-1] == ' '; end--)
      end[-1] = '\0';
    if (!*tok)
      return tpp_jfail(c, TPP_EPARSE, kpath,
                       "empty source key (one key of \"sources\", or several separated by \", \")");
    if (!json_is_string(json_object_get(sources, tok)))
      return tpp_jfail(c, TPP_EPARSE, kpath, "source \"%s\" is not defined in \"sources\"", tok);
    if (!next)
      return 0;
  }
}

/* The citations that `keys` (a checked source list, "a, b") name, joined by "; " into out.
 * TPP_EPARSE naming `path` when they do not fit. */
static int
resolve_sources(struct tpp_jctx *c, const char *path, const char *keys, json_t *sources, char *out,
                size_t len)
{
  char buf[256];
  char *save = NULL, *tok;
  size_t used = 0;

  snprintf(buf, sizeof(buf), "%s", keys);
  out[0] = '\0';
  for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
    const char *cite;
    while (*tok == ' ')
      tok++;
    for (char *e = tok + strlen(tok); e > tok && e[-1] == ' '; e--)
      e[-1] = '\0';
    cite = json_string_value(json_object_get(sources, tok));
    used += (size_t)snprintf(out + used, used < len ? len - used : 0, "%s%s", used ? "; " : "",
                             cite);
    if (used >= len)
      return tpp_jfail(c, TPP_EPARSE, path, "the cited sources are longer than %zu bytes", len - 1);
  }
  return 0;
}

/* "2025-05-13": a calendar date, YYYY-MM-DD. */
static int
valid_date(const char *s)
{
  static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  int y, m, d;
  if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
    return 0;
  for (int i = 0; i < 10; i++)
    if (i != 4 && i != 7 && !isdigit((unsigned char)s[i]))
      return 0;
  y = atoi(s);
  m = atoi(s + 5);
  d = atoi(s + 8);
  if (y < 1990 || m < 1 || m > 12 || d < 1 || d > mdays[m - 1])
    return 0;
  return !(m == 2 && d == 29 && (y % 4 != 0 || (y % 100 == 0 && y % 400 != 0)));
}

/* A required number that may be null (unknown: NAN); must not be negative. */
static int
get_figure(struct tpp_jctx *c, json_t *obj, const char *path, const char *key, double *out)
{
  char kpath[256];
  json_t *v = json_object_get(obj, key);
  int err;

  *out = NAN;
  tpp_jpath_key(kpath, sizeof(kpath), path, key);
  if (!v)
    return tpp_jfail(c, TPP_EPARSE, path, "missing \"%s\" (use null when unknown)", key);
  if (json_is_null(v))
    return 0;
  if ((err = tpp_jget_number(c, obj, path, key, 1, out)) != 0)
    return err;
  if (!isfinite(*out) || *out < 0 || *out > TPP_PROFILE_MAX_FIGURE)
    return tpp_jfail(c, TPP_EPARSE, kpath, "expected a number from 0 to %g, found %g",
                     TPP_PROFILE_MAX_FIGURE, *out);
  return 0;
}

/* "10de" -> 0x10de. */
static int
parse_hex16(const char *s, unsigned *out)
{
  char *end;
  unsigned long v;
  if (strlen(s) != 4)
    return -1;
  for (const char *q = s; *q; q++)
    if (!isxdigit((unsigned char)*q) || isupper((unsigned char)*q))
      return -1;
  v = strtoul(s, &end, 16);
  if (*end)
    return -1;
  *out = (unsigned)v;
  return 0;
}

/* An array of at most TPP_PROFILE_MAX_LIST strings, each copied into dst[i] (len bytes). */
static int
get_string_list(struct tpp_jctx *c, json_t *obj, const char *path, const char *key, char *dst,
                size_t len, size_t *n)
{
  char kpath[256];
  json_t *arr;
  int err;

  *n = 0;
  if ((err = tpp_jget_array(c, obj, path, key, 1, &arr)) != 0)
    return err;
  tpp_jpath_key(kpath, sizeof(kpath), path, key);
  if (json_array_size(arr) > TPP_PROFILE_MAX_LIST)
    return tpp_jfail(c, TPP_EPARSE, kpath, "at most %d entries", TPP_PROFILE_MAX_LIST);
  for (size_t i = 0; i < json_array_size(arr); i++) {
    char ipath[256];
    json_t *v = json_array_get(arr, i);
    tpp_jpath_index(ipath, sizeof(ipath), kpath, i);
    if (!json_is_string(v) || json_string_length(v) == 0 || json_string_length(v) >= len)
      return tpp_jfail(c, TPP_EPARSE, ipath, "expected a non-empty string of at most %zu bytes",
                       len - 1);
    snprintf(dst + i * len, len, "%s", json_string_value(v));
    *n = i + 1;
  }
  return 0;
}

static int
valid_id(const char *s)
{
  if (!*s)
    return 0;
  for (; *s; s++)
    if (!(islower((unsigned char)*s) || isdigit((unsigned char)*s) || *s == '-'))
      return 0;
  return 1;
}

static int
parse_identity(struct tpp_jctx *c, json_t *root, json_t *sources, struct tpp_profile *p)
{
  static const char *const keys[] = {
      "pci_vendor_id",     "pci_device_ids", "names",  "compute_units",
      "compute_unit_type", "memory_gb",      "source", NULL};
  static const char *const P = "identity";
  char buf[16], ids[TPP_PROFILE_MAX_LIST][8];
  json_t *o, *v;
  long long cu;
  size_t n;
  int err;

  if ((err = tpp_jget_object(c, root, "", P, 1, &o)) != 0)
    return err;
  if ((err = tpp_jcheck_keys(c, o, P, keys)) != 0)
    return err;
  v = json_object_get(o, "pci_vendor_id");
  if (!v)
    return tpp_jfail(c, TPP_EPARSE, P, "missing \"pci_vendor_id\" (use null when none)");
  if (!json_is_null(v)) {
    if ((err = tpp_jget_string(c, o, P, "pci_vendor_id", 1, buf, sizeof(buf))) != 0)
      return err;
    if (parse_hex16(buf, &p->pci_vendor_id) != 0 || p->pci_vendor_id == 0)
      return tpp_jfail(c, TPP_EPARSE, "identity.pci_vendor_id",
                       "expected 4 lowercase hex digits (e.g. \"10de\"), found \"%s\"", buf);
  }
  if ((err = get_string_list(c, o, P, "pci_device_ids", &ids[0][0], sizeof(ids[0]), &n)) != 0)
    return err;
  for (size_t i = 0; i < n; i++)
    if (parse_hex16(ids[i], &p->pci_device_ids[i]) != 0) {
      char ipath[64];
      return tpp_jfail(c, TPP_EPARSE,
                       tpp_jpath_index(ipath, sizeof(ipath), "identity.pci_device_ids", i),
                       "expected 4 lowercase hex digits (e.g. \"2330\"), found \"%s\"", ids[i]);
    }
  p->n_pci_device_ids = n;
  if (n > 0 && p->pci_vendor_id == 0)
    return tpp_jfail(c, TPP_EPARSE, "identity.pci_device_ids",
                     "PCI device ids need a pci_vendor_id");
  if ((err = get_string_list(c, o, P, "names", &p->names[0][0], sizeof(p->names[0]),
                             &p->n_names)) != 0)
    return err;
  v = json_object_get(o, "compute_units");
  if (!v)
    return tpp_jfail(c, TPP_EPARSE, P, "missing \"compute_units\" (use null when unknown)");
  if (!json_is_null(v)) {
    if ((err = tpp_jget_int(c, o, P, "compute_units", 1, &cu)) != 0)
      return err;
    if (cu <= 0 || cu > 100000)
      return tpp_jfail(c, TPP_EPARSE, "identity.compute_units", "expected a count > 0");
    p->compute_units = (int)cu;
  }
  if ((err = tpp_jget_string(c, o, P, "compute_unit_type", 0, p->compute_unit_type,
                             sizeof(p->compute_unit_type))) < 0)
    return err;
  if ((err = get_figure(c, o, P, "memory_gb", &p->memory_gb)) != 0)
    return err;
  return check_source(c, o, P, sources);
}

static int
parse_peaks(struct tpp_jctx *c, json_t *root, json_t *sources, struct tpp_profile *p)
{
  static const char *const keys[] = {"precision", "path", "tops", "clock_mhz", "source", NULL};
  json_t *arr;
  int err;

  if ((err = tpp_jget_array(c, root, "", "peaks", 1, &arr)) != 0)
    return err;
  if (json_array_size(arr) > TPP_PROFILE_MAX_PEAKS)
    return tpp_jfail(c, TPP_EPARSE, "peaks", "at most %d peaks", TPP_PROFILE_MAX_PEAKS);
  for (size_t i = 0; i < json_array_size(arr); i++) {
    struct tpp_profile_peak *pk = &p->peaks[i];
    json_t *e = json_array_get(arr, i);
    char ipath[64], kpath[96], buf[16];
    tpp_jpath_index(ipath, sizeof(ipath), "peaks", i);
    if (!json_is_object(e))
      return tpp_jfail(c, TPP_EPARSE, ipath, "expected an object");
    if ((err = tpp_jcheck_keys(c, e, ipath, keys)) != 0)
      return err;
    if ((err = tpp_jget_string(c, e, ipath, "precision", 1, buf, sizeof(buf))) != 0)
      return err;
    if (tpp_precision_parse(buf, &pk->precision) != 0)
      return tpp_jfail(c, TPP_EPARSE, tpp_jpath_key(kpath, sizeof(kpath), ipath, "precision"),
                       "unknown precision \"%s\"", buf);
    if ((err = tpp_jget_string(c, e, ipath, "path", 1, buf, sizeof(buf))) != 0)
      return err;
    if (tpp_path_parse(buf, &pk->path) != 0)
      return tpp_jfail(c, TPP_EPARSE, tpp_jpath_key(kpath, sizeof(kpath), ipath, "path"),
                       "unknown path \"%s\" (vector, tensor)", buf);
    for (size_t j = 0; j < i; j++)
      if (p->peaks[j].precision == pk->precision && p->peaks[j].path == pk->path)
        return tpp_jfail(c, TPP_EPARSE, ipath, "a second %s %s peak",
                         tpp_precision_name(pk->precision), tpp_path_name(pk->path));
    if ((err = tpp_jget_number(c, e, ipath, "tops", 1, &pk->tops)) != 0)
      return err;
    if (!(pk->tops > 0 && pk->tops <= TPP_PROFILE_MAX_FIGURE))
      return tpp_jfail(c, TPP_EPARSE, tpp_jpath_key(kpath, sizeof(kpath), ipath, "tops"),
                       "expected a positive number of at most %g, found %g", TPP_PROFILE_MAX_FIGURE,
                       pk->tops);
    if ((err = get_figure(c, e, ipath, "clock_mhz", &pk->clock_mhz)) != 0)
      return err;
    if ((err = check_source(c, e, ipath, sources)) != 0)
      return err;
    p->n_peaks = i + 1;
  }
  return 0;
}

static int
parse_dies(struct tpp_jctx *c, json_t *root, json_t *sources, struct tpp_profile *p)
{
  static const char *const keys[] = {"name",       "count",    "area_mm2", "process",
                                     "non_planar", "estimate", "source",   NULL};
  json_t *arr;
  int err;

  if ((err = tpp_jget_array(c, root, "", "dies", 1, &arr)) != 0)
    return err;
  if (json_array_size(arr) == 0 || json_array_size(arr) > TPP_PROFILE_MAX_DIES)
    return tpp_jfail(c, TPP_EPARSE, "dies", "expected 1 to %d dies", TPP_PROFILE_MAX_DIES);
  p->die_area_mm2 = 0;
  for (size_t i = 0; i < json_array_size(arr); i++) {
    struct tpp_profile_die *d = &p->dies[i];
    json_t *e = json_array_get(arr, i);
    char ipath[64], process[64];
    long long count;
    tpp_jpath_index(ipath, sizeof(ipath), "dies", i);
    if (!json_is_object(e))
      return tpp_jfail(c, TPP_EPARSE, ipath, "expected an object");
    if ((err = tpp_jcheck_keys(c, e, ipath, keys)) != 0)
      return err;
    if ((err = tpp_jget_string(c, e, ipath, "name", 1, d->name, sizeof(d->name))) != 0)
      return err;
    if ((err = tpp_jget_int(c, e, ipath, "count", 1, &count)) != 0)
      return err;
    if (count < 1 || count > 64) {
      char kpath[96];
      return tpp_jfail(c, TPP_EPARSE, tpp_jpath_key(kpath, sizeof(kpath), ipath, "count"),
                       "expected 1 to 64");
    }
    d->count = (int)count;
    if ((err = get_figure(c, e, ipath, "area_mm2", &d->area_mm2)) != 0)
      return err;
    if ((err = tpp_jget_string(c, e, ipath, "process", 1, process, sizeof(process))) != 0)
      return err;
    if ((err = tpp_jget_bool(c, e, ipath, "non_planar", 1, &d->non_planar)) != 0)
      return err;
    if ((err = tpp_jget_bool(c, e, ipath, "estimate", 1, &d->estimate)) != 0)
      return err;
    if ((err = check_source(c, e, ipath, sources)) != 0)
      return err;
    if (d->area_mm2 > TPP_DIE_MAX_MM2) {
      char kpath[96];
      return tpp_jfail(c, TPP_EPARSE, tpp_jpath_key(kpath, sizeof(kpath), ipath, "area_mm2"),
                       "%g mm² is more than one die can be (at most %g mm², the 26 x 33 mm "
                       "field a scanner exposes in one shot): give each die of the package",
                       d->area_mm2, TPP_DIE_MAX_MM2);
    }
    if (d->non_planar) {
      p->die_area_mm2 += d->count * d->area_mm2; /* NAN propagates: area unknown */
      p->die_area_estimate |= d->estimate;
    }
    p->n_dies = i + 1;
  }
  /* The applicable die area of 3A090 is that of the non-planar logic dies: with none, PD
   * would divide by 0. */
  if (!(p->die_area_mm2 > 0) && !isnan(p->die_area_mm2))
    return tpp_jfail(c, TPP_EPARSE, "dies",
                     "no die is non_planar: the applicable die area of 3A090 (logic dies "
                     "with non-planar transistors) would be 0 mm²");
  return 0;
}

/* "advisories": optional, [{"text", "date", "source"}, ...]. */
static int
parse_advisories(struct tpp_jctx *c, json_t *root, json_t *sources, struct tpp_profile *p)
{
  static const char *const keys[] = {"text", "date", "source", NULL};
  json_t *arr;
  int err;

  if ((err = tpp_jget_array(c, root, "", "advisories", 0, &arr)) != 0)
    return err < 0 ? err : 0;
  if (json_array_size(arr) > TPP_PROFILE_MAX_ADVISORIES)
    return tpp_jfail(c, TPP_EPARSE, "advisories", "at most %d advisories",
                     TPP_PROFILE_MAX_ADVISORIES);
  for (size_t i = 0; i < json_array_size(arr); i++) {
    struct tpp_advisory *a = &p->advisories[i];
    json_t *e = json_array_get(arr, i);
    char ipath[64], kpath[96], keylist[256];
    tpp_jpath_index(ipath, sizeof(ipath), "advisories", i);
    if (!json_is_object(e))
      return tpp_jfail(c, TPP_EPARSE, ipath, "expected an object");
    if ((err = tpp_jcheck_keys(c, e, ipath, keys)) != 0)
      return err;
    if ((err = tpp_jget_string(c, e, ipath, "text", 1, a->text, sizeof(a->text))) != 0)
      return err;
    if (!a->text[0])
      return tpp_jfail(c, TPP_EPARSE, tpp_jpath_key(kpath, sizeof(kpath), ipath, "text"),
                       "expected a non-empty text");
    if ((err = tpp_jget_string(c, e, ipath, "date", 1, a->date, sizeof(a->date))) != 0)
      return err;
    if (!valid_date(a->date))
      return tpp_jfail(c, TPP_EPARSE, tpp_jpath_key(kpath, sizeof(kpath), ipath, "date"),
                       "expected a date YYYY-MM-DD, found \"%s\"", a->date);
    if ((err = check_source(c, e, ipath, sources)) != 0)
      return err;
    tpp_jget_string(c, e, ipath, "source", 1, keylist, sizeof(keylist));
    if ((err = resolve_sources(c, tpp_jpath_key(kpath, sizeof(kpath), ipath, "source"), keylist,
                               sources, a->source, sizeof(a->source))) != 0)
      return err;
    p->n_advisories = i + 1;
  }
  return 0;
}

/* An object {KEY: number-or-null, "source": ...} (the memory and interconnect sections). */
static int
parse_section(struct tpp_jctx *c, json_t *root, json_t *sources, const char *name,
              const char *const *keys, const char *figure, double *out)
{
  json_t *o;
  int err;
  if ((err = tpp_jget_object(c, root, "", name, 1, &o)) != 0)
    return err;
  if ((err = tpp_jcheck_keys(c, o, name, keys)) != 0)
    return err;
  if ((err = get_figure(c, o, name, figure, out)) != 0)
    return err;
  return check_source(c, o, name, sources);
}

static int
parse_root(struct tpp_jctx *c, json_t *root, struct tpp_profile *p)
{
  static const char *const keys[] = {"schema_version", "id",         "vendor",       "name",
                                     "aliases",        "datacenter", "identity",     "peaks",
                                     "dies",           "memory",     "interconnect", "published",
                                     "advisories",     "sources",    "notes",        NULL};
  static const char *const mem_keys[] = {"type", "capacity_gb", "bandwidth_gbs", "source", NULL};
  static const char *const ic_keys[] = {"kind", "bidirectional_gbs", "source", NULL};
  static const char *const dc_keys[] = {"value", "source", NULL};
  static const char *const pub_keys[] = {"tpp", "pd", "source", NULL};
  json_t *sources, *o, *v;
  long long version;
  const char *key;
  int err;

  if (!json_is_object(root))
    return tpp_jfail(c, TPP_EPARSE, "", "a device profile must be a JSON object");
  if ((err = tpp_jcheck_keys(c, root, "", keys)) != 0)
    return err;
  if ((err = tpp_jget_int(c, root, "", "schema_version", 1, &version)) != 0)
    return err;
  if (version != TPP_PROFILE_SCHEMA_VERSION)
    return tpp_jfail(c, TPP_EPARSE, "schema_version",
                     "unsupported schema_version %lld (this tppbench reads %d)", version,
                     TPP_PROFILE_SCHEMA_VERSION);
  if ((err = tpp_jget_object(c, root, "", "sources", 1, &sources)) != 0)
    return err;
  json_object_foreach (sources, key, v) {
    char kpath[256];
    if (!json_is_string(v) || json_string_length(v) == 0)
      return tpp_jfail(c, TPP_EPARSE, tpp_jpath_key(kpath, sizeof(kpath), "sources", key),
                       "expected a non-empty citation string");
  }
  if ((err = tpp_jget_string(c, root, "", "id", 1, p->id, sizeof(p->id))) != 0)
    return err;
  if (!valid_id(p->id))
    return tpp_jfail(c, TPP_EPARSE, "id",
                     "expected lowercase letters, digits and '-', found \"%s\"", p->id);
  if ((err = tpp_jget_string(c, root, "", "vendor", 1, p->vendor, sizeof(p->vendor))) != 0)
    return err;
  if ((err = tpp_jget_string(c, root, "", "name", 1, p->name, sizeof(p->name))) != 0)
    return err;
  if ((err = get_string_list(c, root, "", "aliases", &p->aliases[0][0], sizeof(p->aliases[0]),
                             &p->n_aliases)) != 0)
    return err;
  /* Names are matched without case (check_names): an alias that repeats the id or another
   * alias names nothing new. */
  for (size_t a = 0; a < p->n_aliases; a++) {
    char apath[64];
    tpp_jpath_index(apath, sizeof(apath), "aliases", a);
    if (strcasecmp(p->aliases[a], p->id) == 0)
      return tpp_jfail(c, TPP_EPARSE, apath, "\"%s\" is the profile's id", p->aliases[a]);
    for (size_t b = 0; b < a; b++)
      if (strcasecmp(p->aliases[a], p->aliases[b]) == 0)
        return tpp_jfail(c, TPP_EPARSE, apath, "\"%s\" is listed twice", p->aliases[a]);
  }
  if ((err = tpp_jget_object(c, root, "", "datacenter", 1, &o)) != 0)
    return err;
  if ((err = tpp_jcheck_keys(c, o, "datacenter", dc_keys)) != 0)
    return err;
  if ((err = tpp_jget_bool(c, o, "datacenter", "value", 1, &p->datacenter)) != 0)
    return err;
  if ((err = check_source(c, o, "datacenter", sources)) != 0)
    return err;
  if ((err = parse_identity(c, root, sources, p)) != 0)
    return err;
  if ((err = parse_peaks(c, root, sources, p)) != 0)
    return err;
  if ((err = parse_dies(c, root, sources, p)) != 0)
    return err;
  if ((err = parse_section(c, root, sources, "memory", mem_keys, "bandwidth_gbs",
                           &p->memory_bw_gbs)) != 0)
    return err;
  if ((err = parse_section(c, root, sources, "interconnect", ic_keys, "bidirectional_gbs",
                           &p->interconnect_gbs)) != 0)
    return err;
  p->published_tpp = p->published_pd = NAN;
  if ((err = tpp_jget_object(c, root, "", "published", 0, &o)) < 0)
    return err;
  if (err == 0) {
    if ((err = tpp_jcheck_keys(c, o, "published", pub_keys)) != 0)
      return err;
    if ((err = get_figure(c, o, "published", "tpp", &p->published_tpp)) != 0)
      return err;
    if ((err = get_figure(c, o, "published", "pd", &p->published_pd)) != 0)
      return err;
    if ((err = check_source(c, o, "published", sources)) != 0)
      return err;
    tpp_jget_string(c, o, "published", "source", 1, p->published_source,
                    sizeof(p->published_source));
  }
  if ((err = parse_advisories(c, root, sources, p)) != 0)
    return err;
  v = json_object_get(root, "notes");
  if (v && !json_is_string(v))
    return tpp_jfail(c, TPP_EPARSE, "notes", "expected a string");
  return 0;
}

static int
parse_root_cb(struct tpp_jctx *c, json_t *root, void *p)
{
  int err = parse_root(c, root, p);
  /* The hash of exactly the text parsed, for a result's provenance. */
  if (err == 0)
    tpp_sha256_hex(c->text, strlen(c->text), ((struct tpp_profile *)p)->sha256);
  return err;
}

int
tpp_profile_parse(const char *name, const char *text, struct tpp_profile *p, struct tpp_diag *diag)
{
  int err;
  if (!text || !p)
    return TPP_EINVAL;
  memset(p, 0, sizeof(*p));
  if (!name)
    name = "<profile>";
  if ((err = tpp_jparse_text(name, text, parse_root_cb, p, diag)) == 0)
    snprintf(p->path, sizeof(p->path), "%s", name);
  return err;
}

int
tpp_profile_load(const char *path, struct tpp_profile *p, struct tpp_diag *diag)
{
  int err;
  if (!path || !p)
    return TPP_EINVAL;
  memset(p, 0, sizeof(*p));
  if ((err = tpp_jparse_file(path, parse_root_cb, p, diag)) == 0)
    snprintf(p->path, sizeof(p->path), "%s", path);
  return err;
}

/* --- sets ---------------------------------------------------------------------------- */

static int
cmp_str(const void *a, const void *b)
{
  return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Is `name` already an id or alias of set->v[0..n)?  The index, or -1. */
static long
name_owner(const struct tpp_profile_set *set, size_t n, const char *name)
{
  for (size_t i = 0; i < n; i++) {
    if (strcasecmp(set->v[i].id, name) == 0)
      return (long)i;
    for (size_t a = 0; a < set->v[i].n_aliases; a++)
      if (strcasecmp(set->v[i].aliases[a], name) == 0)
        return (long)i;
  }
  return -1;
}

/* The new profile set->v[n] must not reuse a name; its id must be its file name. */
static int
check_names(const struct tpp_profile_set *set, size_t n, const char *file, struct tpp_diag *diag)
{
  const struct tpp_profile *p = &set->v[n];
  const char *base = strrchr(file, '/');
  size_t len;
  long k;

  base = base ? base + 1 : file;
  len = strlen(base) - 5; /* ".json" */
  if (strlen(p->id) != len || strncmp(p->id, base, len) != 0)
    return tpp_diag_set(diag, TPP_EPARSE, file, 0, "id",
                        "the id \"%s\" must equal the file name without .json", p->id);
  if ((k = name_owner(set, n, p->id)) >= 0)
    return tpp_diag_set(diag, TPP_EPARSE, file, 0, "id", "\"%s\" is already a name of %s", p->id,
                        set->v[k].path);
  for (size_t a = 0; a < p->n_aliases; a++) {
    char field[32];
    snprintf(field, sizeof(field), "aliases[%zu]", a);
    if ((k = name_owner(set, n, p->aliases[a])) >= 0)
      return tpp_diag_set(diag, TPP_EPARSE, file, 0, field, "\"%s\" is already a name of %s",
                          p->aliases[a], set->v[k].path);
  }
  return 0;
}

int
tpp_profile_set_load_dir(const char *dir, struct tpp_profile_set *set, struct tpp_diag *diag)
{
  DIR *d;
  struct dirent *e;
  char **files = NULL;
  size_t n = 0, cap = 0;
  int err = 0;

  memset(set, 0, sizeof(*set));
  snprintf(set->dir, sizeof(set->dir), "%s", dir);
  if (!(d = opendir(dir)))
    return tpp_diag_set(diag, TPP_ENOENT, dir, 0, NULL, "cannot open the profile folder");
  while ((e = readdir(d)) != NULL) {
    size_t len = strlen(e->d_name);
    if (len <= 5 || e->d_name[0] == '.' || strcmp(e->d_name + len - 5, ".json") != 0)
      continue;
    if (n == cap) {
      char **grown = realloc(files, (cap = cap ? 2 * cap : 64) * sizeof(*files));
      if (!grown) {
        err = TPP_ENOMEM;
        goto out;
      }
      files = grown;
    }
    if (!(files[n] = malloc(strlen(dir) + len + 2))) {
      err = TPP_ENOMEM;
      goto out;
    }
    sprintf(files[n++], "%s/%s", dir, e->d_name);
  }
  if (n > 0)
    qsort(files, n, sizeof(*files), cmp_str);
  if (n > 0 && !(set->v = calloc(n, sizeof(*set->v)))) {
    err = TPP_ENOMEM;
    goto out;
  }
  for (size_t i = 0; i < n; i++) {
    if ((err = tpp_profile_load(files[i], &set->v[i], diag)) != 0 ||
        (err = check_names(set, i, files[i], diag)) != 0)
      goto out;
    set->n = i + 1;
  }
out:
  closedir(d);
  for (size_t i = 0; i < n; i++)
    free(files[i]);
  free(files);
  if (err) {
    tpp_profile_set_free(set);
    if (err == TPP_ENOMEM)
      tpp_diag_set(diag, err, dir, 0, NULL, "out of memory");
  }
  return err;
}

int
tpp_profile_set_load_default(struct tpp_profile_set *set, struct tpp_diag *diag)
{
  for (const char *const *d = tpp_profile_dirs(); *d; d++) {
    char path[1100];
    DIR *probe;
    snprintf(path, sizeof(path), "%s/devices", *d);
    if ((probe = opendir(path)) != NULL) {
      closedir(probe);
      return tpp_profile_set_load_dir(path, set, diag);
    }
  }
  memset(set, 0, sizeof(*set));
  return tpp_diag_set(diag, TPP_ENOENT, NULL, 0, "profiles",
                      "no devices/ folder in any profile directory (set TPPBENCH_PROFILES)");
}

void
tpp_profile_set_free(struct tpp_profile_set *set)
{
  if (!set)
    return;
  free(set->v);
  set->v = NULL;
  set->n = 0;
}

const struct tpp_profile *
tpp_profile_find(const struct tpp_profile_set *set, const char *name)
{
  long k;
  if (!set || !name)
    return NULL;
  k = name_owner(set, set->n, name);
  return k < 0 ? NULL : &set->v[k];
}

/* --- figures ------------------------------------------------------------------------- */

double
tpp_profile_tpp(const struct tpp_profile *p, size_t *best)
{
  struct tpp_peak peaks[TPP_PROFILE_MAX_PEAKS];
  for (size_t i = 0; i < p->n_peaks; i++) {
    peaks[i].precision = p->peaks[i].precision;
    peaks[i].tops = p->peaks[i].tops;
  }
  return tpp_total_processing_performance(peaks, p->n_peaks, best);
}

double
tpp_profile_peak(const struct tpp_profile *p, enum tpp_precision prec, enum tpp_path path,
                 double *clock_mhz)
{
  for (size_t i = 0; i < p->n_peaks; i++)
    if (p->peaks[i].precision == prec && p->peaks[i].path == path) {
      if (clock_mhz)
        *clock_mhz = p->peaks[i].clock_mhz;
      return p->peaks[i].tops;
    }
  if (clock_mhz)
    *clock_mhz = NAN;
  return NAN;
}

/* --- advisories ---------------------------------------------------------------------- */

void
tpp_advisory_list_print(const struct tpp_advisory *a, size_t n, FILE *out)
{
  for (size_t i = 0; i < n; i++) {
    fprintf(out, "advisory    %s  %s\n", a[i].date, a[i].text);
    fprintf(out, "            source: %s\n", a[i].source);
  }
}

json_t *
tpp_advisory_list_json(const struct tpp_advisory *a, size_t n)
{
  json_t *arr = json_array();
  for (size_t i = 0; i < n; i++)
    json_array_append_new(arr, json_pack("{s:s, s:s, s:s}", "text", a[i].text, "date", a[i].date,
                                         "source", a[i].source));
  return arr;
}

void
tpp_profile_advisories_print(const struct tpp_profile *p, FILE *out)
{
  tpp_advisory_list_print(p->advisories, p->n_advisories, out);
}

json_t *
tpp_profile_advisories_json(const struct tpp_profile *p)
{
  return tpp_advisory_list_json(p->advisories, p->n_advisories);
}

/* --- matching ------------------------------------------------------------------------ */

int
tpp_profile_memory_matches(double memory_gb, double bytes)
{
  if (!(memory_gb > 0) || !(bytes > 0))
    return 0;
  return fabs(bytes / (memory_gb * 1e9) - 1) <= 0.10 ||
         fabs(bytes / (memory_gb * 1073741824.0) - 1) <= 0.10;
}

int
tpp_profile_name_matches(const char *device_name, const char *name)
{
  size_t n = strlen(name);
  if (n == 0)
    return 0;
  for (const char *at = device_name; *at; at++)
    if (strncasecmp(at, name, n) == 0 && (at == device_name || !isalnum((unsigned char)at[-1])) &&
        !isalnum((unsigned char)at[n]))
      return 1;
  return 0;
}

/* Score one profile: 0 when neither the PCI id nor a name matches. */
static int
score_profile(const struct tpp_profile *p, const struct tpp_device_info *d, char *how, size_t len)
{
  int score = 0, n = 0;
  how[0] = '\0';
  if (d->pci_vendor_id && d->pci_vendor_id == p->pci_vendor_id)
    for (size_t i = 0; i < p->n_pci_device_ids; i++)
      if (p->pci_device_ids[i] == d->pci_device_id) {
        score += 100;
        n += snprintf(how + n, len - (size_t)n, "pci %04x:%04x", d->pci_vendor_id,
                      d->pci_device_id);
        break;
      }
  for (size_t i = 0; i < p->n_names; i++)
    if (tpp_profile_name_matches(d->name, p->names[i])) {
      score += 50;
      n += snprintf(how + n, len - (size_t)n, "%sname \"%s\"", n ? ", " : "", p->names[i]);
      break;
    }
  if (score == 0 || (size_t)n >= len)
    return score;
  if (p->compute_units && d->compute_units == p->compute_units) {
    score += 10;
    n += snprintf(how + n, len - (size_t)n, ", %d %s", p->compute_units,
                  p->compute_unit_type[0] ? p->compute_unit_type : "units");
  }
  if ((size_t)n < len && tpp_profile_memory_matches(p->memory_gb, (double)d->global_mem_bytes)) {
    score += 5;
    snprintf(how + n, len - (size_t)n, ", %g GB", p->memory_gb);
  }
  return score;
}

void
tpp_profile_match_device(const struct tpp_profile_set *set, const struct tpp_device_info *d,
                         struct tpp_profile_match *out)
{
  int by_pci = 0;
  memset(out, 0, sizeof(*out));
  if (!set || !d)
    return;
  /* The PCI id first: when a profile lists the device's, the others (a name, SM count and
   * memory alone) are not candidates. */
  for (size_t i = 0; i < set->n && d->pci_vendor_id; i++)
    for (size_t k = 0; k < set->v[i].n_pci_device_ids; k++)
      by_pci |= set->v[i].pci_vendor_id == d->pci_vendor_id &&
                set->v[i].pci_device_ids[k] == d->pci_device_id;
  for (size_t i = 0; i < set->n; i++) {
    char how[sizeof(out->how)];
    int s = score_profile(&set->v[i], d, how, sizeof(how));
    if (s == 0 || (by_pci && s < 100))
      continue;
    if (s > out->score) {
      out->profile = &set->v[i];
      out->score = s;
      out->ambiguous = 0;
      snprintf(out->how, sizeof(out->how), "%s", how);
    } else if (s == out->score) {
      out->ambiguous = 1;
    }
  }
}
