#include "reconciler/model/cluster_slice.hpp"

#include <utility>

namespace topo {
namespace {

// The subnet of `net` that holds `p` whole, or null.
const SubnetSpec* subnet_holding(const Network& net, const IpPrefix& p) {
  for (const SubnetSpec& s : net.subnets)
    if (s.subnet.addr.family == p.addr.family && s.subnet.contains(p)) return &s;
  return nullptr;
}

// What etcd says, kept only where it fits the manifests: anyone who may
// write under the prefix (or a node with other manifests) could otherwise
// route a default route, etcd's own address or another node's share. A
// share must be a share_per_node-long piece of its network's subnet, not
// overlapping one kept before it (this node's own first, then in address
// order, the same on every node); a claim must lie in its network's subnet
// (a routed one: in its node's kept share) and not on a static address of
// the manifests. A node's VXLAN MAC is what its own key says.
ClusterFacts sane(const Desired& whole, const ClusterFacts& facts, std::vector<std::string>& ignored) {
  ClusterFacts out = facts;
  out.shares.clear();
  out.members.clear();
  std::vector<const NodeShare*> order;
  for (const NodeShare& s : facts.shares)
    if (s.node == facts.self) order.push_back(&s);
  for (const NodeShare& s : facts.shares)
    if (s.node != facts.self) order.push_back(&s);
  for (const NodeShare* s : order) {
    const Network* net = whole.network(s->network);
    if (!net) continue;  // a network of other manifests: not this node's business
    const std::optional<int> len = net->driver_settings().share_per_node();
    const std::string what = "etcd: the share " + s->subnet.network_str() + " of node " + s->node + " on network " + s->network;
    if (!len || s->subnet.len != *len || !subnet_holding(*net, s->subnet)) {
      ignored.push_back(what + " is not a /" + (len ? std::to_string(*len) : std::string("?")) +
                        " of the network's subnet; ignored");
      continue;
    }
    bool overlaps = false;
    for (const NodeShare& kept : out.shares)
      overlaps |= kept.network == s->network && kept.subnet.overlaps(s->subnet);
    if (overlaps) {
      ignored.push_back(what + " overlaps another node's; ignored");
      continue;
    }
    NodeShare k = *s;
    if (const ClusterNode* n = facts.node(s->node))
      if (auto mac = n->vtep_macs.find(s->network); mac != n->vtep_macs.end()) k.vtep_mac = mac->second;
    out.shares.push_back(std::move(k));
  }
  for (const MemberAddress& m : facts.members) {
    const Network* net = whole.network(m.network);
    if (!net || !net->driver_settings().spans_nodes()) continue;
    const IpPrefix host{m.address, m.address.bits()};
    bool fits = subnet_holding(*net, host) != nullptr;
    if (fits && net->driver_settings().share_per_node()) {
      const NodeShare* share = out.share(m.network, m.node);
      fits = share && share->subnet.contains(m.address);
    }
    bool on_static = false;
    for (const Attachment& a : whole.attachments)
      if (a.network == m.network && a.container != m.container)
        on_static |= (a.ipv4 && *a.ipv4 == m.address) || (a.ipv6 && *a.ipv6 == m.address);
    if (!fits || on_static) {
      ignored.push_back("etcd: the address " + m.address.str() + " of " + m.container + " on node " + m.node +
                        " on network " + m.network +
                        (on_static ? " is a static address of another member" : " is outside its pool") + "; ignored");
      continue;
    }
    out.members.push_back(m);
  }
  return out;
}

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

NodeSelection select_cluster_node(Desired whole, std::shared_ptr<const ClusterFacts> given) {
  std::vector<std::string> ignored;
  auto facts = std::make_shared<const ClusterFacts>(sane(whole, *given, ignored));
  given.reset();
  whole.hosts.clear();
  for (const ClusterNode& n : facts->nodes) whole.hosts.push_back(Host{n.name, n.address, {}});
  take_member_addresses(whole, *facts);
  NodeSelection out = select_node(std::move(whole), facts->self);
  out.ignored = std::move(ignored);
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
    if (share)
      for (const Attachment& a : out.desired.attachments)
        for (const auto& fixed : {a.ipv4, a.ipv6})
          if (a.network == net.name && fixed && fixed->family == share->subnet.addr.family &&
              !share->subnet.contains(*fixed)) {
            out.error = a.where.str() + ": attachment of container " + a.container + " to network " + net.name +
                        ": the static address " + fixed->str() + " is outside node " + facts->self + "'s share " +
                        share->subnet.network_str() + " (subnet_per_node); leave it out, or give one inside the share";
            out.desired = Desired{};
            return out;
          }
    if (!share) {
      out.error = net.where.str() + ": network " + net.name + ": node " + facts->self +
                  " holds no share of it in etcd (subnet_per_node), or not one of this subnet and length";
      out.desired = Desired{};
      return out;
    }
  }
  if (const std::string missing = members_without_address(out.desired.whole(), facts->self); !missing.empty()) {
    out.error = "cluster mode: etcd has no address yet for " + missing +
                "; they are applied once etcd answers (the rest stays as it is meanwhile)";
    out.desired = Desired{};
    return out;
  }
  out.desired.facts = std::move(facts);
  return out;
}

}  // namespace topo
