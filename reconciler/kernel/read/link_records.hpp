#pragma once
// Link dump replies parsed by hand into records, as rt_records.hpp does for
// routes, addresses and neighbours: libnl's parse made a link object per
// reply (with its address objects and per-family data), about 16 000
// instructions and a dozen allocations a link, for the nine attributes a
// record holds. The kinds read their own attributes (LinkAttrs, through
// their extract hooks). tests/unit/link_records_test.cpp compares the
// records with libnl's parse of the same messages.
#include <optional>

#include <linux/netlink.h>

#include "reconciler/observer/snapshot.hpp"

namespace topo::observer {

// An RTM_NEWLINK message; nothing when it is too short to be one.
std::optional<LinkRecord> parse_link(const nlmsghdr* h);

}  // namespace topo::observer
