/* fuzz_cli.c - the commands an importer runs on files from elsewhere (classify, verify,
 * fleet, list), in this process, on a fuzzed command line and files.
 *
 * Input: one line of arguments (split at spaces), then up to four files, each after a line
 * "---".  In the arguments @1, @2 and @3 stand for the files' paths; a fourth file is
 * @1's signature (@1.minisig).  The first argument names the command.  Example:
 *   verify --declared h100 --json @1
 *   ---
 *   {"schema_version": 3, ...}
 * Output goes to /dev/null; run with -close_fd_mask=2 to silence the messages too. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_ARGS 32
#define MAX_FILES 4

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  static const struct {
    const char *name;
    int (*fn)(int, char **);
  } commands[] = {
      {"classify", tpp_cli_classify},
      {"verify",   tpp_cli_verify  },
      {"fleet",    tpp_cli_fleet   },
      {"list",     tpp_cli_list    },
  };
  char *text, *sections[1 + MAX_FILES], *argv[MAX_ARGS + 1], *save = NULL, *tok;
  char sig[700];
  const char *paths[MAX_FILES] = {NULL};
  size_t n_sections = 1;
  int argc = 0;

  static int quiet;
  fuzz_init();
  if (!quiet && !freopen("/dev/null", "w", stdout))
    abort();
  quiet = 1;
  text = fuzz_text(data, size);
  sections[0] = text;
  for (char *p = text; n_sections < 1 + MAX_FILES && (p = strstr(p, "\n---\n")) != NULL;) {
    *p = '\0';
    p += 5;
    sections[n_sections++] = p;
  }
  for (size_t i = 1; i < n_sections; i++) {
    if (i == MAX_FILES) {
      snprintf(sig, sizeof(sig), "%s.minisig", paths[0]);
      {
        FILE *f = fopen(sig, "wb");
        if (!f)
          fuzz_fail("cannot write the signature file");
        fputs(sections[i], f);
        fclose(f);
      }
      continue;
    }
    paths[i - 1] = fuzz_write_file((int)i - 1, (const uint8_t *)sections[i], strlen(sections[i]));
  }
  for (tok = strtok_r(sections[0], " \t\n", &save); tok && argc < MAX_ARGS;
       tok = strtok_r(NULL, " \t\n", &save)) {
    if (tok[0] == '@' && tok[1] >= '1' && tok[1] <= '3' && !tok[2])
      tok = (char *)(paths[tok[1] - '1'] ? paths[tok[1] - '1'] : "/nonexistent/file.json");
    argv[argc++] = tok;
  }
  argv[argc] = NULL;
  for (size_t c = 0; argc > 0 && c < sizeof(commands) / sizeof(commands[0]); c++)
    if (strcmp(argv[0], commands[c].name) == 0) {
      int status = commands[c].fn(argc, argv);
      if (status < 0 || status > 3)
        fuzz_fail("an exit status other than 0, 1, 2 or 3");
      break;
    }
  fflush(stdout);
  free(text);
  if (n_sections > MAX_FILES)
    unlink(sig);
  return 0;
}
