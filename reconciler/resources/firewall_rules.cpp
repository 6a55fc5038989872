#include "reconciler/resources/firewall_rules.hpp"

#include <algorithm>
#include <stdexcept>

#include "reconciler/resources/firewall.hpp"
#include "reconciler/resources/ownership.hpp"

namespace topo::firewall {

const char* family_name(Family f) { return f == Family::Inet ? "inet" : "bridge"; }

Family family_of(Chain c) { return c == Chain::BridgeForward ? Family::Bridge : Family::Inet; }

const char* chain_name(Chain c) {
  switch (c) {
    case Chain::Prerouting: return "prerouting";
    case Chain::Output: return "output";
    case Chain::Postrouting: return "postrouting";
    case Chain::Forward: return "forward";
    case Chain::Input: return "input";
    case Chain::BridgeForward: return "forward";
  }
  return "?";
}

namespace {

using V = RuleSpec::Verdict;

[[noreturn]] void bad(const Resource& r, const std::string& why) {
  throw std::invalid_argument("firewall " + r.name + ": " + why);
}

std::string need(const Resource& r, const char* key) {
  std::string v = r.attr(key);
  if (v.empty()) bad(r, std::string("attribute '") + key + "' is missing");
  return v;
}

IpPrefix prefix(const Resource& r, const std::string& text) {
  auto p = IpPrefix::parse(text);
  if (!p) bad(r, "'" + text + "' is not a CIDR");
  return *p;
}

int port_number(const Resource& r, const std::string& text) {
  try {
    int p = std::stoi(text);
    if (p >= 1 && p <= 65535) return p;
  } catch (...) {
  }
  bad(r, "'" + text + "' is not a port");
}

// "a.b.c.d:port"
std::pair<IpAddress, int> endpoint(const Resource& r, const std::string& text) {
  auto colon = text.rfind(':');
  auto a = colon == std::string::npos ? std::nullopt : IpAddress::parse(text.substr(0, colon));
  if (!a) bad(r, "'" + text + "' is not address:port");
  return {*a, port_number(r, text.substr(colon + 1))};
}

IpPrefix host_prefix(const IpAddress& a) { return IpPrefix{a, a.bits()}; }

// A port published on 127.x sets route_localnet on its bridge, and with it
// the kernel routes 127/8 arriving on that bridge to the host's loopback
// services: drop it, unless it is a connection to a published port
// (kube-proxy's guard against CVE-2020-8558). Every bridge topo makes is in
// its link group, so this holds for bridges of every stack.
RuleSpec loopback_guard() {
  RuleSpec g;
  g.chain = Chain::Input;
  g.iifgroup = ownership::kLinkGroup;
  g.daddr = *IpPrefix::parse("127.0.0.0/8");
  g.ct_not_dnat = true;
  g.verdict = V::Drop;
  return g;
}

// A LAN neighbour routing a container subnet via the host would otherwise
// reach every port of every container. Like Docker 28: a new connection into
// one of topo's bridges from an interface that is not topo's is dropped
// unless it was DNATed to a published port. Replies (established, related)
// pass, so outbound connections work; bridge to bridge is isolation's call.
RuleSpec direct_routing_guard() {
  RuleSpec g;
  g.chain = Chain::Forward;
  g.stage = 2;
  g.iifgroup = ownership::kLinkGroup;
  g.iifgroup_neq = true;
  g.oifgroup = ownership::kLinkGroup;
  g.ct_not_reply = true;
  g.ct_not_dnat = true;
  g.verdict = V::Drop;
  return g;
}

std::vector<RuleSpec> table_rules(const Resource& r) {
  std::string fam = need(r, fattr::family);
  if (fam == "bridge") return {};
  if (fam != "inet") bad(r, "unknown family '" + fam + "'");
  // Published ports are for everyone who reaches the host: a DNATed
  // connection passes isolation (its replies carry the same ct status).
  RuleSpec accept_dnat;
  accept_dnat.chain = Chain::Forward;
  accept_dnat.stage = 1;
  accept_dnat.ct_dnat = true;
  accept_dnat.verdict = V::Accept;
  return {accept_dnat, loopback_guard(), direct_routing_guard()};
}

std::vector<RuleSpec> masquerade_rules(const Resource& r) {
  std::string br = need(r, fattr::bridge);
  std::vector<RuleSpec> out;
  for (const auto& s : split(need(r, fattr::subnets), ',')) {
    RuleSpec m;
    m.chain = Chain::Postrouting;
    m.stage = 1;
    m.saddr = prefix(r, s);
    m.oif = br;
    m.oif_neq = true;
    for (const auto& e : split(r.attr(fattr::except), ','))
      if (const IpPrefix x = prefix(r, e); x.addr.family == m.saddr->addr.family) {
        m.daddr = x;
        m.daddr_neq = true;
      }
    m.verdict = V::Masquerade;
    out.push_back(m);
  }
  return out;
}

std::vector<RuleSpec> publish_rules(const Resource& r) {
  auto host = IpAddress::parse(need(r, fattr::host));
  if (!host || !host->is_v4()) bad(r, "host address must be IPv4");
  int hport = port_number(r, need(r, fattr::host_port));
  std::string proto = need(r, fattr::protocol);
  if (proto != "tcp" && proto != "udp") bad(r, "protocol must be tcp or udp");
  auto [to, to_port] = endpoint(r, need(r, fattr::to));
  IpPrefix subnet = prefix(r, need(r, fattr::subnet));
  bool any = *host == *IpAddress::parse("0.0.0.0");

  RuleSpec dnat;
  dnat.chain = Chain::Prerouting;
  if (any)
    dnat.daddr_local = true;
  else
    dnat.daddr = host_prefix(*host);
  dnat.l4proto = proto;
  dnat.dport = hport;
  dnat.verdict = V::Dnat;
  dnat.to_addr = to;
  dnat.to_port = to_port;
  RuleSpec local = dnat;  // connections the host itself makes
  local.chain = Chain::Output;
  // Hairpin: a container of the same subnet reaching the host's address is
  // sent back onto its own bridge; without source NAT the reply would go
  // straight to it from the wrong address.
  RuleSpec hairpin;
  hairpin.chain = Chain::Postrouting;
  hairpin.ct_dnat = true;
  hairpin.saddr = subnet;
  hairpin.daddr = host_prefix(to);
  hairpin.l4proto = proto;
  hairpin.dport = to_port;
  hairpin.verdict = V::Masquerade;
  // The host's own connections to a loopback address (127.x, which "every
  // host address" includes) leave towards the bridge with a loopback source
  // (the bridge has route_localnet), which the container could not answer,
  // so they take the bridge's address.
  RuleSpec from_loopback = hairpin;
  from_loopback.saddr = *IpPrefix::parse("127.0.0.0/8");
  if (any) {
    // Never for 127.x arriving from the LAN or a container (a neighbour can
    // route 127.0.0.1 via the host): DNATed in prerouting, before the
    // kernel's martian check, it would be forwarded to the container past
    // every guard (Docker's moby#45610). Untranslated, the kernel drops it.
    dnat.daddr = *IpPrefix::parse("127.0.0.0/8");
    dnat.daddr_neq = true;
    return {dnat, local, hairpin, from_loopback};
  }
  if (!host->is_loopback()) return {dnat, local, hairpin};
  // Published on 127.x: only the host's own connections (output) are
  // translated, for the same reason: no prerouting rule at all.
  return {local, from_loopback};
}

// Nothing forwarded from the bridge to another interface, nor into it from
// another; with `group`, only when that other interface is in the group.
std::vector<RuleSpec> drops_both_ways(const std::string& br, int stage, std::optional<unsigned> group) {
  RuleSpec out_of;
  out_of.chain = Chain::Forward;
  out_of.stage = stage;
  out_of.iif = br;
  out_of.oif = br;
  out_of.oif_neq = true;
  out_of.oifgroup = group;
  out_of.verdict = V::Drop;
  RuleSpec into = out_of;
  into.iif_neq = true;
  into.oif_neq = false;
  into.oifgroup.reset();
  into.iifgroup = group;
  return {out_of, into};
}

// Routed traffic leaves and enters a network through its bridge, and every
// bridge topo makes, in any stack, is in topo's link group.
std::vector<RuleSpec> isolate_rules(const Resource& r) {
  return drops_both_ways(need(r, fattr::bridge), 2, ownership::kLinkGroup);
}

// The network opted out of the direct routing guard (`routed: true`): a new
// connection from beyond the host into its bridge is accepted before the
// guard sees it. From a topo link it is isolation's call, as before.
std::vector<RuleSpec> routed_rules(const Resource& r) {
  RuleSpec in;
  in.chain = Chain::Forward;
  in.stage = 1;
  in.iifgroup = ownership::kLinkGroup;
  in.iifgroup_neq = true;
  in.oif = need(r, fattr::bridge);
  in.verdict = V::Accept;
  return {in};
}

// Cluster mode, a routed overlay: its share talks to the other nodes'
// shares, before isolation (the VXLAN device is a topo link) and the direct
// routing guard (host-gw: they arrive from the underlay) see it.
std::vector<RuleSpec> tunnel_rules(const Resource& r) {
  const std::string br = need(r, fattr::bridge);
  RuleSpec out_of;
  out_of.chain = Chain::Forward;
  out_of.stage = -1;  // before an internal network's drops too: the shares are one network
  out_of.iif = br;
  out_of.verdict = V::Accept;
  RuleSpec into = out_of;
  into.iif.clear();
  into.oif = br;
  if (const std::string dev = r.attr(fattr::device); !dev.empty()) {
    out_of.oif = dev;
    into.iif = dev;
    return {out_of, into};
  }
  std::vector<RuleSpec> out;
  for (const auto& p : split(need(r, fattr::peers), ',')) {
    RuleSpec to = out_of, from = into;
    to.daddr = prefix(r, p);
    from.saddr = prefix(r, p);
    out.push_back(to);
    out.push_back(from);
  }
  return out;
}

std::vector<RuleSpec> internal_rules(const Resource& r) { return drops_both_ways(need(r, fattr::bridge), 0, {}); }

std::vector<RuleSpec> icc_rules(const Resource& r) {
  // Frames from this port to any other port of the bridge; the host (the
  // bridge device) is reached through the input hook and stays reachable.
  RuleSpec drop;
  drop.chain = Chain::BridgeForward;
  drop.iif = need(r, fattr::port);
  drop.verdict = V::Drop;
  return {drop};
}

}  // namespace

Family family_of(const Resource& r) {
  std::string intent = r.attr(fattr::intent);
  if (intent == "icc-off") return Family::Bridge;
  if (intent == "table" && r.attr(fattr::family) == "bridge") return Family::Bridge;
  return Family::Inet;
}

std::vector<RuleSpec> rules_of(const Resource& r) {
  std::string intent = need(r, fattr::intent);
  std::vector<RuleSpec> out;
  if (intent == "table") out = table_rules(r);
  else if (intent == "masquerade") out = masquerade_rules(r);
  else if (intent == "publish") out = publish_rules(r);
  else if (intent == "isolate") out = isolate_rules(r);
  else if (intent == "internal") out = internal_rules(r);
  else if (intent == "icc-off") out = icc_rules(r);
  else if (intent == "routed") out = routed_rules(r);
  else if (intent == "tunnel") out = tunnel_rules(r);
  else bad(r, "unknown intent '" + intent + "'");
  for (size_t i = 0; i < out.size(); ++i) out[i].label = encode_label(r, int(i), int(out.size()));
  return out;
}

std::vector<RuleSpec> ruleset_of(const std::vector<Resource>& resources) {
  std::vector<RuleSpec> all;
  for (const auto& r : resources)
    for (auto& s : rules_of(r)) all.push_back(std::move(s));
  std::stable_sort(all.begin(), all.end(), [](const RuleSpec& a, const RuleSpec& b) {
    return std::pair(int(a.chain), a.stage) < std::pair(int(b.chain), b.stage);
  });
  return all;
}

}  // namespace topo::firewall
