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
  # the fuzzer (scripts/fuzz.sh): clang with libFuzzer and the sanitizer runtimes
  clang libclang-rt-14-dev
  # used by the demo, the kernel tests and the benchmark, never by topo itself
  iproute2 iputils-ping util-linux nftables iptables curl python3 time
  # systemd-analyze, which checks systemd/topo.service in the tests
  systemd
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
"${sudo_cmd[@]}" apt-get update
"${sudo_cmd[@]}" apt-get install -y --no-install-recommends "${missing[@]}"
