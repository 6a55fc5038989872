#pragma once
// Cluster mode's side of the controller's pass (manifest.md "Cluster mode
// (etcd)"): at every full pass the loaded manifests are cut to this node's
// slice with what etcd says then. An interface, so the controller stays pure
// and its unit tests give it a fake; the etcd one is
// reconciler/cluster/etcd_cluster_source.hpp.
#include <cstdint>
#include <string>

#include "reconciler/model/desired.hpp"

namespace topo::watcher {

// What `topo status` and the metrics say about etcd.
struct ClusterHealth {
  bool enabled = false;         // cluster mode is on
  bool reachable = false;       // the last request to etcd was answered
  std::string error;            // the last failure, "" when reachable
  int64_t unreachable_since_unix_ms = 0;  // 0 while reachable
  uint64_t nodes = 0;           // registered nodes alive, this one included
  int64_t revision = 0;         // the store revision last read
  bool operator==(const ClusterHealth&) const = default;
};

class ClusterSource {
 public:
  virtual ~ClusterSource() = default;
  // This node's slice of `whole` (loaded with LoadOptions::cluster) with
  // what etcd says now; this node's shares and addresses taken first. When
  // etcd cannot be reached, the last slice's facts are used again if there
  // are any: nothing is torn down for etcd's sake. Throws UserError (a pool
  // ran dry, no facts yet and etcd down).
  virtual Desired slice(const Desired& whole) = 0;
  virtual ClusterHealth health() const = 0;
};

}  // namespace topo::watcher
