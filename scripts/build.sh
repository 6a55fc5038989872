#!/usr/bin/env bash
# Configures and builds topo and its tests into ./build (or $TOPO_BUILD_DIR).
#   scripts/build.sh            everything
#   scripts/build.sh topo       only the given targets
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${TOPO_BUILD_DIR:-$root/build}
cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo
if (($#)); then
  cmake --build "$build" -j"$(nproc)" --target "$@"
else
  cmake --build "$build" -j"$(nproc)"
fi
