/* gendoc.c - build-time generator of the man page source (scdoc) and the bash completion,
 * both from the command table in cli_doc.c, the one `tppbench --help` prints:
 *
 *   tppbench-gendoc man OUT.scd     scdoc source of tppbench(1)
 *   tppbench-gendoc bash OUT        bash completion script
 *
 * Each output is written to OUT.tmp and renamed, so a failed run leaves no half file. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_doc.h"
#include "tpp/paths.h"
#include "tpp/version.h"

#ifndef TPP_DATADIR_REL
#error "TPP_DATADIR_REL comes from CMake"
#endif

/* scdoc text: `*`, `_` and `\` escaped, `code` in bold. */
static void
scd_text(FILE *f, const char *s, size_t n)
{
  int code = 0;
  for (size_t i = 0; i < n && s[i]; i++) {
    switch (s[i]) {
    case '`':
      fputc('*', f);
      code = !code;
      break;
    case '*':
    case '_':
    case '\\':
      fputc('\\', f);
      fputc(s[i], f);
      break;
    default:
      fputc(s[i], f);
    }
  }
  if (code)
    fputc('*', f);
}

/* Paragraphs ("\n\n"-separated) as scdoc paragraphs, each line prefixed by `indent`. */
static void
scd_paras(FILE *f, const char *text, const char *indent)
{
  const char *p = text;
  while (*p) {
    const char *end = strstr(p, "\n\n");
    size_t n = end ? (size_t)(end - p) : strlen(p);
    fputs(indent, f);
    scd_text(f, p, n);
    fputs("\n\n", f);
    p += n;
    while (*p == '\n')
      p++;
  }
}

static void
scd_opt(FILE *f, const char *name, const char *metavar, const char *help)
{
  fputc('*', f);
  scd_text(f, name, strlen(name));
  fputc('*', f);
  if (metavar) {
    fputs(" _", f);
    scd_text(f, metavar, strlen(metavar));
    fputc('_', f);
  }
  fputc('\n', f);
  scd_paras(f, help, "\t");
}

static int
write_man(FILE *f)
{
  fprintf(f, "tppbench(1) \"tppbench %s\"\n\n# NAME\n\ntppbench - ", TPP_VERSION);
  scd_text(f, tpp_doc_name_line, strlen(tpp_doc_name_line));
  fputs("\n\n# SYNOPSIS\n\n", f);
  for (const struct tpp_doc_cmd *c = tpp_doc_commands; c->name; c++)
    fprintf(f, "*tppbench %s* [_OPTIONS_] ++\n", c->name); /* ++: line break */
  fputs("*tppbench* *--help* | *--version*\n\n# DESCRIPTION\n\n", f);
  scd_paras(f, tpp_doc_description, "");
  fputs("*tppbench* _COMMAND_ *--help* prints the options of one command; *tppbench --version* "
        "prints the version, the commit it was built from, the backends, the embedded CUDA "
        "kernels and the data folder in use.\n\n# COMMANDS\n\n",
        f);
  for (const struct tpp_doc_cmd *c = tpp_doc_commands; c->name; c++) {
    fprintf(f, "## %s\n\n", c->name);
    for (int i = 0; i == 0 || (i < 4 && c->forms[i]); i++) {
      fprintf(f, "*tppbench %s*", c->name);
      if (c->forms[i]) {
        fputc(' ', f);
        scd_text(f, c->forms[i], strlen(c->forms[i]));
      }
      fputs(i < 3 && c->forms[i] && c->forms[i + 1] ? " [_OPTIONS_] ++\n" : " [_OPTIONS_]\n", f);
    }
    fputc('\n', f);
    scd_paras(f, c->summary, "");
    if (c->description)
      scd_paras(f, c->description, "");
    for (const struct tpp_doc_opt *o = tpp_doc_options; o->name; o++)
      if (tpp_doc_opt_in(o, c->name))
        scd_opt(f, o->name, o->metavar, o->help);
    scd_opt(f, "--help", NULL, "print the options of this command");
    if (c->exit_status) {
      fputs("Exit status: ", f);
      scd_paras(f, c->exit_status, "");
    }
  }
  for (const struct tpp_doc_section *s = tpp_doc_sections; s->title; s++) {
    fprintf(f, "# %s\n\n", s->title);
    if (s->text)
      scd_paras(f, s->text, "");
    for (const char *const *it = s->items; it && it[0]; it += 2)
      scd_opt(f, it[0], NULL, it[1]);
  }
  return 0;
}

static int
same_words(const char *a, const char *b)
{
  return (a == NULL && b == NULL) || (a && b && strcmp(a, b) == 0);
}

/* bash: a case pattern matching "COMMAND OPTION" for every command of every option of kind
 * `kind` with the extra words `words`; 0 when there is none (nothing written). */
