#pragma once
// A macvlan's MAC against those other stacks' macvlans hold on the same
// parent: one parent is one L2 segment whatever the stack, and the kernel
// refuses the second link with a MAC when it comes up ("Address already in
// use"), mid-apply. The loader sees only the stacks loaded together. Pure.
#include <string>
#include <vector>

#include "reconciler/resources/resource.hpp"

namespace topo {

std::vector<std::string> macvlan_mac_conflicts(const std::vector<Resource>& desired, const Observed& observed);

}  // namespace topo
