#pragma once
// From libnl objects to plain dump records (links and FDB entries; routes
// and addresses are parsed without libnl objects, rt_records.hpp). No
// requests are made here.
#include <netlink/object.h>
#include <netlink/route/link.h>

#include "reconciler/observer/snapshot.hpp"

namespace topo::observer {

LinkRecord extract_link(rtnl_link* link);
// One neighbour object (rtnl_neigh) of an AF_BRIDGE dump.
FdbRecord extract_fdb(nl_object* neigh);

}  // namespace topo::observer
