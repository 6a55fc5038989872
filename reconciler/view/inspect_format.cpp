#include "reconciler/view/inspect_format.hpp"

#include <sstream>

#include "reconciler/view/text_layout.hpp"
#include "reconciler/view/view_json.hpp"

namespace topo::view {

namespace {

std::string or_dash(const std::string& s) { return s.empty() ? "-" : s; }
std::string yes_no(bool b) { return b ? "yes" : "no"; }
std::string true_false(bool b) { return b ? "true" : "false"; }

std::string joined(const std::vector<std::string>& items, const std::string& sep) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : sep) + item;
  return out;
}

std::string with_prefix(const std::string& address, int prefix) {
  return address.empty() ? "-" : address + "/" + std::to_string(prefix);
}

std::string subnet_text(const SubnetView& s, bool from_pools) {
  std::string out = s.subnet;
  if (!s.gateway.empty()) out += ", gateway " + s.gateway;
  if (!s.ip_range.empty()) out += ", ip_range " + s.ip_range;
  if (from_pools) out += " (from the address pools)";
  return out;
}

// "name:" then its table, or "name: none".
void section(std::ostringstream& out, const std::string& name, const std::vector<std::string>& header,
             const std::vector<std::vector<std::string>>& rows) {
  if (rows.empty()) {
    out << name << ": none\n";
    return;
  }
  out << name << ":\n" << table(header, rows);
}

bool any_node(const std::vector<MemberView>& members) {
  for (const auto& m : members)
    if (!m.node.empty()) return true;
  return false;
}

bool any_aliases(const std::vector<MemberView>& members) {
  for (const auto& m : members)
    if (!m.aliases.empty()) return true;
  return false;
}

bool any_host_veth(const std::vector<MemberView>& members) {
  for (const auto& m : members)
    if (!m.host_veth.empty()) return true;
  return false;
}

// Members of a network (first column the container) or interfaces of a
// container (first column the network), with the optional columns only
// when a row fills them.
void member_table(std::ostringstream& out, const std::string& name, const std::vector<MemberView>& members,
                  bool by_container) {
  const bool node = any_node(members) && by_container, aliases = any_aliases(members), veth = any_host_veth(members);
  std::vector<std::string> header{by_container ? "CONTAINER" : "INTERFACE", by_container ? "INTERFACE" : "NETWORK",
                                  "IPV4", "IPV6", "MAC"};
  if (veth) header.push_back("HOST_VETH");
  if (!by_container) header.push_back("DEFAULT_ROUTE");
  if (node) header.push_back("NODE");
  if (aliases) header.push_back("ALIASES");
  std::vector<std::vector<std::string>> rows;
  for (const auto& m : members) {
    std::vector<std::string> row{by_container ? m.container : m.interface, by_container ? m.interface : m.network,
                                 with_prefix(m.ipv4, m.ipv4_prefix), with_prefix(m.ipv6, m.ipv6_prefix),
                                 or_dash(m.mac)};
    if (veth) row.push_back(or_dash(m.host_veth));
    if (!by_container) row.push_back(yes_no(m.default_route));
    if (node) row.push_back(or_dash(m.node));
    if (aliases) row.push_back(m.aliases.empty() ? "-" : joined(m.aliases, ","));
    rows.push_back(std::move(row));
  }
  section(out, name, header, rows);
}

std::string document(const char* kind, ViewJson body) {
  ViewJson j;
  j["format_version"] = kInspectFormatVersion;
  j[kind] = std::move(body);
  return j.dump(2) + "\n";
}

}  // namespace

std::string format_network_text(const NetworkView& n) {
  KeyValues head{{"name", n.name}, {"stack", n.stack}, {"driver", n.driver}};
  for (const auto& s : n.subnets) head.emplace_back("subnet", subnet_text(s, n.subnet_from_pools));
  if (n.subnets.empty())
    head.emplace_back("subnet", n.subnet_from_pools ? "from the address pools, not chosen yet" : "-");
  head.emplace_back("internal", true_false(n.internal));
  head.emplace_back("mtu", std::to_string(n.mtu));
  if (!n.host_bridge.empty()) head.emplace_back("host_bridge", n.host_bridge);
  if (!n.parent.empty()) head.emplace_back("parent", n.parent);
  std::ostringstream out;
  out << aligned(head);
  if (n.options.empty()) {
    out << "options: none\n";
  } else {
    out << "options:\n" << aligned(n.options, 2);
  }
  member_table(out, "members", n.members, /*by_container=*/true);
  return out.str();
}

std::string format_network_json(const NetworkView& n) { return document("network", to_json(n)); }

std::string format_container_text(const ContainerView& c) {
  KeyValues head{{"name", c.name}, {"stack", c.stack}};
  head.emplace_back("mode",
                    c.mode == "container" ? "container (shares the namespace of " + c.mode_target + ")" : c.mode);
  if (c.mode == "host")
    head.emplace_back("netns", "the host's");
  else
    head.emplace_back("netns", c.netns + (c.adopted ? " (adopted: topo never removes it)" : ""));
  if (!c.node.empty()) head.emplace_back("node", c.node);
  head.emplace_back("hostname", c.hostname);
  if (c.mode != "host") {
    const char* host = "from the host's resolv.conf";
    head.emplace_back("dns", c.dns.empty() ? host : joined(c.dns, ", "));
    head.emplace_back("dns_search", c.dns_search.empty() ? host : joined(c.dns_search, ", "));
  }
  std::ostringstream out;
  out << aligned(head);
  member_table(out, "interfaces", c.interfaces, /*by_container=*/false);

  std::vector<std::vector<std::string>> rows;
  for (const auto& r : c.routes) rows.push_back({r.destination, or_dash(r.via), or_dash(r.interface)});
  section(out, "routes", {"DESTINATION", "VIA", "INTERFACE"}, rows);

  rows.clear();
  for (const auto& p : c.ports)
    rows.push_back({p.host_ip.empty() ? "*" : p.host_ip, p.host_port ? std::to_string(p.host_port) : "-",
                    std::to_string(p.container_port), p.protocol, yes_no(p.host_port_chosen)});
  section(out, "ports", {"HOST_IP", "HOST_PORT", "CONTAINER_PORT", "PROTOCOL", "HOST_PORT_CHOSEN"}, rows);

  rows.clear();
  for (const auto& h : c.hosts) rows.push_back({h.address, joined(h.names, " "), h.part});
  section(out, "hosts", {"ADDRESS", "NAMES", "PART"}, rows);

  rows.clear();
  for (const auto& [target, alias] : c.links) rows.push_back({target, alias});
  if (!rows.empty()) section(out, "links", {"TARGET", "ALIAS"}, rows);
  return out.str();
}

std::string format_container_json(const ContainerView& c) { return document("container", to_json(c)); }

std::string unknown_name_message(const TopologyView& v, const std::string& kind, const std::string& name) {
  std::vector<std::string> names;
  if (kind == "network")
    for (const auto& n : v.networks) names.push_back(n.name);
  else
    for (const auto& c : v.containers) names.push_back(c.name);
  std::string out = "inspect: no " + kind + " \"" + name + "\" in the manifests";
  if (names.empty()) return out + "; they declare no " + kind;
  return out + "; the " + kind + "s are: " + joined(names, ", ");
}

}  // namespace topo::view
