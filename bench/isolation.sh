#!/usr/bin/env bash
# What isolation costs as networks grow (issue 13 point 4): N bridge networks,
# every one isolated (the default), one container each, and a machine
# "outside" behind a veth. For each N it records the rules in topo's forward
# chain, the round trip of a container's ping to the outside (every such
# packet crosses the forward hook), cold apply and no-op plan times and the
# plan's peak memory.
#   bench/isolation.sh [N...]     default: 10 200 1000
# Runs each size in a sandbox of its own (tests/sandbox.sh); prints a table.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
if ((EUID != 0)); then exec sudo -E "$0" "$@"; fi
export TOPO_BINARY=${TOPO_BINARY:-${TOPO_BUILD_DIR:-$root/build}/topo}

if [[ "${1:-}" == --inner ]]; then
  # Inside the sandbox: one size.
  n=$2 work=$3
  fail() { echo "isolation bench N=$n: $*" >&2; exit 1; }
  secs() { local t0=$EPOCHREALTIME; "$@" >"$work/out" 2>&1 || { tail "$work/out" >&2; fail "'$*' failed"; }
           python3 -c "print(f'{$EPOCHREALTIME - $t0:.3f}')"; }
  ip netns add outside
  ip link add up0 type veth peer name eth0 netns outside
  ip addr add 10.250.0.1/24 dev up0 && ip link set up0 up
  ip -n outside addr add 10.250.0.2/24 dev eth0 && ip -n outside link set eth0 up
  apply=$(secs "$TOPO_BINARY" apply "$work/m.yaml")
  rules=$(nft -a list chain inet topo forward | grep -c 'comment "topo|')
  ip netns exec c0 ping -c3 -W2 -q 10.250.0.2 >/dev/null || fail "c0 cannot reach the outside"
  # 200 pings 10 ms apart; the average round trip in ms.
  rtt=$(ip netns exec c0 ping -c200 -i0.01 -q 10.250.0.2 | sed -n 's|.*= [0-9.]*/\([0-9.]*\)/.*|\1|p')
  plans=()
  for _ in 1 2 3; do plans+=("$(secs "$TOPO_BINARY" plan "$work/m.yaml")"); done
  grep -q "No changes." "$work/out" || fail "the no-op plan was not empty"
  plan=$(printf '%s\n' "${plans[@]}" | sort -n | sed -n 2p)  # the median of three
  /usr/bin/time -f %M -o "$work/rss" "$TOPO_BINARY" plan "$work/m.yaml" >/dev/null 2>&1
  rss_mib=$(( $(tail -n1 "$work/rss") / 1024 ))
  "$TOPO_BINARY" destroy "$work/m.yaml" --auto-approve >/dev/null 2>&1 || fail "destroy failed"
  ip link del up0; ip netns del outside
  echo "| $n | $rules | $rtt | $apply | $plan | $rss_mib |"
  exit 0
fi

sizes=("$@"); ((${#sizes[@]})) || sizes=(10 200 1000)
command -v /usr/bin/time >/dev/null || "$root/bench/setup.sh"
[[ -x $TOPO_BINARY ]] || "$root/scripts/build.sh" topo
work=$(mktemp -d /tmp/topo-isolation.XXXXXX)
trap 'rm -rf "$work"' EXIT
echo "# $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), kernel $(uname -r)"
echo "| networks | forward-chain rules | ping to outside, avg ms | cold apply, s | no-op plan, s | plan peak RSS, MiB |"
echo "|---|---|---|---|---|---|"
for n in "${sizes[@]}"; do
  python3 - "$n" >"$work/m.yaml" <<'PY'
import sys
n = int(sys.argv[1])
print("version: 1\nstack: isolation\nnetworks:")
for i in range(n):
    print(f"  - {{name: n{i}, subnet: 10.{100 + i // 256}.{i % 256}.0/24}}")
print("containers:")
for i in range(n):
    print(f"  - name: c{i}")
print("attachments:")
for i in range(n):
    print(f"  - {{container: c{i}, network: n{i}}}")
PY
  "$root/tests/sandbox.sh" "$0" --inner "$n" "$work"
done
