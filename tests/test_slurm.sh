#!/usr/bin/env bash
# test_slurm.sh TPPBENCH SBATCH_SCRIPT - contrib/slurm/tppbench.sbatch on a real Slurm.
#
# Starts munged (throw-away key), slurmctld and two slurmd (nodes tn1 and tn2, one host,
# one port each, `slurmd -N`) from a throw-away configuration in a temporary directory,
# then submits the batch script twice on two nodes, PoCL's CPU device on each:
#   1. as a user would: the job must complete with exit 0, each node must leave a result that
#      `tppbench classify` reads (exit 0), and the fleet report must total 2 devices in 2
#      results (checked in the script's report and again by running fleet here);
#   2. with tn2's run failing: the job must fail, name tn2, and still total tn1's result.
# Everything it started is stopped on exit, failure or interruption included; a process that
# had to be killed fails the test.  Exit 77 (skipped) only when Slurm or MUNGE is not
# installed (scripts/install-deps.sh installs them).
# shellcheck disable=SC2015  # "[ A ] && [ B ] || fail": both tests are the condition
set -euo pipefail

[ $# -eq 2 ] || { echo "usage: $0 TPPBENCH SBATCH_SCRIPT" >&2; exit 2; }
tpp=$(cd "$(dirname "$1")" && pwd -P)/$(basename "$1")
script=$(cd "$(dirname "$2")" && pwd -P)/$(basename "$2")
PATH=$PATH:/usr/sbin:/sbin
started=$SECONDS

for prog in munged slurmctld slurmd slurmstepd sbatch srun scontrol sinfo scancel; do
  if ! command -v "$prog" >/dev/null; then
    echo "test_slurm: SKIP: $prog not found; install Debian's slurm-wlm and munge" \
         "(scripts/install-deps.sh)"
    exit 77
  fi
done

tmp=$(mktemp -d /tmp/tppslurm.XXXXXX)
chmod 755 "$tmp"   # munged wants its socket's directory searchable by all
conf=$tmp/slurm.conf
# Every process started here carries this variable (the daemons, and through them each job
# step and task), so that cleanup finds them all, reparented or not, and nothing else.
marker="TPP_SLURM_TEST=$tmp"
pids=()
jobs_submitted=()

slurm() { env SLURM_CONF="$conf" "$@"; }

marked_pids() {
  local p
  for p in /proc/[0-9]*; do
    [ "${p#/proc/}" != $$ ] || continue
    if tr '\0' '\n' 2>/dev/null <"$p/environ" | grep -qxF "$marker"; then
      echo "${p#/proc/}"
    fi
  done
}

show_logs() {
  local f
  for f in "$tmp"/*.log "$tmp"/*.out "$tmp"/results/*.log; do
    [ -f "$f" ] || continue
    echo "----- ${f#"$tmp"/} (last 30 lines)"
    tail -n 30 "$f"
  done
}

fail() {
  echo "test_slurm: FAIL: $*" >&2
  show_logs >&2
  exit 1
}

cleanup() {
  local rc=$? left deadline
  set +e
  trap - EXIT INT TERM
  [ ${#jobs_submitted[@]} -eq 0 ] || slurm scancel "${jobs_submitted[@]}" 2>/dev/null
  # Job steps end first (scancel), then the daemons (SIGTERM), each given time to go.
  for round in steps daemons; do
    [ $round = steps ] || [ ${#pids[@]} -eq 0 ] || kill -TERM "${pids[@]}" 2>/dev/null
    deadline=$((SECONDS + 15))
    while :; do
      left=$(marked_pids)
      if [ $round = steps ]; then
        # only the processes other than the daemons
        for p in "${pids[@]}"; do left=$(grep -vx "$p" <<<"$left"); done
      fi
      [ -n "$left" ] && [ $SECONDS -lt $deadline ] || break
      sleep 0.2
    done
  done
  left=$(marked_pids)
  if [ -n "$left" ]; then
    echo "test_slurm: FAIL: processes still running after SIGTERM, killed:" >&2
    ps -o pid,args -p "$(tr '\n' ',' <<<"$left" | sed 's/,$//')" >&2
    # shellcheck disable=SC2086  # one pid a word
    kill -KILL $left 2>/dev/null
    [ $rc -ne 0 ] || rc=1
  fi
  [ $rc -eq 0 ] || [ $rc -eq 77 ] || [ -z "${TPP_SLURM_KEEP:-}" ] || {
    echo "test_slurm: kept $tmp (TPP_SLURM_KEEP)" >&2; exit $rc; }
  rm -rf "$tmp"
  exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# ---- MUNGE, with a key made for this run
head -c 1024 /dev/urandom >"$tmp/munge.key"
chmod 600 "$tmp/munge.key"
env "$marker" munged --foreground --key-file="$tmp/munge.key" --socket="$tmp/munge.sock" \
  --pid-file="$tmp/munged.pid" --log-file="$tmp/munged.log" --seed-file="$tmp/munged.seed" \
  >"$tmp/munged.out" 2>&1 </dev/null &
pids+=($!)

# ---- Slurm: three free ports (slurmctld, tn1, tn2) from a random base
port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
for _ in 1 2 3 4 5 6 7 8 9 10; do
  base=$((20000 + RANDOM % 12000))   # below the ephemeral ports (32768-)
  port_busy $base || port_busy $((base + 1)) || port_busy $((base + 2)) || break
  base=""
done
[ -n "$base" ] || fail "no three free TCP ports found"

host=$(uname -n)
host=${host%%.*}
user=$(id -un)
mkdir -p "$tmp/state" "$tmp/spool/tn1" "$tmp/spool/tn2" "$tmp/results"
: >"$tmp/plugstack.conf"   # no SPANK plugin from the host's /etc/slurm
cat >"$conf" <<EOF
# Throw-away cluster of tests/test_slurm.sh: two nodes on this host, everything in $tmp.
ClusterName=tpptest
SlurmctldHost=$host(127.0.0.1)
SlurmctldPort=$base
SlurmdPort=$((base + 1))
SlurmUser=$user
SlurmdUser=$user
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$tmp/munge.sock
PlugStackConfig=$tmp/plugstack.conf
StateSaveLocation=$tmp/state
SlurmdSpoolDir=$tmp/spool/%n
SlurmctldPidFile=$tmp/slurmctld.pid
SlurmdPidFile=$tmp/slurmd-%n.pid
SlurmctldLogFile=$tmp/slurmctld.log
SlurmdLogFile=$tmp/slurmd-%n.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/affinity
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
SchedulerType=sched/builtin
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
MpiDefault=none
ReturnToService=2
KillWait=5
SlurmdParameters=config_overrides
NodeName=tn1 NodeHostname=$host NodeAddr=127.0.0.1 Port=$((base + 1)) CPUs=1 State=UNKNOWN
NodeName=tn2 NodeHostname=$host NodeAddr=127.0.0.1 Port=$((base + 2)) CPUs=1 State=UNKNOWN
PartitionName=tpp Nodes=tn1,tn2 Default=YES State=UP
EOF

for _ in $(seq 50); do [ -S "$tmp/munge.sock" ] && break; sleep 0.1; done
[ -S "$tmp/munge.sock" ] || fail "munged did not start"
env "$marker" SLURM_CONF="$conf" slurmctld -D -f "$conf" >"$tmp/slurmctld.out" 2>&1 </dev/null &
pids+=($!)
for node in tn1 tn2; do
  env "$marker" SLURM_CONF="$conf" slurmd -D -f "$conf" -N $node >"$tmp/slurmd-$node.out" 2>&1 \
    </dev/null &
  pids+=($!)
done

deadline=$((SECONDS + 30))
until [ "$(slurm sinfo -h -N -o '%N=%t' 2>/dev/null | sort | tr '\n' ' ')" = "tn1=idle tn2=idle " ]; do
  [ $SECONDS -lt $deadline ] || fail "the two nodes were not idle after 30 s: $(slurm sinfo -N 2>&1)"
  for p in "${pids[@]}"; do kill -0 "$p" 2>/dev/null || fail "a daemon exited (pid $p)"; done
  sleep 0.2
done
echo "test_slurm: $(slurm scontrol version), nodes tn1 and tn2 up in $((SECONDS - started)) s" \
     "(MULTIPLE_SLURMD: $(slurm scontrol show config | sed -n 's/^MULTIPLE_SLURMD *= *//p'))"

# ---- The runs: PoCL's CPU device only, one per node
export POCL_DEVICES=pthread CUDA_VISIBLE_DEVICES=""
[ ! -f /etc/OpenCL/vendors/pocl.icd ] || export OCL_ICD_VENDORS=/etc/OpenCL/vendors/pocl.icd
run_flags="--budget 0.05 --no-bandwidth --precisions fp32"

submit() {   # submit [VAR=value...]: the job's id
  local out
  out=$(env "$marker" "$@" TPPBENCH_RUN_FLAGS="$run_flags" TPPBENCH_DEVICES_PER_NODE=1 \
        SLURM_CONF="$conf" sbatch --parsable --nodes=2 --time=5 --chdir="$tmp" \
        --output="$tmp/job-%j.out" "$script") || fail "sbatch failed: $out"
  echo "${out%%;*}"
}

wait_job() {   # wait_job ID: prints the job's final record
  local line state deadline=$((SECONDS + 120))
  while :; do
    line=$(slurm scontrol -o show job "$1" 2>/dev/null) || line=""
    state=$(sed -n 's/.* JobState=\([A-Z_]*\) .*/\1/p' <<<"$line")
    case $state in
      ''|PENDING|CONFIGURING|RUNNING|COMPLETING|SUSPENDED|REQUEUED*|RESIZING) ;;
      *) echo "$line"; return 0 ;;
    esac
    [ $SECONDS -lt $deadline ] || fail "job $1 not finished after 120 s (state ${state:-unknown})"
    sleep 0.5
  done
}

