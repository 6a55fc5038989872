#include "reconciler/resources/foreign_firewalls.hpp"

#include <set>
#include <sstream>

#include "reconciler/resources/firewall.hpp"
#include "reconciler/resources/ownership.hpp"

namespace topo::firewall {

namespace {

struct Forwarded {
  std::set<std::string> bridges, ipv6_bridges;
};

// Bridges in the host namespace whose traffic the host routes: every one but
// those of internal networks (which have no way out and publish nothing).
Forwarded forwarded_bridges(const std::vector<Resource>& desired) {
  std::set<std::string> internal;
  for (const Resource& r : desired)
    if (r.kind == Kind::Firewall && r.attr(fattr::intent) == "internal") internal.insert(r.attr(fattr::bridge));
  Forwarded f;
  for (const Resource& r : desired)
    if (r.kind == Kind::Link && r.ns.empty() && r.attr(attr::type) == "bridge" && !internal.count(r.name))
      f.bridges.insert(r.name);
  for (const Resource& r : desired)
    if (r.kind == Kind::Address && r.ns.empty() && f.bridges.count(r.attr(attr::dev)) &&
        r.attr(attr::address).find(':') != std::string::npos)
      f.ipv6_bridges.insert(r.attr(attr::dev));
  return f;
}

bool lets_through(const std::set<std::string>& accepts, const std::string& bridge, const std::string& group) {
  if (accepts.count(group) || accepts.count("name:" + bridge)) return true;
  for (const auto& a : accepts)
    if (a.rfind("prefix:", 0) == 0 && bridge.rfind(a.substr(7), 0) == 0) return true;
  return false;
}

std::string join(const std::set<std::string>& names) {
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "" : ", ") + n;
  return out;
}

// The two rules that let topo's links through the chain. Accepting there does
// not open anything topo's own table drops: a packet must pass every chain.
std::string fix_for(const ForeignForwardChain& c) {
  std::ostringstream out;
  const unsigned group = ownership::kLinkGroup;
  if (c.legacy || (c.table == "filter" && c.chain == "FORWARD" && c.family != "inet")) {
    std::string tool = std::string(c.family == "ip6" ? "ip6tables" : "iptables") + (c.legacy ? "-legacy" : "");
    out << tool << " -I FORWARD -m devgroup --src-group " << group << " -j ACCEPT; " << tool
        << " -I FORWARD -m devgroup --dst-group " << group << " -j ACCEPT";
  } else {
    out << "nft insert rule " << c.family << " " << c.table << " " << c.chain << " meta iifgroup " << group
        << " accept; nft insert rule " << c.family << " " << c.table << " " << c.chain << " meta oifgroup " << group
        << " accept";
  }
  return out.str();
}

}  // namespace

std::vector<std::string> forward_blocker_warnings(const std::vector<ForeignForwardChain>& chains,
                                                  const std::vector<Resource>& desired) {
  std::vector<std::string> out;
  Forwarded f;
  bool computed = false;
  for (const auto& c : chains) {
    if (!c.drops_by_default()) continue;
    if (!computed) f = forwarded_bridges(desired), computed = true;
    const std::string group = "group:" + std::to_string(ownership::kLinkGroup);
    std::set<std::string> hit;
    for (const auto& br : c.family == "ip6" ? f.ipv6_bridges : f.bridges)
      if (!lets_through(c.accepts_in, br, group) || !lets_through(c.accepts_out, br, group)) hit.insert(br);
    if (hit.empty()) continue;
    std::string how = c.policy_drop ? "has policy drop" : "ends with an unconditional " + c.final_verdict;
    std::string what = c.legacy ? "iptables-legacy table " + c.family + " " + c.table
                                : "nftables table " + c.family + " " + c.table;
    out.push_back(what + ", chain " + c.chain + " (hook forward) " + how + ": it drops the traffic topo routes for " +
                  join(hit) + " (connections out of the containers and to their published ports). topo never "
                  "changes another program's tables; to let topo's links through (its own table still filters "
                  "them), run: " + fix_for(c));
  }
  return out;
}

}  // namespace topo::firewall
