#!/usr/bin/env bash
# install-deps.sh - install the Debian packages tppbench builds, runs and tests with.
# Does nothing when they are all present; uses sudo when not run as root.
set -euo pipefail

packages=(
  build-essential cmake pkg-config    # C11 toolchain and CMake
  ocl-icd-opencl-dev opencl-headers   # OpenCL ICD loader and headers
  pocl-opencl-icd                     # PoCL: the CPU OpenCL device (default without a GPU)
  libhwloc-dev                        # host topology and thread placement
  libjansson-dev                      # JSON results, rule sets
  check                               # unit tests
  clinfo                              # to look at OpenCL devices by hand
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all packages present"
  exit 0
fi

sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
echo "install-deps: installing ${missing[*]}"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
