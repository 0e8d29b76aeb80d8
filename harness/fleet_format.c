/* fleet_format.c - the fleet as CSV, Markdown or HTML (fleet_format.h), from its JSON
 * document. */
#include "tpp/fleet_format.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

int
tpp_fleet_format_parse(const char *name, enum tpp_fleet_format_kind *out)
{
  static const char *const names[] = {"text", "csv", "md", "html"};
  for (int k = 0; k < 4; k++)
    if (name && strcmp(name, names[k]) == 0) {
      *out = (enum tpp_fleet_format_kind)k;
      return 0;
    }
  return TPP_EINVAL;
}

/* --- writing -------------------------------------------------------------------------- */

static void
put(FILE *out, const char *s, enum tpp_fleet_format_kind k)
{
  if (k == TPP_FLEET_FORMAT_CSV)
    fputc('"', out);
  for (; s && *s; s++) {
    char c = *s;
    if (k == TPP_FLEET_FORMAT_CSV && c == '"')
      fputs("\"\"", out);
    else if (k == TPP_FLEET_FORMAT_HTML && (c == '&' || c == '<' || c == '>' || c == '"'))
      fputs(c == '&' ? "&amp;" : c == '<' ? "&lt;" : c == '>' ? "&gt;" : "&quot;", out);
    else if (k == TPP_FLEET_FORMAT_MD && (c == '|' || c == '*' || c == '_' || c == '<'))
      fprintf(out, "\\%c", c);
    else if (c == '\n' || c == '\r')
      fputc(' ', out);
    else
      fputc(c, out);
  }
  if (k == TPP_FLEET_FORMAT_CSV)
    fputc('"', out);
}

static const char *
str(json_t *o, const char *key)
{
  const char *s = json_string_value(json_object_get(o, key));
  return s ? s : "";
}

/* A number of the document as text ("" for null); CSV keeps every digit. */
static void
numtext(char *buf, size_t cap, json_t *v, enum tpp_fleet_format_kind k, int percent)
{
  double x = json_number_value(v);
  if (!json_is_number(v) || !isfinite(x))
    snprintf(buf, cap, "%s", k == TPP_FLEET_FORMAT_CSV ? "" : "-");
  else if (k == TPP_FLEET_FORMAT_CSV)
    snprintf(buf, cap, "%.10g", x);
  else if (percent)
    snprintf(buf, cap, "%.4g %%", 100 * x);
  else if (fabs(x) >= 1e6) /* quantities: whole numbers, every digit */
    snprintf(buf, cap, "%.0f", x);
  else
    snprintf(buf, cap, "%.6g", x);
}

/* One table: a header row and rows of cells, in the format's syntax. */
struct table {
  FILE *out;
  enum tpp_fleet_format_kind k;
  int col, n_cols;
};

static void
cell(struct table *t, const char *s, int number)
{
  switch (t->k) {
  case TPP_FLEET_FORMAT_CSV:
    if (number)
      fputs(s, t->out);
    else
      put(t->out, s, t->k);
    fputs(t->col + 1 == t->n_cols ? "\r\n" : ",", t->out);
    break;
  case TPP_FLEET_FORMAT_MD:
    fputs("| ", t->out);
    put(t->out, s, t->k);
    fputs(t->col + 1 == t->n_cols ? " |\n" : " ", t->out);
    break;
  default:
    fprintf(t->out, "%s<td%s>", t->col == 0 ? "<tr>" : "", number ? " class=\"n\"" : "");
    put(t->out, s, t->k);
    fprintf(t->out, "</td>%s", t->col + 1 == t->n_cols ? "</tr>\n" : "");
    break;
  }
  t->col = (t->col + 1) % t->n_cols;
}

static void
table_head(struct table *t, const char *const *names, int n, const char *title)
{
  t->n_cols = n;
  t->col = 0;
  if (t->k == TPP_FLEET_FORMAT_MD)
    fprintf(t->out, "\n## %s\n\n", title);
  else if (t->k == TPP_FLEET_FORMAT_HTML)
    fprintf(t->out, "<h2>%s</h2>\n<table>\n<tr>", title);
  for (int i = 0; i < n; i++) {
    if (t->k == TPP_FLEET_FORMAT_CSV)
      fprintf(t->out, "%s%s", names[i], i + 1 == n ? "\r\n" : ",");
    else if (t->k == TPP_FLEET_FORMAT_MD)
      fprintf(t->out, "| %s %s", names[i], i + 1 == n ? "|\n" : "");
    else
      fprintf(t->out, "<th>%s</th>%s", names[i], i + 1 == n ? "</tr>\n" : "");
  }
  if (t->k == TPP_FLEET_FORMAT_MD)
    for (int i = 0; i < n; i++)
      fprintf(t->out, "| --- %s", i + 1 == n ? "|\n" : "");
}

static void
table_end(struct table *t)
{
  if (t->k == TPP_FLEET_FORMAT_HTML)
    fputs("</table>\n", t->out);
  else if (t->k == TPP_FLEET_FORMAT_CSV)
    fputs("\r\n", t->out);
}

