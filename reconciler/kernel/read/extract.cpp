#include "reconciler/kernel/read/extract.hpp"

#include <net/if.h>

#include <netlink/route/addr.h>
#include <netlink/route/link.h>
#include <netlink/route/neighbour.h>
#include <netlink/route/route.h>

#include "reconciler/kernel/link_kinds/link_kind.hpp"
#include "reconciler/kernel/nl_text.hpp"

namespace topo::observer {
using nl::address_of;
using nl::cidr_of;
using nl::mac_of;
namespace {

template <typename Record, typename Fn>
std::vector<Record> each(nl_cache* cache, Fn&& fn) {
  std::vector<Record> out;
  for (nl_object* o = nl_cache_get_first(cache); o; o = nl_cache_get_next(o)) fn(o, out);
  return out;
}

}  // namespace

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

std::vector<LinkRecord> extract_links(nl_cache* cache) {
  return each<LinkRecord>(cache, [](nl_object* o, auto& out) { out.push_back(extract_link(reinterpret_cast<rtnl_link*>(o))); });
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

std::vector<AddrRecord> extract_addrs(nl_cache* cache) {
  return each<AddrRecord>(cache, [](nl_object* o, auto& out) {
    auto* a = reinterpret_cast<rtnl_addr*>(o);
    nl_addr* local = rtnl_addr_get_local(a);
    if (!local) return;
    AddrRecord r;
    r.ifindex = rtnl_addr_get_ifindex(a);
    const std::string addr = address_of(local);
    if (addr.empty()) return;
    r.cidr = addr + "/" + std::to_string(rtnl_addr_get_prefixlen(a));
    if (nl_addr_get_family(local) == AF_INET6) {
      const auto* b = static_cast<const unsigned char*>(nl_addr_get_binary_addr(local));
      r.link_local = b[0] == 0xfe && (b[1] & 0xc0) == 0x80;
    }
    out.push_back(std::move(r));
  });
}

std::vector<RouteRecord> extract_routes(nl_cache* cache) {
  return each<RouteRecord>(cache, [](nl_object* o, auto& out) {
    auto* rt = reinterpret_cast<rtnl_route*>(o);
    RouteRecord r;
    r.table = rtnl_route_get_table(rt);
    r.protocol = rtnl_route_get_protocol(rt);
    r.dst = cidr_of(rtnl_route_get_dst(rt));
    if (rtnl_route_get_nnexthops(rt) > 0) {
      rtnl_nexthop* nh = rtnl_route_nexthop_n(rt, 0);
      r.oif = rtnl_route_nh_get_ifindex(nh);
      r.via = address_of(rtnl_route_nh_get_gateway(nh));
    }
    out.push_back(std::move(r));
  });
}

}  // namespace topo::observer
