#!/usr/bin/env bash
# The real-kernel test tier (ctest label `kernel`) on a second kernel: Debian's
# stock kernel (linux-image-amd64) booted under qemu with software emulation,
# its root this machine's file system shared read-only (tests/vm/). That kernel
# has ipvlan, vlan and dummy links, which this machine's lacks.
#   scripts/test-vm.sh                      the whole kernel tier
#   scripts/test-vm.sh -R E2ESubInterface   extra arguments go to ctest
# Installs what is missing, builds into ./build (or $TOPO_BUILD_DIR), boots the
# guest, and exits with ctest's status from inside it. TOPO_VM_* variables:
# see tests/vm/run.sh.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
if ((EUID != 0)); then exec sudo -E "$0" "$@"; fi
"$root/scripts/setup.sh" vm
"$root/scripts/build.sh"
build=$(realpath -m "${TOPO_BUILD_DIR:-$root/build}")
export TOPO_BUILD_DIR=$build
mkdir -p "$build/Testing"
cd "$root"
exec "$root/tests/vm/run.sh" "$root/tests/vm/ctest-in-guest.sh" "$build" "$@"
