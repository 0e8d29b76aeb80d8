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
     "  keygen     make a key pair for signing results (minisign's format)\n"
     "  sign       sign results: FILE.minisig, which `minisign -V` and `verify --trust` check\n"
     "\n"
     "  tppbench COMMAND --help   options of one command\n"
     "  tppbench --version\n"
     "\n"
     "exit status: 0 success; 2 bad usage or bad input; 1 any other failure\n"
     "             (verify: 1 inconsistent, 3 borderline; verify and fleet --trust: 2 for a\n"
     "             result without a good signature by a trusted key)\n"},
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
     "                       [--rules NAME|FILE] [--min-fraction F] [--tolerance F]\n"
     "                       [--trust PUBKEY]... [--json]\n"
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
     "  --trust PUBKEY        accept the result only with a RESULT.json.minisig signed by this\n"
     "                        key (a public key file, or minisign's base64 key; repeatable)\n"
     "  --json                print the verdict as JSON\n"
     "\n"
     "exit status: 0 consistent; 1 inconsistent; 3 borderline (a figure within its\n"
     "measured spread of a limit); 2 bad usage or bad input\n"},
    {"fleet",
     "usage: tppbench fleet RESULT.json... [--rules NAME|FILE] [--basis measured|declared]\n"
     "                      [--trust PUBKEY]... [--json]\n"
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
     "  --trust PUBKEY     accept only results with a RESULT.json.minisig signed by this key\n"
     "                     (a public key file, or minisign's base64 key; repeatable)\n"
     "  --json             print the totals as JSON\n"},
    {"keygen",
     "usage: tppbench keygen [--secret-key FILE] [--public-key FILE] [--no-password]\n"
     "                       [--password-file FILE] [--force]\n"
     "\n"
     "Makes an Ed25519 key pair in minisign's formats, for `tppbench sign`, `minisign -S`,\n"
     "and for recipients to check with `minisign -V` or `tppbench verify --trust`.\n"
     "\n"
     "  --secret-key FILE     secret key (default tppbench.key; mode 0600)\n"
     "  --public-key FILE     public key to hand out (default tppbench.pub)\n"
     "  --no-password         do not encrypt the secret key (minisign -W)\n"
     "  --password-file FILE  the password is the first line of FILE (default: asked on the\n"
     "                        terminal, or the file named by $TPPBENCH_PASSWORD_FILE)\n"
     "  --force               replace existing key files (their keys are lost)\n"},
    {"sign",
     "usage: tppbench sign --key SECRET FILE... [--trusted-comment TEXT] [--legacy]\n"
     "                     [--password-file FILE]\n"
     "\n"
     "Writes FILE.minisig for each FILE (atomically, none when any FILE cannot be read):\n"
     "an Ed25519 signature of the file's BLAKE2b-512 and of a trusted comment, as\n"
     "`minisign -S` makes.  Keys from `tppbench keygen` or `minisign -G` both work.\n"
     "\n"
     "  --key SECRET            secret key file\n"
     "  --trusted-comment TEXT  signed comment (default \"timestamp:<unix>\\tfile:<name>\\thashed\")\n"
     "  --legacy                sign the file itself (minisign -l), for verifiers before 0.10\n"
     "  --password-file FILE    password of an encrypted key (default: asked on the terminal,\n"
     "                          or the file named by $TPPBENCH_PASSWORD_FILE)\n"},
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
      {"keygen", tpp_cli_keygen},
      {"sign", tpp_cli_sign},
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
