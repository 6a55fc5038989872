// Overlay networks spanning several nodes, and the nodes' underlay
// addresses (the VXLAN endpoints). Each node computes the forwarding entries
// for the members on the others from the manifests alone, so every such
// member's address must be written down: an allocated one would only be
// known to the node that allocated it. And every endpoint must be one a
// VXLAN device can use and reach.
#include <set>

#include "providers/overlay/overlay_settings.hpp"
#include "reconciler/loader/semantic_checks.hpp"

namespace topo::loader {
namespace {

// What makes an address unusable as a node's VXLAN endpoint, "" when nothing.
std::string underlay_problem(const IpAddress& a) {
  if (a.is_unspecified()) return "the unspecified address (\"any\")";
  if (a.is_limited_broadcast()) return "the broadcast address";
  if (a.is_multicast()) return "a multicast address";
  if (a.is_loopback()) return "a loopback address, which other nodes cannot reach";
  return "";
}

void check_underlay_addresses(const RawModel& m, Diagnostics& diag) {
  for (const RawHost& h : m.hosts) {
    if (h.h.address.family == 0) continue;  // unparsable; already reported
    if (const std::string problem = underlay_problem(h.h.address); !problem.empty())
      diag.error(h.where.at("address"), "host " + quoted(h.h.name) + ": address " + h.h.address.str() + " is " +
                                            problem + "; give the node's own unicast address on the network " +
                                            "that joins the nodes (its VXLAN endpoint)");
  }
}

// A VXLAN device speaks one address family: its local address's. Nodes of
// one overlay with IPv4 and IPv6 underlays could not reach each other (the
// kernel refuses an IPv6 peer on an IPv4 device).
void check_underlay_families(const NameIndex& names, const std::map<std::string, std::set<std::string>>& nodes,
                             Diagnostics& diag) {
  for (const auto& [network, spanned] : nodes) {
    const RawHost* first = nullptr;
    for (const std::string& node : spanned) {
      auto h = names.hosts.find(node);
      if (h == names.hosts.end() || h->second->h.address.family == 0) continue;
      const RawHost& host = *h->second;
      if (!first) {
        first = &host;
        continue;
      }
      if (host.h.address.family == first->h.address.family) continue;
      diag.error(host.where.at("address"),
                 "host " + quoted(host.h.name) + ": underlay address " + host.h.address.str() + " is IPv" +
                     std::to_string(host.h.address.family) + " but host " + quoted(first->h.name) + " (" +
                     first->where.at("address").str() + ") has the IPv" +
                     std::to_string(first->h.address.family) + " address " + first->h.address.str() +
                     ", and overlay network " + quoted(network) +
                     " spans both; a VXLAN device speaks one family: give every node of it an address of one family");
      break;  // one error per network is enough to act on
    }
  }
}

}  // namespace

void check_overlays(const RawModel& m, const NameIndex& names, Diagnostics& diag) {
  check_underlay_addresses(m, diag);
  std::map<std::string, std::set<std::string>> nodes;  // overlay network -> nodes of its containers
  for (const RawAttachment& raw : m.attachments) {
    auto net = names.networks.find(raw.a.network);
    auto c = names.containers.find(raw.a.container);
    if (net == names.networks.end() || c == names.containers.end()) continue;
    if (net->second->net.driver != Driver::Overlay || c->second->c.node.empty()) continue;
    nodes[raw.a.network].insert(c->second->c.node);
  }
  check_underlay_families(names, nodes, diag);
  // Each node would take a subnet from the pools on its own, seeing only its
  // own routes and networks: one segment would get several subnets.
  for (const auto& [network, spanned] : nodes) {
    const RawNetwork& raw = *names.networks.at(network);
    if (spanned.size() < 2 || !raw.net.subnet_from_pools) continue;
    std::string spans;
    for (const auto& n : spanned) spans += (spans.empty() ? "" : ", ") + n;
    diag.error(raw.where.object, "network " + quoted(network) + ": the overlay spans nodes " + spans +
                                     ", so it needs a subnet written (\"subnet\" or \"subnets\"): the address " +
                                     "pools are each node's own, and the nodes would choose apart");
  }
  for (const RawAttachment& raw : m.attachments) {
    auto it = nodes.find(raw.a.network);
    if (it == nodes.end() || it->second.size() < 2) continue;
    const Network& net = names.networks.at(raw.a.network)->net;
    // With per-node subnets each node allocates from its own share; in
    // cluster mode etcd hands out the addresses.
    if (m.cluster) break;
    if (const auto* s = net.settings_as<OverlaySettings>(); s && s->subnet_per_node) continue;
    std::string spans;
    for (const auto& n : it->second) spans += (spans.empty() ? "" : ", ") + n;
    for (int family : {4, 6}) {
      bool has_family = false;
      for (const SubnetSpec& s : net.subnets) has_family |= s.subnet.addr.family == family;
      const auto& addr = family == 4 ? raw.a.ipv4 : raw.a.ipv6;
      if (!has_family || addr) continue;
      const std::string key = family == 4 ? "ipv4" : "ipv6";
      diag.error(raw.where.object, "attachment of container " + quoted(raw.a.container) + " to network " +
                                       quoted(raw.a.network) + ": the overlay spans nodes " + spans +
                                       ", so its attachments need a static " + key +
                                       " (every node must know every member's address)");
    }
  }
}

}  // namespace topo::loader
