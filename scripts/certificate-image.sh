#!/usr/bin/env bash
# certificate-image.sh [TPPBENCH] - make docs/images/certificate-h100.png again: the page
# `tppbench report` draws for the synthetic H100 example (docs/examples/), which the README
# and docs/report.md show.  Run from the repository root after a change to the page.
set -euo pipefail
bin=${1:-build/tppbench}
"$bin" report docs/examples/synthetic-h100-sxm.json --out docs/images/certificate-h100.png
