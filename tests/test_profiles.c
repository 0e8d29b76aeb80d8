/* test_profiles.c - the shipped device profiles and the profile reader.
 *
 * Every shipped profile must parse, name a source for every figure, and reproduce its own
 * published TPP and PD from its own peaks and dies.  Matching must find each profile from
 * the identity it declares.  Malformed profiles are rejected naming the file, line and
 * field. */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "testutil.h"
#include "tpp/metrics.h"
#include "tpp/profile.h"

#define DEVICES TPP_PROFILES_DIR "/devices"

static struct tpp_profile_set set;

static void
load_shipped(void)
{
  struct tpp_diag d = {0};
  char msg[1200];
  int err = tpp_profile_set_load_dir(DEVICES, &set, &d);
  tpp_diag_format(&d, msg, sizeof(msg));
  ck_assert_msg(err == 0, "shipped profiles do not load: %s", msg);
}

static void
free_shipped(void)
{
  tpp_profile_set_free(&set);
}

START_TEST(test_shipped_count_and_vendors)
{
  size_t nvidia = 0, amd = 0, intel = 0, other = 0;
  ck_assert_msg(set.n >= 35, "only %zu device profiles (the issue asks for at least 35)", set.n);
  for (size_t i = 0; i < set.n; i++) {
    const char *v = set.v[i].vendor;
    if (strcmp(v, "NVIDIA") == 0)
      nvidia++;
    else if (strcmp(v, "AMD") == 0)
      amd++;
    else if (strcmp(v, "Intel") == 0)
      intel++;
    else
      other++;
  }
  ck_assert_msg(nvidia > 0 && amd > 0 && intel > 0 && other > 0,
                "vendors: NVIDIA %zu AMD %zu Intel %zu other %zu", nvidia, amd, intel, other);
}
END_TEST

/* TPP and PD recomputed from each profile's own figures agree with what it says was
 * published (1 %: datasheets round), and every profile has peaks and a datacenter flag. */
START_TEST(test_shipped_recompute)
{
  size_t with_published = 0;
  for (size_t i = 0; i < set.n; i++) {
    const struct tpp_profile *p = &set.v[i];
    double tpp = tpp_profile_tpp(p, NULL);
    double area = 0, pd;
    int area_known = 1;
    ck_assert_msg(p->n_peaks > 0, "%s: no peaks", p->path);
    ck_assert_msg(isfinite(tpp) && tpp > 0, "%s: no TPP", p->path);
    /* The applicable area is the sum over non-planar dies, recomputed here. */
    for (size_t k = 0; k < p->n_dies; k++)
      if (p->dies[k].non_planar) {
        if (isnan(p->dies[k].area_mm2))
          area_known = 0;
        else
          area += p->dies[k].count * p->dies[k].area_mm2;
      }
    if (area_known)
      ck_assert_msg(fabs(area - p->die_area_mm2) < 1e-9, "%s: die area %g, recomputed %g",
                    p->path, p->die_area_mm2, area);
    else
      ck_assert_msg(isnan(p->die_area_mm2), "%s: area should be unknown", p->path);
    pd = tpp_performance_density(tpp, p->die_area_mm2);
    if (isfinite(p->published_tpp)) {
      with_published++;
      ck_assert_msg(fabs(tpp / p->published_tpp - 1) <= 0.01,
                    "%s: TPP %.1f from its peaks, published %.1f", p->path, tpp, p->published_tpp);
    }
    if (isfinite(p->published_pd) && isfinite(pd))
      ck_assert_msg(fabs(pd / p->published_pd - 1) <= 0.015,
                    "%s: PD %.3f from its figures, published %.3f", p->path, pd, p->published_pd);
  }
  ck_assert_msg(with_published >= 10, "only %zu profiles carry a published TPP", with_published);
}
END_TEST

/* Known oracles (shared/docs/regulation.md and chips.md): the H100 SXM is 15,831.2 TPP
 * and PD 19.45 on 814 mm². */
