#pragma once
// Multi-host: every host runs topo on the same manifests with `--node NAME`
// and builds only its own share of them. Pure.
#include <string>
#include <vector>

#include "reconciler/model/desired.hpp"

namespace topo {

struct NodeSelection {
  Desired desired;    // the slice (or the whole model on a single host)
  std::string error;  // non-empty: what the user must fix; desired is then empty
  // Cluster mode: what etcd holds that was left out (a share outside its
  // network, a claim outside its share), one line each, for a warning.
  std::vector<std::string> ignored{};
};

// The model this host applies. Without hosts and without a node: the whole
// model as is. With hosts: `node` must name one of them, and the result is
// that node's containers, their attachments and the networks those attach
// to, with Desired::node set and Desired::whole() still giving everything
// (overlay peers and hosts files need the members on other nodes). A node
// given while no hosts are declared is an error too: it would silently do
// the single-host thing.
NodeSelection select_node(Desired whole, const std::string& node);

// The host called `name`, or null.
const Host* find_host(const Desired& d, const std::string& name);

// Sorted, distinct nodes of the containers attached to `network` in `d`
// (empty names, i.e. single-host containers, are left out).
std::vector<std::string> nodes_of_network(const Desired& d, const std::string& network);

}  // namespace topo
