#pragma once
// What a command in cluster mode learns from etcd before it plans
// (model/cluster_facts.hpp), and the slice it then applies
// (model/cluster_slice.hpp).
//
//   apply, watch:  Registry reg(...);  facts = take_facts(reg, whole);   // writes
//   plan, diff:    facts = preview_facts(reg.read(), me, whole);         // reads only
//   Desired slice = cluster_slice_or_throw(std::move(whole), facts);
#include <memory>

#include "reconciler/cluster/cluster_view.hpp"
#include "reconciler/cluster/registry.hpp"
#include "reconciler/model/cluster_facts.hpp"
#include "reconciler/model/desired.hpp"

namespace topo::cluster {

// This node as it registers: its name and underlay address, and the MAC of
// its VXLAN device on each routed overlay (subnet_per_node, backend vxlan)
// it has members on.
NodeInfo node_info(const std::string& node, const std::string& address, const Desired& whole);

// Joins (registry.hpp) and takes what this node's members need: a share of
// each subnet_per_node network, an address on each network spanning nodes
// for every member without a static one of that family. Gives back the
// claims of members this node no longer has. Then reads everybody's keys.
// Throws etcd::EtcdError (unreachable: nothing was planned) and
// ClusterError (a pool ran dry).
std::shared_ptr<const ClusterFacts> take_facts(Registry& registry, const Desired& whole);

// The same from a read, writing nothing: what this node holds, and what it
// would take now where it holds nothing yet (the first free, as take_facts
// would choose unless another node is quicker). For plan and diff.
std::shared_ptr<const ClusterFacts> preview_facts(const ClusterView& view, const NodeInfo& me, const Desired& whole);

// The keys as the core sees them; `me` is among the nodes even before it joined.
ClusterFacts facts_from_view(const ClusterView& view, const NodeInfo& me);

}  // namespace topo::cluster
