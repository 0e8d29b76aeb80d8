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
  libsodium-dev minisign              # result signatures; minisign checks them in the tests
  libcairo2-dev libpango1.0-dev libfontconfig-dev  # `tppbench report`: page, chart, fonts
  fonts-dejavu-core                   # the report's font
  libexpat1-dev                       # tests/test_report.c reads the report's SVG back
  poppler-utils chromium              # tests/test_report_render.c looks at the PDF and the HTML
  check                               # unit tests
  python3-jsonschema                  # tests/test_result_validate.sh: results against docs/result.schema.json
  clinfo                              # to look at OpenCL devices by hand
  scdoc                               # the man page, from harness/cli_doc.c
  man-db                              # `man -l`: the tests read the man page as rendered
  clang-format-14                     # scripts/check-format.sh: this version, not another
  file                                # cpack -G DEB: finds the binaries for dpkg-shlibdeps
  slurm-wlm munge                     # tests/test_slurm.sh: a throw-away Slurm on this host
  clang-19 lld-19 llvm-19             # AMD (HIP) kernels: compiled, linked, disassembled by the ISA test
  clang-14 libclang-rt-14-dev         # tests/fuzz: libFuzzer and the sanitizers' runtimes (TPP_FUZZ)
  python3-pip                         # NVIDIA's PyPI wheels: NVRTC 12 (below), cuobjdump
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all Debian packages present"
else
  echo "install-deps: installing ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# NVRTC 12 and the CUDA 12 half-precision headers (NVIDIA's PyPI wheels; Debian has neither):
# the build compiles the CUDA kernels with them a second time, into cubins that drivers of
# CUDA 12.x (R525-R575) load (harness/backends/cuda/backend.cmake, docs/cuda.md).  With them
# cuobjdump and nvdisasm, which the SASS tests read the embedded kernels with (a toolkit's
# own, where it has them, come first).  Installed
# with pip --target into their own directory (no venv, nothing in the system's site-packages,
# which Debian 12 protects), pinned, once: the dist-info directories say what is there.
cuda12_dir=/opt/tppbench/cuda12
cuda12_wheels=(nvidia-cuda-nvrtc-cu12==12.9.86 nvidia-cuda-runtime-cu12==12.9.79
               nvidia-cuda-cuobjdump==13.5.37 nvidia-cuda-nvdisasm==13.5.37)
have_all=1
for w in "${cuda12_wheels[@]}"; do
  name=${w%%==*} version=${w#*==}
  [ -d "$cuda12_dir/${name//-/_}-$version.dist-info" ] || have_all=0
done
if [ $have_all -eq 1 ]; then
  echo "install-deps: NVRTC 12 present in $cuda12_dir"
elif command -v python3 >/dev/null; then
  echo "install-deps: installing ${cuda12_wheels[*]} into $cuda12_dir (PyPI)"
  $sudo rm -rf "$cuda12_dir.tmp"
  $sudo python3 -m pip install -q --disable-pip-version-check --root-user-action=ignore --no-deps --no-compile \
    --target "$cuda12_dir.tmp" "${cuda12_wheels[@]}"
  $sudo rm -rf "$cuda12_dir"
  $sudo mv "$cuda12_dir.tmp" "$cuda12_dir"
fi
