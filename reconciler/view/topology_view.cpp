#include "reconciler/view/topology_view.hpp"

#include <algorithm>
#include <tuple>

#include "providers/sub_interface/sub_interface_settings.hpp"
#include "reconciler/view/container_view.hpp"
#include "reconciler/view/members.hpp"

namespace topo::view {

const NetworkView* TopologyView::network(const std::string& name) const {
  for (const NetworkView& n : networks)
    if (n.name == name) return &n;
  return nullptr;
}

const ContainerView* TopologyView::container(const std::string& name) const {
  for (const ContainerView& c : containers)
    if (c.name == name) return &c;
  return nullptr;
}

namespace {

NetworkView network_view_of(const Network& net, const Desired& desired, const MemberAllocations& allocations) {
  NetworkView v;
  v.name = net.name;
  v.stack = net.stack;
  v.driver = to_string(net.driver);
  for (const SubnetSpec& s : net.subnets)
    v.subnets.push_back(
        {s.subnet.network_str(), s.gateway ? s.gateway->str() : "", s.ip_range ? s.ip_range->network_str() : ""});
  v.subnet_from_pools = net.subnet_from_pools;
  v.internal = net.internal;
  v.mtu = net.mtu;
  const DriverSettings& settings = net.driver_settings();
  v.options = settings.options();
  v.host_bridge = settings.host_bridge();
  v.members_reach_each_other = settings.members_reach_each_other();
  v.isolated = settings.isolated();
  if (const auto* sub = net.settings_as<SubInterfaceSettings>()) v.parent = sub->parent;
  // The whole model's members: on a multi-host network, those of every node.
  const Desired& whole = desired.whole();
  for (const Attachment& att : whole.attachments)
    if (att.network == net.name) v.members.push_back(member_of(att, &net, whole.container(att.container), allocations));
  std::sort(v.members.begin(), v.members.end(), [](const MemberView& a, const MemberView& b) {
    return std::tie(a.container, a.interface) < std::tie(b.container, b.interface);
  });
  return v;
}

}  // namespace

TopologyView view_of(const Desired& desired, const Allocations& allocations, const std::string& netns_dir) {
  const Desired& whole = desired.whole();
  const MemberAllocations members(desired, allocations);
  TopologyView v;
  v.node = desired.node;
  for (const Host& h : whole.hosts) v.hosts.push_back({h.name, h.address.str()});
  for (const Network& n : whole.networks) {
    const Network* planned = network_named(desired, n.name);
    v.networks.push_back(network_view_of(planned ? *planned : n, desired, members));
  }
  std::sort(v.networks.begin(), v.networks.end(),
            [](const NetworkView& a, const NetworkView& b) { return a.name < b.name; });
  const RenderContext ctx{desired, members.all(), ""};
  for (const Container& c : whole.containers) v.containers.push_back(container_view_of(c, ctx, members, netns_dir));
  std::sort(v.containers.begin(), v.containers.end(),
            [](const ContainerView& a, const ContainerView& b) { return a.name < b.name; });
  return v;
}

}  // namespace topo::view
