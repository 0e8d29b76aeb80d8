/* fuzz_common.c - see fuzz_common.h. */
#include "fuzz_common.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef FUZZ_DATA_DIR
#error "FUZZ_DATA_DIR (the fuzz data folder: rules/ and devices/) comes from CMake"
#endif

struct tpp_ruleset fuzz_rules[FUZZ_RULE_SETS];
struct tpp_profile_set fuzz_profiles;
FILE *fuzz_null;

static char scratch[512];

static void
remove_scratch(void)
{
  char path[600];
  for (int i = 0; i < 4; i++) {
    snprintf(path, sizeof(path), "%s/file%d.json", scratch, i);
    unlink(path);
  }
  rmdir(scratch);
}

void
fuzz_fail(const char *what)
{
  fprintf(stderr, "fuzz: invariant broken: %s\n", what);
  abort();
}

void
fuzz_init(void)
{
  static const char *const sets[FUZZ_RULE_SETS] = {"eccn-3a090-2023", "eccn-3a090-2022",
                                                   "case-by-case-2026", "ai-diffusion-2025"};
  struct tpp_diag diag = {0};
  char dir[1100];

  if (fuzz_null)
    return;
  setenv("TPPBENCH_PROFILES", FUZZ_DATA_DIR, 1);
  /* No OpenCL platform: `list` answers at once, the same each time. */
  setenv("OCL_ICD_VENDORS", FUZZ_DATA_DIR "/no-icd", 1);
  snprintf(dir, sizeof(dir), "%s/rules", FUZZ_DATA_DIR);
  for (int i = 0; i < FUZZ_RULE_SETS; i++) {
    const char *const dirs[] = {dir, NULL};
    if (tpp_ruleset_open(sets[i], dirs, &fuzz_rules[i], &diag) != 0)
      fuzz_fail(diag.text);
  }
  snprintf(dir, sizeof(dir), "%s/devices", FUZZ_DATA_DIR);
  if (tpp_profile_set_load_dir(dir, &fuzz_profiles, &diag) != 0)
    fuzz_fail(diag.text);
  snprintf(scratch, sizeof(scratch), "%s/tppbench-fuzz-%ld",
           getenv("TMPDIR") && *getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp", (long)getpid());
  if (mkdir(scratch, 0700) != 0)
    fuzz_fail("cannot make the scratch folder");
  atexit(remove_scratch);
  if (!(fuzz_null = fopen("/dev/null", "w")))
    fuzz_fail("cannot open /dev/null");
}

char *
fuzz_text(const uint8_t *data, size_t size)
{
  char *s = malloc(size + 1);
  if (!s)
    abort();
  memcpy(s, data, size);
  s[size] = '\0';
  return s;
}

const char *
fuzz_write_file(int slot, const uint8_t *data, size_t size)
{
  static char path[4][600];
  FILE *f;
  snprintf(path[slot], sizeof(path[slot]), "%s/file%d.json", scratch, slot);
  if (!(f = fopen(path[slot], "wb")) || fwrite(data, 1, size, f) != size || fclose(f) != 0)
    fuzz_fail("cannot write the scratch file");
  return path[slot];
}
