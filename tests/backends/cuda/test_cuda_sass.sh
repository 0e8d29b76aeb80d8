#!/usr/bin/env bash
# test_cuda_sass.sh - the embedded CUDA kernels hold the instructions they exist to measure,
# on every target architecture, in their main loop: the count is per loop trip (the
# instructions between a backward branch and its target, the loop with the most of them),
# so an unrolled loop is told from straight-line code.  It also prints each kernel's
# registers on sm_90 and the blocks per SM they allow (the grid comes from the driver's
# occupancy query at run time; this is the same arithmetic, for the record).
#
#   test_cuda_sass.sh SIMT_FATBIN MMA_FATBIN BANDWIDTH_FATBIN [WGMMA_FATBIN]
#   TPP_SASS_ARCHS="75 80 ..." test_cuda_sass.sh SIMT MMA BANDWIDTH [WGMMA]
#
# Either argument form takes a file per module; a path holding @ARCH@ is a set of cubins, one
# per target (the CUDA 12 images NVRTC builds: simt.sm_@ARCH@.cubin, wgmma's arch is 90a),
# and TPP_SASS_ARCHS lists the targets to read (default: the CUDA 13 fatbins' targets).
# The wgmma image (sm_90a only) is checked for HGMMA / QGMMA / IGMMA in each kernel and for
# an unserialised main loop: per loop trip, 4 wgmmas, 1 WARPGROUP.ARRIVE (the kernel's own
# wgmma.fence) and 1 WARPGROUP.DEPBAR (its wait_group): a fence or wait per instruction
# would show as more.  Every FILE.log beside an image (the compiler's messages, written by
# the build) must be free of ptxas advisory C7519 (an arrive ptxas injected itself).
#
# Needs cuobjdump and nvdisasm (CUDA toolkit, or NVIDIA's PyPI wheels nvidia-cuda-cuobjdump
# and nvidia-cuda-nvdisasm, which scripts/install-deps.sh puts in /opt/tppbench/cuda12).  Without
# them the test fails, unless TPP_TEST_ALLOW_NO_CUOBJDUMP=1 (then it is skipped: 77).
set -uo pipefail

simt=$1 mma=$2 bw=$3 wgmma=${4:-}
archs=${TPP_SASS_ARCHS:-"75 80 86 89 90 100 110 120"}
# The file of module template $1 for target $2 (cubins: one file per target).
at() { echo "${1//@ARCH@/$2}"; }

