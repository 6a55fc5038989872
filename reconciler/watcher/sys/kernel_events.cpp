#include "reconciler/watcher/sys/kernel_events.hpp"

#include <linux/netfilter/nfnetlink.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <spdlog/spdlog.h>
#include <sys/inotify.h>
#include <sys/socket.h>

#include <cerrno>
#include <optional>
#include <cstring>
#include <stdexcept>

#include "reconciler/kernel/netns.hpp"
#include "reconciler/resources/firewall.hpp"
#include "reconciler/watcher/event_filter.hpp"
#include "reconciler/watcher/sys/netns_ids.hpp"

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
  // Every namespace's notifications arrive here: room for a burst of them.
  host_ = subscribe(NETLINK_ROUTE, kRtnlGroups, "the host namespace", rcvbuf_ > 0 ? rcvbuf_ : 16 << 20);
  ids_ = netns_id_socket();
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

void KernelEvents::listen_to_all(bool on) {
  const int v = on ? 1 : 0;
  if (::setsockopt(host_.get(), SOL_NETLINK, NETLINK_LISTEN_ALL_NSID, &v, sizeof v) != 0 && on)
    spdlog::warn("no events from the managed namespaces (NETLINK_LISTEN_ALL_NSID: {}); drift there is repaired at "
                 "the next resync",
                 std::strerror(errno));
}

void KernelEvents::forget(std::map<std::string, Sub>::iterator it) {
  if (auto id = ns_of_id_.find(it->second.id); id != ns_of_id_.end() && id->second == it->first) ns_of_id_.erase(id);
  namespaces_.erase(it);
}

void KernelEvents::drop_namespaces() {
  // The ids stay known: subscribe_namespaces() asks again only for the
  // namespaces the pass replaced (at 10 000 containers, 20 000 requests
  // after every full pass otherwise).
  listen_to_all(false);
}

void KernelEvents::drop_namespaces(const std::set<std::string>& names) {
  for (const auto& name : names)
    if (auto it = namespaces_.find(name); it != namespaces_.end()) forget(it);
}

void KernelEvents::subscribe_namespaces(const std::vector<std::string>& names) {
  watch_netns_dir();
  prune();  // gone or replaced meanwhile: their ids are no longer theirs
  for (const auto& name : names) {
    if (namespaces_.count(name)) continue;
    const std::string path = netns_dir_ + "/" + name;
    try {
      Fd ns = netns::open(path);
      Sub sub;
      sub.inode = netns::inode(path);
      sub.id = netns_id(ids_.get(), ns.get());
      if (sub.id < 0) {
        if (!warned_no_id_)
          spdlog::warn("no events from namespace {}: the kernel gives it no id; drift there is repaired at the "
                       "next resync",
                       name);
        warned_no_id_ = true;
        continue;
      }
      ns_of_id_[sub.id] = name;
      namespaces_.emplace(name, sub);
    } catch (const std::exception& e) {
      // Missing or unenterable: the next pass sees why; nothing to hear meanwhile.
      spdlog::debug("no events from namespace {}: {}", name, e.what());
    }
  }
  listen_to_all(true);
}

void KernelEvents::prune() {
  for (auto it = namespaces_.begin(); it != namespaces_.end();) {
    const unsigned long now = netns::inode(netns_dir_ + "/" + it->first);
    if (now != 0 && now == it->second.inode) {
      ++it;
      continue;
    }
    // Its id may go to a new namespace: never to be taken for this one.
    spdlog::debug("namespace {} is gone or replaced; no longer heard", it->first);
    auto gone = it++;
    forget(gone);
  }
}

std::vector<int> KernelEvents::fds() const {
  std::vector<int> out{host_.get(), netns_inotify_.get()};
  if (nft_) out.push_back(nft_.get());
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
  // Each datagram's namespace: the id in its control message (none: the
  // host's own).
  alignas(cmsghdr) char control[CMSG_SPACE(sizeof(int))];
  for (;;) {
    iovec iov{buf, sizeof buf};
    msghdr msg{};
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    msg.msg_control = control;
    msg.msg_controllen = sizeof control;
    ssize_t n = ::recvmsg(fd, &msg, MSG_DONTWAIT);
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
    std::optional<int> id;
    for (cmsghdr* c = CMSG_FIRSTHDR(&msg); c; c = CMSG_NXTHDR(&msg, c))
      if (c->cmsg_level == SOL_NETLINK && c->cmsg_type == NETLINK_LISTEN_ALL_NSID && c->cmsg_len >= CMSG_LEN(sizeof(int))) {
        int v;
        std::memcpy(&v, CMSG_DATA(c), sizeof v);
        id = v;
      }
    const std::string* ns = nullptr;
    if (id) {
      auto it = ns_of_id_.find(*id);
      if (it == ns_of_id_.end()) continue;  // someone else's namespace, or one a pass holds
      ns = &it->second;
    }
    for (const KernelEvent& e : rtnl_events(buf, static_cast<size_t>(n))) {
      Wake w;
      if (!ns) {
        w = scope.in_host(e, [](int index) {
          char name[IF_NAMESIZE] = {};
          return std::string(::if_indextoname(static_cast<unsigned>(index), name) ? name : "");
        });
      } else {
        w = scope.in_namespace(*ns, e);
      }
      if (w.any() && spdlog::should_log(spdlog::level::debug))
        spdlog::debug("event: {} {} in {}: {}", describe(e), e.deleted ? "gone" : "changed",
                      ns ? "netns " + *ns : std::string("the host namespace"), describe(w));
      d.wake.merge(w);
    }
  }
  return d;
}

}  // namespace topo::watcher
