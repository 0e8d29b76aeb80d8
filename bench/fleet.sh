#!/usr/bin/env bash
# fleet.sh - how fast `tppbench fleet` totals many result files, one table.
#
#   bench/fleet.sh [--build DIR] [--template RESULT.json] [--devices K] [--repeat R]
#                  [--args] [N ...]
#
# For each N (default: 1000 10000), writes N copies of a result into a temporary directory
# (in folders of 1,000 files, as racks of nodes), each copy a node of K devices (default 8):
# the template's first device K times, every device with its own UUID and PCI bus id, every
# file with its own host name, so that nothing is counted once as a duplicate.  Then runs
# `tppbench fleet DIR` R times (default 3) and prints the median wall-clock and CPU time (all
# threads: fleet reads on every CPU it may use), files and devices per second and the peak
# resident memory, then removes the files.
#
# The template (default results/pocl-3.1-xeon-2cpu-kvm.json, a real PoCL CPU run: 11 rows
# per device) sets the size of each device.  A GPU device has more rows (a CUDA run writes
# 29 per device, about 37 KB): bench/README.md says how to make such a template with the
# simulated CUDA driver of tests/backends/cuda/sim.  --args passes the files as arguments instead of
# the directory (for a tppbench that reads no directories).  Needs python3.  Run it on a
# quiet machine: other load shows in the times.
set -euo pipefail

build=build template="" devices=8 repeat=3 as_args=0 counts=()
while [ $# -gt 0 ]; do
  case "$1" in
    --build) build=$2; shift 2 ;;
    --template) template=$2; shift 2 ;;
    --devices) devices=$2; shift 2 ;;
    --repeat) repeat=$2; shift 2 ;;
    --args) as_args=1; shift ;;
    -h|--help) sed -n '2,/^set -euo/{/^#/s/^# \{0,1\}//p}' "$0"; exit 0 ;;
    -*) echo "fleet.sh: unknown option $1" >&2; exit 2 ;;
    *) counts+=("$1"); shift ;;
  esac
done
[ ${#counts[@]} -gt 0 ] || counts=(1000 10000)
here=$(cd "$(dirname "$0")/.." && pwd)
[ -n "$template" ] || template=$here/results/pocl-3.1-xeon-2cpu-kvm.json
command -v python3 >/dev/null || { echo "fleet.sh: needs python3" >&2; exit 1; }
tpp="$build/tppbench"
[ -x "$tpp" ] || { echo "fleet.sh: $tpp not built (cmake --build $build)" >&2; exit 1; }
[ -r "$template" ] || { echo "fleet.sh: cannot read the template $template" >&2; exit 1; }

work=$(mktemp -d "${TMPDIR:-/tmp}/tppbench-fleet-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT

python3 - "$tpp" "$template" "$devices" "$repeat" "$as_args" "$work" "${counts[@]}" <<'PY'
import copy, json, os, re, statistics, subprocess, sys, time

tpp, template, per_file, repeat, as_args, work = sys.argv[1:7]
per_file, repeat, as_args = int(per_file), int(repeat), as_args == "1"
counts = [int(n) for n in sys.argv[7:]]

doc = json.load(open(template))
if not doc.get("devices"):
    sys.exit(f"fleet.sh: {template} holds no device")
one = doc["devices"][0]
# Bus numbers of an 8-GPU server's slots, then more; "@F@" becomes the file's number.
buses = [0x18, 0x2A, 0x3A, 0x5D, 0x9A, 0xAB, 0xBA, 0xDB] + list(range(0x01, 0x100))
doc["devices"] = []
for k in range(per_file):
    d = copy.deepcopy(one)
    ident = d["identity"]
    ident["uuid"] = "GPU-@F@-%04x-4000-8000-000000000000" % k
    ident["pci_bus_id"] = "0000:%02x:00.0" % buses[k % len(buses)]
    ident["device_index"] = k
    ident["selector"] = re.sub(r"\d+$", str(k), ident["selector"])
    if isinstance(d.get("placement"), dict):
        d["placement"]["pci_bus_id"] = ident["pci_bus_id"]
    doc["devices"].append(d)
if not isinstance(doc.get("host"), dict):
    doc["host"] = {}
doc["host"]["hostname"] = "node@F@"
text = json.dumps(doc, indent=2)

def generate(n):
    root = os.path.join(work, str(n))
    files = []
    for i in range(n):
        rack = os.path.join(root, "rack%03d" % (i // 1000))
        if i % 1000 == 0:
            os.makedirs(rack)
        path = os.path.join(rack, "node%05d.json" % i)
        with open(path, "w") as f:
            f.write(text.replace("@F@", "%08x" % i))
        files.append(path)
    return root, files

def run(argv):
    with open(os.path.join(work, "stderr"), "w") as err:
        t0 = time.perf_counter()
        p = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=err)
        _, status, usage = os.wait4(p.pid, 0)
        dt = time.perf_counter() - t0
    return dt, os.waitstatus_to_exitcode(status), usage.ru_maxrss / 1024, \
        usage.ru_utime + usage.ru_stime

print(f"tppbench fleet: {tpp}; template {template}, {per_file} devices per file "
      f"({len(text) / 1024:.0f} KB per file); median of {repeat} runs")
hdr = (f"{'files':>7} {'devices':>8} {'MB':>7} {'seconds':>8} {'CPU s':>7} {'files/s':>8} "
       f"{'devices/s':>10} {'RSS MB':>7} {'exit':>4}")
print(hdr)
print("-" * len(hdr))
for n in counts:
    root, files = generate(n)
    argv = [tpp, "fleet"] + (files if as_args else [root])
    runs = [run(argv) for _ in range(repeat)]
    dt = statistics.median(r[0] for r in runs)
    rss = max(r[2] for r in runs)
    cpu = statistics.median(r[3] for r in runs)
    code = runs[-1][1]
    mb = len(text) * n / 1e6
    print(f"{n:>7} {n * per_file:>8} {mb:>7.0f} {dt:>8.2f} {cpu:>7.2f} {n / dt:>8.0f} "
          f"{n * per_file / dt:>10.0f} {rss:>7.0f} {code:>4}", flush=True)
    if code not in (0, 1, 3):
        sys.stdout.write(open(os.path.join(work, "stderr")).read()[-2000:])
        sys.exit(f"fleet.sh: tppbench fleet exited {code}")
    subprocess.run(["rm", "-rf", root], check=True)
PY
