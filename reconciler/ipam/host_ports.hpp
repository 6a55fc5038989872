#pragma once
// Host ports topo chooses for published ports written without one ("80",
// "127.0.0.1::80", {container_port: 80}), as Docker's port allocator does:
// from the ephemeral range, clear of every other published port (of any
// stack) and of the ports programs have bound on the host. Pure.
//
// Sticky like an address: a chosen port is kept while its container
// publishes that container port, across re-applies, added containers and a
// lost state dir. Which port a mapping gets, in this order:
//   1. the one the state dir remembers, if no other mapping holds it now;
//   2. the one the kernel holds: the firewall's publish intent of that
//      mapping, marked as chosen (fattr::chosen), names it;
//   3. the lowest port of the range that nothing holds or has bound.
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "reconciler/ipam/ipam.hpp"
#include "reconciler/model/desired.hpp"
#include "reconciler/resources/resource.hpp"

namespace topo {

// Linux's default net.ipv4.ip_local_port_range, which Docker chooses from too.
inline constexpr int kEphemeralLow = 32768;
inline constexpr int kEphemeralHigh = 60999;

// What the host says about its ports (kernel/host_port_facts.hpp reads it).
struct HostPortFacts {
  int low = kEphemeralLow, high = kEphemeralHigh;  // the range to choose from
  std::set<std::pair<std::string, int>> bound;      // (tcp|udp, port): listening TCP, bound UDP sockets
};

// The Allocations key of a mapping's chosen host port: "port:<protocol>/
// <container>/<host address, * for every one>:<container port>". Not an
// attachment key ("port:tcp" is no network name); the container is its second
// part, as in attachment keys, so what is remembered for another stack's
// containers is kept the same way (executor/carry_out.cpp).
std::string host_port_key(const std::string& container, const PortMapping& pm);

struct HostPortResult {
  std::vector<std::string> errors;  // the range is full; each names the mapping
};

// Sets Allocation::host_port under host_port_key() for every mapping of
// `desired` without a host port. `remembered`: from the state dir.
HostPortResult assign_host_ports(const Desired& desired, const Allocations& remembered, const Observed& observed,
                                 const HostPortFacts& host, Allocations& allocations);

// Whether any mapping of `desired` leaves its host port to topo (only then
// does the host need to be asked).
bool wants_chosen_ports(const Desired& desired);

}  // namespace topo
