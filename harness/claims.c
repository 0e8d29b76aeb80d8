/* claims.c - a result file's own claims, checked on reading.  See claims.h. */
#include "tpp/claims.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tpp/metrics.h"

static const char *const claim_names[TPP_CLAIM_COUNT] = {
    [TPP_CLAIM_NONE] = "none",           [TPP_CLAIM_CONFIRMED] = "confirmed",
    [TPP_CLAIM_USER] = "user-supplied",  [TPP_CLAIM_MISMATCH] = "mismatch",
    [TPP_CLAIM_UNMATCHED] = "unmatched", [TPP_CLAIM_UNKNOWN] = "unknown profile",
};

const char *
tpp_profile_claim_name(enum tpp_profile_claim c)
{
  return (unsigned)c < TPP_CLAIM_COUNT ? claim_names[c] : "?";
}

int
tpp_die_area_source_dies(const char *source)
{
  int n = 0;
  if (strncmp(source, "profile:", 8) == 0)
    return TPP_DIES_MAX;
  if (sscanf(source, "--die-area (%d dies)", &n) == 1 && n >= 1)
    return n;
  return 1;
}

/* The profile id a "profile:ID ..." source names (into buf), or NULL. */
static const char *
source_profile(const char *source, char *buf, size_t len)
{
  size_t n;
  if (strncmp(source, "profile:", 8) != 0)
    return NULL;
  source += 8;
  n = strcspn(source, " (");
  snprintf(buf, len, "%.*s", (int)n, source);
  return buf;
}

