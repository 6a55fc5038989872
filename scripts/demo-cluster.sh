#!/usr/bin/env bash
# Cluster mode end to end, run by `scripts/demo.sh cluster` inside a sandbox
# (tests/sandbox.sh: fresh network and mount namespaces). Builds three
# simulated hosts a, b, c (each a network and mount namespace of its own, with
# its own /run/netns, /etc/netns and state dir) on a switch, starts a real
# etcd on the switch's address, runs `topo watch` on a and b and a one-shot
# `topo apply` on c with examples/cluster/, and shows the nodes finding each
# other: the keys in etcd, the routes, pings by name across the nodes. Then
# destroys everything and checks that etcd holds no key of topo's.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
[[ -n "${TOPO_STATE_DIR:-}" ]] || { echo "demo-cluster: run me through scripts/demo.sh cluster (a sandbox)" >&2; exit 1; }
topo=${TOPO_BINARY:-${TOPO_BUILD_DIR:-$root/build}/topo}
etcd_bin=${TOPO_TEST_ETCD:-/usr/bin/etcd}
[[ -x "$etcd_bin" ]] || { echo "demo-cluster: $etcd_bin is missing: scripts/setup.sh installs etcd-server" >&2; exit 1; }
if [[ -t 1 ]]; then bold=$'\033[1m' plain=$'\033[0m'; else bold='' plain=''; fi
step() { printf '\n%s%s%s\n' "$bold" "$*" "$plain"; }

switch_ip=10.99.0.254
url=http://$switch_ip:2379
declare -A holder address
pids=()      # everything started here, killed at exit
watchers=()  # the controllers
cleanup() {
  for p in "${pids[@]}"; do kill -9 "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  for h in a b c; do ip netns del "demo-$h" 2>/dev/null || true; done
  ip link del cl-sw 2>/dev/null || true
}
trap cleanup EXIT

# The switch, and etcd on it (its peer URL on the sandbox's loopback).
ip link add cl-sw type bridge && ip addr add $switch_ip/24 dev cl-sw && ip link set cl-sw up
data=$(mktemp -d /run/demo-etcd.XXXXXX)
"$etcd_bin" --name demo --data-dir "$data/data" --listen-client-urls "$url" --advertise-client-urls "$url" \
  --listen-peer-urls http://127.0.0.1:2380 --initial-advertise-peer-urls http://127.0.0.1:2380 \
  --initial-cluster demo=http://127.0.0.1:2380 >"$data/etcd.log" 2>&1 &
pids+=($!)
for _ in $(seq 100); do curl -fs "$url/health" >/dev/null 2>&1 && break; sleep 0.1; done
curl -fs "$url/health" >/dev/null || { echo "demo-cluster: etcd did not come up:" >&2; tail "$data/etcd.log" >&2; exit 1; }

# The hosts: a namespace, an underlay port on the switch, and a holder
# process whose mount namespace has the host's own /run/netns, /etc/netns, /sys.
i=0
for h in a b c; do
  i=$((i + 1))
  address[$h]=10.99.0.$i
  ip netns add "demo-$h"
  ip link add "cl-$h" type veth peer name ul0 netns "demo-$h"
  ip link set "cl-$h" master cl-sw up
  ip -n "demo-$h" link set lo up
  ip -n "demo-$h" addr add "${address[$h]}/24" dev ul0
  ip -n "demo-$h" link set ul0 up
  mkdir -m 0700 "$TOPO_STATE_DIR/host-$h"
  nsenter --net="/run/netns/demo-$h" unshare --mount --propagation private /bin/sh -c \
    'mount -t tmpfs tmpfs /run/netns && mount -t tmpfs tmpfs /etc/netns && mount -t sysfs sysfs /sys && exec sleep infinity' &
  holder[$h]=$!
  pids+=("${holder[$h]}")
done
for h in a b c; do
  for _ in $(seq 100); do [[ "$(cat "/proc/${holder[$h]}/comm" 2>/dev/null)" == sleep ]] && break; sleep 0.05; done
done
on() {  # on HOST COMMAND...: inside the simulated host
  local h=$1; shift
  nsenter -t "${holder[$h]}" -m -n -- env TOPO_STATE_DIR="$TOPO_STATE_DIR/host-$h" TOPO_NETNS_DIR=/run/netns "$@"
}
cluster_flags() { echo --etcd "$url" --node "$1" --advertise-address "${address[$1]}"; }

# The manifests, where the controller's trust rule accepts them (root's, not
# writable by others).
manifests=$(mktemp -d /run/demo-manifests.XXXXXX)
chmod 0755 "$manifests"
cp "$root/examples/cluster/topology.yaml" "$manifests/"

step "a# topo watch $manifests $(cluster_flags a)   (in the background; b the same)"
for h in a b; do
  # shellcheck disable=SC2046
  # nsenter and env exec: $! is the controller itself.
  nsenter -t "${holder[$h]}" -m -n -- env TOPO_STATE_DIR="$TOPO_STATE_DIR/host-$h" TOPO_NETNS_DIR=/run/netns \
    "$topo" watch "$manifests" $(cluster_flags "$h") --debounce 100 >"$data/watch-$h.log" 2>&1 &
  pids+=($!)
  watchers+=($!)
done
# c's one-shot apply programs what etcd says when it runs: a and b first.
for _ in $(seq 100); do
  n=$(ETCDCTL_API=3 etcdctl --endpoints "$url" get --prefix /topo/subnets/ --keys-only | sed '/^$/d' | wc -l)
  ((n >= 2)) && break
  sleep 0.1
done
step "c# topo apply $manifests $(cluster_flags c) --auto-approve"
# shellcheck disable=SC2046
on c "$topo" apply "$manifests" $(cluster_flags c) --auto-approve

step "the nodes, their shares and the containers' addresses in etcd"
ETCDCTL_API=3 etcdctl --endpoints "$url" get --prefix /topo --keys-only | sed '/^$/d'

step "a# ip netns exec web ping -c1 db   (db is on c; a's controller heard of c through etcd)"
ok=
for _ in $(seq 60); do
  if on a ip netns exec web ping -c1 -W1 db >/dev/null 2>&1; then ok=1; break; fi
  sleep 0.5
done
[[ -n "$ok" ]] || { echo "demo-cluster: web cannot reach db; a's controller said:" >&2; tail -20 "$data/watch-a.log" >&2; exit 1; }
on a ip netns exec web ping -c1 -W2 db
step "c# ip netns exec db ping -c1 www   (web's alias, on a)"
on c ip netns exec db ping -c1 -W2 www
step "a# ip route show proto 116   (the other nodes' shares, over VXLAN)"
on a ip route show proto 116
step "a# topo status"
on a "$topo" status || true

step "topo destroy on every node: each gives its keys back"
for p in "${watchers[@]}"; do kill "$p" 2>/dev/null || true; done
wait "${watchers[@]}" 2>/dev/null || true
for h in a b c; do
  # shellcheck disable=SC2046
  on "$h" "$topo" destroy "$manifests" $(cluster_flags "$h") --auto-approve >/dev/null
done
left=$(ETCDCTL_API=3 etcdctl --endpoints "$url" get --prefix /topo --keys-only | sed '/^$/d')
[[ -z "$left" ]] || { echo "demo-cluster: keys left in etcd after destroy:" >&2; echo "$left" >&2; exit 1; }
printf '\ndemo cluster: OK\n'
