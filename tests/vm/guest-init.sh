#!/bin/bash
# PID 1 of the guest, after the initramfs switched root to this machine's
# file system (read-only 9p; /run, /tmp, /var/tmp are tmpfs). Runs the job the
# host wrote into the job share (/run/topo-vm/run, see tests/vm/run.sh) with
# its output on the serial console, leaves its exit status in
# /run/topo-vm/rc for the host, and powers the guest off.
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export HOME=/tmp LANG=C.UTF-8 TERM=dumb
job=/run/topo-vm
exec </dev/null >/dev/console 2>&1

read -r up _ </proc/uptime
echo "topo-vm: guest up after ${up}s of kernel uptime: $(uname -r)"
hostname topo-vm
ip link set lo up

# Not exec: as PID 1 this shell must outlive the job, reap its orphans and
# then power off; if it exited the kernel would panic.
bash "$job/run"
rc=$?
echo "$rc" >"$job/rc.tmp" && mv "$job/rc.tmp" "$job/rc"
sync
umount "$job" 2>/dev/null
echo "topo-vm: job exited with status $rc"
/bin/busybox poweroff -f
echo o >/proc/sysrq-trigger
sleep 60
