#pragma once
// The cluster registry: what one node keeps in etcd (keys.hpp) and how it
// takes subnets and addresses without ever clashing with another node.
//
//   Registry reg(etcd_options, {.prefix = "/topo"}, {.name = "a", .address = "192.0.2.10"});
//   reg.join();                                          // node key up, leases granted or found again
//   SubnetLease mine = reg.lease_subnet("overlay1", *IpPrefix::parse("10.50.0.0/16"), 24);
//   AddressClaim c = reg.claim_address("overlay1", mine.subnet, gateway, "c1", "02:42:0a:32:00:02");
//   ClusterView view = reg.read();                       // everybody's, then watch from view.revision + 1
//   every membership_ttl / 3:  reg.keepalive();
//   topo destroy:              reg.release_node();
//
// Two leases per node:
// - the short "membership" lease (RegistryOptions::membership_ttl, 30 s)
//   holds the node key: it is gone soon after the node's controller dies,
//   and the other nodes drop their routes to it;
// - the long "reservation" lease (reservation_ttl, 24 h) holds the node's
//   subnet leases and address claims: a node that comes back within it
//   finds them again (join() adopts the lease its keys are on), and nobody
//   else can take them meanwhile.
//
// Never clashing: a subnet or address is taken only by creating its key
// (create_if_absent: one transaction, exactly one of several racing nodes
// wins, the others move on to the next candidate); a key is changed or
// deleted only in a transaction that checks it is unchanged since it was
// read naming this node, so a node never touches another node's keys.
//
// Errors: etcd's failures are etcd::EtcdError as thrown by the client:
// e.unreachable() means etcd could not be asked (keep the data plane as it
// is, retry with backoff; a write that failed so may have been applied,
// which every call here tolerates when repeated). ClusterError is the
// registry's own (an unsafe name, exhaustion, a call before join()).
//
// Not thread-safe (it owns one etcd::Client): one Registry per thread.
// Calls block for at most the client's request timeout per etcd request.
#include <chrono>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "reconciler/cluster/cluster_view.hpp"
#include "reconciler/cluster/etcd/client.hpp"
#include "reconciler/cluster/keys.hpp"
#include "reconciler/cluster/records.hpp"
#include "reconciler/model/ip.hpp"

namespace topo::cluster {

struct RegistryOptions {
  std::string prefix = "/topo";  // --etcd-prefix
  // etcd grants at least its own minimum (about 2 s with default settings).
  std::chrono::seconds membership_ttl{30};
  std::chrono::seconds reservation_ttl{24 * 3600};
};

// This node, as it registers itself (the node key's value).
struct NodeInfo {
  std::string name;     // --node; a safe name (keys.hpp)
  std::string address;  // underlay IP (--advertise-address)
  std::map<std::string, std::string> vtep_macs{};  // network -> VXLAN device MAC
};

struct JoinResult {
  etcd::LeaseId membership = 0;
  etcd::LeaseId reservation = 0;
  bool reused_membership = false;   // the node key's lease was still alive (a quick restart)
  bool reused_reservation = false;  // found on this node's subnet or address keys, still alive
  // This node's subnet leases and address claims found in etcd (a restart).
  std::vector<SubnetLease> subnets;
  std::vector<AddressClaim> addresses;
};

struct KeepaliveResult {
  int64_t membership_ttl = 0;   // seconds left after renewal
  int64_t reservation_ttl = 0;
  bool rejoined_membership = false;  // the short lease was gone: a new one, the node key put again
  bool rejoined_reservation = false; // the long lease was gone: a new one, held keys created again
  // Held keys another node took while this node's long lease was gone: the
  // data plane must give them up (a new lease_subnet / claim_address).
  std::vector<SubnetLease> lost_subnets;
  std::vector<AddressClaim> lost_addresses;
};

struct ReleaseResult {
  int64_t deleted = 0;  // this node's keys deleted (node, subnets, addresses)
};

class Registry {
 public:
  // Checks the names (ClusterError invalid_argument: node name, prefix,
  // an address that is not an IP). Talks to no one yet.
  Registry(etcd::ClientOptions etcd, RegistryOptions options, NodeInfo me);

  // Grants the leases or adopts the ones still alive: the membership lease
  // of this node's existing node key, the reservation lease of its existing
  // subnet and address keys (read back from the keys' lease field, then
  // checked with lease_time_to_live). Puts the node key; moves this node's
  // keys that sit on another live lease onto the reservation lease. Safe to
  // call again (after an unreachable error, or to start over).
  // ClusterError duplicate_node when a live node key of this name says
  // another address: another machine uses the name.
  JoinResult join();

