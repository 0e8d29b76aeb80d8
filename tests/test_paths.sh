#!/usr/bin/env bash
# test_paths.sh BINARY SOURCE_DIR
# Where a binary finds its data (include/tpp/paths.h): <bindir>/../share/tppbench first, then
# $TPPBENCH_PROFILES, then the source tree only when a build-tree marker sits next to it.
# Copies of the binary are laid out as installs would be and run from another folder.
set -uo pipefail
bin=$1 src=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
err() { echo "FAIL: $*" >&2; fail=1; }
unset TPPBENCH_PROFILES

# data_line DIR [VAR=VALUE...]: the "data:" line of `--version` of DIR/tppbench, run elsewhere.
data_line() {
  local dir=$1
  shift
  (cd "$tmp/elsewhere" && env "$@" "$dir/tppbench" --version | sed -n 's/^data: //p')
}
expect_data() { # WANT DIR [VAR=VALUE...]
  local want=$1 got
  shift
  got=$(data_line "$@")
  [[ $got == "$want" ]] || err "$1/tppbench ${*:2}: data \"$got\", expected \"$want\""
}

mkdir -p "$tmp/elsewhere" "$tmp/prefix/bin" "$tmp/prefix/share" "$tmp/bare/bin" "$tmp/tree"
cp "$bin" "$tmp/prefix/bin/tppbench"
cp -r "$src/profiles" "$tmp/prefix/share/tppbench"
cp -r "$src/profiles" "$tmp/envdata"
cp "$bin" "$tmp/bare/bin/tppbench"
cp "$bin" "$tmp/tree/tppbench"
printf '%s\n' "$src/profiles" > "$tmp/tree/tppbench-build-tree"
ln -s "$tmp/prefix/bin/tppbench" "$tmp/bare/linked-tppbench"

# 1. Installed layout: the data next to the executable, and it wins over TPPBENCH_PROFILES.
expect_data "$tmp/prefix/share/tppbench (next to the executable)" "$tmp/prefix/bin"
expect_data "$tmp/prefix/share/tppbench (next to the executable)" "$tmp/prefix/bin" \
  TPPBENCH_PROFILES="$tmp/envdata"
(cd "$tmp/elsewhere" && "$tmp/prefix/bin/tppbench" classify --profile h100 >/dev/null) ||
  err "installed layout: classify --profile h100 fails"

# 2. A symbolic link to an installed binary finds the data of the binary it points to.
got=$(cd "$tmp/elsewhere" && "$tmp/bare/linked-tppbench" --version | sed -n 's/^data: //p')
[[ $got == "$tmp/prefix/share/tppbench (next to the executable)" ]] ||
  err "a link to the installed binary: data \"$got\""

# 3. A binary without data: nothing found, and the error says where it looked and what
#    TPPBENCH_PROFILES is; the source tree is not used (no marker).
expect_data "none found (see \"environment\" in \`tppbench --help\`)" "$tmp/bare/bin"
out=$(cd "$tmp/elsewhere" && "$tmp/bare/bin/tppbench" classify --profile h100 2>&1)
rc=$?
[[ $rc -eq 2 ]] || err "no data: classify exits $rc, expected 2"
for want in "$tmp/bare/share/tppbench (next to the executable): missing" \
            "TPPBENCH_PROFILES: not set" "not in a build tree" \
            "set TPPBENCH_PROFILES to a folder laid out like the source tree's profiles/"; do
  [[ $out == *"$want"* ]] || err "no data: the error does not say \"$want\": $out"
done
out=$(cd "$tmp/elsewhere" && "$tmp/bare/bin/tppbench" classify --peak fp8=1978.9 2>&1)
[[ $? -eq 2 && $out == *"no rule set \"eccn-3a090-2023\""*"TPPBENCH_PROFILES: not set"* ]] ||
  err "no data: the rule-set error does not explain the search: $out"

# 4. The same binary with TPPBENCH_PROFILES.
expect_data "$tmp/envdata (TPPBENCH_PROFILES)" "$tmp/bare/bin" TPPBENCH_PROFILES="$tmp/envdata"
(cd "$tmp/elsewhere" && TPPBENCH_PROFILES=$tmp/envdata "$tmp/bare/bin/tppbench" classify \
  --profile h100 >/dev/null) || err "TPPBENCH_PROFILES: classify --profile h100 fails"

# 5. A build-tree binary (marker next to it) reads the source tree, after TPPBENCH_PROFILES.
expect_data "$src/profiles (build tree)" "$tmp/tree"
expect_data "$tmp/envdata (TPPBENCH_PROFILES)" "$tmp/tree" TPPBENCH_PROFILES="$tmp/envdata"
expect_data "$src/profiles (build tree)" "$(dirname "$bin")"

[[ $fail -eq 0 ]] && echo "data is found next to the executable, in TPPBENCH_PROFILES, in a build tree"
exit $fail
