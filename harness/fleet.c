/* fleet.c - totals over many results.  See fleet.h and docs/fleet.md. */
#define _DEFAULT_SOURCE /* realpath */
#include "tpp/fleet.h"

#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tpp/claims.h"
#include "tpp/version.h"

static const char *const basis_names[TPP_FLEET_BASIS_COUNT] = {
    [TPP_FLEET_RULE] = "rule",
    [TPP_FLEET_MEASURED] = "measured",
    [TPP_FLEET_DECLARED] = "declared",
};

static const char *const verdict_names[] = {
    [TPP_FLEET_UNDETERMINED] = "undetermined",
    [TPP_FLEET_FITS] = "fits",
    [TPP_FLEET_EXCEEDED] = "exceeded",
};

const char *
tpp_fleet_basis_name(enum tpp_fleet_basis b)
{
  return (unsigned)b < TPP_FLEET_BASIS_COUNT ? basis_names[b] : "?";
}

int
tpp_fleet_basis_parse(const char *name, enum tpp_fleet_basis *out)
{
  for (int b = 0; b < TPP_FLEET_BASIS_COUNT; b++)
    if (strcmp(name, basis_names[b]) == 0) {
      *out = (enum tpp_fleet_basis)b;
      return 0;
    }
  return TPP_EINVAL;
}

const char *
tpp_fleet_verdict_name(enum tpp_fleet_verdict v)
{
  return (unsigned)v <= TPP_FLEET_EXCEEDED ? verdict_names[v] : "?";
}

int
tpp_fleet_verdict_exit_status(enum tpp_fleet_verdict v)
{
  return v == TPP_FLEET_FITS ? 0 : v == TPP_FLEET_EXCEEDED ? 1 : 3;
}

void
tpp_fleet_init(struct tpp_fleet *f, const struct tpp_ruleset *rs, enum tpp_fleet_basis basis)
{
  memset(f, 0, sizeof(*f));
  f->rs = rs;
  f->basis = basis;
  f->other = basis == TPP_FLEET_MEASURED ? TPP_FLEET_RULE : TPP_FLEET_MEASURED;
  f->n_readings = tpp_ruleset_readings(rs, f->readings);
}

/* --- the store: strings and outcomes of the devices --------------------------------- */

/* Devices keep their strings and outcomes here, in blocks freed all at once, and a string
 * met again (a file's name for each of its devices, a device name, a host) is kept once:
 * 80,000 devices are a few tens of MB, and adding one costs no malloc of its own. */
struct store_block {
  struct store_block *next;
  size_t used, cap;
  max_align_t data[];
};

struct tpp_fleet_store {
  struct store_block *blocks;
  const char **strings; /* open addressing, a power of two; NULL empty */
  size_t n_strings, n_string_slots;
};

static void *
store_alloc(struct tpp_fleet *f, size_t n)
{
  struct tpp_fleet_store *s = f->store;
  struct store_block *b;
  n = (n + sizeof(max_align_t) - 1) / sizeof(max_align_t) * sizeof(max_align_t);
  if (!s && !(s = f->store = calloc(1, sizeof(*s))))
    return NULL;
  b = s->blocks;
  if (!b || b->cap - b->used < n) {
    /* Blocks double from 4 KB (a fleet of one file stays small) to 1 MB. */
    size_t cap = b ? (b->cap < (1u << 20) ? 2 * b->cap : b->cap) : 4096;
    if (cap < n)
      cap = n;
    if (!(b = malloc(sizeof(*b) + cap)))
      return NULL;
    b->next = s->blocks;
    b->used = 0;
    b->cap = cap;
    s->blocks = b;
  }
  b->used += n;
  return (char *)b->data + b->used - n;
}

static uint64_t
hash_key(const char *s)
{
  uint64_t h = 1469598103934665603ull; /* FNV-1a */
  for (; *s; s++)
    h = (h ^ (unsigned char)*s) * 1099511628211ull;
  return h;
}

/* A copy of s in the store, the same pointer for the same text; NULL out of memory. */
static const char *
store_string(struct tpp_fleet *f, const char *s)
{
  struct tpp_fleet_store *st;
  size_t i, mask, len;
  char *copy;
  if (!s)
    s = "";
  if (!f->store && !store_alloc(f, 0))
    return NULL;
  st = f->store;
  if (2 * (st->n_strings + 1) > st->n_string_slots) {
    size_t n = st->n_string_slots ? 2 * st->n_string_slots : 256;
    const char **grown = calloc(n, sizeof(*grown));
    if (!grown)
      return NULL;
    for (size_t k = 0; k < st->n_string_slots; k++) {
      if (!st->strings[k])
        continue;
      for (i = hash_key(st->strings[k]) & (n - 1); grown[i]; i = (i + 1) & (n - 1))
        ;
      grown[i] = st->strings[k];
    }
    free(st->strings);
    st->strings = grown;
    st->n_string_slots = n;
  }
  mask = st->n_string_slots - 1;
  for (i = hash_key(s) & mask; st->strings[i]; i = (i + 1) & mask)
    if (strcmp(st->strings[i], s) == 0)
      return st->strings[i];
  len = strlen(s);
  if (!(copy = store_alloc(f, len + 1)))
    return NULL;
  memcpy(copy, s, len + 1);
  st->strings[i] = copy;
  st->n_strings++;
  return copy;
}

static void
store_free(struct tpp_fleet_store *s)
{
  if (!s)
    return;
  while (s->blocks) {
    struct store_block *next = s->blocks->next;
    free(s->blocks);
    s->blocks = next;
  }
  free(s->strings);
  free(s);
}

void
tpp_fleet_free(struct tpp_fleet *f)
{
  free(f->devices);
  free(f->dups);
  free(f->skipped);
  free(f->not_read);
  free(f->slots);
  store_free(f->store);
  f->devices = NULL;
  f->dups = NULL;
  f->skipped = f->not_read = NULL;
  f->slots = NULL;
  f->store = NULL;
  f->n_devices = f->cap = f->n_dups = f->cap_dups = f->n_slots = 0;
  f->n_skipped = f->cap_skipped = f->n_not_read = f->cap_not_read = 0;
}

/* --- profile matches, remembered ----------------------------------------------------- */

#define MEMO_SLOTS 256

struct tpp_fleet_memo {
  struct memo_entry {
    int used;
    unsigned pci_vendor_id, pci_device_id;
    int compute_units;
    uint64_t global_mem_bytes;
    char name[sizeof(((struct tpp_device_info *)0)->name)];
    struct tpp_profile_match match;
  } e[MEMO_SLOTS];
};

