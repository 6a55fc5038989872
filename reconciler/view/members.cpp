#include "reconciler/view/members.hpp"

#include "providers/bridge/bridge_provider.hpp"
#include "providers/overlay/overlay_members.hpp"

namespace topo::view {

MemberAllocations::MemberAllocations(const Desired& desired, const Allocations& allocations)
    // Overlay members on other nodes, as the providers see them (render_all).
    : everyone_(with_remote_members(desired, allocations)) {}

Allocation MemberAllocations::of(const Attachment& att) const {
  if (auto it = everyone_.find(attachment_key(att)); it != everyone_.end()) return it->second;
  // Not this node's to allocate: what the manifest fixes is known anyway.
  if (!att.ipv4 && !att.ipv6 && att.mac.empty()) return {};
  return static_allocation(att);
}

const Network* network_named(const Desired& desired, const std::string& name) {
  if (const Network* mine = desired.network(name)) return mine;
  return desired.whole().network(name);
}

namespace {

// The prefix length of the subnet an address of `family` comes from: the
// network's first of that family, as the providers give it (ip_config.cpp).
int prefix_of(const Network* net, int family) {
  if (!net) return 0;
  for (const SubnetSpec& s : net->subnets)
    if (s.subnet.addr.family == family) return s.subnet.len;
  return 0;
}

}  // namespace

MemberView member_of(const Attachment& att, const Network* net, const Container* container,
                     const MemberAllocations& allocations) {
  const Allocation alloc = allocations.of(att);
  MemberView m;
  m.container = att.container;
  m.network = att.network;
  m.interface = att.interface;
  if (alloc.ipv4) {
    m.ipv4 = alloc.ipv4->str();
    m.ipv4_prefix = prefix_of(net, 4);
  }
  if (alloc.ipv6) {
    m.ipv6 = alloc.ipv6->str();
    m.ipv6_prefix = prefix_of(net, 6);
  }
  static const DriverSettings none;
  const DriverSettings& settings = net ? net->driver_settings() : none;
  // An ipvlan link carries its parent's MAC, not the one IPAM keeps.
  if (settings.own_macs()) m.mac = alloc.mac;
  if (!settings.host_bridge().empty()) m.host_veth = host_veth_of(att, allocations.all());
  m.aliases = att.aliases;
  m.default_route = att.default_route;
  if (container) m.node = container->node;
  return m;
}

}  // namespace topo::view
