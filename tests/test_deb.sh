#!/usr/bin/env bash
# test_deb.sh BUILD_DIR
# `cpack -G DEB` makes a .deb holding the binary, the data, the man page and the bash
# completion, with its Debian dependencies declared; unpacked into a scratch root (dpkg -x:
# no root needed, nothing installed on this machine), its binary works from another folder.
# .ci/run installs the same package for real with dpkg -i.  Exit 77 (skipped) without cpack,
# dpkg-deb, dpkg-shlibdeps (Debian's dpkg-dev) or file (which cpack needs for dpkg-shlibdeps).
set -uo pipefail
build=$1
for tool in cpack dpkg-deb dpkg-shlibdeps file; do
  command -v "$tool" >/dev/null || { echo "skipped: no $tool"; exit 77; }
done
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
err() { echo "FAIL: $*" >&2; fail=1; }
unset TPPBENCH_PROFILES

cpack -G DEB -B "$tmp/pkg" --config "$build/CPackConfig.cmake" > "$tmp/cpack.log" 2>&1 ||
  { cat "$tmp/cpack.log"; echo "FAIL: cpack -G DEB"; exit 1; }
deb=$(ls "$tmp"/pkg/tppbench_*.deb 2>/dev/null | head -n 1)
[[ -n $deb ]] || { cat "$tmp/cpack.log"; echo "FAIL: no tppbench_*.deb"; exit 1; }
echo "package: ${deb##*/}"

# Dependencies: from dpkg-shlibdeps, plus the recommended OpenCL driver.
depends=$(dpkg-deb -f "$deb" Depends)
for p in libc6 libjansson4 libhwloc15 ocl-icd-libopencl1 libcairo2; do
  [[ $depends == *"$p"* ]] || err "Depends lacks $p: $depends"
done
[[ $(dpkg-deb -f "$deb" Recommends) == *pocl-opencl-icd* ]] || err "does not recommend pocl-opencl-icd"

contents=$(dpkg-deb -c "$deb")
for f in ./usr/bin/tppbench ./usr/share/tppbench/rules/eccn-3a090-2023.json \
         ./usr/share/tppbench/devices/nvidia-h100-sxm5-80gb.json \
         ./usr/share/tppbench/rates/opencl.json ./usr/share/bash-completion/completions/tppbench; do
  grep -q " $f\$" <<<"$contents" || err "the package lacks $f"
done
if grep -q '^TPP_SCDOC:FILEPATH=/' "$build/CMakeCache.txt"; then
  grep -q ' ./usr/share/man/man1/tppbench.1.gz$' <<<"$contents" || err "the package lacks the man page"
fi
grep -q 'tppbench-build-tree' <<<"$contents" && err "the package holds the build-tree marker"

dpkg-deb -x "$deb" "$tmp/root"
mkdir "$tmp/elsewhere"
cd "$tmp/elsewhere" || exit 1
got=$("$tmp/root/usr/bin/tppbench" --version | sed -n 's/^data: //p')
[[ $got == "$tmp/root/usr/share/tppbench (next to the executable)" ]] ||
  err "unpacked binary uses data \"$got\""
"$tmp/root/usr/bin/tppbench" classify --profile h100 > classify.txt || err "classify --profile h100"
grep -q '^zone *black' classify.txt || err "classify --profile h100: no black zone"
"$tmp/root/usr/bin/tppbench" run --budget 0.1 --quiet --out result.json > run.txt ||
  err "run --budget 0.1"
grep -q '"zone"' result.json || err "run --budget 0.1 wrote no classified result"

[[ $fail -eq 0 ]] && echo "the .deb holds what it should and its binary works"
exit $fail
