#!/usr/bin/env bash
# test_completion.sh BINARY COMPLETION
# The generated bash completion, driven as bash drives it (COMP_WORDS, COMP_CWORD): commands,
# flags, profile names (from `tppbench list --profiles`), rule-set names (from rules/ of the
# binary's data folder), fixed words, files, and --flag=value.
set -uo pipefail
bin=$1
# shellcheck source=/dev/null
source "$2" || { echo "FAIL: cannot source $2"; exit 1; }
fail=0

# expect WANT|-WANT... -- WORDS...: complete the last word; each WANT must be offered, each
# -WANT must not be.
expect() {
  local wants=() w
  while [[ $1 != -- ]]; do wants+=("$1"); shift; done
  shift
  COMP_WORDS=("$bin" "$@")
  COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 ))
  COMPREPLY=()
  _tppbench
  for w in "${wants[@]}"; do
    if [[ $w == -?* && $w != --* ]]; then
      [[ " ${COMPREPLY[*]} " != *" ${w#-} "* ]] || { echo "FAIL: [$*] offers ${w#-}"; fail=1; }
    else
      [[ " ${COMPREPLY[*]} " == *" $w "* ]] ||
        { echo "FAIL: [$*] does not offer $w (offers: ${COMPREPLY[*]:0:20})"; fail=1; }
    fi
  done
}

expect classify -- cl
expect list run classify verify fleet --version -- ""
expect --precisions --profile -- run --pr
expect --declared --tolerance -- verify --
expect -run -- verify --json ""            # after the command: no command names
expect h100 h100-sxm -mi300x -- classify --profile h1
expect nvidia-h100-sxm5-80gb -- classify --profile nvidia-h1
expect none nvidia-h100-sxm5-80gb -- run --profile n
expect -none nvidia-h100-sxm5-80gb -- classify --profile n  # "none" is run's only
expect mi300x -- verify --declared mi3
expect eccn-3a090-2023 eccn-3a090-2022 ai-diffusion-2025 -- fleet --rules ""
expect eccn-3a090-2023 -- classify --rules = ecc  # --rules=ecc, split at '='
expect measured declared -- fleet --basis ""
expect -- run --budget ""                   # a number: nothing offered
[[ ${#COMPREPLY[@]} -eq 0 ]] || { echo "FAIL: run --budget offers ${COMPREPLY[*]}"; fail=1; }

# Files: an operand and --out.
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
touch "$dir/result-a.json"
expect "$dir/result-a.json" -- fleet "$dir/res"
expect "$dir/result-a.json" -- run --out "$dir/res"
expect "$dir/result-a.json" -- classify --profile "$dir/res"  # a profile given as a file

# Rule names follow the data folder: TPPBENCH_PROFILES is the second place searched.
mkdir -p "$dir/data/rules"
echo '{}' > "$dir/data/rules/my-rules.json"
TPPBENCH_PROFILES=$dir/data expect my-rules eccn-3a090-2023 -- run --rules ""

[[ $fail -eq 0 ]] && echo "completion offers what it should"
exit $fail