struct tpp_fleet_memo *
tpp_fleet_memo_new(void)
{
  return calloc(1, sizeof(struct tpp_fleet_memo));
}

void
tpp_fleet_memo_free(struct tpp_fleet_memo *m)
{
  free(m);
}

/* tpp_profile_match_device, through the memo when there is one.  What the match reads of
 * the identity is the key: PCI ids, name, compute units, memory. */
static void
match_device(struct tpp_fleet_memo *m, const struct tpp_profile_set *profiles,
             const struct tpp_device_info *d, struct tpp_profile_match *out)
{
  struct memo_entry *e;
  if (!m) {
    tpp_profile_match_device(profiles, d, out);
    return;
  }
  e = &m->e[(hash_key(d->name) ^ d->pci_device_id ^ (uint64_t)d->compute_units ^
             d->global_mem_bytes) %
            MEMO_SLOTS];
  if (!(e->used && e->pci_vendor_id == d->pci_vendor_id && e->pci_device_id == d->pci_device_id &&
        e->compute_units == d->compute_units && e->global_mem_bytes == d->global_mem_bytes &&
        strcmp(e->name, d->name) == 0)) {
    e->used = 1;
    e->pci_vendor_id = d->pci_vendor_id;
    e->pci_device_id = d->pci_device_id;
    e->compute_units = d->compute_units;
    e->global_mem_bytes = d->global_mem_bytes;
    snprintf(e->name, sizeof(e->name), "%s", d->name);
    tpp_profile_match_device(profiles, d, &e->match);
  }
  *out = e->match;
}

/* --- identity: each device counted once -------------------------------------------- */

/* By UUID; without one, by host, PCI bus id (or selector) and the file's real path (real:
 * resolved once per file by the caller), so the same file given twice counts once. */
static void
device_key(char *buf, size_t len, const char *host, const struct tpp_device_info *info,
           const char *real)
{
  if (info->uuid[0])
    snprintf(buf, len, "uuid %s", info->uuid);
  else
    snprintf(buf, len, "host %s, %s %s, file %s", host[0] ? host : "(unknown)",
             info->pci_bus_id[0] ? "pci" : "device",
             info->pci_bus_id[0] ? info->pci_bus_id : info->selector, real);
}

/* Index of the device with this key, or SIZE_MAX; *slot gets where it is or would go. */
static size_t
find_key(const struct tpp_fleet *f, const char *key, size_t *slot)
{
  size_t i;
  if (f->n_slots == 0)
    return SIZE_MAX;
  for (i = hash_key(key) & (f->n_slots - 1);; i = (i + 1) & (f->n_slots - 1)) {
    size_t k = f->slots[i];
    if (k == 0)
      break;
    if (strcmp(f->devices[k - 1].key, key) == 0) {
      *slot = i;
      return k - 1;
    }
  }
  *slot = i;
  return SIZE_MAX;
}

/* Room for one more key at a load of at most 1/2. */
static int
grow_slots(struct tpp_fleet *f)
{
  size_t n = f->n_slots ? f->n_slots : 64, *old = f->slots, n_old = f->n_slots;
  if (2 * (f->n_devices + 1) <= f->n_slots)
    return 0;
  while (2 * (f->n_devices + 1) > n)
    n *= 2;
  if (!(f->slots = calloc(n, sizeof(*f->slots)))) {
    f->slots = old;
    return TPP_ENOMEM;
  }
  f->n_slots = n;
  for (size_t i = 0; i < n_old; i++) {
    size_t slot;
    if (old[i] == 0)
      continue;
    find_key(f, f->devices[old[i] - 1].key, &slot);
    f->slots[slot] = old[i];
  }
  free(old);
  return 0;
}

/* Grow an array of elements of `size` bytes to hold one more. */
static int
grow(void **v, size_t *cap, size_t n, size_t size)
{
  size_t c = *cap ? 2 * *cap : 16;
  void *grown;
  if (n < *cap)
    return 0;
  if (!(grown = realloc(*v, c * size)))
    return TPP_ENOMEM;
  *v = grown;
  *cap = c;
  return 0;
}

static int
note_dup(struct tpp_fleet *f, const char *name, const char *key, const char *first,
         const char *again)
{
  struct tpp_fleet_dup *u;
  if (grow((void **)&f->dups, &f->cap_dups, f->n_dups, sizeof(*f->dups)))
    return TPP_ENOMEM;
  u = &f->dups[f->n_dups];
  if (!(u->name = store_string(f, name)) || !(u->key = store_string(f, key)) ||
      !(u->first = store_string(f, first)) || !(u->again = store_string(f, again)))
    return TPP_ENOMEM;
  f->n_dups++;
  return 0;
}

static int
note_file(struct tpp_fleet *f, struct tpp_fleet_file_note **v, size_t *n, size_t *cap,
          const char *file, const char *why)
{
  struct tpp_fleet_file_note *e;
  if (grow((void **)v, cap, *n, sizeof(**v)))
    return TPP_ENOMEM;
  e = &(*v)[*n];
  if (!(e->file = store_string(f, file)) || !(e->why = store_string(f, why)))
    return TPP_ENOMEM;
  (*n)++;
  return 0;
}

int
tpp_fleet_note_skipped(struct tpp_fleet *f, const char *file, const char *why)
{
  return note_file(f, &f->skipped, &f->n_skipped, &f->cap_skipped, file, why);
}

int
tpp_fleet_note_not_read(struct tpp_fleet *f, const char *file, const char *why)
{
  return note_file(f, &f->not_read, &f->n_not_read, &f->cap_not_read, file, why);
}

/* Count `d` (its strings copied into the store, its outcomes too), or, when a device with
 * its key is already counted, record the duplicate. */
