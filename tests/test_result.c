/* test_result.c - result documents: JSON round trip, recomputed classification, and every
 * malformed file rejected with its file, line and field. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "testutil.h"
#include "tpp/profile.h"
#include "tpp/atomicio.h"
#include "tpp/result.h"
#include "tpp/stats.h"

static struct tpp_ruleset rules;

static void
load_rules(void)
{
  struct tpp_diag d;
  ck_assert_int_eq(tpp_ruleset_load(TPP_PROFILES_DIR "/rules/eccn-3a090-2023.json", &rules, &d), 0);
}

/* A result with one of everything: ok, unsupported, skipped and error rows, bandwidth. */
static void
make_result(struct tpp_result *r)
{
  struct tpp_device_result *d;
  memset(r, 0, sizeof(*r));
  snprintf(r->tool_version, sizeof(r->tool_version), "9.9.9");
  snprintf(r->created, sizeof(r->created), "2026-11-22T10:00:00Z");
  r->budget_s = 0.5;
  r->host = json_pack("{s:s, s:i}", "hostname", "lab-7", "cores", 64);
  r->n_backends = 1;
  snprintf(r->backends[0].name, sizeof(r->backends[0].name), "opencl");
  r->backends[0].status.available = 1;
  snprintf(r->backends[0].status.reason, sizeof(r->backends[0].status.reason), "1 platform");
  r->devices = calloc(1, sizeof(*r->devices));
  r->n_devices = 1;
  d = &r->devices[0];
  snprintf(d->info.backend, sizeof(d->info.backend), "opencl");
  snprintf(d->info.selector, sizeof(d->info.selector), "opencl:0.1");
  d->info.device_index = 1;
  snprintf(d->info.name, sizeof(d->info.name), "Example \"quoted\" GPU");
  snprintf(d->info.type, sizeof(d->info.type), "gpu");
  snprintf(d->info.pci_bus_id, sizeof(d->info.pci_bus_id), "0000:65:00.0");
  d->info.compute_units = 132;
  ck_assert_int_eq(tpp_facts_set(&d->info.facts, "compute_capability", "9.0"), 0);
  d->info.power_limit_w = 700;
  snprintf(d->info.uuid, sizeof(d->info.uuid), "GPU-12345678-abcd-ef01-2345-6789abcdef01");
  d->info.clock_mhz_max = 1980;
  d->info.global_mem_bytes = 80ull << 30;
  d->die_area_mm2 = 814;
  snprintf(d->die_area_source, sizeof(d->die_area_source), "--die-area");
  d->datacenter = 1;
  d->placement = json_pack("{s:b}", "bound", 1);
  d->rows = calloc(4, sizeof(*d->rows));
  ck_assert_ptr_nonnull(d->rows);
  d->n_rows = 4;
  d->rows[0] = (struct tpp_row){
      .precision = TPP_FP16,
      .path = TPP_PATH_TENSOR,
      .status = TPP_ROW_OK,
      .tops = 700.25,
      .ops_per_launch = 1e12,
      .telemetry = {.clock_mhz = 1755,
                    .clock_mhz_min = 1740,
                    .clock_mhz_max = 1770,
                    .samples = 40,
                    .power_w = 690.5,
                    .power_w_max = 700,
                    .temperature_c_max = 71,
                    .clock_events = "sw_power_cap"},
      .peak_tops = 946.5,
      .efficiency = 700.25 / 946.5,
      .verified = 1,
      .stats = {.n = 9,
                    .median = 700.25,
                    .min = 690,
                    .max = 701,
                    .mean = 699,
                    .stddev = 3,
                    .cv = 3.0 / 699            }
  };
  snprintf(d->rows[0].kernel, sizeof(d->rows[0].kernel), "hmma");
  snprintf(d->rows[0].clock_source, sizeof(d->rows[0].clock_source), "nvml");
  d->rows[1] = (struct tpp_row){
      .precision = TPP_INT8,
      .path = TPP_PATH_TENSOR,
      .status = TPP_ROW_OK,
      .tops = 1400.5,
      .peak_tops = NAN,
      .efficiency = NAN,
      .ops_per_launch = NAN,
      .verified = 1,
      .stats = {.n = 1, .median = 1400.5, .min = 1400.5, .max = 1400.5, .mean = 1400.5}
  };
  d->rows[2] = (struct tpp_row){.precision = TPP_FP4,
                                .path = TPP_PATH_TENSOR,
                                .status = TPP_ROW_UNSUPPORTED,
                                .tops = NAN,
                                .peak_tops = NAN,
                                .efficiency = NAN,
                                .ops_per_launch = NAN};
  snprintf(d->rows[2].reason, sizeof(d->rows[2].reason), "no FP4 units");
  d->rows[3] = (struct tpp_row){.precision = TPP_FP64,
                                .path = TPP_PATH_VECTOR,
                                .status = TPP_ROW_ERROR,
                                .tops = 99,
                                .peak_tops = NAN,
                                .efficiency = 1.5,
                                .ops_per_launch = NAN};
  snprintf(d->rows[3].reason, sizeof(d->rows[3].reason), "exceeds the per-clock peak");
  d->n_bw = 1;
  d->bw[0] = (struct tpp_bw_row){
      .status = TPP_ROW_OK,
      .gbs = 3012.5,
      .bytes_per_launch = 1 << 30,
      .verified = 1,
      .stats = {.n = 3,
                .median = 3012.5,
                .min = 3000,
                .max = 3020,
                .mean = 3011,
                .stddev = 10,
                .cv = 0.0033}
  };
  snprintf(d->bw[0].kind, sizeof(d->bw[0].kind), "read");
  for (int i = 1; i < 4; i++)
    tpp_telemetry_clear(&d->rows[i].telemetry);
}

START_TEST(tpp_comes_from_ok_rows_only)
{
  struct tpp_result r;
  load_rules();
  make_result(&r);
  ck_assert_int_eq(tpp_device_result_classify(&r.devices[0], &rules), 0);
  /* INT8 1400.5 x 8 = 11204 beats FP16 700.25 x 16 = 11204?  Equal: first ok row wins.
   * The error row (FP64 99 x 64 = 6336) must not count at all. */
  ck_assert_double_eq_tol(r.devices[0].tpp, 11204, 1e-9);
  ck_assert_int_eq(r.devices[0].tpp_row, 0);
  ck_assert_int_eq(r.devices[0].cls.zone, TPP_ZONE_BLACK);
  ck_assert_str_eq(r.devices[0].cls.clause, "3A090.a.1");
  tpp_result_free(&r);
}
END_TEST

