#pragma once
// Subnets for networks that name none (Network::subnet_from_pools), chosen
// from the address pools and then sticky: a network that exists keeps the
// subnet the kernel shows it has (its bridge's gateway address, or its
// containers' addresses, carry the prefix length), else the one the state dir
// remembers while that is still free, else the first free one of the pools.
// Free means overlapping no other network of any stack (the manifests'
// subnets, the addresses topo holds in the kernel, other stacks' remembered
// choices) and no address or route of the host that topo did not make.
// Pure: the caller observed the kernel and read the state dir.
#include <map>
#include <string>
#include <vector>

#include "reconciler/ipam/address_pools.hpp"
#include "reconciler/model/desired.hpp"
#include "reconciler/resources/resource.hpp"

namespace topo {

struct PoolChoice {
  IpPrefix subnet;
  std::string stack;
  bool operator==(const PoolChoice&) const = default;
};
// By network name (names are unique across the stacks of one host, as the
// state's allocation keys assume).
using PoolChoices = std::map<std::string, PoolChoice>;

struct PoolResult {
  PoolChoices chosen;               // every pool network of the model, once ok
  std::vector<std::string> notes;   // a subnet chosen afresh, for the plan
  std::vector<std::string> errors;  // pools exhausted, a kept subnet clashing
};

// Fills `subnets` (one IPv4 subnet, gateway its first host address) of every
// network of `desired` with subnet_from_pools, and says what was chosen.
// `remembered`: the state dir's choices (may be empty or stale).
PoolResult assign_pool_subnets(Desired& desired, const PoolChoices& remembered, const Observed& observed,
                               const std::vector<AddressPool>& pools);

}  // namespace topo
