#include "providers/overlay/overlay_provider.hpp"

#include <cstdio>

#include "providers/overlay/overlay_shares.hpp"
#include "reconciler/model/slice.hpp"

namespace topo {

std::string vxlan_name(const std::string& network) {
  std::uint32_t h = 2166136261u;
  for (unsigned char c : network) h = (h ^ c) * 16777619u;
  char buf[16];
  std::snprintf(buf, sizeof buf, "vx-%08x", h);
  return buf;
}

Resource fdb_entry(const std::string& dev, const std::string& mac, const std::string& dst,
                   const std::string& origin) {
  Resource r;
  r.kind = Kind::Fdb;
  r.name = dev + "/" + mac + "/" + dst;
  r.attrs[attr::dev] = dev;
  r.attrs[attr::mac] = mac;
  r.attrs[attr::dst] = dst;
  r.origin = origin;
  return r;
}

Resource vxlan_device(const Network& net, const OverlaySettings& settings, const std::string& local) {
  Resource vx;
  vx.kind = Kind::Link;
  vx.name = vxlan_name(net.name);
  vx.attrs[attr::type] = "vxlan";
  vx.attrs[attr::vni] = std::to_string(settings.vni.value_or(0));
  vx.attrs[attr::port] = std::to_string(settings.port);
  if (!local.empty()) vx.attrs[attr::local] = local;
  vx.attrs[attr::learning] = "off";
  vx.attrs[attr::mtu] = std::to_string(net.mtu);
  vx.attrs[attr::state] = "up";
  // The kernel cannot change a VXLAN device's id or port in place; the other
  // tunnel settings are simpler to remake than to patch.
  vx.replace_on = {attr::type, attr::vni, attr::port, attr::local, attr::learning};
  vx.origin = "network/" + net.name;
  return vx;
}

std::vector<std::string> OverlayProvider::keys() const {
  std::vector<std::string> keys = bridge_option_keys();
  keys.insert(keys.end(), {"vni", "port", "subnet_per_node", "backend"});
  return keys;
}

void OverlayProvider::render_network(const Network& net, const RenderContext& ctx,
                                     std::vector<Resource>& out) const {
  bridge_.render_network(net, ctx, out);
  const std::string origin = "network/" + net.name;
  const std::string dev = vxlan_name(net.name);
  const Desired& whole = ctx.desired.whole();
  const Host* self = find_host(whole, ctx.desired.node);
  static const OverlaySettings unset;  // a model built without the loader
  const OverlaySettings* mine = net.settings_as<OverlaySettings>();
  const OverlaySettings& settings = mine ? *mine : unset;
  if (ctx.desired.facts && settings.subnet_per_node) return render_node_shares(net, settings, ctx, out);

  // Single host (no hosts declared): no peers, so no source address to pin.
  Resource vx = vxlan_device(net, settings, self ? self->address.str() : "");
  vx.attrs[attr::master] = settings.bridge;
  out.push_back(std::move(vx));

  if (!self) return;
  for (const auto& node : nodes_of_network(whole, net.name)) {
    if (node == self->name) continue;
    if (const Host* peer = find_host(whole, node)) out.push_back(fdb_entry(dev, kFloodMac, peer->address.str(), origin));
  }
  for (const auto& att : whole.attachments) {
    if (att.network != net.name) continue;
    const Container* c = whole.container(att.container);
    const Host* peer = c ? find_host(whole, c->node) : nullptr;
    if (!peer || peer == self) continue;
    auto it = ctx.allocations.find(attachment_key(att));
    if (it == ctx.allocations.end() || it->second.mac.empty()) continue;
    out.push_back(fdb_entry(dev, it->second.mac, peer->address.str(),
                            "attachment/" + att.container + "/" + att.interface));
  }
}

void OverlayProvider::render_attachment(const Attachment& att, const Network& net, const RenderContext& ctx,
                                        std::vector<Resource>& out) const {
  // A container's side of an overlay is exactly a bridge port.
  bridge_.render_attachment(att, net, ctx, out);
  // A routed overlay (cluster mode): the other nodes' shares are behind this
  // node's gateway, whichever attachment carries the default route.
  const auto* settings = net.settings_as<OverlaySettings>();
  if (ctx.desired.facts && settings && settings->subnet_per_node) render_share_routes(att, net, ctx, out);
}

}  // namespace topo