static int
add_device(struct tpp_fleet *f, const struct tpp_fleet_device *d)
{
  struct tpp_fleet_device *fd;
  size_t idx, slot = 0;

  if ((idx = find_key(f, d->key, &slot)) != SIZE_MAX)
    return note_dup(f, d->name, f->devices[idx].key, f->devices[idx].file, d->file);
  if (grow((void **)&f->devices, &f->cap, f->n_devices, sizeof(*f->devices)) || grow_slots(f))
    return TPP_ENOMEM;
  fd = &f->devices[f->n_devices];
  if (!(fd->file = store_string(f, d->file)) || !(fd->host = store_string(f, d->host)) ||
      !(fd->selector = store_string(f, d->selector)) || !(fd->name = store_string(f, d->name)) ||
      !(fd->pci_bus_id = store_string(f, d->pci_bus_id)) ||
      !(fd->uuid = store_string(f, d->uuid)) || !(fd->profile = store_string(f, d->profile)) ||
      !(fd->key = store_string(f, d->key)) || (d->why && !(fd->why = store_string(f, d->why))))
    return TPP_ENOMEM;
  if (!d->why)
    fd->why = NULL;
  fd->profile_claim = d->profile_claim;
  fd->disputed = d->disputed;
  fd->die_area_user = d->die_area_user;
  fd->datacenter_user = d->datacenter_user;
  fd->interrupted = d->interrupted;
  for (int b = 0; b < TPP_FLEET_BASES; b++) {
    if (!(fd->on[b] = store_alloc(f, f->n_readings * sizeof(*fd->on[b]))))
      return TPP_ENOMEM;
    memcpy(fd->on[b], d->on[b], f->n_readings * sizeof(*fd->on[b]));
  }
  f->n_devices++;
  find_key(f, fd->key, &slot);
  f->slots[slot] = f->n_devices;
  return 0;
}

int
tpp_fleet_merge(struct tpp_fleet *f, const struct tpp_fleet *part)
{
  int err;
  if (part->rs != f->rs || part->basis != f->basis || part->n_readings != f->n_readings)
    return TPP_EINVAL;
  f->n_results += part->n_results;
  for (size_t i = 0; i < part->n_devices; i++)
    if ((err = add_device(f, &part->devices[i])) != 0)
      return err;
  for (size_t i = 0; i < part->n_dups; i++) {
    const struct tpp_fleet_dup *u = &part->dups[i];
    if ((err = note_dup(f, u->name, u->key, u->first, u->again)) != 0)
      return err;
  }
  for (size_t i = 0; i < part->n_skipped; i++)
    if ((err = tpp_fleet_note_skipped(f, part->skipped[i].file, part->skipped[i].why)) != 0)
      return err;
  for (size_t i = 0; i < part->n_not_read; i++)
    if ((err = tpp_fleet_note_not_read(f, part->not_read[i].file, part->not_read[i].why)) != 0)
      return err;
  return 0;
}

/* --- one device on one basis --------------------------------------------------------- */

/* Can an undetermined classification land in a counted zone? */
static int
may_count(const struct tpp_classification *c, unsigned counted)
{
  if (c->zone != TPP_ZONE_INDETERMINATE)
    return 0;
  if (isnan(c->tpp) || (c->n_ranges == 0 && c->n_scenarios == 0))
    return 1;
  for (size_t i = 0; i < c->n_ranges; i++)
    if (counted & (1u << c->ranges[i].zone))
      return 1;
  for (size_t i = 0; i < c->n_scenarios; i++)
    if ((counted & (1u << c->scenarios[i].zone)) || c->scenarios[i].zone == TPP_ZONE_INDETERMINATE)
      return 1;
  return 0;
}

static void
fill_outcomes(const struct tpp_fleet *f, const struct tpp_classification *c, const char *basis,
              struct tpp_fleet_outcome *out)
{
  unsigned counted = f->rs->accounting.counted_zones;
  out[0].tpp = c->tpp;
  out[0].basis = basis;
  out[0].zone = c->zone;
  out[0].clause = c->clause;
  out[0].borderline = c->borderline;
  out[0].borderline_zone = c->borderline_zone;
  out[0].may_count = may_count(c, counted);
  out[0].lower_bound = c->tpp_lower_bound;
  /* The classification lists the other readings in tpp_ruleset_readings order. */
  for (size_t k = 1; k < f->n_readings; k++) {
    struct tpp_fleet_outcome *o = &out[k];
    memset(o, 0, sizeof(*o));
    o->basis = basis;
    o->tpp = NAN;
    o->zone = TPP_ZONE_INDETERMINATE;
    o->may_count = 1;
    if (k - 1 < c->n_readings && c->readings[k - 1].evaluated) {
      o->tpp = c->readings[k - 1].tpp;
      o->zone = c->readings[k - 1].zone;
      o->clause = c->readings[k - 1].clause;
      o->may_count = o->zone == TPP_ZONE_INDETERMINATE;
    }
  }
}

/* The device on basis b: the datasheet TPP of its profile (declared), its measured TPP,
 * or nothing (the declared basis without a profile figure). */
static int
device_outcomes(const struct tpp_fleet *f, const struct tpp_device_result *d,
                const struct tpp_profile_set *profiles, enum tpp_fleet_basis b,
                struct tpp_fleet_outcome *out)
{
  const struct tpp_profile *p = NULL;
  struct tpp_peak peaks[TPP_PROFILE_MAX_PEAKS];
  struct tpp_figures fig = {.peaks = peaks};
  struct tpp_classification *cls;
  struct tpp_chip_facts facts;
  int err;

  memset(peaks, 0, sizeof(peaks));
  if (b != TPP_FLEET_MEASURED && d->has_profile && profiles)
    p = tpp_profile_find(profiles, d->profile.id);
  if (p)
    fig.n = tpp_profile_figures(p, peaks, TPP_PROFILE_MAX_PEAKS);
  if (fig.n == 0 || isnan(tpp_tpp_read(peaks, fig.n, &f->readings[0], NULL))) {
    if (b != TPP_FLEET_DECLARED) {
      fill_outcomes(f, &d->cls, "measured", out);
      return 0;
    }
    fig.n = 0; /* the declared basis without a datasheet figure: no TPP */
  }
  if (!(cls = malloc(sizeof(*cls))))
    return TPP_ENOMEM;
  tpp_device_result_facts(d, &facts);
  err = tpp_classify_figures(f->rs, &facts, &fig, cls); /* a datasheet figure has no spread */
  if (err == 0)
    fill_outcomes(f, cls, fig.n ? "declared" : "none", out);
  free(cls);
  return err;
}