/* A row without a per-clock rate is shown but not counted in TPP; its figure is reported
 * beside TPP when it would be higher.  A TPP from a lower-bound row is flagged.  The flags
 * round-trip, and a schema 2 file without them reads as before (all false). */
START_TEST(unchecked_and_lower_bound_rows)
{
  struct tpp_result r, back;
  struct tpp_diag d;
  char dir[256], path[512];
  json_t *a, *b;
  load_rules();
  make_result(&r);
  r.devices[0].rows[1].tops = 2000; /* INT8: 16000 bit-TOPS, more than FP16's 11204 */
  r.devices[0].rows[1].stats.median = r.devices[0].rows[1].stats.min =
      r.devices[0].rows[1].stats.max = r.devices[0].rows[1].stats.mean = 2000;
  r.devices[0].rows[1].unchecked = 1;
  r.devices[0].rows[0].lower_bound = 1;
  r.devices[0].rows[3].device_reset = 1;
  r.devices[0].info.simulated = 1;
  ck_assert_int_eq(tpp_device_result_classify(&r.devices[0], &rules), 0);
  ck_assert_double_eq_tol(r.devices[0].tpp, 11204, 1e-9);
  ck_assert_int_eq(r.devices[0].tpp_row, 0);
  ck_assert_double_eq_tol(r.devices[0].tpp_unchecked, 16000, 1e-9);
  ck_assert(tpp_device_result_tpp_lower_bound(&r.devices[0]));
  a = tpp_result_to_json(&r);
  ck_assert(json_is_true(json_object_get(
      json_array_get(
          json_object_get(json_array_get(json_object_get(a, "devices"), 0), "measurements"), 1),
      "unchecked")));
  ck_assert(json_is_true(
      json_object_get(json_array_get(json_object_get(a, "devices"), 0), "tpp_lower_bound")));
  tpp_test_tmpdir(dir, sizeof(dir));
  snprintf(path, sizeof(path), "%s/result.json", dir);
  ck_assert_int_eq(tpp_atomic_write_json(path, a, &d), 0);
  ck_assert_int_eq(tpp_result_load(path, &back, &d), 0);
  ck_assert(back.devices[0].rows[1].unchecked && back.devices[0].rows[0].lower_bound &&
            back.devices[0].rows[3].device_reset && back.devices[0].info.simulated);
  ck_assert_int_eq(tpp_device_result_classify(&back.devices[0], &rules), 0);
  b = tpp_result_to_json(&back);
  ck_assert(json_equal(a, b));
  json_decref(a);
  json_decref(b);
  tpp_result_free(&r);
  tpp_result_free(&back);
  remove(path);
  remove(dir);
  /* an older schema 2 file has none of the flags: it still reads, all false */
  ck_assert_int_eq(tpp_result_load(TPP_TEST_DATA "/results/minimal.json", &back, &d), 0);
  ck_assert(!back.devices[0].rows[0].unchecked && !back.devices[0].rows[0].lower_bound &&
            !back.devices[0].info.simulated);
  tpp_result_free(&back);
}
END_TEST

START_TEST(json_round_trip_is_exact)
{
  struct tpp_result r, back;
  struct tpp_diag d;
  char dir[256], path[512];
  json_t *a, *b;

  load_rules();
  make_result(&r);
  tpp_device_result_classify(&r.devices[0], &rules);
  a = tpp_result_to_json(&r);
  tpp_test_tmpdir(dir, sizeof(dir));
  snprintf(path, sizeof(path), "%s/result.json", dir);
  ck_assert_int_eq(tpp_atomic_write_json(path, a, &d), 0);
  ck_assert_int_eq(tpp_result_load(path, &back, &d), 0);
  ck_assert_int_eq(tpp_device_result_classify(&back.devices[0], &rules), 0);
  b = tpp_result_to_json(&back);
  if (!json_equal(a, b)) {
    char *sa = json_dumps(a, JSON_INDENT(1)), *sb = json_dumps(b, JSON_INDENT(1));
    fprintf(stderr, "written:\n%s\nread back:\n%s\n", sa, sb);
    free(sa);
    free(sb);
  }
  ck_assert(json_equal(a, b));
  json_decref(a);
  json_decref(b);
  tpp_result_free(&r);
  tpp_result_free(&back);
  remove(path);
  remove(dir);
}
END_TEST

/* Schema 4: --repeat's between-run spread widens the borderline check; an interrupted
 * run's keys (complete, incomplete_reason, interrupted), warnings and the node summary
 * survive writing and reading, and an interrupted device's TPP is a lower bound. */
START_TEST(repeat_and_interrupted_round_trip)
{
  static struct tpp_device_result dv[1];
  struct tpp_result r = {0}, back;
  struct tpp_diag d;
  char dir[256], path[512];
  json_t *a, *b;
  struct tpp_device_result *x = &dv[0];

  load_rules();
  tpp_test_synth_device(x, "Test accelerator", 0x10de, 0x1234, 100, 80);
  /* TPP 4790, samples within 0.05%: below 4800 whatever the samples say. */
  tpp_test_synth_row(x, TPP_FP8, TPP_PATH_TENSOR, 4790.0 / 8, 0.0005, 1800);
  x->die_area_mm2 = 1000; /* PD 4.79: black from TPP 4800 on, grey below */
  snprintf(x->die_area_source, sizeof(x->die_area_source), "--die-area (2 dies)");
  ck_assert_int_eq(tpp_device_result_classify(x, &rules), 0);
  ck_assert(!x->cls.borderline);
  /* Three runs whose medians reach 4840: the threshold lies inside the wider spread. */
  {
    double med[3] = {4760.0 / 8, 4790.0 / 8, 4840.0 / 8};
    ck_assert_int_eq(tpp_stats_compute(med, 3, &x->rows[0].runs), 0);
  }
  ck_assert_int_eq(tpp_device_result_classify(x, &rules), 0);
  ck_assert_msg(x->cls.borderline, "%s", x->cls.reason);
  ck_assert_int_eq(x->cls.borderline_zone, TPP_ZONE_BLACK);

  x->interrupted = 1;
  r.devices = dv;
  r.n_devices = 1;
  r.repeat = 3;
  r.incomplete = 1;
  snprintf(r.incomplete_reason, sizeof(r.incomplete_reason),
           "interrupted by SIGINT after 1 of 9 rows");
  r.warnings = json_pack("[s]", "CPU frequency governor is \"powersave\"");
  r.node.present = 1;
  r.node.concurrent = 1;
  r.node.wall_s = 12.5;
  ck_assert_int_eq(tpp_device_result_classify(x, &rules), 0);
  ck_assert(tpp_device_result_tpp_lower_bound(x));
  a = tpp_result_to_json(&r);
  ck_assert(json_is_false(json_object_get(a, "complete")));
  ck_assert_int_eq(json_integer_value(json_object_get(json_object_get(a, "node"), "devices")), 1);
  tpp_test_tmpdir(dir, sizeof(dir));
  snprintf(path, sizeof(path), "%s/result.json", dir);
  ck_assert_int_eq(tpp_atomic_write_json(path, a, &d), 0);
  ck_assert_msg(tpp_result_load(path, &back, &d) == 0, "%s", d.text);
  ck_assert(back.incomplete && back.devices[0].interrupted && back.repeat == 3);
  ck_assert_int_eq(back.devices[0].rows[0].runs.n, 3);
  ck_assert_int_eq(tpp_device_result_classify(&back.devices[0], &rules), 0);
  b = tpp_result_to_json(&back);
  ck_assert(json_equal(a, b));
  json_decref(a);
  json_decref(b);
  json_decref(r.warnings);
  tpp_result_free(&back);
  remove(path);
  remove(dir);
}
END_TEST

