/* test_profiles.c - the shipped device profiles and the profile reader.
 *
 * Every shipped profile must parse, name a source for every figure (a document a reader can
 * check, never a file outside this repository), and reproduce its own published TPP and PD
 * from its own peaks and dies.  Matching must find each profile from the identity it
 * declares.  Malformed profiles are rejected naming the file, line and field.  Advisories
 * travel from the profile to `classify`, `verify` and a run's result. */
#define _DEFAULT_SOURCE /* fmemopen, strdup */
#include <check.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "testutil.h"
#include "tpp/metrics.h"
#include "tpp/profile.h"
#include "tpp/result.h"

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
  ck_assert_msg(set.n >= 60, "only %zu device profiles (issue 9 asks for at least 60)", set.n);
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
      ck_assert_msg(fabs(area - p->die_area_mm2) < 1e-9, "%s: die area %g, recomputed %g", p->path,
                    p->die_area_mm2, area);
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

/* The H100 SXM: FP8/INT8 1,978.9 dense x 8 = 15,831.2 TPP, PD 19.45 on GH100's 814 mm²
 * (NVIDIA H100 datasheet and Hopper architecture whitepaper). */
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

/* Citations a reader cannot check: files outside this repository (the notes folder next to
 * it, spelled in two pieces so that the repository itself never contains that path),
 * internal search ids. */
static const char *const unreadable_sources[] = {
    "shared"
    "/",
    "chips.csv",
    "chips.md",
    "regulation.md",
    "hit id",
    "file id",
    "research index",
    "search id",
    NULL,
};

/* A copy of s in lower case (for case-insensitive search). */
static char *
lowered(const char *s)
{
  char *l = strdup(s);
  ck_assert_ptr_nonnull(l);
  for (char *q = l; *q; q++)
    if (*q >= 'A' && *q <= 'Z')
      *q = (char)(*q - 'A' + 'a');
  return l;
}

/* No shipped profile cites a file outside the repository or an internal search id, and
 * every source names a document: a URL, or a title with a date. */
START_TEST(test_shipped_sources_checkable)
{
  for (size_t i = 0; i < set.n; i++) {
    char *text = tpp_test_slurp(set.v[i].path), *low;
    json_t *root, *sources, *v;
    json_error_t e;
    const char *key;
    ck_assert_ptr_nonnull(text);
    low = lowered(text);
    for (const char *const *bad = unreadable_sources; *bad; bad++)
      ck_assert_msg(strstr(low, *bad) == NULL, "%s cites \"%s\": cite the original document",
                    set.v[i].path, *bad);
    root = json_loads(text, 0, &e);
    ck_assert_ptr_nonnull(root);
    sources = json_object_get(root, "sources");
    json_object_foreach (sources, key, v) {
      const char *cite = json_string_value(v);
      ck_assert_msg(strstr(cite, "http://") || strstr(cite, "https://") || strstr(cite, "doi:"),
                    "%s: source \"%s\" gives no address a reader can open", set.v[i].path, key);
    }
    json_decref(root);
    free(low);
    free(text);
  }
}
END_TEST

/* Every Ascend profile that BIS's May 2025 guidance names carries it. */
START_TEST(test_shipped_gp10_advisory)
{
  static const char *const named[] = {"huawei-ascend-910b", "huawei-ascend-910c", NULL};
  for (const char *const *id = named; *id; id++) {
    const struct tpp_profile *p = tpp_profile_find(&set, *id);
    int found = 0;
    ck_assert_msg(p != NULL, "no profile %s", *id);
    for (size_t a = 0; a < p->n_advisories; a++)
      found |= strstr(p->advisories[a].text, "General Prohibition 10") != NULL &&
               strcmp(p->advisories[a].date, "2025-05-13") == 0 &&
               strstr(p->advisories[a].source, "bis.gov") != NULL;
    ck_assert_msg(found, "%s: no GP10 advisory of 2025-05-13 citing bis.gov", *id);
  }
}
END_TEST

