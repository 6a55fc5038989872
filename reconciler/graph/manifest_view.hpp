#pragma once
// The manifests' own picture, as `topo graph` draws multi-host manifests
// without --node: no one kernel or state dir holds every host, so subnets
// come from the pools and addresses are allocated as on a fresh host (a host
// that has applied them shows its own with --node). Pure, so the golden
// pictures of examples/ (tests/unit/graph_examples_golden_test.cpp) draw
// exactly what the command does.
#include <string>
#include <vector>

#include "reconciler/ipam/address_pools.hpp"
#include "reconciler/model/desired.hpp"
#include "reconciler/view/topology_view.hpp"

namespace topo::graph {

// Throws UserError (pipeline.hpp) when the pools run dry or IPAM refuses.
view::TopologyView manifest_view(Desired whole, const std::vector<AddressPool>& pools, const std::string& netns_dir);

}  // namespace topo::graph
