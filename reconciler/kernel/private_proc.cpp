#include "reconciler/kernel/private_proc.hpp"

#include <fcntl.h>
#include <linux/mount.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>

namespace topo {

namespace {

// fsopen/fsconfig/fsmount through syscall(2): glibc's <sys/mount.h>
// declares them only from 2.36 and clashes with <linux/mount.h> before it.
Fd make_procfs() {
  Fd fs(static_cast<int>(::syscall(SYS_fsopen, "proc", FSOPEN_CLOEXEC)));
  if (!fs) return Fd();
  if (::syscall(SYS_fsconfig, fs.get(), FSCONFIG_CMD_CREATE, nullptr, nullptr, 0) < 0) return Fd();
  return Fd(static_cast<int>(::syscall(SYS_fsmount, fs.get(), FSMOUNT_CLOEXEC,
                                       MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC)));
}

}  // namespace

int PrivateProc::for_next_namespace() {
  if (!refused_ && (!mount_ || uses_ >= kNamespacesPerMount)) {
    // The old one lives on while a settings directory opened through it is
    // still open (SocketPool keeps a few), and goes with the last of them.
    mount_ = make_procfs();
    uses_ = 0;
    refused_ = !mount_;
  }
  if (mount_) {
    ++uses_;
    return mount_.get();
  }
  if (!fallback_) fallback_.reset(::open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  return fallback_.get();
}

}  // namespace topo