int
tpp_fleet_add(struct tpp_fleet *f, const char *file, struct tpp_result *r,
              const struct tpp_profile_set *profiles)
{
  struct tpp_fleet_outcome on[TPP_FLEET_BASES][TPP_MAX_READINGS];
  json_t *h = r->host ? json_object_get(r->host, "hostname") : NULL;
  const char *host = json_is_string(h) ? json_string_value(h) : "";
  char key[4600], *real = NULL;

  f->n_results++;
  for (size_t k = 0; k < r->n_devices; k++) {
    struct tpp_device_result *d = &r->devices[k];
    struct tpp_fleet_device fd = {0};
    struct tpp_claims cl;
    int err;

    /* A profile the identity contradicts is not used (claims.h). */
    tpp_claims_check(d, profiles, -1, &cl);
    tpp_claims_apply(d, profiles, &cl);
    if (!d->has_profile && profiles) {
      /* A result written without a profile: match one now, for its die area. */
      struct tpp_profile_match m;
      match_device(f->memo, profiles, &d->info, &m);
      if (m.profile)
        tpp_device_result_set_profile(d, m.profile, m.how, 0);
    }
    if ((err = tpp_device_result_classify(d, f->rs)) != 0) {
      snprintf(f->why, sizeof(f->why), "%s (%s): %s", d->info.selector, d->info.name,
               d->cls.reason);
      free(real);
      return err;
    }
    if (!d->info.uuid[0] && !real && !(real = realpath(file, NULL)) && !(real = strdup(file)))
      return TPP_ENOMEM;
    device_key(key, sizeof(key), host, &d->info, real);
    fd.file = file;
    fd.host = host;
    fd.selector = d->info.selector;
    fd.name = d->info.name;
    fd.pci_bus_id = d->info.pci_bus_id;
    fd.uuid = d->info.uuid;
    fd.profile = d->has_profile ? d->profile.id : "";
    fd.key = key;
    fd.on[0] = on[0];
    fd.on[1] = on[1];
    fd.profile_claim = (unsigned char)cl.profile;
    fd.disputed = (unsigned char)cl.disputed;
    fd.die_area_user = (unsigned char)cl.die_area_user;
    fd.datacenter_user = (unsigned char)cl.datacenter_user;
    fd.interrupted = (unsigned char)(d->interrupted || r->incomplete);
    fd.why = cl.disputed ? cl.why : NULL;
    if ((err = device_outcomes(f, d, profiles, f->basis, on[0])) != 0 ||
        (err = device_outcomes(f, d, profiles, f->other, on[1])) != 0 ||
        (err = add_device(f, &fd)) != 0) {
      free(real);
      return err;
    }
  }
  free(real);
  return 0;
}

/* --- totals -------------------------------------------------------------------------- */

static void
add_to_clause(struct tpp_fleet_tally *t, enum tpp_zone zone, const char *clause, double tpp)
{
  size_t i;
  for (i = 0; i < t->n_clauses; i++)
    if (t->clauses[i].zone == zone &&
        (clause ? t->clauses[i].clause && strcmp(t->clauses[i].clause, clause) == 0
                : t->clauses[i].clause == NULL))
      break;
  if (i == t->n_clauses) {
    if (i == TPP_FLEET_MAX_GROUPS)
      return; /* a rule set has at most 16 clauses, plus not controlled */
    t->clauses[i].zone = zone;
    t->clauses[i].clause = clause;
    t->n_clauses++;
  }
  t->clauses[i].devices++;
  t->clauses[i].tpp += tpp;
}

void
tpp_fleet_tally(const struct tpp_fleet *f, int b, size_t k, struct tpp_fleet_tally *t)
{
  unsigned counted = f->rs->accounting.counted_zones;
  memset(t, 0, sizeof(*t));
  t->basis = b == 0 ? f->basis : f->other;
  t->reading = f->readings[k < f->n_readings ? k : 0];
  t->incomplete = f->n_not_read > 0;
  for (int z = 0; z < TPP_ZONE_COUNT; z++)
    t->zones[z].zone = (enum tpp_zone)z;
  for (size_t i = 0; i < f->n_devices; i++) {
    const struct tpp_fleet_outcome *o = &f->devices[i].on[b][k];
    t->n_devices++;
    t->n_lower_bound += o->lower_bound != 0;
    t->n_basis_declared += strcmp(o->basis, "declared") == 0;
    t->n_basis_measured += strcmp(o->basis, "measured") == 0;
    if (o->zone == TPP_ZONE_INDETERMINATE) {
      t->n_undetermined++;
      t->zones[TPP_ZONE_INDETERMINATE].devices++;
      if (isnan(o->tpp)) {
        t->n_unknown_tpp++;
        continue;
      }
      t->zones[TPP_ZONE_INDETERMINATE].tpp += o->tpp;
      if (o->may_count)
        t->undetermined_tpp += o->tpp;
      continue;
    }
    t->n_borderline += o->borderline != 0;
    t->total_tpp += o->tpp;
    t->zones[o->zone].devices++;
    t->zones[o->zone].tpp += o->tpp;
    add_to_clause(t, o->zone, o->clause, o->tpp);
    if (counted & (1u << o->zone)) {
      t->counted_tpp += o->tpp;
      t->counted_devices++;
      if (o->borderline && !(counted & (1u << o->borderline_zone)))
        t->doubtful_tpp += o->tpp;
    } else if (o->borderline && (counted & (1u << o->borderline_zone))) {
      t->possible_tpp += o->tpp;
    }
  }
}

enum tpp_fleet_verdict
tpp_fleet_quantity_verdict(const struct tpp_fleet_tally *t, const struct tpp_quantity *q)
{
  /* Exceeded only by what is surely counted; fits only when nothing undecided could tip
   * it: devices of unknown TPP, files not read, undetermined devices that may be counted,
   * borderline ones. */
  if (t->counted_tpp - t->doubtful_tpp > q->tpp)
    return TPP_FLEET_EXCEEDED;
  if (t->n_unknown_tpp > 0 || t->incomplete || t->n_lower_bound > 0 ||
      t->counted_tpp + t->undetermined_tpp + t->possible_tpp > q->tpp)
    return TPP_FLEET_UNDETERMINED;
  return TPP_FLEET_FITS;
}

static int
has_quantities(const struct tpp_accounting *a)
{
  return isfinite(a->unit_tpp) && a->n_quantities > 0;
}

enum tpp_fleet_verdict
tpp_fleet_verdict(const struct tpp_fleet *f, const struct tpp_fleet_tally *t)
{
  const struct tpp_accounting *a = &f->rs->accounting;
  int undetermined = 0;
  if (!has_quantities(a))
    return t->n_undetermined || t->incomplete ? TPP_FLEET_UNDETERMINED : TPP_FLEET_FITS;
  for (size_t i = 0; i < a->n_quantities; i++) {
    enum tpp_fleet_verdict v = tpp_fleet_quantity_verdict(t, &a->quantities[i]);
    if (v == TPP_FLEET_EXCEEDED)
      return v;
    undetermined |= v == TPP_FLEET_UNDETERMINED;
  }
  return undetermined ? TPP_FLEET_UNDETERMINED : TPP_FLEET_FITS;
}

