#pragma once
// Netlink multicast subscriptions that tell the controller the kernel moved:
// rtnetlink (links, IPv4/IPv6 addresses and routes, neighbours incl. bridge
// FDB, netconf: forwarding switched off by someone else) in the host
// namespace and inside every managed namespace, nftables changes in the host
// namespace, and inotify on the netns dir. Events only
// wake the loop; nothing is decoded beyond the chatter filter.
//
// A netlink socket holds a reference on its namespace, so a subscription
// must never outlive the namespace's mount: namespace sockets are closed
// before every pass (which may remove namespaces) and whenever the netns dir
// changes, and reopened after the pass for the namespaces then managed.
#include <map>
#include <string>
#include <vector>

#include "reconciler/fsutil/fd.hpp"

namespace topo::watcher {

class KernelEvents {
 public:
  explicit KernelEvents(std::string netns_dir);  // throws std::runtime_error

  void drop_namespaces();
  void subscribe_namespaces(const std::vector<std::string>& names);
  // Closes subscriptions whose namespace is gone or was replaced.
  void prune();

  std::vector<int> fds() const;
  struct Drained {
    bool relevant = false;       // something topo may care about changed
    bool overflow = false;       // ENOBUFS: events were lost, a full resync is needed
    bool netns_changed = false;  // the netns dir changed (subscriptions were pruned)
  };
  // Reads everything pending on one of fds().
  Drained drain(int fd);
  // Reads and discards everything pending (the pass's own echoes).
  void discard_all();
  size_t namespace_subscriptions() const { return namespaces_.size(); }

 private:
  struct Sub {
    Fd fd;
    unsigned long inode = 0;
  };
  void watch_netns_dir();

  std::string netns_dir_;
  Fd origin_;  // this thread's own namespace, to come back to
  Fd host_, nft_, netns_inotify_;
  std::map<std::string, Sub> namespaces_;
};

}  // namespace topo::watcher
