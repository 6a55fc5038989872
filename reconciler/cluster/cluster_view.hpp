#pragma once
// What etcd holds under the prefix, decoded: the live nodes, the subnet
// leases and the address claims, at one store revision. Built from one
// get_prefix(layout.all()) and kept current from a watch of the same prefix
// started at revision + 1 (apply_put / apply_erase per event). Pure: no etcd
// here, the unit tests feed it RangeResults.
//
//   etcd::RangeResult all = client.get_prefix(layout.all());
//   ClusterView view = decode_view(layout, all);
//   for (const SubnetLease* s : view.subnets_of("overlay1")) route s->subnet via s->address ...
//   // watch from view.revision + 1; per event: view.apply_put(ev.kv) or view.apply_erase(layout, ev.kv.key)
//
// Keys or values that are not topo's (a hand-written key, junk JSON, a name
// unsafe in a key) never throw: they are left out and listed in `skipped`
// with the reason, for a warning.
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "reconciler/cluster/etcd/types.hpp"
#include "reconciler/cluster/keys.hpp"
#include "reconciler/cluster/records.hpp"

namespace topo::cluster {

struct SkippedKey {
  std::string key;
  std::string reason;  // "not a JSON object", "the value names node b, the key a", ...
  bool operator==(const SkippedKey&) const = default;
};

struct ClusterView {
  etcd::Revision revision = 0;  // the store revision read (or of the last event applied)
  // Keyed by node name, subnet key and address key (keys.hpp): key order, so
  // within a network subnets and addresses come in a stable order.
  std::map<std::string, NodeRecord> nodes;
  std::map<std::string, SubnetLease> subnets;
  std::map<std::string, AddressClaim> addresses;
  std::vector<SkippedKey> skipped;

  // A key's new value (a put event or a range entry). Replaces what the key
  // held; a value that does not decode removes the key's old record and is
  // listed in skipped.
  void apply_put(const KeyLayout& layout, const etcd::KeyValue& kv);
  // A key gone (a delete event, a lease expiry).
  void apply_erase(const KeyLayout& layout, std::string_view key);

  // The subnet leases of one network, in address order.
  std::vector<const SubnetLease*> subnets_of(std::string_view network) const;
  // The lease of `node` on `network` (the first in address order), or null.
  const SubnetLease* subnet_of(std::string_view network, std::string_view node) const;
  // The address claims of one network, in key order.
  std::vector<const AddressClaim*> addresses_of(std::string_view network) const;
  // The claims of one container on one network (one per family at most when
  // only the registry writes).
  std::vector<const AddressClaim*> claims_of(std::string_view network, std::string_view container) const;
  // Whether a node is live (its node key exists).
  bool has_node(std::string_view node) const { return nodes.count(std::string(node)) != 0; }
};

// Every key of `range` (a get_prefix of layout.all()) through apply_put.
ClusterView decode_view(const KeyLayout& layout, const etcd::RangeResult& range);

}  // namespace topo::cluster
