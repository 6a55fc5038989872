#include "reconciler/cluster/cluster_facts.hpp"

#include <algorithm>
#include <set>

#include "providers/overlay/overlay_settings.hpp"
#include "providers/overlay/overlay_shares.hpp"
#include "reconciler/cluster/choice.hpp"
#include "reconciler/cluster/error.hpp"

namespace topo::cluster {
namespace {

// A network this node has members on, and what it needs there.
struct LocalNeed {
  const Network* net;
  const SubnetSpec* whole_subnet;  // of the family
  std::optional<int> share_len;     // subnet_per_node
};

std::vector<LocalNeed> local_networks(const Desired& whole, const std::string& node) {
  std::set<std::string> names;
  for (const Attachment& a : whole.attachments) {
    const Container* c = whole.container(a.container);
    if (c && c->node == node) names.insert(a.network);
  }
  std::vector<LocalNeed> out;
  for (const std::string& name : names) {
    const Network* net = whole.network(name);
    if (!net || !net->driver_settings().spans_nodes()) continue;
    for (const SubnetSpec& s : net->subnets) out.push_back({net, &s, net->driver_settings().share_per_node()});
  }
  return out;
}

// Members of this node on `need`'s network with (`fixed`) or without a
// static address of its family.
std::vector<const Attachment*> members_of(const Desired& whole, const std::string& node, const LocalNeed& need,
                                          bool fixed) {
  std::vector<const Attachment*> out;
  const int family = need.whole_subnet->subnet.addr.family;
  for (const Attachment& a : whole.attachments) {
    if (a.network != need.net->name) continue;
    const Container* c = whole.container(a.container);
    if (c && c->node == node && (family == 4 ? a.ipv4 : a.ipv6).has_value() == fixed) out.push_back(&a);
  }
  return out;
}
std::vector<const Attachment*> members_to_claim(const Desired& whole, const std::string& node, const LocalNeed& need) {
  return members_of(whole, node, need, false);
}
std::vector<const Attachment*> static_members(const Desired& whole, const std::string& node, const LocalNeed& need) {
  return members_of(whole, node, need, true);
}

// Where a member's address comes from: this node's share, or the network's
// range (an L2 overlay).
struct Pool {
  IpPrefix prefix;
  std::optional<IpAddress> gateway;
};
Pool pool_of(const LocalNeed& need, const std::optional<IpPrefix>& share) {
  if (share) return {*share, share->network().plus(1)};
  const SubnetSpec& s = *need.whole_subnet;
  return {s.ip_range ? *s.ip_range : s.subnet, s.gateway};
}

// Static addresses the manifests give members of `network` on any node:
// never handed out by etcd.
std::vector<IpAddress> static_addresses(const Desired& whole, const std::string& network) {
  std::vector<IpAddress> out;
  for (const Attachment& a : whole.attachments)
    if (a.network == network) {
      if (a.ipv4) out.push_back(*a.ipv4);
      if (a.ipv6) out.push_back(*a.ipv6);
    }
  return out;
}

const AddressClaim* own_claim(const ClusterView& view, const std::string& network, const std::string& container,
                              const std::string& node, int family) {
  for (const AddressClaim* c : view.claims_of(network, container))
    if (c->node == node && c->address.family == family) return c;
  return nullptr;
}

}  // namespace

NodeInfo node_info(const std::string& node, const std::string& address, const Desired& whole) {
  NodeInfo me{node, address, {}};
  for (const LocalNeed& need : local_networks(whole, node)) {
    const auto* s = need.net->settings_as<OverlaySettings>();
    if (s && s->subnet_per_node && s->backend == OverlaySettings::Backend::Vxlan)
      me.vtep_macs[need.net->name] = vtep_mac(need.net->name, node);
  }
  return me;
}

ClusterFacts facts_from_view(const ClusterView& view, const NodeInfo& me) {
  ClusterFacts f;
  f.self = me.name;
  f.revision = view.revision;
  for (const auto& [name, n] : view.nodes) {
    // This node as it is now, not as its key said before this run.
    const bool self = name == me.name;
    if (auto a = IpAddress::parse(self ? me.address : n.address))
      f.nodes.push_back({name, *a, self ? me.vtep_macs : n.vtep_macs});
  }
  if (!view.nodes.count(me.name))
    if (auto a = IpAddress::parse(me.address)) f.nodes.push_back({me.name, *a, me.vtep_macs});
  for (const auto& [key, s] : view.subnets) {
    auto a = IpAddress::parse(s.address);
    f.shares.push_back({s.network, s.subnet, s.node, a ? *a : IpAddress{}, s.vtep_mac});
  }
  for (const auto& [key, c] : view.addresses) f.members.push_back({c.network, c.container, c.node, c.address, c.mac});
  return f;
}

namespace {

// This node's one claim for the member and family in `view` when it is
// already as wanted on the node's reservation lease: a pass that changes
// nothing asks etcd nothing more per member.
const AddressClaim* held_claim(const ClusterView& view, const Registry& registry, const Attachment& a, int family) {
  const AddressClaim* found = nullptr;
  for (const AddressClaim* c : view.claims_of(a.network, a.container)) {
    if (c->node != registry.me().name || c->address.family != family) continue;
    if (found) return nullptr;  // several: the registry gives the others back
    found = c;
  }
  return found && found->lease == registry.reservation_lease() && found->mac == a.mac ? found : nullptr;
}

}  // namespace

std::shared_ptr<const ClusterFacts> take_facts(Registry& registry, const Desired& whole) {
  const NodeInfo& me = registry.me();
  // Joined once per registry; keepalive() keeps it so.
  if (registry.membership_lease() == 0) registry.join();
  // One read for the pass: keys already as wanted are not asked for again
  // (each registry call reads the network's keys); it is read once more
  // only when something was written.
  ClusterView view = registry.read();
  bool wrote = false;
  std::set<std::pair<std::string, std::string>> kept;  // (network, container) still this node's
  for (const LocalNeed& need : local_networks(whole, me.name)) {
    const std::string& network = need.net->name;
    const int family = need.whole_subnet->subnet.addr.family;
    std::optional<IpPrefix> share;
    if (need.share_len) {
      std::vector<const SubnetLease*> own;
      for (const SubnetLease* s : view.subnets_of(network))
        if (s->node == me.name && s->subnet.addr.family == family) own.push_back(s);
      auto mac = me.vtep_macs.find(network);
      if (own.size() == 1 && own[0]->subnet.len == *need.share_len &&
          need.whole_subnet->subnet.contains(own[0]->subnet) && own[0]->lease == registry.reservation_lease() &&
          own[0]->address == me.address && own[0]->vtep_mac == (mac == me.vtep_macs.end() ? "" : mac->second)) {
        share = own[0]->subnet;
      } else {
        share = registry.lease_subnet(network, need.whole_subnet->subnet, *need.share_len).subnet;
        wrote = true;
      }
    }
    const Pool pool = pool_of(need, share);
    const std::vector<IpAddress> statics = static_addresses(whole, network);
    for (const Attachment* a : members_to_claim(whole, me.name, need)) {
      kept.insert({a->network, a->container});
      const AddressClaim* c = held_claim(view, registry, *a, family);
      if (c && pool.prefix.contains(c->address) && !(pool.gateway && *pool.gateway == c->address) &&
          std::find(statics.begin(), statics.end(), c->address) == statics.end())
        continue;
      registry.claim_address(a->network, pool.prefix, pool.gateway, a->container, a->mac, statics);
      wrote = true;
    }
    // Static ones are claimed as written: etcd is the arbiter between nodes
    // whose manifests disagree.
    for (const Attachment* a : static_members(whole, me.name, need)) {
      const IpAddress address = *(family == 4 ? a->ipv4 : a->ipv6);
      if (share && !share->contains(address)) continue;  // refused by the slice (cluster_slice.cpp)
      kept.insert({a->network, a->container});
      const AddressClaim* c = held_claim(view, registry, *a, family);
      if (c && c->address == address) continue;
      registry.claim_static(a->network, address, a->container, a->mac);
      wrote = true;
    }
  }
  if (wrote) view = registry.read();
  // Claims of members this node no longer has (removed, moved), and shares
  // of networks it has no member on any more: free for others. Only of
  // networks these manifests name: another stack's manifests may name others.
  bool released = false;
  std::set<std::string> shared;
  for (const LocalNeed& need : local_networks(whole, me.name))
    if (need.share_len) shared.insert(need.net->name);
  for (const auto& [key, s] : view.subnets)
    if (s.node == me.name && whole.network(s.network) && shared.insert(s.network).second) {
      registry.release_subnet(s.network);
      released = true;
    }
  for (const auto& [key, c] : view.addresses)
    if (c.node == me.name && whole.network(c.network) && kept.insert({c.network, c.container}).second) {
      registry.release_address(c.network, c.container);
      released = true;
    }
  // The node key as this node says, whoever wrote it last (a hand edit, a
  // machine that took this name while this one was away).
  const auto key = view.nodes.find(me.name);
  if (key == view.nodes.end() || key->second.address != me.address || key->second.vtep_macs != me.vtep_macs ||
      key->second.lease != registry.membership_lease()) {
    registry.update_node(me);
    released = true;
  }
  if (released) view = registry.read();
  return std::make_shared<const ClusterFacts>(facts_from_view(view, me));
}

std::shared_ptr<const ClusterFacts> preview_facts(const ClusterView& view, const NodeInfo& me, const Desired& whole) {
  auto f = std::make_shared<ClusterFacts>(facts_from_view(view, me));
  for (const LocalNeed& need : local_networks(whole, me.name)) {
    const std::string& network = need.net->name;
    const int family = need.whole_subnet->subnet.addr.family;
    std::optional<IpPrefix> share;
    if (need.share_len) {
      for (const NodeShare& s : f->shares)
        if (s.network == network && s.node == me.name && s.subnet.addr.family == family) share = s.subnet;
      if (!share) {
        std::vector<IpPrefix> taken;
        for (const NodeShare& s : f->shares)
          if (s.network == network) taken.push_back(s.subnet);
        share = first_free_subnet(need.whole_subnet->subnet, *need.share_len, taken);
        if (!share)
          throw ClusterError(ClusterError::Kind::exhausted, "network " + network + ": no free /" +
                                                                std::to_string(*need.share_len) + " left in " +
                                                                need.whole_subnet->subnet.str());
        auto mac = me.vtep_macs.find(network);
        f->shares.push_back({network, *share, me.name, *IpAddress::parse(me.address),
                             mac == me.vtep_macs.end() ? "" : mac->second});
      }
    }
    const Pool pool = pool_of(need, share);
    for (const Attachment* a : members_to_claim(whole, me.name, need)) {
      if (own_claim(view, network, a->container, me.name, family)) continue;
      std::vector<IpAddress> taken = static_addresses(whole, network);
      for (const MemberAddress& m : f->members)
        if (m.network == network) taken.push_back(m.address);
      auto address = first_free_address(pool.prefix, pool.gateway, taken);
      if (!address)
        throw ClusterError(ClusterError::Kind::exhausted,
                           "network " + network + ": no free address left in " + pool.prefix.str());
      f->members.push_back({network, a->container, me.name, *address, a->mac});
    }
  }
  return f;
}

}  // namespace topo::cluster
