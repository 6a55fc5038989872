#!/bin/bash
# Runs a command inside fresh network and mount namespaces, so that nothing it
# does can reach the machine's own network: a private /run/netns, /etc/netns
# and state dir, and only `lo` (up) to start with. Used by ctest as the
# CROSSCOMPILING_EMULATOR of topo_kernel_tests and by demos:
#   tests/sandbox.sh ./build/topo_kernel_tests --gtest_filter=...
#   tests/sandbox.sh bash
# Exports TOPO_NETNS_DIR and TOPO_STATE_DIR for the command.
set -euo pipefail

die() { echo "sandbox.sh: $*" >&2; exit 125; }

if [[ "${TOPO_SANDBOX_STAGE:-}" != inner ]]; then
  [[ $# -gt 0 ]] || die "usage: $0 COMMAND [ARG...]"
  command -v unshare >/dev/null || die "unshare(1) not found; cannot build a sandbox"
  # Probe first so that a refusal is reported as such, not as the command's failure.
  if ! err=$(unshare --net --mount --propagation private true 2>&1); then
    die "cannot create network+mount namespaces (need root or CAP_SYS_ADMIN): ${err}"
  fi
  TOPO_SANDBOX_OUTER_NETNS=$(readlink /proc/self/ns/net) TOPO_SANDBOX_STAGE=inner \
    exec unshare --net --mount --propagation private -- "$0" "$@"
fi
outer_netns=${TOPO_SANDBOX_OUTER_NETNS:-}
unset TOPO_SANDBOX_STAGE TOPO_SANDBOX_OUTER_NETNS

# Paranoia: this must be a namespace of our own, never the machine's. The
# initial network namespace always has inode 4026531833 (PROC_NET_INIT_INO);
# PID 1's namespace is compared too when it is readable.
self_netns=$(readlink /proc/self/ns/net)
[[ "$self_netns" != "net:[4026531833]" && "$self_netns" != "$outer_netns" &&
   "$self_netns" != "$(readlink /proc/1/ns/net 2>/dev/null || echo none)" ]] \
  || die "still in the machine's network namespace ($self_netns); refusing to run"

# /run is private as a whole: besides /run/netns, tools the tests run write
# there (iptables' xtables.lock, test manifests), and none of it may reach
# the machine's own /run.
# -n: mount(8) would otherwise note it in the machine's /run/mount/utab.
mount -n -t tmpfs -o mode=0755 "tmpfs-topo-sandbox" /run || die "cannot mount tmpfs on /run"
# mkdir only when absent: an empty directory may remain on the host (the
# mount namespace is private, the directory itself is not), never its contents.
for d in /run/netns /etc/netns; do
  [[ -d "$d" ]] || mkdir -p "$d" || die "cannot create $d"
  mount -t tmpfs -o mode=0755 "tmpfs-topo-sandbox" "$d" || die "cannot mount tmpfs on $d"
done

# A sysfs of this namespace, so /sys/class/net shows the sandbox's links
# (the inherited one shows the machine's).
mount -t sysfs "sysfs-topo-sandbox" /sys || die "cannot mount sysfs"

ip link set lo up || die "cannot set lo up"

# The state dir is a tmpfs too, so a killed run leaves at most an empty dir.
state_dir=$(mktemp -d "${TMPDIR:-/tmp}/topo-sandbox-state.XXXXXX") || die "mktemp failed"
mount -t tmpfs -o mode=0700 "tmpfs-topo-sandbox" "$state_dir" || die "cannot mount tmpfs on $state_dir"
cleanup() { umount -l "$state_dir" 2>/dev/null || true; rmdir "$state_dir" 2>/dev/null || true; }
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

export TOPO_STATE_DIR="$state_dir"
export TOPO_NETNS_DIR=/run/netns

# Not exec: the state dir must be cleaned up afterwards.
set +e
"$@"
rc=$?
exit "$rc"
