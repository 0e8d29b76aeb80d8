/* fleet.c - totals over many results.  See fleet.h. */
#include "tpp/fleet.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

void
tpp_fleet_init(struct tpp_fleet *f, const struct tpp_ruleset *rs, enum tpp_fleet_basis basis)
{
  memset(f, 0, sizeof(*f));
  f->rs = rs;
  f->basis = basis;
  for (int z = 0; z <= TPP_ZONE_INDETERMINATE; z++)
    f->zones[z].zone = (enum tpp_zone)z;
}

void
tpp_fleet_free(struct tpp_fleet *f)
{
  free(f->devices);
  f->devices = NULL;
  f->n_devices = f->cap = 0;
}

static void
add_to_clause(struct tpp_fleet *f, const struct tpp_classification *c, double tpp)
{
  size_t i;
  for (i = 0; i < f->n_clauses; i++)
    if (f->clauses[i].zone == c->zone &&
        (c->clause ? f->clauses[i].clause && strcmp(f->clauses[i].clause, c->clause) == 0
                   : f->clauses[i].clause == NULL))
      break;
  if (i == f->n_clauses) {
    if (i == TPP_FLEET_MAX_GROUPS)
      return; /* a rule set has at most 16 clauses, plus white and indeterminate */
    f->clauses[i].zone = c->zone;
    f->clauses[i].clause = c->clause;
    f->n_clauses++;
  }
  f->clauses[i].devices++;
  f->clauses[i].tpp += tpp;
}

int
tpp_fleet_add(struct tpp_fleet *f, const char *file, struct tpp_result *r,
              const struct tpp_profile_set *profiles)
{
  f->n_results++;
  for (size_t k = 0; k < r->n_devices; k++) {
    struct tpp_device_result *d = &r->devices[k];
    struct tpp_fleet_device *fd;
    struct tpp_chip_facts facts;
    const struct tpp_profile *p = NULL;
    int err;

    if (!d->has_profile && profiles) {
      /* A result written without a profile: match one now, for its die area. */
      struct tpp_profile_match m;
      tpp_profile_match_device(profiles, &d->info, &m);
      if (m.profile)
        tpp_device_result_set_profile(d, m.profile, m.how, 0);
    }
    if ((err = tpp_device_result_classify(d, f->rs)) != 0)
      return err;
    if (f->n_devices == f->cap) {
      size_t cap = f->cap ? 2 * f->cap : 16;
      struct tpp_fleet_device *grown = realloc(f->devices, cap * sizeof(*grown));
      if (!grown)
        return TPP_ENOMEM;
      f->devices = grown;
      f->cap = cap;
    }
    fd = &f->devices[f->n_devices];
    memset(fd, 0, sizeof(*fd));
    snprintf(fd->file, sizeof(fd->file), "%s", file);
    snprintf(fd->selector, sizeof(fd->selector), "%s", d->info.selector);
    snprintf(fd->name, sizeof(fd->name), "%s", d->info.name);
    if (d->has_profile)
      snprintf(fd->profile, sizeof(fd->profile), "%s", d->profile.id);
    tpp_device_result_facts(d, &facts);
    fd->basis = "measured";
    if (f->basis == TPP_FLEET_DECLARED && d->has_profile && profiles &&
        (p = tpp_profile_find(profiles, d->profile.id)) != NULL &&
        isfinite(tpp_profile_tpp(p, NULL))) {
      facts.tpp = tpp_profile_tpp(p, NULL);
      facts.tpp_lo = facts.tpp_hi = NAN; /* a datasheet figure has no spread */
      fd->basis = "declared";
    }
    if ((err = tpp_classify(f->rs, &facts, &fd->cls)) != 0)
      return err;
    fd->tpp = facts.tpp;
    f->n_devices++;

    if (isnan(fd->tpp) || fd->cls.zone == TPP_ZONE_INDETERMINATE) {
      f->n_unknown++;
      f->zones[TPP_ZONE_INDETERMINATE].devices++;
      if (!isnan(fd->tpp))
        f->zones[TPP_ZONE_INDETERMINATE].tpp += fd->tpp;
      continue;
    }
    f->n_borderline += fd->cls.borderline != 0;
    f->total_tpp += fd->tpp;
    f->zones[fd->cls.zone].devices++;
    f->zones[fd->cls.zone].tpp += fd->tpp;
    add_to_clause(f, &fd->cls, fd->tpp);
    if (f->rs->accounting.counted_zones & (1u << fd->cls.zone)) {
      f->counted_tpp += fd->tpp;
      f->counted_devices++;
    }
  }
  return 0;
}

