/* cli_doc.h - the one description of the command line.  `tppbench --help`, the man page
 * tppbench(1) and the bash completion are all made from the tables in cli_doc.c: the help by
 * cli_help.c at run time, the other two by gendoc.c at build time.
 *
 * To add a flag: one entry in tpp_doc_options[] naming the commands that take it, and the
 * flag in each of those commands' getopt tables (harness/cli_COMMAND.c); test_cli_docs checks
 * that the two agree.  To add a command: one entry in tpp_doc_commands[], its function in
 * main.c's dispatch table, its options in tpp_doc_options[]. */
#ifndef TPP_CLI_DOC_H
#define TPP_CLI_DOC_H

/* What an option's argument (or a command's operand) is: the completion offers accordingly. */
enum tpp_doc_arg {
  TPP_ARG_NONE = 0, /* a flag: no argument */
  TPP_ARG_TEXT,     /* a number, a list, a selector: nothing to offer */
  TPP_ARG_FILE,     /* a file name */
  TPP_ARG_PROFILE,  /* a device profile id or alias (`tppbench list --profiles`), or a file */
  TPP_ARG_RULES,    /* a rule-set name (rules/ in the data folder), or a file */
  TPP_ARG_WORDS,    /* one of the space-separated `words` */
};

struct tpp_doc_opt {
  const char *commands;  /* the commands taking it, space-separated: "run classify" */
  const char *name;      /* "--budget" */
  const char *metavar;   /* "SECONDS"; NULL for a flag */
  enum tpp_doc_arg kind; /* TPP_ARG_NONE (the default) exactly when metavar is NULL */
  const char *words;     /* TPP_ARG_WORDS: the choices, space-separated; PROFILE, RULES:
                            words offered besides the names ("none"), or NULL */
  const char *help;      /* one paragraph, no line breaks: the formatters wrap it */
};

struct tpp_doc_cmd {
  const char *name;    /* "run" */
  const char *summary; /* one line for the command list */
  /* Usage forms: what goes between "tppbench NAME" and "[OPTIONS]", at most 4; none for a
   * command whose options are all optional. */
  const char *forms[4];
  const char *operand; /* positional argument ("RESULT.json"), or NULL */
  enum tpp_doc_arg operand_kind;
  const char *description; /* paragraphs separated by "\n\n", or NULL */
  const char *exit_status; /* when it differs from the common one, else NULL */
};

/* A titled block of the man page (ENVIRONMENT, FILES, ...), some also in `tppbench --help`. */
struct tpp_doc_section {
  const char *title;        /* "ENVIRONMENT" */
  const char *text;         /* paragraphs separated by "\n\n", or NULL */
  const char *const *items; /* NULL-terminated pairs: term, paragraph; or NULL */
  int in_help;              /* also printed by `tppbench --help` */
};

extern const char tpp_doc_name_line[];              /* "measure an accelerator's ..." (man NAME) */
extern const char tpp_doc_description[];            /* paragraphs: what the program does */
extern const struct tpp_doc_cmd tpp_doc_commands[]; /* ends with {NULL} */
extern const struct tpp_doc_opt tpp_doc_options[];  /* ends with {NULL} */
extern const struct tpp_doc_section tpp_doc_sections[]; /* ends with {NULL} */

/* The command named `name`, or NULL. */
const struct tpp_doc_cmd *tpp_doc_find(const char *name);

/* Whether option o belongs to `command`. */
int tpp_doc_opt_in(const struct tpp_doc_opt *o, const char *command);

#endif
