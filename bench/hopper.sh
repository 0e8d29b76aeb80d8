#!/usr/bin/env bash
# hopper.sh - on an H100/H200, in one call: tppbench's own kernels (wgmma and mma.sync rows,
# FP64, FP32) next to a cuBLAS(Lt) GEMM of the same precision, one table.
#
#   bench/hopper.sh [--build DIR] [--out FILE] [--n N]
#
# Builds tppbench if needed, compiles bench/cublas_ref.cu (the reference lives only here),
# runs `tppbench run --device cuda:0 --out FILE` (default results/<gpu-name>.json), then
# prints per row: TFLOPS, mean and highest SM clock while the timed launches ran (NVML),
# per-clock efficiency, the row's flags (unchecked, lower_bound, device_reset), clock events
# seen, and the cuBLAS TFLOPS of the same precision with the ratio.  Needs an R580+ driver.
set -euo pipefail
cd "$(dirname "$0")/.."

build=build out="" n=8192
while [ $# -gt 0 ]; do
  case "$1" in
    --build) build=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    --n) n=$2; shift 2 ;;
    -h|--help) sed -n '2,10p' "$0"; exit 0 ;;
    *) echo "hopper.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
export PATH="$PATH:/usr/local/cuda/bin"
[ -x "$build/tppbench" ] || { cmake -B "$build" -DCMAKE_BUILD_TYPE=Release && cmake --build "$build" -j"$(nproc)"; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

nvcc -O2 -o "$work/cublas_ref" bench/cublas_ref.cu -lcublasLt -lcublas
name=$(nvidia-smi --query-gpu=name --format=csv,noheader -i 0 | tr ' /' '--' | tr -cd 'A-Za-z0-9._-')
out=${out:-results/$name.json}

"$build/tppbench" run --device cuda:0 --out "$out" | tee "$work/table.txt"
"$work/cublas_ref" "$n" 20 > "$work/cublas.jsonl"

python3 - "$out" "$work/cublas.jsonl" <<'PY'
import json, sys
res = json.load(open(sys.argv[1]))
ref = {}
for line in open(sys.argv[2]):
    r = json.loads(line)
    ref[r["precision"]] = r.get("tflops")
dev = res["devices"][0]
print(f"\n{dev['identity']['name']}  ({dev['identity']['compute_units']} SMs, "
      f"power limit {dev['identity'].get('power_limit_w')} W)")
hdr = f"{'precision':<9} {'kernel':<34} {'TFLOPS':>9} {'SM MHz':>7} {'max MHz':>7} {'eff':>6} {'cv%':>5} {'cuBLAS':>8} {'ratio':>6}  flags, clock events"
print(hdr); print("-" * len(hdr))
for r in dev["measurements"]:
    if r["status"] == "skipped":
        continue
    if r["status"] != "ok":
        print(f"{r['precision']:<9} {r['path']:<34} {r['status']:>9}  {r['reason']}")
        continue
    cb = ref.get(r["precision"]) if r["path"] == "tensor" else None
    eff = f"{r['efficiency']:.3f}" if r["efficiency"] is not None else "-"
    tel = r.get("telemetry") or {}
    flags = " ".join(f for f in ("unchecked", "lower_bound", "device_reset") if r.get(f))
    print(f"{r['precision']:<9} {r['kernel']:<34} {r['tops']:>9.1f} {r['clock_mhz'] or 0:>7.0f} "
          f"{tel.get('clock_mhz_max') or 0:>7.0f} {eff:>6} "
          f"{r['stats']['cv'] * 100:>5.2f} {('%.1f' % cb) if cb else '-':>8} "
          f"{('%.2fx' % (r['tops'] / cb)) if cb else '-':>6}  {flags} {tel.get('clock_events') or ''}")
print(f"\nTPP {dev['tpp']:.1f}{' (lower bound)' if dev.get('tpp_lower_bound') else ''}  "
      f"zone {dev['classification']['zone']}  ({dev['classification']['reason']})")
print(f"result: {sys.argv[1]}")
PY
