#pragma once
// The graph as a Mermaid flowchart (GitHub and GitLab draw it in Markdown):
// clusters as subgraphs, and with --live a class per state and a legend.
// Mermaid ids must be plain words, so nodes are n0, n1, ... and clusters
// g0, g1, ... in the graph's order; labels say what they are. Pure.
#include <string>

#include "reconciler/graph/graph.hpp"

namespace topo::graph {

std::string format_mermaid(const Graph& g);

}  // namespace topo::graph
