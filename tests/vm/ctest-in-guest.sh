#!/usr/bin/env bash
# Inside the guest (tests/vm/run.sh): runs the real-kernel tier of a build
# tree with ctest, exactly as scripts/test.sh does on this machine (each test
# process inside tests/sandbox.sh). The build tree is on the read-only root,
# so ctest's Testing/ directory gets a tmpfs of its own.
#   tests/vm/ctest-in-guest.sh BUILD_DIR [CTEST_ARG...]
set -euo pipefail
build=${1:?usage: $0 BUILD_DIR [CTEST_ARG...]}
shift
[[ -d "$build/Testing" ]] || { echo "ctest-in-guest.sh: $build/Testing must exist (scripts/test-vm.sh makes it)" >&2; exit 125; }
mount -t tmpfs -o mode=0755 ctest-testing "$build/Testing"
# Tests that skip on a kernel without a feature fail instead when this is set
# (the guest's kernel is the one that has them).
export TOPO_IN_VM=1
exec ctest --test-dir "$build" -L kernel --no-tests=error --output-on-failure -j"$(nproc)" "$@"
