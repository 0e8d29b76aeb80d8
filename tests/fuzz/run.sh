#!/usr/bin/env bash
# run.sh - run the fuzz targets for a fixed time each, from their seed corpora.
#   tests/fuzz/run.sh BUILD SECONDS [TARGET...]
# BUILD is a build folder configured with -DTPP_FUZZ=ON and built; TARGETs default to all
# four.  New inputs go to $FUZZ_WORK/corpus/TARGET ($FUZZ_WORK: a fresh temporary folder
# unless set; keep it between campaigns to resume).  Prints, per target, the executions,
# the coverage (edges "cov" and features "ft") and the corpus size.  A crash, a leak, a
# timeout (10 s for one input) or running out of memory (2 GiB) fails the run: the input
# is kept under $FUZZ_WORK/artifacts and printed (path and base64) to reproduce with
#   BUILD/tests/fuzz/TARGET FILE
set -euo pipefail
[ $# -ge 2 ] || { echo "usage: $0 BUILD SECONDS [TARGET...]" >&2; exit 2; }
build=$(cd "$1" && pwd)
seconds=$2
shift 2
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(fuzz_result fuzz_rules fuzz_profile fuzz_cli)
here=$(cd "$(dirname "$0")" && pwd)
work=${FUZZ_WORK:-$(mktemp -d)}
mkdir -p "$work/artifacts"
failed=0
for t in "${targets[@]}"; do
  bin=$build/tests/fuzz/$t
  seeds=$build/tests/fuzz/corpus/${t#fuzz_}
  [ -x "$bin" ] || { echo "fuzz: $bin not built (cmake --build $build)" >&2; exit 2; }
  mkdir -p "$work/corpus/$t" "$work/artifacts/$t"
  log=$work/$t.log
  rc=0
  # The target writes its own scratch files under TMPDIR; -close_fd_mask=3: the commands'
  # output is not libFuzzer's.
  (cd "$work" && TMPDIR=$work "$bin" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
     -close_fd_mask=3 -print_final_stats=1 -dict="$here/tppbench.dict" \
     -artifact_prefix="$work/artifacts/$t/" "$work/corpus/$t" "$seeds" >"$log" 2>&1) || rc=$?
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
  last=$(grep -E '^#[0-9]+' "$log" | tail -1 || true)
  cov=$(sed -n 's/.* cov: \([0-9]*\) ft: \([0-9]*\) corp: \([0-9]*\/[0-9A-Za-z]*\).*/edges \1, features \2, corpus \3/p' <<<"$last")
  printf 'fuzz: %-13s %4ss  %9s executions  %s  exit %d\n' "$t" "$seconds" "${runs:-?}" "${cov:-?}" "$rc"
  for a in "$work/artifacts/$t"/*; do
    [ -e "$a" ] || continue
    failed=1
    echo "fuzz: $t: FINDING $a ($(wc -c <"$a") bytes); reproduce: $bin $a"
    echo "fuzz: base64 of $(basename "$a"):"
    base64 "$a"
  done
  if [ "$rc" -ne 0 ]; then
    failed=1
    grep -E -A40 '^==[0-9]+==|^fuzz: invariant|ERROR: libFuzzer' "$log" | head -80 || tail -40 "$log"
  fi
done
[ -n "${FUZZ_WORK:-}" ] || [ $failed -ne 0 ] || rm -rf "$work"
[ $failed -eq 0 ] && echo "fuzz: no finding" || { echo "fuzz: FINDINGS above (kept in $work)"; exit 1; }
