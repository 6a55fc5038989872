#pragma once
// Per-container settings that do not belong to one attachment: extra
// `routes` (Route resources in the container's namespace, named by their
// destination CIDR, marked with topo's route protocol like every topo route)
// and `sysctls` (Sysctl resources, set inside the namespace, never removed).
// The loader forbids both on host and container: modes, where they would
// change a namespace that is not this container's own.
#include <vector>

#include "reconciler/model/desired.hpp"
#include "reconciler/resources/resource.hpp"

namespace topo {

void render_container_extras(const Container& c, std::vector<Resource>& out);

}  // namespace topo