find_tool() {
  command -v "$1" 2>/dev/null && return
  for d in /usr/local/cuda/bin /opt/tppbench/cuda12/nvidia/*/bin; do
    [ -x "$d/$1" ] && { echo "$d/$1"; return; }
  done
  python3 - "$1" 2>/dev/null <<'PY'
import glob, os, sys, sysconfig
for base in {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]}:
    for p in glob.glob(os.path.join(base, "nvidia", "*", "bin", sys.argv[1])):
        print(p); sys.exit(0)
sys.exit(1)
PY
}
cuobjdump=$(find_tool cuobjdump) && nvdisasm=$(find_tool nvdisasm)
if [ -z "${cuobjdump:-}" ] || [ -z "${nvdisasm:-}" ]; then
  echo "cuobjdump/nvdisasm not found (scripts/install-deps.sh installs them)"
  [ "${TPP_TEST_ALLOW_NO_CUOBJDUMP:-0}" = 1 ] && exit 77
  exit 1
fi
export PATH="$(dirname "$nvdisasm"):$PATH"

# kernel | fatbin | instruction (extended regex on the opcode) | archs ("all" or list) | minimum per trip
expect=(
  "tpp_cuda_dfma|$simt|^DFMA$|all|256"
  "tpp_cuda_ffma|$simt|^FFMA$|all|256"
  "tpp_cuda_hfma2|$simt|^HFMA2(\.MMA)?$|all|512"
  "tpp_cuda_hfma2_bf16|$simt|^HFMA2(\.MMA)?\.BF16_V2$|80 86 89 90 100 110 120|512"
  "tpp_cuda_imad|$simt|^IMAD$|all|256"
  "tpp_cuda_dp4a|$simt|^IDP\.4A\.S8\.S8$|all|256"
  "tpp_cuda_dmma|$mma|^DMMA\.(884|8x8x4)$|80 90 100 110|16"
  "tpp_cuda_dmma_k16|$mma|^DMMA\.16x8x16$|90|8"
  "tpp_cuda_hmma_tf32_f32acc|$mma|^HMMA\.1688\.F32\.TF32$|80 86 89 90 100 110 120|16"
  "tpp_cuda_hmma_f16_k8_f32acc|$mma|^HMMA\.1688\.F32$|75|16"
  "tpp_cuda_hmma_f16_f32acc|$mma|^HMMA\.16816\.F32$|80 86 89 90 100 110 120|16"
  "tpp_cuda_hmma_f16_k8_f16acc|$mma|^HMMA\.1688\.F16$|75|16"
  "tpp_cuda_hmma_f16_f16acc|$mma|^HMMA\.16816\.F16$|80 86 89 90 100 110 120|16"
  "tpp_cuda_hmma_bf16_f32acc|$mma|^HMMA\.16816\.F32\.BF16$|80 86 89 90 100 110 120|16"
  "tpp_cuda_qmma_e4m3_f32acc|$mma|^QMMA\.16832\.F32\.E4M3\.E4M3$|89 120|16"
  "tpp_cuda_qmma_e5m2_f32acc|$mma|^QMMA\.16832\.F32\.E5M2\.E5M2$|89 120|16"
  "tpp_cuda_imma_s8_m8|$mma|^IMMA\.8816\.S8\.S8$|75|16"
  "tpp_cuda_imma_s8|$mma|^IMMA\.16832\.S8\.S8$|80 86 89 90 100 110 120|16"
  "tpp_cuda_imma_s4_m8|$mma|^IMMA\.8832\.S4\.S4$|75|16"
  "tpp_cuda_imma_s4|$mma|^IMMA\.16864\.S4\.S4$|80 86 89|16"
  "tpp_cuda_bw_read|$bw|^LDG\.E\.128(\.SYS)?$|all|4"
  "tpp_cuda_bw_write|$bw|^STG\.E\.128(\.SYS)?$|all|4"
  "tpp_cuda_bw_copy|$bw|^LDG\.E\.128(\.SYS)?$|all|4"
  "tpp_cuda_bw_copy|$bw|^STG\.E\.128(\.SYS)?$|all|4"
)

# Per loop of each function: "kernel loop opcode count" lines, for one fatbin and arch.  A
# loop is [target, branch] of a branch to a lower address (cuobjdump prints absolute
# addresses); mawk has no strtonum, so hex is decoded by hand.
count_ops() {
  local f; f=$(at "$1" "$2")
  [ -e "$f" ] || return 0
  "$cuobjdump" -sass -arch "sm_$2" "$f" 2>/dev/null | awk '
    function hex(s,   i, c, v) { v = 0; s = tolower(s); sub(/^0x/, "", s)
      for (i = 1; i <= length(s); i++) { c = index("0123456789abcdef", substr(s, i, 1)) - 1; v = v * 16 + c }
      return v }
    function flush(   l, i) {
      for (i = 0; i < n; i++) cnt[f " all " op[i]]++
      for (l = 0; l < nl; l++)
        for (i = 0; i < n; i++)
          if (addr[i] >= lo[l] && addr[i] <= hi[l]) cnt[f " " l " " op[i]]++
      for (k in cnt) print k, cnt[k]
      split("", cnt); n = 0; nl = 0 }
    /Function :/ { flush(); f = $3 }
    /^[ \t]+\/\*[0-9a-f]+\*\// {
      line = $0; a = line; sub(/^[ \t]+\/\*/, "", a); sub(/\*\/.*/, "", a)
      sub(/^[ \t]+\/\*[0-9a-f]+\*\/[ \t]+/, "", line)
      sub(/^@!?U?P[0-9T] +/, "", line); split(line, w, /[ ;]+/)
      addr[n] = hex(a); op[n] = w[1]; n++
      if (w[1] ~ /^BRA/) for (j = 2; j in w; j++) if (w[j] ~ /^0x/) {
        if (hex(w[j]) < hex(a)) { lo[nl] = hex(w[j]); hi[nl] = hex(a); nl++ }
        break } }
    END { flush() }'
}

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for a in $archs; do
  for fb in "$simt" "$mma" "$bw"; do count_ops "$fb" "$a"; done > "$work/sm_$a"
done