START_TEST(test_h100_oracle)
{
  const struct tpp_profile *p = tpp_profile_find(&set, "H100");
  size_t best;
  ck_assert_ptr_nonnull(p);
  ck_assert_str_eq(p->id, "nvidia-h100-sxm5-80gb");
  ck_assert(fabs(tpp_profile_tpp(p, &best) - 15831.2) < 1e-9);
  ck_assert(p->peaks[best].precision == TPP_FP8 || p->peaks[best].precision == TPP_INT8);
  ck_assert(p->die_area_mm2 == 814);
  ck_assert(p->datacenter);
  ck_assert_uint_eq(p->pci_vendor_id, 0x10de);
  ck_assert(tpp_profile_find(&set, "nvidia-h100-sxm5-80gb") == p);
  ck_assert_ptr_null(tpp_profile_find(&set, "h100-does-not-exist"));
}
END_TEST

/* A device that shows a profile's own identity is matched to that profile. */
START_TEST(test_match_own_identity)
{
  size_t tested = 0;
  for (size_t i = 0; i < set.n; i++) {
    const struct tpp_profile *p = &set.v[i];
    struct tpp_device_info d;
    struct tpp_profile_match m;
    if (p->n_pci_device_ids == 0)
      continue;
    memset(&d, 0, sizeof(d));
    snprintf(d.name, sizeof(d.name), "%s", p->n_names ? p->names[0] : "unnamed");
    d.pci_vendor_id = p->pci_vendor_id;
    d.pci_device_id = p->pci_device_ids[0];
    d.compute_units = p->compute_units;
    d.global_mem_bytes = isfinite(p->memory_gb) ? (uint64_t)(p->memory_gb * 1073741824.0 * 0.97) : 0;
    tpp_profile_match_device(&set, &d, &m);
    ck_assert_msg(m.profile == p, "%s: a device with its identity matched %s (%s)", p->id,
                  m.profile ? m.profile->id : "nothing", m.how);
    tested++;
  }
  ck_assert_msg(tested >= 20, "only %zu profiles have PCI ids", tested);
}
END_TEST

START_TEST(test_match_rules)
{
  struct tpp_device_info d;
  struct tpp_profile_match m;

  /* By PCI id alone, with a name no profile lists. */
  memset(&d, 0, sizeof(d));
  snprintf(d.name, sizeof(d.name), "Mystery Accelerator");
  d.pci_vendor_id = 0x10de;
  d.pci_device_id = 0x2330;
  tpp_profile_match_device(&set, &d, &m);
  ck_assert_ptr_nonnull(m.profile);
  ck_assert_str_eq(m.profile->id, "nvidia-h100-sxm5-80gb");
  ck_assert_msg(strstr(m.how, "pci 10de:2330") != NULL, "%s", m.how);

  /* By the name the CUDA driver reports, no PCI id. */
  memset(&d, 0, sizeof(d));
  snprintf(d.name, sizeof(d.name), "NVIDIA H100 80GB HBM3");
  d.compute_units = 132;
  d.global_mem_bytes = 85520809984ull; /* what an H100 SXM reports */
  tpp_profile_match_device(&set, &d, &m);
  ck_assert_ptr_nonnull(m.profile);
  ck_assert_str_eq(m.profile->id, "nvidia-h100-sxm5-80gb");
  ck_assert_msg(strstr(m.how, "132 SM") && strstr(m.how, "80 GB"), "%s", m.how);

  /* A CPU device matches nothing. */
  memset(&d, 0, sizeof(d));
  snprintf(d.name, sizeof(d.name), "pthread-skylake-avx512-Intel(R) Xeon(R) Processor");
  d.pci_vendor_id = 0x8086;
  d.pci_device_id = 0x0001;
  d.compute_units = 2;
  tpp_profile_match_device(&set, &d, &m);
  ck_assert_msg(m.profile == NULL, "CPU matched %s", m.profile ? m.profile->id : "");
}
END_TEST

START_TEST(test_memory_matches)
{
  ck_assert(tpp_profile_memory_matches(80, 85520809984.0));  /* 79.6 GiB reported */
  ck_assert(tpp_profile_memory_matches(96, 96.0 * 1e9));
  ck_assert(!tpp_profile_memory_matches(80, 96.0 * 1073741824.0));
  ck_assert(!tpp_profile_memory_matches(NAN, 1e9));
  ck_assert(!tpp_profile_memory_matches(80, 0));
}
END_TEST