  // Renews both leases (call every membership_ttl / 3). A lease found gone
  // (etcd answered TTL 0: it expired while etcd was unreachable, or it was
  // revoked) is granted anew and its keys are put again, see the result.
  KeepaliveResult keepalive();

  // Changes what the node key says (a VXLAN MAC known only after the device
  // exists, a new underlay address) and puts it, and the same in this
  // node's subnet leases (which repeat both). After join().
  void update_node(NodeInfo me);

  // This node's subnet of length prefix_len inside `range` on `network`.
  // Sticky: a subnet key of this network naming this node, inside the range
  // and of that length, is returned (re-attached to the reservation lease,
  // its address and VXLAN MAC brought up to date); otherwise the first free
  // one (choice.hpp, among all nodes' keys of the network) is created, the
  // next after a lost race. This node's older keys of the same family on the
  // network that no longer fit (the range or length changed) are deleted.
  // ClusterError exhausted: "network N: no free /L left in RANGE (K taken)".
  SubnetLease lease_subnet(const std::string& network, const IpPrefix& range, int prefix_len);

  // An address for `container` on `network`, inside `pool` (this node's
  // subnet lease, or the network's whole subnet for an L2 overlay), never
  // the gateway. Sticky per (network, container, family) on this node,
  // like lease_subnet, mac brought up to date. ClusterError exhausted when
  // the pool is full. A container that moved to another node (an L2
  // overlay) gets a new claim there; the node it left gives the old one
  // back with release_address. `reserved`: never chosen (and a held claim
  // on one is given back): the static addresses the manifests give members.
  AddressClaim claim_address(const std::string& network, const IpPrefix& pool, const std::optional<IpAddress>& gateway,
                             const std::string& container, const std::string& mac,
                             const std::vector<IpAddress>& reserved = {});

  // A static address of the manifests claimed for `container`, so that
  // etcd never hands it out and two nodes never both use it. Sticky like
  // claim_address; this node's other claims for the container of that
  // family are given back. ClusterError address_taken when another member
  // (or another node) holds it.
  AddressClaim claim_static(const std::string& network, const IpAddress& address, const std::string& container,
                            const std::string& mac);

  // Deletes this node's claims for the container on the network (it was
  // removed from the manifests). Returns how many went.
  int64_t release_address(const std::string& network, const std::string& container);

  // Deletes this node's share of the network (it has no members on it any
  // more). Returns how many went.
  int64_t release_subnet(const std::string& network);

  // Deletes every key naming this node (node key, subnet leases, address
  // claims; never another node's), then revokes both leases. For `topo
  // destroy` on this node. join() again to come back.
  ReleaseResult release_node();

  // One get_prefix of the whole prefix: every node's keys, and the revision
  // to watch from (view.revision + 1).
  ClusterView read();

  const KeyLayout& layout() const { return layout_; }
  const NodeInfo& me() const { return me_; }
  etcd::LeaseId membership_lease() const { return membership_; }
  etcd::LeaseId reservation_lease() const { return reservation_; }

 private:
  void require_joined() const;
  bool lease_alive(etcd::LeaseId id);
  etcd::LeaseId grant(std::chrono::seconds ttl);
  void put_node();
  // Puts `value` on key with the reservation lease if the key is unchanged
  // since mod_revision. Returns whether it was.
  // The put's revision; nothing when the key changed since mod_revision.
  std::optional<etcd::Revision> rewrite_if_unchanged(const std::string& key, const std::string& value,
                                                     etcd::Revision mod_revision);
  bool erase_if_unchanged(const std::string& key, etcd::Revision mod_revision);
  // Creates `key` holding `want` on the reservation lease unless the key
  // exists; when created, `want` gets the lease and revision and is held.
  template <typename Record>
  etcd::CreateResult create_held(const std::string& key, Record& want, std::map<std::string, Record>& held);
  // Deletes the keys `mine` picks from a read of `range` (this node's, by
  // key and mod_revision), reading again while one changes under us.
  using Owned = std::vector<std::pair<std::string, etcd::Revision>>;
  int64_t release_own(const std::string& range, const std::function<Owned(const ClusterView&)>& mine,
                      const std::string& what);
  // Creates held keys again on a new reservation lease.
  void recreate_held(KeepaliveResult& result);

  etcd::Client client_;
  RegistryOptions options_;
  KeyLayout layout_;
  NodeInfo me_;
  etcd::LeaseId membership_ = 0;
  etcd::LeaseId reservation_ = 0;
  // What this node holds, by key: created again if the reservation lease is lost.
  std::map<std::string, SubnetLease> held_subnets_;
  std::map<std::string, AddressClaim> held_addresses_;
};

}  // namespace topo::cluster