static void dispute(struct tpp_claims *c, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
dispute(struct tpp_claims *c, const char *fmt, ...)
{
  size_t used = strlen(c->why);
  va_list ap;
  c->disputed = 1;
  if (used && used + 2 < sizeof(c->why))
    used += (size_t)snprintf(c->why + used, sizeof(c->why) - used, "; ");
  va_start(ap, fmt);
  if (used < sizeof(c->why))
    vsnprintf(c->why + used, sizeof(c->why) - used, fmt, ap);
  va_end(ap);
}

/* The file's profile against what its identity matches. */
static void
check_profile(const struct tpp_device_result *d, const struct tpp_profile_set *set,
              struct tpp_claims *c)
{
  struct tpp_profile_match m;
  const struct tpp_profile *named;
  int by_user = strcmp(d->profile.matched_by, "--profile") == 0;

  tpp_profile_match_device(set, &d->info, &m);
  if (m.profile) {
    snprintf(c->identity_profile, sizeof(c->identity_profile), "%s", m.profile->id);
    snprintf(c->how, sizeof(c->how), "%s", m.how);
    c->ambiguous = m.ambiguous;
  }
  if (!d->has_profile) {
    c->profile = TPP_CLAIM_NONE;
    return;
  }
  snprintf(c->file_profile, sizeof(c->file_profile), "%s", d->profile.id);
  named = tpp_profile_find(set, d->profile.id);
  if (m.profile && named) {
    /* Confirmed when the named profile is the match, or ties with it. */
    struct tpp_profile_set one = {.v = (struct tpp_profile *)named, .n = 1};
    struct tpp_profile_match m1;
    tpp_profile_match_device(&one, &d->info, &m1);
    if (m.profile == named || (m1.profile && m1.score == m.score)) {
      c->profile = TPP_CLAIM_CONFIRMED;
      return;
    }
  }
  if (m.profile) {
    c->profile = TPP_CLAIM_MISMATCH;
    dispute(c, "the file names profile %s (%s), but the identity matches %s (%s)", d->profile.id,
            d->profile.matched_by[0] ? d->profile.matched_by : "no reason given", m.profile->id,
            m.how);
  } else if (by_user) {
    c->profile = TPP_CLAIM_USER;
  } else if (!named) {
    c->profile = TPP_CLAIM_UNKNOWN;
    dispute(c, "the file names profile %s, which is no profile of %s", d->profile.id,
            set->dir[0] ? set->dir : "this tppbench");
  } else {
    c->profile = TPP_CLAIM_UNMATCHED;
    dispute(c, "the file says profile %s matched (%s), but the identity matches no profile",
            d->profile.id, d->profile.matched_by[0] ? d->profile.matched_by : "no reason given");
  }
  if (named && c->profile != TPP_CLAIM_MISMATCH && named->datacenter != d->profile.datacenter)
    dispute(c, "the file's copy of profile %s says %s, the profile says %s", named->id,
            d->profile.datacenter ? "datacenter" : "not datacenter",
            named->datacenter ? "datacenter" : "not datacenter");
}

/* The die area: its source, and a profile's area against that profile. */
static void
check_die_area(const struct tpp_device_result *d, const struct tpp_profile_set *set,
               struct tpp_claims *c)
{
  char id[64];
  const char *src = d->die_area_source;
  c->die_area_dies = tpp_die_area_source_dies(src);
  snprintf(c->die_area_source, sizeof(c->die_area_source), "%s", src[0] ? src : "none");
  if (isnan(d->die_area_mm2))
    return;
  if (source_profile(src, id, sizeof(id))) {
    const struct tpp_profile *p = set ? tpp_profile_find(set, id) : NULL;
    if (set && !p)
      dispute(c, "die area %g mm² is said to be profile %s's, which is no profile", d->die_area_mm2,
              id);
    else if (p && !(fabs(d->die_area_mm2 - p->die_area_mm2) <= 1e-9 * p->die_area_mm2))
      dispute(c, "die area %g mm² is said to be profile %s's, which gives %g mm²", d->die_area_mm2,
              id, p->die_area_mm2);
    return;
  }
  c->die_area_user = 1;
  if (strncmp(src, "--die-area", 10) != 0)
    snprintf(c->die_area_source, sizeof(c->die_area_source), "in the file (source \"%s\")",
             src[0] ? src : "none");
}

static void
check_datacenter(const struct tpp_device_result *d, int dc_given, struct tpp_claims *c)
{
  int expected = d->has_profile ? d->profile.datacenter : 1;
  if (dc_given >= 0) {
    c->datacenter_user = 1;
    snprintf(c->datacenter_source, sizeof(c->datacenter_source), "%s (this command)",
             dc_given ? "--datacenter" : "--non-datacenter");
  } else if (d->datacenter != expected) {
    c->datacenter_user = 1;
    snprintf(c->datacenter_source, sizeof(c->datacenter_source), "set at run time (%s), not the %s",
             d->datacenter ? "--datacenter" : "--non-datacenter",
             d->has_profile ? "profile's" : "default");
  } else {
    snprintf(c->datacenter_source, sizeof(c->datacenter_source), "%s%s",
             d->has_profile ? "profile:" : "default", d->has_profile ? d->profile.id : "");
  }
}

void
tpp_claims_check(const struct tpp_device_result *d, const struct tpp_profile_set *set, int dc_given,
                 struct tpp_claims *out)
{
  memset(out, 0, sizeof(*out));
  if (set)
    check_profile(d, set, out);
  else
    out->profile = d->has_profile ? TPP_CLAIM_USER : TPP_CLAIM_NONE;
  check_die_area(d, set, out);
  check_datacenter(d, dc_given, out);
}

void
tpp_claims_apply(struct tpp_device_result *d, const struct tpp_profile_set *set,
                 const struct tpp_claims *c)
{
  struct tpp_profile_match m;
  if (!c->disputed)
    return;
  d->has_profile = 0;
  memset(&d->profile, 0, sizeof(d->profile));
  d->profile.die_area_mm2 = d->profile.memory_bw_gbs = d->profile.interconnect_gbs = NAN;
  if (!c->die_area_user) {
    d->die_area_mm2 = NAN;
    snprintf(d->die_area_source, sizeof(d->die_area_source), "unknown");
  }
  if (strncmp(d->interconnect_source, "profile:", 8) == 0) {
    d->interconnect_gbs = NAN;
    snprintf(d->interconnect_source, sizeof(d->interconnect_source), "unknown");
  }
  d->datacenter = 1;
  tpp_profile_match_device(set, &d->info, &m);
  if (m.profile)
    tpp_device_result_set_profile(d, m.profile, m.how, 0);
}

json_t *
tpp_claims_to_json(const struct tpp_claims *c, int datacenter)
{
  return json_pack("{s:{s:s, s:o, s:o, s:o, s:b}, s:b, s:o, s:{s:s, s:b, s:i}, s:{s:b, s:s, "
                   "s:b}}",
                   "profile", "status", tpp_profile_claim_name(c->profile), "file",
                   c->file_profile[0] ? json_string(c->file_profile) : json_null(), "identity",
                   c->identity_profile[0] ? json_string(c->identity_profile) : json_null(), "how",
                   c->how[0] ? json_string(c->how) : json_null(), "ambiguous", c->ambiguous,
                   "disputed", c->disputed, "why", c->why[0] ? json_string(c->why) : json_null(),
                   "die_area", "source", c->die_area_source, "user_supplied", c->die_area_user,
                   "dies", c->die_area_dies, "datacenter", "value", datacenter, "source",
                   c->datacenter_source, "user_supplied", c->datacenter_user);
}

void
tpp_claims_print(const struct tpp_claims *c, int datacenter, FILE *out)
{
  const char *lead = "claims      ";
  if (c->disputed) {
    fprintf(out, "%sDISPUTED: %s\n", lead, c->why);
    lead = "            ";
  }
  if (c->profile == TPP_CLAIM_USER) {
    fprintf(out,
            "%sprofile %s named by the user (--profile at run time): the identity does not "
            "confirm it\n",
            lead, c->file_profile);
    lead = "            ";
  }
  if (c->die_area_user) {
    fprintf(out, "%sdie area supplied by the user: %s\n", lead, c->die_area_source);
    lead = "            ";
  }
  if (c->datacenter_user)
    fprintf(out, "%s%s chip: supplied by the user, %s\n", lead,
            datacenter ? "datacenter" : "non-datacenter", c->datacenter_source);
}
