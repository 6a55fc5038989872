#include "reconciler/graph/live_look.hpp"

namespace topo::graph {

const std::vector<LiveLook>& live_legend() {
  // Missing is the loudest (red, broken line), drift next (orange, heavy),
  // extra quiet but apart (purple, dotted); ok keeps the kind's look, so a
  // healthy topology reads as the plain picture.
  static const std::vector<LiveLook> legend = {
      {LiveState::Ok, "", "", "ok: as the manifests say"},
      {LiveState::Missing, "#c62828", "dashed", "missing: wanted, not in the kernel"},
      {LiveState::Drift, "#ef6c00", "bold", "drift: in the kernel, but differs"},
      {LiveState::Extra, "#6a1b9a", "dotted", "extra: in the kernel, not wanted"},
  };
  return legend;
}

const LiveLook& live_look(LiveState s) {
  static const LiveLook none{LiveState::None, "", "", ""};
  for (const LiveLook& look : live_legend())
    if (look.state == s) return look;
  return none;
}

}  // namespace topo::graph
