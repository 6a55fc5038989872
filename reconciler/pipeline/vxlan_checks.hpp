#pragma once
// An overlay's VXLAN device against what the host already holds, checked
// before anything changes; the kernel would refuse it mid-apply:
// - another VXLAN device with the same VNI, UDP port and address family
//   (topo does not own it, or another stack does): the create fails with
//   "A VXLAN device with the specified VNI already exists";
// - a socket of a process bound to the UDP port: the device is made but
//   cannot come up ("Address already in use").
// Pure: the caller reads the sockets (Kernel::udp_sockets).
#include <string>
#include <vector>

#include "reconciler/kernel_interface/kernel.hpp"
#include "reconciler/resources/resource.hpp"

namespace topo {

struct VxlanCheck {
  std::vector<std::string> conflicts;  // refuse the plan
  std::vector<std::string> notes;      // may or may not bite: said, not refused
};

// Whether `desired` has a VXLAN device at all (the sockets are read only then).
bool wants_vxlan(const std::vector<Resource>& desired);

VxlanCheck check_vxlans(const std::vector<Resource>& desired, const Observed& observed,
                        const std::vector<UdpSocket>& sockets);

}  // namespace topo
