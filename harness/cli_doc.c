/* cli_doc.c - the command line's documentation, in one place (see cli_doc.h): commands,
 * usage forms, options, the environment and files.  Text is plain: paragraphs without line
 * breaks (the formatters wrap them), `code` in backquotes. */
#include "cli_doc.h"

#include <stddef.h>
#include <string.h>

const char tpp_doc_name_line[] =
    "measure an accelerator's dense throughput and classify it under export rules";

const char tpp_doc_description[] =
    "tppbench measures dense throughput at every precision and device-memory bandwidth with "
    "its own kernels, turns them into Total Processing Performance (TPP = 2 x dense MAC TOPS x "
    "operand bit length) and performance density (TPP / die area), and classifies the device "
    "under US export rules (ECCN 3A090) kept as versioned data files.\n\n"
    "Every figure comes from a launch whose output matched values computed on the host, and a "
    "figure above the per-clock peak is an error, never a record.  Where a measured figure is "
    "within its run-to-run spread of a threshold or a declared value, tppbench says borderline "
    "instead of giving a verdict the measurement cannot support.";

/* The commands, in the order `tppbench --help` lists them.  To add one: an entry here, its
 * function in main.c's dispatch table, its getopt table in harness/cli_NAME.c. */
const struct tpp_doc_cmd tpp_doc_commands[] = {
    {
     .name = "list",
     .summary = "list backends and devices, or the device profiles",
     .description = "Probes every backend (a missing driver is a status with its reason, not "
                       "an error) and lists each device with the selector `run --device` takes.", },
    {
     .name = "run",
     .summary = "measure devices, print a table, write a JSON result",
     .description =
            "Measures each selected device: one row per precision and path (tera-operations per "
            "second, a MAC counted as 2; TOPS x bit length; the clock measured during the row; "
            "the theoretical peak at that clock; per-clock efficiency; run-to-run spread), "
            "device-memory read, write and copy bandwidth, then the TPP, the performance "
            "density when the die area is known, and the zone with the clause and the margin to "
            "each threshold.\n\n"
            "Several devices (--device all) are measured at once, one thread each, bound to "
            "the cores nearest its device (`placement` in the result); the result holds every "
            "device and a `node` summary.  A line per row goes to stderr (on a terminal also "
            "one before it: [k/N], elapsed, time left).\n\n"
            "The whole result, with the host topology and the device identity, goes to "
            "tppbench-<host>-<UTC time>.json (never replacing another file), or to --out FILE "
            "(checked writable before measuring; written atomically; `-`: stdout, the table "
            "then on stderr).  SIGINT or SIGTERM stops after the rows in flight and writes the "
            "rows finished so far with \"complete\": false (exit 130 or 143); a second one "
            "stops at once.  A run that measured nothing leaves an existing --out file as it "
            "was.  The device profile the device matches is attached and gives the die area.", .exit_status = "0 every selected device measured and no row ended in an error; 1 a "
                       "device could not be measured, a row ended in an error, or nothing was "
                       "measured (the failure is recorded in the result, except that an "
                       "existing --out file is kept when nothing was measured); 2 bad usage or "
                       "bad input, an unwritable --out; 130, 143 interrupted by SIGINT, SIGTERM "
                       "(the rows finished so far are written)", },
    {
     .name = "classify",
     .summary = "classify datasheet peaks, a device profile or a result file, and say what "
                   "would move the chip to another zone", .forms = {"--peak PREC[:UNIT]=TERAOPS [--peak ...]", "--profile NAME|FILE", "RESULT.json"},
     .operand = "RESULT.json",
     .operand_kind = TPP_ARG_FILE,
     .description =
            "Gives the zone (black 3A090.a, grey 3A090.b, white, or indeterminate) with the "
            "clause and the margin to each threshold, then what would change it: the TPP and "
            "performance density that would put the chip in each other zone, and, keeping the "
            "same die, the TPP that would.  Without a die area, a chip that TPP alone cannot "
            "place is indeterminate, and tppbench says which die areas would put it in which "
            "zone.\n\n"
            "Every other reading of the rule (--tpp-reading, --tf32-bits) is computed too; a "
            "zone that another reading changes is marked interpretation-sensitive "
            "(docs/rules.md).", },
    {
     .name = "verify",
     .summary = "check a result against a declared product (importers)",
     .forms = {"--declared NAME|FILE RESULT.json"},
     .operand = "RESULT.json",
     .operand_kind = TPP_ARG_FILE,
     .description = "Checks a measured device against the product it was declared as: "
                       "identity (PCI id, SM/CU count, memory) and capability (every precision "
                       "the product declares, against the declared peak at the measured clock, "
                       "and the zone under the rule set).  A declared precision not measured ok "
                       "is listed with why; rows that ended in an error are listed with their "
                       "kernel and reason.", .exit_status = "0 consistent; 1 inconsistent; 3 borderline (a figure within its "
                       "measured spread of a limit) or inconclusive (the precision that sets the "
                       "declared TPP was not measured ok, or nothing could be compared); 2 bad "
                       "usage or bad input", },
    {
     .name = "fleet",
     .summary = "total results per zone and clause, against the AI Diffusion quantities",
     .forms = {"RESULT.json|DIR|-...", "--files-from LIST [RESULT.json|DIR...]"},
     .operand = "RESULT.json|DIR",
     .operand_kind = TPP_ARG_FILE,
     .description = "Totals the devices of many results: count and TPP per zone and per "
                       "clause, H100-equivalents, and the counted TPP against the rule set's "
                       "accounting quantities (default rule set ai-diffusion-2025: the LPP "
                       "allowance, the Tier-2 country allocation, the NVEU and UVEU figures), "
                       "each with its confidence, and a list of the devices with their host, "
                       "PCI bus id and UUID.  A device given twice (same UUID, else same host, "
                       "PCI bus id and file) counts once, with a warning.\n\n"
                       "Each argument is a result file, a directory (every file named *.json "
                       "under it, at any depth, in name order; names starting with a dot are "
                       "left out) or `-`, a list of paths on stdin, one per line, as "
                       "--files-from takes.  A JSON document that is not a tppbench result (a "
                       "fleet report, a profile) is skipped with a note, and so are the files of "
                       "a directory not named *.json.  A bad result stops the total with its "
                       "file, line and field, unless --keep-going.", .exit_status = "0 every quantity fits; 1 a quantity is exceeded; 3 undetermined (a "
                       "quantity the devices without a zone could exceed, or, without "
                       "quantities, a device without a zone), or incomplete (--keep-going left "
                       "a bad file out); 2 bad usage or bad input", },
    {
     .name = "keygen",
     .summary = "make a key pair for signing results (minisign's format)",
     .description = "Makes an Ed25519 key pair in minisign's formats, for `tppbench sign`, "
                       "`minisign -S`, and for recipients to check with `minisign -V` or "
                       "`tppbench verify --trust` (docs/signing.md).  The secret key is "
                       "encrypted with a password (scrypt, as minisign does) unless "
                       "--no-password; existing key files are never replaced without --force.", },
    {
     .name = "sign",
     .summary = "sign results: FILE.minisig, which `minisign -V` and `verify --trust` check",
     .forms = {"--key SECRET FILE..."},
     .operand = "FILE",
     .operand_kind = TPP_ARG_FILE,
     .description = "Writes FILE.minisig for each FILE (atomically, none when any FILE cannot "
                       "be read): an Ed25519 signature of the file's BLAKE2b-512 and of a "
                       "trusted comment, as `minisign -S` makes.  Keys from `tppbench keygen` or "
                       "`minisign -G` both work.", },
    {
     .name = "report",
     .summary = "the certificate of a result: one page with the zone chart (pdf, svg, png, "
                   "html) or its table and verdict (md, csv)", .forms = {"RESULT.json"},
     .operand = "RESULT.json",
     .operand_kind = TPP_ARG_FILE,
     .description = "Writes the certificate of one measured device for people to read: its "
                       "identity, the measured table (TOPS, clock, per-clock efficiency, spread, "
                       "kernel, flags), TPP and performance density with their margins, the zone "
                       "and clause under the rule set and the readings of the rule that would "
                       "change it, the device profile and its advisories, the provenance the "
                       "result carries and the signature status.  At its centre, the zone chart: "
                       "TPP against performance density on log scales, the rule set's regions "
                       "computed from its clauses, the device with its measured spread, and the "
                       "shipped device profiles as reference chips (docs/report.md).\n\n"
                       "The format comes from --format, else from the extension of --out, else "
                       "Markdown on stdout.  The file is written atomically.", .exit_status = "0 written; 1 the result holds no measured device, the device "
                       "was not measured, or the output could not be written; 2 bad usage or bad "
                       "input (a missing or malformed result, an unknown format, and with --trust "
                       "a result without a good signature by a trusted key)", },
    {0                                                                  },
};