/* Schema 2: a device with a profile and PCI ids survives writing and reading, and the
 * profile's die area, datacenter flag and interconnect are what classification uses. */
START_TEST(profile_round_trip)
{
  static struct tpp_device_result d;
  struct tpp_result back;
  struct tpp_profile_set set;
  struct tpp_diag diag = {0};
  char dir[256], path[512];
  json_t *a, *b;

  load_rules();
  ck_assert_int_eq(tpp_profile_set_load_dir(TPP_PROFILES_DIR "/devices", &set, &diag), 0);
  tpp_test_synth_device(&d, "NVIDIA H100 80GB HBM3", 0x10de, 0x2330, 132, 79.6);
  tpp_test_synth_row(&d, TPP_FP8, TPP_PATH_TENSOR, 1500, 0.01, 1755);
  tpp_device_result_set_profile(&d, tpp_profile_find(&set, "h100"), "pci 10de:2330", 0);
  ck_assert(d.die_area_mm2 == 814);
  ck_assert_str_eq(d.die_area_source, "profile:nvidia-h100-sxm5-80gb");
  ck_assert(d.interconnect_gbs == 900);
  ck_assert_int_eq(tpp_device_result_classify(&d, &rules), 0);
  ck_assert(d.cls.zone == TPP_ZONE_BLACK);
  ck_assert(d.dram_bw_gbs == 3350); /* no bandwidth row: the profile's figure */
  tpp_test_tmpdir(dir, sizeof(dir));
  snprintf(path, sizeof(path), "%s/result.json", dir);
  ck_assert_int_eq(tpp_test_write_result(path, &d, 1), 0);
  ck_assert_int_eq(tpp_result_load(path, &back, &diag), 0);
  ck_assert_uint_eq(back.devices[0].info.pci_vendor_id, 0x10de);
  ck_assert_uint_eq(back.devices[0].info.pci_device_id, 0x2330);
  ck_assert(back.devices[0].has_profile);
  ck_assert_str_eq(back.devices[0].profile.id, "nvidia-h100-sxm5-80gb");
  ck_assert_int_eq(tpp_device_result_classify(&back.devices[0], &rules), 0);
  {
    struct tpp_result one = {.devices = &d, .n_devices = 1};
    a = tpp_result_to_json(&one);
  }
  back.tool_version[0] = back.created[0] = '\0';
  b = tpp_result_to_json(&back);
  ck_assert(json_equal(json_array_get(json_object_get(a, "devices"), 0),
                       json_array_get(json_object_get(b, "devices"), 0)));
  ck_assert_int_eq(json_integer_value(json_object_get(b, "schema_version")),
                   TPP_RESULT_SCHEMA_VERSION);
  json_decref(a);
  json_decref(b);
  tpp_result_free(&back);
  tpp_profile_set_free(&set);
  remove(path);
  remove(dir);
}
END_TEST

START_TEST(minimal_hand_written_result)
{
  struct tpp_result r;
  struct tpp_diag d;
  load_rules();
  ck_assert_int_eq(tpp_result_load(TPP_TEST_DATA "/results/minimal.json", &r, &d), 0);
  ck_assert_uint_eq(r.n_devices, 1);
  ck_assert_int_eq(tpp_device_result_classify(&r.devices[0], &rules), 0);
  ck_assert_double_eq_tol(r.devices[0].tpp, 15831.2, 1e-9);
  ck_assert_double_eq_tol(r.devices[0].cls.pd, 15831.2 / 814, 1e-9);
  ck_assert_int_eq(r.devices[0].cls.zone, TPP_ZONE_BLACK);
  tpp_result_free(&r);
}
END_TEST

/* Versions 1 and 2 kept compute_capability and extensions in the identity and NVML's bits
 * beside their names: they read as facts and names, and are written as schema 3. */
/* Issue 14: provenance and labels go out and come back as they were; hashes are SHA-256;
 * labels are checked on reading as --label checks them. */
