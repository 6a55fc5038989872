#pragma once
// Where topo keeps cluster mode's facts in etcd, under one prefix
// (--etcd-prefix, default /topo):
//
//   <prefix>/nodes/<node>                        {"name","address","vtep_macs":{"<network>":"<mac>"}}
//                                                on the node's short (membership) lease
//   <prefix>/subnets/<network>/<a.b.c.d-len>     {"node","address","vtep_mac"}
//                                                on the node's long (reservation) lease
//   <prefix>/addresses/<network>/<ip>            {"node","container","mac"}
//                                                on the node's long lease
//
// A subnet's '/' is written '-' so the key has no extra level
// ("10.50.3.0-24", "fd00:50:0:3::-64"). Network, node and container names
// are limited to ^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$ so that no name can add a
// level or reach out of its folder ('/', "..", NUL, spaces are all refused).
// Pure.
#include <optional>
#include <string>
#include <string_view>

#include "reconciler/model/ip.hpp"

namespace topo::cluster {

// ^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$
bool valid_name(std::string_view name);
// Throws ClusterError(invalid_argument) "etcd registry: <what> name "x" ...".
void check_name(std::string_view what, std::string_view name);

// "10.50.3.0/24" <-> "10.50.3.0-24". The parse accepts only a network
// address (no host bits) written as IpPrefix::str() writes it, so one subnet
// has exactly one key.
std::string subnet_key_part(const IpPrefix& subnet);
std::optional<IpPrefix> parse_subnet_key_part(std::string_view part);

// What a key under the prefix names.
struct ParsedKey {
  enum class Kind { node, subnet, address };
  Kind kind = Kind::node;
  std::string network;  // subnet, address
  std::string name;     // node: the node; subnet: "10.50.3.0-24"; address: the IP as written
};

class KeyLayout {
 public:
  // "/topo", "/topo/" and "/clusters/prod" are fine (a trailing '/' is
  // dropped); "", "/" and "topo" (no leading '/') are refused with
  // ClusterError(invalid_argument), as is a prefix with "//" or a NUL.
  explicit KeyLayout(std::string prefix = "/topo");

  const std::string& prefix() const { return prefix_; }  // "/topo"
  std::string all() const { return prefix_ + "/"; }       // everything topo keeps
  std::string nodes() const { return prefix_ + "/nodes/"; }
  std::string node(std::string_view node) const;
  std::string subnets(std::string_view network) const;  // ".../subnets/<network>/"
  std::string subnet(std::string_view network, const IpPrefix& subnet) const;
  std::string addresses(std::string_view network) const;  // ".../addresses/<network>/"
  std::string address(std::string_view network, const IpAddress& address) const;

  // The kind and names of a key under the prefix; "" in *error (when given)
  // and a value, or nullopt and why (outside the prefix, an unknown folder,
  // an unsafe name, a subnet or address that does not parse).
  std::optional<ParsedKey> parse(std::string_view key, std::string* error = nullptr) const;

 private:
  std::string prefix_;
};

}  // namespace topo::cluster
