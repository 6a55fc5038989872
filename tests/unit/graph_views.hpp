#pragma once
// Hand-built topology views for the graph tests, shaped like examples/:
// a bridge with published ports, a join, a link and a host-mode container;
// macvlan beside a bridge, with its parent; three hosts on an overlay.
#include "reconciler/view/topology_view.hpp"

namespace topo::testing {

inline view::MemberView member(const std::string& container, const std::string& network, const std::string& ifname,
                               const std::string& ipv4, int prefix, const std::string& mac, bool default_route = true) {
  view::MemberView m;
  m.container = container;
  m.network = network;
  m.interface = ifname;
  m.ipv4 = ipv4;
  m.ipv4_prefix = prefix;
  m.mac = mac;
  m.default_route = default_route;
  return m;
}

inline view::ContainerView container(const std::string& name, const std::string& stack,
                                     std::vector<view::MemberView> interfaces = {}) {
  view::ContainerView c;
  c.name = name;
  c.stack = stack;
  c.mode = "default";
  c.netns = "/run/netns/" + name;
  c.hostname = name;
  c.interfaces = std::move(interfaces);
  return c;
}

inline view::NetworkView network(const std::string& name, const std::string& stack, const std::string& driver,
                                 const std::string& subnet, const std::string& gateway) {
  view::NetworkView n;
  n.name = name;
  n.stack = stack;
  n.driver = driver;
  n.subnets.push_back({subnet, gateway, ""});
  n.mtu = driver == "overlay" ? 1450 : 1500;
  return n;
}

// Members are listed on the network too, as the view lists them.
inline void attach(view::TopologyView& v) {
  for (auto& n : v.networks) n.members.clear();
  for (const auto& c : v.containers)
    for (auto m : c.interfaces) {
      m.node = c.node;
      for (auto& n : v.networks)
        if (n.name == m.network) n.members.push_back(m);
    }
}

// examples/quickstart and examples/ports in one: a bridge, two published
// ports (one whose host port topo chose), a sidecar in c1's namespace, a
// legacy link and a container in the host's namespace.
inline view::TopologyView bridge_view() {
  view::TopologyView v;
  view::NetworkView net = network("network01", "quickstart", "bridge", "172.10.0.0/24", "172.10.0.1");
  net.host_bridge = "br-network01";
  net.options = {{"bridge", "br-network01"}, {"icc", "true"}, {"masquerade", "true"}, {"isolated", "true"}};
  v.networks.push_back(net);

  view::ContainerView c1 = container("c1", "quickstart", {member("c1", "network01", "eth0", "172.10.0.2", 24, "02:42:ac:0a:00:02")});
  c1.interfaces[0].host_veth = "veth-c1-0";
  c1.ports.push_back({"tcp", "", 8080, false, 80});
  c1.ports.push_back({"udp", "127.0.0.1", 49153, true, 53});
  view::ContainerView c2 =
      container("c2", "quickstart", {member("c2", "network01", "eth0", "172.10.0.100", 24, "02:42:ac:0a:00:64")});
  c2.interfaces[0].aliases = {"api"};
  c2.links.push_back({"c1", "web"});
  view::ContainerView monitor = container("monitor", "quickstart");
  monitor.mode = "host";
  monitor.netns = "";
  view::ContainerView sidecar = container("sidecar", "quickstart");
  sidecar.mode = "container";
  sidecar.mode_target = "c1";
  sidecar.netns = "/run/netns/c1";
  v.containers = {c1, c2, monitor, sidecar};
  attach(v);
  return v;
}

// examples/macvlan beside a bridge: m1 has two interfaces, its default
// route on the LAN.
inline view::TopologyView macvlan_view() {
  view::TopologyView v;
  view::NetworkView back = network("back", "lan", "bridge", "172.20.0.0/24", "172.20.0.1");
  back.host_bridge = "br-back";
  back.internal = true;
  view::NetworkView lan = network("lan", "lan", "macvlan", "192.168.1.0/24", "192.168.1.1");
  lan.parent = "eth0";
  lan.options = {{"parent", "eth0"}, {"mode", "bridge"}};
  v.networks = {back, lan};
  v.containers = {
      container("m1", "lan",
                {member("m1", "back", "eth0", "172.20.0.2", 24, "02:42:ac:14:00:02", false),
                 member("m1", "lan", "eth1", "192.168.1.50", 24, "02:42:c0:a8:01:32", true)}),
      container("m2", "lan", {member("m2", "lan", "eth0", "192.168.1.51", 24, "02:42:c0:a8:01:33")}),
  };
  attach(v);
  return v;
}

// examples/overlay: three hosts, one overlay network across them, and a
// bridge network only host a has.
inline view::TopologyView overlay_view() {
  view::TopologyView v;
  v.hosts = {{"a", "10.99.0.1"}, {"b", "10.99.0.2"}, {"c", "10.99.0.3"}};
  view::NetworkView backend = network("backend", "overlay", "overlay", "10.50.0.0/24", "10.50.0.1");
  backend.host_bridge = "br-backend";
  backend.options = {{"vni", "4242"}, {"port", "4789"}, {"bridge", "br-backend"}};
  view::NetworkView cache = network("cache", "overlay", "bridge", "172.30.0.0/24", "172.30.0.1");
  cache.host_bridge = "br-cache";
  v.networks = {backend, cache};
  auto on = [](view::ContainerView c, const std::string& node) {
    c.node = node;
    return c;
  };
  view::ContainerView db = container("db", "overlay", {member("db", "backend", "eth0", "10.50.0.20", 24, "02:42:0a:32:00:14")});
  db.interfaces[0].aliases = {"database"};
  v.containers = {
      on(db, "c"),
      on(container("redis", "overlay", {member("redis", "cache", "eth0", "172.30.0.2", 24, "02:42:ac:1e:00:02")}), "a"),
      on(container("web-a", "overlay",
                   {member("web-a", "backend", "eth0", "10.50.0.11", 24, "02:42:0a:32:00:0b"),
                    member("web-a", "cache", "eth1", "172.30.0.3", 24, "02:42:ac:1e:00:03", false)}),
         "a"),
      on(container("web-b", "overlay", {member("web-b", "backend", "eth0", "10.50.0.12", 24, "02:42:0a:32:00:0c")}), "b"),
  };
  attach(v);
  return v;
}

}  // namespace topo::testing
