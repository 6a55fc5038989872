#pragma once
// Ranges no network may use, whatever its driver (manifest.md "Subnets that
// are refused"): the kernel gives them special meaning, so a bridge address in
// them would change how the host itself routes (127/8 is local on lo; the
// others are never forwarded or belong to every link). The loader refuses
// such subnets, and --address-pools such bases.
#include <optional>
#include <string>

#include "reconciler/model/ip.hpp"

namespace topo {

struct SpecialRange {
  IpPrefix range;
  std::string what;  // "loopback", "multicast", ...
};

// The first special range `p` overlaps, if any.
std::optional<SpecialRange> special_range_of(const IpPrefix& p);

}  // namespace topo
