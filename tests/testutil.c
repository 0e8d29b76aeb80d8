/* testutil.c - see testutil.h. */
#include "testutil.h"

#include <math.h>

#include "tpp/atomicio.h"
#include "tpp/result.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

int
tpp_test_run(Suite *s)
{
  SRunner *sr = srunner_create(s);
  int failed;
  srunner_run_all(sr, CK_NORMAL);
  failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed == 0 ? 0 : 1;
}

char *
tpp_test_slurp(const char *path)
{
  FILE *f = fopen(path, "rb");
  char *buf = NULL;
  long n;
  if (!f)
    return NULL;
  if (fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) != 0)
    goto out;
  buf = malloc((size_t)n + 1);
  if (!buf)
    goto out;
  if (fread(buf, 1, (size_t)n, f) != (size_t)n) {
    free(buf);
    buf = NULL;
    goto out;
  }
  buf[n] = '\0';
out:
  fclose(f);
  return buf;
}

int
tpp_test_sh(const char *cmd, char *out, size_t len)
{
  char full[4096];
  FILE *p;
  size_t n = 0;
  int status;
  snprintf(full, sizeof(full), "%s 2>&1", cmd);
  p = popen(full, "r");
  if (!p)
    return -1;
  if (out && len > 0) {
    n = fread(out, 1, len - 1, p);
    out[n] = '\0';
  }
  {
    char sink[4096];
    while (fread(sink, 1, sizeof(sink), p) > 0)
      ;
  }
  status = pclose(p);
  if (status == -1 || !WIFEXITED(status))
    return -1;
  return WEXITSTATUS(status);
}

void
tpp_test_tmpdir(char *buf, size_t len)
{
  const char *base = getenv("TMPDIR");
  snprintf(buf, len, "%s/tppbench-test-XXXXXX", base && *base ? base : "/tmp");
  if (!mkdtemp(buf))
    buf[0] = '\0';
}

void
tpp_test_synth_device(struct tpp_device_result *d, const char *name, unsigned pci_vendor,
                      unsigned pci_device, int compute_units, double memory_gib)
{
  tpp_device_result_free(d); /* an earlier synthetic device's rows and placement */
  memset(d, 0, sizeof(*d));
  snprintf(d->info.backend, sizeof(d->info.backend), "cuda");
  snprintf(d->info.selector, sizeof(d->info.selector), "cuda:0");
  snprintf(d->info.name, sizeof(d->info.name), "%s", name);
  snprintf(d->info.type, sizeof(d->info.type), "gpu");
  snprintf(d->info.pci_bus_id, sizeof(d->info.pci_bus_id), "0000:1b:00.0");
  d->info.pci_vendor_id = pci_vendor;
  d->info.pci_device_id = pci_device;
  d->info.compute_units = compute_units;
  d->info.global_mem_bytes = (uint64_t)(memory_gib * 1073741824.0);
  d->info.clock_mhz_max = NAN;
  d->info.power_limit_w = NAN;
  d->die_area_mm2 = NAN;
  snprintf(d->die_area_source, sizeof(d->die_area_source), "unknown");
  d->datacenter = 1;
  d->interconnect_gbs = NAN;
  d->dram_bw_gbs = NAN;
  d->tpp = NAN;
  d->tpp_row = -1;
}

/* Five samples around `value`, lowest and highest at -+spread. */
static void
synth_stats(struct tpp_stats *st, double value, double spread)
{
  st->n = 5;
  st->median = st->mean = value;
  st->min = value * (1 - spread);
  st->max = value * (1 + spread);
  st->stddev = value * spread / 2;
  st->cv = spread / 2;
}

void
tpp_test_synth_row(struct tpp_device_result *d, int precision, int path, double tops, double spread,
                   double clock_mhz)
{
  struct tpp_row *r = tpp_device_result_add_row(d);
  ck_assert_ptr_nonnull(r);
  r->precision = (enum tpp_precision)precision;
  r->path = (enum tpp_path)path;
  r->status = TPP_ROW_OK;
  snprintf(r->kernel, sizeof(r->kernel), "synthetic");
  r->tops = tops;
  synth_stats(&r->stats, tops, spread);
  r->ops_per_launch = 1e12;
  tpp_telemetry_clear(&r->telemetry);
  r->telemetry.clock_mhz = clock_mhz;
  snprintf(r->clock_source, sizeof(r->clock_source), "nvml");
  r->peak_tops = NAN;
  r->efficiency = NAN;
  r->verified = 1;
}

void
tpp_test_synth_bw(struct tpp_device_result *d, const char *kind, double gbs, double spread)
{
  struct tpp_bw_row *b = &d->bw[d->n_bw++];
  memset(b, 0, sizeof(*b));
  snprintf(b->kind, sizeof(b->kind), "%s", kind);
  b->status = TPP_ROW_OK;
  snprintf(b->kernel, sizeof(b->kernel), "synthetic");
  b->gbs = gbs;
  synth_stats(&b->stats, gbs, spread);
  b->bytes_per_launch = 1e9;
  b->verified = 1;
}

int
tpp_test_write_result(const char *path, const struct tpp_device_result *devs, size_t n)
{
  struct tpp_result r;
  json_t *doc;
  struct tpp_diag diag;
  int err;
  memset(&r, 0, sizeof(r));
  snprintf(r.tool_version, sizeof(r.tool_version), "test");
  snprintf(r.created, sizeof(r.created), "2026-11-22T00:00:00Z");
  r.budget_s = 1;
  r.devices = (struct tpp_device_result *)devs;
  r.n_devices = n;
  doc = tpp_result_to_json(&r);
  err = tpp_atomic_write_json(path, doc, &diag);
  json_decref(doc);
  return err;
}