/* Run tppbench with `args`; output into buf. */
static int
tppbench(const char *args, char *buf, size_t len)
{
  char cmd[2048];
  snprintf(cmd, sizeof(cmd), "%s %s", TPP_BINARY, args);
  return tpp_test_sh(cmd, buf, len);
}

static json_t *
parse_json(const char *text)
{
  json_error_t e;
  json_t *j = json_loads(text, 0, &e);
  ck_assert_msg(j != NULL, "not JSON (%s): %s", e.text, text);
  return j;
}

/* The first advisory of a JSON array names GP10 and cites bis.gov. */
static void
assert_gp10(json_t *arr, const char *where)
{
  json_t *a = json_array_get(arr, 0);
  ck_assert_msg(json_is_array(arr) && json_array_size(arr) >= 1, "%s: no advisories", where);
  ck_assert_msg(strstr(json_string_value(json_object_get(a, "text")), "General Prohibition 10") &&
                    strcmp(json_string_value(json_object_get(a, "date")), "2025-05-13") == 0 &&
                    strstr(json_string_value(json_object_get(a, "source")), "bis.gov"),
                "%s: first advisory is not the GP10 guidance", where);
}

/* `classify --profile` prints the profile's advisories (text and JSON); a run's result
 * carries them in the device's profile object, and `classify RESULT` and `verify` print
 * them. */
START_TEST(test_advisories_in_commands)
{
  static char buf[65536];
  const struct tpp_profile *p = tpp_profile_find(&set, "huawei-ascend-910b");
  struct tpp_device_result *dev = calloc(1, sizeof(*dev));
  struct tpp_result r;
  struct tpp_diag d = {0};
  char dir[512], file[600], args[1024];
  json_t *j;

  ck_assert_ptr_nonnull(p);
  ck_assert_int_eq(tppbench("classify --profile ascend-910b", buf, sizeof(buf)), 0);
  ck_assert_msg(strstr(buf, "\nadvisory    2025-05-13  ") &&
                    strstr(buf, "General Prohibition 10") && strstr(buf, "            source: "),
                "%s", buf);
  ck_assert_int_eq(tppbench("classify --profile ascend-910b --json", buf, sizeof(buf)), 0);
  j = parse_json(buf);
  assert_gp10(json_object_get(j, "advisories"), "classify --profile --json");
  json_decref(j);
  /* A profile without advisories: an empty array, no advisory line. */
  ck_assert_int_eq(tppbench("classify --profile h100 --json", buf, sizeof(buf)), 0);
  j = parse_json(buf);
  ck_assert_uint_eq(json_array_size(json_object_get(j, "advisories")), 0);
  json_decref(j);
  ck_assert_int_eq(tppbench("classify --profile h100", buf, sizeof(buf)), 0);
  ck_assert_msg(strstr(buf, "advisory") == NULL, "%s", buf);

  /* A run of a device that matched the profile. */
  tpp_test_synth_device(dev, p->names[0], p->pci_vendor_id,
                        p->n_pci_device_ids ? p->pci_device_ids[0] : 0, p->compute_units,
                        isfinite(p->memory_gb) ? p->memory_gb * 0.97 : 0);
  for (size_t i = 0; i < p->n_peaks; i++)
    tpp_test_synth_row(dev, p->peaks[i].precision, p->peaks[i].path, 0.8 * p->peaks[i].tops, 0.01,
                       p->peaks[i].clock_mhz);
  tpp_device_result_set_profile(dev, p, "pci 19e5", 0);
  ck_assert_uint_eq(dev->profile.n_advisories, p->n_advisories);
  tpp_test_tmpdir(dir, sizeof(dir));
  snprintf(file, sizeof(file), "%s/r.json", dir);
  ck_assert_int_eq(tpp_test_write_result(file, dev, 1), 0);
  ck_assert_int_eq(tpp_result_load(file, &r, &d), 0);
  ck_assert_uint_eq(r.devices[0].profile.n_advisories, p->n_advisories);
  ck_assert_str_eq(r.devices[0].profile.advisories[0].source, p->advisories[0].source);
  tpp_result_free(&r);

  snprintf(args, sizeof(args), "classify %s --json", file);
  ck_assert_int_eq(tppbench(args, buf, sizeof(buf)), 0);
  j = parse_json(buf);
  assert_gp10(json_object_get(j, "advisories"), "classify RESULT --json");
  json_decref(j);
  snprintf(args, sizeof(args), "classify %s", file);
  ck_assert_int_eq(tppbench(args, buf, sizeof(buf)), 0);
  ck_assert_msg(strstr(buf, "advisory    2025-05-13  "), "%s", buf);

  /* A real run (the CPU's OpenCL device) with the profile named: the table and the result. */
  snprintf(args, sizeof(args),
           "run --quiet --budget 0.01 --precisions int32 --no-bandwidth "
           "--profile ascend-910b --out %s/run.json",
           dir);
  if (tppbench(args, buf, sizeof(buf)) == 0) {
    ck_assert_msg(strstr(buf, "\nadvisory    2025-05-13  ") != NULL, "%s", buf);
    snprintf(args, sizeof(args), "%s/run.json", dir);
    ck_assert_int_eq(tpp_result_load(args, &r, &d), 0);
    ck_assert_uint_eq(r.devices[0].profile.n_advisories, p->n_advisories);
    tpp_result_free(&r);
  } else {
    ck_assert_msg(getenv("TPP_TEST_ALLOW_NO_OPENCL") != NULL, "run failed: %s", buf);
  }

  snprintf(args, sizeof(args), "verify --declared ascend-910b %s", file);
  tppbench(args, buf, sizeof(buf));
  ck_assert_msg(strstr(buf, "advisory    2025-05-13  ") && strstr(buf, "General Prohibition 10"),
                "%s", buf);
  snprintf(args, sizeof(args), "verify --declared ascend-910b %s --json", file);
  tppbench(args, buf, sizeof(buf));
  j = parse_json(buf);
  assert_gp10(json_object_get(j, "advisories"), "verify --json");
  json_decref(j);
  tpp_device_result_free(dev);
  free(dev);
}
END_TEST

