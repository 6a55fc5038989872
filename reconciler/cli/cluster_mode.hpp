#pragma once
// The commands' side of cluster mode (--etcd): the etcd source the flags
// describe (cluster/etcd_cluster_source.hpp).
#include <memory>

#include "reconciler/cli/options.hpp"
#include "reconciler/cluster/cluster_view.hpp"
#include "reconciler/cluster/etcd_cluster_source.hpp"
#include "reconciler/model/desired.hpp"

namespace topo::cli {

// A UserError for flags that do not fit (no --node, a bad URL, no route to
// etcd to take the advertise address from).
std::shared_ptr<cluster::EtcdClusterSource> open_cluster(const Options& o);

// Loads the manifests for cluster mode and cuts this node's slice. `take`:
// registers and takes shares and addresses (apply); else reads only (plan,
// diff).
Desired load_cluster_slice(const Options& o, bool take);

// Everything under the prefix, once; a UserError ending "nothing was
// changed." when etcd cannot be asked.
cluster::ClusterView read_cluster(const Options& o);

// `topo show --etcd`: the nodes alive, the shares and the addresses etcd
// holds, as text or as a JSON object. Needs no --node.
std::string cluster_overview(const Options& o, bool json);

// After `topo destroy` left nothing of topo's on this node: its keys go
// (registration, shares, addresses), for other nodes to take.
void release_cluster_node(const Options& o);

}  // namespace topo::cli
