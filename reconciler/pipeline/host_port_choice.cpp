#include "reconciler/pipeline/host_port_choice.hpp"

#include <tuple>

#include "reconciler/ipam/host_ports.hpp"

namespace topo {

std::vector<std::string> choose_host_ports(const Desired& desired, const Allocations& remembered,
                                           const Observed& observed, Kernel& kernel, Allocations& allocations) {
  if (!wants_chosen_ports(desired)) return {};
  HostPortFacts facts;
  if (auto range = kernel.ephemeral_port_range()) std::tie(facts.low, facts.high) = *range;
  for (const UdpSocket& s : kernel.tcp_listeners()) facts.bound.insert({"tcp", static_cast<int>(s.port)});
  for (const UdpSocket& s : kernel.udp_sockets()) facts.bound.insert({"udp", static_cast<int>(s.port)});
  return assign_host_ports(desired, remembered, observed, facts, allocations).errors;
}

}  // namespace topo
