#include "reconciler/view/view_json.hpp"

#include "reconciler/view/option_types.hpp"

namespace topo::view {

namespace {

// "" in the view is "none".
ViewJson text_or_null(const std::string& s) { return s.empty() ? ViewJson(nullptr) : ViewJson(s); }

template <typename T>
ViewJson list(const std::vector<T>& items) {
  ViewJson out = ViewJson::array();
  for (const T& item : items) out.push_back(to_json(item));
  return out;
}

ViewJson strings(const std::vector<std::string>& items) {
  ViewJson out = ViewJson::array();
  for (const std::string& s : items) out.push_back(s);
  return out;
}

// A value as its key's type; text that does not read as that type stays text.
ViewJson typed(const std::string& key, const std::string& value) {
  switch (network_key_type(key)) {
    case ValueType::Boolean:
      if (value == "true" || value == "false") return value == "true";
      break;
    case ValueType::Integer:
      try {
        std::size_t used = 0;
        const long long n = std::stoll(value, &used);
        if (used == value.size()) return n;
      } catch (const std::exception&) {
      }
      break;
    case ValueType::String:
      break;
  }
  return value;
}

}  // namespace

ViewJson options_json(const std::vector<std::pair<std::string, std::string>>& options) {
  ViewJson out = ViewJson::object();
  for (const auto& [key, value] : options) out[key] = typed(key, value);
  return out;
}

ViewJson to_json(const MemberView& m) {
  ViewJson j;
  j["container"] = m.container;
  j["network"] = m.network;
  j["interface"] = m.interface;
  j["ipv4"] = text_or_null(m.ipv4);
  j["ipv4_prefix"] = m.ipv4.empty() ? ViewJson(nullptr) : ViewJson(m.ipv4_prefix);
  j["ipv6"] = text_or_null(m.ipv6);
  j["ipv6_prefix"] = m.ipv6.empty() ? ViewJson(nullptr) : ViewJson(m.ipv6_prefix);
  j["mac"] = text_or_null(m.mac);
  j["host_veth"] = text_or_null(m.host_veth);
  j["aliases"] = strings(m.aliases);
  j["default_route"] = m.default_route;
  j["node"] = text_or_null(m.node);
  return j;
}

ViewJson to_json(const SubnetView& s) {
  ViewJson j;
  j["subnet"] = s.subnet;
  j["gateway"] = text_or_null(s.gateway);
  j["ip_range"] = text_or_null(s.ip_range);
  return j;
}

ViewJson to_json(const NetworkView& n) {
  ViewJson j;
  j["name"] = n.name;
  j["stack"] = n.stack;
  j["driver"] = n.driver;
  j["subnets"] = list(n.subnets);
  j["subnet_from_pools"] = n.subnet_from_pools;
  j["internal"] = n.internal;
  j["mtu"] = n.mtu;
  j["options"] = options_json(n.options);
  j["host_bridge"] = text_or_null(n.host_bridge);
  j["parent"] = text_or_null(n.parent);
  j["members"] = list(n.members);
  return j;
}

ViewJson to_json(const PortView& p) {
  ViewJson j;
  j["protocol"] = p.protocol;
  j["host_ip"] = text_or_null(p.host_ip);
  j["host_port"] = p.host_port == 0 ? ViewJson(nullptr) : ViewJson(p.host_port);
  j["host_port_chosen"] = p.host_port_chosen;
  j["container_port"] = p.container_port;
  return j;
}

ViewJson to_json(const RouteView& r) {
  ViewJson j;
  j["destination"] = r.destination;
  j["via"] = text_or_null(r.via);
  j["interface"] = text_or_null(r.interface);
  return j;
}

ViewJson to_json(const HostsEntry& h) {
  ViewJson j;
  j["address"] = h.address;
  j["names"] = strings(h.names);
  j["part"] = h.part;
  return j;
}

ViewJson to_json(const ContainerView& c) {
  ViewJson j;
  j["name"] = c.name;
  j["stack"] = c.stack;
  j["mode"] = c.mode;
  j["mode_target"] = text_or_null(c.mode_target);
  j["netns"] = text_or_null(c.netns);
  j["adopted"] = c.adopted;
  j["node"] = text_or_null(c.node);
  j["hostname"] = c.hostname;
  j["interfaces"] = list(c.interfaces);
  j["routes"] = list(c.routes);
  j["ports"] = list(c.ports);
  j["dns"] = strings(c.dns);
  j["dns_search"] = strings(c.dns_search);
  j["hosts"] = list(c.hosts);
  ViewJson links = ViewJson::array();
  for (const auto& [target, alias] : c.links) {
    ViewJson link;
    link["target"] = target;
    link["alias"] = alias;
    links.push_back(std::move(link));
  }
  j["links"] = links;
  return j;
}

ViewJson to_json(const HostView& h) {
  ViewJson j;
  j["name"] = h.name;
  j["address"] = h.address;
  return j;
}

}  // namespace topo::view
