#!/usr/bin/env bash
# Unpacks the ELF kernel (vmlinux) from a compressed bzImage, so that qemu
# boots it directly through its PVH entry point (the kernel needs CONFIG_PVH,
# which Debian's has). Under software emulation the bzImage spends about six
# seconds decompressing itself; this does it once, natively.
#   tests/vm/extract-vmlinux.sh /boot/vmlinuz-VERSION OUTPUT
# Exits non-zero when the image holds no ELF with a PVH note; the caller then
# boots the bzImage as it is.
set -euo pipefail
(($# == 2)) || { echo "usage: $0 BZIMAGE OUTPUT" >&2; exit 2; }
image=$1 out=$2
tmp=$(mktemp "$out.XXXXXX")
trap 'rm -f "$tmp"' EXIT

# Each compressor's magic, and the command that decompresses from it on; the
# first candidate that yields an ELF with a PVH entry note wins.
try() {
  local magic=$1; shift
  local off
  for off in $(LC_ALL=C grep -abo "$magic" "$image" 2>/dev/null | cut -d: -f1 | head -5); do
    # Trailing bytes after the stream make the decompressors complain; the
    # ELF check below judges the result.
    tail -c +$((off + 1)) "$image" | "$@" >"$tmp" 2>/dev/null || true
    if [[ "$(head -c 4 "$tmp")" == $'\x7fELF' ]] &&
       readelf -n "$tmp" 2>/dev/null | grep -q 'Unknown note type: (0x00000012)'; then
      return 0
    fi
  done
  return 1
}
try $'\xfd7zXZ\x00' xz -dc ||
  try $'\x28\xb5\x2f\xfd' zstd -qdc ||
  try $'\x1f\x8b\x08' gzip -dc ||
  { echo "extract-vmlinux.sh: no ELF kernel with a PVH entry found in $image" >&2; exit 1; }
chmod 0644 "$tmp"
mv "$tmp" "$out"
trap - EXIT
