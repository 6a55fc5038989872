// The pure decoding from dump records to resources, fed by hand.
#include <gtest/gtest.h>

#include "reconciler/observer/decode.hpp"
#include "reconciler/resources/ownership.hpp"

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
  // A pair as the kernel shows it: the host end in topo's link group, and
  // each end's peer index pointing at the other (a mark alone is anyone's).
  s.host.links[3].group = ownership::kLinkGroup;
  s.host.links[3].parent = 2;
  NamespaceDump web;
  web.links = {link(1, "lo", "", "topo-ns:web"), link(2, "eth0", "veth", "topo:attachment/web/eth0"),
               link(3, "eth9", "veth", "")};
  web.links[1].parent = 4;
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

  const std::string key = v->key();  // v points into o, which is replaced next
  s.host.links[3].up = false;
  o = decode(s);
  ASSERT_NE(find(o, key), nullptr);
  EXPECT_EQ(find(o, key)->attr(attr::state), "down");
}

// A stranger's link carrying a forged mark is not taken for the host end.
TEST(KernelDecode, AForgedPeerMarkIsNotAHostEnd) {
  Snapshot s = sample();
  s.host.links[3].group = 0;  // vweb0 is not in topo's group: someone set its alias by hand
  Observed o = decode(s);
  const Resource* v = find(o, Resource{Kind::Link, "web", "eth0", {}, {}, {}}.key());
  ASSERT_NE(v, nullptr);
  EXPECT_EQ(v->attr(attr::peer), "");
  s = sample();
  s.namespaces["web"].links[1].parent = 9;  // not vweb0's pair
  o = decode(s);
  EXPECT_EQ(find(o, Resource{Kind::Link, "web", "eth0", {}, {}, {}}.key())->attr(attr::peer), "");
  // ...and vweb0, topo's host end whose pair is not in web, is stranded.
  const Resource* stranded = find(o, Resource{Kind::Link, "", "vweb0", {}, {}, {}}.key());
  ASSERT_NE(stranded, nullptr);
  EXPECT_EQ(stranded->attr(attr::mark), attr::mark_stranded);
  EXPECT_EQ(stranded->stack, "default") << "the stack of the bridge it is a port of";
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

// Killed between a link's create (which carries topo's link group) and its
// alias: an orphan of topo's, with its mark missing, in the host or a
// container; a link in that group with a peer alias is a host end, not one.
TEST(KernelDecode, ALinkInTopoGroupWithoutAnAliasIsAnOrphan) {
  Snapshot s = sample();
  s.host.links.push_back(link(9, "br-half", "bridge", ""));
  s.host.links.back().group = ownership::kLinkGroup;
  s.namespaces["web"].links[2].group = ownership::kLinkGroup;  // eth9
  s.host.links[3].group = ownership::kLinkGroup;                // vweb0, a host end
  const Observed o = decode(s);
  for (const auto& key : {Resource{Kind::Link, "", "br-half", {}, {}, {}}.key(),
                          Resource{Kind::Link, "web", "eth9", {}, {}, {}}.key()}) {
    const Resource* r = find(o, key);
    ASSERT_NE(r, nullptr) << key;
    EXPECT_EQ(r->attr(attr::mark), attr::mark_missing) << key;
    EXPECT_EQ(o.foreign.count(key), 0u) << key;
  }
  EXPECT_EQ(find(o, Resource{Kind::Link, "web", "eth9", {}, {}, {}}.key())->origin, "container/web");
  // Its address comes with it, to be made again or go with it.
  EXPECT_NE(find(o, Resource{Kind::Address, "web", "eth9/10.9.9.9/24", {}, {}, {}}.key()), nullptr);
  EXPECT_EQ(find(o, Resource{Kind::Link, "", "vweb0", {}, {}, {}}.key()), nullptr);
  // A marked link keeps no mark attribute.
  EXPECT_EQ(find(o, Resource{Kind::Link, "web", "eth0", {}, {}, {}}.key())->attr(attr::mark), "");
}

// libnl sends the group for the host end of a veth only: a container end
// killed before its alias is known by its host end (in topo's group, and
// its peer), whether or not the host end got its own alias yet.
TEST(KernelDecode, AContainerVethEndIsAnOrphanWhenItsHostEndIsInTopoGroup) {
  for (const bool host_end_aliased : {false, true}) {
    Snapshot s = sample();
    s.host.links.push_back(link(7, "vhalf", "veth", host_end_aliased ? "topo-peer:web/eth5" : ""));
    s.host.links.back().group = ownership::kLinkGroup;
    s.host.links.back().parent = 5;
    s.namespaces["web"].links.push_back(link(5, "eth5", "veth", ""));
    s.namespaces["web"].links.back().parent = 7;
    // A foreign veth whose host end is not topo's stays foreign.
    s.host.links.push_back(link(8, "vother", "veth", ""));
    s.host.links.back().parent = 6;
    s.namespaces["web"].links.push_back(link(6, "eth6", "veth", ""));
    s.namespaces["web"].links.back().parent = 8;
    const Observed o = decode(s);
    const Resource* r = find(o, Resource{Kind::Link, "web", "eth5", {}, {}, {}}.key());
    ASSERT_NE(r, nullptr) << host_end_aliased;
    EXPECT_EQ(r->attr(attr::mark), attr::mark_missing);
    EXPECT_EQ(o.foreign.count(Resource{Kind::Link, "web", "eth6", {}, {}, {}}.key()), 1u);
    EXPECT_EQ(find(o, Resource{Kind::Link, "", "vhalf", {}, {}, {}}.key()) != nullptr, !host_end_aliased)
        << "an unaliased host end in topo's group is an orphan of its own";
  }
}

// A placeholder file a killed namespace create left (netns.hpp): an orphan
// namespace with nothing inside.
TEST(KernelDecode, ANamespacePlaceholderIsAnOrphanNamespace) {
  Snapshot s = sample();
  s.namespaces["half"] = {};
  s.placeholders.insert("half");
  const Observed o = decode(s);
  const Resource* r = find(o, Resource{Kind::Namespace, "", "half", {}, {}, {}}.key());
  ASSERT_NE(r, nullptr);
  EXPECT_EQ(r->attr(attr::mark), attr::mark_missing);
  EXPECT_EQ(o.foreign.count(r->key()), 0u);
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

// Many namespaces, decoded in an order far from the keys' (the in-place sort
// follows long cycles): every resource is there once, in key order, each
// still whole.
TEST(KernelDecode, ManyNamespacesComeOutSortedWithNothingLostOrMixed) {
  Snapshot s;
  s.host.links = {link(1, "lo", "", "")};
  for (int i = 0; i < 60; ++i) {
    const std::string name = "c" + std::to_string((i * 37) % 61);
    NamespaceDump d;
    d.links = {link(1, "lo", "", "topo-ns:" + name), link(2, "eth" + std::to_string(i % 3), "", "topo:attachment/" + name + "/x")};
    d.addrs = {{2, "10.1." + std::to_string(i) + ".2/24", false}};
    d.routes = {{254, 116, "0.0.0.0/0", 2, "10.1." + std::to_string(i) + ".1"}};
    s.namespaces[name] = d;
  }
  const Observed o = decode(s);
  std::size_t namespaces = 0, addresses = 0;
  for (size_t i = 1; i < o.owned.size(); ++i) EXPECT_LT(o.owned[i - 1].key(), o.owned[i].key());
  for (const Resource& r : o.owned) {
    if (r.kind == Kind::Namespace) {
      ++namespaces;
      EXPECT_EQ(r.origin, "container/" + r.name) << "a namespace's fields stay together";
    }
    if (r.kind == Kind::Address) {
      ++addresses;
      const Resource* ns = find(o, Resource{Kind::Namespace, "", r.ns, {}, {}, {}}.key());
      EXPECT_NE(ns, nullptr) << r.key();
    }
  }
  EXPECT_EQ(namespaces, 60u);
  EXPECT_EQ(addresses, 60u);
}

}  // namespace
}  // namespace topo::observer
