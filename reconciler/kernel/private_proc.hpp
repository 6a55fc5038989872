#pragma once
// A procfs of topo's own, mounted nowhere, to open namespaces' settings from.
//
// Every namespace's /proc/sys/net/<first> (ipv6, ipv4) is a dentry of the
// same name under the one /proc/sys/net of a procfs, so the dentry cache
// hashes them into one chain, and each lookup compares against every
// namespace that was ever looked up through that procfs (proc_sys_compare).
// Through the host's /proc the chain only grows: at 3000 namespaces one
// setting each took 2.8 s, at 10 000 about 30 s of a cold apply, growing with
// the square of the count (README "Performance"). A procfs made with
// fsopen(2) has a dentry cache of its own and goes away with its last
// descriptor; renewed every few dozen namespaces, its chains stay short
// (0.09 s for the same 3000). It is never attached to any mount table.
#include "reconciler/fsutil/fd.hpp"

namespace topo {

class PrivateProc {
 public:
  // Namespaces looked up through one procfs before a new one is made:
  // making one costs about as much as a lookup through ~500 entries.
  static constexpr int kNamespacesPerMount = 32;

  // A directory fd of a procfs root ("sys/net/..." below it) for the next
  // namespace's lookup. /proc itself when the kernel has no fsopen or
  // refuses a procfs of topo's own (no CAP_SYS_ADMIN, a seccomp filter):
  // slower, the same answers. -1 (errno set) when not even /proc opens.
  int for_next_namespace();
  // Whether for_next_namespace() gives a procfs of topo's own.
  bool is_private() const { return static_cast<bool>(mount_); }

 private:
  Fd mount_;  // none once refused: the kernel is not asked again
  Fd fallback_;
  int uses_ = 0;
  bool refused_ = false;
};

}  // namespace topo
