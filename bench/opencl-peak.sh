#!/usr/bin/env bash
# opencl-peak.sh - tppbench's OpenCL kernels against clpeak on the same device, one table.
#
#   bench/opencl-peak.sh [--build DIR] [--repeat N] [--budget SECONDS] [--device SEL]
#
# Runs `tppbench run` N times (default 3) and, when it is installed (Debian: clpeak),
# clpeak on OpenCL platform 0 device 0 with event timers, then prints per precision:
# tppbench's median over the runs (and the min-max across runs), the clock it measured,
# its per-clock efficiency, clpeak's best vector width, and the ratio.  Speed goals live
# here, not in the unit tests.  Run it on a quiet machine: other load shows as spread.
set -euo pipefail

build=build repeat=3 budget=2 device=default
while [ $# -gt 0 ]; do
  case "$1" in
    --build) build=$2; shift 2 ;;
    --repeat) repeat=$2; shift 2 ;;
    --budget) budget=$2; shift 2 ;;
    --device) device=$2; shift 2 ;;
    -h|--help) sed -n '2,11p' "$0"; exit 0 ;;
    *) echo "opencl-peak.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
command -v python3 >/dev/null || { echo "opencl-peak.sh: needs python3 to print the table" >&2; exit 1; }
tpp="$build/tppbench"
[ -x "$tpp" ] || { echo "opencl-peak.sh: $tpp not built (cmake --build $build)" >&2; exit 1; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for i in $(seq 1 "$repeat"); do
  echo "tppbench run $i/$repeat ..." >&2
  "$tpp" run --quiet --device "$device" --budget "$budget" --out "$work/tpp-$i.json" > /dev/null
done
if command -v clpeak >/dev/null; then
  echo "clpeak ..." >&2
  clpeak -p 0 -d 0 --use-event-timer --compute-sp --compute-dp --compute-integer \
         --global-bandwidth --enable-xml-dump -f "$work/clpeak.xml" > "$work/clpeak.txt" 2>&1 || true
else
  echo "clpeak not installed (apt-get install clpeak): its column stays empty" >&2
fi

python3 - "$work" "$repeat" <<'PY'
import glob, json, os, statistics, sys
import xml.etree.ElementTree as ET

work, repeat = sys.argv[1], int(sys.argv[2])
runs = [json.load(open(f)) for f in sorted(glob.glob(os.path.join(work, "tpp-*.json")))]
dev = runs[0]["devices"][0]

clpeak = {}
xml_path = os.path.join(work, "clpeak.xml")
if os.path.exists(xml_path):
    root = ET.parse(xml_path).getroot()
    # One section per test; take the best vector width of each, in G(FL)OPS or GB/s.
    for section, key in (("single_precision_compute", "fp32"), ("double_precision_compute", "fp64"),
                         ("integer_compute", "int32"), ("global_memory_bandwidth", "read")):
        for node in root.iter(section):
            vals = [float(c.text) for c in node if c.text and c.text.strip()]
            if vals:
                clpeak[key] = max(vals)

def rows_of(run, prec):
    for r in run["devices"][0]["measurements"]:
        if r["precision"] == prec and r["path"] == "vector":
            return r
    return None

print(f"\nDevice: {dev['identity']['name']} ({dev['identity']['platform']}, "
      f"{dev['identity']['compute_units']} compute units), {len(runs)} runs of tppbench")
hdr = f"{'precision':<9} {'tppbench G/s':>13} {'min-max of runs':>17} {'cv%':>5} {'clock MHz':>9} {'eff':>6} {'clpeak G/s':>10} {'ratio':>6}"
print(hdr); print("-" * len(hdr))
for prec in ("fp64", "fp32", "fp16", "int32", "int16", "int8"):
    rows = [rows_of(run, prec) for run in runs]
    ok = [r for r in rows if r and r["status"] == "ok"]
    if not ok:
        r = rows[0]
        print(f"{prec:<9} {r['status'] if r else '-':>13}  {(r or {}).get('reason') or ''}")
        continue
    g = [r["tops"] * 1000 for r in ok]
    med = statistics.median(g)
    clk = statistics.median([r["clock_mhz"] for r in ok if r["clock_mhz"]]) if any(r["clock_mhz"] for r in ok) else float("nan")
    effs = [r["efficiency"] for r in ok if r["efficiency"] is not None]
    eff = f"{statistics.median(effs):.3f}" if effs else "-"
    cv = statistics.median([r["stats"]["cv"] * 100 for r in ok])
    cp = clpeak.get(prec)
    print(f"{prec:<9} {med:>13.1f} {min(g):>8.1f}-{max(g):<8.1f} {cv:>5.2f} {clk:>9.0f} {eff:>6} "
          f"{(f'{cp:.1f}' if cp else '-'):>10} {(f'{med / cp:.2f}x' if cp else '-'):>6}")
for kind in ("read", "write", "copy"):
    bw = [b for run in runs for b in run["devices"][0]["memory_bandwidth"] if b["kind"] == kind and b["status"] == "ok"]
    if bw:
        g = [b["gbs"] for b in bw]
        cp = clpeak.get(kind)
        print(f"{'mem ' + kind:<9} {statistics.median(g):>11.1f} GB/s {min(g):>6.1f}-{max(g):<8.1f} "
              f"{statistics.median([b['stats']['cv'] * 100 for b in bw]):>5.2f} {'':>9} {'':>6} "
              f"{(f'{cp:.1f}' if cp else '-'):>10} {(f'{statistics.median(g) / cp:.2f}x' if cp else '-'):>6}")
cls = runs[-1]["devices"][0]["classification"]
print(f"\nTPP {cls['tpp']:.2f}  zone {cls['zone']}  ({cls['reason']})")
PY
