#pragma once
// Route, address and neighbour dump replies parsed by hand into records, without libnl
// objects: a record needs a handful of attributes, and libnl's caches (a hash
// table per dump, every attribute parsed into objects, then spelled back as
// text) were most of what reading a namespace cost (README "Performance").
// The records are the ones libnl's objects gave, spelled by nl_text.hpp,
// and a dump keeps the routes libnl's route cache kept (fold_routes);
// tests/unit/rt_records_test.cpp compares the two parses message by message.
#include <array>
#include <compare>
#include <cstdint>
#include <optional>
#include <vector>

#include <linux/netlink.h>

#include "reconciler/observer/snapshot.hpp"

namespace topo::observer {

// What libnl's route cache told two routes apart by: family, tos, table,
// destination (bytes and prefix length) and priority (when the kernel sent one).
struct RouteIdentity {
  uint8_t family = 0;
  uint8_t tos = 0;
  uint32_t table = 0;
  uint8_t dst_len = 0;
  uint8_t dst_size = 0;
  std::array<uint8_t, 16> dst{};
  bool has_priority = false;
  uint32_t priority = 0;
  auto operator<=>(const RouteIdentity&) const = default;
};

struct ParsedRoute {
  RouteRecord record;
  RouteIdentity id;
};

// An RTM_NEWROUTE message; nothing when it is too short to be one.
std::optional<ParsedRoute> parse_route(const nlmsghdr* h);
// The routes of one dump, in order, as libnl's cache kept them: of routes
// with the same identity only the first (its hash table refused the others).
std::vector<RouteRecord> fold_routes(std::vector<ParsedRoute> routes);

// An RTM_NEWADDR message; nothing when it is too short to be one or holds no
// IPv4 or IPv6 address (IFA_LOCAL, else IFA_ADDRESS, else for IPv4 0.0.0.0,
// as libnl read it).
std::optional<AddrRecord> parse_addr(const nlmsghdr* h);

// An RTM_NEWNEIGH message of the ARP or NDP table (AF_INET, AF_INET6);
// nothing when it is too short, of another family (a bridge's FDB) or names
// no protocol address.
std::optional<NeighRecord> parse_neigh(const nlmsghdr* h);

}  // namespace topo::observer
