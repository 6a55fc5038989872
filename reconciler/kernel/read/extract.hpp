#pragma once
// From libnl objects to plain dump records. No requests are made here.
#include <netlink/cache.h>
#include <netlink/route/link.h>

#include "reconciler/observer/snapshot.hpp"

namespace topo::observer {

LinkRecord extract_link(rtnl_link* link);
std::vector<LinkRecord> extract_links(nl_cache* links);
std::vector<AddrRecord> extract_addrs(nl_cache* addrs);
std::vector<RouteRecord> extract_routes(nl_cache* routes);
// One neighbour object (rtnl_neigh) of an AF_BRIDGE dump.
FdbRecord extract_fdb(nl_object* neigh);

}  // namespace topo::observer
