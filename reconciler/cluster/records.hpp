#pragma once
// The values under the prefix (keys.hpp), as structs and as the JSON etcd
// holds. Encoding is canonical (nlohmann's sorted keys), so the same record
// always gives the same bytes and a transaction can compare values. Pure.
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "reconciler/cluster/etcd/types.hpp"
#include "reconciler/model/ip.hpp"

namespace topo::cluster {

// <prefix>/nodes/<name>: a live node (its key goes with its short lease).
struct NodeRecord {
  std::string name;
  std::string address;                          // underlay IP: VXLAN endpoint, host-gw next hop
  std::map<std::string, std::string> vtep_macs;  // network -> MAC of this node's VXLAN device
  // From etcd, not the value: the lease the key is on, its last change.
  etcd::LeaseId lease = 0;
  etcd::Revision mod_revision = 0;
  bool operator==(const NodeRecord&) const = default;
};

// <prefix>/subnets/<network>/<subnet>: a node's share of a subnet_per_node network.
struct SubnetLease {
  std::string network;  // from the key
  IpPrefix subnet{};    // from the key
  std::string node;
  std::string address;   // the node's underlay IP (so a route needs no node lookup)
  std::string vtep_mac;  // the node's VXLAN MAC on this network, "" for host-gw
  etcd::LeaseId lease = 0;
  etcd::Revision mod_revision = 0;
  bool operator==(const SubnetLease&) const = default;
};

// <prefix>/addresses/<network>/<ip>: one container's address on an overlay.
struct AddressClaim {
  std::string network;  // from the key
  IpAddress address{};  // from the key
  std::string node;
  std::string container;
  std::string mac;
  etcd::LeaseId lease = 0;
  etcd::Revision mod_revision = 0;
  bool operator==(const AddressClaim&) const = default;
};

// The JSON of each value (the key's own parts are not repeated in it).
std::string encode(const NodeRecord& n);
std::string encode(const SubnetLease& s);
std::string encode(const AddressClaim& a);

// The value of a key into the record, the key's parts (network, subnet or
// address, node name) filled in by the caller. nullopt and *error when the
// value is not such JSON: not JSON, a field missing or of the wrong type, a
// name unsafe in a key, an address that does not parse.
std::optional<NodeRecord> decode_node(std::string_view value, std::string* error);
std::optional<SubnetLease> decode_subnet(std::string_view value, std::string* error);
std::optional<AddressClaim> decode_address(std::string_view value, std::string* error);

}  // namespace topo::cluster
