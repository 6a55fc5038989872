// Decoding neighbour entries and onlink routes (pure, fed by hand): only
// permanent, non-proxy ARP/NDP entries on a VXLAN device topo owns become
// Neighbour resources; a route's RTNH_F_ONLINK becomes attr onlink=on.
#include <gtest/gtest.h>
#include <linux/neighbour.h>

#include "reconciler/observer/decode.hpp"
#include "reconciler/resources/ownership.hpp"

namespace topo::observer {
namespace {

LinkRecord link(int index, std::string name, std::string type, std::string alias) {
  LinkRecord l;
  l.index = index;
  l.name = std::move(name);
  l.type = std::move(type);
  l.alias = std::move(alias);
  l.mtu = 1450;
  l.up = true;
  return l;
}

NeighRecord neigh(int ifindex, std::string ip, std::string mac, unsigned state = NUD_PERMANENT, unsigned flags = 0) {
  return NeighRecord{ifindex, std::move(ip), std::move(mac), state, flags};
}

const Resource* find(const Observed& o, const std::string& key) {
  for (const auto& r : o.owned)
    if (r.key() == key) return &r;
  return nullptr;
}

std::vector<std::string> neighbours(const Observed& o) {
  std::vector<std::string> out;
  for (const auto& r : o.owned)
    if (r.kind == Kind::Neighbour) out.push_back(r.ns + "/" + r.name);
  return out;
}

// The host of a cluster node: topo's L3 VXLAN device (4), topo's bridge (3),
// someone else's VXLAN device (5) and the uplink (2).
NamespaceDump host_links() {
  NamespaceDump d;
  LinkRecord vx = link(4, "vx-1a2b3c4d", "vxlan", "topo:cluster/default");
  vx.attrs = {{attr::vni, "1"}, {attr::port, "8472"}, {attr::learning, "off"}};
  d.links = {link(1, "lo", "", ""), link(2, "eth0", "", ""), link(3, "br-web", "bridge", "topo:network/web"), vx,
             link(5, "flannel.1", "vxlan", "")};
  return d;
}

}  // namespace

TEST(DecodeNeighbour, PermanentEntriesOnTopoVxlanDeviceAreTopos) {
  Snapshot s;
  s.host = host_links();
  s.host.neigh = {
      neigh(4, "10.50.2.0", "0a:58:0a:32:02:00"),
      neigh(4, "fd00:50:3::", "0a:58:0a:32:03:00"),               // IPv6 alike
      neigh(4, "10.50.9.0", "0a:58:0a:32:09:00", NUD_REACHABLE),  // the kernel's cache, not ours
      neigh(4, "10.50.8.0", "", NUD_PERMANENT),                   // no link-layer address: no entry of topo's
      neigh(4, "10.50.7.0", "0a:58:0a:32:07:00", NUD_PERMANENT, NTF_PROXY),
      neigh(5, "10.244.1.0", "0a:58:0a:f4:01:00"),  // on someone else's VXLAN device
      neigh(2, "192.168.1.1", "52:54:00:12:34:56"),  // an administrator's static ARP on the uplink
      neigh(3, "10.60.0.9", "02:42:0a:3c:00:09"),    // on topo's bridge: not where topo puts them
  };
  const Observed o = decode(s);
  EXPECT_EQ(neighbours(o), (std::vector<std::string>{"/vx-1a2b3c4d/10.50.2.0", "/vx-1a2b3c4d/fd00:50:3::"}));
  const Resource* n = find(o, "neighbour /vx-1a2b3c4d/10.50.2.0");
  ASSERT_NE(n, nullptr);
  EXPECT_EQ(n->attrs, (std::map<std::string, std::string>{
                          {attr::dev, "vx-1a2b3c4d"}, {attr::ip, "10.50.2.0"}, {attr::mac, "0a:58:0a:32:02:00"}}));
  EXPECT_EQ(n->origin, "cluster/default");
  // Someone else's entries are neither owned nor named as conflicts.
  for (const std::string& k : o.foreign) EXPECT_EQ(k.rfind("neighbour ", 0), std::string::npos) << k;
}

TEST(DecodeNeighbour, InAContainersNamespaceOnItsVxlanDevice) {
  Snapshot s;
  NamespaceDump& c1 = s.namespaces["c1"];
  LinkRecord lo = link(1, "lo", "", std::string(ownership::kNamespaceAliasPrefix) + "c1");
  c1.links = {lo, link(7, "vx0", "vxlan", "topo:attachment/c1/vx0"), link(8, "eth1", "", "")};
  c1.neigh = {neigh(7, "10.1.0.2", "02:00:00:00:00:02"), neigh(8, "10.2.0.2", "02:00:00:00:00:03")};
  const Observed o = decode(s);
  EXPECT_EQ(neighbours(o), (std::vector<std::string>{"c1/vx0/10.1.0.2"}));
}

TEST(DecodeNeighbour, OnlinkRoute) {
  Snapshot s;
  s.host = host_links();
  RouteRecord onlink{254, ownership::kRouteProtocol, "10.50.2.0/24", 4, "10.50.2.0", true};
  RouteRecord plain{254, ownership::kRouteProtocol, "10.50.3.0/24", 4, "", false};
  s.host.routes = {onlink, plain};
  const Observed o = decode(s);
  const Resource* r = find(o, "route /10.50.2.0/24");
  ASSERT_NE(r, nullptr);
  EXPECT_EQ(r->attrs, (std::map<std::string, std::string>{
                          {attr::dev, "vx-1a2b3c4d"}, {attr::via, "10.50.2.0"}, {attr::onlink, "on"}}));
  const Resource* p = find(o, "route /10.50.3.0/24");
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(p->attrs.count(attr::onlink), 0u) << "absent means off";
}

// Cluster mode's host-gw routes leave by the uplink, which is not topo's:
// their own protocol number makes them topo's, without a device; a route of
// topo's usual number there stays someone else's.
TEST(DecodeNeighbour, HostGwRoutesAreToposByTheirProtocolOnly) {
  Snapshot s;
  s.host = host_links();
  RouteRecord host_gw{254, ownership::kNodeRouteProtocol, "10.50.2.0/24", 2, "10.99.0.2", false};
  RouteRecord usual{254, ownership::kRouteProtocol, "10.60.0.0/24", 2, "10.99.0.2", false};
  s.host.routes = {host_gw, usual};
  const Observed o = decode(s);
  const Resource* r = find(o, "route /10.50.2.0/24");
  ASSERT_NE(r, nullptr);
  EXPECT_EQ(r->attrs, (std::map<std::string, std::string>{{attr::via, "10.99.0.2"}}));
  EXPECT_EQ(r->stack, "");
  EXPECT_EQ(find(o, "route /10.60.0.0/24"), nullptr);
  EXPECT_EQ(o.foreign.count("route /10.60.0.0/24"), 1u);
}

}  // namespace topo::observer
