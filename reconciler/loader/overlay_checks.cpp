// Overlay networks spanning several nodes. Each node computes the forwarding
// entries for the members on the others from the manifests alone, so every
// such member's address must be written down: an allocated one would only be
// known to the node that allocated it.
#include <set>

#include "reconciler/loader/semantic_checks.hpp"

namespace topo::loader {

void check_overlays(const RawModel& m, const NameIndex& names, Diagnostics& diag) {
  std::map<std::string, std::set<std::string>> nodes;  // overlay network -> nodes of its containers
  for (const RawAttachment& raw : m.attachments) {
    auto net = names.networks.find(raw.a.network);
    auto c = names.containers.find(raw.a.container);
    if (net == names.networks.end() || c == names.containers.end()) continue;
    if (net->second->net.driver != Driver::Overlay || c->second->c.node.empty()) continue;
    nodes[raw.a.network].insert(c->second->c.node);
  }
  for (const RawAttachment& raw : m.attachments) {
    auto it = nodes.find(raw.a.network);
    if (it == nodes.end() || it->second.size() < 2) continue;
    const Network& net = names.networks.at(raw.a.network)->net;
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
