#!/bin/bash
# test_result_validate.sh TPPBENCH SOURCE_DIR CUDASIM_LIB HIPSIM_LIB - every result file of the
# repository (results/, docs/examples/, tests/data/results/) and the results tppbench writes
# here (a PoCL run, and runs on the simulated CUDA and HIP drivers with their management
# libraries) validate against docs/result.schema.json with python3-jsonschema, an independent
# validator; the malformed test files do not (among them negative_tops.json and huge_tops.json:
# the JSON Schema states the bounds the reader enforces).  Skipped (77) without python3-jsonschema.
set -u
tpp=$1 src=$2 cudasim=$3 hipsim=$4
python3 -c 'import jsonschema' 2>/dev/null || { echo "python3-jsonschema not installed: skipped"; exit 77; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
files=()
# Tiny runs: a row or two, a hundredth of a second each.
"$tpp" run --device opencl --precisions fp32 --budget 0.01 --label case=T-1 --label 'operator=Zoë' \
  --quiet --out "$tmp/pocl.json" >/dev/null 2>&1
[ -s "$tmp/pocl.json" ] && files+=("$tmp/pocl.json") || { echo "FAIL: no PoCL result"; exit 1; }
for sim in "cuda:$cudasim" "hip:$hipsim"; do
  be=${sim%%:*} lib=${sim#*:}
  # Only where this build can run it (a build without the backend's kernels reports it
  # unavailable: no toolkit, or -DTPP_WITH_CUDA=OFF).
  [ -d "$lib" ] && env -u ROCM_PATH LD_LIBRARY_PATH="$lib" "$tpp" list 2>&1 |
    grep -q "^backend $be *available" || { echo "note: no simulated $be run (backend unavailable)"; continue; }
  env -u ROCM_PATH LD_LIBRARY_PATH="$lib" TPPSIM_TIME_SCALE=0.005 "$tpp" run --device "$be" \
    --precisions fp32,fp16 --budget 0.01 --label asset=sim --quiet --out "$tmp/$be.json" \
    >/dev/null 2>&1
  [ -s "$tmp/$be.json" ] && files+=("$tmp/$be.json") || { echo "FAIL: no $be result"; exit 1; }
done
cd "$src" || exit 1
files+=(results/*.json docs/examples/*.json)
invalid=()
for f in tests/data/results/*.json; do
  case $(basename "$f") in
  minimal.json | ok_without_tops.json | v2_legacy_keys.json | v3_legacy_key.json) files+=("$f") ;;
  truncated.json) ;; # not JSON at all
  *) invalid+=(--invalid "$f") ;;
  esac
done
python3 tests/validate_results.py docs/result.schema.json "${files[@]}" "${invalid[@]}"
