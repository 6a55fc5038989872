#include "reconciler/model/cluster_slice.hpp"

#include <utility>

namespace topo {
namespace {

void take_member_addresses(Desired& whole, const ClusterFacts& facts) {
  for (Attachment& att : whole.attachments) {
    const Network* net = whole.network(att.network);
    if (!net || !net->driver_settings().spans_nodes()) continue;
    const Container* c = whole.container(att.container);
    for (const MemberAddress& m : facts.members) {
      if (m.network != att.network || m.container != att.container) continue;
      // A claim left by the node the container was on before it moved is
      // not its address: that node gives it back on its next apply.
      if (!c || m.node != c->node) continue;
      std::optional<IpAddress>& slot = m.address.is_v4() ? att.ipv4 : att.ipv6;
      if (slot) continue;  // static: as written
      slot = m.address;
      if (att.mac.empty() && !m.mac.empty()) att.mac = m.mac;
    }
  }
}

// This node's members of networks spanning nodes that etcd gave no address
// (and the manifests none): only when the facts are old (etcd away while a
// member was added). Allocating here could take another node's address.
std::string members_without_address(const Desired& whole, const std::string& self) {
  std::string out;
  for (const Attachment& att : whole.attachments) {
    const Network* net = whole.network(att.network);
    const Container* c = whole.container(att.container);
    if (!net || !c || c->node != self || !net->driver_settings().spans_nodes()) continue;
    for (const SubnetSpec& s : net->subnets)
      if (!(s.subnet.addr.is_v4() ? att.ipv4 : att.ipv6)) {
        out += (out.empty() ? "" : ", ") + att.container + " on " + att.network;
        break;
      }
  }
  return out;
}

}  // namespace

NodeSelection select_cluster_node(Desired whole, std::shared_ptr<const ClusterFacts> facts) {
  whole.hosts.clear();
  for (const ClusterNode& n : facts->nodes) whole.hosts.push_back(Host{n.name, n.address, {}});
  take_member_addresses(whole, *facts);
  if (const std::string missing = members_without_address(whole, facts->self); !missing.empty()) {
    NodeSelection refused;
    refused.error = "cluster mode: etcd has no address yet for " + missing +
                    "; they are applied once etcd answers (the rest stays as it is meanwhile)";
    return refused;
  }
  NodeSelection out = select_node(std::move(whole), facts->self);
  if (!out.error.empty()) return out;
  for (Network& net : out.desired.networks) {
    const std::optional<int> len = net.driver_settings().share_per_node();
    if (!len) continue;
    const NodeShare* share = facts->share(net.name, facts->self);
    for (SubnetSpec& s : net.subnets) {
      if (!share || s.subnet.addr.family != share->subnet.addr.family) continue;
      s.subnet = share->subnet;
      s.gateway = share->subnet.network().plus(1);
      s.ip_range.reset();
    }
    if (!share) {
      out.error = net.where.str() + ": network " + net.name + ": node " + facts->self +
                  " holds no share of it in etcd (subnet_per_node)";
      out.desired = Desired{};
      return out;
    }
  }
  out.desired.facts = std::move(facts);
  return out;
}

}  // namespace topo
