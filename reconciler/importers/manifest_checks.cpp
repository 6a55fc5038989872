#include "reconciler/importers/manifest_checks.hpp"

namespace topo::importers {

std::vector<OutContainer*> publishing_without_outside_network(OutManifest& m) {
  std::vector<OutContainer*> out;
  for (OutContainer& c : m.containers) {
    if (c.ports.empty() || !c.network_mode.empty()) continue;
    bool outside = false;
    for (const OutAttachment& a : m.attachments) {
      if (a.container != c.name) continue;
      const OutNetwork* n = m.network(a.network);
      outside = outside || !n || !n->internal.value_or(false);
    }
    if (!outside) out.push_back(&c);
  }
  return out;
}

}  // namespace topo::importers
