#!/usr/bin/env bash
# test_cli_docs.sh BINARY SOURCE_DIR COMPLETION [MAN_PAGE]
# The command documentation agrees everywhere: every command `tppbench --help` lists is one
# main.c dispatches; every flag of `tppbench COMMAND --help` is in that command's getopt table
# (harness/cli_COMMAND.c) and the other way round; every command and flag is in the man page
# (rendered with `man -l`) under that command, and in the bash completion; the README's
# command synopses use only documented flags.
set -euo pipefail
bin=$1 src=$2 completion=$3 man_page=${4:-}
fail=0
err() { echo "FAIL: $*" >&2; fail=1; }

# Commands: the help's list, and main.c's dispatch table.
help_cmds=$("$bin" --help | sed -n '/^commands:/,/^$/s/^  \([a-z][a-z-]*\)  .*/\1/p')
main_cmds=$(grep -oE '\{"[a-z-]+", *tpp_cli_[a-z_]+ *\}' "$src/harness/main.c" | cut -d'"' -f2)
[[ -n $help_cmds ]] || err "no commands in tppbench --help"
[[ "$(sort <<<"$help_cmds")" == "$(sort <<<"$main_cmds")" ]] ||
  err "tppbench --help lists [$(echo $help_cmds)], main.c dispatches [$(echo $main_cmds)]"

# The man page as text (no hyphenation, ASCII), when there is one.
man_text=""
if [[ -n $man_page ]]; then
  if command -v man >/dev/null; then
    man_err=$(mktemp)
    man_text=$(LC_ALL=C MANWIDTH=200 man --warnings -l "$man_page" 2>"$man_err" | col -b)
    [[ ! -s $man_err ]] && [[ -n $man_text ]] || err "man -l $man_page: $(cat "$man_err")"
    rm -f "$man_err"
  else
    echo "man is not installed: checking the man page source" >&2
    man_text=$(sed 's/\\-/-/g; s/\\fB//g; s/\\fR//g; s/\\fI//g' "$man_page")
  fi
fi

# The flags of one command's --help: the option lines ("  --flag ...").
flags_of() { "$bin" "$1" --help | sed -n 's/^  \(--[a-z0-9-]*\).*/\1/p'; }

for cmd in $help_cmds; do
  out=$("$bin" "$cmd" --help) || err "tppbench $cmd --help exits non-zero"
  [[ $out == "usage: tppbench $cmd"* ]] || err "tppbench $cmd --help does not start with its usage"
  help_flags=$(flags_of "$cmd" | sort)
  code=$src/harness/cli_$cmd.c
  if [[ -f $code ]]; then
    # struct option entries, designated ({.name = "x", .has_arg = ...}) or not ({"x", no_argument, ...})
    # ... and those of the option macros of harness/cli.h it expands (TPP_CLI_*_OPTIONS).
    macro_defs=""
    for m in $(grep -oE 'TPP_CLI_[A-Z_]+_OPTIONS' "$code" | sort -u); do
      macro_defs+=$(sed -n "/^#define $m/,/[^\\]\$/p" "$src/harness/cli.h")
    done
    code_flags=$( (cat "$code"; echo "$macro_defs") |
                   grep -oE '(\.name = "[a-z0-9-]+", *\.has_arg|\{"[a-z0-9-]+", *[a-z]+_argument)' |
                   cut -d'"' -f2 | sed 's/^/--/' | sort)
    missing=$(comm -13 <(echo "$help_flags") <(echo "$code_flags"))
    extra=$(comm -23 <(echo "$help_flags") <(echo "$code_flags"))
    [[ -z $missing ]] || err "$cmd: in $code but not documented in harness/cli_doc.c: $(echo $missing)"
    [[ -z $extra ]] || err "$cmd: documented in harness/cli_doc.c but not in $code: $(echo $extra)"
  else
    err "$cmd: no $code (each command's getopt table lives in harness/cli_COMMAND.c)"
  fi

  # Completion: the command among the first words, its flags in its opts line.
  grep -q "_tppbench_words \".*\\b$cmd\\b.*--version\"" "$completion" ||
    err "completion does not offer the command $cmd"
  opts_line=$(sed -n "s/^    $cmd) opts=\"\\(.*\\)\" ;;\$/ \\1 /p" "$completion")
  [[ -n $opts_line ]] || err "completion has no options for $cmd"
  for f in $help_flags; do
    [[ $opts_line == *" $f "* ]] || err "completion does not offer $cmd $f"
  done

  # Man page: the command's subsection, and each flag in it.
  if [[ -n $man_text ]]; then
    section=$(awk -v c="$cmd" '$0 ~ "^   " c "$" {on = 1; next} on && /^   [a-z]/ {on = 0}
                                on && /^[A-Z]/ {on = 0} on' <<<"$man_text")
    [[ -n $section ]] || err "man page has no section for $cmd"
    for f in $help_flags; do
      grep -qE -- "^ +$f( |\$)" <<<"$section" || err "man page: $cmd has no entry for $f"
    done
  fi
done

# README: every flag on a `tppbench COMMAND` synopsis line of the Commands block is one that
# command documents (continuation lines belong to the command above).
cmd=""
while IFS= read -r line; do
  if [[ $line =~ ^tppbench\ ([a-z-]+) ]]; then
    cmd=${BASH_REMATCH[1]}
    [[ " $(echo $help_cmds) " == *" $cmd "* ]] || err "README: unknown command $cmd"
  fi
  [[ -n $cmd ]] || continue
  for f in $(grep -oE -- '--[a-z0-9-]+' <<<"$line" || true); do
    [[ $f == --help ]] && continue
    flags_of "$cmd" | grep -qx -- "$f" || err "README: tppbench $cmd $f is not documented"
  done
done < <(awk '/^## Commands/ {s = 1} s && /^```/ {if (b) exit; b = 1; next} b' "$src/README.md")

[[ $fail -eq 0 ]] && echo "commands, flags, man page, completion and README agree"
exit $fail