START_TEST(provenance_and_labels_round_trip)
{
  struct tpp_result r = {0}, back;
  struct tpp_diag d = {0};
  char hex[TPP_SHA256_HEX], *text;
  const char *argv[] = {"tppbench", "run", "--label", "case=A-17"};
  json_t *doc;

  /* FIPS 180-2's example: SHA-256("abc"). */
  tpp_sha256_hex("abc", 3, hex);
  ck_assert_str_eq(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  ck_assert_int_eq(tpp_label_add(&r.labels, "case=A-17", "--label", &d), 0);
  ck_assert_int_eq(tpp_label_add(&r.labels, "operator=Zoë", "--label", &d), 0);
  ck_assert_int_eq(tpp_label_add(&r.labels, "case=B", "--label", &d), TPP_EINVAL);
  ck_assert_str_eq(d.field, "--label");
  ck_assert_int_eq(tpp_label_add(&r.labels, "bad key=1", "--label", &d), TPP_EINVAL);
  ck_assert_int_eq(tpp_label_add(&r.labels, "novalue", "--label", &d), TPP_EINVAL);
  ck_assert_int_eq(tpp_label_add(&r.labels, "k=\xff", "--label", &d), TPP_EINVAL);
  r.has_provenance = 1;
  tpp_provenance_collect(&r.prov, 4, argv);
  ck_assert_int_eq((int)strlen(r.prov.binary_sha256), 64);
  snprintf(r.prov.started, sizeof(r.prov.started), "2026-01-02T03:04:05Z");
  snprintf(r.prov.rules_sha256, sizeof(r.prov.rules_sha256), "%s", hex);
  doc = tpp_result_to_json(&r);
  text = json_dumps(doc, 0);
  ck_assert_int_eq(json_integer_value(json_object_get(doc, "schema_version")), 4);
  {
    json_t *root = json_loads(text, 0, NULL);
    struct tpp_jctx c = {"mem", text, &d};
    ck_assert_int_eq(tpp_result_from_json(&c, root, &back), 0);
    json_decref(root);
  }
  ck_assert_str_eq(json_string_value(json_object_get(back.labels, "operator")), "Zoë");
  ck_assert_str_eq(back.prov.binary_sha256, r.prov.binary_sha256);
  ck_assert_str_eq(back.prov.rules_sha256, hex);
  ck_assert_str_eq(json_string_value(json_array_get(back.prov.command_line, 3)), "case=A-17");
  ck_assert_int_eq(back.has_provenance, 1);
  tpp_result_free(&back);
  free(text);
  /* A label a reader would refuse. */
  json_object_set_new(json_object_get(doc, "labels"), "bad key", json_string("x"));
  text = json_dumps(doc, 0);
  {
    json_t *root = json_loads(text, 0, NULL);
    struct tpp_jctx c = {"mem", text, &d};
    ck_assert_int_eq(tpp_result_from_json(&c, root, &back), TPP_EPARSE);
    ck_assert_str_eq(d.field, "labels");
    json_decref(root);
  }
  free(text);
  json_decref(doc);
  tpp_result_free(&r);
}
END_TEST

START_TEST(legacy_keys_become_facts)
{
  struct tpp_result r;
  struct tpp_diag d;
  json_t *doc, *id, *tel;
  ck_assert_msg(tpp_result_load(TPP_TEST_DATA "/results/v2_legacy_keys.json", &r, &d) == 0, "%s",
                d.text);
  ck_assert_str_eq(tpp_facts_get(&r.devices[0].info.facts, "compute_capability"), "9.0");
  ck_assert_ptr_null(tpp_facts_get(&r.devices[0].info.facts, "extensions")); /* empty */
  ck_assert_str_eq(r.devices[0].rows[0].telemetry.clock_events, "sw_power_cap");
  doc = tpp_result_to_json(&r);
  id = json_object_get(json_array_get(json_object_get(doc, "devices"), 0), "identity");
  tel = json_object_get(
      json_array_get(
          json_object_get(json_array_get(json_object_get(doc, "devices"), 0), "measurements"), 0),
      "telemetry");
  ck_assert_int_eq(json_integer_value(json_object_get(doc, "schema_version")),
                   TPP_RESULT_SCHEMA_VERSION);
  ck_assert_ptr_null(json_object_get(id, "compute_capability"));
  ck_assert_str_eq(
      json_string_value(json_object_get(json_object_get(id, "facts"), "compute_capability")),
      "9.0");
  ck_assert_ptr_null(json_object_get(tel, "clock_event_reasons"));
  ck_assert_str_eq(json_string_value(json_object_get(tel, "clock_events")), "sw_power_cap");
  json_decref(doc);
  tpp_result_free(&r);
}
END_TEST

struct bad_case {
  const char *file;
  int line;
  const char *field; /* substring expected in diag.field ("" for syntax errors) */
};

static const struct bad_case bad_cases[] = {
    {"bad_status.json",      8, "devices[0].measurements[1].status"  },
    {"tops_string.json",     8, "devices[0].measurements[0].tops"    },
    {"bad_schema.json",      2, "schema_version"                     },
    {"ok_without_tops.json", 7, "devices[0].measurements[0].tops"    },
    {"unknown_key.json",     7, "devices[0]"                         },
    {"truncated.json",       0, ""                                   },
 /* schema 3: compute_capability is a fact, no longer a key of the identity */
    {"v3_legacy_key.json",   6, "devices[0].identity"                },
    {"bad_fact.json",        6, "devices[0].identity.facts.Bad-Name" },
    {"bad_bw_kind.json",     8, "devices[0].memory_bandwidth[0].kind"},
 /* the bounds docs/result.schema.json states too (minimum, maximum) */
    {"negative_tops.json",   8, "devices[0].measurements[0].tops"    },
    {"huge_tops.json",       8, "devices[0].measurements[0].tops"    },
};

START_TEST(malformed_results_name_file_line_field)
{
  const struct bad_case *bc = &bad_cases[_i];
  struct tpp_result r;
  struct tpp_diag d;
  char path[512], msg[1200];
  snprintf(path, sizeof(path), "%s/results/%s", TPP_TEST_DATA, bc->file);
  ck_assert_int_eq(tpp_result_load(path, &r, &d), TPP_EPARSE);
  tpp_diag_format(&d, msg, sizeof(msg));
  ck_assert_msg(strstr(d.file, bc->file) != NULL, "%s: diag file is \"%s\"", bc->file, d.file);
  if (bc->line)
    ck_assert_msg(d.line == bc->line, "%s: line %d, expected %d (%s)", bc->file, d.line, bc->line,
                  msg);
  else
    ck_assert_msg(d.line > 0, "%s: no line in \"%s\"", bc->file, msg);
  ck_assert_msg(strstr(d.field, bc->field) != NULL, "%s: field \"%s\" (%s)", bc->file, d.field,
                msg);
}
END_TEST

START_TEST(missing_file)
{
  struct tpp_result r;
  struct tpp_diag d;
  ck_assert_int_eq(tpp_result_load(TPP_TEST_DATA "/results/no-such-file.json", &r, &d), TPP_ENOENT);
}
END_TEST

START_TEST(atomic_write_leaves_old_file_on_failure)
{
  struct tpp_diag d;
  char dir[256], path[512], bad[600];
  char *text;
  tpp_test_tmpdir(dir, sizeof(dir));
  snprintf(path, sizeof(path), "%s/out.json", dir);
  ck_assert_int_eq(tpp_atomic_write(path, "old\n", 4, &d), 0);
  /* A target in a directory that does not exist: fails, names the file. */
  snprintf(bad, sizeof(bad), "%s/missing/out.json", dir);
  ck_assert_int_eq(tpp_atomic_write(bad, "new\n", 4, &d), TPP_EIO);
  ck_assert_ptr_nonnull(strstr(d.file, "missing/out.json"));
  text = tpp_test_slurp(path);
  ck_assert_str_eq(text, "old\n");
  free(text);
  ck_assert_int_eq(tpp_atomic_write(path, "new\n", 4, &d), 0);
  text = tpp_test_slurp(path);
  ck_assert_str_eq(text, "new\n");
  free(text);
  remove(path);
  remove(dir);
}
END_TEST

/* --- reading re-checks what the file derives from its rows ---------------------------- */

/* A classified result of make_result() as JSON, one field changed by `tamper`, written to a
 * file; then read (with the zone check under the 2023 rules).  The error and diag. */
struct tamper {
  const char *what;  /* test label */
  const char *field; /* the JSON path the message must name */
  void (*tamper)(json_t *dev);
};

static json_t *
row(json_t *dev, size_t i)
{
  return json_array_get(json_object_get(dev, "measurements"), i);
}

/* The reproduction of issue 9: tops far above its samples' median. */
static void
tamper_tops(json_t *dev)
{
  json_object_set_new(row(dev, 0), "tops", json_real(200000));
}

static void
tamper_bit_tops(json_t *dev)
{
  json_object_set_new(row(dev, 1), "bit_tops", json_real(1400.5 * 16));
}

static void
tamper_tpp(json_t *dev)
{
  json_object_set_new(dev, "tpp", json_real(4000));
}

static void
tamper_efficiency(json_t *dev)
{
  /* Above 1 on an ok row (and no longer tops / peak_tops). */
  json_object_set_new(row(dev, 0), "efficiency", json_real(1.2));
}

static void
tamper_efficiency_ratio(json_t *dev)
{
  json_object_set_new(row(dev, 0), "efficiency", json_real(0.5));
}

static void
tamper_zone(json_t *dev)
{
  json_object_set_new(json_object_get(dev, "classification"), "zone", json_string("white"));
}

static void
tamper_median(json_t *dev)
{
  json_object_set_new(json_object_get(row(dev, 0), "stats"), "median", json_real(800));
}

static const struct tamper tampers[] = {
    {"tops",                       "devices[0].measurements[0].tops",         tamper_tops            },
    {"bit_tops",                   "devices[0].measurements[1].bit_tops",     tamper_bit_tops        },
    {"tpp",                        "devices[0].tpp",                          tamper_tpp             },
    {"efficiency above 1",         "devices[0].measurements[0].efficiency",   tamper_efficiency      },
    {"efficiency not tops/peak",   "devices[0].measurements[0].efficiency",   tamper_efficiency_ratio},
    {"zone",                       "devices[0].classification.zone",          tamper_zone            },
    {"median outside its samples", "devices[0].measurements[0].stats.median", tamper_median          },
};

START_TEST(contradictions_are_bad_input)
{
  const struct tamper *t = &tampers[_i];
  struct tpp_result r, back;
  struct tpp_diag d;
  char dir[256], path[512], msg[1200];
  json_t *doc;

  load_rules();
  make_result(&r);
  ck_assert_int_eq(tpp_device_result_classify(&r.devices[0], &rules), 0);
  doc = tpp_result_to_json(&r);
  tpp_test_tmpdir(dir, sizeof(dir));
  snprintf(path, sizeof(path), "%s/result.json", dir);
  /* Untouched, it reads and re-checks cleanly. */
  ck_assert_int_eq(tpp_atomic_write_json(path, doc, &d), 0);
  ck_assert_int_eq(tpp_result_load_checked(path, &rules, &back, &d), 0);
  tpp_result_free(&back);
  t->tamper(json_array_get(json_object_get(doc, "devices"), 0));
  ck_assert_int_eq(tpp_atomic_write_json(path, doc, &d), 0);
  ck_assert_int_eq(tpp_result_load_checked(path, &rules, &back, &d), TPP_EPARSE);
  tpp_diag_format(&d, msg, sizeof(msg));
  ck_assert_msg(strcmp(d.field, t->field) == 0, "%s: field \"%s\", expected %s (%s)", t->what,
                d.field, t->field, msg);
  ck_assert_msg(strstr(d.file, "result.json") && d.line > 0, "%s: %s", t->what, msg);
  ck_assert_int_eq(tpp_exit_status(TPP_EPARSE), 2);
  json_decref(doc);
  tpp_result_free(&r);
  remove(path);
  remove(dir);
}
END_TEST

/* --- issue 15.7: what the classifier would reject, the reader rejects first --------------- */

/* One value of make_result()'s JSON replaced: `path` ("a.b[2].c"), the JSON text `value`. */
struct bad_value {
  const char *path, *value;
  const char *field; /* the path the message must name (NULL: `path` itself) */
};

static const struct bad_value bad_values[] = {
    {"devices[0].memory_bandwidth[0].gbs",        "-3012.5",        NULL},
    {"devices[0].interconnect_gbs",               "-5",             NULL},
 /* bit-TOPS that would overflow; and a figure no device comes near */
    {"devices[0].measurements[1].tops",           "1e307",          NULL},
    {"devices[0].measurements[1].tops",           "2e9",            NULL},
    {"devices[0].measurements[0].verified",       "false",          NULL},
    {"devices[0].memory_bandwidth[0].verified",   "false",          NULL},
    {"devices[0].measurements[0].stats.min",      "702",            NULL},
    {"devices[0].measurements[0].stats.stddev",   "-3",             NULL},
    {"devices[0].measurements[0].stats.mean",     "900",            NULL},
    {"devices[0].memory_bandwidth[0].stats.min",  "-1",             NULL},
    {"devices[0].memory_bandwidth[0].gbs",        "30000",          NULL},
    {"devices[0].measurements[0].peak_tops",      "-946.5",         NULL},
    {"devices[0].measurements[0].ops_per_launch", "1e30",           NULL},
    {"devices[0].identity.compute_units",         "-132",           NULL},
    {"devices[0].identity.compute_units",         "4294967296",     NULL},
    {"devices[0].identity.global_mem_bytes",      "-1",             NULL},
    {"tool.extra",                                "1",              NULL},
    {"tool.name",                                 "\"otherbench\"", NULL},
    {"backends[0].extra",                         "1",              NULL},
    {"devices[0].identity.pci_vendor_id",         "\"+abc\"",       NULL},
    {"devices[0].identity.pci_vendor_id",         "\" abc\"",       NULL},
    {"devices[0].identity.pci_vendor_id",         "\"10DE\"",       NULL},
    {"devices[0].identity.pci_vendor_id",         "\"0x1f\"",       NULL},
    {"devices[0].identity.pci_device_id",         "\"0000\"",       NULL},
};

/* The member `path` names in doc, created if absent (objects and existing array entries). */
static void
set_at(json_t *doc, const char *path, json_t *value)
{
  char buf[256], *tok, *save = NULL, *last = NULL;
  json_t *o = doc;
  snprintf(buf, sizeof(buf), "%s", path);
  for (tok = strtok_r(buf, ".", &save); tok; tok = strtok_r(NULL, ".", &save)) {
    char *br = strchr(tok, '[');
    if (last)
      o = json_object_get(o, last);
    if (br) {
      *br = '\0';
      o = json_array_get(json_object_get(o, tok), strtoul(br + 1, NULL, 10));
      last = NULL;
      continue;
    }
    last = tok;
  }
  ck_assert_msg(json_is_object(o) && last, "test bug: %s", path);
  json_object_set_new(o, last, value);
}

START_TEST(out_of_bounds_values_are_bad_input)
{
  const struct bad_value *bv = &bad_values[_i];
  const char *field = bv->field ? bv->field : bv->path;
  struct tpp_result r, back;
  struct tpp_diag d;
  char dir[256], path[512], msg[1200];
  json_t *doc;

  load_rules();
  make_result(&r);
  ck_assert_int_eq(tpp_device_result_classify(&r.devices[0], &rules), 0);
  doc = tpp_result_to_json(&r);
  set_at(doc, bv->path, json_loads(bv->value, JSON_DECODE_ANY, NULL));
  tpp_test_tmpdir(dir, sizeof(dir));
  snprintf(path, sizeof(path), "%s/result.json", dir);
  ck_assert_int_eq(tpp_atomic_write_json(path, doc, &d), 0);
  ck_assert_msg(tpp_result_load_checked(path, &rules, &back, &d) == TPP_EPARSE, "%s = %s accepted",
                bv->path, bv->value);
  tpp_diag_format(&d, msg, sizeof(msg));
  ck_assert_msg(strcmp(d.field, field) == 0, "%s: field \"%s\", expected %s (%s)", bv->path,
                d.field, field, msg);
  ck_assert_msg(strstr(d.file, "result.json") && d.line > 0, "%s: %s", bv->path, msg);
  json_decref(doc);
  tpp_result_free(&r);
  remove(path);
  remove(dir);
}
END_TEST

/* --- issue 15.1: memory in proportion to the file, and a bound on devices --------------- */

/* A result of n devices, each with `rows` skipped rows (at most TPP_MAX_ROWS), written to
 * path as it goes (no tree in memory: the test measures what reading costs). */
static void
write_many(const char *path, size_t n, size_t rows)
{
  FILE *f = fopen(path, "w");
  ck_assert_ptr_nonnull(f);
  fprintf(f,
          "{\"schema_version\": %d, \"tool\": {\"name\": \"tppbench\", \"version\": "
          "\"0.1.0\"},\n \"devices\": [",
          TPP_RESULT_SCHEMA_VERSION);
  for (size_t i = 0; i < n; i++) {
    fprintf(f,
            "%s\n  {\"identity\": {\"backend\": \"opencl\", \"selector\": \"opencl:0.%zu\", "
            "\"name\": \"x\"}, \"measurements\": [",
            i ? "," : "", i);
    for (size_t k = 0; k < rows; k++)
      fprintf(f,
              "%s{\"precision\": \"%s\", \"path\": \"%s\", \"status\": \"skipped\", "
              "\"verified\": false}",
              k ? ", " : "", tpp_precision_name((enum tpp_precision)(k / 8 % TPP_PRECISION_COUNT)),
              k % 8 < 4 ? "vector" : "tensor");
    fprintf(f, "]}");
  }
  fprintf(f, "]}\n");
  ck_assert_int_eq(fclose(f), 0);
}

/* Peak resident memory of this process so far, in MiB. */
static double
peak_rss_mib(void)
{
  struct rusage ru;
  getrusage(RUSAGE_SELF, &ru);
  return ru.ru_maxrss / 1024.0; /* kilobytes on Linux */
}

START_TEST(devices_beyond_the_bound_are_bad_input)
{
  struct tpp_result r;
  struct tpp_diag d;
  char dir[256], path[512], msg[1200];
  tpp_test_tmpdir(dir, sizeof(dir));
  snprintf(path, sizeof(path), "%s/many.json", dir);
  write_many(path, TPP_MAX_DEVICES + 1, 0);
  ck_assert_int_eq(tpp_result_load(path, &r, &d), TPP_EPARSE);
  ck_assert_int_eq(tpp_exit_status(TPP_EPARSE), 2);
  tpp_diag_format(&d, msg, sizeof(msg));
  ck_assert_msg(strcmp(d.field, "devices") == 0 && d.line > 0 && strstr(msg, "1024"), "%s", msg);
  write_many(path, TPP_MAX_DEVICES, 1);
  ck_assert_msg(tpp_result_load(path, &r, &d) == 0, "%s", d.text);
  ck_assert_uint_eq(r.n_devices, TPP_MAX_DEVICES);
  tpp_result_free(&r);
  remove(path);
  remove(dir);
}
END_TEST

/* What reading costs: 1024 devices of 88 rows each (6.7 MB of JSON) under 256 MiB (measured:
 * 160 MiB, jansson's tree the most of it), and 1024 devices without rows under 48 MiB
 * (measured: 27 MiB; about 87 MiB when every device held room for 88 rows).  The
 * figures are the process's peak resident memory above what it was before reading; under
 * AddressSanitizer (its shadow and quarantine) only the reading is checked. */
START_TEST(reading_costs_memory_in_proportion_to_the_file)
{
  struct tpp_result r;
  struct tpp_diag d;
  char dir[256], small[512], big[512];
  double base, grew_small, grew_big;
  tpp_test_tmpdir(dir, sizeof(dir));
  snprintf(small, sizeof(small), "%s/small.json", dir);
  snprintf(big, sizeof(big), "%s/big.json", dir);
  write_many(small, TPP_MAX_DEVICES, 0);
  write_many(big, TPP_MAX_DEVICES, TPP_MAX_ROWS);
  base = peak_rss_mib();
  ck_assert_msg(tpp_result_load(small, &r, &d) == 0, "%s", d.text);
  grew_small = peak_rss_mib() - base;
  tpp_result_free(&r);
  ck_assert_msg(tpp_result_load(big, &r, &d) == 0, "%s", d.text);
  ck_assert_uint_eq(r.devices[TPP_MAX_DEVICES - 1].n_rows, TPP_MAX_ROWS);
  grew_big = peak_rss_mib() - base;
  tpp_result_free(&r);
  fprintf(stderr, "reading 1024 devices: %.1f MiB without rows, %.1f MiB with 88 rows each\n",
          grew_small, grew_big);
#if !defined(__SANITIZE_ADDRESS__) && !defined(__SANITIZE_THREAD__) /* their shadow memory counts \
                                                                     */
  ck_assert_msg(grew_small < 48, "1024 devices without rows cost %.1f MiB", grew_small);
  ck_assert_msg(grew_big < 256, "1024 devices of 88 rows cost %.1f MiB", grew_big);
#endif
  remove(small);
  remove(big);
  remove(dir);
}
END_TEST

/* Found by fuzz_result: tpp_result_load_checked left each re-checked device classified
 * under a copy of the rule set it had freed (the classification's rule set id and clause
 * pointed into freed memory, and writing the result read them).  A device read but not
 * re-checked has no TPP (unknown until classified), never 0. */
START_TEST(checked_load_leaves_devices_classified_under_the_callers_rules)
{
  struct tpp_result r, back;
  struct tpp_diag d;
  char dir[256], path[512];
  json_t *doc, *again;

  load_rules();
  make_result(&r);
  ck_assert_int_eq(tpp_device_result_classify(&r.devices[0], &rules), 0);
  doc = tpp_result_to_json(&r);
  tpp_test_tmpdir(dir, sizeof(dir));
  snprintf(path, sizeof(path), "%s/result.json", dir);
  ck_assert_int_eq(tpp_atomic_write_json(path, doc, &d), 0);
  ck_assert_int_eq(tpp_result_load_checked(path, &rules, &back, &d), 0);
  ck_assert(back.devices[0].cls.rules_id == rules.id);
  ck_assert(back.devices[0].cls.clause >= rules.clauses[0].id &&
            back.devices[0].cls.clause < (const char *)(&rules + 1));
  again = tpp_result_to_json(&back);
  ck_assert(json_equal(
      json_object_get(json_array_get(json_object_get(again, "devices"), 0), "classification"),
      json_object_get(json_array_get(json_object_get(doc, "devices"), 0), "classification")));
  json_decref(again);
  tpp_result_free(&back);
  ck_assert_int_eq(tpp_result_load(path, &back, &d), 0);
  ck_assert(isnan(back.devices[0].tpp));
  tpp_result_free(&back);
  json_decref(doc);
  tpp_result_free(&r);
  remove(path);
  remove(dir);
}
END_TEST

/* A TPP set by a lower-bound row: grey at the bound (3200 on 814 mm2), black possible above,
 * so the device is undecided, at least grey.  A file written before that stored "grey" (the
 * zone at the bound): it still reads, the zone being among the outcomes; "white" is not. */
START_TEST(lower_bound_zone_and_older_files)
{
  struct tpp_result r, back;
  struct tpp_diag d;
  char dir[256], path[512];
  json_t *doc, *cls;

  load_rules();
  make_result(&r);
  r.devices[0].n_rows = 1;
  r.devices[0].rows[0].tops = r.devices[0].rows[0].stats.median = 200; /* fp16: 3200 */
  r.devices[0].rows[0].stats.min = r.devices[0].rows[0].stats.max = 200;
  r.devices[0].rows[0].stats.mean = 200;
  r.devices[0].rows[0].stats.stddev = r.devices[0].rows[0].stats.cv = 0;
  r.devices[0].rows[0].efficiency = NAN;
  r.devices[0].rows[0].lower_bound = 1;
  ck_assert_int_eq(tpp_device_result_classify(&r.devices[0], &rules), 0);
  ck_assert_msg(r.devices[0].cls.zone == TPP_ZONE_INDETERMINATE, "%s", r.devices[0].cls.reason);
  ck_assert_int_eq(r.devices[0].cls.at_least, TPP_ZONE_GREY);
  doc = tpp_result_to_json(&r);
  cls = json_object_get(json_array_get(json_object_get(doc, "devices"), 0), "classification");
  tpp_test_tmpdir(dir, sizeof(dir));
  snprintf(path, sizeof(path), "%s/result.json", dir);
  json_object_set_new(cls, "zone", json_string("grey"));
  ck_assert_int_eq(tpp_atomic_write_json(path, doc, &d), 0);
  ck_assert_msg(tpp_result_load_checked(path, &rules, &back, &d) == 0, "%s", d.text);
  tpp_result_free(&back);
  json_object_set_new(cls, "zone", json_string("white"));
  ck_assert_int_eq(tpp_atomic_write_json(path, doc, &d), 0);
  ck_assert_int_eq(tpp_result_load_checked(path, &rules, &back, &d), TPP_EPARSE);
  json_decref(doc);
  tpp_result_free(&r);
  remove(path);
  remove(dir);
}
END_TEST

/* The zone is re-checked only under the rule set it was made with. */
START_TEST(zone_checked_under_its_own_rules_only)
{
  struct tpp_result r, back;
  struct tpp_ruleset r22;
  struct tpp_diag d;
  char dir[256], path[512];
  json_t *doc;

  load_rules();
  ck_assert_int_eq(tpp_ruleset_load(TPP_PROFILES_DIR "/rules/eccn-3a090-2022.json", &r22, &d), 0);
  make_result(&r);
  ck_assert_int_eq(tpp_device_result_classify(&r.devices[0], &rules), 0);
  doc = tpp_result_to_json(&r);
  tamper_zone(json_array_get(json_object_get(doc, "devices"), 0));
  tpp_test_tmpdir(dir, sizeof(dir));
  snprintf(path, sizeof(path), "%s/result.json", dir);
  ck_assert_int_eq(tpp_atomic_write_json(path, doc, &d), 0);
  ck_assert_int_eq(tpp_result_load_checked(path, &r22, &back, &d), 0);
  tpp_result_free(&back);
  ck_assert_int_eq(tpp_result_load_checked(path, &rules, &back, &d), TPP_EPARSE);
  json_decref(doc);
  tpp_result_free(&r);
  remove(path);
  remove(dir);
}
END_TEST

/* Unknown is the zero value: a cleared device or classification never reads as white or
 * ok, and a device that could not be opened is written as not measured. */
START_TEST(zero_values_are_unknown)
{
  static struct tpp_device_result d;
  struct tpp_classification c;
  struct tpp_result r = {.devices = &d, .n_devices = 1};
  size_t failed, errors, measured;
  json_t *j, *dev;

  load_rules();
  memset(&c, 0, sizeof(c));
  ck_assert(c.zone == TPP_ZONE_INDETERMINATE);
  memset(&d, 0, sizeof(d));
  ck_assert(d.rows == NULL && d.n_rows == 0);
  /* A row added is cleared the same way: not ok, every figure unknown. */
  ck_assert_ptr_nonnull(tpp_device_result_add_row(&d));
  ck_assert(d.rows[0].status != TPP_ROW_OK && isnan(d.rows[0].tops));
  ck_assert(d.cls.zone == TPP_ZONE_INDETERMINATE);

  tpp_test_synth_device(&d, "NVIDIA H100 80GB HBM3", 0x10de, 0x2330, 132, 79.6);
  tpp_device_result_not_measured(&d, "cannot open cuda:0 (NVIDIA H100): CUDA_ERROR_NO_DEVICE");
  ck_assert_int_eq(tpp_device_result_classify(&d, &rules), 0);
  ck_assert(d.cls.zone == TPP_ZONE_INDETERMINATE);
  ck_assert(isnan(d.tpp));
  ck_assert_ptr_nonnull(strstr(d.cls.reason, "CUDA_ERROR_NO_DEVICE"));
  j = tpp_result_to_json(&r);
  dev = json_array_get(json_object_get(j, "devices"), 0);
  ck_assert(json_is_null(json_object_get(dev, "tpp")));
  ck_assert_str_eq(
      json_string_value(json_object_get(json_object_get(dev, "classification"), "zone")),
      "indeterminate");
  ck_assert(json_is_null(json_object_get(json_object_get(dev, "classification"), "tpp")));
  ck_assert_ptr_nonnull(strstr(json_string_value(json_object_get(dev, "error")), "NO_DEVICE"));
  json_decref(j);
  /* run exits 1: a device not measured. */
  ck_assert_int_eq(tpp_result_run_status(&r, &failed, &errors, &measured), 1);
  ck_assert_uint_eq(failed, 1);

  /* A measured device with a row that ended in an error: still 1, with the count. */
  tpp_test_synth_device(&d, "NVIDIA H100 80GB HBM3", 0x10de, 0x2330, 132, 79.6);
  tpp_test_synth_row(&d, TPP_FP16, TPP_PATH_TENSOR, 800, 0.01, 1755);
  ck_assert_int_eq(tpp_result_run_status(&r, &failed, &errors, &measured), 0);
  tpp_test_synth_row(&d, TPP_FP8, TPP_PATH_TENSOR, 1600, 0.01, 1755);
  d.rows[1].status = TPP_ROW_ERROR;
  ck_assert_int_eq(tpp_result_run_status(&r, &failed, &errors, &measured), 1);
  ck_assert_uint_eq(errors, 1);
  ck_assert_uint_eq(failed, 0);
}
END_TEST

/* Issue 15.5: a classification that fails (die area 0, as an all-planar profile gives) is
 * reported and recorded as not classified, never as white. */
START_TEST(classify_failure_is_not_white)
{
  static struct tpp_device_result d;
  load_rules();
  tpp_test_synth_device(&d, "Planar", 0x10de, 0x9999, 10, 16);
  tpp_test_synth_row(&d, TPP_FP16, TPP_PATH_TENSOR, 100, 0.01, 1500);
  d.die_area_mm2 = 0;
  snprintf(d.die_area_source, sizeof(d.die_area_source), "profile:planar");
  ck_assert_int_eq(tpp_device_result_classify(&d, &rules), TPP_EINVAL);
  ck_assert(d.cls.zone == TPP_ZONE_INDETERMINATE);
  ck_assert_ptr_nonnull(strstr(d.cls.reason, "die area"));
}
END_TEST

int
main(void)
{
  Suite *s = suite_create("result");
  TCase *tc = tcase_create("core");
  tcase_add_test(tc, tpp_comes_from_ok_rows_only);
  tcase_add_test(tc, repeat_and_interrupted_round_trip);
  tcase_add_test(tc, json_round_trip_is_exact);
  tcase_add_test(tc, unchecked_and_lower_bound_rows);
  tcase_add_test(tc, minimal_hand_written_result);
  tcase_add_test(tc, profile_round_trip);
  tcase_add_test(tc, legacy_keys_become_facts);
  tcase_add_loop_test(tc, malformed_results_name_file_line_field, 0,
                      (int)(sizeof(bad_cases) / sizeof(bad_cases[0])));
  tcase_add_test(tc, missing_file);
  tcase_add_test(tc, atomic_write_leaves_old_file_on_failure);
  tcase_add_loop_test(tc, contradictions_are_bad_input, 0,
                      (int)(sizeof(tampers) / sizeof(tampers[0])));
  tcase_add_loop_test(tc, out_of_bounds_values_are_bad_input, 0,
                      (int)(sizeof(bad_values) / sizeof(bad_values[0])));
  tcase_add_test(tc, devices_beyond_the_bound_are_bad_input);
  tcase_add_test(tc, reading_costs_memory_in_proportion_to_the_file);
  tcase_add_test(tc, zone_checked_under_its_own_rules_only);
  tcase_add_test(tc, lower_bound_zone_and_older_files);
  tcase_add_test(tc, checked_load_leaves_devices_classified_under_the_callers_rules);
  tcase_add_test(tc, zero_values_are_unknown);
  tcase_add_test(tc, classify_failure_is_not_white);
  tcase_add_test(tc, provenance_and_labels_round_trip);
  suite_add_tcase(s, tc);
  return tpp_test_run(s);
}
