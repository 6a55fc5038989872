#pragma once
// Cluster mode (manifest.md "Cluster mode (etcd)"): what the manifests cannot
// say and the nodes learn from etcd instead: who is up and where, which share
// of a subnet_per_node network each node holds, and the addresses taken on
// the overlays. Plain values, filled from the registry by reconciler/cluster
// (cluster_facts.cpp there) and turned into the model by model/cluster_slice.
// Pure: the core sees etcd only through these.
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "reconciler/model/ip.hpp"

namespace topo {

// A node whose registration is alive, this node included.
struct ClusterNode {
  std::string name;
  IpAddress address;  // underlay: VXLAN endpoint, host-gw next hop
  std::map<std::string, std::string> vtep_macs{};  // network -> its VXLAN device's MAC, as the node says
  bool operator==(const ClusterNode&) const = default;
};

// One node's share of a subnet_per_node network.
struct NodeShare {
  std::string network;
  IpPrefix subnet;
  std::string node;
  IpAddress address;     // the node's underlay address when it leased it
  std::string vtep_mac;  // its VXLAN device's MAC on the network ("" for host-gw)
  bool operator==(const NodeShare&) const = default;
};

// A container's address on an overlay, taken cluster-wide.
struct MemberAddress {
  std::string network;
  std::string container;
  std::string node;
  IpAddress address;
  std::string mac;  // "" = derived from the address, as IPAM does
  bool operator==(const MemberAddress&) const = default;
};

struct ClusterFacts {
  std::string self;  // this node's name
  std::vector<ClusterNode> nodes;      // alive, by name; self always among them
  std::vector<NodeShare> shares;       // every node's, alive or not (a down node keeps its lease)
  std::vector<MemberAddress> members;  // every node's
  // The store revision these were read at (0 = not read: a plan that could
  // not reach etcd shows only this node's own view).
  long long revision = 0;

  const ClusterNode* node(const std::string& name) const {
    for (const auto& n : nodes)
      if (n.name == name) return &n;
    return nullptr;
  }
  // `node`'s share of `network`, or null.
  const NodeShare* share(const std::string& network, const std::string& node) const {
    for (const auto& s : shares)
      if (s.network == network && s.node == node) return &s;
    return nullptr;
  }
};

}  // namespace topo
