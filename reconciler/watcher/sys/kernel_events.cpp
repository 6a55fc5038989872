#include "reconciler/watcher/sys/kernel_events.hpp"

#include <fcntl.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <spdlog/spdlog.h>
#include <sys/inotify.h>
#include <sys/socket.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

#include "reconciler/kernel/netns.hpp"
#include "reconciler/kernel/netns_switch.hpp"
#include "reconciler/resources/firewall.hpp"
#include "reconciler/watcher/event_filter.hpp"

namespace topo::watcher {

namespace {

// Netconf has no RTMGRP_ constant; its group numbers fit the bind mask.
constexpr unsigned group_bit(unsigned group) { return 1u << (group - 1); }
constexpr unsigned kRtnlGroups = RTMGRP_LINK | RTMGRP_IPV4_IFADDR | RTMGRP_IPV6_IFADDR | RTMGRP_IPV4_ROUTE |
                                 RTMGRP_IPV6_ROUTE | RTMGRP_NEIGH | group_bit(RTNLGRP_IPV4_NETCONF) |
                                 group_bit(RTNLGRP_IPV6_NETCONF);

// A non-blocking socket subscribed to `groups`, in the calling thread's namespace.
Fd subscribe(int protocol, unsigned groups, const std::string& what, int rcvbuf) {
  Fd fd(::socket(AF_NETLINK, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, protocol));
  if (!fd) throw std::runtime_error("netlink socket for " + what + ": " + std::strerror(errno));
  // A large buffer makes ENOBUFS (lost events) rare; root may exceed rmem_max.
  int size = rcvbuf > 0 ? rcvbuf : 4 << 20;
  if (::setsockopt(fd.get(), SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof size) != 0)
    ::setsockopt(fd.get(), SOL_SOCKET, SO_RCVBUF, &size, sizeof size);
  sockaddr_nl addr{};
  addr.nl_family = AF_NETLINK;
  addr.nl_groups = groups;
  if (::bind(fd.get(), reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0)
    throw std::runtime_error("netlink subscribe for " + what + ": " + std::strerror(errno));
  return fd;
}

}  // namespace

KernelEvents::KernelEvents(std::string netns_dir, int rcvbuf) : netns_dir_(std::move(netns_dir)), rcvbuf_(rcvbuf) {
  origin_.reset(::open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC));
  if (!origin_) throw std::runtime_error(std::string("open /proc/thread-self/ns/net: ") + std::strerror(errno));
  host_ = subscribe_rtnl("the host namespace");
  try {
    nft_ = subscribe(NETLINK_NETFILTER, 1u << (NFNLGRP_NFTABLES - 1), "nftables", rcvbuf_);
  } catch (const std::exception& e) {
    // Without nf_tables there are no tables of topo's to watch; the resync still runs.
    spdlog::debug("{}; nftables changes are seen at the next resync", e.what());
  }
  netns_inotify_.reset(::inotify_init1(IN_NONBLOCK | IN_CLOEXEC));
  if (!netns_inotify_) throw std::runtime_error(std::string("inotify_init1: ") + std::strerror(errno));
  watch_netns_dir();
}

void KernelEvents::watch_netns_dir() {
  // The dir may appear only with the first namespace; re-adding an existing watch is harmless.
  ::inotify_add_watch(netns_inotify_.get(), netns_dir_.c_str(), IN_CREATE | IN_DELETE | IN_MOVED_FROM | IN_MOVED_TO);
}

Fd KernelEvents::subscribe_rtnl(const std::string& what) const {
  return subscribe(NETLINK_ROUTE, kRtnlGroups, what, rcvbuf_);
}

void KernelEvents::forget(std::map<std::string, Sub>::iterator it) {
  ns_of_fd_.erase(it->second.fd.get());
  namespaces_.erase(it);
}

void KernelEvents::drop_namespaces() {
  namespaces_.clear();
  ns_of_fd_.clear();
}

void KernelEvents::drop_namespaces(const std::set<std::string>& names) {
  for (const auto& name : names)
    if (auto it = namespaces_.find(name); it != namespaces_.end()) forget(it);
}

void KernelEvents::subscribe_namespaces(const std::vector<std::string>& names) {
  watch_netns_dir();
  for (const auto& name : names) {
    if (namespaces_.count(name)) continue;
    std::string path = netns_dir_ + "/" + name;
    try {
      Fd ns = netns::open(path);
      Sub sub;
      sub.inode = netns::inode(path);
      {
        ScopedNetns in(ns.get(), origin_.get(), "subscribe to " + path);
        sub.fd = subscribe_rtnl("namespace " + name);
      }
      ns_of_fd_[sub.fd.get()] = name;
      namespaces_.emplace(name, std::move(sub));
    } catch (const std::exception& e) {
      // Missing or unenterable: the next pass sees why; nothing to listen to
      // meanwhile. Out of descriptors: said once, the resync still repairs.
      if (errno == EMFILE && !warned_fd_limit_) {
        spdlog::warn("no events from namespace {} and the ones after it: {} (raise LimitNOFILE); drift there is "
                     "repaired at the next resync",
                     name, e.what());
        warned_fd_limit_ = true;
      }
      spdlog::debug("no events from namespace {}: {}", name, e.what());
    }
  }
}

void KernelEvents::prune() {
  for (auto it = namespaces_.begin(); it != namespaces_.end();) {
    unsigned long now = netns::inode(netns_dir_ + "/" + it->first);
    if (now == 0 || now != it->second.inode) {
      spdlog::debug("namespace {} is gone or replaced; dropping its subscription", it->first);
      ns_of_fd_.erase(it->second.fd.get());
      stale_.push_back(std::move(it->second));
      it = namespaces_.erase(it);
    } else {
      ++it;
    }
  }
}

std::vector<int> KernelEvents::stale_fds() const {
  std::vector<int> out;
  for (const Sub& s : stale_) out.push_back(s.fd.get());
  return out;
}

std::vector<int> KernelEvents::namespace_fds(const std::set<std::string>& names) const {
  std::vector<int> out;
  for (const auto& name : names)
    if (auto it = namespaces_.find(name); it != namespaces_.end()) out.push_back(it->second.fd.get());
  return out;
}

std::vector<int> KernelEvents::namespace_fds() const {
  std::vector<int> out;
  for (const auto& [name, sub] : namespaces_) out.push_back(sub.fd.get());
  return out;
}

std::vector<int> KernelEvents::fds() const {
  std::vector<int> out{host_.get(), netns_inotify_.get()};
  if (nft_) out.push_back(nft_.get());
  for (const auto& [name, sub] : namespaces_) out.push_back(sub.fd.get());
  return out;
}

KernelEvents::Drained KernelEvents::drain(int fd, const EventScope& scope) {
  Drained d;
  alignas(nlmsghdr) char buf[65536];
  if (fd == netns_inotify_.get()) {
    for (ssize_t n; (n = ::read(fd, buf, sizeof buf)) > 0;) {
      d.netns_changed = true;
      for (const char* p = buf; p < buf + n;) {
        const auto* ev = reinterpret_cast<const inotify_event*>(p);
        // IN_Q_OVERFLOW and the like name nothing: judged as an unknown entry.
        const std::string name = ev->len ? std::string(ev->name) : std::string(".");
        const Wake w = scope.netns_entry(name);
        if (w.any()) spdlog::debug("event: netns entry {} came or went: {}", name, describe(w));
        d.wake.merge(w);
        p += sizeof(inotify_event) + ev->len;
      }
    }
    if (d.netns_changed) prune();
    return d;
  }
  const bool nft = fd == nft_.get();
  const bool host = fd == host_.get();
  const auto ns = ns_of_fd_.find(fd);
  for (;;) {
    ssize_t n = ::recv(fd, buf, sizeof buf, MSG_DONTWAIT);
    if (n < 0) {
      if (errno == EINTR) continue;
      if (errno == ENOBUFS) {
        d.overflow = d.wake.full = true;
        continue;
      }
      if (errno != EAGAIN && errno != EWOULDBLOCK) d.wake.full = true;
      break;
    }
    if (n == 0) break;
    if (nft) {
      if (nft_batch_concerns(buf, static_cast<size_t>(n), firewall::kTableName)) {
        spdlog::debug("event: topo's nftables table changed: a full pass");
        d.wake.full = true;
      }
      continue;
    }
    for (const KernelEvent& e : rtnl_events(buf, static_cast<size_t>(n))) {
      Wake w;
      if (host) {
        w = scope.in_host(e, [](int index) {
          char name[IF_NAMESIZE] = {};
          return std::string(::if_indextoname(static_cast<unsigned>(index), name) ? name : "");
        });
      } else if (ns != ns_of_fd_.end()) {
        w = scope.in_namespace(ns->second, e);
      }
      if (w.any() && spdlog::should_log(spdlog::level::debug))
        spdlog::debug("event: {} {} in {}: {}", describe(e), e.deleted ? "gone" : "changed",
                      host ? "the host namespace" : ns != ns_of_fd_.end() ? "netns " + ns->second : "?", describe(w));
      d.wake.merge(w);
    }
  }
  return d;
}

}  // namespace topo::watcher