/* The options.  Each command's help lists the entries naming it in `.commands`, in this
 * order.  To add a flag: one entry (and the flag in each command's getopt table). */
const struct tpp_doc_opt tpp_doc_options[] = {
  /* list */
    {
     .commands = "list",
     .name = "--profiles",
     .help = "list the device profiles (id, aliases, TPP, die area, PD) instead of the "
                "devices", },
    {
     .commands = "list",
     .name = "--json",
     .help = "print the backends and devices (or profiles) as JSON",
     },
 /* what to measure or classify */
    {
     .commands = "run",
     .name = "--device",
     .metavar = "SEL",
     .kind = TPP_ARG_TEXT,
     .help = "opencl:P.D, a backend name, an index from `list`, a name substring, \"all\", "
                "or \"default\" (the first GPU, else the first device)", },
    {
     .commands = "run",
     .name = "--precisions",
     .metavar = "LIST",
     .kind = TPP_ARG_TEXT,
     .help = "comma-separated: fp64 fp32 tf32 fp16 bf16 fp8 int32 int16 int8 int4 fp4, or "
                "all (default)", },
    {
     .commands = "run",
     .name = "--out",
     .metavar = "FILE",
     .kind = TPP_ARG_FILE,
     .help = "result file, written atomically (default tppbench-<host>-<UTC time>.json, "
                "never overwritten; - : stdout, the table on stderr)", },
    {
     .commands = "run",
     .name = "--budget",
     .metavar = "SECONDS",
     .kind = TPP_ARG_TEXT,
     .help = "timed repetitions per row (default 1)",
     },
    {
     .commands = "run",
     .name = "--repeat",
     .metavar = "N",
     .kind = TPP_ARG_TEXT,
     .help = "measure every compute row N times (whole passes, 1 to 64) and report the spread "
                "between the runs; the verdict uses the wider spread", },
    {
     .commands = "run",
     .name = "--no-bandwidth",
     .help = "skip the device-memory bandwidth rows",
     },
    {
     .commands = "classify",
     .name = "--peak",
     .metavar = "PREC[:UNIT]=TERAOPS",
     .kind = TPP_ARG_TEXT,
     .help = "dense datasheet figure (TFLOPS or TOPS) for PREC, one of fp64 fp32 tf32 fp16 "
                "bf16 fp8 int8 int4 fp4 (and int16 int32); UNIT vector or tensor (the aggregate "
                "reading needs it); repeat for several precisions", },
    {
     .commands = "run",
     .name = "--profile",
     .metavar = "NAME|FILE|none",
     .kind = TPP_ARG_PROFILE,
     .words = "none",
     .help = "device profile to attach instead of the one the device matches (\"none\": "
                "attach none)", },
    {
     .commands = "classify",
     .name = "--profile",
     .metavar = "NAME|FILE",
     .kind = TPP_ARG_PROFILE,
     .help = "a device profile (id or alias from `list --profiles`, or a file): its peaks, "
                "die area, datacenter flag and bandwidths", },
    {
     .commands = "verify",
     .name = "--declared",
     .metavar = "NAME|FILE",
     .kind = TPP_ARG_PROFILE,
     .help = "the declared product: a device profile id or alias, or a profile file",
     },
    {
     .commands = "classify verify report",
     .name = "--device",
     .metavar = "SEL",
     .kind = TPP_ARG_TEXT,
     .help = "which device of a multi-device result (verify: \"all\", every device and the "
                "node's verdict, the worst)", },
 /* facts about the chip */
    {
     .commands = "run classify",
     .name = "--die-area",
     .metavar = "MM2",
     .kind = TPP_ARG_TEXT,
     .help = "area of all the non-planar logic dies (mm2), for performance density; at most "
                "858 mm2 (one 26 x 33 mm exposure field) per die", },
    {
     .commands = "run classify",
     .name = "--dies",
     .metavar = "N",
     .kind = TPP_ARG_TEXT,
     .help = "the number of logic dies --die-area covers (default 1, at most 64)",
     },
    {
     .commands = "run classify",
     .name = "--interconnect",
     .metavar = "GBS",
     .kind = TPP_ARG_TEXT,
     .help = "aggregate bidirectional chip-to-chip I/O in GB/s (the 2022 rule)",
     },
    {
     .commands = "run",
     .name = "--label",
     .metavar = "KEY=VALUE",
     .kind = TPP_ARG_TEXT,
     .help = "record a label under \"labels\" in the result (case id, purchase order, asset "
                "tag, operator; repeatable; KEY [A-Za-z0-9_.-]{1,64}, VALUE at most 256 bytes)", },
    {
     .commands = "classify",
     .name = "--dram-bandwidth",
     .metavar = "GBS",
     .kind = TPP_ARG_TEXT,
     .help = "total DRAM bandwidth in GB/s (the January 2026 policy)",
     },
    {
     .commands = "run classify",
     .name = "--non-datacenter",
     .help = "the chip is not designed or marketed for datacenters (Note 2 to 3A090)",
     },
    {
     .commands = "run classify",
     .name = "--datacenter",
     .help = "the chip is designed or marketed for datacenters (overrides a profile)",
     },
 /* the rules and how to judge */
    {
     .commands = "run classify verify report",
     .name = "--rules",
     .metavar = "NAME|FILE",
     .kind = TPP_ARG_RULES,
     .help = "rule set: a name (a file in rules/ of the data folder, see environment) or a "
                "rule-set file (default eccn-3a090-2023)", },
    {
     .commands = "fleet",
     .name = "--rules",
     .metavar = "NAME|FILE",
     .kind = TPP_ARG_RULES,
     .help = "rule set with an \"accounting\" section (default ai-diffusion-2025)",
     },
    {
     .commands = "verify",
     .name = "--min-fraction",
     .metavar = "F",
     .kind = TPP_ARG_TEXT,
     .help = "below F x the declared peak is under-performing (default 0.5)",
     },
    {
     .commands = "verify",
     .name = "--tolerance",
     .metavar = "F",
     .kind = TPP_ARG_TEXT,
     .help = "above (1 + F) x the declared peak at the measured clock is over-capable "
                "(default 0.05)", },
    {
     .commands = "fleet",
     .name = "--basis",
     .metavar = "B",
     .kind = TPP_ARG_WORDS,
     .words = "rule measured declared",
     .help = "rule (default): TPP at the theoretical maximum, as the rule counts it: the "
                "datasheet TPP of the matched profile, else the measured TPP (marked per "
                "device); measured: each device's measured TPP; declared: datasheet TPP only (a "
                "device without a profile has none).  The other basis is printed beside it", },
    {
     .commands = "fleet",
     .name = "--files-from",
     .metavar = "LIST",
     .kind = TPP_ARG_FILE,
     .help = "also read the results listed in LIST, one path (file or directory) per line; "
                "- reads the list from stdin (repeatable)", },
    {
     .commands = "fleet",
     .name = "--keep-going",
     .help = "report a bad file (file, line, field) and total the others; the output lists "
                "the files not read, and the exit status is 3: the total is incomplete", },
    {
     .commands = "classify verify fleet",
     .name = "--tpp-reading",
     .metavar = "R",
     .kind = TPP_ARG_WORDS,
     .words = "highest aggregate",
     .help = "highest (default): the single highest precision and unit, the reading used in "
                "practice; aggregate: the best vector-unit plus the best matrix-unit TPP "
                "(technical note 1.d's literal wording)", },
    {
     .commands = "classify verify fleet",
     .name = "--tf32-bits",
     .metavar = "N",
     .kind = TPP_ARG_WORDS,
     .words = "32 19",
     .help = "bit length TF32 counts as: 32 (default, its storage) or 19 (its format)",
     },
 /* signatures */
    {
     .commands = "verify fleet report",
     .name = "--trust",
     .metavar = "PUBKEY",
     .kind = TPP_ARG_FILE,
     .help = "accept a result only with a RESULT.json.minisig signed by this key (a public "
                "key file, or minisign's base64 key; repeatable); without a good signature by "
                "a trusted key the result is rejected as bad input (exit 2; fleet "
                "--keep-going leaves it out)", },
    {
     .commands = "keygen",
     .name = "--secret-key",
     .metavar = "FILE",
     .kind = TPP_ARG_FILE,
     .help = "secret key (default tppbench.key; mode 0600)",
     },
    {
     .commands = "keygen",
     .name = "--public-key",
     .metavar = "FILE",
     .kind = TPP_ARG_FILE,
     .help = "public key to hand out (default tppbench.pub)",
     },
    {
     .commands = "keygen",
     .name = "--no-password",
     .help = "do not encrypt the secret key (minisign -W)",
     },
    {
     .commands = "keygen",
     .name = "--force",
     .help = "replace existing key files (their keys are lost)",
     },
    {
     .commands = "sign",
     .name = "--key",
     .metavar = "SECRET",
     .kind = TPP_ARG_FILE,
     .help = "secret key file (from `tppbench keygen` or `minisign -G`)",
     },
    {
     .commands = "sign",
     .name = "--trusted-comment",
     .metavar = "TEXT",
     .kind = TPP_ARG_TEXT,
     .help = "signed comment (default \"timestamp:<unix>\\tfile:<name>\\thashed\", as "
                "minisign writes)", },
    {
     .commands = "sign",
     .name = "--legacy",
     .help = "sign the file itself rather than its hash (minisign -l), for verifiers older "
                "than minisign 0.10", },
    {
     .commands = "keygen sign",
     .name = "--password-file",
     .metavar = "FILE",
     .kind = TPP_ARG_FILE,
     .help = "the password is the first line of FILE (default: asked on the terminal, or "
                "the file named by $TPPBENCH_PASSWORD_FILE)", },
 /* output */
    {
     .commands = "report",
     .name = "--format",
     .metavar = "F",
     .kind = TPP_ARG_WORDS,
     .words = "pdf svg png html md csv",
     .help = "pdf, svg or png: the page with the zone chart; html: the same, self-contained "
                "(the chart as inline SVG); md (the default without --out) or csv: the table "
                "and the verdict lines.  Default: from the extension of --out", },
    {
     .commands = "fleet",
     .name = "--format",
     .metavar = "F",
     .kind = TPP_ARG_WORDS,
     .words = "text csv md html",
     .help = "text (default), or the device list (file, host, PCI bus id, UUID, name, "
                "profile, basis, TPP, zone, clause, borderline), the totals per zone and the "
                "quantities as csv, md (Markdown) or html (a self-contained page)", },
    {
     .commands = "report",
     .name = "--out",
     .metavar = "FILE",
     .kind = TPP_ARG_FILE,
     .help = "write the report to FILE (atomically) instead of stdout",
     },
    {
     .commands = "run",
     .name = "--json",
     .help = "print the result JSON on stdout instead of the table",
     },
    {
     .commands = "classify",
     .name = "--json",
     .help = "print the classification and explanation as JSON",
     },
    {
     .commands = "verify",
     .name = "--json",
     .help = "print the verdict as JSON",
     },
    {
     .commands = "fleet",
     .name = "--json",
     .help = "print the totals as JSON (\"kind\": \"fleet\", with its own schema_version)",
     },
    {
     .commands = "run",
     .name = "--quiet",
     .help = "no progress lines (nor warnings of what may disturb the run) on stderr",
     },
    {0                                                                                },
};

