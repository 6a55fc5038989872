#!/usr/bin/env bash
# Times topo on a big topology: apply of N containers over M bridge networks
# (default 200 over 4), a no-op plan right after, a no-op apply, and destroy.
# Runs inside tests/sandbox.sh, so the host's network is never touched.
#   sudo bench/run.sh [CONTAINERS] [NETWORKS]
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
topo=${TOPO_BINARY:-$root/build/topo}

if [[ "${1:-}" != --inside ]]; then
  if ((EUID != 0)); then exec sudo -E "$0" "$@"; fi
  [[ -x "$topo" ]] || { echo "bench: $topo not built; run scripts/build.sh" >&2; exit 1; }
  exec "$root/tests/sandbox.sh" "$0" --inside "${1:-200}" "${2:-4}"
fi
containers=$2 networks=$3

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 "$root/bench/gen_many.py" --containers "$containers" --networks "$networks" "$work/many.yaml"

# Seconds, wall clock, of one command whose output goes to $work/out.
timed() {
  local start end
  start=$(date +%s.%N)
  "$@" >"$work/out" 2>&1 || { local rc=$?; cat "$work/out" >&2; echo "bench: '$*' exited $rc" >&2; exit 1; }
  end=$(date +%s.%N)
  echo "$end - $start" | bc -l 2>/dev/null || python3 -c "print($end - $start)"
}

t_plan0=$(timed "$topo" plan "$work/many.yaml")
t_apply=$(timed "$topo" apply "$work/many.yaml")
t_plan=$(timed "$topo" plan --detailed-exitcode "$work/many.yaml")
[[ "$(tail -n1 "$work/out")" == "No changes." ]] || { echo "bench: plan after apply is not empty" >&2; cat "$work/out" >&2; exit 1; }
t_apply2=$(timed "$topo" apply "$work/many.yaml")
links=$(ip -br link | wc -l) namespaces=$(ip netns list | wc -l)
t_destroy=$(timed "$topo" destroy "$work/many.yaml")
left=$(($(ip -br link | wc -l) - 1 + $(ip netns list | wc -l)))

printf 'topo bench: %s containers over %s bridge networks, %s cores, %s\n' \
  "$containers" "$networks" "$(nproc)" "$(date -u +%Y-%m-%dT%H:%MZ)"
printf '  host links after apply: %s, namespaces: %s\n' "$links" "$namespaces"
printf '  %-28s %8.2f s\n' "plan (empty host)" "$t_plan0" "apply (from nothing)" "$t_apply" \
  "plan (no changes)" "$t_plan" "apply (no changes)" "$t_apply2" "destroy" "$t_destroy"
printf '  left after destroy: %s objects\n' "$left"
