#!/usr/bin/env bash
# Installs what building and testing topo needs on Debian 12. Idempotent: when
# every package is already installed it does not touch apt at all, so a second
# run is fast and works offline.
#   scripts/setup.sh        build and test on this machine's kernel
#   scripts/setup.sh vm     also the second-kernel harness (tests/vm/, scripts/test-vm.sh)
set -euo pipefail

packages=(
  build-essential cmake pkg-config
  libyaml-dev libnl-3-dev libnl-route-3-dev libnftnl-dev libmnl-dev
  libspdlog-dev libgtest-dev libvalijson-dev libcli11-dev nlohmann-json3-dev
  libsystemd-dev libip4tc-dev
  # the etcd v3 client (reconciler/cluster/etcd/) speaks etcd's JSON gateway over libcurl
  libcurl4-openssl-dev
  # `topo graph --format svg` lays out and renders through Graphviz's libgvc, never by running dot
  libgraphviz-dev
  # the fuzzer (scripts/fuzz.sh): clang with libFuzzer and the sanitizer runtimes
  clang libclang-rt-14-dev
  # used by the demo, the kernel tests and the benchmark, never by topo itself
  iproute2 iputils-ping util-linux nftables iptables curl python3 time
  # the etcd tests' certificates (tests/kernel/etcd_server.cpp)
  openssl
  # systemd-analyze, which checks systemd/topo.service in the tests
  systemd
  # the tests run the generated man page through groff and the completions
  # through the shells they are for (tests/unit/cli_definition_test.cpp)
  groff-base zsh fish
  # the Debian package (scripts/package.sh, ctest DebianPackage): cpack's DEB
  # generator reads Depends from dpkg-shlibdeps (dpkg-dev); lintian checks
  # the result (scripts/package.sh --lintian)
  dpkg-dev lintian
  # the etcd the cluster-mode tests start inside their sandbox, and etcdctl;
  # never a service of this machine (see no_service_starts below)
  etcd-server etcd-client
)
if [[ "${1:-}" == vm ]]; then
  # Debian's stock kernel booted under qemu, its root this machine's file
  # system over 9p. The kernel package only drops files into /boot and
  # /lib/modules (and builds an initrd nobody boots): it installs no bootloader.
  packages+=(qemu-system-x86 linux-image-amd64 busybox-static cpio kmod)
elif (($#)); then
  echo "usage: $0 [vm]" >&2
  exit 2
fi

missing=()
for p in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null || true)
  [[ "$status" == installed ]] || missing+=("$p")
done

if ((${#missing[@]} == 0)); then
  echo "setup: all ${#packages[@]} packages already installed"
  exit 0
fi

echo "setup: installing ${missing[*]}"
sudo_cmd=()
if ((EUID != 0)); then
  command -v sudo >/dev/null || { echo "setup: run as root (sudo not found)" >&2; exit 1; }
  sudo_cmd=(sudo)
fi
export DEBIAN_FRONTEND=noninteractive

# Debian's etcd-server starts an etcd on this machine's network (2379/2380)
# when installed. The tests start their own inside a sandbox, so no package
# may start a service: a policy-rc.d that exits 101 tells invoke-rc.d (and
# deb-systemd-invoke) "not allowed". Written only when none exists (a
# container image often has one already), and removed again afterwards.
policy=/usr/sbin/policy-rc.d
wrote_policy=0
restore_policy() {
  if ((wrote_policy)); then "${sudo_cmd[@]}" rm -f "$policy"; fi
}
trap restore_policy EXIT
if [[ ! -e "$policy" ]]; then
  printf '#!/bin/sh\n# scripts/setup.sh (topo): no service starts while it installs\nexit 101\n' |
    "${sudo_cmd[@]}" tee "$policy" >/dev/null
  "${sudo_cmd[@]}" chmod 0755 "$policy"
  wrote_policy=1
fi

"${sudo_cmd[@]}" apt-get update
"${sudo_cmd[@]}" apt-get install -y --no-install-recommends "${missing[@]}"

# etcd is a test tool here, never a service: keep the unit from starting at
# boot (when systemd runs at all; in a container it often does not), and
# make sure nothing of the package runs or listens on etcd's ports.
if [[ " ${missing[*]} " == *" etcd-server "* ]]; then
  # disable and mask work on the unit files, so also where systemd does not
  # run now (a container) but might at the next boot. `systemctl unmask
  # etcd.service` undoes it for whoever wants Debian's etcd service.
  if command -v systemctl >/dev/null; then
    if [[ -d /run/systemd/system ]]; then
      "${sudo_cmd[@]}" systemctl stop etcd.service 2>/dev/null || true
    fi
    "${sudo_cmd[@]}" systemctl disable etcd.service >/dev/null 2>&1 || true
    "${sudo_cmd[@]}" systemctl mask etcd.service >/dev/null 2>&1 || true
    echo "setup: etcd.service disabled and masked (the tests start their own etcd in a sandbox)"
  fi
  # The package's daemon runs as the user etcd; only its processes are
  # stopped, by pid (a test's etcd, in its sandbox, runs as root).
  pkg_pids=$(pgrep -x -u etcd etcd 2>/dev/null | tr '\n' ' ' || true)
  if [[ -n "${pkg_pids// /}" ]]; then
    echo "setup: WARNING: the etcd-server package started etcd (pids $pkg_pids) on this machine's network; stopping it" >&2
    # shellcheck disable=SC2086
    "${sudo_cmd[@]}" kill -TERM $pkg_pids 2>/dev/null || true
    sleep 2
    # shellcheck disable=SC2086
    "${sudo_cmd[@]}" kill -KILL $pkg_pids 2>/dev/null || true
  fi
  if ss -Hltn 'sport = :2379 or sport = :2380' 2>/dev/null | grep -q .; then
    echo "setup: WARNING: something listens on port 2379 or 2380 of this machine" >&2
  fi
fi