static int
bash_pattern(FILE *f, enum tpp_doc_arg kind, const char *words)
{
  int n = 0;
  for (const struct tpp_doc_opt *o = tpp_doc_options; o->name; o++)
    for (const struct tpp_doc_cmd *c = tpp_doc_commands; c->name; c++)
      if (o->kind == kind && same_words(o->words, words) && tpp_doc_opt_in(o, c->name))
        fprintf(f, "%s\"%s %s\"", n++ ? " | " : "    ", c->name, o->name);
  if (n)
    fputs(")\n", f);
  return n;
}

/* bash: one case per distinct (kind, words) of the options that take an argument. */
static void
bash_arg_cases(FILE *f)
{
  for (const struct tpp_doc_opt *o = tpp_doc_options; o->name; o++) {
    int seen = 0;
    if (o->kind == TPP_ARG_NONE)
      continue;
    for (const struct tpp_doc_opt *p = tpp_doc_options; p < o && !seen; p++)
      seen = p->kind == o->kind && same_words(p->words, o->words);
    if (seen || !bash_pattern(f, o->kind, o->words))
      continue;
    switch (o->kind) {
    case TPP_ARG_PROFILE:
    case TPP_ARG_RULES:
      fprintf(f,
              "      if [[ $cur == */* ]]; then _tppbench_files \"$cur\"\n"
              "      else _tppbench_words \"$(_tppbench_%s_names \"$bin\")%s%s\" \"$cur\"; fi\n",
              o->kind == TPP_ARG_PROFILE ? "profile" : "rule", o->words ? " " : "",
              o->words ? o->words : "");
      break;
    case TPP_ARG_FILE:
      fputs("      _tppbench_files \"$cur\"\n", f);
      break;
    case TPP_ARG_WORDS:
      fprintf(f, "      _tppbench_words \"%s\" \"$cur\"\n", o->words);
      break;
    default:
      fputs("      # a number, a list or a selector: nothing to offer\n", f);
    }
    fputs("      return 0 ;;\n", f);
  }
}

static int
write_bash(FILE *f)
{
  fputs("# bash completion for tppbench(1).\n"
        "# Generated at build time by tppbench-gendoc from harness/cli_doc.c (the table\n"
        "# `tppbench --help` prints): edit that file, not this one.\n\n",
        f);
  /* The data folders, in the order the binary searches them (include/tpp/paths.h). */
  fprintf(f,
          "_tppbench_data_dirs()\n"
          "{\n"
          "  local bin dir\n"
          "  bin=$(type -P -- \"$1\" 2>/dev/null) || return 0\n"
          "  bin=$(readlink -f -- \"$bin\" 2>/dev/null) || return 0\n"
          "  dir=${bin%%/*}\n"
          "  printf '%%s\\n' \"$dir/%s\"\n"
          "  [[ -n ${TPPBENCH_PROFILES-} ]] && printf '%%s\\n' \"$TPPBENCH_PROFILES\"\n"
          "  [[ -r $dir/%s ]] && head -n 1 -- \"$dir/%s\"\n"
          "  return 0\n"
          "}\n\n",
          TPP_DATADIR_REL, TPP_BUILD_TREE_MARKER, TPP_BUILD_TREE_MARKER);
  fputs("# Rule-set names: rules/*.json in the data folders.\n"
        "_tppbench_rule_names()\n"
        "{\n"
        "  local d f\n"
        "  while IFS= read -r d; do\n"
        "    for f in \"$d\"/rules/*.json; do\n"
        "      [[ -f $f ]] && { f=${f##*/}; printf '%s\\n' \"${f%.json}\"; }\n"
        "    done\n"
        "  done < <(_tppbench_data_dirs \"$1\")\n"
        "}\n\n"
        "# Device profile ids and aliases, as the binary itself finds them.\n"
        "_tppbench_profile_names()\n"
        "{\n"
        "  \"$1\" list --profiles --json 2>/dev/null |\n"
        "    sed -n -e 's/^ *\"id\": \"\\([^\"]*\\)\",\\{0,1\\}$/\\1/p' \\\n"
        "      -e '/^ *\"aliases\": \\[$/,/^ *\\]/s/^ *\"\\([^\"]*\\)\",\\{0,1\\}$/\\1/p'\n"
        "}\n\n"
        "_tppbench_files()\n"
        "{\n"
        "  compopt -o filenames 2>/dev/null\n"
        "  mapfile -t COMPREPLY < <(compgen -f -- \"$1\")\n"
        "}\n\n"
        "_tppbench_words()\n"
        "{\n"
        "  mapfile -t COMPREPLY < <(compgen -W \"$1\" -- \"$2\")\n"
        "}\n\n",
        f);
  fputs("_tppbench()\n"
        "{\n"
        "  local cur=${COMP_WORDS[COMP_CWORD]} prev=\"\" bin=${COMP_WORDS[0]} cmd opts\n"
        "  COMPREPLY=()\n"
        "  (( COMP_CWORD > 0 )) && prev=${COMP_WORDS[COMP_CWORD-1]}\n"
        "  # --option=value: bash splits it at '=' (COMP_WORDBREAKS)\n"
        "  if [[ $cur == = ]]; then\n"
        "    cur=\"\"\n"
        "  elif [[ $prev == = ]] && (( COMP_CWORD > 1 )); then\n"
        "    prev=${COMP_WORDS[COMP_CWORD-2]}\n"
        "  fi\n"
        "  if (( COMP_CWORD == 1 )); then\n"
        "    _tppbench_words \"",
        f);
  for (const struct tpp_doc_cmd *c = tpp_doc_commands; c->name; c++)
    fprintf(f, "%s ", c->name);
  fputs("--help --version\" \"$cur\"\n"
        "    return 0\n"
        "  fi\n"
        "  cmd=${COMP_WORDS[1]}\n"
        "  case $cmd in\n",
        f);
  for (const struct tpp_doc_cmd *c = tpp_doc_commands; c->name; c++) {
    fprintf(f, "    %s) opts=\"", c->name);
    for (const struct tpp_doc_opt *o = tpp_doc_options; o->name; o++)
      if (tpp_doc_opt_in(o, c->name))
        fprintf(f, "%s ", o->name);
    fputs("--help\" ;;\n", f);
  }
  fputs("    *) return 0 ;;\n"
        "  esac\n"
        "  case \"$cmd $prev\" in\n",
        f);
  bash_arg_cases(f);
  fputs("  esac\n"
        "  if [[ $cur == -* ]]; then\n"
        "    _tppbench_words \"$opts\" \"$cur\"\n"
        "    return 0\n"
        "  fi\n"
        "  case $cmd in\n",
        f);
  for (const struct tpp_doc_cmd *c = tpp_doc_commands; c->name; c++)
    if (c->operand && c->operand_kind == TPP_ARG_FILE)
      fprintf(f, "    %s) _tppbench_files \"$cur\" ;;\n", c->name);
  fputs("  esac\n"
        "  return 0\n"
        "}\n"
        "complete -F _tppbench tppbench\n",
        f);
  return 0;
}

