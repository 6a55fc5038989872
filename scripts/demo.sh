#!/usr/bin/env bash
# The quickstart, end to end: installs what is missing, builds, then inside a
# throwaway sandbox (fresh network and mount namespaces, see tests/sandbox.sh)
# applies examples/quickstart/, shows it, pings c2 from c1, runs its checks
# (topo verify), checks that a second plan finds nothing to do, and destroys
# it. Nothing reaches the host's network.
#
# `scripts/demo.sh cluster`: cluster mode (README "Cluster mode") on three
# simulated hosts and a real etcd, all inside the sandbox: scripts/demo-cluster.sh.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

if [[ "${1:-}" != --inside ]]; then
  if ((EUID != 0)); then exec sudo -E "$0" "$@"; fi
  "$root/scripts/setup.sh"
  "$root/scripts/build.sh" topo
  if [[ "${1:-}" == cluster ]]; then exec "$root/tests/sandbox.sh" "$root/scripts/demo-cluster.sh"; fi
  exec "$root/tests/sandbox.sh" "$0" --inside
fi

topo=${TOPO_BINARY:-${TOPO_BUILD_DIR:-$root/build}/topo}
example=$root/examples/quickstart/
if [[ -t 1 ]]; then bold=$'\033[1m' plain=$'\033[0m'; else bold='' plain=''; fi
step() { printf '\n%s$ %s%s\n' "$bold" "$*" "$plain"; }
run() { step "$*"; "$@"; }

run "$topo" apply "$example"
run "$topo" show

# c2's address, as the kernel reports it (not from the manifest: c1's is allocated).
c2_addr=$(ip -n c2 -4 -o addr show dev eth0 | awk '{split($4, a, "/"); print a[1]; exit}')
[[ -n "$c2_addr" ]] || { echo "demo: c2 has no IPv4 address on eth0" >&2; exit 1; }
run ip netns exec c1 ping -c1 -W2 "$c2_addr"

# The example's checks, sent from inside c1 and c2 (README "topo verify").
run "$topo" verify "$example"

step "$topo plan $example"
plan_out=$("$topo" plan "$example")
echo "$plan_out"
[[ "$(tail -n1 <<<"$plan_out")" == "No changes." ]] \
  || { echo "demo: a plan right after apply should find nothing to do" >&2; exit 1; }

run "$topo" destroy --auto-approve "$example"
leftover=$(ip -br link | awk '$1 != "lo"'; ip netns list)
[[ -z "$leftover" ]] || { echo "demo: left behind after destroy:" >&2; echo "$leftover" >&2; exit 1; }
printf '\ndemo: OK\n'
