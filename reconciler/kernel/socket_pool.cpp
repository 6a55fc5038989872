#include "reconciler/kernel/socket_pool.hpp"

#include <fcntl.h>

#include <algorithm>
#include <linux/netlink.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include "reconciler/kernel/errors.hpp"
#include "reconciler/kernel/netns.hpp"
#include "reconciler/kernel/netns_switch.hpp"

namespace topo {

nl::Socket open_route_socket(bool large) {
  nl::Socket sock(nl_socket_alloc());
  if (!sock) nl::throw_errno("netlink socket", "route", ENOMEM);
  if (int r = nl_connect(sock.get(), NETLINK_ROUTE); r < 0) nl::throw_nl("netlink connect", "route", r);
  // Acks are matched to their request by sequence number (request.cpp);
  // libnl's strict in-order check would wedge the socket after one failed send.
  nl_socket_disable_seq_check(sock.get());
  if (large) nl_socket_set_buffer_size(sock.get(), 1 << 20, 1 << 20);
  nl_socket_set_msg_buf_size(sock.get(), 32768);
  // Ask for the kernel's error text; older kernels ignore it.
  const int on = 1;
  ::setsockopt(nl_socket_get_fd(sock.get()), SOL_NETLINK, NETLINK_EXT_ACK, &on, sizeof on);
  // Let dumps ask the kernel to filter (the route dump: the main table only,
  // read/dumps.cpp); older kernels (before 4.20) ignore the option and dump
  // everything. Strict checking refuses malformed get requests (rtgenmsg-only
  // address dumps, unknown attributes): every request on these sockets is
  // written with its full family header.
  ::setsockopt(nl_socket_get_fd(sock.get()), SOL_NETLINK, NETLINK_GET_STRICT_CHK, &on, sizeof on);
  return sock;
}

SocketPool::SocketPool(std::string netns_dir)
    : dir_(std::move(netns_dir)), origin_(::open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC)) {
  if (!origin_) nl::throw_errno("open netns", "/proc/thread-self/ns/net", errno);
  host_ = open_route_socket();
}

nl_sock* SocketPool::get(const std::string& ns) {
  if (ns.empty()) return host_.get();
  const std::string p = path(ns);
  {
    std::lock_guard lock(mu_);
    auto it = by_ns_.find(ns);
    if (it != by_ns_.end()) {
      // A namespace removed and made again under the same name is a new one.
      const unsigned long ino = netns::inode(p);
      if (it->second.inode == ino && ino != 0) return it->second.sock.get();
      by_ns_.erase(it);
    }
  }

  // Entering the namespace and opening the socket, outside the lock: other
  // threads do the same for other namespaces meanwhile. The inode comes
  // from the namespace opened, not from a second lookup of its path.
  Fd target = netns::open(p);
  struct stat st {};
  const unsigned long ino = ::fstat(target.get(), &st) == 0 ? st.st_ino : 0;
  nl::Socket sock;
  {
    ScopedNetns in(target.get(), origin_.get(), p);
    sock = open_route_socket(false);
  }
  nl_sock* raw = sock.get();
  std::lock_guard lock(mu_);
  by_ns_[ns] = Entry{std::move(sock), ino};
  return raw;
}

int SocketPool::sysctl_dir(const std::string& ns, const std::string& first) {
  const std::string dir = "/proc/sys/net/" + first;
  constexpr int kFlags = O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC;
  if (ns.empty()) {
    Fd& fd = host_sysctl_dirs_[first];
    if (!fd) fd.reset(::open(dir.c_str(), kFlags));
    return fd.get();
  }
  constexpr std::size_t kKept = 8;
  const unsigned long ino = netns::inode(path(ns));
  auto it = std::find_if(sysctl_dirs_.begin(), sysctl_dirs_.end(),
                         [&](const SysctlDir& d) { return d.ns == ns && d.first == first; });
  if (it != sysctl_dirs_.end() && it->inode == ino && ino != 0) return it->fd.get();
  if (it != sysctl_dirs_.end()) sysctl_dirs_.erase(it);
  if (sysctl_dirs_.size() >= kKept) sysctl_dirs_.erase(sysctl_dirs_.begin());
  Fd target = netns::open(path(ns));
  const int proc = proc_.for_next_namespace();
  if (proc < 0) return -1;
  Fd fd;
  {
    ScopedNetns in(target.get(), origin_.get(), path(ns));
    fd.reset(::openat(proc, ("sys/net/" + first).c_str(), kFlags));
  }
  if (!fd) return -1;
  sysctl_dirs_.push_back(SysctlDir{ns, first, ino, std::move(fd)});
  return sysctl_dirs_.back().fd.get();
}

void SocketPool::drop_sysctl_dir(const std::string& ns, const std::string& first) {
  std::erase_if(sysctl_dirs_, [&](const SysctlDir& d) { return d.ns == ns && d.first == first; });
}

void SocketPool::forget(const std::string& ns) {
  by_ns_.erase(ns);
  std::erase_if(sysctl_dirs_, [&](const SysctlDir& d) { return d.ns == ns; });
}

void SocketPool::release(const std::string& ns) {
  auto it = by_ns_.find(ns);
  if (it == by_ns_.end()) return;
  released_.push_back(std::move(it->second.sock));
  by_ns_.erase(it);
  std::erase_if(sysctl_dirs_, [&](const SysctlDir& d) { return d.ns == ns; });
}

void SocketPool::retain(const std::set<std::string>& keep) {
  std::erase_if(by_ns_, [&](const auto& e) { return !keep.count(e.first); });
  std::erase_if(sysctl_dirs_, [&](const SysctlDir& d) { return !keep.count(d.ns); });
}

}  // namespace topo
