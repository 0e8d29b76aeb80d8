#!/bin/sh
# node.sh - one PoCL device alone against two measured at once (`run --device all`), and the
# ratio of their wall times (issue 13's goal: two at once in at most 1.3x the time of one).
#
#   bench/node.sh [BUILD_DIR] [PRECISIONS] [BUDGET]      (defaults: build fp32,int32 0.2)
#
# POCL_DEVICES="pthread pthread" gives two CPU devices; by default each starts a worker
# thread per core, so on a machine of N cores the two devices share the same N cores and
# the pair cannot finish in the time of one: the ratio measures that sharing, not tppbench.
# With POCL_MAX_PTHREAD_COUNT=K each device uses K workers; the second table gives every
# device half of the cores, which is how a node of separate accelerators behaves (each has
# its own compute), at half the work rate per device.
set -eu
build=${1:-build}
precs=${2:-fp32,int32}
budget=${3:-0.2}
bin="$build/tppbench"
[ -x "$bin" ] || { echo "node.sh: $bin not built" >&2; exit 2; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/tppbench-node-XXXXXX")
trap 'rm -rf "$tmp"' EXIT
cores=$(nproc)

wall() { # wall seconds of: run --device $1 (environment from the caller)
  s=$(date +%s.%N)
  "$bin" run --quiet --device "$1" --precisions "$precs" --budget "$budget" --no-bandwidth \
    --out "$tmp/r.json" >/dev/null
  e=$(date +%s.%N)
  echo "$s $e" | awk '{printf "%.2f", $2 - $1}'
}

row() { # label, then VAR=value settings for both runs
  label=$1
  shift
  one=$(export POCL_DEVICES="pthread pthread" "$@"; wall opencl:0.0)
  two=$(export POCL_DEVICES="pthread pthread" "$@"; wall all)
  printf '%-34s %8s %8s %7s\n' "$label" "$one" "$two" \
    "$(echo "$one $two" | awk '{printf "%.2fx", $2 / $1}')"
}

echo "machine: $cores cores, load average $(cut -d' ' -f1-3 /proc/loadavg); precisions $precs, budget $budget s per row"
printf '%-34s %8s %8s %7s\n' "PoCL workers per device" "one (s)" "two (s)" "ratio"
row "all cores (PoCL default)" TPPBENCH_NODE_DEFAULT=1
half=$((cores / 2 > 0 ? cores / 2 : 1))
row "$half (POCL_MAX_PTHREAD_COUNT=$half)" POCL_MAX_PTHREAD_COUNT=$half
