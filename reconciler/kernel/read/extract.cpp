#include "reconciler/kernel/read/extract.hpp"

#include <netlink/route/neighbour.h>

#include "reconciler/kernel/nl_text.hpp"

namespace topo::observer {
using nl::address_of;
using nl::mac_of;

FdbRecord extract_fdb(nl_object* o) {
  auto* n = reinterpret_cast<rtnl_neigh*>(o);
  FdbRecord r;
  r.ifindex = rtnl_neigh_get_ifindex(n);
  r.mac = mac_of(rtnl_neigh_get_lladdr(n));
  r.dst = address_of(rtnl_neigh_get_dst(n));
  r.state = static_cast<unsigned>(rtnl_neigh_get_state(n));
  r.flags = rtnl_neigh_get_flags(n);
  return r;
}

}  // namespace topo::observer