/* A result written before advisories (no "advisories" in its profile object) still reads;
 * a malformed advisory in a result is an error naming the field. */
START_TEST(test_result_advisories_reader)
{
  static const char *const cases[][2] = {
      {"\"advisories\": [], ",                                            NULL                                },
      {"",                                                                NULL                                },
      {"\"advisories\": [{\"text\": \"t\", \"date\": \"2025-05-13\"}], ",
       "devices[0].profile.advisories[0]"                                                                     },
      {"\"advisories\": [{\"text\": \"t\", \"date\": \"2025-05-13\", \"source\": \"s\", "
       "\"x\": 1}], ",                                             "devices[0].profile.advisories[0].x"},
      {"\"advisories\": \"none\", ",                                      "devices[0].profile.advisories"     },
  };
  struct tpp_device_result *dev = calloc(1, sizeof(*dev));
  const struct tpp_profile *p = tpp_profile_find(&set, "h100");
  char dir[512], file[600];
  char *text;
  const char *at;
  json_t *doc;
  struct tpp_result r;

  tpp_test_synth_device(dev, "NVIDIA H100 80GB HBM3", 0x10de, 0x2330, 132, 79.6);
  tpp_device_result_set_profile(dev, p, "pci 10de:2330", 0);
  tpp_test_tmpdir(dir, sizeof(dir));
  snprintf(file, sizeof(file), "%s/r.json", dir);
  ck_assert_int_eq(tpp_test_write_result(file, dev, 1), 0);
  text = tpp_test_slurp(file);
  doc = parse_json(text);
  free(text);
  /* Rewrite the profile object compactly with the case's advisories before "id". */
  json_object_del(json_object_get(json_array_get(json_object_get(doc, "devices"), 0), "profile"),
                  "advisories");
  text = json_dumps(doc, JSON_COMPACT | JSON_PRESERVE_ORDER);
  ck_assert_ptr_nonnull(text);
  json_decref(doc);
  at = strstr(text, "\"profile\":{\"id\"");
  ck_assert_ptr_nonnull(at);
  at += strlen("\"profile\":{");
  for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
    char *t = malloc(strlen(text) + strlen(cases[i][0]) + 1);
    struct tpp_diag d = {0};
    ck_assert_ptr_nonnull(t);
    char msg[1200];
    int err;
    FILE *f;
    sprintf(t, "%.*s%s%s", (int)(at - text), text, cases[i][0], at);
    f = fopen(file, "w");
    ck_assert_ptr_nonnull(f);
    fputs(t, f);
    fclose(f);
    err = tpp_result_load(file, &r, &d);
    tpp_diag_format(&d, msg, sizeof(msg));
    if (cases[i][1]) {
      ck_assert_msg(err == TPP_EPARSE && strstr(msg, cases[i][1]), "case %zu: %s", i, msg);
    } else {
      ck_assert_msg(err == 0, "case %zu: %s", i, msg);
      ck_assert_uint_eq(r.devices[0].profile.n_advisories, 0);
      tpp_result_free(&r);
    }
    free(t);
  }
  free(text);
  tpp_device_result_free(dev);
  free(dev);
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
    d.global_mem_bytes = isfinite(p->memory_gb) ? (uint64_t)(p->memory_gb * 1073741824.0 * 0.97)
                                                : 0;
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

