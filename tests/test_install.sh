#!/usr/bin/env bash
# test_install.sh BUILD_DIR
# `cmake --install` into a scratch prefix puts the binary, the data, the man page and the
# completion where package.cmake says, and the installed binary, run from another folder
# with TPPBENCH_PROFILES unset, uses the installed data (not the source tree) and works.
set -uo pipefail
build=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
err() { echo "FAIL: $*" >&2; fail=1; }
unset TPPBENCH_PROFILES

cmake --install "$build" --prefix "$tmp/prefix" >/dev/null || { echo "FAIL: cmake --install"; exit 1; }
for f in bin/tppbench share/tppbench/rules/eccn-3a090-2023.json share/tppbench/devices \
         share/tppbench/rates/opencl.json share/tppbench/rates/cuda.json share/tppbench/rates/hip.json \
         share/bash-completion/completions/tppbench share/doc/tppbench/README.md; do
  [[ -e $tmp/prefix/$f ]] || err "not installed: $f"
done
if grep -q '^TPP_SCDOC:FILEPATH=/' "$build/CMakeCache.txt"; then
  [[ -e $tmp/prefix/share/man/man1/tppbench.1.gz ]] || err "not installed: the man page"
fi
[[ -z $(find "$tmp/prefix" -name tppbench-build-tree) ]] || err "the build-tree marker is installed"

mkdir "$tmp/elsewhere"
cd "$tmp/elsewhere" || exit 1
got=$("$tmp/prefix/bin/tppbench" --version | sed -n 's/^data: //p')
[[ $got == "$tmp/prefix/share/tppbench (next to the executable)" ]] ||
  err "installed binary uses data \"$got\""
"$tmp/prefix/bin/tppbench" classify --profile h100 > classify.txt || err "classify --profile h100"
grep -q '^zone *black' classify.txt || err "classify --profile h100: no black zone: $(head -3 classify.txt)"
# A short measurement: one precision, enough to load the kernels and the rate tables.
"$tmp/prefix/bin/tppbench" run --budget 0.1 --precisions fp32 --no-bandwidth --quiet \
  --out result.json > /dev/null || err "run --budget 0.1 --precisions fp32"
[[ -s result.json ]] || err "run wrote no result"

[[ $fail -eq 0 ]] && echo "installed to a prefix; the installed binary works from elsewhere"
exit $fail
