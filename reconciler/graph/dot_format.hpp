#pragma once
// The graph in Graphviz's DOT language: clusters as `subgraph "cluster:..."`,
// left to right, and with --live a colour and line per state and a legend.
// Pure; svg_render.hpp lays it out.
#include <string>

#include "reconciler/graph/graph.hpp"

namespace topo::graph {

std::string format_dot(const Graph& g);

// A DOT double-quoted string: backslashes and quotes escaped, lines joined by \n.
std::string dot_quote(const std::vector<std::string>& lines);

}  // namespace topo::graph
