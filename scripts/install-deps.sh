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

# With a CUDA toolkit, the SASS tests read the embedded kernels with cuobjdump and nvdisasm.
# Toolkits without them (a compiler-only install) get NVIDIA's PyPI builds of the two tools.
nvcc=$(command -v nvcc || ls /usr/local/cuda/bin/nvcc 2>/dev/null || true)
if [ -n "$nvcc" ] && ! [ -x "$(dirname "$nvcc")/cuobjdump" ] && command -v python3 >/dev/null; then
  if ! python3 -c "import glob, sysconfig, sys; sys.exit(not glob.glob(sysconfig.get_paths()['purelib'] + '/nvidia/*/bin/nvdisasm'))"; then
    echo "install-deps: installing cuobjdump and nvdisasm (PyPI: nvidia-cuda-cuobjdump, nvidia-cuda-nvdisasm)"
    python3 -m pip install -q nvidia-cuda-cuobjdump nvidia-cuda-nvdisasm
  fi
fi
