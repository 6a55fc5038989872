#pragma once
// From libnl objects to plain dump records: FDB entries, read only where
// topo owns a VXLAN device (links, routes, addresses and neighbours are
// parsed without libnl objects: link_records.hpp, rt_records.hpp). No
// requests are made here.
#include <netlink/object.h>

#include "reconciler/observer/snapshot.hpp"

namespace topo::observer {

// One neighbour object (rtnl_neigh) of an AF_BRIDGE dump.
FdbRecord extract_fdb(nl_object* neigh);

}  // namespace topo::observer
