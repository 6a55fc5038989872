#pragma once
// Small builders for desired models in pure tests, filled as the loader would.
#include "reconciler/model/desired.hpp"

namespace topo::testing {

inline Network bridge_network(const std::string& name, const std::string& cidr, const std::string& gw = "") {
  Network n;
  n.name = name;
  n.bridge = ("br-" + name).substr(0, 15);
  SubnetSpec s;
  s.subnet = *IpPrefix::parse(cidr);
  s.gateway = gw.empty() ? s.subnet.network().plus(1) : *IpAddress::parse(gw);
  n.subnets.push_back(s);
  return n;
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
