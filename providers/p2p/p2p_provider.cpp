#include "providers/p2p/p2p_provider.hpp"

#include <algorithm>

#include "providers/bridge/bridge_provider.hpp"
#include "providers/common/ip_config.hpp"

namespace topo {
namespace {

// The two members in the order the pair is rendered: the first by
// container name (then interface) makes it; stable whatever the manifests'
// order.
std::vector<const Attachment*> members_of(const Network& net, const RenderContext& ctx) {
  std::vector<const Attachment*> out;
  for (const Attachment& a : ctx.desired.attachments)
    if (a.network == net.name) out.push_back(&a);
  std::sort(out.begin(), out.end(), [](const Attachment* x, const Attachment* y) {
    return std::tie(x->container, x->interface) < std::tie(y->container, y->interface);
  });
  return out;
}

}  // namespace

void P2pProvider::check_settings(const Network& net, const KeyReport& report) const {
  for (const SubnetSpec& s : net.subnets)
    if (s.gateway) {
      report.error("gateway", "driver p2p joins two containers on one link and has no gateway; remove \"gateway\"");
      return;
    }
}

std::vector<Provider::Problem> P2pProvider::check_members(const Network& net,
                                                          const std::vector<const Attachment*>& members) const {
  std::vector<Problem> out;
  if (members.size() != 2) {
    std::string names;
    for (const Attachment* a : members) names += (names.empty() ? "" : ", ") + a->container;
    out.push_back({net.where, "network \"" + net.name + "\": driver p2p joins exactly two containers; it has " +
                                  std::to_string(members.size()) + " attachment(s)" +
                                  (names.empty() ? std::string() : " (" + names + ")")});
  } else if (members[0]->container == members[1]->container) {
    out.push_back({members[1]->where, "network \"" + net.name + "\": driver p2p joins two different containers; " +
                                          members[0]->container + " is attached twice"});
  }
  for (const Attachment* a : members)
    if (a->default_route)
      out.push_back({a->where, "attachment " + a->container + " -> " + net.name +
                                   ": a p2p network has no gateway and cannot carry the default route"});
  return out;
}

void P2pProvider::render_attachment(const Attachment& att, const Network& net, const RenderContext& ctx,
                                    std::vector<Resource>& out) const {
  const std::vector<const Attachment*> members = members_of(net, ctx);
  if (members.size() != 2) return;  // the loader refused it
  const Attachment& first = *members[0];
  const Attachment& second = *members[1];
  const bool makes_pair = att.container == first.container && att.interface == first.interface;
  const std::string origin = "attachment/" + att.container + "/" + att.interface;

  Resource pair;
  pair.kind = Kind::Link;
  pair.ns = first.container;
  pair.name = first.interface;
  pair.origin = "attachment/" + first.container + "/" + first.interface;
  if (makes_pair) {
    pair.attrs[attr::type] = "veth";
    pair.attrs[attr::peer] = second.interface;
    pair.attrs[attr::peer_ns] = second.container;
    pair.attrs[attr::mtu] = std::to_string(net.mtu);
    if (const Allocation& a = allocation_of(first, ctx); !a.mac.empty()) pair.attrs[attr::mac] = a.mac;
    if (const Allocation& b = allocation_of(second, ctx); !b.mac.empty()) pair.attrs[attr::peer_mac] = b.mac;
    pair.attrs[attr::state] = "up";
    // Both ends are fixed when the pair is made; the kernel changes neither
    // the peer's name nor its namespace, nor (here) its MAC, in place.
    pair.replace_on = {attr::type, attr::peer, attr::peer_ns, attr::peer_mac};
    out.push_back(pair);
  }
  // No router advertisements on either end; a container's own sysctls win.
  // Tied to the pair, so a remade pair gets them again.
  std::vector<Resource> inside;
  no_router_advertisements(att.container, att.interface, pair, origin, inside);
  const Container* c = ctx.desired.container(att.container);
  for (auto& s : inside)
    if (!c || !c->sysctls.count(s.name)) out.push_back(std::move(s));
  render_ip_config(att, net, allocation_of(att, ctx), IpConfigOptions{}, out);
}

}  // namespace topo
