#pragma once
// Netlink multicast subscriptions that tell the controller the kernel moved:
// rtnetlink (links, IPv4/IPv6 addresses and routes, neighbours incl. bridge
// FDB, netconf: forwarding switched off by someone else) in the host
// namespace and inside every managed namespace, nftables changes in the host
// namespace, and inotify on the netns dir. Each event is judged against the
// model in force (event_scope.hpp): ignored, a focused pass over the
// containers it concerns, or a full pass.
//
// One socket hears every namespace (NETLINK_LISTEN_ALL_NSID): each message
// of another namespace carries the id the host gives it (netns_ids.hpp),
// and a managed namespace is known by its id. A socket per namespace, as
// before, held each namespace alive and made the kernel offer every
// notification on the host to each of them: at 10 000 containers that was
// a third of a drift repair. Messages of namespaces that are not managed
// (or not at the moment: during a pass over them) are not judged.
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
  // `rcvbuf`: the receive buffer of the subscriptions; 0 = 16 MiB for the
  // one that hears every namespace, 4 MiB for nftables. Tests make it tiny
  // (TOPO_TEST_EVENT_RCVBUF) to overrun one on purpose.
  explicit KernelEvents(std::string netns_dir, int rcvbuf = 0);  // throws std::runtime_error

  // Not heard while a pass may remove or remake them: all namespaces (the
  // socket stops listening beyond the host, the ids stay known), or only
  // these (a focused pass).
  void drop_namespaces();
  void drop_namespaces(const std::set<std::string>& names);
  // Heard again (or for the first time), by their current ids; the ones
  // gone or replaced meanwhile are forgotten first.
  void subscribe_namespaces(const std::vector<std::string>& names);

  // Forgets the namespaces whose entry is gone or was replaced.
  void prune();

  // What the loop watches; fixed for the object's life.
  std::vector<int> fds() const;
  struct Drained {
    Wake wake;                   // the pass the events ask for, if any
    bool overflow = false;       // ENOBUFS: events were lost (wake.full is set)
    bool netns_changed = false;  // the netns dir changed (subscriptions were pruned)
  };
  // Reads everything pending on one of fds() and judges it against `scope`.
  Drained drain(int fd, const EventScope& scope);

 private:
  struct Sub {
    unsigned long inode = 0;
    int id = -1;  // the host's id for it (netns_ids.hpp)
  };
  void watch_netns_dir();
  void listen_to_all(bool on);
  void forget(std::map<std::string, Sub>::iterator it);

  std::string netns_dir_;
  int rcvbuf_;
  Fd host_, nft_, netns_inotify_, ids_;
  std::map<std::string, Sub> namespaces_;
  std::unordered_map<int, std::string> ns_of_id_;
  bool warned_no_id_ = false;
};

}  // namespace topo::watcher
