// The pure decoding from dump records to resources, fed by hand.
#include <gtest/gtest.h>

#include "reconciler/observer/decode.hpp"

namespace topo::observer {
namespace {

LinkRecord link(int index, std::string name, std::string type, std::string alias, bool up = true,
                int master = 0) {
  LinkRecord l;
  l.index = index;
  l.name = std::move(name);
  l.type = std::move(type);
  l.alias = std::move(alias);
  l.mac = "02:00:00:00:00:0" + std::to_string(index);
  l.mtu = 1500;
  l.up = up;
  l.master = master;
  return l;
}

Snapshot sample() {
  Snapshot s;
  s.host.links = {link(1, "lo", "", ""), link(2, "eth0", "", ""),
                  link(3, "br-n", "bridge", "topo:network/n"),
                  link(4, "vweb0", "veth", "topo-peer:web/eth0", true, 3)};
  NamespaceDump web;
  web.links = {link(1, "lo", "", "topo-ns:web"), link(2, "eth0", "veth", "topo:attachment/web/eth0"),
               link(3, "eth9", "veth", "")};
  web.addrs = {{2, "10.0.0.2/24", false}, {2, "fe80::1/64", true}, {3, "10.9.9.9/24", false}};
  web.routes = {{254, 116, "0.0.0.0/0", 2, "10.0.0.1"}, {254, 2, "10.0.0.0/24", 2, ""},
                {255, 116, "10.0.0.2/32", 2, ""}};
  s.namespaces["web"] = web;
  NamespaceDump other;
  other.links = {link(1, "lo", "", "topo-ns:someone-else")};
  s.namespaces["other"] = other;
  return s;
}

const Resource* find(const Observed& o, const std::string& key) {
  for (const auto& r : o.owned)
    if (r.key() == key) return &r;
  return nullptr;
}

TEST(KernelDecode, VethTakesStateAndMasterFromItsHostEnd) {
  Snapshot s = sample();
  Observed o = decode(s);
  const Resource* v = find(o, Resource{Kind::Link, "web", "eth0", {}, {}, {}}.key());
  ASSERT_NE(v, nullptr);
  EXPECT_EQ(v->attr(attr::peer), "vweb0");
  EXPECT_EQ(v->attr(attr::master), "br-n");
  EXPECT_EQ(v->attr(attr::state), "up");
  EXPECT_EQ(v->attr(attr::type), "veth");
  EXPECT_EQ(v->origin, "attachment/web/eth0");

  s.host.links[3].up = false;
  o = decode(s);
  EXPECT_EQ(find(o, v->key())->attr(attr::state), "down");
}

TEST(KernelDecode, OwnershipAndForeign) {
  const Observed o = decode(sample());
  // Host: br-n owned, eth0 foreign, lo and the veth host end neither.
  EXPECT_NE(find(o, Resource{Kind::Link, "", "br-n", {}, {}, {}}.key()), nullptr);
  EXPECT_EQ(o.foreign.count(Resource{Kind::Link, "", "eth0", {}, {}, {}}.key()), 1u);
  EXPECT_EQ(o.foreign.count(Resource{Kind::Link, "", "vweb0", {}, {}, {}}.key()), 0u);
  EXPECT_EQ(o.foreign.count(Resource{Kind::Link, "", "lo", {}, {}, {}}.key()), 0u);
  EXPECT_EQ(find(o, Resource{Kind::Link, "", "vweb0", {}, {}, {}}.key()), nullptr);
  // A namespace marked for another name is not ours.
  EXPECT_EQ(o.foreign.count(Resource{Kind::Namespace, "", "other", {}, {}, {}}.key()), 1u);
  EXPECT_EQ(find(o, Resource{Kind::Namespace, "", "other", {}, {}, {}}.key()), nullptr);
  // Inside web: unmarked eth9 is foreign, and its address is not reported.
  EXPECT_EQ(o.foreign.count(Resource{Kind::Link, "web", "eth9", {}, {}, {}}.key()), 1u);
  for (const auto& r : o.owned) EXPECT_EQ(r.attr(attr::dev) == "eth9", false) << r.key();
}

TEST(KernelDecode, AddressesAndRoutes) {
  const Observed o = decode(sample());
  const Resource* a = find(o, Resource{Kind::Address, "web", "eth0/10.0.0.2/24", {}, {}, {}}.key());
  ASSERT_NE(a, nullptr);
  EXPECT_EQ(a->attrs, (std::map<std::string, std::string>{{"dev", "eth0"}, {"address", "10.0.0.2/24"}}));
  EXPECT_EQ(find(o, Resource{Kind::Address, "web", "eth0/fe80::1/64", {}, {}, {}}.key()), nullptr);

  const Resource* r = find(o, Resource{Kind::Route, "web", "default", {}, {}, {}}.key());
  ASSERT_NE(r, nullptr);
  EXPECT_EQ(r->attrs, (std::map<std::string, std::string>{{"dev", "eth0"}, {"via", "10.0.0.1"}}));
  // Kernel-made connected route: foreign; local table: ignored.
  EXPECT_EQ(find(o, Resource{Kind::Route, "web", "10.0.0.0/24", {}, {}, {}}.key()), nullptr);
  EXPECT_EQ(find(o, Resource{Kind::Route, "web", "10.0.0.2/32", {}, {}, {}}.key()), nullptr);

  const Resource* ns = find(o, Resource{Kind::Namespace, "", "web", {}, {}, {}}.key());
  ASSERT_NE(ns, nullptr);
  EXPECT_EQ(ns->attr(attr::lo), "up");
  EXPECT_EQ(ns->origin, "container/web");
}

TEST(KernelDecode, SortedByKeyAndRouteNames) {
  const Observed o = decode(sample());
  for (size_t i = 1; i < o.owned.size(); ++i) EXPECT_LT(o.owned[i - 1].key(), o.owned[i].key());
  EXPECT_EQ(route_name("0.0.0.0/0"), "default");
  EXPECT_EQ(route_name("::/0"), "default6");
  EXPECT_EQ(route_name("10.0.0.0/8"), "10.0.0.0/8");
}

}  // namespace
}  // namespace topo::observer