/* Issue 15.6: "NVIDIA L4" is in "NVIDIA L40" and "NVIDIA L40S" as a substring, and the L40
 * and L40S tie on SM count and memory: names match as whole words, the PCI id decides first,
 * and a tie that remains is reported. */
START_TEST(test_match_names_and_pci_first)
{
  struct tpp_device_info d;
  struct tpp_profile_match m;

  ck_assert(tpp_profile_name_matches("NVIDIA L4", "NVIDIA L4"));
  ck_assert(tpp_profile_name_matches("nvidia l4 (24 GB)", "NVIDIA L4"));
  ck_assert(!tpp_profile_name_matches("NVIDIA L40", "NVIDIA L4"));
  ck_assert(!tpp_profile_name_matches("NVIDIA L40S", "NVIDIA L40"));
  ck_assert(!tpp_profile_name_matches("NVIDIA L20", "NVIDIA L2"));
  ck_assert(!tpp_profile_name_matches("XL40S", "L40S"));
  ck_assert(tpp_profile_name_matches("NVIDIA L40S", "L40S"));
  ck_assert(!tpp_profile_name_matches("NVIDIA L40S", ""));

  /* The names the driver reports, no PCI id: each its own profile, no tie. */
  memset(&d, 0, sizeof(d));
  snprintf(d.name, sizeof(d.name), "NVIDIA L40S");
  d.compute_units = 142;
  d.global_mem_bytes = 48ull * 1000 * 1000 * 1000;
  tpp_profile_match_device(&set, &d, &m);
  ck_assert_msg(m.profile && strcmp(m.profile->id, "nvidia-l40s") == 0 && !m.ambiguous,
                "L40S matched %s (%s)%s", m.profile ? m.profile->id : "nothing", m.how,
                m.ambiguous ? ", ambiguous" : "");
  snprintf(d.name, sizeof(d.name), "NVIDIA L40");
  tpp_profile_match_device(&set, &d, &m);
  ck_assert_msg(m.profile && strcmp(m.profile->id, "nvidia-l40") == 0 && !m.ambiguous,
                "L40 matched %s", m.profile ? m.profile->id : "nothing");
  snprintf(d.name, sizeof(d.name), "NVIDIA L4");
  d.compute_units = 58;
  d.global_mem_bytes = 24ull * 1000 * 1000 * 1000;
  tpp_profile_match_device(&set, &d, &m);
  ck_assert_msg(m.profile && strcmp(m.profile->id, "nvidia-l4") == 0, "L4 matched %s",
                m.profile ? m.profile->id : "nothing");

  /* The PCI id of an L40S with the name, SM count and memory of an L40: the L40S. */
  snprintf(d.name, sizeof(d.name), "NVIDIA L40");
  d.compute_units = 142;
  d.global_mem_bytes = 48ull * 1000 * 1000 * 1000;
  d.pci_vendor_id = 0x10de;
  d.pci_device_id = 0x26b9;
  tpp_profile_match_device(&set, &d, &m);
  ck_assert_msg(m.profile && strcmp(m.profile->id, "nvidia-l40s") == 0, "matched %s (%s)",
                m.profile ? m.profile->id : "nothing", m.how);
}
END_TEST