/* The tables are consistent: a mistake stops the build instead of making a wrong help,
 * man page or completion. */
static int
check_tables(void)
{
  int bad = 0;
  for (const struct tpp_doc_cmd *c = tpp_doc_commands; c->name; c++) {
    if (!c->summary || (c->operand && !c->operand_kind)) {
      fprintf(stderr, "gendoc: command %s: a summary, and a kind for its operand\n", c->name);
      bad = 1;
    }
  }
  for (const struct tpp_doc_opt *o = tpp_doc_options; o->name; o++) {
    int n = 0;
    for (const struct tpp_doc_cmd *c = tpp_doc_commands; c->name; c++) {
      n += tpp_doc_opt_in(o, c->name);
      for (const struct tpp_doc_opt *p = tpp_doc_options; p < o; p++)
        if (strcmp(p->name, o->name) == 0 && tpp_doc_opt_in(p, c->name) &&
            tpp_doc_opt_in(o, c->name)) {
          fprintf(stderr, "gendoc: %s %s is described twice\n", c->name, o->name);
          bad = 1;
        }
    }
    /* Every word of .commands is a command (n counts the ones that are). */
    for (const char *w = o->commands; w && *w; w += strcspn(w, " "), w += strspn(w, " "))
      n--;
    if (!o->commands || n != 0 || strncmp(o->name, "--", 2) != 0 || !o->help || !o->help[0] ||
        (o->metavar == NULL) != (o->kind == TPP_ARG_NONE) ||
        (o->kind == TPP_ARG_WORDS && o->words == NULL) ||
        (o->words && o->kind != TPP_ARG_WORDS && o->kind != TPP_ARG_PROFILE &&
         o->kind != TPP_ARG_RULES) ||
        strchr(o->help, '\n')) {
      fprintf(stderr, "gendoc: option %s (commands \"%s\"): inconsistent entry\n", o->name,
              o->commands ? o->commands : "");
      bad = 1;
    }
  }
  return bad ? -1 : 0;
}

int
main(int argc, char **argv)
{
  char tmp[4096];
  FILE *f;
  int err;

  if (argc != 3 || (strcmp(argv[1], "man") != 0 && strcmp(argv[1], "bash") != 0)) {
    fprintf(stderr, "usage: tppbench-gendoc man|bash OUT\n");
    return 2;
  }
  if (check_tables() != 0)
    return 1;
  snprintf(tmp, sizeof(tmp), "%s.tmp", argv[2]);
  if ((f = fopen(tmp, "w")) == NULL) {
    perror(tmp);
    return 1;
  }
  err = strcmp(argv[1], "man") == 0 ? write_man(f) : write_bash(f);
  if (fclose(f) != 0 || err != 0 || rename(tmp, argv[2]) != 0) {
    perror(argv[2]);
    remove(tmp);
    return 1;
  }
  return 0;
}
