#include "reconciler/kernel/read/extract.hpp"

#include <net/if.h>

#include <netlink/route/link.h>
#include <netlink/route/neighbour.h>

#include "reconciler/kernel/link_kinds/link_kind.hpp"
#include "reconciler/kernel/nl_text.hpp"

namespace topo::observer {
using nl::address_of;
using nl::mac_of;

LinkRecord extract_link(rtnl_link* l) {
  LinkRecord r;
  r.index = rtnl_link_get_ifindex(l);
  if (const char* n = rtnl_link_get_name(l)) r.name = n;
  if (const char* t = rtnl_link_get_type(l)) r.type = t;
  if (const char* a = rtnl_link_get_ifalias(l)) r.alias = a;
  r.mac = mac_of(rtnl_link_get_addr(l));
  r.mtu = rtnl_link_get_mtu(l);
  r.up = (rtnl_link_get_flags(l) & IFF_UP) != 0;
  r.group = rtnl_link_get_group(l);
  r.master = rtnl_link_get_master(l);
  if (const kops::LinkKind* kind = kops::find_link_kind(r.type); kind && kind->extract) kind->extract(l, r);
  return r;
}

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