static const char *const environment_items[] = {
    "TPPBENCH_PROFILES",
    "A folder laid out like profiles/ in the source tree (rules/, devices/, rates/), "
    "searched second: after the data installed next to the executable, "
    "before the source tree of a build-tree binary.  Use it for a binary copied without its "
    "data.  A rule set or profile given as a file (--rules FILE, --profile FILE) needs none "
    "of them.",
    "TPPBENCH_PASSWORD_FILE",
    "A file whose first line is the password of an encrypted secret key (keygen, sign), "
    "when --password-file is not given; otherwise the password is asked on the terminal.",
    NULL,
};

const struct tpp_doc_section tpp_doc_sections[] = {
    {.title = "EXIT STATUS",
     .text = "0 success; 2 bad usage or bad input (the message names the file, line and "
             "field); 1 any other failure (no device, nothing measurable, an unwritable output). "
             "run: 1 also when a device could not be measured or a row ended in an error.  "
             "run: 130, 143 interrupted by SIGINT, SIGTERM.  "
             "verify: 0 consistent, 1 inconsistent, 3 borderline or inconclusive, 2 bad input; "
             "with --device all the worst device's (inconsistent over borderline or "
             "inconclusive over consistent).  "
             "fleet: 0 every quantity fits, 1 a quantity is exceeded, 3 undetermined or "
             "incomplete (--keep-going left a bad file out), 2 bad input.  verify and fleet "
             "with --trust: 2 for a result without a good signature by a trusted key.", .in_help = 1},
    {.title = "ENVIRONMENT",
     .text = "Data (rule sets, device profiles, per-clock rates) is looked for, in order, in "
             "<bindir>/../share/tppbench next to the executable (where `cmake --install` and the "
             ".deb put it), in $TPPBENCH_PROFILES, and, for a binary running from its build "
             "tree only, in the source tree's profiles/.  A rule set is taken from the first "
             "folder that has it; the device profiles from the first folder that has a devices/ "
             "folder.  `tppbench --version` says which folder is used.", .items = environment_items,
     .in_help = 1},
    {.title = "FILES",
     .text = "<prefix>/share/tppbench/rules/*.json: the rule sets (docs/rules.md).\n\n"
             "<prefix>/share/tppbench/devices/*.json: the device profiles, each figure with its "
             "source (docs/profiles.md).\n\n"
             "<prefix>/share/tppbench/rates/<backend>.json: per-clock rates of each backend's "
             "devices (opencl: CPUs, cuda: NVIDIA GPUs, hip: AMD GPUs).\n\n"
             "tppbench-<host>-<UTC time>.json: what `run` writes by default "
             "(docs/result-schema.md)."},
    {.title = "EXAMPLES",
     .text = "Measure the default device and classify it: `tppbench run`\n\n"
             "Classify a datasheet and see what would change the zone: "
             "`tppbench classify --profile h100`\n\n"
             "The same from bare figures: `tppbench classify --peak fp8=1978.9 --die-area 814`\n\n"
             "Check delivered hardware against the declared product: "
             "`tppbench run --out h20.json && tppbench verify --declared h20 h20.json`\n\n"
             "Measure every device of a node at once and check each: `tppbench run --device "
             "all --out node.json && tppbench verify --device all --declared h20 node.json`\n\n"
             "Total every result under a directory: `tppbench fleet results/`\n\n"
             "Total the results a command lists, past bad files: "
             "`find /shared -name '*-rack7-*.json' | tppbench fleet --keep-going -`\n\n"
             "The certificate of a signed result, as a PDF: "
             "`tppbench report --trust lab.pub --out result.pdf result.json`"},
    {.title = "SEE ALSO",
     .text = "clinfo(1), lstopo(1).  The documentation in the source tree: README.md, "
             "docs/measurement.md, docs/rules.md, docs/profiles.md, docs/verify.md, "
             "docs/fleet.md, docs/report.md, docs/result-schema.md."},
    {0},
};

const struct tpp_doc_cmd *
tpp_doc_find(const char *name)
{
  for (const struct tpp_doc_cmd *c = tpp_doc_commands; name && c->name; c++)
    if (strcmp(c->name, name) == 0)
      return c;
  return NULL;
}

int
tpp_doc_opt_in(const struct tpp_doc_opt *o, const char *command)
{
  size_t n = strlen(command);
  for (const char *p = o->commands; p && (p = strstr(p, command)) != NULL; p += n)
    if ((p == o->commands || p[-1] == ' ') && (p[n] == ' ' || p[n] == '\0'))
      return 1;
  return 0;
}