static json_t *
num_or_null(double v)
{
  return isfinite(v) ? json_real(v) : json_null();
}

static json_t *
group_json(const struct tpp_fleet_group *g)
{
  return json_pack("{s:s, s:o, s:I, s:f}", "zone", tpp_zone_name(g->zone), "clause",
                   g->clause ? json_string(g->clause) : json_null(), "devices",
                   (json_int_t)g->devices, "tpp", g->tpp);
}

/* What a share limit means for this fleet, if it were all in the region the limit caps. */
static void
share_needs(const struct tpp_quantity *q, double counted, double *total, double *region)
{
  if (isfinite(q->max_fraction)) {
    /* at most f of the total in one place: the total must be at least fleet / f */
    *total = counted / q->max_fraction;
    *region = NAN;
  } else {
    /* at least f of the total inside a region: a fleet outside it needs total >= fleet /
     * (1 - f), of which f inside */
    *total = q->min_fraction < 1 ? counted / (1 - q->min_fraction) : INFINITY;
    *region = *total * q->min_fraction;
  }
}

static json_t *
accounting_json(const struct tpp_fleet *f)
{
  const struct tpp_accounting *a = &f->rs->accounting;
  json_t *qs, *ss, *zones;
  if (!isfinite(a->unit_tpp))
    return json_null();
  qs = json_array();
  ss = json_array();
  zones = json_array();
  for (int z = 0; z < TPP_ZONE_INDETERMINATE; z++)
    if (a->counted_zones & (1u << z))
      json_array_append_new(zones, json_string(tpp_zone_name((enum tpp_zone)z)));
  for (size_t i = 0; i < a->n_quantities; i++) {
    const struct tpp_quantity *q = &a->quantities[i];
    json_array_append_new(
        qs, json_pack("{s:s, s:s, s:s, s:f, s:f, s:b, s:s, s:s}", "id", q->id, "title", q->title,
                      "per", q->per, "tpp", q->tpp, "fraction_used", f->counted_tpp / q->tpp,
                      "fits", f->counted_tpp <= q->tpp, "confidence",
                      tpp_confidence_name(q->confidence), "source", q->source));
  }
  for (size_t i = 0; i < a->n_shares; i++) {
    const struct tpp_quantity *q = &a->shares[i];
    double total, region;
    share_needs(q, f->counted_tpp, &total, &region);
    json_array_append_new(
        ss, json_pack("{s:s, s:s, s:s, s:o, s:o, s:o, s:o, s:s, s:s}", "id", q->id, "title",
                      q->title, "per", q->per, "max_fraction", num_or_null(q->max_fraction),
                      "min_fraction", num_or_null(q->min_fraction), "required_total_tpp",
                      num_or_null(total), "required_inside_tpp", num_or_null(region),
                      "confidence", tpp_confidence_name(q->confidence), "source", q->source));
  }
  return json_pack("{s:{s:s, s:f, s:s, s:s}, s:o, s:f, s:I, s:f, s:o, s:o}", "unit", "name",
                   a->unit_name, "tpp", a->unit_tpp, "confidence",
                   tpp_confidence_name(a->unit_confidence), "source", a->unit_source,
                   "counted_zones", zones, "counted_tpp", f->counted_tpp, "counted_devices",
                   (json_int_t)f->counted_devices, "unit_equivalents", f->counted_tpp / a->unit_tpp,
                   "quantities", qs, "shares", ss);
}

