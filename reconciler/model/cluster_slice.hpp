#pragma once
// Cluster mode's slice (manifest.md "Cluster mode (etcd)"): the model this
// node applies, from the manifests and what etcd says (cluster_facts.hpp).
// Pure.
#include <memory>

#include "reconciler/model/cluster_facts.hpp"
#include "reconciler/model/slice.hpp"

namespace topo {

// select_node (slice.hpp) for facts->self, where
//   - the hosts are the nodes registered in etcd and alive, in place of the
//     manifests' `hosts:` (a node that is down is no one's peer);
//   - every member of a network spanning nodes has the address and MAC etcd
//     holds for it (static ones stay as written), so peers, forwarding
//     entries and hosts files see every node's containers;
//   - a subnet_per_node network's subnet of that family is this node's share,
//     gateway its first address: the node's bridge and IPAM use it.
// Desired::facts is set on the slice for the providers (routes to the other
// shares). An error comes back as NodeSelection::error: this node holds no
// share of a network it has members on, or a member of this node has no
// address in the facts (old facts: etcd was away when it was added).
NodeSelection select_cluster_node(Desired whole, std::shared_ptr<const ClusterFacts> facts);

}  // namespace topo
