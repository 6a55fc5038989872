#include "providers/bridge/bridge_provider.hpp"

#include <algorithm>

#include "reconciler/ipam/veth_names.hpp"

namespace topo {

std::string host_veth_name(const std::string& container, const std::string& interface) {
  return derive_host_veth_name(container, interface, 0);
}

std::string host_veth_of(const Attachment& att, const Allocations& allocations) {
  auto it = allocations.find(attachment_key(att));
  if (it != allocations.end() && !it->second.host_veth.empty()) return it->second.host_veth;
  return host_veth_name(att.container, att.interface);
}

namespace {

Resource address(const std::string& ns, const std::string& dev, const IpAddress& a, int len,
                 const std::string& origin) {
  Resource r;
  r.kind = Kind::Address;
  r.ns = ns;
  std::string cidr = a.str() + "/" + std::to_string(len);
  r.name = dev + "/" + cidr;
  r.attrs[attr::dev] = dev;
  r.attrs[attr::address] = cidr;
  r.origin = origin;
  return r;
}

// Where a container at `self` on subnet `s` sends what has no better
// route: the network's default_gateway when one of that family is set (a
// router on the bridge), else topo's gateway. The router itself, should it
// be one of the containers, routes via topo's gateway: a route via its own
// address is one the kernel refuses.
IpAddress default_route_via(const Network& net, const SubnetSpec& s, const IpAddress& self) {
  const auto* bridge = net.settings_as<BridgeSettings>();
  if (bridge && bridge->default_gateway && bridge->default_gateway->family == self.family &&
      *bridge->default_gateway != self)
    return *bridge->default_gateway;
  return *s.gateway;
}

}  // namespace

void no_router_advertisements(const std::string& ns, const std::string& ifname, const Resource& link,
                              const std::string& origin, std::vector<Resource>& out) {
  std::string name = ifname;
  std::replace(name.begin(), name.end(), '.', '/');  // sysctl(8): '/' is a '.' inside a name
  for (const char* setting : {"accept_ra", "autoconf"}) {
    Resource s;
    s.kind = Kind::Sysctl;
    s.ns = ns;
    s.name = "net.ipv6.conf." + name + "." + setting;
    s.attrs[attr::value] = "0";
    s.attrs[attr::link] = link.ns + "/" + link.name;
    s.origin = origin;
    out.push_back(std::move(s));
  }
}

std::vector<std::string> BridgeProvider::keys() const {
  std::vector<std::string> keys = bridge_option_keys();
  keys.insert(keys.end(), {"routed", "default_gateway"});
  return keys;
}

void BridgeProvider::render_network(const Network& net, const RenderContext&, std::vector<Resource>& out) const {
  std::string origin = "network/" + net.name;
  const std::string bridge = net.driver_settings().host_bridge();  // an overlay's too
  Resource br;
  br.kind = Kind::Link;
  br.name = bridge;
  br.attrs[attr::type] = "bridge";
  br.attrs[attr::mtu] = std::to_string(net.mtu);
  br.attrs[attr::state] = "up";
  br.replace_on = {attr::type};
  br.origin = origin;
  out.push_back(br);
  no_router_advertisements("", bridge, br, origin, out);
  for (const auto& s : net.subnets)
    if (s.gateway) out.push_back(address("", bridge, *s.gateway, s.subnet.len, origin));
}

void BridgeProvider::render_attachment(const Attachment& att, const Network& net, const RenderContext& ctx,
                                       std::vector<Resource>& out) const {
  std::string origin = "attachment/" + att.container + "/" + att.interface;
  const Allocation empty;
  auto it = ctx.allocations.find(attachment_key(att));
  const Allocation& alloc = it == ctx.allocations.end() ? empty : it->second;

  Resource veth;
  veth.kind = Kind::Link;
  veth.ns = att.container;
  veth.name = att.interface;
  veth.attrs[attr::type] = "veth";
  veth.attrs[attr::peer] = host_veth_of(att, ctx.allocations);
  veth.attrs[attr::master] = net.driver_settings().host_bridge();
  veth.attrs[attr::mtu] = std::to_string(net.mtu);
  if (!alloc.mac.empty()) veth.attrs[attr::mac] = alloc.mac;
  veth.attrs[attr::state] = "up";
  // The peer is fixed when the pair is made: a new name means a new pair.
  veth.replace_on = {attr::type, attr::peer};
  veth.origin = origin;
  out.push_back(veth);
  no_router_advertisements("", veth.attr(attr::peer), veth, origin, out);
  // The container end too: another container's RA must not give it
  // addresses and routes (topo gives them; it sends no RAs of its own).
  // A container's own `sysctls` for that interface win: set by its author.
  std::vector<Resource> inside;
  no_router_advertisements(att.container, att.interface, veth, origin, inside);
  const Container* c = ctx.desired.container(att.container);
  for (auto& s : inside)
    if (!c || !c->sysctls.count(s.name)) out.push_back(std::move(s));

  bool done_v4 = false, done_v6 = false;
  for (const auto& s : net.subnets) {
    // IPAM gives one address per family, from the first subnet of that family.
    bool& done = s.subnet.addr.is_v4() ? done_v4 : done_v6;
    auto a = s.subnet.addr.is_v4() ? alloc.ipv4 : alloc.ipv6;
    if (!a || done) continue;
    done = true;
    out.push_back(address(att.container, att.interface, *a, s.subnet.len, origin));
    if (att.default_route && !net.internal && s.gateway) {
      Resource rt;
      rt.kind = Kind::Route;
      rt.ns = att.container;
      rt.name = s.subnet.addr.is_v4() ? "default" : "default6";
      rt.attrs[attr::dev] = att.interface;
      rt.attrs[attr::via] = default_route_via(net, s, *a).str();
      rt.origin = origin;
      out.push_back(rt);
    }
  }
}

}  // namespace topo
