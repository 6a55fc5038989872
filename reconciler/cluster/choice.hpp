#pragma once
// The pure choices behind lease_subnet and claim_address: the first free
// subnet of a length inside a range, the first free address inside a subnet.
// Deterministic (address order), IPv4 and IPv6, and they skip past each taken
// block at once, so the cost grows with the number taken, not with the size
// of the range (a /48 cut into /64s is fine).
#include <optional>
#include <vector>

#include "reconciler/model/ip.hpp"

namespace topo::cluster {

// The first subnet of length `len` inside `range`, in address order, that
// overlaps none of `taken` (of any length; other families are ignored).
// Every subnet of the range is a candidate, the first and the last included:
// the range's network address is the first subnet's own network address,
// which first_free_address never hands out, so nothing needs reserving (as in
// flannel, which also reserves nothing beyond that). nullopt when all are
// taken. Throws ClusterError(invalid_argument) when len is shorter than the
// range's or longer than the family's bits.
std::optional<IpPrefix> first_free_subnet(const IpPrefix& range, int len, const std::vector<IpPrefix>& taken);

// The first address of `subnet`, in address order, that is usable for a
// host and not the gateway nor in `taken`. Not usable: the network address
// (IPv4's, and IPv6's subnet-router anycast) and IPv4's broadcast, except in
// a /31 or /32 (IPv6: /127 or /128), whose every address is a host's
// (RFC 3021). nullopt when none is left.
std::optional<IpAddress> first_free_address(const IpPrefix& subnet, const std::optional<IpAddress>& gateway,
                                            const std::vector<IpAddress>& taken);

}  // namespace topo::cluster
