#include "reconciler/ipam/ipam.hpp"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <set>

namespace topo {

std::string attachment_key(const Attachment& a) { return a.network + "/" + a.container + "/" + a.interface; }

namespace {

// The first subnet of a family on a network: where that family's addresses come from.
const SubnetSpec* subnet_of_family(const Network& n, int family) {
  for (const auto& s : n.subnets)
    if (s.subnet.addr.family == family) return &s;
  return nullptr;
}

// Addresses a container may never get: network, broadcast (IPv4), gateway.
bool reserved(const SubnetSpec& s, const IpAddress& a) {
  if (a == s.subnet.network()) return true;
  if (s.gateway && a == *s.gateway) return true;
  if (a.is_v4() && s.subnet.len < 31 && a == s.subnet.network().plus(s.subnet.size() - 1)) return true;
  return false;
}

bool valid_for(const SubnetSpec& s, const IpAddress& a) {
  const IpPrefix& pool = s.ip_range ? *s.ip_range : s.subnet;
  return s.subnet.contains(a) && pool.contains(a) && !reserved(s, a);
}

// Addresses the kernel holds per (container, interface), by family.
std::map<std::string, std::vector<IpAddress>> live_addresses(const std::vector<Resource>& observed) {
  std::map<std::string, std::vector<IpAddress>> out;
  for (const auto& r : observed) {
    if (r.kind != Kind::Address || r.ns.empty()) continue;
    auto p = IpPrefix::parse(r.attr(attr::address));
    if (p) out[r.ns + "/" + r.attr(attr::dev)].push_back(p->addr);
  }
  return out;
}

// The L2 segments an attachment's MAC must be unique on: its network (a
// bridge, an overlay, a macvlan LAN), and for macvlan also the parent
// interface of its node (any network on it). None for ipvlan, whose links
// all carry the parent's MAC.
std::vector<std::string> mac_segments(const Desired& desired, const Attachment& att) {
  const Network* net = desired.network(att.network);
  if (!net || !net->driver_settings().own_macs()) return {};
  std::vector<std::string> out{"network " + net->name};
  if (const std::string parent = net->driver_settings().mac_parent(); !parent.empty()) {
    const Container* c = desired.container(att.container);
    out.push_back("parent interface " + parent + (c && !c->node.empty() ? " of node " + c->node : ""));
  }
  return out;
}

// The loader refuses two static MACs on one segment and a static MAC equal
// to one derived from a static address; a MAC derived from an allocated
// address is known only now.
void check_macs_unique(const Desired& desired, IpamResult& result) {
  std::map<std::pair<std::string, std::string>, const Attachment*> seen;  // (segment, mac)
  for (const auto& att : desired.attachments) {
    auto alloc = result.allocations.find(attachment_key(att));
    if (alloc == result.allocations.end() || alloc->second.mac.empty()) continue;
    for (const std::string& segment : mac_segments(desired, att)) {
      auto [it, fresh] = seen.emplace(std::pair{segment, alloc->second.mac}, &att);
      if (fresh) continue;
      // Cite the static one: that is the one to change.
      const Attachment& other = *it->second;
      const Attachment& fixed = att.mac.empty() ? other : att;
      const Attachment& derived = att.mac.empty() ? att : other;
      const auto& addr = result.allocations[attachment_key(derived)].ipv4;
      result.errors.push_back(
          fixed.where.str() + ": attachment of " + fixed.container + " to " + fixed.network + ": mac " +
          alloc->second.mac + " is also the MAC of the attachment of " + derived.container + " to " +
          derived.network + " at " + derived.where.str() + " on " + segment +
          (derived.mac.empty() && addr ? " (derived from its address " + addr->str() + ")" : "") +
          "; two interfaces on one segment cannot share a MAC: choose another mac");
      break;
    }
  }
}

struct FamilyPool {
  std::set<IpAddress> taken;
};

}  // namespace

std::string derive_mac(const Allocation& a, const std::string& seed) {
  char buf[18];
  if (a.ipv4) {
    const auto& b = a.ipv4->bytes;
    std::snprintf(buf, sizeof buf, "02:42:%02x:%02x:%02x:%02x", b[0], b[1], b[2], b[3]);
    return buf;
  }
  // FNV-1a of the seed: stable across hosts and runs.
  std::uint32_t h = 2166136261u;
  for (unsigned char c : seed) h = (h ^ c) * 16777619u;
  std::snprintf(buf, sizeof buf, "02:42:%02x:%02x:%02x:%02x", (h >> 24) & 0xff, (h >> 16) & 0xff, (h >> 8) & 0xff,
                h & 0xff);
  return buf;
}

IpamResult allocate(const Desired& desired, const Allocations& remembered, const std::vector<Resource>& observed) {
  IpamResult result;
  auto live = live_addresses(observed);
  // Per network and family: addresses already given out.
  std::map<std::pair<std::string, int>, std::set<IpAddress>> taken;
  // Who declared each static address, to name them when it clashes.
  std::map<std::pair<std::string, IpAddress>, const Attachment*> static_owner;

  struct Pending {
    const Attachment* att;
    const SubnetSpec* subnet;
    int family;
  };
  std::vector<Pending> todo;

  auto static_of = [](const Attachment& a, int family) { return family == 4 ? a.ipv4 : a.ipv6; };

  // Pass 1: static addresses win over everything.
  for (const auto& att : desired.attachments) {
    const Network* net = desired.network(att.network);
    if (!net) continue;
    for (int family : {4, 6}) {
      const SubnetSpec* s = subnet_of_family(*net, family);
      auto st = static_of(att, family);
      if (st) {
        taken[{net->name, family}].insert(*st);
        static_owner.emplace(std::pair{net->name, *st}, &att);
        (family == 4 ? result.allocations[attachment_key(att)].ipv4 : result.allocations[attachment_key(att)].ipv6) = st;
      } else if (s) {
        todo.push_back({&att, s, family});
      }
    }
  }

  auto assign = [&](const Pending& p, const IpAddress& a) {
    auto& alloc = result.allocations[attachment_key(*p.att)];
    (p.family == 4 ? alloc.ipv4 : alloc.ipv6) = a;
    taken[{p.att->network, p.family}].insert(a);
  };

  // Pass 2: keep what the state file remembers, else what the kernel holds.
  std::vector<Pending> fresh;
  for (const auto& p : todo) {
    std::vector<IpAddress> candidates;
    auto rem = remembered.find(attachment_key(*p.att));
    if (rem != remembered.end()) {
      auto a = p.family == 4 ? rem->second.ipv4 : rem->second.ipv6;
      if (a) candidates.push_back(*a);
    }
    auto lv = live.find(p.att->container + "/" + p.att->interface);
    if (lv != live.end())
      for (const auto& a : lv->second)
        if (a.family == p.family) candidates.push_back(a);
    bool kept = false, clash = false;
    for (const auto& a : candidates) {
      // Another attachment's new static address on one this attachment holds:
      // taking it would move a running container, so the user must choose.
      auto owner = static_owner.find({p.att->network, a});
      if (owner != static_owner.end() && valid_for(*p.subnet, a)) {
        const Attachment& st = *owner->second;
        result.errors.push_back(st.where.str() + ": attachment of " + st.container + " to " + st.network + ": " +
                                (p.family == 4 ? "ipv4 " : "ipv6 ") + a.str() +
                                " is already held by the attachment of " + p.att->container + " to " +
                                p.att->network + " at " + p.att->where.str() +
                                ", which was allocated it earlier and keeps it; choose another address, or remove "
                                "that attachment first");
        clash = true;
        break;
      }
      if (valid_for(*p.subnet, a) && !taken[{p.att->network, p.family}].count(a)) {
        assign(p, a);
        kept = true;
        break;
      }
    }
    if (!kept && !clash) fresh.push_back(p);
  }

  // Addresses of something else on the network (a router at a bridge's
  // default_gateway) are not given out; one a container holds already stays
  // its own (it is that router).
  for (const auto& net : desired.networks)
    for (const IpAddress& a : net.driver_settings().reserved_addresses()) taken[{net.name, a.family}].insert(a);

  // Pass 3: the lowest free address of the pool, in attachment order.
  for (const auto& p : fresh) {
    const IpPrefix& pool = p.subnet->ip_range ? *p.subnet->ip_range : p.subnet->subnet;
    const auto& used = taken[{p.att->network, p.family}];
    IpAddress a = pool.network();
    bool found = false;
    // Bounded walk: the pool size, or the used count plus a few reserved ones.
    std::uint64_t limit = std::min<std::uint64_t>(pool.size(), used.size() + 4);
    for (std::uint64_t i = 0; i < limit; ++i, a = a.plus(1)) {
      if (valid_for(*p.subnet, a) && !used.count(a)) {
        found = true;
        break;
      }
    }
    if (!found) {
      result.errors.push_back(p.att->where.str() + ": attachment of " + p.att->container + " to " + p.att->network +
                              ": no free IPv" + std::to_string(p.family) + " address left in " + pool.str());
      continue;
    }
    assign(p, a);
  }

  for (const auto& att : desired.attachments) {
    auto& alloc = result.allocations[attachment_key(att)];
    alloc.mac = att.mac.empty() ? derive_mac(alloc, attachment_key(att)) : att.mac;
    for (auto& c : alloc.mac) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  check_macs_unique(desired, result);
  return result;
}

}  // namespace topo
