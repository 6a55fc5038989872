#!/usr/bin/env bash
# The test suite again, built with AddressSanitizer (+LeakSanitizer) and
# UndefinedBehaviorSanitizer into ./build-sanitize (or $TOPO_SANITIZE_BUILD_DIR).
# Any report fails the test that triggered it: UBSan halts on the first error,
# ASan always does, LSan fails a process that leaks at exit. The topo binary
# the end-to-end tests drive is the sanitized one, so they cover it too.
#   scripts/test-sanitizers.sh                 every test
#   scripts/test-sanitizers.sh -R Loader       ctest arguments pass through
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
if ((EUID != 0)); then exec sudo -E "$0" "$@"; fi
"$root/scripts/setup.sh"
build=${TOPO_SANITIZE_BUILD_DIR:-$root/build-sanitize}
# -O1 -g1: line numbers in reports, and compiles far faster than -O2 -g.
cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Sanitize -DCMAKE_CXX_FLAGS_SANITIZE="-O1 -g1" -DTOPO_SANITIZE=ON -DTOPO_MAN_AND_COMPLETIONS=OFF
cmake --build "$build" -j"$(nproc)"
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0:strict_string_checks=1:detect_stack_use_after_return=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}
# Graphviz and fontconfig keep caches they never free: tests/lsan.supp.
export LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$root/tests/lsan.supp:print_suppressions=0}
echo "test-sanitizers: ASAN_OPTIONS=$ASAN_OPTIONS UBSAN_OPTIONS=$UBSAN_OPTIONS"
# -LE package: the Debian package test packs and installs the build it runs
# in; scripts/test.sh runs it already, and a sanitized .deb proves nothing more.
ctest --test-dir "$build" --output-on-failure -j"$(nproc)" -LE package "$@"
