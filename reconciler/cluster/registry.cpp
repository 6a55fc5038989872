#include "reconciler/cluster/registry.hpp"

#include <algorithm>
#include <set>

#include "reconciler/cluster/choice.hpp"
#include "reconciler/cluster/error.hpp"
#include "reconciler/cluster/etcd/error.hpp"
#include "reconciler/cluster/etcd/txn.hpp"

namespace topo::cluster {
namespace {

using etcd::Compare;
using etcd::CompareOp;
using etcd::TxnOp;

// A key changed under us between our read and our transaction is read
// again; only another writer of this node's own keys can cause that, so a
// few rounds are plenty and more means something is fighting us.
constexpr int max_rounds = 8;

[[noreturn]] void contended(const std::string& what) {
  throw std::runtime_error("etcd registry: " + what + " kept changing under this node; is a second controller running with the same --node?");
}

// The vtep MAC a subnet lease of `network` should carry: the node's current
// one when it has one, else what the key said (the device may not exist yet).
std::string vtep_mac_for(const NodeInfo& me, const std::string& network, const std::string& before) {
  auto it = me.vtep_macs.find(network);
  return it != me.vtep_macs.end() ? it->second : before;
}

void check_node(const NodeInfo& me) {
  check_name("node", me.name);
  if (!IpAddress::parse(me.address))
    throw ClusterError(ClusterError::Kind::invalid_argument,
                       "etcd registry: node " + me.name + ": address \"" + me.address + "\" is not an IP address");
  for (const auto& [network, mac] : me.vtep_macs) check_name("network", network);
}

}  // namespace

Registry::Registry(etcd::ClientOptions etcd, RegistryOptions options, NodeInfo me)
    : client_(std::move(etcd)), options_(std::move(options)), layout_(options_.prefix), me_(std::move(me)) {
  check_node(me_);
}

void Registry::require_joined() const {
  if (membership_ == 0 || reservation_ == 0)
    throw ClusterError(ClusterError::Kind::not_joined, "etcd registry: node " + me_.name + " has not joined");
}

bool Registry::lease_alive(etcd::LeaseId id) { return id != 0 && client_.lease_time_to_live(id).ttl > 0; }

etcd::LeaseId Registry::grant(std::chrono::seconds ttl) { return client_.lease_grant(ttl).id; }

void Registry::put_node() {
  NodeRecord n{.name = me_.name, .address = me_.address, .vtep_macs = me_.vtep_macs};
  client_.put(layout_.node(me_.name), encode(n), membership_);
}

std::optional<etcd::Revision> Registry::rewrite_if_unchanged(const std::string& key, const std::string& value,
                                                             etcd::Revision mod_revision) {
  etcd::Txn t;
  t.compare = {Compare::mod_revision(key, CompareOp::equal, mod_revision)};
  t.success = {TxnOp::put(key, value, reservation_)};
  const etcd::TxnResult r = client_.txn(t);
  if (!r.succeeded) return std::nullopt;
  return r.revision;
}

template <typename Record>
etcd::CreateResult Registry::create_held(const std::string& key, Record& want, std::map<std::string, Record>& held) {
  etcd::CreateResult r = client_.create_if_absent(key, encode(want), reservation_);
  if (r.created) {
    want.lease = reservation_;
    want.mod_revision = r.revision;
    held[key] = want;
  }
  return r;
}

bool Registry::erase_if_unchanged(const std::string& key, etcd::Revision mod_revision) {
  etcd::Txn t;
  t.compare = {Compare::mod_revision(key, CompareOp::equal, mod_revision)};
  t.success = {TxnOp::erase(key)};
  return client_.txn(t).succeeded;
}

JoinResult Registry::join() {
  JoinResult result;
  ClusterView view = read();

  // The membership lease: this object's, or the one the node key is on
  // (a controller restarted within the membership TTL), if still alive.
  etcd::LeaseId membership = membership_;
  bool other_machine = false;
  if (membership == 0) {
    auto it = view.nodes.find(me_.name);
    if (it != view.nodes.end()) {
      membership = it->second.lease;
      other_machine = it->second.address != me_.address;
    }
  }
  const etcd::LeaseTimeToLive left = membership != 0 ? client_.lease_time_to_live(membership) : etcd::LeaseTimeToLive{};
  result.reused_membership = left.ttl > 0;
  // Alive and from another address: not this machine restarted (a second
  // process of this machine, an apply beside its controller, shares it).
  if (result.reused_membership && other_machine)
    throw ClusterError(ClusterError::Kind::duplicate_node,
                       "node " + me_.name + " is registered from " + view.nodes.at(me_.name).address +
                           " and that registration is alive: is another machine running with --node " + me_.name +
                           "? Give this one another name, or wait until the other's registration expires (" +
                           std::to_string(options_.membership_ttl.count()) + " s after its controller stops)");
  // A lease of another TTL (--node-ttl changed) is not kept: the others
  // must drop this node as soon as it now asks.
  const bool same_ttl = left.granted_ttl == options_.membership_ttl.count();
  if (result.reused_membership && !same_ttl) result.reused_membership = false;
  membership_ = result.reused_membership ? membership : grant(options_.membership_ttl);

  // The reservation lease: the first alive among this object's and those
  // this node's subnet and address keys are on (etcd keeps them, so they
  // need no file on the node).
  std::vector<etcd::LeaseId> candidates{reservation_};
  for (const auto& [key, s] : view.subnets)
    if (s.node == me_.name) candidates.push_back(s.lease);
  for (const auto& [key, a] : view.addresses)
    if (a.node == me_.name) candidates.push_back(a.lease);
  reservation_ = 0;
  std::set<etcd::LeaseId> tried;
  for (etcd::LeaseId id : candidates) {
    if (id == 0 || !tried.insert(id).second) continue;
    if (lease_alive(id)) {
      reservation_ = id;
      result.reused_reservation = true;
      break;
    }
  }
  if (reservation_ == 0) reservation_ = grant(options_.reservation_ttl);

  // Put only when it says something new: each put is an event for every
  // watching controller, and a cron-style apply would otherwise wake them all.
  const auto current = view.nodes.find(me_.name);
  if (current == view.nodes.end() || current->second.lease != membership_ ||
      current->second.address != me_.address || current->second.vtep_macs != me_.vtep_macs)
    put_node();

  // This node's keys, all on the reservation lease from now on, so that
  // they live and die together.
  held_subnets_.clear();
  held_addresses_.clear();
  for (auto [key, s] : view.subnets) {
    if (s.node != me_.name) continue;
    SubnetLease want = s;
    want.address = me_.address;
    want.vtep_mac = vtep_mac_for(me_, s.network, s.vtep_mac);
    if (s.lease != reservation_ || encode(want) != encode(s)) {
      if (!rewrite_if_unchanged(key, encode(want), s.mod_revision)) continue;  // changed meanwhile: lease_subnet reads it again
    }
    want.lease = reservation_;
    held_subnets_[key] = want;
    result.subnets.push_back(want);
  }
  for (auto [key, a] : view.addresses) {
    if (a.node != me_.name) continue;
    if (a.lease != reservation_ && !rewrite_if_unchanged(key, encode(a), a.mod_revision)) continue;
    a.lease = reservation_;
    held_addresses_[key] = a;
    result.addresses.push_back(a);
  }
  result.membership = membership_;
  result.reservation = reservation_;
  return result;
}

KeepaliveResult Registry::keepalive() {
  require_joined();
  KeepaliveResult result;
  result.membership_ttl = client_.lease_keepalive_once(membership_);
  if (result.membership_ttl <= 0) {
    membership_ = grant(options_.membership_ttl);
    put_node();
    result.rejoined_membership = true;
    result.membership_ttl = client_.lease_time_to_live(membership_).ttl;
  }
  result.reservation_ttl = client_.lease_keepalive_once(reservation_);
  if (result.reservation_ttl <= 0) {
    reservation_ = grant(options_.reservation_ttl);
    result.rejoined_reservation = true;
    recreate_held(result);
    result.reservation_ttl = client_.lease_time_to_live(reservation_).ttl;
  }
  return result;
}

void Registry::recreate_held(KeepaliveResult& result) {
  // The old lease took the keys with it; whoever created one since owns it.
  auto again = [&](auto& held, auto& lost) {
    for (auto it = held.begin(); it != held.end();) {
      auto& [key, record] = *it;
      etcd::CreateResult r = client_.create_if_absent(key, encode(record), reservation_);
      std::string error;
      bool ours = r.created;
      if (!ours) {
        // Created by us in an earlier attempt whose answer was lost?
        using Record = std::decay_t<decltype(record)>;
        std::optional<Record> current;
        if constexpr (std::is_same_v<Record, SubnetLease>) current = decode_subnet(r.current.value, &error);
        else current = decode_address(r.current.value, &error);
        ours = current && current->node == me_.name &&
               rewrite_if_unchanged(key, encode(record), r.current.mod_revision);
      }
      if (ours) {
        record.lease = reservation_;
        ++it;
      } else {
        lost.push_back(record);
        it = held.erase(it);
      }
    }
  };
  again(held_subnets_, result.lost_subnets);
  again(held_addresses_, result.lost_addresses);
}

void Registry::update_node(NodeInfo me) {
  require_joined();
  if (me.name != me_.name)
    throw ClusterError(ClusterError::Kind::invalid_argument,
                       "etcd registry: update_node cannot rename node " + me_.name + " to " + me.name);
  check_node(me);
  me_ = std::move(me);
  put_node();
  // The subnet leases repeat the address and VXLAN MAC: bring them up to
  // date too, each only if it still names this node unchanged since read.
  for (auto& [key, held] : held_subnets_) {
    etcd::RangeResult r = client_.get(key);
    if (r.kvs.empty()) continue;  // gone: keepalive or lease_subnet deals with it
    std::string error;
    auto current = decode_subnet(r.kvs[0].value, &error);
    if (!current || current->node != me_.name) continue;
    SubnetLease want = held;
    want.address = me_.address;
    want.vtep_mac = vtep_mac_for(me_, held.network, current->vtep_mac);
    if (encode(want) == r.kvs[0].value && r.kvs[0].lease == reservation_) continue;
    if (rewrite_if_unchanged(key, encode(want), r.kvs[0].mod_revision)) held = want;
  }
}

SubnetLease Registry::lease_subnet(const std::string& network, const IpPrefix& range, int prefix_len) {
  require_joined();
  check_name("network", network);
  const IpPrefix net{range.network(), range.len};
  if (prefix_len < net.len || prefix_len > net.addr.bits())
    throw ClusterError(ClusterError::Kind::invalid_argument, "etcd registry: network " + network + ": a /" +
                                                                 std::to_string(prefix_len) + " cannot be cut from " +
                                                                 net.str());
  for (int round = 0; round < max_rounds; ++round) {
    ClusterView view = decode_view(layout_, client_.get_prefix(layout_.subnets(network)));
    // Sticky: this node's own, if it still fits.
    const SubnetLease* keep = nullptr;
    bool changed = false;
    for (const SubnetLease* s : view.subnets_of(network)) {
      if (s->node != me_.name || s->subnet.addr.family != net.addr.family) continue;
      const bool fits = net.contains(s->subnet) && s->subnet.len == prefix_len;
      if (fits && !keep) {
        keep = s;
        continue;
      }
      // The range or length changed, or a second one: give it back.
      const std::string key = layout_.subnet(network, s->subnet);
      held_subnets_.erase(key);
      if (!erase_if_unchanged(key, s->mod_revision)) changed = true;
    }
    if (changed) continue;
    if (keep) {
      SubnetLease want = *keep;
      want.address = me_.address;
      want.vtep_mac = vtep_mac_for(me_, network, keep->vtep_mac);
      const std::string key = layout_.subnet(network, keep->subnet);
      if (keep->lease != reservation_ || encode(want) != encode(*keep)) {
        const auto revision = rewrite_if_unchanged(key, encode(want), keep->mod_revision);
        if (!revision) continue;
        want.mod_revision = *revision;
      }
      want.lease = reservation_;
      held_subnets_[key] = want;
      return want;
    }

    // A new one: the first free candidate, the next one after each lost race.
    std::vector<IpPrefix> taken;
    for (const SubnetLease* s : view.subnets_of(network)) taken.push_back(s->subnet);
    SubnetLease want{.network = network, .node = me_.name, .address = me_.address,
                     .vtep_mac = vtep_mac_for(me_, network, "")};
    bool again = false;
    while (!again) {
      auto candidate = first_free_subnet(net, prefix_len, taken);
      if (!candidate)
        throw ClusterError(ClusterError::Kind::exhausted,
                           "etcd registry: network " + network + ": no free /" + std::to_string(prefix_len) +
                               " left in " + net.str() + " (" + std::to_string(view.subnets_of(network).size()) +
                               " leased)");
      want.subnet = *candidate;
      const std::string key = layout_.subnet(network, *candidate);
      etcd::CreateResult r = create_held(key, want, held_subnets_);
      if (r.created) return want;
      std::string error;
      auto current = decode_subnet(r.current.value, &error);
      if (current && current->node == me_.name) again = true;  // ours after all (a lost answer): take the sticky path
      else taken.push_back(*candidate);                       // lost the race: the next one
    }
  }
  contended("the subnet leases of network " + network);
}

AddressClaim Registry::claim_address(const std::string& network, const IpPrefix& pool,
                                     const std::optional<IpAddress>& gateway, const std::string& container,
                                     const std::string& mac, const std::vector<IpAddress>& reserved) {
  require_joined();
  check_name("network", network);
  check_name("container", container);
  const IpPrefix net{pool.network(), pool.len};
  for (int round = 0; round < max_rounds; ++round) {
    ClusterView view = decode_view(layout_, client_.get_prefix(layout_.addresses(network)));
    const AddressClaim* keep = nullptr;
    bool changed = false;
    for (const AddressClaim* a : view.addresses_of(network)) {
      if (a->node != me_.name || a->container != container || a->address.family != net.addr.family) continue;
      const bool fits = net.contains(a->address) && !(gateway && *gateway == a->address) &&
                        std::find(reserved.begin(), reserved.end(), a->address) == reserved.end();
      if (fits && !keep) {
        keep = a;
        continue;
      }
      const std::string key = layout_.address(network, a->address);
      held_addresses_.erase(key);
      if (!erase_if_unchanged(key, a->mod_revision)) changed = true;
    }
    if (changed) continue;
    if (keep) {
      AddressClaim want = *keep;
      want.mac = mac;
      const std::string key = layout_.address(network, keep->address);
      if (keep->lease != reservation_ || encode(want) != encode(*keep)) {
        const auto revision = rewrite_if_unchanged(key, encode(want), keep->mod_revision);
        if (!revision) continue;
        want.mod_revision = *revision;
      }
      want.lease = reservation_;
      held_addresses_[key] = want;
      return want;
    }

    std::vector<IpAddress> taken = reserved;
    for (const AddressClaim* a : view.addresses_of(network)) taken.push_back(a->address);
    AddressClaim want{.network = network, .node = me_.name, .container = container, .mac = mac};
    bool again = false;
    while (!again) {
      auto candidate = first_free_address(net, gateway, taken);
      if (!candidate)
        throw ClusterError(ClusterError::Kind::exhausted, "etcd registry: network " + network +
                                                              ": no free address left in " + net.str() + " for " +
                                                              container);
      want.address = *candidate;
      const std::string key = layout_.address(network, *candidate);
      etcd::CreateResult r = create_held(key, want, held_addresses_);
      if (r.created) return want;
      std::string error;
      auto current = decode_address(r.current.value, &error);
      if (current && current->node == me_.name && current->container == container) again = true;
      else taken.push_back(*candidate);
    }
  }
  contended("the address claims of network " + network);
}

AddressClaim Registry::claim_static(const std::string& network, const IpAddress& address,
                                    const std::string& container, const std::string& mac) {
  require_joined();
  check_name("network", network);
  check_name("container", container);
  const std::string key = layout_.address(network, address);
  AddressClaim want{.network = network, .address = address, .node = me_.name, .container = container, .mac = mac};
  for (int round = 0; round < max_rounds; ++round) {
    ClusterView view = decode_view(layout_, client_.get_prefix(layout_.addresses(network)));
    bool changed = false;
    for (const AddressClaim* a : view.addresses_of(network)) {
      if (a->node != me_.name || a->container != container || a->address.family != address.family ||
          a->address == address)
        continue;
      const std::string other = layout_.address(network, a->address);
      held_addresses_.erase(other);
      if (!erase_if_unchanged(other, a->mod_revision)) changed = true;
    }
    if (changed) continue;
    if (auto it = view.addresses.find(key); it != view.addresses.end()) {
      const AddressClaim& current = it->second;
      if (current.node != me_.name || current.container != container)
        throw ClusterError(ClusterError::Kind::address_taken,
                           "etcd registry: network " + network + ": the static address " + address.str() +
                               " of container " + container + " is held by container " + current.container +
                               " on node " + current.node + "; give one of them another address");
      want.mod_revision = current.mod_revision;
      if (current.lease != reservation_ || encode(want) != encode(current)) {
        const auto revision = rewrite_if_unchanged(key, encode(want), current.mod_revision);
        if (!revision) continue;
        want.mod_revision = *revision;
      }
      want.lease = reservation_;
      held_addresses_[key] = want;
      return want;
    }
    if (create_held(key, want, held_addresses_).created) return want;
    // Taken meanwhile: read again, to say by whom (or find it ours).
  }
  contended("the address claims of network " + network);
}

int64_t Registry::release_own(const std::string& range, const std::function<Owned(const ClusterView&)>& mine,
                              const std::string& what) {
  int64_t deleted = 0;
  for (int round = 0; round < max_rounds; ++round) {
    bool changed = false;
    for (const auto& [key, mod_revision] : mine(decode_view(layout_, client_.get_prefix(range)))) {
      held_subnets_.erase(key);
      held_addresses_.erase(key);
      if (erase_if_unchanged(key, mod_revision)) ++deleted;
      else changed = true;
    }
    if (!changed) return deleted;
  }
  contended(what);
}

int64_t Registry::release_address(const std::string& network, const std::string& container) {
  check_name("network", network);
  check_name("container", container);
  return release_own(
      layout_.addresses(network),
      [&](const ClusterView& view) {
        Owned out;
        for (const AddressClaim* a : view.claims_of(network, container))
          if (a->node == me_.name) out.emplace_back(layout_.address(network, a->address), a->mod_revision);
        return out;
      },
      "the address claims of " + container + " on network " + network);
}

int64_t Registry::release_subnet(const std::string& network) {
  check_name("network", network);
  return release_own(
      layout_.subnets(network),
      [&](const ClusterView& view) {
        Owned out;
        for (const SubnetLease* s : view.subnets_of(network))
          if (s->node == me_.name) out.emplace_back(layout_.subnet(network, s->subnet), s->mod_revision);
        return out;
      },
      "the subnet leases of network " + network);
}

ReleaseResult Registry::release_node() {
  ReleaseResult result;
  for (int round = 0;; ++round) {
    if (round == max_rounds) contended("the keys of node " + me_.name);
    ClusterView view = read();
    bool changed = false;
    auto drop = [&](const std::string& key, etcd::Revision mod_revision) {
      if (erase_if_unchanged(key, mod_revision)) ++result.deleted;
      else changed = true;
    };
    if (auto it = view.nodes.find(me_.name); it != view.nodes.end()) drop(layout_.node(me_.name), it->second.mod_revision);
    for (const auto& [key, s] : view.subnets)
      if (s.node == me_.name) drop(key, s.mod_revision);
    for (const auto& [key, a] : view.addresses)
      if (a.node == me_.name) drop(key, a.mod_revision);
    if (!changed) break;
  }
  // The leases hold none of this node's keys any more; ending them now
  // rather than at their TTL. Gone already is fine.
  for (etcd::LeaseId id : {membership_, reservation_}) {
    if (id == 0) continue;
    try {
      client_.lease_revoke(id);
    } catch (const etcd::EtcdError& e) {
      if (e.grpc_code() != etcd::grpc_code::not_found) throw;
    }
  }
  membership_ = reservation_ = 0;
  held_subnets_.clear();
  held_addresses_.clear();
  return result;
}

ClusterView Registry::read() { return decode_view(layout_, client_.get_prefix(layout_.all())); }

}  // namespace topo::cluster
