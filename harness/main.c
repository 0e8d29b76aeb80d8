/* main.c - tppbench: measure an accelerator's dense throughput, compute its TPP and
 * classify it under export rules.  Dispatches to one function per command. */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "tpp/backend.h"
#include "tpp/gitdescribe.h"
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
     "  classify   classify datasheet peaks, a device profile or a result file, and say\n"
     "             what would move the chip to another zone\n"
     "  verify     check a result against a declared product (importers)\n"
     "  fleet      total results per zone and clause, against the AI Diffusion quantities\n"
     "\n"
     "  tppbench COMMAND --help   options of one command\n"
     "  tppbench --version\n"
     "\n"
     "exit status: 0 success; 2 bad usage or bad input; 1 any other failure\n"
     "             (verify: 1 inconsistent, 3 borderline)\n"},
    {"list",
     "usage: tppbench list [--profiles] [--json]\n"
     "\n"
     "  --profiles    list the device profiles (id, aliases, TPP, die area, PD) instead\n"
     "  --json        print the backends and devices (or profiles) as JSON\n"},
    {"run",
     "usage: tppbench run [--device SEL] [--precisions LIST] [--out FILE] [--json]\n"
     "                    [--budget SECONDS] [--no-bandwidth] [--die-area MM2]\n"
     "                    [--non-datacenter|--datacenter] [--rules NAME|FILE]\n"
     "                    [--profile NAME|FILE] [--interconnect GBS] [--quiet]\n"
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
     "  --profile NAME|FILE  device profile to attach instead of the one the device\n"
     "                     matches (\"none\": attach none)\n"
     "  --interconnect GBS aggregate bidirectional chip-to-chip I/O (the 2022 rule)\n"
     "  --datacenter       the chip is designed or marketed for datacenters (overrides\n"
     "                     a profile)\n"
     "  --quiet            no progress lines on stderr\n"},
    {"classify",
     "usage: tppbench classify --peak PREC=TERAOPS [--peak ...] [--die-area MM2] [OPTIONS]\n"
     "       tppbench classify --profile NAME|FILE [OPTIONS]\n"
     "       tppbench classify RESULT.json [--device SEL] [OPTIONS]\n"
     "\n"
     "  --peak PREC=TERAOPS   dense datasheet figure (TFLOPS or TOPS) for PREC, one of\n"
     "                        fp64 fp32 tf32 fp16 bf16 fp8 int8 int4 fp4 (and int16 int32)\n"
     "  --profile NAME|FILE   a device profile (id or alias from `list --profiles`, or a file):\n"
     "                        its peaks, die area, datacenter flag and bandwidths\n"
     "  --die-area MM2        area of all non-planar logic dies (mm2)\n"
     "  --interconnect GBS    aggregate bidirectional chip-to-chip I/O (the 2022 rule)\n"
     "  --dram-bandwidth GBS  total DRAM bandwidth (the January 2026 policy)\n"
     "  --non-datacenter      not designed or marketed for datacenters (Note 2 to 3A090)\n"
     "  --datacenter          designed or marketed for datacenters (overrides a profile)\n"
     "  --rules NAME|FILE     rule set (default eccn-3a090-2023; see profiles/rules/)\n"
     "  --device SEL          which device of a multi-device result\n"
     "  --json                print the classification and explanation as JSON\n"},
    {"verify",
     "usage: tppbench verify --declared NAME|FILE RESULT.json [--device SEL]\n"
     "                       [--rules NAME|FILE] [--min-fraction F] [--tolerance F] [--json]\n"
     "\n"
     "Checks a measured device against the product it was declared as: identity (PCI id,\n"
     "SM/CU count, memory) and capability (each measured precision against the declared\n"
     "peak at the measured clock, and the zone under the rule set).\n"
     "\n"
     "  --declared NAME|FILE  device profile (id or alias, or a profile file)\n"
     "  --min-fraction F      below F x the declared peak is under-performing (default 0.5)\n"
     "  --tolerance F         above (1 + F) x the declared peak at the measured clock is\n"
     "                        over-capable (default 0.05)\n"
     "  --rules NAME|FILE     rule set for the class check (default eccn-3a090-2023)\n"
     "  --device SEL          which device of a multi-device result\n"
     "  --json                print the verdict as JSON\n"
     "\n"
     "exit status: 0 consistent; 1 inconsistent; 3 borderline (a figure within its\n"
     "measured spread of a limit); 2 bad usage or bad input\n"},
    {"fleet",
     "usage: tppbench fleet RESULT.json... [--rules NAME|FILE] [--basis measured|declared]\n"
     "                      [--json]\n"
     "\n"
     "Totals the devices of many results: count and TPP per zone and per clause,\n"
     "H100-equivalents, and the counted TPP against the rule set's accounting quantities\n"
     "(default rule set ai-diffusion-2025: the LPP allowance, the Tier-2 country\n"
     "allocation, the NVEU and UVEU figures), each with its confidence.\n"
     "\n"
     "  --rules NAME|FILE  rule set with an \"accounting\" section (default ai-diffusion-2025)\n"
     "  --basis B          measured (default): each device's measured TPP; declared: the\n"
     "                     datasheet TPP of its profile where it has one (what the rules\n"
     "                     count), else measured\n"
     "  --json             print the totals as JSON\n"},
};

/* --version: what was built (version, commit, backends, embedded kernels) and the data
 * folder this binary uses, so a report can name the build it came from. */
static void
print_version(void)
{
  const struct tpp_backend *const *be = tpp_backends();
  const char *dir, *how;

  printf("tppbench %s (git %s)\n", TPP_VERSION, TPP_GIT_DESCRIBE);
  fputs("backends:", stdout);
  for (size_t i = 0; be[i]; i++)
    printf(" %s", be[i]->name);
  printf("\ncuda kernels: %s\n", TPP_BUILD_CUDA_KERNELS);
  if (tpp_profile_dir_in_use(&dir, &how) == 0)
    printf("data: %s (%s)\n", dir, how);
  else
    puts("data: none found (see \"environment\" in `tppbench --help`)");
}

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
main(int argc, char **argv)
{
  static const struct {
    const char *name;
    int (*fn)(int, char **);
  } commands[] = {
      {"list", tpp_cli_list},
      {"run", tpp_cli_run},
      {"classify", tpp_cli_classify},
      {"verify", tpp_cli_verify},
      {"fleet", tpp_cli_fleet},
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
    print_version();
    return 0;
  }
  for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
    if (strcmp(argv[1], commands[i].name) == 0)
      return commands[i].fn(argc - 1, argv + 1);
  fprintf(stderr, "tppbench: unknown command \"%s\"\n\n", argv[1]);
  tpp_cli_usage(stderr, NULL);
  return 2;
}
