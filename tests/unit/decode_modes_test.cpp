// Pure decoding of issue 3's objects: bind-mount netns entries (host,
// container:, adopted:) and macvlan/ipvlan links, fed by hand.
#include <gtest/gtest.h>

#include "reconciler/observer/decode.hpp"
#include "reconciler/resources/mode_attrs.hpp"

namespace topo::observer {
namespace {

LinkRecord rec(int index, const std::string& name, const std::string& type, const std::string& alias) {
  LinkRecord l;
  l.index = index;
  l.name = name;
  l.type = type;
  l.alias = alias;
  l.mtu = 1500;
  l.up = true;
  return l;
}

const Resource* find(const Observed& o, const std::string& key) {
  for (const auto& r : o.owned)
    if (r.key() == key) return &r;
  return nullptr;
}

TEST(DecodeModes, SharedEntriesAreNamespacesWithTheirModeAndNothingInside) {
  Snapshot s;
  s.host.links = {rec(1, "lo", "", "")};
  s.shared = {{"onhost", "host"}, {"side", "container:app"}, {"gone", "adopted:/proc/9/ns/net!stale"}};
  Observed o = decode(s);
  ASSERT_NE(find(o, "namespace /onhost"), nullptr);
  EXPECT_EQ(find(o, "namespace /onhost")->attr(attr::mode), "host");
  EXPECT_EQ(find(o, "namespace /onhost")->attr(attr::lo), "");
  EXPECT_EQ(find(o, "namespace /side")->attr(attr::mode), "container:app");
  EXPECT_EQ(find(o, "namespace /gone")->attr(attr::mode), "adopted:/proc/9/ns/net!stale");
  EXPECT_EQ(o.owned.size(), 3u) << "no links of the host show up under a host-mode container";
  EXPECT_TRUE(o.foreign.empty());
}

TEST(DecodeModes, AnAdoptedNamespaceShowsTopoLinksOnlyAndItsOwnAreForeign) {
  Snapshot s;
  s.host.links = {rec(1, "lo", "", ""), rec(7, "up0", "veth", "")};
  s.shared = {{"legacy", "adopted:/proc/42/ns/net"}};
  NamespaceDump d;
  d.links = {rec(1, "lo", "", ""), rec(2, "eth0", "veth", ""), rec(3, "eth1", "macvlan", "topo:attachment/legacy/eth1")};
  d.links[2].parent = 7;
  d.links[2].attrs[attr::link_mode] = "bridge";
  d.addrs = {{3, "10.0.0.5/24", false}, {2, "10.9.9.9/24", false}};
  s.namespaces["legacy"] = d;
  Observed o = decode(s);
  const Resource* ns = find(o, "namespace /legacy");
  ASSERT_NE(ns, nullptr);
  EXPECT_EQ(ns->attr(attr::mode), "adopted:/proc/42/ns/net");
  const Resource* l = find(o, "link legacy/eth1");
  ASSERT_NE(l, nullptr);
  EXPECT_EQ(l->attr(attr::type), "macvlan");
  EXPECT_EQ(l->attr(attr::parent), "up0") << "the parent is named from the host's links";
  EXPECT_EQ(l->attr(attr::link_mode), "bridge");
  EXPECT_NE(find(o, "address legacy/eth1/10.0.0.5/24"), nullptr);
  EXPECT_EQ(find(o, "address legacy/eth0/10.9.9.9/24"), nullptr) << "the runtime's own address is not topo's";
  EXPECT_TRUE(o.foreign.count("link legacy/eth0")) << "a name topo might want: a conflict, not a takeover";
  EXPECT_EQ(find(o, "link legacy/lo"), nullptr);
}

}  // namespace
}  // namespace topo::observer
