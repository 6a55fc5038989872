#!/usr/bin/env bash
# 100 simulated nodes join the cluster registry at once (issue 17): runs the
# kernel test ClusterScale.HundredNodesJoinAtOnce (tests/kernel/
# cluster_scale_test.cpp: 100 threads, one registry and etcd client each,
# against one etcd inside a sandbox) and keeps the figures it prints.
#   bench/cluster_join.sh [watch|poll ...]   default: watch poll
# "watch": each node follows an etcd watch after its read, as the controller
# does; "poll": each node read()s every 50 ms. Writes bench/results/cluster-join.txt
# (or $TOPO_BENCH_OUT): date, cores, load, etcd version, then one
# "cluster-join:" line per mode. The test asserts correctness only; a failed
# run fails this script and writes nothing.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
if ((EUID != 0)); then exec sudo -E "$0" "$@"; fi
build=${TOPO_BUILD_DIR:-$root/build}
tests_bin=$build/topo_kernel_tests
out=${TOPO_BENCH_OUT:-$root/bench/results/cluster-join.txt}
modes=("$@"); ((${#modes[@]})) || modes=(watch poll)

[[ -x $tests_bin ]] || TOPO_BUILD_DIR=$build "$root/scripts/build.sh" topo_kernel_tests
etcd_bin=${TOPO_TEST_ETCD:-/usr/bin/etcd}
[[ -x $etcd_bin ]] || { echo "cluster_join: $etcd_bin is missing; run scripts/setup.sh" >&2; exit 1; }

work=$(mktemp -d /tmp/topo-cluster-join.XXXXXX)
trap 'rm -rf "$work"' EXIT
{
  echo "# bench/cluster_join.sh: 100 nodes join and lease a /24 at once (ClusterScale.HundredNodesJoinAtOnce)"
  echo "# $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), kernel $(uname -r)"
  echo "# $("$etcd_bin" --version | head -n1), $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo "no git")"
  echo "# times in ms from the common start (join_lease_done, see_all) or per call (join, lease);"
  echo "# lost_races: subnet creates that found the candidate taken (etcd's Txn count - 100)"
} >"$work/out"
for mode in "${modes[@]}"; do
  [[ $mode == watch || $mode == poll ]] || { echo "cluster_join: unknown mode $mode (watch, poll)" >&2; exit 2; }
  if ! TOPO_CLUSTER_JOIN_SEE=$mode "$root/tests/sandbox.sh" "$tests_bin" \
      --gtest_filter=ClusterScale.HundredNodesJoinAtOnce >"$work/$mode.log" 2>&1; then
    tail -n 40 "$work/$mode.log" >&2
    echo "cluster_join: the test failed (mode $mode); nothing written" >&2
    exit 1
  fi
  line=$(grep '^cluster-join: nodes=' "$work/$mode.log") || { echo "cluster_join: no figures in the output" >&2; exit 1; }
  echo "$line" | tee -a "$work/out"
  grep '^cluster-join: retried' "$work/$mode.log" >>"$work/out" || true
done
mkdir -p "$(dirname "$out")"
cp "$work/out" "$out"
echo "written: $out"