field() { sed -n "s/.* $1=\\([^ ]*\\).*/\\1/p" <<<"$2"; }

# A number from a fleet JSON report: the first "KEY": N in it (the top-level one).
fleet_count() { sed -n "s/^  \"$1\": \\([0-9][0-9]*\\),\$/\\1/p" "$2" | head -n 1; }

# 1. Every node measures; the job succeeds; two result files, two devices in the fleet.
t0=$SECONDS
job=$(submit TPPBENCH="$tpp" TPPBENCH_RESULTS="$tmp/results")
jobs_submitted+=("$job")
rec=$(wait_job "$job")
[ "$(field JobState "$rec")" = COMPLETED ] && [ "$(field ExitCode "$rec")" = 0:0 ] ||
  fail "job $job: state $(field JobState "$rec"), exit $(field ExitCode "$rec"); want COMPLETED, 0:0"
files=()
for node in tn1 tn2; do
  f=$(compgen -G "$tmp/results/$node-$job-*Z.json") || fail "job $job: no result file from $node"
  [ "$(wc -l <<<"$f")" -eq 1 ] || fail "job $job: more than one result file from $node: $f"
  "$tpp" classify "$f" >"$tmp/classify-$node.out" 2>&1 ||
    fail "tppbench classify $f: exit $? ($(cat "$tmp/classify-$node.out"))"
  files+=("$f")
