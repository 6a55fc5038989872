#!/usr/bin/env bash
# Installs what building and testing topo needs on Debian 12. Idempotent: when
# every package is already installed it does not touch apt at all, so a second
# run is fast and works offline.
set -euo pipefail

packages=(
  build-essential cmake pkg-config
  libyaml-cpp-dev libnl-3-dev libnl-route-3-dev libnftnl-dev libmnl-dev
  libspdlog-dev libgtest-dev libvalijson-dev libcli11-dev nlohmann-json3-dev
  libsystemd-dev
  # the fuzzer (scripts/fuzz.sh): clang with libFuzzer and the sanitizer runtimes
  clang libclang-rt-14-dev
  # used by the demo, the kernel tests and the benchmark, never by topo itself
  iproute2 iputils-ping util-linux nftables curl python3
  # systemd-analyze, which checks systemd/topo.service in the tests
  systemd
)

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
