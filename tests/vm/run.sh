#!/usr/bin/env bash
# Runs one command inside a guest booted from Debian's stock kernel
# (linux-image-amd64) under qemu, and exits with the command's exit status.
# The guest's root is this machine's root file system, shared read-only over
# 9p/virtio, so the command sees the same tools and build tree at the same
# paths; /run, /tmp and /var/tmp are tmpfs in the guest, so nothing it does
# reaches this machine. Output comes back over the serial console.
#   tests/vm/run.sh COMMAND [ARG...]      (runs in the current directory)
# The repo (and TOPO_BUILD_DIR) are shared again on their own, read-only, at
# the same paths: a clone under /tmp would otherwise be hidden by the
# guest's tmpfs.
# Environment:
#   TOPO_VM_KERNEL   guest kernel version (default: the one linux-image-amd64 depends on)
#   TOPO_VM_KVM=1    use KVM instead of software emulation (TCG, the default)
#   TOPO_VM_CPUS     guest CPUs (default 2)       TOPO_VM_MEM  MiB (default 2048)
#   TOPO_VM_TIMEOUT  seconds before the guest is killed (default 3600)
#   TOPO_VM_KCMD     kernel parameters instead of `quiet` (loglevel=7 shows the whole boot)
#   TOPO_VM_DIR      where the initramfs is built (default $TOPO_BUILD_DIR/vm or build/vm)
# Exit status: the command's; 125 when the guest could not run it.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
die() { echo "vm/run.sh: $*" >&2; exit 125; }
(($#)) || die "usage: $0 COMMAND [ARG...]"
((EUID == 0)) || die "run as root (qemu must read the whole root file system to share it)"
qemu=$(command -v qemu-system-x86_64) || die "qemu-system-x86_64 not found (scripts/setup.sh vm installs it)"

kver=${TOPO_VM_KERNEL:-}
if [[ -z "$kver" ]]; then
  # "linux-image-6.1.0-56-amd64 (= 6.1.192-2)" -> 6.1.0-56-amd64
  dep=$(dpkg-query -W -f='${Depends}' linux-image-amd64 2>/dev/null) \
    || die "linux-image-amd64 is not installed (scripts/setup.sh vm installs it)"
  kver=$(sed -n 's/^linux-image-\([^ ,]*\).*/\1/p' <<<"$dep")
fi
kernel=/boot/vmlinuz-$kver
[[ -r "$kernel" ]] || die "$kernel not found"

vm_dir=${TOPO_VM_DIR:-${TOPO_BUILD_DIR:-$root/build}/vm}
initramfs=$vm_dir/initramfs-$kver.cpio.gz
"$here/build-initramfs.sh" "$kver" "$initramfs" >/dev/null
# The kernel unpacked once here boots in a second instead of seven.
boot_image=$vm_dir/vmlinux-$kver
if [[ ! -s "$boot_image" || "$kernel" -nt "$boot_image" ]]; then
  "$here/extract-vmlinux.sh" "$kernel" "$boot_image" || boot_image=$kernel
fi

# qemu64 rather than max: glibc then takes no AVX paths, which TCG emulates slowly.
accel=(-accel tcg -cpu qemu64)
[[ "${TOPO_VM_KVM:-0}" == 1 ]] && accel=(-accel kvm -cpu host)

# The job share: the command goes in, its exit status comes back.
job=$(mktemp -d "${TMPDIR:-/tmp}/topo-vm-job.XXXXXX")
trap 'rm -rf "$job"' EXIT
{
  echo "cd $(printf '%q' "$PWD") || exit 125"
  printf 'exec'; printf ' %q' "$@"; echo
} >"$job/run"

# Directories mounted again over the guest's tmpfs: at most the repo and
# the build tree (when it is not inside the repo); the guest's init mounts
# share "extraN" at the path topo.extraN= names.
extra_shares=() extra_cmdline=""
add_extra() {
  local n=$((${#extra_shares[@]} / 4))
  extra_shares+=(-fsdev "local,id=extra$n,path=$1,security_model=none,readonly=on,multidevs=remap"
    -device "virtio-9p-pci,fsdev=extra$n,mount_tag=extra$n")
  extra_cmdline+=" topo.extra$n=$1"
}
add_extra "$root"
build_dir=$(realpath -m "${TOPO_BUILD_DIR:-$root/build}")
[[ "$build_dir/" == "$root/"* || ! -d "$build_dir" ]] || add_extra "$build_dir"

# qboot (qemu's minimal firmware, in qemu-system-data) only loads the kernel:
# no BIOS POST under emulation.
start=$(date +%s%N)
set +e
# stdin is not the terminal, so qemu leaves it alone; the \r the serial line
# adds is dropped, line by line (sed -u) so that a CI log shows progress.
timeout --kill-after=10 "${TOPO_VM_TIMEOUT:-3600}" "$qemu" \
  -nodefaults -no-user-config -no-reboot -display none \
  -M q35 -bios qboot.rom "${accel[@]}" -smp "${TOPO_VM_CPUS:-2}" -m "${TOPO_VM_MEM:-2048}" \
  -kernel "$boot_image" -initrd "$initramfs" \
  -append "console=ttyS0 ${TOPO_VM_KCMD:-quiet} panic=-1 topo.init=$here/guest-init.sh$extra_cmdline" \
  -serial stdio \
  -fsdev local,id=rootfs,path=/,security_model=none,readonly=on,multidevs=remap \
  -device virtio-9p-pci,fsdev=rootfs,mount_tag=rootfs \
  -fsdev local,id=job,path="$job",security_model=none \
  -device virtio-9p-pci,fsdev=job,mount_tag=job \
  "${extra_shares[@]}" \
  </dev/null | sed -u 's/\r//g'
status=("${PIPESTATUS[@]}")
set -e
echo  # the console's last line ("reboot: Power down") has no newline
ms=$((($(date +%s%N) - start) / 1000000))
elapsed=$((ms / 1000)).$(printf %03d $((ms % 1000)))
((status[0] == 124 || status[0] == 137)) && die "the guest did not finish within ${TOPO_VM_TIMEOUT:-3600}s"
((status[0] == 0)) || die "qemu failed with status ${status[0]}"
[[ -s "$job/rc" ]] || die "the guest reported no exit status (it did not boot or the job share failed; see the console above)"
rc=$(<"$job/rc")
echo "vm/run.sh: guest $kver ran the command in ${elapsed}s (boot included); exit status $rc" >&2
exit "$rc"