/* A small valid profile; each malformed case replaces one piece of it. */
static const char *const base_profile =
    "{\"schema_version\": 1, \"id\": \"x-chip\", \"vendor\": \"X\", \"name\": \"Chip\",\n"
    " \"aliases\": [\"xc\"], \"datacenter\": {\"value\": true, \"source\": \"ds\"},\n"
    " \"identity\": {\"pci_vendor_id\": \"10de\", \"pci_device_ids\": [\"1234\"],\n"
    "   \"names\": [\"Chip\"], \"compute_units\": 10, \"compute_unit_type\": \"SM\",\n"
    "   \"memory_gb\": 16, \"source\": \"ds\"},\n"
    " \"peaks\": [{\"precision\": \"fp16\", \"path\": \"tensor\", \"tops\": 100, \"clock_mhz\": 1500,"
    " \"source\": \"ds\"}],\n"
    " \"dies\": [{\"name\": \"X1\", \"count\": 1, \"area_mm2\": 500, \"process\": \"N7\","
    " \"non_planar\": true, \"estimate\": false, \"source\": \"ds, wp\"}],\n"
    " \"memory\": {\"type\": \"HBM\", \"capacity_gb\": 16, \"bandwidth_gbs\": 1000, \"source\": \"ds\"},\n"
    " \"interconnect\": {\"kind\": \"PCIe\", \"bidirectional_gbs\": 64, \"source\": \"ds\"},\n"
    " \"sources\": {\"ds\": \"datasheet\", \"wp\": \"whitepaper\"}}\n";

static char *
mutate(const char *from, const char *to)
{
  const char *at = strstr(base_profile, from);
  char *out;
  ck_assert_msg(at != NULL, "test bug: \"%s\" not in the base profile", from);
  out = malloc(strlen(base_profile) - strlen(from) + strlen(to) + 1);
  sprintf(out, "%.*s%s%s", (int)(at - base_profile), base_profile, to, at + strlen(from));
  return out;
}

START_TEST(test_parse_valid)
{
  struct tpp_profile p;
  struct tpp_diag d = {0};
  ck_assert_int_eq(tpp_profile_parse("x.json", base_profile, &p, &d), 0);
  ck_assert_str_eq(p.id, "x-chip");
  ck_assert(p.die_area_mm2 == 500);
  ck_assert(tpp_profile_tpp(&p, NULL) == 1600);
  ck_assert(p.interconnect_gbs == 64 && p.memory_bw_gbs == 1000);
  ck_assert(isnan(p.published_tpp));
}
END_TEST

static const struct {
  const char *from, *to, *field;
} bad_cases[] = {
    {"\"vendor\": \"X\"", "\"vendor\": \"X\", \"colour\": 1", "colour"},
    {"\"schema_version\": 1", "\"schema_version\": 2", "schema_version"},
    {"\"id\": \"x-chip\"", "\"id\": \"X Chip\"", "id"},
    {"\"tops\": 100", "\"tops\": -100", "peaks[0].tops"},
    {"\"tops\": 100", "\"tops\": \"100\"", "peaks[0].tops"},
    {"\"precision\": \"fp16\"", "\"precision\": \"fp12\"", "peaks[0].precision"},
    {"\"path\": \"tensor\"", "\"path\": \"matrix\"", "peaks[0].path"},
    {"\"clock_mhz\": 1500, \"source\": \"ds\"}", "\"source\": \"ds\"}", "peaks[0]"},
    {"\"clock_mhz\": 1500, \"source\": \"ds\"}", "\"clock_mhz\": 1500, \"source\": \"nope\"}",
     "peaks[0].source"},
    {"\"clock_mhz\": 1500, \"source\": \"ds\"}", "\"clock_mhz\": 1500}", "peaks[0]"},
    {"\"source\": \"ds, wp\"", "\"source\": \"ds, \"", "dies[0].source"},
    {"\"pci_device_ids\": [\"1234\"]", "\"pci_device_ids\": [\"12AB\"]", "identity.pci_device_ids[0]"},
    {"\"pci_vendor_id\": \"10de\"", "\"pci_vendor_id\": \"nvidia\"", "identity.pci_vendor_id"},
    {"\"compute_units\": 10", "\"compute_units\": 0", "identity.compute_units"},
    {"\"count\": 1", "\"count\": 0", "dies[0].count"},
    {"\"non_planar\": true", "\"non_planar\": \"yes\"", "dies[0].non_planar"},
    {"\"bandwidth_gbs\": 1000", "\"bandwidth_gbs\": -1", "memory.bandwidth_gbs"},
    {"\"datacenter\": {\"value\": true, \"source\": \"ds\"}", "\"datacenter\": true", "datacenter"},
    {"\"dies\": [{\"name\": \"X1\", \"count\": 1, \"area_mm2\": 500, \"process\": \"N7\", "
     "\"non_planar\": true, \"estimate\": false, \"source\": \"ds, wp\"}]",
     "\"dies\": []", "dies"},
    {"\"wp\": \"whitepaper\"", "\"wp\": \"\"", "sources.wp"},
    {"\"peaks\": [{", "\"peaks\": [{\"precision\": \"fp16\", \"path\": \"tensor\", \"tops\": 1,"
                      " \"clock_mhz\": null, \"source\": \"ds\"}, {",
     "peaks[1]"},
};

