#pragma once
// Address pools: where a network without a written subnet gets one, as
// Docker's default-address-pools do. A pool is a base prefix cut into
// subnets of one size; the first subnet, pool by pool in order, that
// overlaps nothing taken is the choice. Pure; IPv4 only (a network without
// a subnet is an IPv4 network, as in Docker).
#include <optional>
#include <string>
#include <vector>

#include "reconciler/model/ip.hpp"

namespace topo {

struct AddressPool {
  IpPrefix base;  // network address, no host bits
  int size = 0;   // prefix length of the subnets cut from it, >= base.len
  bool operator==(const AddressPool&) const = default;
};

// Docker's defaults: 172.17.0.0/16 ... 172.31.0.0/16 as /16s, then
// 192.168.0.0/16 as /20s.
const std::vector<AddressPool>& default_address_pools();

// "base=CIDR,size=N" (Docker's --default-address-pool form); several pools
// are separated by ';' or given as several items (a repeated flag). Spaces
// around the parts are ignored; empty items are skipped.
struct ParsedPools {
  std::vector<AddressPool> pools;
  std::string error;  // "" when every item parsed
};
ParsedPools parse_address_pools(const std::vector<std::string>& items);

// "172.17.0.0/16 as /16" for messages; pools joined with ", ".
std::string describe(const AddressPool& pool);
std::string describe(const std::vector<AddressPool>& pools);

// The first subnet of `pools`, in pool order and then address order, that
// overlaps none of `taken` (prefixes of either family; only IPv4 ones can
// overlap). Walks past each taken prefix at once, so the cost grows with
// the number of taken prefixes, not with the size of the pools.
std::optional<IpPrefix> first_free_subnet(const std::vector<AddressPool>& pools, const std::vector<IpPrefix>& taken);

}  // namespace topo
