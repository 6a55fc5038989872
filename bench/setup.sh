#!/usr/bin/env bash
# Installs what the benchmark needs besides topo's own packages (those are
# scripts/setup.sh's): the CNI plugins it races against, gnuplot for the
# chart, GNU time for peak memory. Idempotent: nothing is asked of apt when
# everything is there.
set -euo pipefail
packages=(containernetworking-plugins gnuplot-nox time iproute2 iputils-ping python3)

missing=()
for p in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null || true)
  [[ "$status" == installed ]] || missing+=("$p")
done
((${#missing[@]})) || exit 0

echo "bench setup: installing ${missing[*]}"
sudo_cmd=()
((EUID == 0)) || sudo_cmd=(sudo)
export DEBIAN_FRONTEND=noninteractive
# Another apt may be running (unattended upgrades, a colleague): wait for it.
"${sudo_cmd[@]}" apt-get -o DPkg::Lock::Timeout=600 update
"${sudo_cmd[@]}" apt-get -o DPkg::Lock::Timeout=600 install -y --no-install-recommends "${missing[@]}"
