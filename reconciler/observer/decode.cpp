#include "reconciler/observer/decode.hpp"

#include <algorithm>
#include <charconv>
#include <map>

#include <linux/neighbour.h>

#include "reconciler/model/desired.hpp"
#include "reconciler/observer/host_view.hpp"
#include "reconciler/process/malloc_tuning.hpp"
#include "reconciler/resources/in_place_order.hpp"
#include "reconciler/resources/mode_attrs.hpp"
#include "reconciler/resources/ownership.hpp"
#include "reconciler/resources/stack_marks.hpp"

namespace topo::observer {
namespace {

constexpr unsigned kMainTable = 254;  // RT_TABLE_MAIN

bool starts_with(const std::string& s, const std::string& prefix) {
  return s.compare(0, prefix.size(), prefix) == 0;
}

// The manifest object a link's mark names; an orphan (no alias yet) is
// known only by where it is.
std::string origin_of(const LinkRecord& l, const std::string& ns) {
  if (starts_with(l.alias, ownership::kAliasPrefix))
    return ownership::split_stack(l.alias.substr(std::string(ownership::kAliasPrefix).size())).rest;
  return ns.empty() ? "orphan" : "container/" + ns;
}

// The stack a link's mark names; an orphan's is its namespace's (`ns_stack`,
// "" in the host namespace: nobody knows whose it was).
std::string stack_of(const LinkRecord& l, const std::string& ns_stack) {
  if (starts_with(l.alias, ownership::kAliasPrefix))
    return ownership::split_stack(l.alias.substr(std::string(ownership::kAliasPrefix).size())).stack;
  return ns_stack;
}

// A number the extract hook wrote; 0 when absent.
unsigned number(const std::string& s) {
  unsigned v = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  return ec == std::errc() && end == s.data() + s.size() ? v : 0;
}

bool in_topo_group(const LinkRecord& l) { return l.group == ownership::kLinkGroup; }

// Whether an unaliased link carries the mark of topo's create request. The
// group reaches only the host end of a veth (libnl sends no group for the
// peer), so a container end is known by its host end: a veth in topo's
// group whose peer is this very link.
bool made_by_topo(const std::string& ns, const LinkRecord& l, const HostView& host) {
  if (in_topo_group(l)) return true;
  if (ns.empty() || l.type != "veth") return false;
  auto peer = host.by_index.find(l.parent);
  return peer != host.by_index.end() && in_topo_group(*peer->second) && same_pair(*peer->second, l);
}

// A container end of a veth takes its pair's other end: its name and mac,
// its master, and the state of the pair. That end is in the host namespace,
// or (a p2p pair) in another container's.
void decode_pair(const std::string& ns, const LinkRecord& l, const HostView& host, Resource& r) {
  if (ns.empty()) return;
  const std::string key = ns + "/" + l.name;
  const LinkRecord* found = nullptr;
  // The end named by the mark must also be this end's peer.
  if (auto it = host.peer_of.find(key); it != host.peer_of.end() && same_pair(*it->second, l)) {
    found = it->second;
  } else if (auto far = host.far_peer_of.find(key); far != host.far_peer_of.end()) {
    found = far->second.end;  // checked when it was found (add_far_peers)
    r.attrs[attr::peer_ns] = far->second.ns;
  }
  if (!found) return;
  const LinkRecord& peer = *found;
  r.attrs[attr::peer] = peer.name;
  if (!peer.mac.empty()) r.attrs[attr::peer_mac] = peer.mac;
  // The pair carries traffic only when both ends are up.
  r.attrs[attr::state] = l.up && peer.up ? "up" : "down";
  if (const std::string m = name_of(host.by_index, peer.master); !m.empty()) r.attrs[attr::master] = m;
}

Resource link_resource(const std::string& ns, const LinkRecord& l, const ByIndex& local,
                       const HostView& host, const std::string& ns_stack) {
  Resource r;
  r.kind = Kind::Link;
  r.ns = ns;
  r.name = l.name;
  r.origin = origin_of(l, ns);
  r.stack = stack_of(l, ns_stack);
  r.attrs[attr::type] = l.type;
  r.attrs[attr::mtu] = std::to_string(l.mtu);
  if (!l.mac.empty()) r.attrs[attr::mac] = l.mac;
  r.attrs[attr::state] = l.up ? "up" : "down";
  if (const std::string m = name_of(local, l.master); !m.empty()) r.attrs[attr::master] = m;
  // What is particular to a kind came with the record (its extract hook);
  // only the links between records are made here: a veth's pair, or a
  // sub-interface's parent, which topo makes only off the host's links.
  for (const auto& [key, value] : l.attrs) r.attrs[key] = value;
  if (l.type == "veth") {
    decode_pair(ns, l, host, r);
  } else if (const std::string p = name_of(host.by_index, l.parent); l.parent && !p.empty()) {
    r.attrs[attr::parent] = p;
  }
  return r;
}

// What the planner checks against besides names: a VXLAN device with the
// VNI and port of an overlay topo wants, and ports that fill a bridge.
void note_foreign_host_link(const LinkRecord& l, const ByIndex& local, Observed& out) {
  if (l.type == "vxlan")
    out.foreign_vxlans.push_back({l.name, number(l.attr(attr::vni)), number(l.attr(attr::port)), l.attr(attr::local), l.up});
  if (const std::string m = name_of(local, l.master); !m.empty()) out.foreign_bridge_ports[m].push_back(l.name);
}

// `ns_stack`: the stack of the container whose namespace this is ("" for
// the host's, where each object's stack is its link's).
void decode_namespace(const std::string& ns, const NamespaceDump& dump, const HostView& host,
                      const std::string& ns_stack, Observed& out) {
  const ByIndex local = index_links(dump);
  std::map<int, const LinkRecord*> owned_by_index;
  for (const auto& l : dump.links) {
    if (l.name == "lo") continue;  // part of the Namespace resource
    if (starts_with(l.alias, ownership::kAliasPrefix)) {
      out.owned.push_back(link_resource(ns, l, local, host, ns_stack));
      owned_by_index[l.index] = &l;
    } else if (made_by_topo(ns, l, host) && !starts_with(l.alias, ownership::kPeerAliasPrefix)) {
      // Made by topo but killed before its alias was set: an orphan of
      // topo's, never a stranger's.
      Resource r = link_resource(ns, l, local, host, ns_stack);
      r.attrs[attr::mark] = attr::mark_missing;
      out.owned.push_back(std::move(r));
      owned_by_index[l.index] = &l;
    } else if (host.is_far_peer(ns, l)) {
      // A p2p pair's far end: part of the pair's Link resource (on the other
      // end), but its addresses and routes are this container's own.
      owned_by_index[l.index] = &l;
    } else if (!starts_with(l.alias, ownership::kPeerAliasPrefix)) {
      // Not topo's: a name topo wants here is a conflict, not a takeover.
      out.foreign.insert(Resource{Kind::Link, ns, l.name, {}, {}, {}}.key());
      if (ns.empty()) note_foreign_host_link(l, local, out);
    }
  }

  for (const auto& a : dump.addrs) {
    auto it = owned_by_index.find(a.ifindex);
    if (ns.empty() && it == owned_by_index.end() && !a.link_local)
      out.host_networks.push_back({a.cidr, "address " + a.cidr + " on " + name_of(local, a.ifindex), name_of(local, a.ifindex)});
    if (it == owned_by_index.end() || a.link_local) continue;
    const LinkRecord& l = *it->second;
    Resource r{Kind::Address, ns, l.name + "/" + a.cidr, {}, {}, {}};
    r.attrs[attr::dev] = l.name;
    r.attrs[attr::address] = a.cidr;
    r.origin = origin_of(l, ns);
    r.stack = stack_of(l, ns_stack);
    out.owned.push_back(std::move(r));
  }

  // Static entries on topo's VXLAN devices are topo's: learning is off there,
  // so nothing else puts permanent entries with a destination on them.
  for (const auto& f : dump.fdb) {
    auto it = owned_by_index.find(f.ifindex);
    if (it == owned_by_index.end() || it->second->type != "vxlan") continue;
    if (!(f.flags & NTF_SELF) || !(f.state & NUD_PERMANENT) || f.dst.empty() || f.mac.empty()) continue;
    const LinkRecord& l = *it->second;
    Resource r{Kind::Fdb, ns, l.name + "/" + f.mac + "/" + f.dst, {}, {}, {}};
    r.attrs[attr::dev] = l.name;
    r.attrs[attr::mac] = f.mac;
    r.attrs[attr::dst] = f.dst;
    r.origin = origin_of(l, ns);
    r.stack = stack_of(l, ns_stack);
    out.owned.push_back(std::move(r));
  }

  // Permanent neighbour entries on topo's VXLAN devices are topo's for the
  // same reason: the kernel only ever makes its own cache entries
  // (reachable, stale, ...), so a permanent one was put there by hand, and
  // nobody else puts entries on topo's device. On any other link they may be
  // an administrator's: never read (nor dumped, unless a VXLAN is there).
  for (const auto& n : dump.neigh) {
    auto it = owned_by_index.find(n.ifindex);
    if (it == owned_by_index.end() || it->second->type != "vxlan") continue;
    if (!(n.state & NUD_PERMANENT) || (n.flags & NTF_PROXY) || n.ip.empty() || n.mac.empty()) continue;
    const LinkRecord& l = *it->second;
    Resource r{Kind::Neighbour, ns, l.name + "/" + n.ip, {}, {}, {}};
    r.attrs[attr::dev] = l.name;
    r.attrs[attr::ip] = n.ip;
    r.attrs[attr::mac] = n.mac;
    r.origin = origin_of(l, ns);
    r.stack = stack_of(l, ns_stack);
    out.owned.push_back(std::move(r));
  }

  for (const auto& rt : dump.routes) {
    if (rt.table != kMainTable) continue;
    Resource r{Kind::Route, ns, route_name(rt.dst), {}, {}, {}};
    // topo makes routes only inside containers and through its own links: in
    // the host namespace, its protocol number on another link is not its mark.
    const bool on_foreign_host_link = ns.empty() && !owned_by_index.count(rt.oif);
    if (ns.empty() && rt.protocol == ownership::kNodeRouteProtocol) {
      // Cluster mode's host-gw route: no link of topo's carries it, so no
      // mark says whose it is; shared until the pipeline knows its network
      // (pipeline/node_routes.hpp).
      if (!rt.via.empty()) r.attrs[attr::via] = rt.via;
      r.origin = "cluster";
      r.stack = "";
      out.owned.push_back(std::move(r));
      continue;
    }
    if (rt.protocol != ownership::kRouteProtocol || on_foreign_host_link) {
      out.foreign.insert(r.key());
      if (ns.empty() && r.name != "default" && r.name != "default6" && !owned_by_index.count(rt.oif))
        out.host_networks.push_back({rt.dst, "route " + rt.dst + (rt.via.empty() ? "" : " via " + rt.via) +
                                                 " dev " + name_of(local, rt.oif),
                                     name_of(local, rt.oif)});
      continue;
    }
    if (const std::string dev = name_of(local, rt.oif); !dev.empty()) r.attrs[attr::dev] = dev;
    if (!rt.via.empty()) r.attrs[attr::via] = rt.via;
    if (rt.onlink) r.attrs[attr::onlink] = "on";
    // Routes carry only the protocol mark; their origin is their device's.
    r.stack = ns_stack;
    if (auto dev = owned_by_index.find(rt.oif); dev != owned_by_index.end()) {
      r.origin = origin_of(*dev->second, ns);
      r.stack = stack_of(*dev->second, ns_stack);
    }
    out.owned.push_back(std::move(r));
  }
}

// Entries that bind namespaces topo does not own. Only an adopted one is
// looked into: its links, addresses and routes of topo's attachments are
// topo's; a host or container: entry shows another namespace's objects,
// which are observed (or not) under their own name.
void decode_shared(const Snapshot& snap, const HostView& host, Observed& out) {
  for (const auto& [name, mode] : snap.shared) {
    Resource ns{Kind::Namespace, "", name, {}, {}, {}};
    ns.attrs[attr::mode] = mode;
    ns.origin = "container/" + name;
    auto stack = snap.shared_stacks.find(name);
    ns.stack = stack == snap.shared_stacks.end() ? kDefaultStack : stack->second;
    const std::string ns_stack = ns.stack;
    out.owned.push_back(std::move(ns));
    auto dump = snap.namespaces.find(name);
    if (ns_mode::is_adopted(mode) && dump != snap.namespaces.end())
      decode_namespace(name, dump->second, host, ns_stack, out);
  }
}

// Host ends of topo's veths whose container end is not in the namespace
// their mark names: that namespace was unmounted by someone else while a
// process kept it alive (its entry gone, or already replaced by a new
// namespace or a placeholder). The pair is known by the two ends pointing
// at each other's index (same_pair), as made_by_topo() knows a container end.
bool peer_in_named_namespace(const LinkRecord& host_end, const std::string& ifname, const NamespaceDump* dump) {
  if (!dump) return false;
  for (const auto& l : dump->links)
    if (l.name == ifname && same_pair(host_end, l)) return true;
  return false;
}

void decode_stranded(const Snapshot& snap, Observed& out) {
  const std::string prefix = ownership::kPeerAliasPrefix;
  const ByIndex host = index_links(snap.host);
  for (const auto& l : snap.host.links) {
    if (l.type != "veth" || !in_topo_group(l) || !starts_with(l.alias, prefix)) continue;
    const std::string where = l.alias.substr(prefix.size());  // "<ns>/<ifname>"
    const auto slash = where.find('/');
    if (slash == std::string::npos || slash == 0) continue;
    const std::string ns = where.substr(0, slash);
    auto dump = snap.namespaces.find(ns);
    if (peer_in_named_namespace(l, where.substr(slash + 1), dump == snap.namespaces.end() ? nullptr : &dump->second))
      continue;
    Resource r{Kind::Link, "", l.name, {}, {}, {}};
    r.attrs[attr::type] = "veth";
    r.attrs[attr::mark] = attr::mark_stranded;
    r.origin = "container/" + ns;
    // Its stack is its network's: that of the bridge it is a port of (an
    // attachment never crosses stacks). Unknown (""), it counts as shared.
    if (auto br = host.find(l.master); br != host.end() && starts_with(br->second->alias, ownership::kAliasPrefix))
      r.stack = stack_of(*br->second, "");
    out.owned.push_back(std::move(r));
  }
}

}  // namespace

std::string route_name(const std::string& dst) {
  if (dst == "0.0.0.0/0") return "default";
  if (dst == "::/0") return "default6";
  return dst;
}

std::optional<std::string> namespace_stack(const std::string& name, const NamespaceDump& dump) {
  const std::string prefix = ownership::kNamespaceAliasPrefix;
  for (const LinkRecord& l : dump.links) {
    if (l.name != "lo" || !starts_with(l.alias, prefix)) continue;
    ownership::StackedText mark = ownership::split_stack(l.alias.substr(prefix.size()));
    if (mark.rest == name) return mark.stack;
  }
  return std::nullopt;
}

bool namespace_owned(const std::string& name, const NamespaceDump& dump) {
  return namespace_stack(name, dump).has_value();
}

namespace {

// By key, each key made once (not twice per comparison), and in place
// (in_place_order.hpp): no second array of every resource at the read's peak.
void sort_by_key(std::vector<Resource>& v) {
  std::vector<std::size_t> from(v.size());
  {
    std::vector<std::pair<std::string, std::size_t>> keys;
    keys.reserve(v.size());
    for (std::size_t i = 0; i < v.size(); ++i) keys.emplace_back(v[i].key(), i);
    std::sort(keys.begin(), keys.end());
    for (std::size_t j = 0; j < keys.size(); ++j) from[j] = keys[j].second;
  }
  apply_order(v, std::move(from));
}

// An upper bound, give or take, of what `owned` will hold by the time the
// pass compares: a resource per record, and per link room for the settings
// read afterwards (at most three per link: disable_ipv6, accept_ra,
// autoconf) and per namespace for it and its two files (read beside).
// Reserved once, so that neither the decode nor those appends move every
// resource read to a larger array (three moves of ~60 000 resources at
// 10 000 containers, ~100 ms); an underestimate only costs such a move.
// The host's routes are left out: a router's full table (a million
// routes) would reserve a quarter gigabyte for the few topo owns there.
std::size_t room_for(const Snapshot& snap) {
  auto of = [](const NamespaceDump& d, bool routes) {
    return d.links.size() * 4 + d.addrs.size() + (routes ? d.routes.size() : 0) + d.fdb.size() + d.neigh.size() + 3;
  };
  std::size_t n = of(snap.host, false);
  for (const auto& [name, dump] : snap.namespaces) n += of(dump, true);
  return n;
}

}  // namespace

Observed decode(const Snapshot& snap) {
  Observed out;
  out.owned.reserve(room_for(snap));
  process::prefer_huge_pages(out.owned.data(), out.owned.capacity() * sizeof(Resource));
  HostView host = host_view(snap.host);
  // The namespaces whose links topo reads as its own: those it made, and
  // adopted ones (a p2p end may be in either).
  std::map<std::string, const NamespaceDump*> owned;
  for (const auto& [name, dump] : snap.namespaces) {
    auto shared = snap.shared.find(name);
    const bool adopted = shared != snap.shared.end() && ns_mode::is_adopted(shared->second);
    if (adopted || (shared == snap.shared.end() && !snap.placeholders.count(name) && namespace_owned(name, dump)))
      owned[name] = &dump;
  }
  add_far_peers(host, owned);
  decode_namespace("", snap.host, host, "", out);
  for (const LinkRecord& l : snap.host.links) out.host_links.insert(l.name);

  for (const auto& [name, dump] : snap.namespaces) {
    if (snap.shared.count(name)) continue;  // below
    Resource ns{Kind::Namespace, "", name, {}, {}, {}};
    if (snap.placeholders.count(name)) {
      // Nothing inside to decode: made anew when wanted, else removed.
      ns.attrs[attr::lo] = "down";
      ns.attrs[attr::mark] = attr::mark_missing;
      ns.origin = "container/" + name;
      out.owned.push_back(std::move(ns));  // stack "": whose it was is not known
      continue;
    }
    const std::optional<std::string> stack = namespace_stack(name, dump);
    if (!stack) {
      out.foreign.insert(ns.key());
      continue;
    }
    ns.stack = *stack;
    auto lo = std::find_if(dump.links.begin(), dump.links.end(),
                           [](const LinkRecord& l) { return l.name == "lo"; });
    ns.attrs[attr::lo] = lo != dump.links.end() && lo->up ? "up" : "down";
    ns.origin = "container/" + name;
    out.owned.push_back(std::move(ns));
    decode_namespace(name, dump, host, *stack, out);
  }

  decode_shared(snap, host, out);
  decode_stranded(snap, out);

  sort_by_key(out.owned);
  return out;
}

}  // namespace topo::observer