fail=0
echo "instructions per trip of the kernel's main loop"
printf '%-30s' kernel; for a in $archs; do printf '%8s' "sm_$a"; done; echo
for e in "${expect[@]}"; do
  IFS='|' read -r kernel fatbin regex want_archs min <<< "$e"
  printf '%-30s' "$kernel"
  for a in $archs; do
    n=$(awk -v k="$kernel" -v re="$regex" '$1 == k && $2 != "all" && $3 ~ re { s[$2] += $4 }
          END { m = 0; for (l in s) if (s[l] > m) m = s[l]; print m }' "$work/sm_$a")
    if [ "$want_archs" = all ] || [[ " $want_archs " == *" $a "* ]]; then
      if [ "$n" -lt "$min" ]; then printf '%8s' "FAIL:$n"; fail=1; else printf '%8s' "$n"; fi
    else
      printf '%8s' "-"
    fi
  done
  echo
done

# Registers on sm_90 and the blocks per SM they allow: 64K registers per SM allocated per
# warp in units of 256 (8 a thread), at most 2048 threads and 32 blocks per SM, 228 KB of
# shared memory (CUDA C Programming Guide, compute capability 9.0).
echo
echo "sm_90 resources (ptxas) and the blocks per SM they allow"
printf '%-30s %5s %8s %7s %s\n' kernel regs "smem B" threads "blocks/SM"
for fb in "$simt" "$mma" "$bw" ${wgmma:+"$wgmma"}; do
  arch=90; [ "$fb" = "$wgmma" ] && arch=90a
  "$cuobjdump" -res-usage -arch "sm_$arch" "$(at "$fb" "$arch")" 2>/dev/null | awk '
    /Function/ { f = $2; sub(/:$/, "", f) }
    /REG:/ { for (i = 1; i <= NF; i++) { split($i, kv, ":"); v[kv[1]] = kv[2] }
      t = (f ~ /wgmma/) ? 128 : 256
      r = int((v["REG"] + 7) / 8) * 8; br = int(65536 / (r * t)); bt = int(2048 / t)
      bs = v["SHARED"] > 0 ? int(233472 / (v["SHARED"] + 1024)) : 32
      b = br; if (bt < b) b = bt; if (bs < b) b = bs; if (b > 32) b = 32
      printf "%-30s %5d %8d %7d %d\n", f, v["REG"], v["SHARED"], t, b }'
done | sort
echo
if [ -n "$wgmma" ]; then
  count_ops "$wgmma" 90a > "$work/sm_90a"
  echo
  printf '%-30s %-34s %6s %8s %7s\n' kernel "sm_90a instruction (per trip)" count arrives depbars
  for e in "tpp_cuda_wgmma_f16_f32acc|^HGMMA\.64x256x16\.F32$" \
           "tpp_cuda_wgmma_bf16_f32acc|^HGMMA\.64x256x16\.F32\.BF16$" \
           "tpp_cuda_wgmma_tf32_f32acc|^HGMMA\.64x256x8\.F32\.TF32$" \
           "tpp_cuda_wgmma_e4m3_f32acc|^QGMMA\.64x256x32\.F32\.E4M3\.E4M3$" \
           "tpp_cuda_wgmma_e5m2_f32acc|^QGMMA\.64x256x32\.F32\.E5M2\.E5M2$" \
           "tpp_cuda_wgmma_s8_s32acc|^IGMMA\.64x256x32\.S8\.S8$"; do
    IFS='|' read -r kernel regex <<< "$e"
    # the loop with the most of them; ARRIVE and DEPBAR counted in that same loop
    read -r n arr dep <<< "$(awk -v k="$kernel" -v re="$regex" '$1 == k && $2 != "all" {
        if ($3 ~ re) g[$2] += $4; if ($3 == "WARPGROUP.ARRIVE") a[$2] += $4
        if ($3 ~ /^WARPGROUP\.DEPBAR/) d[$2] += $4 }
      END { m = 0; for (l in g) if (g[l] > m) { m = g[l]; best = l }
            print m, a[best] + 0, d[best] + 0 }' "$work/sm_90a")"
    printf '%-30s %-34s %6s %8s %7s' "$kernel" "${regex#^}" "$n" "$arr" "$dep"
    if [ "$n" -lt 4 ] || [ "$arr" -gt $((n / 4)) ] || [ "$dep" -gt $((n / 4)) ]; then
      echo "  FAIL"; fail=1
    else
      echo
    fi
  done
fi
# ptxas advisories in the build's logs (one per image file; cubins: one per target).
for fb in "$simt" "$mma" "$bw" ${wgmma:+"$wgmma"}; do
  for a in $archs 90a; do
    log="$(at "$fb" "$a").log"
    [ -e "$log" ] || continue
    if grep -q 'C7519' "$log"; then
      echo "FAIL: ptxas advisory C7519 in $log:"; grep 'C7519' "$log" | head -3; fail=1
    fi
    [[ "$fb" == *@ARCH@* ]] || break
  done
done
if [ -n "$wgmma" ] && ! ls "$(at "$wgmma" 90a).log" >/dev/null 2>&1; then
  echo "FAIL: no compiler log beside $(at "$wgmma" 90a) (the build writes one)"; fail=1
fi
if [ $fail -ne 0 ]; then
  echo "FAILED: a kernel lacks its instruction (FAIL:count, want at least the minimum in the table), its loop is serialised, or ptxas advised C7519 (above)"
  exit 1
fi
echo "all kernels hold their instructions on every target"
