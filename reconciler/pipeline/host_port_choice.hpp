#pragma once
// The host ports topo chooses for published ports that leave theirs out:
// asks the host (its ephemeral range, the ports its programs have bound)
// only when a mapping needs it, then chooses (ipam/host_ports.hpp).
#include <string>
#include <vector>

#include "reconciler/ipam/ipam.hpp"
#include "reconciler/kernel_interface/kernel.hpp"
#include "reconciler/model/desired.hpp"

namespace topo {

// Adds the chosen ports to `allocations`; returns errors, one per mapping
// left without a port.
std::vector<std::string> choose_host_ports(const Desired& desired, const Allocations& remembered,
                                           const Observed& observed, Kernel& kernel, Allocations& allocations);

}  // namespace topo
