#pragma once
// Reads what topo owns from the kernel: for the host namespace and each
// entry of the netns dir, one link dump, one address dump and one route dump
// (the latter two only in namespaces topo owns), and where topo owns a VXLAN
// device one FDB dump and one neighbour dump. Never one request per object.
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>

#include "reconciler/kernel/socket_pool.hpp"
#include "reconciler/kernel_interface/kernel.hpp"
#include "reconciler/observer/snapshot.hpp"
#include "reconciler/resources/resource.hpp"

namespace topo::observer {

// How many dumps were made, so tests can check "one per type per namespace".
struct DumpCounts {
  int links = 0, addrs = 0, routes = 0;
  int fdb = 0;  // bridge-family neighbour dumps: only where topo owns a VXLAN device
  int neigh = 0;  // ARP/NDP dumps: the same namespaces as fdb
  std::map<std::string, int> per_namespace;  // ns ("" = host) -> dumps of any type
};

class Observer {
 public:
  explicit Observer(SocketPool& sockets) : sockets_(sockets) {}
  Observed observe();
  // The focus only (kernel.hpp): its namespaces as observe() reads them, and
  // from the host single links by name or index, never a dump.
  Observed observe_focus(const Focus& focus);
  // The IPv6 settings the last observe() found in namespace `ns` ("" = the
  // host's), handed out once: the settings read of the same pass takes them
  // instead of a dump of its own. Nothing when that namespace was not read
  // (or not owned) by it, or after any other read or any change since.
  std::optional<Ipv6Conf> take_ipv6_conf(const std::string& ns);
  // Any change to the kernel makes them stale.
  void forget_ipv6_conf() { ipv6_conf_.clear(); }
  const DumpCounts& counts() const { return counts_; }
  void reset_counts() { counts_ = {}; }

 private:
  // Reads the bind-mount entries' marks; returns the adopted ones.
  std::set<std::string> read_shared(Snapshot& snap);
  void dump_namespace(const std::string& ns, bool adopted, NamespaceDump& dump);
  // One netns entry into snap.namespaces (a placeholder noted as such).
  void read_entry(const std::string& name, bool adopted, Snapshot& snap);
  // The same into `dump` alone (safe from several threads, for different names).
  void read_entry(const std::string& name, bool adopted, NamespaceDump& dump, bool& placeholder);

  SocketPool& sockets_;
  std::map<std::string, Ipv6Conf> ipv6_conf_;
  std::mutex counts_mu_;  // dump_namespace runs on several threads in observe()
  DumpCounts counts_;
};

}  // namespace topo::observer
