#include "providers/overlay/overlay_shares.hpp"

#include <cstdint>
#include <cstdio>

#include "providers/overlay/overlay_provider.hpp"

namespace topo {
namespace {

Resource share_route(const NodeShare& share, const std::string& origin) {
  Resource r;
  r.kind = Kind::Route;
  r.name = share.subnet.network_str();
  r.origin = origin;
  return r;
}

}  // namespace

std::string vtep_mac(const std::string& network, const std::string& node) {
  // FNV-1a, 40 bits of it after the locally administered 0x0e: never a
  // multicast MAC, never one IPAM derives for a container (02:42:...).
  std::uint64_t h = 1469598103934665603ull;
  for (unsigned char c : network + "/" + node) h = (h ^ c) * 1099511628211ull;
  char buf[18];
  std::snprintf(buf, sizeof buf, "0e:%02x:%02x:%02x:%02x:%02x", unsigned(h >> 32 & 0xff), unsigned(h >> 24 & 0xff),
                unsigned(h >> 16 & 0xff), unsigned(h >> 8 & 0xff), unsigned(h & 0xff));
  return buf;
}

void render_share_routes(const Attachment& att, const Network& net, const RenderContext& ctx,
                         std::vector<Resource>& out) {
  const Network* whole = ctx.desired.whole().network(net.name);
  if (!whole) return;
  for (const SubnetSpec& share : net.subnets) {
    if (!share.gateway) continue;
    for (const SubnetSpec& s : whole->subnets) {
      if (s.subnet.addr.family != share.subnet.addr.family) continue;
      Resource rt;
      rt.kind = Kind::Route;
      rt.ns = att.container;
      rt.name = s.subnet.network_str();
      rt.attrs[attr::dev] = att.interface;
      rt.attrs[attr::via] = share.gateway->str();
      rt.origin = "attachment/" + att.container + "/" + att.interface;
      out.push_back(std::move(rt));
    }
  }
}

void render_node_shares(const Network& net, const OverlaySettings& settings, const RenderContext& ctx,
                        std::vector<Resource>& out) {
  const ClusterFacts& facts = *ctx.desired.facts;
  const ClusterNode* self = facts.node(facts.self);
  const std::string origin = "network/" + net.name;
  const bool vxlan = settings.backend == OverlaySettings::Backend::Vxlan;
  const std::string dev = vxlan_name(net.name);
  if (vxlan) {
    // Routed, not a bridge port; its MAC is the one the others know from etcd.
    Resource vx = vxlan_device(net, settings, self ? self->address.str() : "");
    vx.attrs[attr::mac] = vtep_mac(net.name, facts.self);
    out.push_back(std::move(vx));
  }
  for (const NodeShare& share : facts.shares) {
    if (share.network != net.name || share.node == facts.self) continue;
    const ClusterNode* node = facts.node(share.node);
    if (!node) continue;  // down: its registration expired
    Resource route = share_route(share, origin);
    if (!vxlan) {
      route.attrs[attr::via] = node->address.str();
      out.push_back(std::move(route));
      continue;
    }
    if (share.vtep_mac.empty()) continue;  // registered before its device: next time
    const IpAddress gw = share.subnet.network();
    route.attrs[attr::dev] = dev;
    route.attrs[attr::via] = gw.str();
    route.attrs[attr::onlink] = "on";
    out.push_back(std::move(route));
    Resource neigh;
    neigh.kind = Kind::Neighbour;
    neigh.name = dev + "/" + gw.str();
    neigh.attrs[attr::dev] = dev;
    neigh.attrs[attr::ip] = gw.str();
    neigh.attrs[attr::mac] = share.vtep_mac;
    neigh.origin = origin;
    out.push_back(std::move(neigh));
    out.push_back(fdb_entry(dev, share.vtep_mac, node->address.str(), origin));
  }
}

}  // namespace topo
