/* main.c - tppbench: measure an accelerator's dense throughput, compute its TPP and
 * classify it under export rules.  Dispatches to one function per command. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "tpp/paths.h"
#include "tpp/version.h"

static const char *const usage_text[][2] = {
    {NULL,
     "usage: tppbench COMMAND [OPTIONS]\n"
     "\n"
     "Measures dense throughput at every precision and memory bandwidth with tppbench's own\n"
     "kernels, turns them into TPP and performance density, and classifies the device under\n"
     "export rules kept as data (profiles/rules/).\n"
     "\n"
     "commands:\n"
     "  list       list backends and devices\n"
     "  run        measure devices, print a table, write a JSON result\n"
     "  classify   classify datasheet peaks or a result file\n"
     "\n"
     "  tppbench COMMAND --help   options of one command\n"
     "  tppbench --version\n"
     "\n"
     "exit status: 0 success; 2 bad usage or bad input; 1 any other failure\n"},
    {"list",
     "usage: tppbench list [--json]\n"
     "\n"
     "  --json        print the backends and devices as JSON\n"},
    {"run",
     "usage: tppbench run [--device SEL] [--precisions LIST] [--out FILE] [--json]\n"
     "                    [--budget SECONDS] [--no-bandwidth] [--die-area MM2]\n"
     "                    [--non-datacenter] [--rules NAME|FILE] [--quiet]\n"
     "\n"
     "  --device SEL       opencl:P.D, a backend name, an index from `list`, a name\n"
     "                     substring, \"all\", or \"default\" (first GPU, else first device)\n"
     "  --precisions LIST  comma-separated: fp64 fp32 tf32 fp16 bf16 fp8 int32 int16 int8\n"
     "                     int4 fp4, or all (default)\n"
     "  --out FILE         result file (default tppbench-result.json; written atomically)\n"
     "  --json             print the result JSON on stdout instead of the table\n"
     "  --budget SECONDS   timed repetitions per row (default 1)\n"
     "  --no-bandwidth     skip the device-memory bandwidth rows\n"
     "  --die-area MM2     applicable die area, for performance density\n"
     "  --non-datacenter   the chip is not designed or marketed for datacenters\n"
     "  --rules NAME|FILE  rule set (default eccn-3a090-2023)\n"
     "  --quiet            no progress lines on stderr\n"},
    {"classify",
     "usage: tppbench classify --peak PREC=TERAOPS [--peak ...] [--die-area MM2]\n"
     "                         [--non-datacenter] [--rules NAME|FILE] [--json]\n"
     "       tppbench classify RESULT.json [--device SEL] [--die-area MM2]\n"
     "                         [--non-datacenter] [--rules NAME|FILE] [--json]\n"
     "\n"
     "  --peak PREC=TERAOPS  dense datasheet figure (TFLOPS or TOPS) for PREC, one of\n"
     "                       fp64 fp32 tf32 fp16 bf16 fp8 int8 int4 fp4 (and int16 int32)\n"
     "  --die-area MM2       area of all non-planar logic dies (mm2)\n"
     "  --non-datacenter     not designed or marketed for datacenters (Note 2 to 3A090)\n"
     "  --rules NAME|FILE    rule set (default eccn-3a090-2023)\n"
     "  --device SEL         which device of a multi-device result\n"
     "  --json               print the classification as JSON\n"},
};

void
tpp_cli_usage(FILE *f, const char *command)
{
  for (size_t i = 0; i < sizeof(usage_text) / sizeof(usage_text[0]); i++) {
    if ((command == NULL && usage_text[i][0] == NULL) ||
        (command && usage_text[i][0] && strcmp(command, usage_text[i][0]) == 0)) {
      fputs(usage_text[i][1], f);
      return;
    }
  }
}

int
tpp_cli_fail(int err, const struct tpp_diag *diag)
{
  char msg[1200];
  if (diag && (diag->text[0] || diag->file[0])) {
    tpp_diag_format(diag, msg, sizeof(msg));
    fprintf(stderr, "tppbench: %s\n", msg);
  } else {
    fprintf(stderr, "tppbench: %s\n", tpp_strerror(err));
  }
  return tpp_exit_status(err);
}

int
tpp_cli_parse_positive(const char *opt, const char *text, double *out, struct tpp_diag *diag)
{
  char *end;
  double v = strtod(text, &end);
  if (end == text || *end != '\0' || !isfinite(v) || !(v > 0))
    return tpp_diag_set(diag, TPP_EINVAL, NULL, 0, opt, "expected a positive number, got \"%s\"",
                        text);
  *out = v;
  return 0;
}

int
tpp_cli_load_rules(const char *name_or_file, struct tpp_ruleset *rs, struct tpp_diag *diag)
{
  const char *const *base = tpp_profile_dirs();
  char bufs[TPP_PROFILE_DIRS_MAX][1100];
  const char *dirs[TPP_PROFILE_DIRS_MAX + 1];
  size_t n = 0;
  for (; base[n] && n < TPP_PROFILE_DIRS_MAX; n++) { /* <profile dir>/rules */
    snprintf(bufs[n], sizeof(bufs[n]), "%s/rules", base[n]);
    dirs[n] = bufs[n];
  }
  dirs[n] = NULL;
  return tpp_ruleset_open(name_or_file ? name_or_file : TPP_RULES_DEFAULT, dirs, rs, diag);
}

int
main(int argc, char **argv)
{
  static const struct {
    const char *name;
    int (*fn)(int, char **);
  } commands[] = {
      {"list", tpp_cli_list},
      {"run", tpp_cli_run},
      {"classify", tpp_cli_classify},
  };

  if (argc < 2) {
    tpp_cli_usage(stderr, NULL);
    return 2;
  }
  if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "help") == 0) {
    tpp_cli_usage(stdout, NULL);
    return 0;
  }
  if (strcmp(argv[1], "--version") == 0) {
    printf("tppbench %s\n", TPP_VERSION);
    return 0;
  }
  for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
    if (strcmp(argv[1], commands[i].name) == 0)
      return commands[i].fn(argc - 1, argv + 1);
  fprintf(stderr, "tppbench: unknown command \"%s\"\n\n", argv[1]);
  tpp_cli_usage(stderr, NULL);
  return 2;
}
