/* cli_help.c - `tppbench --help` and `tppbench COMMAND --help`, formatted from the table in
 * cli_doc.c (the man page and the completion come from the same table: gendoc.c). */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "cli_doc.h"

#define WIDTH 80   /* the help fits a default terminal */
#define OPT_COL 24 /* where option help starts unless every option is shorter */

/* Print text wrapped at WIDTH.  The first line continues at column `col` (what the caller
 * already printed), the others start at `indent`; paragraphs ("\n\n") are separated by an
 * empty line. */
static void
wrap(FILE *f, const char *text, int col, int indent)
{
  const char *p = text;
  int at_start = 1;

  while (*p) {
    size_t n;
    if (p[0] == '\n' && p[1] == '\n') { /* paragraph break */
      fprintf(f, "\n\n%*s", indent, "");
      col = indent;
      at_start = 1;
      p += 2;
      continue;
    }
    if (*p == ' ' || *p == '\n') {
      p++;
      continue;
    }
    n = strcspn(p, " \n");
    if (!at_start && col + 1 + (int)n > WIDTH) {
      fprintf(f, "\n%*s", indent, "");
      col = indent;
      at_start = 1;
    }
    if (!at_start) {
      fputc(' ', f);
      col++;
    }
    fwrite(p, 1, n, f);
    col += (int)n;
    at_start = 0;
    p += n;
  }
  fputc('\n', f);
}

static int
opt_width(const struct tpp_doc_opt *o)
{
  return (int)strlen(o->name) + (o->metavar ? 1 + (int)strlen(o->metavar) : 0);
}

static void
print_opt(FILE *f, const char *name, const char *metavar, const char *help, int col)
{
  int w = fprintf(f, "  %s%s%s", name, metavar ? " " : "", metavar ? metavar : "");
  if (w + 2 > col) {
    fprintf(f, "\n%*s", col, "");
  } else {
    fprintf(f, "%*s", col - w, "");
  }
  wrap(f, help, col, col);
}

static void
command_usage(FILE *f, const struct tpp_doc_cmd *c)
{
  int col = 0;

  for (int i = 0; i == 0 || (i < 4 && c->forms[i]); i++)
    fprintf(f, "%s tppbench %s%s%s [OPTIONS]\n", i ? "      " : "usage:", c->name,
            c->forms[i] ? " " : "", c->forms[i] ? c->forms[i] : "");
  if (c->description) {
    fputc('\n', f);
    wrap(f, c->description, 0, 0);
  }
  for (const struct tpp_doc_opt *o = tpp_doc_options; o->name; o++)
    if (tpp_doc_opt_in(o, c->name) && opt_width(o) + 4 > col)
      col = opt_width(o) + 4;
  if (col > OPT_COL)
    col = OPT_COL;
  fputs("\noptions:\n", f);
  for (const struct tpp_doc_opt *o = tpp_doc_options; o->name; o++)
    if (tpp_doc_opt_in(o, c->name))
      print_opt(f, o->name, o->metavar, o->help, col);
  print_opt(f, "--help", NULL, "print this help", col);
  if (c->exit_status) {
    fputs("\nexit status: ", f);
    wrap(f, c->exit_status, 13, 13);
  }
}

static void
top_usage(FILE *f)
{
  int col = 0;

  fputs("usage: tppbench COMMAND [OPTIONS]\n       tppbench --help | --version\n\n", f);
  wrap(f, tpp_doc_description, 0, 0);
  fputs("\ncommands:\n", f);
  for (const struct tpp_doc_cmd *c = tpp_doc_commands; c->name; c++)
    if ((int)strlen(c->name) + 5 > col)
      col = (int)strlen(c->name) + 5;
  for (const struct tpp_doc_cmd *c = tpp_doc_commands; c->name; c++)
    print_opt(f, c->name, NULL, c->summary, col);
  fputs("\n  tppbench COMMAND --help   the options of one command\n"
        "  tppbench --version        version, build, backends and the data folder in use\n"
        "  man tppbench              the manual\n",
        f);
  for (const struct tpp_doc_section *s = tpp_doc_sections; s->title; s++) {
    if (!s->in_help)
      continue;
    fputc('\n', f);
    for (const char *t = s->title; *t; t++)
      fputc(*t >= 'A' && *t <= 'Z' ? *t - 'A' + 'a' : *t, f);
    fputs(":\n  ", f);
    if (s->text)
      wrap(f, s->text, 2, 2);
    for (const char *const *it = s->items; it && it[0]; it += 2) {
      fprintf(f, "\n  %s\n      ", it[0]);
      wrap(f, it[1], 6, 6);
    }
  }
}

void
tpp_cli_usage(FILE *f, const char *command)
{
  const struct tpp_doc_cmd *c = command ? tpp_doc_find(command) : NULL;
  if (c)
    command_usage(f, c);
  else
    top_usage(f);
}
