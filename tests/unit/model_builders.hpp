#pragma once
// Small builders for desired models in pure tests, filled as the loader would.
#include <cstdint>
#include <memory>

#include "providers/bridge/bridge_settings.hpp"
#include "providers/overlay/overlay_settings.hpp"
#include "providers/sub_interface/sub_interface_settings.hpp"
#include "reconciler/model/desired.hpp"

namespace topo::testing {

// A hand-built network's driver settings, to change. The model shares
// settings and never changes them, so the network gets a copy of its own.
template <typename T>
T& settings_of(Network& n) {
  const T* mine = n.settings_as<T>();
  auto copy = mine ? std::make_shared<T>(*mine) : std::make_shared<T>();
  T& out = *copy;
  n.settings = std::move(copy);
  return out;
}

inline Network bridge_network(const std::string& name, const std::string& cidr, const std::string& gw = "") {
  Network n;
  n.name = name;
  settings_of<BridgeSettings>(n).bridge = default_bridge_name(name);
  SubnetSpec s;
  s.subnet = *IpPrefix::parse(cidr);
  s.gateway = gw.empty() ? s.subnet.network().plus(1) : *IpAddress::parse(gw);
  n.subnets.push_back(s);
  return n;
}

// A bridge_network made an overlay with the same bridge.
inline void make_overlay(Network& n, std::uint32_t vni) {
  auto s = std::make_shared<OverlaySettings>();
  if (const BridgeSettings* b = n.settings_as<BridgeSettings>()) static_cast<BridgeOptions&>(*s) = *b;
  s->vni = vni;
  n.driver = Driver::Overlay;
  n.settings = std::move(s);
}

// An overlay routed per node in cluster mode: a share of `share` bits per node.
inline void make_routed_overlay(Network& n, std::uint32_t vni, int share) {
  make_overlay(n, vni);
  auto s = std::make_shared<OverlaySettings>(*n.settings_as<OverlaySettings>());
  s->subnet_per_node = share;
  n.settings = std::move(s);
}

// A network made macvlan or ipvlan, off `parent`.
inline void make_sub_interface(Network& n, Driver driver, const std::string& parent, const std::string& mode) {
  auto s = std::make_shared<SubInterfaceSettings>();
  s->ipvlan = driver == Driver::Ipvlan;
  s->parent = parent;
  s->mode = mode;
  n.driver = driver;
  n.settings = std::move(s);
}

inline Container container(const std::string& name) {
  Container c;
  c.name = name;
  c.hostname = name;
  return c;
}

inline Host host(const std::string& name, const std::string& addr) {
  Host h;
  h.name = name;
  h.address = *IpAddress::parse(addr);
  return h;
}

// A container placed on a node (multi-host manifests).
inline Container on(const std::string& name, const std::string& node) {
  Container c = container(name);
  c.node = node;
  return c;
}

inline Attachment attach(const std::string& c, const std::string& net, const std::string& ipv4 = "") {
  Attachment a;
  a.container = c;
  a.network = net;
  a.interface = "eth0";
  a.default_route = true;
  if (!ipv4.empty()) a.ipv4 = IpAddress::parse(ipv4);
  return a;
}

}  // namespace topo::testing