enum tpp_fleet_verdict
tpp_fleet_result(const struct tpp_fleet *f)
{
  struct tpp_fleet_tally t;
  tpp_fleet_tally(f, 0, 0, &t);
  return tpp_fleet_verdict(f, &t);
}

/* Devices whose zone on the chosen basis differs between reading k and the chosen one. */
static size_t
zone_changes(const struct tpp_fleet *f, size_t k)
{
  size_t n = 0;
  for (size_t i = 0; i < f->n_devices; i++)
    n += f->devices[i].on[0][k].zone != f->devices[i].on[0][0].zone;
  return n;
}

/* Another reading changes a device's zone or a verdict: it is reported.  *verdicts: it
 * changes the fleet's or a quantity's verdict (the verdict is interpretation-sensitive). */
static int
reading_differs(const struct tpp_fleet *f, size_t k, const struct tpp_fleet_tally *t0,
                int *verdicts)
{
  const struct tpp_accounting *a = &f->rs->accounting;
  struct tpp_fleet_tally t;
  tpp_fleet_tally(f, 0, k, &t);
  *verdicts = tpp_fleet_verdict(f, &t) != tpp_fleet_verdict(f, t0);
  for (size_t i = 0; has_quantities(a) && i < a->n_quantities; i++)
    *verdicts |= tpp_fleet_quantity_verdict(&t, &a->quantities[i]) !=
                 tpp_fleet_quantity_verdict(t0, &a->quantities[i]);
  return *verdicts || zone_changes(f, k) > 0;
}

/* --- output -------------------------------------------------------------------------- */

static json_t *
num_or_null(double v)
{
  return isfinite(v) ? json_real(v) : json_null();
}

