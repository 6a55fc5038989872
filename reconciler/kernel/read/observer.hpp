#pragma once
// Reads what topo owns from the kernel: for the host namespace and each
// entry of the netns dir, one link dump, one address dump and one route dump
// (the latter two only in namespaces topo owns). Never one request per object.
#include <map>
#include <string>

#include "reconciler/kernel/socket_pool.hpp"
#include "reconciler/resources/resource.hpp"

namespace topo::observer {

// How many dumps were made, so tests can check "one per type per namespace".
struct DumpCounts {
  int links = 0, addrs = 0, routes = 0;
  int fdb = 0;  // bridge-family neighbour dumps: only where topo owns a VXLAN device
  std::map<std::string, int> per_namespace;  // ns ("" = host) -> dumps of any type
};

class Observer {
 public:
  explicit Observer(SocketPool& sockets) : sockets_(sockets) {}
  Observed observe();
  const DumpCounts& counts() const { return counts_; }
  void reset_counts() { counts_ = {}; }

 private:
  SocketPool& sockets_;
  DumpCounts counts_;
};

}  // namespace topo::observer
