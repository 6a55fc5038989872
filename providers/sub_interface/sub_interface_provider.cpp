#include "providers/sub_interface/sub_interface_provider.hpp"

#include "providers/common/ip_config.hpp"
#include "reconciler/resources/mode_attrs.hpp"

namespace topo {

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
