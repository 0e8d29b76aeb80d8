#!/usr/bin/env bash
# check-format.sh - check (or fix) the C sources against .clang-format with clang-format 14,
# the version Debian 12 ships and scripts/install-deps.sh installs (another version formats
# some constructs differently, so no other is accepted).
#
#   scripts/check-format.sh                 every C file of harness/, include/, tests/
#   scripts/check-format.sh FILE...         these files
#   scripts/check-format.sh --base REF      the C files changed since git REF
#   scripts/check-format.sh --lines REF     only the lines changed since git REF
#   scripts/check-format.sh --fix [...]     rewrite the files in place instead of checking
#
# Exit 0 when everything is formatted, 1 when something is not (the diff is printed), 2 when
# clang-format 14 is missing or the arguments are wrong.
set -euo pipefail
cd "$(dirname "$0")/.."

fix=0 base="" lines=""
while [ $# -gt 0 ]; do
  case $1 in
  --fix) fix=1; shift ;;
  --base) base=${2:?--base needs a git ref}; shift 2 ;;
  --lines) lines=${2:?--lines needs a git ref}; shift 2 ;;
  -h|--help) sed -n '2,13s/^# \{0,1\}//p' "$0"; exit 0 ;;
  --) shift; break ;;
  -*) echo "check-format: unknown option $1" >&2; exit 2 ;;
  *) break ;;
  esac
done

cf=""
for c in clang-format-14 clang-format; do
  if command -v "$c" >/dev/null && "$c" --version | grep -q 'version 14\.'; then
    cf=$(command -v "$c")
    break
  fi
done
if [ -z "$cf" ]; then
  echo "check-format: clang-format 14 not found (scripts/install-deps.sh installs clang-format-14)" >&2
  exit 2
fi

# Only lines changed since a ref: git clang-format (from the same LLVM 14).
if [ -n "$lines" ]; then
  gcf=$(command -v git-clang-format-14 || command -v git-clang-format || true)
  [ -n "$gcf" ] || { echo "check-format: git-clang-format-14 not found" >&2; exit 2; }
  if [ $fix -eq 1 ]; then
    "$gcf" --binary "$cf" --force "$lines" -- harness include tests
    exit 0
  fi
  out=$("$gcf" --binary "$cf" --diff "$lines" -- harness include tests || true)
  if [ -z "$out" ] || [[ $out == "no modified files to format" ]] ||
     [[ $out == "clang-format did not modify any files" ]]; then
    echo "check-format: lines changed since $lines are formatted"
    exit 0
  fi
  printf '%s\n' "$out"
  echo "check-format: fix with scripts/check-format.sh --fix --lines $lines" >&2
  exit 1
fi

if [ $# -gt 0 ]; then
  files=("$@")
elif [ -n "$base" ]; then
  mapfile -t files < <(git diff --name-only --diff-filter=ACMR "$base" -- \
                         'harness/*.[ch]' 'include/*.h' 'tests/*.[ch]')
else
  mapfile -t files < <(git ls-files -- 'harness/*.[ch]' 'include/*.h' 'tests/*.[ch]')
fi
if [ ${#files[@]} -eq 0 ]; then
  echo "check-format: no C files to check"
  exit 0
fi

if [ $fix -eq 1 ]; then
  "$cf" -i --style=file "${files[@]}"
  echo "check-format: formatted ${#files[@]} files"
  exit 0
fi
bad=0
for f in "${files[@]}"; do
  if ! "$cf" --style=file "$f" | diff -u --label "$f" --label "$f (clang-format)" "$f" -; then
    bad=$((bad + 1))
  fi
done
if [ $bad -gt 0 ]; then
  echo "check-format: $bad of ${#files[@]} files are not formatted (scripts/check-format.sh --fix FILE...)" >&2
  exit 1
fi
echo "check-format: ${#files[@]} files formatted"
