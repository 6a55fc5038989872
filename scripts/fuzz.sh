#!/usr/bin/env bash
# Fuzzes the loader and its validation with libFuzzer (clang), seeded with
# examples/ and tests/fuzz/corpus/. Builds ./build-fuzz (or $TOPO_FUZZ_BUILD_DIR)
# with clang, ASan and UBSan. Crashes are written to build-fuzz/crashes/; each
# one must become a regression test (tests/unit/loader_fuzz_regression_test.cpp).
#   scripts/fuzz.sh              60 seconds (what .ci/run does)
#   scripts/fuzz.sh 3600         an hour; or TOPO_FUZZ_SECONDS=3600
#   scripts/fuzz.sh 0 -jobs=2    forever; extra arguments go to libFuzzer
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
seconds=${1:-${TOPO_FUZZ_SECONDS:-60}}
(($#)) && shift
build=${TOPO_FUZZ_BUILD_DIR:-$root/build-fuzz}
command -v clang++ >/dev/null || { echo "fuzz.sh: clang++ not found; run scripts/setup.sh" >&2; exit 1; }
CC=clang CXX=clang++ cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DTOPO_SANITIZE=ON -DTOPO_FUZZ=ON >/dev/null
cmake --build "$build" -j"$(nproc)" --target topo_fuzz_loader

# The working corpus grows in the build dir; the seeds stay read-only.
corpus=$build/corpus
mkdir -p "$corpus" "$build/crashes"
find "$root/examples" "$root/tests/fuzz/corpus" -name '*.yaml' -type f 2>/dev/null |
  while read -r f; do cp -f "$f" "$corpus/$(echo "$f" | md5sum | cut -c1-16).yaml"; done

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}
# Each input is copied here before it runs (fuzz_loader.cpp), so an input
# that hangs or eats memory before libFuzzer writes its artifact is kept.
export TOPO_FUZZ_KEEP_LAST=$build/crashes/last-input
# -rss_limit_mb: the loader's own bounds (limits.hpp) must keep memory low.
# -max_len: above the 4 MiB file bound is pointless; 64 KiB finds structure.
# timeout: on an out-of-memory, libFuzzer's heap profile of a full heap can
# run for an hour; a bounded run must stay bounded.
limit=()
((seconds > 0)) && limit=(timeout -k 10 $((seconds + 240)))
set +e
"${limit[@]}" "$build/topo_fuzz_loader" -max_total_time="$seconds" -rss_limit_mb=1024 -max_len=65536 \
  -timeout=10 -artifact_prefix="$build/crashes/" -print_final_stats=1 "$@" \
  "$corpus"
rc=$?
set -e
if ((rc != 0)); then
  echo "fuzz.sh: the fuzzer failed (exit $rc). Its artifacts (crash-*, oom-*, timeout-*) are in" \
    "$build/crashes/; after a hang or kill, the last input it ran is $TOPO_FUZZ_KEEP_LAST:" >&2
  ls -l "$build/crashes/" >&2 || true
  head -c 1200 "$TOPO_FUZZ_KEEP_LAST" | od -c | head -30 >&2 || true
  exit "$rc"
fi
