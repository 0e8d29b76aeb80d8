#!/usr/bin/env bash
# test_sign_minisign.sh TPPBENCH DATA_DIR - signatures both ways with the minisign program:
# minisign verifies what tppbench signed and tppbench verifies what minisign signed (keys
# of either tool, encrypted or not, prehashed and legacy signatures); one flipped byte in
# the file or in the trusted comment fails both; bad input exits 2 naming the file.
# Exits 77 (skipped) when minisign is not installed (scripts/install-deps.sh installs it).
set -u
tpp=$1
data=$2
command -v minisign >/dev/null || { echo "minisign not installed: skipped"; exit 77; }
work=$(mktemp -d "${TMPDIR:-/tmp}/tppbench-sign-XXXXXX")
trap 'rm -rf "$work"' EXIT
cd "$work" || exit 1
unset TPPBENCH_PASSWORD_FILE
failures=0
out=""

fail() { echo "FAIL: $*"; echo "  output: $out"; failures=$((failures + 1)); }
# expect STATUS TEXT COMMAND...: run it, its exit status must be STATUS and its output
# (stdout and stderr) must hold TEXT (empty: anything).
expect() {
  local want=$1 text=$2 got
  shift 2
  out=$("$@" 2>&1 </dev/null)
  got=$?
  [ "$got" = "$want" ] || { fail "$* exited $got, expected $want"; return; }
  [ -z "$text" ] || grep -qF -- "$text" <<<"$out" || fail "$*: no \"$text\" in the output"
}
# flip FILE OFFSET: change one bit of the byte at OFFSET.
flip() {
  local b
  b=$(od -An -tu1 -j"$2" -N1 "$1" | tr -d ' ')
  printf "\\$(printf %03o $((b ^ 1)))" | dd of="$1" bs=1 seek="$2" conv=notrunc status=none
}
mode() { stat -c %a "$1"; }

cp "$data/result.json" r.json
printf 'lab password\n' > tb.pw
printf 'minisign pw\n' > ms.pw

echo "== tppbench keygen, sign; minisign verifies"
expect 0 "not encrypted" "$tpp" keygen --no-password --secret-key tb.key --public-key tb.pub
[ "$(mode tb.key)" = 600 ] || fail "tb.key has mode $(mode tb.key), expected 600"
[ "$(mode tb.pub)" = 644 ] || fail "tb.pub has mode $(mode tb.pub), expected 644"
cp tb.key tb.key.orig
expect 2 "tb.key: already exists" "$tpp" keygen --no-password --secret-key tb.key --public-key other.pub
cmp -s tb.key tb.key.orig || fail "keygen without --force changed tb.key"
[ ! -e other.pub ] || fail "keygen refused but wrote other.pub"
expect 2 "tb.pub: already exists" "$tpp" keygen --no-password --secret-key other.key --public-key tb.pub
[ ! -e other.key ] || fail "keygen refused but wrote other.key"
expect 0 "" "$tpp" keygen --no-password --force --secret-key tb2.key --public-key tb2.pub
expect 0 "" "$tpp" keygen --no-password --force --secret-key tb2.key --public-key tb2.pub
expect 0 "r.json.minisig: signed" "$tpp" sign --key tb.key r.json
expect 0 "Signature and comment signature verified" minisign -Vm r.json -p tb.pub
expect 0 "file:r.json" minisign -VHm r.json -p tb.pub # -H: only a prehashed signature passes
expect 0 "" "$tpp" sign --key tb.key --legacy --trusted-comment "lab 7, case 12" r.json
expect 0 "Trusted comment: lab 7, case 12" minisign -Vm r.json -p tb.pub
expect 1 "Legacy" minisign -VHm r.json -p tb.pub
expect 0 "" minisign -Vm r.json -P "$(sed -n 2p tb.pub)"

echo "== minisign keygen and sign; tppbench verifies"
expect 0 "" minisign -G -W -p ms.pub -s ms.key
expect 0 "" minisign -S -W -s ms.key -m r.json
expect 0 "signature  r.json: good, key" "$tpp" fleet --trust ms.pub r.json
# minisign 0.11 prints the id without leading zeros, 0.12 and tppbench with all 16 digits.
keyid=$(printf %016X "0x$(sed -n 's/.*public key //p' ms.pub)")
grep -qF "key $keyid (ms.pub)" <<<"$out" || fail "fleet does not name key $keyid"
grep -qF "trusted comment: timestamp:" <<<"$out" || fail "fleet does not show the trusted comment"
expect 0 "\"key_id\": \"$keyid\"" "$tpp" fleet --trust tb.pub --trust ms.pub --json r.json
# verify: the verdict is its own business (this result is not an H100: 1), the signature passes.
expect 1 "signature  r.json: good, key $keyid" "$tpp" verify --declared h100 --trust ms.pub r.json
expect 1 "\"signatures\"" "$tpp" verify --declared h100 --trust "$(sed -n 2p ms.pub)" --json r.json
expect 0 "" minisign -S -l -W -s ms.key -m r.json
expect 0 "\"algorithm\": \"Ed\"" "$tpp" fleet --trust ms.pub --json r.json
# Without --trust nothing changes: no signature lines, no "signatures" key.
expect 0 "" "$tpp" fleet r.json
! grep -q "^signature" <<<"$out" || fail "fleet without --trust printed signatures"
expect 0 "" "$tpp" fleet --json r.json
! grep -q '"signatures"' <<<"$out" || fail "fleet --json without --trust has signatures"
# tppbench signs with minisign's key; minisign verifies.
expect 0 "" "$tpp" sign --key ms.key r.json
expect 0 "" minisign -VHm r.json -p ms.pub

