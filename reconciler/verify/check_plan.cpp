#include "reconciler/verify/check_plan.hpp"

#include <algorithm>

namespace topo::verify {
namespace {

// The container whose namespace `name` is in (mode container follows its
// target); null when unknown.
const view::ContainerView* holder(const view::TopologyView& v, const std::string& name) {
  const view::ContainerView* c = v.container(name);
  if (c && c->mode == "container") return v.container(c->mode_target);
  return c;
}

std::string address_of(const view::MemberView& m) { return !m.ipv4.empty() ? m.ipv4 : m.ipv6; }

// The probe's namespace and /etc of a container: the host's for mode host.
Probe probe_from(const view::ContainerView& c, const std::string& etc_netns_dir) {
  Probe p;
  if (c.mode == "host") return p;
  p.netns = c.netns;
  p.etc_dir = etc_netns_dir + "/" + c.name;
  return p;
}

bool local(const view::TopologyView& v, const view::ContainerView& c) { return v.node.empty() || c.node == v.node; }

// `to`'s address as `from` should reach it: on the first network (by name)
// both are on, else on the network of to's default route, else its first.
std::string target_address(const view::ContainerView& from, const view::ContainerView& to, std::string& note) {
  for (const view::MemberView& t : to.interfaces)
    for (const view::MemberView& f : from.interfaces)
      if (f.network == t.network && !address_of(t).empty()) return address_of(t);
  for (const view::MemberView& t : to.interfaces)
    if (t.default_route && !address_of(t).empty()) {
      note = "no network shared; its address on " + t.network;
      return address_of(t);
    }
  for (const view::MemberView& t : to.interfaces)
    if (!address_of(t).empty()) {
      note = "no network shared; its address on " + t.network;
      return address_of(t);
    }
  return "";
}

ProbeKind kind_of(CheckProtocol p) {
  switch (p) {
    case CheckProtocol::Tcp: return ProbeKind::Tcp;
    case CheckProtocol::Udp: return ProbeKind::Udp;
    case CheckProtocol::Icmp: break;
  }
  return ProbeKind::Icmp;
}

std::string with_port(const PlannedCheck& c) {
  return c.probe.port ? ":" + std::to_string(c.probe.port) + "/" + to_string(c.probe.kind) : " (icmp)";
}

PlannedCheck plan_one(const Check& check, const view::TopologyView& v, const std::string& etc_netns_dir) {
  PlannedCheck out;
  out.from = check.from;
  out.source = check.where.str();
  out.expect_reachable = check.expect_reachable;
  const view::ContainerView* from = v.container(check.from);
  const view::ContainerView* from_ns = holder(v, check.from);
  if (!from || !from_ns) {
    out.cannot_run = "container " + check.from + " is not in this topology";
    return out;
  }
  out.probe = probe_from(*from_ns, etc_netns_dir);
  if (from->mode == "host") out.probe.etc_dir.clear();
  // A joiner sees the files topo wrote for it (bound over its target's).
  else if (from->mode == "container") out.probe.etc_dir = etc_netns_dir + "/" + from->name;
  out.probe.timeout_ms = check.timeout_ms;
  if (!check.resolve.empty()) {
    out.probe.kind = ProbeKind::Resolve;
    out.probe.name = check.resolve;
    out.target = "resolve " + check.resolve;
    // A name that is a container's, or an alias or link alias of one, must
    // give that container's address; any other name any address.
    for (const view::ContainerView& c : v.containers) {
      bool named = c.name == check.resolve || c.hostname == check.resolve;
      for (const view::MemberView& m : c.interfaces)
        named |= std::find(m.aliases.begin(), m.aliases.end(), check.resolve) != m.aliases.end();
      for (const auto& [target, alias] : from->links) named |= alias == check.resolve && target == c.name;
      if (!named) continue;
      const view::ContainerView* ns = holder(v, c.name);
      for (const view::MemberView& m : ns ? ns->interfaces : c.interfaces) {
        if (!m.ipv4.empty()) out.expected_addresses.push_back(m.ipv4);
        if (!m.ipv6.empty()) out.expected_addresses.push_back(m.ipv6);
      }
    }
    return out;
  }
  out.probe.kind = kind_of(check.protocol);
  out.probe.port = check.port;
  if (check.to_address) {
    out.probe.address = check.to_address->str();
    out.target = out.probe.address;
  } else {
    const view::ContainerView* to = holder(v, check.to);
    std::string note;
    out.probe.address = to ? target_address(*from_ns, *to, note) : "";
    if (out.probe.address.empty()) {
      out.target = check.to;
      out.cannot_run = "container " + check.to + " has no address topo gives it";
      return out;
    }
    out.target = check.to + " (" + out.probe.address + (note.empty() ? "" : ", " + note) + ")";
  }
  out.target += with_port(out);
  return out;
}

PlannedCheck implied(const view::ContainerView& from, const std::string& target, const std::string& address,
                     bool reachable, std::string why, const std::string& etc_netns_dir, int timeout_ms) {
  PlannedCheck c;
  c.from = from.name;
  c.probe = probe_from(from, etc_netns_dir);
  c.probe.etc_dir.clear();
  c.probe.address = address;
  c.probe.timeout_ms = timeout_ms;
  c.target = target + " (icmp)";
  c.source = "implied";
  c.why = std::move(why);
  c.expect_reachable = reachable;
  return c;
}

// Members of `n` that are containers of this node, in their own namespace.
std::vector<std::pair<const view::ContainerView*, const view::MemberView*>> local_members(
    const view::TopologyView& v, const view::NetworkView& n) {
  std::vector<std::pair<const view::ContainerView*, const view::MemberView*>> out;
  for (const view::MemberView& m : n.members) {
    const view::ContainerView* c = v.container(m.container);
    if (c && local(v, *c) && !address_of(m).empty()) out.emplace_back(c, &m);
  }
  return out;
}

}  // namespace

std::vector<PlannedCheck> plan_checks(const std::vector<Check>& checks, const view::TopologyView& v,
                                      const std::string& etc_netns_dir) {
  std::vector<PlannedCheck> out;
  for (const Check& c : checks) out.push_back(plan_one(c, v, etc_netns_dir));
  return out;
}

std::vector<PlannedCheck> implied_checks(const view::TopologyView& v, const std::string& etc_netns_dir,
                                         int timeout_ms) {
  std::vector<PlannedCheck> out;
  for (const view::NetworkView& n : v.networks) {
    if (n.host_bridge.empty()) continue;  // the promises below are a host bridge's
    const auto members = local_members(v, n);
    const bool icc = n.members_reach_each_other;
    for (const auto& [c, m] : members)
      for (const view::SubnetView& s : n.subnets)
        if (!s.gateway.empty() && (m->ipv4.empty() ? s.gateway.find(':') != std::string::npos
                                                    : s.gateway.find(':') == std::string::npos))
          out.push_back(implied(*c, "gateway " + s.gateway + " of " + n.name, s.gateway, true,
                                "attached to " + n.name, etc_netns_dir, timeout_ms));
    // Each pair once: a reply proves the way back too.
    for (std::size_t i = 0; i < n.members.size(); ++i) {
      const view::ContainerView* a = v.container(n.members[i].container);
      if (!a || !local(v, *a) || address_of(n.members[i]).empty()) continue;
      for (std::size_t j = i + 1; j < n.members.size(); ++j) {
        const view::MemberView& b = n.members[j];
        if (b.container == a->name || address_of(b).empty()) continue;
        out.push_back(implied(*a, b.container + " (" + address_of(b) + ")", address_of(b), icc,
                              icc ? "both on " + n.name : "icc: false on " + n.name, etc_netns_dir, timeout_ms));
      }
    }
  }
  // Isolation: a member of one network never reaches a member of another
  // when either is isolated (or they are in different stacks), unless it is
  // on both.
  for (const view::NetworkView& n1 : v.networks)
    for (const view::NetworkView& n2 : v.networks) {
      if (&n1 == &n2 || n1.host_bridge.empty() || n2.host_bridge.empty()) continue;
      const bool isolated = n1.isolated || n2.isolated || n1.stack != n2.stack;
      if (!isolated) continue;
      const auto from = local_members(v, n1);
      const view::MemberView* to = nullptr;
      for (const view::MemberView& m : n2.members)
        if (!address_of(m).empty()) to = to ? to : &m;
      if (!to) continue;
      for (const auto& [c, m] : from) {
        bool on_both = false;
        for (const view::MemberView& own : c->interfaces) on_both |= own.network == n2.name;
        if (on_both) continue;
        out.push_back(implied(*c, to->container + " (" + address_of(*to) + ") on " + n2.name, address_of(*to), false,
                              n1.name + " and " + n2.name + " are isolated", etc_netns_dir, timeout_ms));
        break;  // one member says it for the network
      }
    }
  // Internal: no way out, tried towards the gateways of the other networks.
  for (const view::NetworkView& n : v.networks) {
    if (!n.internal) continue;
    // A member with another attachment may have a way out through it.
    const view::ContainerView* c = nullptr;
    const view::MemberView* m = nullptr;
    for (const auto& [mc, mm] : local_members(v, n))
      if (!c && mc->interfaces.size() == 1) c = mc, m = mm;
    if (!c) continue;
    for (const view::NetworkView& other : v.networks) {
      if (&other == &n || other.host_bridge.empty()) continue;
      bool on_other = false;
      for (const view::MemberView& own : c->interfaces) on_other |= own.network == other.name;
      if (on_other) continue;
      for (const view::SubnetView& s : other.subnets)
        if (!s.gateway.empty() && (s.gateway.find(':') == std::string::npos) == !m->ipv4.empty())
          out.push_back(implied(*c, "gateway " + s.gateway + " of " + other.name, s.gateway, false,
                                n.name + " is internal", etc_netns_dir, timeout_ms));
    }
  }
  // Published ports, from the host, through the address they are published on.
  for (const view::ContainerView& c : v.containers) {
    if (!local(v, c)) continue;
    for (const view::PortView& p : c.ports) {
      if (!p.host_port) continue;
      PlannedCheck pc;
      pc.from = "host";
      pc.source = "implied";
      pc.why = "published by " + c.name + " (" + std::to_string(p.container_port) + "/" + p.protocol + ")";
      pc.probe.kind = p.protocol == "udp" ? ProbeKind::Udp : ProbeKind::Tcp;
      pc.probe.address = p.host_ip.empty() || p.host_ip == "0.0.0.0" ? "127.0.0.1" : p.host_ip;
      pc.probe.port = p.host_port;
      pc.probe.timeout_ms = timeout_ms;
      pc.target = pc.probe.address + with_port(pc);
      out.push_back(std::move(pc));
    }
  }
  return out;
}

}  // namespace topo::verify
