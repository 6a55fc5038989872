#!/usr/bin/env bash
# The benchmark: topo against a generated `ip -batch` script and Debian's CNI
# plugins doing the same kernel work, for N containers over N/25 bridges.
#   bench/bench.sh [N...]        default: 100 500 1000 10000 (multiples of 25)
# Above N = 1000 only topo runs, and the kernel's own cold apply
# (bench/apply_floor.c, whose growth topo's is set against): the targets
# there are topo's own (growth from N = 1000, the no-op plan, drift repair,
# memory), and the CNI plugins alone would take about ten minutes at N = 10 000.
# Installs its packages (bench/setup.sh), builds topo if it is missing, runs
# every variant at every size in a sandbox of its own (tests/sandbox.sh), then
# prints the table and writes bench/results/{table.md,chart.png,raw.txt}.
# Env: TOPO_BINARY (default $TOPO_BUILD_DIR/topo, where scripts/build.sh builds
#      it when missing; TOPO_BUILD_DIR defaults to build), TOPO_BENCH_OUT (default bench/results),
#      TOPO_BENCH_WATCH_ARGS (extra flags for `topo watch` in the drift step),
#      TOPO_BENCH_IPBATCH_ABOVE_1000=1 (ip -batch at every size: the kernel's
#      own growth; about ten more minutes at N = 10 000).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
if ((EUID != 0)); then exec sudo -E "$0" "$@"; fi
sizes=("$@"); ((${#sizes[@]})) || sizes=(100 500 1000 10000)
out=${TOPO_BENCH_OUT:-$root/bench/results}
export TOPO_BINARY=${TOPO_BINARY:-${TOPO_BUILD_DIR:-$root/build}/topo}

"$root/bench/setup.sh"
[[ -x $TOPO_BINARY ]] || "$root/scripts/build.sh" topo

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
work=$(mktemp -d /tmp/topo-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT
export TOPO_READ_FLOOR=$work/read_floor
cc -O2 -pthread -o "$TOPO_READ_FLOOR" "$root/bench/read_floor.c"
export TOPO_APPLY_FLOOR=$work/apply_floor
cc -O2 -pthread -o "$TOPO_APPLY_FLOOR" "$root/bench/apply_floor.c" -lmnl
mkdir -p "$out"
raw=$work/raw.txt
failed=0
for n in "${sizes[@]}"; do
  python3 "$root/bench/gen.py" "$n" "$work/$n"
  variants=(topo floor ipbatch cni); ((n <= 1000)) || variants=(topo floor)
  # The kernel's own growth, which topo's is measured against (README).
  ((n <= 1000)) || [[ -z ${TOPO_BENCH_IPBATCH_ABOVE_1000:-} ]] || variants+=(ipbatch)
  for variant in "${variants[@]}"; do
    echo "bench: N=$n $variant" >&2
    # A failed variant is said and the others still run: the table shows
    # what was measured, and the run exits 1.
    "$root/tests/sandbox.sh" "$root/bench/variant.sh" "$variant" "$n" "$work/$n" "$raw" \
      || { echo "bench: N=$n $variant FAILED (its figures are missing from the table)" >&2; failed=1; }
  done
done

{
  echo "# $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, load before: $load_before, after: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "# topo $("$TOPO_BINARY" --version 2>/dev/null || echo "$TOPO_BINARY"), kernel $(uname -r)"
  cat "$raw"
} >"$out/raw.txt"
python3 "$root/bench/report.py" "$raw" "$out"
gnuplot -e "data='$out/chart.dat'; out='$out/chart.png'" "$root/bench/chart.gp"
echo "bench: wrote $out/table.md and $out/chart.png" >&2
exit "$failed"