echo "== encrypted keys, both ways"
# minisign reads the password from stdin when that is not a terminal.
printf 'minisign pw\nminisign pw\n' | minisign -G -p mse.pub -s mse.key >/dev/null 2>&1 ||
  fail "minisign -G with a password"
expect 2 "no terminal" "$tpp" sign --key mse.key r.json
expect 2 "wrong password" "$tpp" sign --key mse.key --password-file tb.pw r.json
grep -q "^RW\|^RU" r.json.minisig && minisign -Vm r.json -p ms.pub >/dev/null ||
  fail "a wrong password replaced r.json.minisig"
expect 0 "signed" env TPPBENCH_PASSWORD_FILE=ms.pw "$tpp" sign --key mse.key r.json
expect 0 "" minisign -Vm r.json -p mse.pub
expect 0 "" "$tpp" fleet --trust mse.pub r.json
expect 0 "encrypted" "$tpp" keygen --secret-key tbe.key --public-key tbe.pub --password-file tb.pw
[ "$(mode tbe.key)" = 600 ] || fail "tbe.key has mode $(mode tbe.key)"
printf 'lab password\n' | minisign -S -s tbe.key -m r.json >/dev/null 2>&1 ||
  fail "minisign cannot sign with tppbench's encrypted key"
expect 0 "" "$tpp" fleet --trust tbe.pub r.json

echo "== one flipped byte fails both tools"
expect 0 "" "$tpp" sign --key tb.key r.json
cp r.json r.json.good
size=$(stat -c %s r.json)
for off in 0 1 $((size / 7)) $((size / 3)) $((size / 2)) $((size - 2)) $((size - 1)); do
  cp r.json.good r.json
  flip r.json "$off"
  expect 1 "Signature verification failed" minisign -Vm r.json -p tb.pub
  expect 2 "bad signature" "$tpp" fleet --trust tb.pub r.json
done
cp r.json.good r.json
printf ' ' >> r.json
expect 1 "" minisign -Vm r.json -p tb.pub
expect 2 "r.json: bad signature" "$tpp" verify --declared h100 --trust tb.pub r.json
cp r.json.good r.json
cp r.json.minisig sig.good
line3=$(grep -b "^trusted comment: " r.json.minisig | cut -d: -f1)
for i in 17 20 30; do # bytes of the comment after "trusted comment: "
  cp sig.good r.json.minisig
  flip r.json.minisig $((line3 + i))
  expect 1 "Comment signature verification failed" minisign -Vm r.json -p tb.pub
  expect 2 "trusted comment tampered" "$tpp" fleet --trust tb.pub r.json
done
cp sig.good r.json.minisig
expect 0 "" "$tpp" fleet --trust tb.pub r.json

echo "== bad input: exit 2, the file named"
expect 2 "nosuch.pub" "$tpp" fleet --trust nosuch.pub r.json
expect 2 "nosuch.key" "$tpp" sign --key nosuch.key r.json
expect 2 "nothere.json: cannot open" "$tpp" fleet --trust tb.pub nothere.json
expect 2 "unknown key id" "$tpp" fleet --trust ms.pub r.json
expect 2 "unknown key id" "$tpp" verify --declared h100 --trust ms.pub r.json
cp r.json s.json
expect 2 "s.json: missing signature file s.json.minisig" "$tpp" fleet --trust tb.pub r.json s.json
sed '2s/^R/!/' sig.good > r.json.minisig
expect 2 "r.json.minisig:2: signature: corrupt signature file" "$tpp" fleet --trust tb.pub r.json
head -c 150 sig.good > r.json.minisig
expect 2 "r.json.minisig" "$tpp" fleet --trust tb.pub r.json
cp sig.good r.json.minisig
head -c 100 tb.key > cut.key
expect 2 "cut.key:2: secret key" "$tpp" sign --key cut.key r.json
head -c 70 tb.pub > cut.pub
expect 2 "cut.pub:2: public key" "$tpp" fleet --trust cut.pub r.json
rm -f s.json.minisig
expect 2 "missing.json" "$tpp" sign --key tb.key s.json missing.json
[ ! -e s.json.minisig ] || fail "sign wrote s.json.minisig although missing.json failed"
chmod 644 tb.key
expect 0 "can be read by others" "$tpp" sign --key tb.key s.json

echo "== the password asked on a terminal, echo off"
if command -v python3 >/dev/null; then
  out=$(python3 - "$tpp" <<'EOF' 2>&1
import os, pty, sys, select
pid, fd = pty.fork()
if pid == 0:
    os.execv(sys.argv[1], [sys.argv[1], "sign", "--key", "tbe.key", "r.json"])
seen = b""
def read_until(token):
    global seen
    while token not in seen:
        r, _, _ = select.select([fd], [], [], 60)
        if not r:
            sys.exit("timeout waiting for %r; got %r" % (token, seen))
        try:
            chunk = os.read(fd, 1024)
        except OSError:
            sys.exit("closed before %r; got %r" % (token, seen))
        if not chunk:
            sys.exit("closed before %r; got %r" % (token, seen))
        seen += chunk
read_until(b"Password for tbe.key: ")
os.write(fd, b"lab password\n")
try:
    read_until(b"signed")
except SystemExit as e:
    print(e)
_, status = os.waitpid(pid, 0)
print(seen.decode(errors="replace"))
if b"lab password" in seen:
    sys.exit("the password was echoed")
sys.exit(os.waitstatus_to_exitcode(status))
EOF
  )
  [ $? = 0 ] || fail "sign with a password typed on a terminal"
else
  echo "python3 absent: terminal prompt not tested"
fi

[ "$failures" = 0 ] || { echo "$failures failures"; exit 1; }
echo "all signature checks passed"
