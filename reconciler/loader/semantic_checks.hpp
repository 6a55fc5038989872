#pragma once
// Rules that span values and objects, run on the raw model once every document
// passed the schema: names, references, addresses, driver rules, network modes.
// Every rule reports every violation; none stops the others.
#include <map>
#include <string>

#include "reconciler/loader/diagnostics.hpp"
#include "reconciler/loader/raw_model.hpp"

namespace topo::loader {

// First definition of each name (later duplicates are reported, not indexed).
struct NameIndex {
  std::map<std::string, const RawNetwork*> networks;
  std::map<std::string, const RawContainer*> containers;
  std::map<std::string, const RawHost*> hosts;
};

NameIndex check_names(const RawModel& m, Diagnostics& diag);
void check_networks(const RawModel& m, Diagnostics& diag);
void check_containers(const RawModel& m, const NameIndex& names, Diagnostics& diag);
void check_attachments(const RawModel& m, const NameIndex& names, Diagnostics& diag);
// A driver's rules on a network's attachments together (driver_member_checks.cpp).
void check_driver_members(const RawModel& m, const NameIndex& names, Diagnostics& diag);
// MACs usable and unique on their L2 segment (mac_checks.cpp).
void check_macs(const RawModel& m, const NameIndex& names, Diagnostics& diag);
// No bridge gets more ports than the kernel allows (bridge_port_checks.cpp).
void check_bridge_ports(const RawModel& m, const NameIndex& names, Diagnostics& diag);
// Adopted namespaces that are topo's own or another container's (netns_checks.cpp).
void check_adopted_namespaces(const RawModel& m, const NameIndex& names, Diagnostics& diag);
// Container routes that clash with the default route an attachment carries (route_checks.cpp).
void check_routes(const RawModel& m, const NameIndex& names, Diagnostics& diag);
// Overlays spanning several nodes need static addresses (overlay_checks.cpp).
void check_overlays(const RawModel& m, const NameIndex& names, Diagnostics& diag);
// `checks` entries name what exists and say one thing (reachability_checks.cpp).
void check_reachability(const RawModel& m, const NameIndex& names, Diagnostics& diag);
// References stay inside a stack (stack_checks.cpp).
void check_stacks(const RawModel& m, const NameIndex& names, Diagnostics& diag);

inline void run_semantic_checks(const RawModel& m, Diagnostics& diag) {
  const NameIndex names = check_names(m, diag);
  check_networks(m, diag);
  check_containers(m, names, diag);
  check_adopted_namespaces(m, names, diag);
  check_attachments(m, names, diag);
  check_driver_members(m, names, diag);
  check_macs(m, names, diag);
  check_bridge_ports(m, names, diag);
  check_routes(m, names, diag);
  check_overlays(m, names, diag);
  check_stacks(m, names, diag);
  check_reachability(m, names, diag);
}

// "lo" is the loopback of every namespace, the host's included: no bridge,
// parent or container interface may take (or be) it.
inline bool is_loopback_name(const std::string& ifname) { return ifname == "lo"; }

// `network "x"` and friends, for messages.
inline std::string quoted(const std::string& s) { return "\"" + s + "\""; }

}  // namespace topo::loader
