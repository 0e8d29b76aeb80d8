/* fleet_inputs.h - what `tppbench fleet` reads, and reading it into a fleet.
 *
 * Inputs are paths: a file is read as it is named; a directory stands for every file named
 * *.json under it, at any depth, in byte order of the names, leaving out names that start
 * with "." and symbolic links to directories (a link to a file is read); a list holds one
 * path per line (a file, or stdin for "-").  A JSON document that is not a tppbench result
 * (a fleet report, a device profile: see tpp_result_recognise) is skipped with a note, and
 * so are the files of a directory not named *.json (but for the signatures *.json.minisig,
 * which go with their results); anything else that cannot be read as a result is a bad
 * file, named with its line and field.
 *
 * Results are read on several threads at once, each thread one file at a time; each file
 * is totalled on its own (a small fleet, then the result is freed) and merged into the
 * fleet in the order of the inputs, so that what is printed, and which copy of a duplicate
 * is counted, does not depend on the threads.
 */
#ifndef TPP_FLEET_INPUTS_H
#define TPP_FLEET_INPUTS_H

#include <stdio.h>

#include "tpp/error.h"
#include "tpp/fleet.h"
#include "tpp/profile.h"

struct tpp_fleet_input {
  char *path;
  char *skip;  /* not NULL: left out unread, and why ("not named *.json") */
  char *error; /* not NULL: cannot be read (a directory that cannot be listed), and why */
};

struct tpp_fleet_inputs {
  struct tpp_fleet_input *v;
  size_t n, cap;
  int stdin_read; /* a list was read from stdin, which can be read only once */
};

/* Add a path: a file as it is (one that does not exist is added too: reading it says so),
 * or a directory's files as above (one note per directory on log, when it holds files not
 * named *.json).  0, or TPP_ENOMEM. */
int tpp_fleet_inputs_add(struct tpp_fleet_inputs *in, const char *path, FILE *log);
/* Add every path listed in the file `list`, one per line ("-": stdin); empty lines are
 * ignored.  0; TPP_ENOENT or TPP_EIO (the list cannot be read), TPP_EINVAL (stdin a second
 * time), with diag naming the list; TPP_ENOMEM. */
int tpp_fleet_inputs_add_list(struct tpp_fleet_inputs *in, const char *list, FILE *log,
                              struct tpp_diag *diag);
void tpp_fleet_inputs_free(struct tpp_fleet_inputs *in);

struct tpp_fleet_load {
  const struct tpp_profile_set *profiles; /* may be NULL: see tpp_fleet_add */
  /* A bad file is written to log and noted in the fleet's not_read, and the others are
   * read; without it the first bad file ends the reading. */
  int keep_going;
  unsigned threads; /* 0: one per CPU this process may run on, at most 16 */
  /* --trust (NULL: none).  check, on any thread, over the bytes of the file read once,
   * before those same bytes are parsed: 0 and *note
   * (malloc'd or NULL), or an error with diag filled.  A file it rejects is bad, unless it
   * parses as a document that is not a result at all (then it is skipped).  accepted, on
   * the calling thread in the order of the inputs, for each result counted: takes note. */
  int (*check)(void *arg, const char *file, const char *bytes, size_t len, void **note,
               struct tpp_diag *diag);
  void (*accepted)(void *arg, const char *file, void *note);
  void *check_arg;
  FILE *log; /* "tppbench: ..." lines: errors, notes on skipped files, duplicates */
  /* A result holding a simulated device (a test driver's) is bad input unless this is set
   * (tppbench's own tests only). */
  int allow_simulated;
};

/* Read every input into f (initialised by the caller).  0 when every input was read,
 * skipped, or (keep_going) noted as not read; otherwise the error of the first bad file,
 * already written to log, and nothing after that file is added.  TPP_ENOMEM always ends
 * the reading. */
int tpp_fleet_load(struct tpp_fleet *f, const struct tpp_fleet_inputs *in,
                   const struct tpp_fleet_load *opts);

#endif
