#include "providers/firewall/firewall_provider.hpp"

#include <algorithm>
#include <set>

#include "providers/bridge/bridge_provider.hpp"
#include "providers/overlay/overlay_provider.hpp"
#include "reconciler/ipam/host_ports.hpp"
#include "reconciler/resources/firewall.hpp"

namespace topo {
namespace {

using namespace firewall;

Resource intent(const std::string& what, const std::string& name, const std::string& origin,
                const std::string& stack = "") {
  Resource r;
  r.kind = Kind::Firewall;
  r.name = name;
  r.attrs[fattr::intent] = what;
  r.attrs[fattr::rules] = kAllRules;
  r.origin = origin;
  r.stack = stack;
  return r;
}

// How an intent names a network or container: the same name may be used in
// two stacks, and intents of every stack share topo's tables.
std::string ref(const std::string& stack, const std::string& name) {
  return stack.empty() || stack == kDefaultStack ? name : stack + "/" + name;
}

// Firewall intents are a bridge network's, and a routed overlay's (cluster
// mode, subnet_per_node: the host routes its share like a bridge network's
// subnet). An L2 overlay's bridge has none: its segment spans the nodes.
bool is_bridge_network(const Network& net) {
  return net.settings_as<BridgeSettings>() != nullptr || net.driver_settings().share_per_node().has_value();
}
const BridgeOptions& bridge_of(const Network& net) { return *net.settings_as<BridgeOptions>(); }
bool routed(const Network& net) {
  const auto* b = net.settings_as<BridgeSettings>();
  return b && b->routed;
}

// A network's subnets as intents spell them: "10.50.0.0/24,fd00::/64".
std::string joined_subnets(const Network& net) {
  std::string out;
  for (const auto& s : net.subnets) out += (out.empty() ? "" : ",") + s.subnet.network_str();
  return out;
}

Resource sysctl(const std::string& key, const std::string& origin) {
  Resource r;
  r.kind = Kind::Sysctl;
  r.name = key;
  r.attrs[attr::value] = "1";
  r.origin = origin;
  return r;
}

// The address a container's ports are published to: its IPv4 address on a
// bridge network with a way out, the default-route attachment first.
struct Target {
  const Attachment* att = nullptr;
  const Network* net = nullptr;
  IpAddress addr;
  IpPrefix subnet;
};

std::optional<Target> publish_target(const Container& c, const Desired& d, const Allocations& allocs) {
  std::optional<Target> best;
  for (const auto& att : d.attachments) {
    if (att.container != c.name) continue;
    const Network* net = d.network(att.network);
    if (!net || !is_bridge_network(*net) || net->internal) continue;
    auto it = allocs.find(attachment_key(att));
    if (it == allocs.end() || !it->second.ipv4) continue;
    const SubnetSpec* sub = nullptr;
    for (const auto& s : net->subnets)
      if (s.subnet.contains(*it->second.ipv4)) sub = &s;
    if (!sub) continue;
    Target t{&att, net, *it->second.ipv4, sub->subnet};
    if (!best || (att.default_route && !best->att->default_route)) best = t;
  }
  return best;
}

// A container reaching its own published port through a host address: the
// DNATed packet goes back out of the bridge port it came in by. When the
// kernel passes bridged traffic through netfilter (br_netfilter, common on
// container hosts) the DNAT happens at the bridge, which then forwards the
// frame back to its ingress port: only with hairpin mode on that port (as
// Docker sets it without its userland proxy). The setting is tied to the
// veth, so it is written again whenever the pair is made anew.
Resource hairpin_mode(const Container& c, const Attachment& att, const Allocations& allocs) {
  std::string port = host_veth_of(att, allocs);
  std::replace(port.begin(), port.end(), '.', '/');  // as in sysctl keys
  Resource r = sysctl("sys.class.net." + port + ".brport.hairpin_mode", "container/" + c.name);
  r.attrs[attr::link] = att.container + "/" + att.interface;
  r.stack = c.stack;
  return r;
}

}  // namespace

void render_firewall(const Desired& d, const Allocations& allocs, std::vector<Resource>& out) {
  std::vector<Resource> rs;
  bool forward4 = false, forward6 = false;
  std::set<std::string> loopback_bridges;  // with a port published on 127.x
  std::vector<const Network*> bridges;
  for (const auto& net : d.networks)
    if (is_bridge_network(net)) bridges.push_back(&net);

  for (const Network* net : bridges) {
    const std::string origin = "network/" + net->name, name = ref(net->stack, net->name);
    // A routed overlay's shares reach each other through the host, internal or not.
    if (!net->internal || (d.facts && net->driver_settings().share_per_node()))
      for (const auto& s : net->subnets) (s.subnet.addr.is_v4() ? forward4 : forward6) = true;
    if (net->internal) {
      Resource r = intent("internal", "internal " + name, origin, net->stack);
      r.attrs[fattr::bridge] = bridge_of(*net).bridge;
      rs.push_back(r);
    } else if (bridge_of(*net).masquerade && !net->subnets.empty()) {
      Resource r = intent("masquerade", "masquerade " + name, origin, net->stack);
      r.attrs[fattr::bridge] = bridge_of(*net).bridge;
      r.attrs[fattr::subnets] = joined_subnets(*net);
      // Cluster mode: this node's share talks to the other nodes' shares as
      // they are, flannel-style; only what leaves the whole subnet is NATed.
      if (d.facts && net->driver_settings().share_per_node())
        if (const Network* whole = d.whole().network(net->name)) r.attrs[fattr::except] = joined_subnets(*whole);
      rs.push_back(r);
    }
    if (!bridge_of(*net).icc)
      for (const auto& att : d.attachments) {
        if (att.network != net->name) continue;
        Resource r = intent("icc-off", "icc-off " + name + " " + att.container + "/" + att.interface,
                            "attachment/" + att.container + "/" + att.interface, net->stack);
        r.attrs[fattr::bridge] = bridge_of(*net).bridge;
        r.attrs[fattr::port] = host_veth_of(att, allocs);
        rs.push_back(r);
      }
  }
  // Isolation, per network: nothing is forwarded between an isolated
  // network's bridge and any other bridge topo made (every stack's: they are
  // known by topo's link group), so two networks are apart when either is
  // isolated, one intent per network instead of one per pair, and a stack
  // applied later is isolated from this one without changing it. Internal
  // networks already drop everything that leaves or enters them.
  for (const Network* net : bridges) {
    if (net->internal || !bridge_of(*net).isolated) continue;
    Resource r = intent("isolate", "isolate " + ref(net->stack, net->name), "network/" + net->name, net->stack);
    r.attrs[fattr::bridge] = bridge_of(*net).bridge;
    rs.push_back(r);
  }
  // Cluster mode: a routed overlay's share and the other nodes' shares.
  for (const Network* net : bridges) {
    const auto* ov = net->settings_as<OverlaySettings>();
    if (!d.facts || !ov || !ov->subnet_per_node) continue;
    Resource r = intent("tunnel", "tunnel " + ref(net->stack, net->name), "network/" + net->name, net->stack);
    r.attrs[fattr::bridge] = bridge_of(*net).bridge;
    if (ov->backend == OverlaySettings::Backend::Vxlan) {
      r.attrs[fattr::device] = vxlan_name(net->name);
    } else if (const Network* whole = d.whole().network(net->name)) {
      r.attrs[fattr::peers] = joined_subnets(*whole);
    }
    rs.push_back(r);
  }
  // Opted in: connections routed to the containers from beyond the host pass
  // the guard that otherwise lets in only published ports (rules.cpp).
  for (const Network* net : bridges) {
    if (net->internal || !routed(*net)) continue;
    Resource r = intent("routed", "routed " + ref(net->stack, net->name), "network/" + net->name, net->stack);
    r.attrs[fattr::bridge] = bridge_of(*net).bridge;
    rs.push_back(r);
  }
  std::set<std::string> published;
  std::vector<Resource> rs_settings;  // bridge port flags, after the firewall's
  for (const auto& c : d.containers) {
    if (c.ports.empty() || c.network_mode != NetworkMode::Default) continue;
    auto t = publish_target(c, d, allocs);
    if (!t) continue;  // the loader refuses ports without a network that has a way out
    rs_settings.push_back(hairpin_mode(c, *t->att, allocs));
    for (const auto& pm : c.ports) {
      int host_port = pm.host_port;
      if (host_port == 0) {  // left to topo: chosen before rendering (ipam/host_ports.hpp)
        auto chosen = allocs.find(host_port_key(c.name, pm));
        if (chosen == allocs.end() || chosen->second.host_port <= 0) continue;
        host_port = chosen->second.host_port;
      }
      std::string host = pm.host_ip.empty() ? "0.0.0.0" : pm.host_ip;
      auto host_addr = IpAddress::parse(host);
      if (!host_addr || !host_addr->is_v4()) continue;  // the loader refuses IPv6 host addresses
      // Connections to a loopback address leave towards the bridge with a
      // 127/8 source, which the kernel drops unless the bridge allows it.
      // Every host address includes 127.0.0.1, as it does on Docker.
      if (host_addr->is_loopback() || host_addr->is_unspecified())
        loopback_bridges.insert(bridge_of(*t->net).bridge);
      std::string hp = std::to_string(host_port);
      Resource r = intent("publish", "publish " + host + ":" + hp + "/" + pm.protocol, "container/" + c.name, c.stack);
      // The same port written twice, or "0.0.0.0:8080:80" beside "8080:80"
      // (the loader lets one container repeat itself): published once.
      if (!published.insert(r.name).second) continue;
      r.attrs[fattr::host] = host;
      r.attrs[fattr::host_port] = hp;
      r.attrs[fattr::protocol] = pm.protocol;
      r.attrs[fattr::container] = c.name;
      r.attrs[fattr::to] = t->addr.str() + ":" + std::to_string(pm.container_port);
      r.attrs[fattr::subnet] = t->subnet.network_str();
      if (pm.host_port == 0) r.attrs[fattr::chosen] = "yes";  // read back when the state dir is lost
      rs.push_back(r);
    }
  }

  if (!rs.empty()) {
    Resource inet = intent("table", "table inet topo", "firewall");
    inet.attrs[fattr::family] = "inet";
    out.push_back(inet);
    bool bridge_table = std::any_of(rs.begin(), rs.end(), [](const Resource& r) { return r.attr(fattr::intent) == "icc-off"; });
    if (bridge_table) {
      Resource br = intent("table", "table bridge topo", "firewall");
      br.attrs[fattr::family] = "bridge";
      out.push_back(br);
    }
  }
  for (auto& r : rs) out.push_back(std::move(r));
  if (forward4) out.push_back(sysctl("net.ipv4.ip_forward", "firewall"));
  for (std::string br : loopback_bridges) {
    std::replace(br.begin(), br.end(), '.', '/');  // sysctl(8): '/' is a '.' inside a name
    out.push_back(sysctl("net.ipv4.conf." + br + ".route_localnet", "firewall"));
  }
  if (forward6) out.push_back(sysctl("net.ipv6.conf.all.forwarding", "firewall"));
  for (auto& r : rs_settings) out.push_back(std::move(r));
}

}  // namespace topo
