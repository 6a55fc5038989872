#pragma once
// Netlink multicast subscriptions that tell the controller the kernel moved:
// rtnetlink (links, IPv4/IPv6 addresses and routes, neighbours incl. bridge
// FDB, netconf: forwarding switched off by someone else) in the host
// namespace and inside every managed namespace, nftables changes in the host
// namespace, and inotify on the netns dir. Each event is judged against the
// model in force (event_scope.hpp): ignored, a focused pass over the
// containers it concerns, or a full pass.
//
// A netlink socket holds a reference on its namespace, so a subscription
// must never outlive the namespace's mount: namespace sockets are closed
// before every pass (which may remove namespaces) and whenever the netns dir
// changes, and reopened after the pass for the namespaces then managed.
#include <map>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "reconciler/fsutil/fd.hpp"
#include "reconciler/watcher/event_scope.hpp"

namespace topo::watcher {

class KernelEvents {
 public:
  // `rcvbuf`: the receive buffer of every subscription; 0 = 4 MiB. Tests
  // make it tiny (TOPO_TEST_EVENT_RCVBUF) to overrun one on purpose.
  explicit KernelEvents(std::string netns_dir, int rcvbuf = 0);  // throws std::runtime_error

  void drop_namespaces();
  // Only these (a focused pass may remake them).
  void drop_namespaces(const std::set<std::string>& names);
  void subscribe_namespaces(const std::vector<std::string>& names);

  // Sets aside the subscriptions whose namespace is gone or was replaced:
  // they stay open, so their numbers are not reused, until the loop has
  // forgotten them (stale_fds) and calls close_stale().
  void prune();
  std::vector<int> stale_fds() const;
  void close_stale() { stale_.clear(); }

  std::vector<int> fds() const;
  // The subscriptions of these namespaces (all: every namespace's).
  std::vector<int> namespace_fds(const std::set<std::string>& names) const;
  std::vector<int> namespace_fds() const;
  struct Drained {
    Wake wake;                   // the pass the events ask for, if any
    bool overflow = false;       // ENOBUFS: events were lost (wake.full is set)
    bool netns_changed = false;  // the netns dir changed (subscriptions were pruned)
  };
  // Reads everything pending on one of fds() and judges it against `scope`.
  Drained drain(int fd, const EventScope& scope);
  size_t namespace_subscriptions() const { return namespaces_.size(); }

 private:
  struct Sub {
    Fd fd;
    unsigned long inode = 0;
  };
  void watch_netns_dir();
  Fd subscribe_rtnl(const std::string& what) const;
  void forget(std::map<std::string, Sub>::iterator it);

  std::string netns_dir_;
  int rcvbuf_;
  Fd origin_;  // this thread's own namespace, to come back to
  Fd host_, nft_, netns_inotify_;
  std::map<std::string, Sub> namespaces_;
  std::unordered_map<int, std::string> ns_of_fd_;
  std::vector<Sub> stale_;
  bool warned_fd_limit_ = false;
};

}  // namespace topo::watcher
