#pragma once
// A TopologyView, and what --live found, as a Graph: which nodes, edges and
// clusters the picture has and what each one says. Pure.
#include <optional>
#include <string>

#include "reconciler/graph/graph.hpp"
#include "reconciler/graph/live_states.hpp"
#include "reconciler/view/topology_view.hpp"

namespace topo::graph {

// The clusters that keep 50 containers readable: one per host (the host, its
// containers and parent interfaces, and the networks only it has), or one per
// network (the network and the containers whose default route leaves through
// it, with the containers that join their namespace).
enum class Grouping { Auto, Host, Network, None };  // Auto: per host when the view has hosts, else per network
std::optional<Grouping> parse_grouping(const std::string& text);  // "auto" | "host" | "network" | "none"

struct GraphOptions {
  Grouping grouping = Grouping::Auto;
  // Multi-host: only this host's containers, the networks they attach to and
  // the hosts their overlays reach. "" = every host.
  std::string node;
  const LiveStates* live = nullptr;  // --live: mark every element; null = not compared
};

Graph graph_of(const view::TopologyView& view, const GraphOptions& options = {});

}  // namespace topo::graph
