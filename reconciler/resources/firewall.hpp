#pragma once
// The vocabulary shared by the firewall provider (which renders Firewall
// resources from the model) and the nftables kernel code (which turns them
// into rules and reads them back). A Firewall resource is one readable
// intent; its attributes fully determine its rules.
#include <optional>
#include <string>
#include <vector>

#include "reconciler/resources/resource.hpp"

namespace topo::firewall {

// Name of every nftables table topo owns (in the families it uses).
inline constexpr const char* kTableName = "topo";
// Userdata of topo's tables: without it a table called "topo" is someone else's.
inline constexpr const char* kTableMark = "topo:owned";

// Attribute keys of Firewall resources.
namespace fattr {
inline constexpr const char* intent = "intent";      // table | masquerade | publish | isolate | icc-off | internal | routed | tunnel
inline constexpr const char* family = "family";      // table: inet | bridge
inline constexpr const char* bridge = "bridge";      // masquerade, internal, icc-off, isolate, routed: the network's bridge
inline constexpr const char* subnets = "subnets";    // masquerade: comma-separated CIDRs
// masquerade: comma-separated CIDRs whose traffic is routed untranslated
// (cluster mode: the other nodes' shares of a subnet_per_node network).
inline constexpr const char* except = "except";
// tunnel (cluster mode, a routed overlay): the VXLAN device that carries the
// network to the other nodes (backend vxlan), or none and `peers` (backend
// host-gw: the other nodes' shares arrive from the underlay).
inline constexpr const char* device = "device";
inline constexpr const char* peers = "peers";  // tunnel: comma-separated CIDRs, the network's whole subnets
inline constexpr const char* port = "port";          // icc-off: host end of the container's veth
inline constexpr const char* host = "host";          // publish: host address (0.0.0.0 = every local one)
inline constexpr const char* host_port = "host_port";
inline constexpr const char* protocol = "protocol";  // tcp | udp
inline constexpr const char* to = "to";              // publish: container address:port
inline constexpr const char* container = "container";
inline constexpr const char* subnet = "subnet";      // publish: the container's subnet (hairpin NAT)
// publish: "yes" when topo chose host_port (the manifest left it out); the
// kernel's rules then remember the choice (ipam/host_ports.hpp).
inline constexpr const char* chosen = "chosen";
// "all" when every rule of the intent is in the kernel; the observer reports
// "N of M" when some were deleted by hand, so the diff shows drift.
inline constexpr const char* rules = "rules";
}  // namespace fattr

inline constexpr const char* kAllRules = "all";

// The label carried in each rule's userdata (an nftables comment), from which
// the observer rebuilds the resource: "topo|<index>/<count>|<name>|k=v;k=v",
// then "|<stack>" unless it is the default stack. Attributes "rules" and the
// origin are not stored.
std::string encode_label(const Resource& r, int index, int count);
struct Label {
  Resource resource;  // kind Firewall, ns "", name and attrs
  int index = 0, count = 0;
};
std::optional<Label> decode_label(const std::string& text);

std::vector<std::string> split(const std::string& s, char sep);

}  // namespace topo::firewall
