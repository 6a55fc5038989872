#pragma once
// Checks turned into probes against the topology as it is laid out (the
// view): a container target becomes its address on a network both share, a
// resolve check the named container's addresses. Pure.
#include <string>
#include <vector>

#include "reconciler/model/desired.hpp"
#include "reconciler/verify/planned_check.hpp"
#include "reconciler/view/topology_view.hpp"

namespace topo::verify {

// The manifests' checks (Desired::checks of this node's slice).
// `etc_netns_dir`: where each container's hosts and resolv.conf are.
std::vector<PlannedCheck> plan_checks(const std::vector<Check>& checks, const view::TopologyView& v,
                                      const std::string& etc_netns_dir);

// What the topology itself promises (verify --implied), from this node's
// containers: each reaches its gateway on a bridge it is attached to; the
// members of a network reach each other, or must not under icc: false; no
// member of an isolated network reaches a member of another; an internal
// network's members reach no other network's gateway; a published port
// answers on the host.
std::vector<PlannedCheck> implied_checks(const view::TopologyView& v, const std::string& etc_netns_dir,
                                         int timeout_ms = 2000);

}  // namespace topo::verify
