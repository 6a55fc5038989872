#!/usr/bin/env bash
# Every test: installs what is missing, builds, runs ctest. The unit tests need
# no privileges; each kernel test process runs in its own sandbox (fresh
# network and mount namespaces, see tests/sandbox.sh), which needs root.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
if ((EUID != 0)); then exec sudo -E "$0" "$@"; fi
"$root/scripts/setup.sh"
"$root/scripts/build.sh"
build=${TOPO_BUILD_DIR:-$root/build}
ctest --test-dir "$build" --output-on-failure -j"$(nproc)" "$@"
