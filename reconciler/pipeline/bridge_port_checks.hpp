#pragma once
// A bridge topo builds against the kernel's port limit (model/kernel_limits.hpp),
// counting the links already on it that are not topo's: the loader counts
// only what the manifests make. Pure.
#include <string>
#include <vector>

#include "reconciler/resources/resource.hpp"

namespace topo {

std::vector<std::string> bridge_port_conflicts(const std::vector<Resource>& desired, const Observed& observed);

}  // namespace topo
