#pragma once
// One dump of one object type in one namespace, through a socket of the
// pool, as plain records (snapshot.hpp); and single links asked for by name
// or index. An interrupted dump is repeated a few times.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <netlink/socket.h>

#include "reconciler/observer/snapshot.hpp"

namespace topo::observer {

// `ns` only names the namespace in errors ("" = the host's). `ipv6_conf`:
// also each link's IPv6 settings, which the same replies carry.
std::vector<LinkRecord> dump_links(nl_sock* sock, const std::string& ns, Ipv6Conf* ipv6_conf = nullptr);
std::vector<AddrRecord> dump_addrs(nl_sock* sock, const std::string& ns);
std::vector<RouteRecord> dump_routes(nl_sock* sock, const std::string& ns);
// The bridge-family neighbour table (what `bridge fdb show` lists).
std::vector<FdbRecord> dump_fdb(nl_sock* sock, const std::string& ns);
// The permanent entries of the ARP and NDP tables (what `ip neigh show nud
// permanent` lists), both families in one dump.
std::vector<NeighRecord> dump_neigh(nl_sock* sock, const std::string& ns);
// The per-interface IPv6 settings alone (snapshot.hpp): read in one request,
// where /proc/sys would cost a lookup that grows with the number of
// namespaces on the host.
Ipv6Conf dump_ipv6_conf(nl_sock* sock, const std::string& ns);
// Whether topo owns a VXLAN device among `dump`'s links: only then are its
// FDB and its permanent neighbours read (topo's entries of both kinds are
// only on its VXLAN devices).
bool owns_vxlan(const NamespaceDump& dump);
// One link by name (index 0) or by index; nothing when there is none.
std::optional<LinkRecord> get_link(nl_sock* sock, const std::string& ns, int index, const std::string& name);

}  // namespace topo::observer