json_t *
tpp_fleet_to_json(const struct tpp_fleet *f)
{
  json_t *devs = json_array(), *zones = json_array(), *clauses = json_array();
  const struct tpp_accounting *a = &f->rs->accounting;
  for (size_t i = 0; i < f->n_devices; i++) {
    const struct tpp_fleet_device *d = &f->devices[i];
    json_array_append_new(
        devs, json_pack("{s:s, s:s, s:s, s:o, s:o, s:s, s:s, s:o, s:b}", "file", d->file,
                        "selector", d->selector, "name", d->name, "profile",
                        d->profile[0] ? json_string(d->profile) : json_null(), "tpp",
                        num_or_null(d->tpp), "basis", d->basis, "zone",
                        tpp_zone_name(d->cls.zone), "clause",
                        d->cls.clause ? json_string(d->cls.clause) : json_null(), "borderline",
                        d->cls.borderline));
  }
  for (int z = TPP_ZONE_BLACK; z >= 0; z--)
    json_array_append_new(zones, group_json(&f->zones[z]));
  json_array_append_new(zones, group_json(&f->zones[TPP_ZONE_INDETERMINATE]));
  for (size_t i = 0; i < f->n_clauses; i++)
    json_array_append_new(clauses, group_json(&f->clauses[i]));
  return json_pack("{s:s, s:s, s:I, s:I, s:I, s:I, s:f, s:o, s:o, s:o, s:o, s:o}", "rules",
                   f->rs->id, "basis", f->basis == TPP_FLEET_DECLARED ? "declared" : "measured",
                   "results", (json_int_t)f->n_results, "devices", (json_int_t)f->n_devices,
                   "unknown", (json_int_t)f->n_unknown, "borderline",
                   (json_int_t)f->n_borderline, "total_tpp", f->total_tpp, "h100_equivalents",
                   isfinite(a->unit_tpp) ? json_real(f->total_tpp / a->unit_tpp) : json_null(),
                   "by_zone", zones, "by_clause", clauses, "accounting", accounting_json(f),
                   "device_list", devs);
}

void
tpp_fleet_print(const struct tpp_fleet *f, FILE *out)
{
  const struct tpp_accounting *a = &f->rs->accounting;
  fprintf(out, "fleet       %zu devices in %zu results; rules %s; TPP basis: %s\n", f->n_devices,
          f->n_results, f->rs->id, f->basis == TPP_FLEET_DECLARED ? "declared (datasheet "
                                                                    "where profiled)"
                                                                  : "measured");
  fprintf(out, "total TPP   %.1f\n", f->total_tpp);
  for (int z = TPP_ZONE_BLACK; z >= 0; z--)
    fprintf(out, "  %-13s %5zu devices  TPP %.1f\n", tpp_zone_name((enum tpp_zone)z),
            f->zones[z].devices, f->zones[z].tpp);
  if (f->n_unknown)
    fprintf(out, "  %-13s %5zu devices  (no TPP, or a zone that needs the die area or another "
                 "unknown figure)\n",
            "indeterminate", f->n_unknown);
  for (size_t i = 0; i < f->n_clauses; i++)
    fprintf(out, "%s%-22s %5zu devices  TPP %.1f\n", i == 0 ? "by clause   " : "            ",
            f->clauses[i].clause ? f->clauses[i].clause : "not controlled", f->clauses[i].devices,
            f->clauses[i].tpp);
  if (f->n_borderline)
    fprintf(out, "borderline  %zu devices are within their measured spread of a threshold\n",
            f->n_borderline);
  if (!isfinite(a->unit_tpp)) {
    fprintf(out, "accounting  %s has no accounting quantities (try --rules ai-diffusion-2025)\n",
            f->rs->id);
    return;
  }
  fprintf(out, "counted     %zu devices, TPP %.1f = %.2f %ss (%g TPP each, %s)\n",
          f->counted_devices, f->counted_tpp, f->counted_tpp / a->unit_tpp, a->unit_name,
          a->unit_tpp, tpp_confidence_name(a->unit_confidence));
  for (size_t i = 0; i < a->n_quantities; i++) {
    const struct tpp_quantity *q = &a->quantities[i];
    fprintf(out, "%s%s: %.0f TPP per %s [%s]: %.3g%% used, %s\n",
            i == 0 ? "quantities  " : "            ", q->title, q->tpp, q->per,
            tpp_confidence_name(q->confidence), 100 * f->counted_tpp / q->tpp,
            f->counted_tpp <= q->tpp ? "fits" : "EXCEEDED");
  }
  for (size_t i = 0; i < a->n_shares; i++) {
    const struct tpp_quantity *q = &a->shares[i];
    double total, region;
    share_needs(q, f->counted_tpp, &total, &region);
    if (isfinite(q->max_fraction))
      fprintf(out, "%s%s (at most %g%%) [%s]: this fleet in one such place needs a total of at "
                   "least %.1f TPP\n",
              i == 0 ? "shares      " : "            ", q->title, 100 * q->max_fraction,
              tpp_confidence_name(q->confidence), total);
    else
      fprintf(out, "%s%s (at least %g%%) [%s]: this fleet outside it needs at least %.1f TPP "
                   "inside (total %.1f)\n",
              i == 0 ? "shares      " : "            ", q->title, 100 * q->min_fraction,
              tpp_confidence_name(q->confidence), region, total);
  }
  fprintf(out, "            confidence: secondary = published summaries of the rule, derived = "
               "arithmetic on them, recalled = unverified (docs/fleet.md)\n");
}
