#!/usr/bin/env bash
# Builds the guest's initramfs: busybox-static, the modules that let the
# guest kernel reach its root over 9p/virtio (with their dependencies, in load
# order, decompressed when the package ships them compressed, since busybox
# insmod takes plain .ko files), and tests/vm/initramfs-init as /init.
#   tests/vm/build-initramfs.sh KERNEL_VERSION OUTPUT.cpio.gz
# Everything else the guest needs (its other modules, every tool, the build
# tree) it reads from this machine's root, shared read-only.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
die() { echo "build-initramfs.sh: $*" >&2; exit 1; }
(($# == 2)) || die "usage: $0 KERNEL_VERSION OUTPUT.cpio.gz"
kver=$1 out=$2
busybox=/bin/busybox
[[ -x "$busybox" && "$("$busybox" --list 2>/dev/null)" == *switch_root* ]] \
  || die "$busybox is missing or is not busybox-static (scripts/setup.sh vm installs it)"
[[ -d "/lib/modules/$kver" ]] || die "/lib/modules/$kver not found (is the kernel package installed?)"
command -v cpio >/dev/null || die "cpio not found (scripts/setup.sh vm installs it)"

# virtio_pci: the transport; 9pnet_virtio + 9p: the root file system.
modules=(virtio_pci 9pnet_virtio 9p)

stage=$(mktemp -d "${TMPDIR:-/tmp}/topo-vm-initramfs.XXXXXX")
trap 'rm -rf "$stage"' EXIT
mkdir -p "$stage"/{bin,dev,proc,sys,newroot,modules}
cp "$busybox" "$stage/bin/busybox"
for applet in sh mount umount mkdir insmod switch_root cat sleep echo poweroff; do
  ln -s busybox "$stage/bin/$applet"
done
install -m 0755 "$here/initramfs-init" "$stage/init"

# modprobe --show-depends prints the insmod lines in load order, built-ins as
# "builtin NAME"; a module already listed (shared dependency) is loaded once.
declare -A seen=()
n=0
for m in "${modules[@]}"; do
  deps=$(modprobe -S "$kver" --show-depends "$m") || die "modprobe cannot resolve $m for $kver"
  while read -r verb path _; do
    [[ "$verb" == insmod && -z "${seen[$path]:-}" ]] || continue
    seen[$path]=1
    base=$(basename "$path")
    dest="$stage/modules/$(printf '%02d' "$n")-${base%%.ko*}.ko"
    case "$path" in
      *.ko) cp "$path" "$dest" ;;
      *.ko.xz) xz -dc "$path" >"$dest" ;;
      *.ko.zst) zstd -qdc "$path" >"$dest" ;;
      *.ko.gz) gzip -dc "$path" >"$dest" ;;
      *) die "unknown module format: $path" ;;
    esac
    n=$((n + 1))
  done <<<"$deps"
done
((n > 0)) || die "no modules found for ${modules[*]} (all built in?)"

mkdir -p "$(dirname "$out")"
# A temporary name of its own, so that two runs building at once never mix.
tmp=$(mktemp "$out.XXXXXX")
(cd "$stage" && find . -print0 | LC_ALL=C sort -z | cpio --null -o -H newc --quiet -R 0:0) \
  | gzip -1 >"$tmp"
chmod 0644 "$tmp"
mv "$tmp" "$out"
echo "build-initramfs.sh: $out ($n modules for $kver)"
