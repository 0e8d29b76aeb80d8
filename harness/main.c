/* main.c - tppbench: measure an accelerator's dense throughput, compute its TPP and
 * classify it under export rules.  Dispatches to one function per command; the help text
 * is made from cli_doc.c by cli_help.c. */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "tpp/backend.h"
#include "tpp/gitdescribe.h"
#include "tpp/paths.h"
#include "tpp/version.h"

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

int
main(int argc, char **argv)
{
  static const struct {
    const char *name;
    int (*fn)(int, char **);
  } commands[] = {
      {"list",     tpp_cli_list    },
      {"run",      tpp_cli_run     },
      {"classify", tpp_cli_classify},
      {"verify",   tpp_cli_verify  },
      {"fleet",    tpp_cli_fleet   },
      {"keygen",   tpp_cli_keygen  },
      {"sign",     tpp_cli_sign    },
      {"report",   tpp_cli_report  },
  };

  tpp_cli_argv0 = argv[0];
  tpp_cli_git_describe = TPP_GIT_DESCRIBE;
  if (argc < 2) {
    tpp_cli_usage(stderr, NULL);
    return 2;
  }
  if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
      strcmp(argv[1], "help") == 0) {
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