static void
devices(struct table *t, json_t *doc)
{
  static const char *const cols[] = {"file", "host",    "pci_bus_id", "uuid",
                                     "name", "profile", "basis",      "tpp",
                                     "zone", "clause",  "borderline", "other_basis_tpp"};
  json_t *d;
  size_t i;
  char num[64];
  table_head(t, cols, 12, "Devices");
  json_array_foreach (json_object_get(doc, "device_list"), i, d) {
    cell(t, str(d, "file"), 0);
    cell(t, str(d, "host"), 0);
    cell(t, str(d, "pci_bus_id"), 0);
    cell(t, str(d, "uuid"), 0);
    cell(t, str(d, "name"), 0);
    cell(t, str(d, "profile"), 0);
    cell(t, str(d, "basis"), 0);
    numtext(num, sizeof(num), json_object_get(d, "tpp"), t->k, 0);
    cell(t, num, 1);
    cell(t, str(d, "zone"), 0);
    cell(t, str(d, "clause"), 0);
    cell(t, json_is_true(json_object_get(d, "borderline")) ? "yes" : "no", 0);
    numtext(num, sizeof(num), json_object_get(json_object_get(d, "other_basis"), "tpp"), t->k, 0);
    cell(t, num, 1);
  }
  table_end(t);
}

static void
zones(struct table *t, json_t *doc)
{
  static const char *const cols[] = {"zone", "devices", "tpp"};
  json_t *z;
  size_t i;
  char num[64];
  table_head(t, cols, 3, "Per zone");
  json_array_foreach (json_object_get(doc, "by_zone"), i, z) {
    cell(t, str(z, "zone"), 0);
    numtext(num, sizeof(num), json_object_get(z, "devices"), t->k, 0);
    cell(t, num, 1);
    numtext(num, sizeof(num), json_object_get(z, "tpp"), t->k, 0);
    cell(t, num, 1);
  }
  table_end(t);
}

static void
quantities(struct table *t, json_t *doc)
{
  static const char *const cols[] = {"quantity",   "title",   "per",     "tpp",
                                     "used",       "at_most", "verdict", "other_basis_used",
                                     "confidence", "source"};
  json_t *acc = json_object_get(doc, "accounting"), *q;
  size_t i;
  char num[64];
  if (!json_is_object(acc))
    return;
  table_head(t, cols, 10, "Quantities");
  json_array_foreach (json_object_get(acc, "quantities"), i, q) {
    cell(t, str(q, "id"), 0);
    cell(t, str(q, "title"), 0);
    cell(t, str(q, "per"), 0);
    numtext(num, sizeof(num), json_object_get(q, "tpp"), t->k, 0);
    cell(t, num, 1);
    numtext(num, sizeof(num), json_object_get(q, "fraction_used"), t->k, 1);
    cell(t, num, 1);
    numtext(num, sizeof(num), json_object_get(q, "fraction_at_most"), t->k, 1);
    cell(t, num, 1);
    cell(t, str(q, "verdict"), 0);
    numtext(num, sizeof(num), json_object_get(json_object_get(q, "other_basis"), "fraction_used"),
            t->k, 1);
    cell(t, num, 1);
    cell(t, str(q, "confidence"), 0);
    cell(t, str(q, "source"), 0);
  }
  table_end(t);
}

static void
summary(struct table *t, json_t *doc)
{
  static const char *const cols[] = {"quantity", "value"};
  static const char *const keys[] = {"rules",
                                     "basis",
                                     "verdict",
                                     "results",
                                     "devices",
                                     "undetermined",
                                     "borderline",
                                     "total_tpp",
                                     "undetermined_tpp",
                                     "h100_equivalents",
                                     "interpretation_sensitive",
                                     NULL};
  char num[64];
  table_head(t, cols, 2, "Totals");
  for (size_t i = 0; keys[i]; i++) {
    json_t *v = json_object_get(doc, keys[i]);
    cell(t, keys[i], 0);
    if (json_is_string(v))
      cell(t, json_string_value(v), 0);
    else if (json_is_boolean(v))
      cell(t, json_is_true(v) ? "yes" : "no", 0);
    else {
      numtext(num, sizeof(num), v, t->k, 0);
      cell(t, num, 1);
    }
  }
  table_end(t);
}

int
tpp_fleet_format_write(const struct tpp_fleet *f, enum tpp_fleet_format_kind k, FILE *out)
{
  json_t *doc = tpp_fleet_to_json(f);
  struct table t = {out, k, 0, 0};
  if (!doc)
    return TPP_ENOMEM;
  if (k == TPP_FLEET_FORMAT_MD) {
    fprintf(out, "# Fleet under %s: %s\n", str(doc, "rules"), str(doc, "verdict"));
  } else if (k == TPP_FLEET_FORMAT_HTML) {
    fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>Fleet "
          "under ",
          out);
    put(out, str(doc, "rules"), k);
    fputs("</title>\n<style>body{font-family:'DejaVu Sans',Arial,sans-serif;font-size:13px;"
          "color:#1d1f23;margin:24px}table{border-collapse:collapse;margin-bottom:12px}"
          "td,th{padding:3px 8px;border-bottom:1px solid #e3e5e8;text-align:left;"
          "vertical-align:top}th{border-bottom:1.5px solid #1d1f23}td.n{text-align:right}"
          "h2{font-size:15px}</style>\n</head>\n<body>\n<h1>Fleet under ",
          out);
    put(out, str(doc, "rules"), k);
    fputs(": ", out);
    put(out, str(doc, "verdict"), k);
    fputs("</h1>\n", out);
  }
  devices(&t, doc);
  zones(&t, doc);
  quantities(&t, doc);
  summary(&t, doc);
  if (k == TPP_FLEET_FORMAT_HTML)
    fputs("</body>\n</html>\n", out);
  json_decref(doc);
  return ferror(out) ? TPP_EIO : 0;
}