done
[ "$(compgen -G "$tmp/results/*Z.json" | wc -l)" -eq 2 ] ||
  fail "job $job: results/*Z.json is not the two node results: $(ls "$tmp/results")"
report_json=$(compgen -G "$tmp/results/$job-*Z.fleet.json") || fail "job $job: no fleet JSON report"
report_txt=$(compgen -G "$tmp/results/$job-*Z.fleet.txt") || fail "job $job: no fleet text report"
[ "$(fleet_count devices "$report_json")" = 2 ] && [ "$(fleet_count results "$report_json")" = 2 ] ||
  fail "job $job: $report_json does not total 2 devices in 2 results: $(head -n 6 "$report_json")"
grep -q '^fleet  *2 devices in 2 results' "$report_txt" ||
  fail "job $job: $report_txt does not say 2 devices in 2 results: $(head -n 1 "$report_txt")"
"$tpp" fleet --json "${files[@]}" >"$tmp/fleet-here.json" || fail "tppbench fleet ${files[*]}: exit $?"
[ "$(fleet_count devices "$tmp/fleet-here.json")" = 2 ] ||
  fail "tppbench fleet over the two results does not total 2 devices"
echo "test_slurm: job $job: 2 nodes measured, fleet totals 2 devices ($((SECONDS - t0)) s)"

# 2. tn2's run fails before writing anything: the job fails, names tn2, totals tn1 alone.
t0=$SECONDS
cat >"$tmp/tppbench-failing-on-tn2" <<EOF
#!/bin/sh
# tn2 fails as a node whose driver is missing would; the other nodes run tppbench.
if [ "\$SLURMD_NODENAME" = tn2 ]; then echo "simulated failure on tn2" >&2; exit 3; fi
exec "$tpp" "\$@"
EOF
chmod +x "$tmp/tppbench-failing-on-tn2"
mkdir "$tmp/results-2"
job=$(submit TPPBENCH="$tmp/tppbench-failing-on-tn2" TPPBENCH_RESULTS="$tmp/results-2")
jobs_submitted+=("$job")
rec=$(wait_job "$job")
[ "$(field JobState "$rec")" = FAILED ] && [ "$(field ExitCode "$rec")" = 1:0 ] ||
  fail "job $job: state $(field JobState "$rec"), exit $(field ExitCode "$rec"); want FAILED, 1:0"
grep -q "tn2: no result" "$tmp/job-$job.out" || fail "job $job: its output does not name tn2"
compgen -G "$tmp/results-2/tn2-*" | grep -q '\.log$' || fail "job $job: no log from tn2"
! compgen -G "$tmp/results-2/tn2-*.json" >/dev/null || fail "job $job: a result from tn2"
report_json=$(compgen -G "$tmp/results-2/$job-*Z.fleet.json") || fail "job $job: no fleet report"
[ "$(fleet_count devices "$report_json")" = 1 ] ||
  fail "job $job: the report does not total tn1's 1 device"
echo "test_slurm: job $job: tn2 failing fails the job and is named ($((SECONDS - t0)) s)"
echo "test_slurm: PASS in $((SECONDS - started)) s"
