#include "providers/sub_interface/sub_interface_provider.hpp"

#include <optional>
#include <utility>

#include "providers/common/ip_config.hpp"
#include "reconciler/resources/mode_attrs.hpp"

namespace topo {

namespace {

// "eth0.10" -> {"eth0", 10}; nullopt for a name that is no 802.1q trunk.
std::optional<std::pair<std::string, int>> trunk_of(const std::string& parent) {
  const auto dot = parent.rfind('.');
  if (dot == std::string::npos || dot == 0 || dot + 1 == parent.size() || parent.size() - dot > 5) return std::nullopt;
  int id = 0;
  for (std::size_t i = dot + 1; i < parent.size(); ++i) {
    if (parent[i] < '0' || parent[i] > '9') return std::nullopt;
    id = id * 10 + (parent[i] - '0');
  }
  if (id < 1 || id > 4094) return std::nullopt;
  return std::pair{parent.substr(0, dot), id};
}

}  // namespace

void SubInterfaceProvider::render_network(const Network& net, const RenderContext& ctx,
                                          std::vector<Resource>& out) const {
  const SubInterfaceSettings* mine = net.settings_as<SubInterfaceSettings>();
  if (!mine) return;
  const auto trunk = trunk_of(mine->parent);
  if (!trunk || ctx.foreign_host_links.count(mine->parent)) return;
  // One trunk for every network on it: the first of them by name makes it.
  for (const Network& other : ctx.desired.networks) {
    const SubInterfaceSettings* theirs = other.settings_as<SubInterfaceSettings>();
    if (theirs && theirs->parent == mine->parent) {
      if (other.name != net.name) return;
      break;
    }
  }
  Resource link;
  link.kind = Kind::Link;
  link.name = mine->parent;
  link.origin = "network/" + net.name;
  link.attrs[attr::type] = "vlan";
  link.attrs[attr::parent] = trunk->first;
  link.attrs[attr::vlan_id] = std::to_string(trunk->second);
  link.attrs[attr::state] = "up";
  link.replace_on = {attr::type, attr::parent, attr::vlan_id};
  out.push_back(std::move(link));
}

void SubInterfaceProvider::render_attachment(const Attachment& att, const Network& net, const RenderContext& ctx,
                                             std::vector<Resource>& out) const {
  const Allocation& alloc = allocation_of(att, ctx);
  const bool ipvlan = driver_ == Driver::Ipvlan;
  static const SubInterfaceSettings unset;  // a model built without the loader
  const SubInterfaceSettings* mine = net.settings_as<SubInterfaceSettings>();
  const SubInterfaceSettings& settings = mine ? *mine : unset;
  Resource link;
  link.kind = Kind::Link;
  link.ns = att.container;
  link.name = att.interface;
  link.origin = "attachment/" + att.container + "/" + att.interface;
  link.attrs[attr::type] = ipvlan ? "ipvlan" : "macvlan";
  link.attrs[attr::parent] = settings.parent;
  link.attrs[attr::link_mode] = settings.mode;
  link.attrs[attr::mtu] = std::to_string(net.mtu);
  // Every ipvlan slave shares its parent's MAC; a macvlan has its own.
  if (!ipvlan && !alloc.mac.empty()) link.attrs[attr::mac] = alloc.mac;
  link.attrs[attr::state] = "up";
  link.replace_on = {attr::type, attr::parent, attr::link_mode};
  out.push_back(std::move(link));

  IpConfigOptions opts;
  opts.via_gateway = !ipvlan || settings.mode == "l2";
  render_ip_config(att, net, alloc, opts, out);
}

}  // namespace topo