START_TEST(test_parse_malformed)
{
  char *text = mutate(bad_cases[_i].from, bad_cases[_i].to);
  struct tpp_profile p;
  struct tpp_diag d = {0};
  char msg[1200];
  int err = tpp_profile_parse("bad.json", text, &p, &d);
  tpp_diag_format(&d, msg, sizeof(msg));
  ck_assert_msg(err == TPP_EPARSE, "case %d accepted: %s", _i, text);
  ck_assert_msg(strncmp(msg, "bad.json:", 9) == 0 && d.line > 0, "case %d: %s", _i, msg);
  ck_assert_msg(strstr(msg, bad_cases[_i].field) != NULL, "case %d: expected field %s in: %s", _i,
                bad_cases[_i].field, msg);
  free(text);
}
END_TEST

static void
write_file(const char *dir, const char *name, const char *text)
{
  char path[1024];
  FILE *f;
  snprintf(path, sizeof(path), "%s/%s", dir, name);
  f = fopen(path, "w");
  ck_assert_ptr_nonnull(f);
  fputs(text, f);
  fclose(f);
}

START_TEST(test_set_names)
{
  char dir[512], msg[1200];
  struct tpp_profile_set s;
  struct tpp_diag d = {0};
  char *other;

  /* The id must be the file name. */
  tpp_test_tmpdir(dir, sizeof(dir));
  write_file(dir, "y-chip.json", base_profile);
  ck_assert_int_eq(tpp_profile_set_load_dir(dir, &s, &d), TPP_EPARSE);
  tpp_diag_format(&d, msg, sizeof(msg));
  ck_assert_msg(strstr(msg, "y-chip.json") && strstr(msg, "file name"), "%s", msg);

  /* Two profiles may not share an alias. */
  tpp_test_tmpdir(dir, sizeof(dir));
  write_file(dir, "x-chip.json", base_profile);
  other = mutate("\"id\": \"x-chip\"", "\"id\": \"z-chip\"");
  write_file(dir, "z-chip.json", other);
  free(other);
  memset(&d, 0, sizeof(d));
  ck_assert_int_eq(tpp_profile_set_load_dir(dir, &s, &d), TPP_EPARSE);
  tpp_diag_format(&d, msg, sizeof(msg));
  ck_assert_msg(strstr(msg, "z-chip.json") && strstr(msg, "aliases[0]") && strstr(msg, "xc"),
                "%s", msg);

  /* A missing folder is ENOENT, not a crash. */
  ck_assert_int_eq(tpp_profile_set_load_dir("/nonexistent/devices", &s, &d), TPP_ENOENT);
}
END_TEST

static Suite *
suite(void)
{
  Suite *s = suite_create("profiles");
  TCase *shipped = tcase_create("shipped");
  TCase *parse = tcase_create("parse");
  tcase_add_unchecked_fixture(shipped, load_shipped, free_shipped);
  tcase_add_test(shipped, test_shipped_count_and_vendors);
  tcase_add_test(shipped, test_shipped_recompute);
  tcase_add_test(shipped, test_h100_oracle);
  tcase_add_test(shipped, test_match_own_identity);
  tcase_add_test(shipped, test_match_rules);
  tcase_add_test(parse, test_memory_matches);
  tcase_add_test(parse, test_parse_valid);
  tcase_add_loop_test(parse, test_parse_malformed, 0,
                      (int)(sizeof(bad_cases) / sizeof(bad_cases[0])));
  tcase_add_test(parse, test_set_names);
  suite_add_tcase(s, shipped);
  suite_add_tcase(s, parse);
  return s;
}

int
main(void)
{
  return tpp_test_run(suite());
}