START_TEST(test_memory_matches)
{
  ck_assert(tpp_profile_memory_matches(80, 85520809984.0)); /* 79.6 GiB reported */
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

/* Issue 15.5 and 15.6: a die larger than one exposure field, and a profile whose dies are all
 * planar (applicable die area 0), are bad profiles. */
START_TEST(test_parse_die_bounds)
{
  struct tpp_profile p;
  struct tpp_diag d = {0};
  char *text = mutate("\"area_mm2\": 500", "\"area_mm2\": 1000");
  ck_assert_int_eq(tpp_profile_parse("x.json", text, &p, &d), TPP_EPARSE);
  ck_assert_str_eq(d.field, "dies[0].area_mm2");
  ck_assert_ptr_nonnull(strstr(d.text, "858"));
  free(text);
  text = mutate("\"area_mm2\": 500", "\"area_mm2\": 858");
  ck_assert_int_eq(tpp_profile_parse("x.json", text, &p, &d), 0);
  free(text);
  text = mutate("\"non_planar\": true", "\"non_planar\": false");
  ck_assert_int_eq(tpp_profile_parse("x.json", text, &p, &d), TPP_EPARSE);
  ck_assert_str_eq(d.field, "dies");
  ck_assert_ptr_nonnull(strstr(d.text, "non_planar"));
  free(text);
}
END_TEST

/* Where advisories go in the base profile, and one advisory holding `members`. */
#define ADV_AT "\"sources\": {\"ds\""
#define ADV(members) "\"advisories\": [{" members "}], " ADV_AT

static const struct {
  const char *from, *to, *field;
} bad_cases[] = {
    {"\"vendor\": \"X\"",                                                        "\"vendor\": \"X\", \"colour\": 1",                                                   "colour"                        },
    {"\"schema_version\": 1",                                                    "\"schema_version\": 2",                                                              "schema_version"                },
    {"\"id\": \"x-chip\"",                                                       "\"id\": \"X Chip\"",                                                                 "id"                            },
    {"\"tops\": 100",                                                            "\"tops\": -100",                                                                     "peaks[0].tops"                 },
    {"\"tops\": 100",                                                            "\"tops\": \"100\"",                                                                  "peaks[0].tops"                 },
    {"\"precision\": \"fp16\"",                                                  "\"precision\": \"fp12\"",                                                            "peaks[0].precision"            },
    {"\"path\": \"tensor\"",                                                     "\"path\": \"matrix\"",                                                               "peaks[0].path"                 },
    {"\"clock_mhz\": 1500, \"source\": \"ds\"}",                                 "\"source\": \"ds\"}",                                                                "peaks[0]"                      },
    {"\"clock_mhz\": 1500, \"source\": \"ds\"}",                                 "\"clock_mhz\": 1500, \"source\": \"nope\"}",
     "peaks[0].source"                                                                                                                                                                                 },
    {"\"clock_mhz\": 1500, \"source\": \"ds\"}",                                 "\"clock_mhz\": 1500}",                                                               "peaks[0]"                      },
    {"\"source\": \"ds, wp\"",                                                   "\"source\": \"ds, \"",                                                               "dies[0].source"                },
    {"\"pci_device_ids\": [\"1234\"]",                                           "\"pci_device_ids\": [\"12AB\"]",
     "identity.pci_device_ids[0]"                                                                                                                                                                      },
    {"\"pci_vendor_id\": \"10de\"",                                              "\"pci_vendor_id\": \"nvidia\"",                                                      "identity.pci_vendor_id"        },
    {"\"compute_units\": 10",                                                    "\"compute_units\": 0",                                                               "identity.compute_units"        },
    {"\"count\": 1",                                                             "\"count\": 0",                                                                       "dies[0].count"                 },
    {"\"non_planar\": true",                                                     "\"non_planar\": \"yes\"",                                                            "dies[0].non_planar"            },
    {"\"bandwidth_gbs\": 1000",                                                  "\"bandwidth_gbs\": -1",                                                              "memory.bandwidth_gbs"          },
    {"\"datacenter\": {\"value\": true, \"source\": \"ds\"}",                    "\"datacenter\": true",                                                               "datacenter"                    },
    {"\"dies\": [{\"name\": \"X1\", \"count\": 1, \"area_mm2\": 500, \"process\": \"N7\", "
     "\"non_planar\": true, \"estimate\": false, \"source\": \"ds, wp\"}]", "\"dies\": []",                                                                       "dies"                          },
    {"\"wp\": \"whitepaper\"",                                                   "\"wp\": \"\"",                                                                       "sources.wp"                    },
    {"\"peaks\": [{",
     "\"peaks\": [{\"precision\": \"fp16\", \"path\": \"tensor\", \"tops\": 1,"
     " \"clock_mhz\": null, \"source\": \"ds\"}, {",                                                                                                                   "peaks[1]"                      },
 /* issue 15.7: a source citing nothing, an alias repeating the id, figures beyond bounds */
    {"\"source\": \"ds, wp\"",                                                   "\"source\": \",,,\"",                                                                "dies[0].source"                },
    {"\"source\": \"ds, wp\"",                                                   "\"source\": \"\"",                                                                   "dies[0].source"                },
    {"\"source\": \"ds, wp\"",                                                   "\"source\": \"ds,,wp\"",                                                             "dies[0].source"                },
    {"\"aliases\": [\"xc\"]",                                                    "\"aliases\": [\"x-chip\"]",                                                          "aliases[0]"                    },
    {"\"aliases\": [\"xc\"]",                                                    "\"aliases\": [\"xc\", \"X-Chip\"]",                                                  "aliases[1]"                    },
    {"\"aliases\": [\"xc\"]",                                                    "\"aliases\": [\"xc\", \"XC\"]",                                                      "aliases[1]"                    },
    {"\"tops\": 100",                                                            "\"tops\": 1e300",                                                                    "peaks[0].tops"                 },
    {"\"bidirectional_gbs\": 64",                                                "\"bidirectional_gbs\": 1e300",                                                       "interconnect.bidirectional_gbs"},
    {"\"bidirectional_gbs\": 64",                                                "\"bidirectional_gbs\": -64",                                                         "interconnect.bidirectional_gbs"},
 /* advisories */
    {ADV_AT,                                                                     "\"advisories\": {}, " ADV_AT,                                                        "advisories"                    },
    {ADV_AT,                                                                     "\"advisories\": [\"risky\"], " ADV_AT,                                               "advisories[0]"                 },
    {ADV_AT,                                                                     ADV("\"text\": \"t\", \"date\": \"2025-05-13\", \"source\": \"ds\", \"url\": \"u\""),
     "advisories[0].url"                                                                                                                                                                               },
    {ADV_AT,                                                                     ADV("\"date\": \"2025-05-13\", \"source\": \"ds\""),                                  "advisories[0]"                 },
    {ADV_AT,                                                                     ADV("\"text\": \"\", \"date\": \"2025-05-13\", \"source\": \"ds\""),
     "advisories[0].text"                                                                                                                                                                              },
    {ADV_AT,                                                                     ADV("\"text\": 7, \"date\": \"2025-05-13\", \"source\": \"ds\""),
     "advisories[0].text"                                                                                                                                                                              },
    {ADV_AT,                                                                     ADV("\"text\": \"t\", \"source\": \"ds\""),                                           "advisories[0]"                 },
    {ADV_AT,                                                                     ADV("\"text\": \"t\", \"date\": \"13 May 2025\", \"source\": \"ds\""),
     "advisories[0].date"                                                                                                                                                                              },
    {ADV_AT,                                                                     ADV("\"text\": \"t\", \"date\": \"2025-02-30\", \"source\": \"ds\""),
     "advisories[0].date"                                                                                                                                                                              },
    {ADV_AT,                                                                     ADV("\"text\": \"t\", \"date\": \"2025-05-13\""),                                     "advisories[0]"                 },
    {ADV_AT,                                                                     ADV("\"text\": \"t\", \"date\": \"2025-05-13\", \"source\": \"bis\""),
     "advisories[0].source"                                                                                                                                                                            },
    {ADV_AT,                                                                     ADV("\"text\": \"t\", \"date\": \"2025-05-13\", \"source\": \"ds, \""),
     "advisories[0].source"                                                                                                                                                                            },
};

/* An advisory parses with its source key resolved to the citation, and prints with it. */
START_TEST(test_parse_advisory)
{
  char *text = mutate(ADV_AT, ADV("\"text\": \"Using it anywhere risks GP10.\", "
                                  "\"date\": \"2024-02-29\", \"source\": \"wp, ds\""));
  struct tpp_profile p;
  struct tpp_diag d = {0};
  char buf[2048];
  json_t *j;
  FILE *f;
  ck_assert_int_eq(tpp_profile_parse("x.json", text, &p, &d), 0);
  free(text);
  ck_assert_uint_eq(p.n_advisories, 1);
  ck_assert_str_eq(p.advisories[0].text, "Using it anywhere risks GP10.");
  ck_assert_str_eq(p.advisories[0].date, "2024-02-29");
  ck_assert_str_eq(p.advisories[0].source, "whitepaper; datasheet");

  f = fmemopen(buf, sizeof(buf), "w");
  tpp_profile_advisories_print(&p, f);
  fclose(f);
  ck_assert_msg(strstr(buf, "advisory    2024-02-29  Using it anywhere risks GP10.\n") &&
                    strstr(buf, "source: whitepaper; datasheet\n"),
                "%s", buf);
  j = tpp_profile_advisories_json(&p);
  ck_assert_uint_eq(json_array_size(j), 1);
  ck_assert_str_eq(json_string_value(json_object_get(json_array_get(j, 0), "source")),
                   "whitepaper; datasheet");
  ck_assert_str_eq(json_string_value(json_object_get(json_array_get(j, 0), "date")), "2024-02-29");
  json_decref(j);

  /* None: prints nothing, an empty array. */
  ck_assert_int_eq(tpp_profile_parse("x.json", base_profile, &p, &d), 0);
  ck_assert_uint_eq(p.n_advisories, 0);
  buf[0] = '\0';
  f = fmemopen(buf, sizeof(buf), "w");
  tpp_profile_advisories_print(&p, f);
  fclose(f);
  ck_assert_str_eq(buf, "");
  j = tpp_profile_advisories_json(&p);
  ck_assert(json_is_array(j) && json_array_size(j) == 0);
  json_decref(j);
}
END_TEST

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
  ck_assert_msg(strstr(msg, "z-chip.json") && strstr(msg, "aliases[0]") && strstr(msg, "xc"), "%s",
                msg);

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
  tcase_add_test(shipped, test_shipped_sources_checkable);
  tcase_add_test(shipped, test_shipped_gp10_advisory);
  tcase_add_test(shipped, test_advisories_in_commands);
  tcase_add_test(shipped, test_result_advisories_reader);
  tcase_add_test(shipped, test_match_own_identity);
  tcase_add_test(shipped, test_match_rules);
  tcase_add_test(shipped, test_match_names_and_pci_first);
  tcase_add_test(parse, test_memory_matches);
  tcase_add_test(parse, test_parse_valid);
  tcase_add_test(parse, test_parse_die_bounds);
  tcase_add_test(parse, test_parse_advisory);
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
