#pragma once
// How a live state looks in every drawn format, and what the legend says of
// it: DOT and Mermaid read the same table, so a picture means one thing.
#include <string>
#include <vector>

#include "reconciler/graph/graph.hpp"

namespace topo::graph {

struct LiveLook {
  LiveState state;
  std::string colour;   // "#rrggbb"; "" = the kind's own
  std::string line;     // "dashed" | "bold" | "dotted" | "" (the kind's own)
  std::string meaning;  // the legend's words
};

// None gives no look at all (every field empty but the state).
const LiveLook& live_look(LiveState s);

// The legend's entries, in the order it lists them.
const std::vector<LiveLook>& live_legend();

}  // namespace topo::graph
