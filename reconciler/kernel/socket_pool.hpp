#pragma once
// One rtnetlink socket per namespace, kept for the life of the pool. A
// netlink socket stays bound to the namespace it was created in, so a socket
// opened once inside a namespace serves every later request there without
// switching the thread again.
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "reconciler/fsutil/fd.hpp"
#include "reconciler/kernel/nl_handles.hpp"
#include "reconciler/kernel/private_proc.hpp"

namespace topo {

// A connected NETLINK_ROUTE socket in the calling thread's namespace.
// `large`: 1 MiB buffers, for the host's dumps of thousands of links. A
// container's socket keeps libnl's (its dumps are a few links, and a dump
// waits for the reader anyway): two system calls less for each of a
// thousand namespaces a plan opens.
nl::Socket open_route_socket(bool large = true);

class SocketPool {
 public:
  // ns "" is the namespace the pool is created in; any other ns is
  // <netns_dir>/<ns>.
  explicit SocketPool(std::string netns_dir);

  // Throws KernelError if the namespace cannot be opened. get() may be
  // called from several threads at once (the observer's parallel reads),
  // for different namespaces; everything else from one thread only.
  nl_sock* get(const std::string& ns);
  // /proc/sys/net/<first> (e.g. ipv6) as the namespace sees it, opened by
  // a thread inside the namespace (/proc/sys resolves names in the caller's
  // namespace) through a procfs of topo's own (private_proc.hpp: through
  // the host's /proc, that lookup walks every namespace ever looked up).
  // Settings are opened relative to it. The last few are kept open: a namespace's settings
  // come one after another in a plan, and one descriptor per container would
  // double what a host of thousands needs. -1 (errno set) when the kernel has
  // no such directory.
  int sysctl_dir(const std::string& ns, const std::string& first);
  // Closes the kept directory of a namespace's <first>, so that the next
  // sysctl_dir() opens it afresh. A kept one is checked by the namespace's
  // inode only, and a namespace's inode number is reused once it is freed:
  // deleted and made again under the same name, a namespace may show the
  // inode the kept directory was opened under, whose every lookup now fails
  // with ENOENT (its settings were unregistered with it).
  void drop_sysctl_dir(const std::string& ns, const std::string& first);
  // Drops the socket of a namespace. Must be called before removing it:
  // the socket holds a reference that would keep the namespace (and its
  // links) alive.
  void forget(const std::string& ns);
  // Like forget(), but the socket is closed only by close_released(): closing
  // a netlink socket right before unmounting its namespace made each unmount
  // wait several milliseconds (the kernel's grace period), so a destroy
  // unmounts first and closes them all at once afterwards.
  void release(const std::string& ns);
  void close_released() { released_.clear(); }
  // Drops the sockets of every namespace not in `keep`: a cached socket
  // would keep a namespace that someone else deleted alive.
  void retain(const std::set<std::string>& keep);
  const std::string& netns_dir() const { return dir_; }
  // The namespace the pool was created in, to switch back to after a ScopedNetns.
  int origin_fd() const { return origin_.get(); }
  std::string path(const std::string& ns) const { return dir_ + "/" + ns; }

 private:
  struct Entry {
    nl::Socket sock;
    unsigned long inode = 0;  // of the namespace it was opened in
  };
  std::string dir_;
  Fd origin_;
  nl::Socket host_;
  std::map<std::string, Fd> host_sysctl_dirs_;
  struct SysctlDir {
    std::string ns, first;
    unsigned long inode = 0;  // of the namespace it was opened in
    Fd fd;
  };
  std::vector<SysctlDir> sysctl_dirs_;  // most recent last, a few at most
  PrivateProc proc_;  // what namespaces' settings directories are opened through
  std::mutex mu_;  // guards by_ns_ in get()
  std::map<std::string, Entry> by_ns_;
  std::vector<nl::Socket> released_;
};

}  // namespace topo
