/* main.c - tppbench: measure an accelerator's dense throughput, compute its TPP and
 * classify it under export rules.  Dispatches to one function per command. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
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
     "exit status: 0 success; 2 bad usage or bad input; 1 any other failure (run: also\n"
     "             a device not measured or a row that ended in an error)\n"
     "             verify: 1 inconsistent, 3 borderline or inconclusive\n"
     "             fleet: 1 a quantity exceeded, 3 undetermined\n"},
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
     "  --quiet            no progress lines on stderr\n"
     "\n"
     "exit status: 0 every selected device measured and no row ended in an error; 1 a\n"
     "device could not be measured, a row ended in an error, or nothing was measured\n"
     "(the result is written either way, with the failure in it); 2 bad usage or input\n"},
    {"classify",
     "usage: tppbench classify --peak PREC[:UNIT]=TERAOPS [--peak ...] [--die-area MM2]\n"
     "                         [OPTIONS]\n"
     "       tppbench classify --profile NAME|FILE [OPTIONS]\n"
     "       tppbench classify RESULT.json [--device SEL] [OPTIONS]\n"
     "\n"
     "  --peak PREC[:UNIT]=TERAOPS  dense datasheet figure (TFLOPS or TOPS) for PREC, one\n"
     "                        of fp64 fp32 tf32 fp16 bf16 fp8 int8 int4 fp4 (and int16\n"
     "                        int32); UNIT vector or tensor (the aggregate reading needs it)\n"
     "  --profile NAME|FILE   a device profile (id or alias from `list --profiles`, or a file):\n"
     "                        its peaks, die area, datacenter flag and bandwidths\n"
     "  --die-area MM2        area of all non-planar logic dies (mm2)\n"
     "  --interconnect GBS    aggregate bidirectional chip-to-chip I/O (the 2022 rule)\n"
     "  --dram-bandwidth GBS  total DRAM bandwidth (the January 2026 policy)\n"
     "  --non-datacenter      not designed or marketed for datacenters (Note 2 to 3A090)\n"
     "  --datacenter          designed or marketed for datacenters (overrides a profile)\n"
     "  --rules NAME|FILE     rule set (default eccn-3a090-2023; see profiles/rules/)\n"
     "  --tpp-reading R       highest (default): the single highest precision and unit;\n"
     "                        aggregate: best vector-unit plus best matrix-unit TPP\n"
     "  --tf32-bits N         bit length TF32 counts as: 32 (default) or 19\n"
     "  --device SEL          which device of a multi-device result\n"
     "  --json                print the classification and explanation as JSON\n"
     "\n"
     "Every other reading of the rule is computed too; a zone that another reading changes\n"
     "is marked interpretation-sensitive (docs/rules.md).\n"},
    {"verify",
     "usage: tppbench verify --declared NAME|FILE RESULT.json [--device SEL]\n"
     "                       [--rules NAME|FILE] [--min-fraction F] [--tolerance F]\n"
     "                       [--tpp-reading R] [--tf32-bits N] [--json]\n"
     "\n"
     "Checks a measured device against the product it was declared as: identity (PCI id,\n"
     "SM/CU count, memory) and capability (every precision the product declares, against\n"
     "the declared peak at the measured clock, and the zone under the rule set).  A declared\n"
     "precision not measured ok is listed with why; rows that ended in an error are listed\n"
     "with their kernel and reason.\n"
     "\n"
     "  --declared NAME|FILE  device profile (id or alias, or a profile file)\n"
     "  --min-fraction F      below F x the declared peak is under-performing (default 0.5)\n"
     "  --tolerance F         above (1 + F) x the declared peak at the measured clock is\n"
     "                        over-capable (default 0.05)\n"
     "  --rules NAME|FILE     rule set for the class check (default eccn-3a090-2023)\n"
     "  --tpp-reading R       highest (default) or aggregate (see classify --help)\n"
     "  --tf32-bits N         32 (default) or 19\n"
     "  --device SEL          which device of a multi-device result\n"
     "  --json                print the verdict as JSON\n"
     "\n"
     "exit status: 0 consistent; 1 inconsistent; 3 borderline (a figure within its\n"
     "measured spread of a limit) or inconclusive (the precision that sets the declared\n"
     "TPP was not measured ok, or nothing could be compared); 2 bad usage or bad input\n"},
    {"fleet",
     "usage: tppbench fleet RESULT.json... [--rules NAME|FILE]\n"
     "                      [--basis rule|measured|declared] [--tpp-reading R]\n"
     "                      [--tf32-bits N] [--json]\n"
     "\n"
     "Totals the devices of many results: count and TPP per zone and per clause,\n"
     "H100-equivalents, and the counted TPP against the rule set's accounting quantities\n"
     "(default rule set ai-diffusion-2025: the LPP allowance, the Tier-2 country\n"
     "allocation, the NVEU and UVEU figures), each with its confidence.  A device given\n"
     "twice (same UUID, else same host, PCI bus id and file) counts once, with a warning.\n"
     "\n"
     "  --rules NAME|FILE  rule set with an \"accounting\" section (default ai-diffusion-2025)\n"
     "  --basis B          rule (default): TPP at the theoretical maximum, as the rule\n"
     "                     counts it: the datasheet TPP of the matched profile, else the\n"
     "                     measured TPP (marked per device); measured: each device's\n"
     "                     measured TPP; declared: datasheet TPP only (a device without a\n"
     "                     profile has none).  The other basis is printed beside it\n"
     "  --tpp-reading R    highest (default) or aggregate (see classify --help)\n"
     "  --tf32-bits N      32 (default) or 19\n"
     "  --json             print the totals as JSON\n"
     "\n"
     "exit status: 0 every quantity fits; 1 a quantity is exceeded; 3 undetermined (a\n"
     "quantity the devices without a zone could exceed, or, without quantities, a device\n"
     "without a zone); 2 bad usage or bad input\n"},
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