static json_t *
group_json(const struct tpp_fleet_group *g)
{
  return json_pack("{s:s, s:o, s:I, s:o}", "zone", tpp_zone_name(g->zone), "clause",
                   g->clause ? json_string(g->clause) : json_null(), "devices",
                   (json_int_t)g->devices, "tpp", num_or_null(g->tpp));
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

/* The fraction of q the undecided devices could bring the fleet to; NAN when one has no
 * TPP at all, or a file was not read (then nothing bounds it). */
static double
fraction_at_most(const struct tpp_fleet_tally *t, const struct tpp_quantity *q)
{
  if (t->n_unknown_tpp || t->incomplete || t->n_lower_bound)
    return NAN;
  return (t->counted_tpp + t->undetermined_tpp + t->possible_tpp) / q->tpp;
}

static json_t *
accounting_json(const struct tpp_fleet *f, const struct tpp_fleet_tally *t,
                const struct tpp_fleet_tally *other)
{
  const struct tpp_accounting *a = &f->rs->accounting;
  json_t *qs, *ss, *zones;
  if (!isfinite(a->unit_tpp))
    return json_null();
  qs = json_array();
  ss = json_array();
  zones = json_array();
  for (int z = TPP_ZONE_WHITE; z < TPP_ZONE_COUNT; z++)
    if (a->counted_zones & (1u << z))
      json_array_append_new(zones, json_string(tpp_zone_name((enum tpp_zone)z)));
  for (size_t i = 0; i < a->n_quantities; i++) {
    const struct tpp_quantity *q = &a->quantities[i];
    enum tpp_fleet_verdict v = tpp_fleet_quantity_verdict(t, q);
    json_array_append_new(
        qs,
        json_pack("{s:s, s:s, s:s, s:f, s:o, s:o, s:s, s:b, s:{s:s, s:o, s:s}, s:s, s:s}", "id",
                  q->id, "title", q->title, "per", q->per, "tpp", q->tpp, "fraction_used",
                  num_or_null(t->counted_tpp / q->tpp), "fraction_at_most",
                  num_or_null(fraction_at_most(t, q)), "verdict", tpp_fleet_verdict_name(v), "fits",
                  v == TPP_FLEET_FITS, "other_basis", "basis", tpp_fleet_basis_name(other->basis),
                  "fraction_used", num_or_null(other->counted_tpp / q->tpp), "verdict",
                  tpp_fleet_verdict_name(tpp_fleet_quantity_verdict(other, q)), "confidence",
                  tpp_confidence_name(q->confidence), "source", q->source));
  }
  for (size_t i = 0; i < a->n_shares; i++) {
    const struct tpp_quantity *q = &a->shares[i];
    double total, region;
    share_needs(q, t->counted_tpp, &total, &region);
    json_array_append_new(
        ss, json_pack("{s:s, s:s, s:s, s:o, s:o, s:o, s:o, s:s, s:s}", "id", q->id, "title",
                      q->title, "per", q->per, "max_fraction", num_or_null(q->max_fraction),
                      "min_fraction", num_or_null(q->min_fraction), "required_total_tpp",
                      num_or_null(total), "required_inside_tpp", num_or_null(region), "confidence",
                      tpp_confidence_name(q->confidence), "source", q->source));
  }
  return json_pack("{s:{s:s, s:f, s:s, s:s}, s:o, s:o, s:I, s:o, s:o, s:o, s:o}", "unit", "name",
                   a->unit_name, "tpp", a->unit_tpp, "confidence",
                   tpp_confidence_name(a->unit_confidence), "source", a->unit_source,
                   "counted_zones", zones, "counted_tpp", num_or_null(t->counted_tpp),
                   "counted_devices", (json_int_t)t->counted_devices, "unit_equivalents",
                   num_or_null(t->counted_tpp / a->unit_tpp), "undetermined_tpp",
                   num_or_null(t->undetermined_tpp), "quantities", qs, "shares", ss);
}

static json_t *
reading_json(const struct tpp_reading *r)
{
  return json_pack("{s:s, s:i}", "tpp_reading", tpp_tpp_reading_name(r->tpp), "tf32_bits",
                   tpp_reading_bits(r, TPP_TF32));
}

static json_t *
outcome_json(const struct tpp_fleet_outcome *o)
{
  return json_pack("{s:o, s:s, s:s, s:o, s:b, s:b}", "tpp", num_or_null(o->tpp), "basis", o->basis,
                   "zone", tpp_zone_name(o->zone), "clause",
                   o->clause ? json_string(o->clause) : json_null(), "borderline", o->borderline,
                   "tpp_lower_bound", o->lower_bound);
}

static json_t *
str_or_null(const char *s)
{
  return s && s[0] ? json_string(s) : json_null();
}

/* [{"file", key: why}] */
static json_t *
notes_json(const struct tpp_fleet_file_note *v, size_t n, const char *key)
{
  json_t *a = json_array();
  for (size_t i = 0; i < n; i++)
    json_array_append_new(a, json_pack("{s:s, s:s}", "file", v[i].file, key, v[i].why));
  return a;
}

static json_t *
device_json(const struct tpp_fleet *f, const struct tpp_fleet_device *d)
{
  json_t *o = outcome_json(&d->on[0][0]), *in = json_array();
  for (size_t k = 1; k < f->n_readings; k++) {
    json_t *e;
    if (d->on[0][k].zone == d->on[0][0].zone)
      continue;
    e = reading_json(&f->readings[k]);
    json_object_update_new(e, outcome_json(&d->on[0][k]));
    json_array_append_new(in, e);
  }
  json_object_set_new(o, "file", json_string(d->file));
  json_object_set_new(o, "selector", json_string(d->selector));
  json_object_set_new(o, "name", json_string(d->name));
  json_object_set_new(o, "host", str_or_null(d->host));
  json_object_set_new(o, "pci_bus_id", str_or_null(d->pci_bus_id));
  json_object_set_new(o, "uuid", str_or_null(d->uuid));
  json_object_set_new(o, "profile", str_or_null(d->profile));
  json_object_set_new(o, "claims",
                      json_pack("{s:s, s:b, s:o, s:b, s:b}", "profile",
                                tpp_profile_claim_name((enum tpp_profile_claim)d->profile_claim),
                                "disputed", d->disputed, "why",
                                d->why ? json_string(d->why) : json_null(),
                                "die_area_user_supplied", d->die_area_user,
                                "datacenter_user_supplied", d->datacenter_user));
  json_object_set_new(o, "interrupted", json_boolean(d->interrupted));
  json_object_set_new(o, "other_basis", outcome_json(&d->on[1][0]));
  json_object_set_new(o, "interpretations", in);
  return o;
}

json_t *
tpp_fleet_to_json(const struct tpp_fleet *f)
{
  const struct tpp_accounting *a = &f->rs->accounting;
  struct tpp_fleet_tally t, other;
  json_t *o, *body, *devs = json_array(), *zones = json_array(), *clauses = json_array();
  json_t *dups = json_array(), *interp = json_array();
  int sensitive = 0;

  tpp_fleet_tally(f, 0, 0, &t);
  tpp_fleet_tally(f, 1, 0, &other);
  for (size_t i = 0; i < f->n_devices; i++)
    json_array_append_new(devs, device_json(f, &f->devices[i]));
  for (int z = TPP_ZONE_BLACK; z >= TPP_ZONE_WHITE; z--)
    json_array_append_new(zones, group_json(&t.zones[z]));
  json_array_append_new(zones, group_json(&t.zones[TPP_ZONE_INDETERMINATE]));
  for (size_t i = 0; i < t.n_clauses; i++)
    json_array_append_new(clauses, group_json(&t.clauses[i]));
  for (size_t i = 0; i < f->n_dups; i++)
    json_array_append_new(dups, json_pack("{s:s, s:s, s:s, s:s}", "name", f->dups[i].name,
                                          "identity", f->dups[i].key, "counted_from",
                                          f->dups[i].first, "dropped_from", f->dups[i].again));
  for (size_t k = 1; k < f->n_readings; k++) {
    struct tpp_fleet_tally tk;
    json_t *e, *qs;
    int verdicts;
    if (!reading_differs(f, k, &t, &verdicts))
      continue;
    sensitive |= verdicts;
    tpp_fleet_tally(f, 0, k, &tk);
    qs = json_array();
    for (size_t i = 0; has_quantities(a) && i < a->n_quantities; i++)
      json_array_append_new(
          qs,
          json_pack("{s:s, s:o, s:s}", "id", a->quantities[i].id, "fraction_used",
                    num_or_null(tk.counted_tpp / a->quantities[i].tpp), "verdict",
                    tpp_fleet_verdict_name(tpp_fleet_quantity_verdict(&tk, &a->quantities[i]))));
    e = reading_json(&f->readings[k]);
    json_object_update_new(e, json_pack("{s:s, s:b, s:I, s:o, s:o, s:o}", "verdict",
                                        tpp_fleet_verdict_name(tpp_fleet_verdict(f, &tk)),
                                        "verdict_differs", verdicts, "devices_changing_zone",
                                        (json_int_t)zone_changes(f, k), "total_tpp",
                                        num_or_null(tk.total_tpp), "counted_tpp",
                                        num_or_null(tk.counted_tpp), "quantities", qs));
    json_array_append_new(interp, e);
  }
  body = json_pack(
      "{s:s, s:s, s:o, s:s, s:b, s:I, s:I, s:I, s:I, s:I, s:o, s:o, s:o}", "rules", f->rs->id,
      "basis", tpp_fleet_basis_name(f->basis), "reading", reading_json(&f->readings[0]), "verdict",
      tpp_fleet_verdict_name(tpp_fleet_verdict(f, &t)), "interpretation_sensitive", sensitive,
      "results", (json_int_t)f->n_results, "devices", (json_int_t)f->n_devices, "unknown",
      (json_int_t)t.n_undetermined, "undetermined", (json_int_t)t.n_undetermined, "borderline",
      (json_int_t)t.n_borderline, "total_tpp", num_or_null(t.total_tpp), "undetermined_tpp",
      num_or_null(t.undetermined_tpp), "h100_equivalents",
      isfinite(a->unit_tpp) ? num_or_null(t.total_tpp / a->unit_tpp) : json_null());
  /* What the document is comes first, so that it is never taken for a result. */
  o = json_pack("{s:i, s:s, s:{s:s, s:s}}", "schema_version", TPP_FLEET_SCHEMA_VERSION, "kind",
                "fleet", "tool", "name", "tppbench", "version", TPP_VERSION);
  if (!o || !body || json_object_update_new(o, body) != 0) {
    if (!o)
      json_decref(body);
    json_decref(o);
    json_decref(devs);
    json_decref(zones);
    json_decref(clauses);
    json_decref(dups);
    json_decref(interp);
    return NULL;
  }
  json_object_set_new(o, "complete", json_boolean(f->n_not_read == 0));
  {
    size_t disputed = 0;
    for (size_t i = 0; i < f->n_devices; i++)
      disputed += f->devices[i].disputed;
    json_object_set_new(o, "disputed", json_integer((json_int_t)disputed));
  }
  json_object_set_new(
      o, "basis_counts",
      json_pack("{s:I, s:I, s:I}", "declared", (json_int_t)t.n_basis_declared, "measured",
                (json_int_t)t.n_basis_measured, "none",
                (json_int_t)(t.n_devices - t.n_basis_declared - t.n_basis_measured)));
  json_object_set_new(
      o, "other_basis",
      json_pack("{s:s, s:s, s:o, s:o, s:o, s:I}", "basis", tpp_fleet_basis_name(other.basis),
                "verdict", tpp_fleet_verdict_name(tpp_fleet_verdict(f, &other)), "total_tpp",
                num_or_null(other.total_tpp), "counted_tpp", num_or_null(other.counted_tpp),
                "unit_equivalents",
                isfinite(a->unit_tpp) ? num_or_null(other.counted_tpp / a->unit_tpp) : json_null(),
                "undetermined", (json_int_t)other.n_undetermined));
  json_object_set_new(o, "by_zone", zones);
  json_object_set_new(o, "by_clause", clauses);
  json_object_set_new(o, "accounting", accounting_json(f, &t, &other));
  json_object_set_new(o, "interpretations", interp);
  json_object_set_new(o, "duplicates", dups);
  json_object_set_new(o, "not_read", notes_json(f->not_read, f->n_not_read, "error"));
  json_object_set_new(o, "skipped", notes_json(f->skipped, f->n_skipped, "reason"));
  json_object_set_new(o, "device_list", devs);
  return o;
}

/* Files whose claims were disputed (each named), and the facts users supplied. */
static void
print_claims(const struct tpp_fleet *f, FILE *out)
{
  size_t area = 0, dc = 0;
  for (size_t i = 0; i < f->n_devices; i++) {
    const struct tpp_fleet_device *d = &f->devices[i];
    area += d->die_area_user;
    dc += d->datacenter_user;
    if (d->disputed)
      fprintf(out, "DISPUTED    %s: %s (%s): %s; counted as its identity says\n", d->file,
              d->selector, d->name, d->why);
    if (d->interrupted)
      fprintf(out,
              "INCOMPLETE  %s: %s (%s): from an interrupted run: a measured TPP is a lower "
              "bound\n",
              d->file, d->selector, d->name);
  }
  if (area || dc)
    fprintf(out,
            "claims      user-supplied: %zu die areas, %zu datacenter flags (device_list in "
            "--json)\n",
            area, dc);
}

static const char *
verdict_word(enum tpp_fleet_verdict v)
{
  return v == TPP_FLEET_FITS ? "fits" : v == TPP_FLEET_EXCEEDED ? "EXCEEDED" : "UNDETERMINED";
}

/* "-" for what a result did not record. */
static const char *
or_dash(const char *s)
{
  return s && s[0] ? s : "-";
}

static int
width_of(int w, const char *s)
{
  int n = (int)strlen(or_dash(s));
  return n > w ? n : w;
}

/* "black 3A090.a.1", "undetermined", "grey 3A090.b.1, borderline black" */
static void
zone_text(char *buf, size_t len, const struct tpp_fleet_outcome *o)
{
  snprintf(buf, len, "%s%s%s%s%s",
           o->zone == TPP_ZONE_INDETERMINATE ? "undetermined" : tpp_zone_name(o->zone),
           o->clause ? " " : "", o->clause ? o->clause : "", o->borderline ? ", borderline " : "",
           o->borderline ? tpp_zone_name(o->borderline_zone) : "");
}

/* One line per device, so that an outlier can be traced to its chassis: host, PCI bus id,
 * UUID, selector, name, TPP on the chosen basis (under the chosen reading) and where it came
 * from, zone, file. */
static void
print_devices(const struct tpp_fleet *f, FILE *out)
{
  int wh = 4, wp = 10, wu = 4, ws = 8, wn = 4, wz = 4;
  char zone[160], tpp[32];
  if (f->n_devices == 0)
    return;
  for (size_t i = 0; i < f->n_devices; i++) {
    const struct tpp_fleet_device *d = &f->devices[i];
    wh = width_of(wh, d->host);
    wp = width_of(wp, d->pci_bus_id);
    wu = width_of(wu, d->uuid);
    ws = width_of(ws, d->selector);
    wn = width_of(wn, d->name);
    zone_text(zone, sizeof(zone), &d->on[0][0]);
    wz = width_of(wz, zone);
  }
  fprintf(out, "devices     %-*s  %-*s  %-*s  %-*s  %-*s  %10s  %-8s  %-*s  %s\n", wh, "host", wp,
          "pci bus id", wu, "uuid", ws, "selector", wn, "name", "TPP", "TPP from", wz, "zone",
          "file");
  for (size_t i = 0; i < f->n_devices; i++) {
    const struct tpp_fleet_device *d = &f->devices[i];
    const struct tpp_fleet_outcome *o = &d->on[0][0];
    if (isfinite(o->tpp))
      snprintf(tpp, sizeof(tpp), "%.1f", o->tpp);
    else
      snprintf(tpp, sizeof(tpp), "unknown");
    zone_text(zone, sizeof(zone), o);
    fprintf(out, "            %-*s  %-*s  %-*s  %-*s  %-*s  %10s  %-8s  %-*s  %s\n", wh,
            or_dash(d->host), wp, or_dash(d->pci_bus_id), wu, or_dash(d->uuid), ws,
            or_dash(d->selector), wn, or_dash(d->name), tpp, o->basis, wz, zone, d->file);
  }
}

void
tpp_fleet_print(const struct tpp_fleet *f, FILE *out)
{
  const struct tpp_accounting *a = &f->rs->accounting;
  struct tpp_fleet_tally t, other;
  enum tpp_fleet_verdict verdict;
  const char *why = NULL;
  char rd[96];
  int sensitive = 0, first = 1;

  tpp_fleet_tally(f, 0, 0, &t);
  tpp_fleet_tally(f, 1, 0, &other);
  verdict = tpp_fleet_verdict(f, &t);
  fprintf(out, "fleet       %zu devices in %zu results; rules %s\n", f->n_devices, f->n_results,
          f->rs->id);
  fprintf(out,
          "basis       %s: %zu devices at their datasheet TPP, %zu at their measured TPP, "
          "%zu with none (%s)\n",
          tpp_fleet_basis_name(f->basis), t.n_basis_declared, t.n_basis_measured,
          t.n_devices - t.n_basis_declared - t.n_basis_measured,
          f->basis == TPP_FLEET_RULE       ? "the rule counts the theoretical maximum: datasheet "
                                             "where a profile matched, else measured"
          : f->basis == TPP_FLEET_MEASURED ? "what was measured, below the theoretical maximum "
                                             "the rule counts"
                                           : "datasheet figures only");
  tpp_reading_format(rd, sizeof(rd), &f->readings[0]);
  fprintf(out, "reading     %s\n", rd);
  if (f->n_skipped)
    fprintf(out, "skipped     %zu files are not tppbench results (notes above)\n", f->n_skipped);
  for (size_t i = 0; i < f->n_not_read; i++)
    fprintf(out, "%s%s\n",
            i == 0 ? "not read    the totals are incomplete (--keep-going); these files were "
                     "left out:\n            "
                   : "            ",
            f->not_read[i].why);
  if (f->n_dups)
    fprintf(out,
            "duplicates  %zu devices given more than once were counted once (warnings "
            "above)\n",
            f->n_dups);
  print_devices(f, out);
  fprintf(out, "total TPP   %.1f (%s basis: %.1f)\n", t.total_tpp,
          tpp_fleet_basis_name(other.basis), other.total_tpp);
  for (int z = TPP_ZONE_BLACK; z >= TPP_ZONE_WHITE; z--)
    fprintf(out, "  %-13s %5zu devices  TPP %.1f\n", tpp_zone_name((enum tpp_zone)z),
            t.zones[z].devices, t.zones[z].tpp);
  if (t.n_undetermined)
    fprintf(out,
            "  %-13s %5zu devices  TPP %.1f%s (no TPP, or a zone that needs the die area "
            "or another unknown figure)\n",
            "undetermined", t.n_undetermined, t.zones[TPP_ZONE_INDETERMINATE].tpp,
            t.n_unknown_tpp ? ", some unknown" : "");
  for (size_t i = 0; i < t.n_clauses; i++)
    fprintf(out, "%s%-22s %5zu devices  TPP %.1f\n", i == 0 ? "by clause   " : "            ",
            t.clauses[i].clause ? t.clauses[i].clause : "not controlled", t.clauses[i].devices,
            t.clauses[i].tpp);
  if (t.n_borderline)
    fprintf(out, "borderline  %zu devices are within their measured spread of a threshold\n",
            t.n_borderline);
  print_claims(f, out);
  if (!isfinite(a->unit_tpp)) {
    fprintf(out, "accounting  %s has no accounting quantities (try --rules ai-diffusion-2025)\n",
            f->rs->id);
  } else {
    fprintf(out,
            "counted     %zu devices, TPP %.1f = %.2f %ss (%g TPP each, %s); %s basis: "
            "%.2f\n",
            t.counted_devices, t.counted_tpp, t.counted_tpp / a->unit_tpp, a->unit_name,
            a->unit_tpp, tpp_confidence_name(a->unit_confidence), tpp_fleet_basis_name(other.basis),
            other.counted_tpp / a->unit_tpp);
    for (size_t i = 0; i < a->n_quantities; i++) {
      const struct tpp_quantity *q = &a->quantities[i];
      enum tpp_fleet_verdict v = tpp_fleet_quantity_verdict(&t, q);
      double most = fraction_at_most(&t, q);
      fprintf(out, "%s%s: %.0f TPP per %s [%s]: %.3g%% used",
              i == 0 ? "quantities  " : "            ", q->title, q->tpp, q->per,
              tpp_confidence_name(q->confidence), 100 * t.counted_tpp / q->tpp);
      if (v == TPP_FLEET_UNDETERMINED) {
        if (t.incomplete)
          fprintf(out, ", the files not read could add any amount");
        else if (isnan(most))
          fprintf(out, ", devices of unknown or lower-bound TPP could add any amount");
        else
          fprintf(out, ", up to %.3g%% with the undetermined or borderline devices", 100 * most);
      }
      fprintf(out, ", %s (%s basis: %.3g%%, %s)\n", verdict_word(v),
              tpp_fleet_basis_name(other.basis), 100 * other.counted_tpp / q->tpp,
              verdict_word(tpp_fleet_quantity_verdict(&other, q)));
      if (!why && v == verdict)
        why = q->title;
    }
    for (size_t i = 0; i < a->n_shares; i++) {
      const struct tpp_quantity *q = &a->shares[i];
      double total, region;
      share_needs(q, t.counted_tpp, &total, &region);
      if (isfinite(q->max_fraction))
        fprintf(out,
                "%s%s (at most %g%%) [%s]: this fleet in one such place needs a total of "
                "at least %.1f TPP\n",
                i == 0 ? "shares      " : "            ", q->title, 100 * q->max_fraction,
                tpp_confidence_name(q->confidence), total);
      else
        fprintf(out,
                "%s%s (at least %g%%) [%s]: this fleet outside it needs at least %.1f TPP "
                "inside (total %.1f)\n",
                i == 0 ? "shares      " : "            ", q->title, 100 * q->min_fraction,
                tpp_confidence_name(q->confidence), region, total);
    }
    fprintf(out, "            confidence: secondary = published summaries of the rule, derived = "
                 "arithmetic on them, recalled = unverified (docs/fleet.md)\n");
  }
  for (size_t k = 1; k < f->n_readings; k++) {
    struct tpp_fleet_tally tk;
    int verdicts;
    if (!reading_differs(f, k, &t, &verdicts))
      continue;
    sensitive |= verdicts;
    tpp_fleet_tally(f, 0, k, &tk);
    tpp_reading_format(rd, sizeof(rd), &f->readings[k]);
    fprintf(out, "%s%s: %zu devices change zone; total TPP %.1f, counted %.1f: %s\n",
            first ? "readings    " : "            ", rd, zone_changes(f, k), tk.total_tpp,
            tk.counted_tpp, tpp_fleet_verdict_name(tpp_fleet_verdict(f, &tk)));
    first = 0;
  }
  fprintf(out, "verdict     %s", tpp_fleet_verdict_name(verdict));
  if (verdict == TPP_FLEET_UNDETERMINED && f->n_not_read)
    fprintf(out, " (%zu files not read: the totals are incomplete)", f->n_not_read);
  else if (why && verdict != TPP_FLEET_FITS)
    fprintf(out, " (%s)", why);
  else if (verdict == TPP_FLEET_UNDETERMINED)
    fprintf(out, " (%zu devices have no zone)", t.n_undetermined);
  fprintf(out, "%s\n",
          sensitive ? "; interpretation-sensitive: another reading of the rule "
                      "gives another verdict (readings above)"
                    : "");
}
