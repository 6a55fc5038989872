#pragma once
// What a network's driver made of its own manifest keys. Each driver's type
// (BridgeSettings, OverlaySettings, ...) lives in its provider folder, which
// reads, defaults and checks it; code outside that folder asks the questions
// below instead of testing which driver a network has, so a new driver
// answers them in its own folder and nothing else changes.
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "reconciler/model/ip.hpp"

namespace topo {

// A kernel object a network claims by a key no two networks may share (a
// bridge name, a VXLAN id and port): the loader refuses the second claimant.
struct DriverClaim {
  std::string key;     // unique across every driver's claims: "bridge br-x", "vxlan 42/4789"
  std::string label;   // for the message: `bridge name "br-x"`, `vni 42`
  std::string at_key;  // the manifest key the error points at; at the network when not written
  std::string hint;    // appended when at_key was not written (the name was a default)
};

class DriverSettings {
 public:
  virtual ~DriverSettings() = default;

  // The bridge the network makes in the host namespace, "" for none. Its
  // attachments are then veth pairs whose host ends are ports of it, and its
  // subnets are routed on the host.
  virtual std::string host_bridge() const { return ""; }
  // Ports of host_bridge() the network adds itself besides its attachments,
  // named for messages ("its VXLAN device").
  virtual std::vector<std::string> own_bridge_ports() const { return {}; }
  // Whether traffic leaving the network is translated to the host's address.
  virtual bool masquerades() const { return false; }
  // Whether each attachment has a MAC of its own (ipvlan's carry the parent's).
  virtual bool own_macs() const { return true; }
  // A host interface whose L2 segment the attachments share with every other
  // network on it, on their node ("" for none): a macvlan's parent.
  virtual std::string mac_parent() const { return ""; }
  // Whether a network without a written subnet takes one from the address
  // pools (ipam/address_pools.hpp): its subnet is topo's to choose. Not for
  // a network whose subnet is a LAN that exists already (macvlan, ipvlan).
  virtual bool takes_pool_subnet() const { return false; }
  // Addresses of the network's subnets that belong to something on it other
  // than topo's gateway (a router on a bridge): never allocated to a
  // container, though one may hold it statically (it is then that router).
  virtual std::vector<IpAddress> reserved_addresses() const { return {}; }
  // Whether the network has a gateway: its subnets get one by default and
  // an attachment's default route may go through it (p2p: two containers on
  // one link, no router).
  virtual bool has_gateway() const { return true; }
  // Whether one network spans several nodes (an overlay): in cluster mode
  // its members' addresses are taken through etcd, unique cluster-wide.
  virtual bool spans_nodes() const { return false; }
  // Cluster mode: the prefix length of each node's share of the subnet
  // (subnet_per_node), none when the nodes share one L2 segment.
  virtual std::optional<int> share_per_node() const { return std::nullopt; }
  // Kernel objects no other network may claim.
  virtual std::vector<DriverClaim> claims() const { return {}; }

  // The driver's own keys with their values, defaults filled, in manifest
  // order, as inspect and graph show them: {"bridge", "br-x"}, {"icc",
  // "true"}. A key with no default that was not written is left out. Values
  // are spelled as a manifest would write them; their JSON type is the
  // schema's for that key (view/option_types.hpp).
  virtual std::vector<std::pair<std::string, std::string>> options() const { return {}; }
  // Whether the network's members may talk to each other (icc): verify
  // expects them to reach each other, or not to.
  virtual bool members_reach_each_other() const { return true; }
  // Whether traffic between this network and topo's other networks is
  // dropped (a bridge's `isolated`): verify expects them not to reach it.
  virtual bool isolated() const { return false; }
};

}  // namespace topo
