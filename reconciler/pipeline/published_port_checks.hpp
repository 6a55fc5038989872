#pragma once
// A host port another stack publishes on an overlapping host address
// ("127.0.0.1:8080" here, "0.0.0.0:8080" there): the same rule as the
// loader's within the manifests (loader/container_checks.cpp), across
// stacks, whose publish intents the kernel holds. The same intent name is
// already a conflict (planner/diff.cpp); this finds the overlaps. Pure.
#include <string>
#include <vector>

#include "reconciler/resources/resource.hpp"

namespace topo {

std::vector<std::string> published_port_conflicts(const std::vector<Resource>& desired, const Observed& observed);

}  // namespace topo
