#pragma once
// `graph --live`: the planner's object-by-object comparison (`topo diff`)
// folded into one state per element of the picture. Elements are named by
// the origins providers give their objects: "network/NAME" (its bridge,
// VXLAN or sub-interface link, the gateway address, its firewall intents),
// "container/NAME" (its namespace, files, settings), "attachment/C/IF" (the
// interface, its addresses and routes). Published ports get "port/C/HOST:PORT/PROTO"
// from their firewall rule, so a missing rule marks its edge and not the whole
// container. Pure.
#include <map>
#include <string>
#include <vector>

#include "reconciler/graph/graph.hpp"
#include "reconciler/planner/diff.hpp"

namespace topo::graph {

struct LiveStates {
  // Every element with an object in the comparison. Missing when its
  // namespace or a link is (the thing itself is not there), or when all of its
  // objects are; Drift when anything else of it differs, is missing, or is
  // there unwanted; Extra when only the kernel has it; else Ok.
  std::map<std::string, LiveState> by_origin;

  LiveState of(const std::string& origin) const;  // None when the comparison never named it
};

LiveStates live_states_of(const std::vector<ObjectStatus>& statuses);

// The origin of a published port's element, as live_states_of names it.
std::string port_origin(const std::string& container, const std::string& host_ip, int host_port,
                        const std::string& protocol);

}  // namespace topo::graph
