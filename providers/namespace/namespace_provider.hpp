#pragma once
// Managed network namespaces: one per container that has its own
// (network_mode default or none, not adopted). Loopback comes up with it.
#include <vector>

#include "reconciler/model/desired.hpp"
#include "reconciler/resources/resource.hpp"

namespace topo {

void render_container_namespace(const Container& c, std::vector<Resource>& out);

}  // namespace topo
