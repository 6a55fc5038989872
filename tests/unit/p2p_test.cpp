// driver: p2p (issue 15): two containers joined by one veth pair, no bridge,
// no gateway. What the loader accepts and refuses, what the provider renders,
// and how the observer reads a pair whose far end is in another container.
#include <gtest/gtest.h>

#include "providers/provider.hpp"
#include "reconciler/ipam/ipam.hpp"
#include "reconciler/observer/decode.hpp"
#include "reconciler/planner/diff.hpp"
#include "reconciler/resources/ownership.hpp"
#include "tests/unit/render_test_util.hpp"

namespace topo {
using namespace topo::testing;

namespace {

constexpr const char* kPair = R"(version: 1
networks:
  - name: link1
    driver: p2p
    subnet: 10.77.0.0/30
containers:
  - name: right
  - name: left
attachments:
  - container: right
    network: link1
  - container: left
    network: link1
    interface: p0
)";

using P2p = RenderTest;

TEST_F(P2p, OnePairBetweenTheTwoContainersAndNoBridgeGatewayOrRoute) {
  auto rs = render(kPair);
  // Made from the first container by name, whatever the manifest's order.
  const Resource* pair = find(rs, "link left/p0");
  ASSERT_NE(pair, nullptr) << keys(rs);
  EXPECT_EQ(pair->attr(attr::type), "veth");
  EXPECT_EQ(pair->attr(attr::peer), "eth0");
  EXPECT_EQ(pair->attr(attr::peer_ns), "right");
  EXPECT_FALSE(pair->attr(attr::mac).empty());
  EXPECT_FALSE(pair->attr(attr::peer_mac).empty());
  EXPECT_NE(pair->attr(attr::mac), pair->attr(attr::peer_mac));
  EXPECT_TRUE(pair->replace_on.count(attr::peer_ns));
  EXPECT_EQ(find(rs, "link right/eth0"), nullptr) << "one resource for the pair";
  int links = 0, routes = 0;
  for (const auto& r : rs) {
    links += r.kind == Kind::Link;
    routes += r.kind == Kind::Route;
    EXPECT_FALSE(r.kind == Kind::Link && r.ns.empty()) << "nothing on the host: " << r.key();
    EXPECT_NE(r.kind, Kind::Firewall) << r.key();
  }
  EXPECT_EQ(links, 1) << keys(rs);
  EXPECT_EQ(routes, 0) << "no default route through a p2p link\n" << keys(rs);
  // No gateway: the /30's two hosts are the two ends, in container order.
  EXPECT_NE(find(rs, "address left/p0/10.77.0.1/30"), nullptr) << keys(rs);
  EXPECT_NE(find(rs, "address right/eth0/10.77.0.2/30"), nullptr) << keys(rs);
  // Both ends refuse router advertisements, tied to the pair.
  const Resource* ra = find(rs, "sysctl right/net.ipv6.conf.eth0.accept_ra");
  ASSERT_NE(ra, nullptr) << keys(rs);
  EXPECT_EQ(ra->attr(attr::link), "left/p0");
}

TEST_F(P2p, ExactlyTwoDifferentContainers) {
  LoadResult one = load_text(R"(version: 1
networks:
  - {name: l, driver: p2p, subnet: 10.77.0.0/30}
containers:
  - name: a
attachments:
  - {container: a, network: l}
)");
  ASSERT_FALSE(one.ok());
  EXPECT_EQ(errors(one), std::vector<std::string>{
                             "a.yaml:3:5: network \"l\": driver p2p joins exactly two containers; it has 1 attachment(s) (a)"})
      << dump(one);
  LoadResult three = load_text(R"(version: 1
networks:
  - {name: l, driver: p2p, subnet: 10.77.0.0/29}
containers:
  - name: a
  - name: b
  - name: c
attachments:
  - {container: a, network: l}
  - {container: b, network: l}
  - {container: c, network: l}
)");
  ASSERT_FALSE(three.ok());
  EXPECT_NE(dump(three).find("joins exactly two containers; it has 3 attachment(s) (a, b, c)"), std::string::npos)
      << dump(three);
}

TEST_F(P2p, NoGatewayAndNoDefaultRoute) {
  LoadResult gw = load_text(R"(version: 1
networks:
  - {name: l, driver: p2p, subnet: 10.77.0.0/30, gateway: 10.77.0.1}
containers:
  - name: a
  - name: b
attachments:
  - {container: a, network: l}
  - {container: b, network: l}
)");
  ASSERT_FALSE(gw.ok());
  EXPECT_NE(dump(gw).find("a.yaml:3:59: network \"l\": driver p2p joins two containers on one link and has no gateway"),
            std::string::npos)
      << dump(gw);
  LoadResult route = load_text(R"(version: 1
networks:
  - {name: l, driver: p2p, subnet: 10.77.0.0/30}
containers:
  - name: a
  - name: b
attachments:
  - {container: a, network: l, default_route: true}
  - {container: b, network: l}
)");
  ASSERT_FALSE(route.ok());
  EXPECT_NE(dump(route).find("cannot carry the default route"), std::string::npos) << dump(route);
}

// A container on a p2p link and a bridge keeps its default route on the bridge.
TEST_F(P2p, TheDefaultRouteStaysOnTheOtherNetwork) {
  auto rs = render(R"(version: 1
networks:
  - {name: l, driver: p2p, subnet: 10.77.0.0/30}
  - {name: lan, subnet: 10.78.0.0/24}
containers:
  - name: a
  - name: b
attachments:
  - {container: a, network: l, interface: eth0}
  - {container: a, network: lan, interface: eth1}
  - {container: b, network: l}
)");
  const Resource* def = find(rs, "route a/default");
  ASSERT_NE(def, nullptr) << keys(rs);
  EXPECT_EQ(def->attr(attr::dev), "eth1");
}

observer::LinkRecord record(int index, const std::string& name, const std::string& alias, int peer) {
  observer::LinkRecord l;
  l.index = index;
  l.name = name;
  l.type = "veth";
  l.alias = alias;
  l.mtu = 1500;
  l.up = true;
  l.mac = "02:42:0a:4d:00:0" + std::to_string(index);
  l.parent = peer;
  return l;
}

observer::NamespaceDump container(const std::string& name, std::vector<observer::LinkRecord> links) {
  observer::NamespaceDump d;
  observer::LinkRecord lo;
  lo.index = 1;
  lo.name = "lo";
  lo.alias = std::string(ownership::kNamespaceAliasPrefix) + name;
  lo.up = true;
  d.links.push_back(lo);
  for (auto& l : links) d.links.push_back(std::move(l));
  return d;
}

TEST(P2pDecode, ThePairIsReadFromBothNamespacesAndTheFarEndsAddressesAreOwned) {
  observer::Snapshot s;
  s.namespaces["left"] = container("left", {record(2, "p0", "topo:attachment/left/p0", 3)});
  auto far = record(3, "eth0", "topo-peer:left/p0", 2);
  far.group = ownership::kLinkGroup;
  s.namespaces["right"] = container("right", {far});
  s.namespaces["right"].addrs = {{3, "10.77.0.1/30", false}};
  Observed o = observer::decode(s);
  const Resource* pair = nullptr;
  const Resource* addr = nullptr;
  for (const auto& r : o.owned) {
    if (r.key() == "link left/p0") pair = &r;
    if (r.key() == "address right/eth0/10.77.0.1/30") addr = &r;
    EXPECT_NE(r.key(), "link right/eth0") << "the far end is part of the pair's resource";
  }
  ASSERT_NE(pair, nullptr);
  EXPECT_EQ(pair->attr(attr::peer), "eth0");
  EXPECT_EQ(pair->attr(attr::peer_ns), "right");
  EXPECT_EQ(pair->attr(attr::peer_mac), "02:42:0a:4d:00:03");
  EXPECT_EQ(pair->attr(attr::state), "up");
  EXPECT_NE(addr, nullptr) << "the far end's address is topo's";
}

// A member may adopt a namespace another runtime made (netns: PATH).
TEST(P2pDecode, TheFarEndMayBeInAnAdoptedNamespace) {
  observer::Snapshot s;
  s.namespaces["left"] = container("left", {record(2, "p0", "topo:attachment/left/p0", 3)});
  auto far = record(3, "eth0", "topo-peer:left/p0", 2);
  far.group = ownership::kLinkGroup;
  observer::NamespaceDump adopted;
  adopted.links = {far};
  adopted.addrs = {{3, "10.77.0.2/30", false}};
  s.namespaces["right"] = adopted;
  s.shared["right"] = "adopted:/proc/4242/ns/net";
  Observed o = observer::decode(s);
  bool pair = false, addr = false;
  for (const auto& r : o.owned) {
    pair |= r.key() == "link left/p0" && r.attr(attr::peer_ns) == "right";
    addr |= r.key() == "address right/eth0/10.77.0.2/30";
  }
  EXPECT_TRUE(pair);
  EXPECT_TRUE(addr);
}

TEST(P2pDecode, AFarEndWhosePairDoesNotPointBackIsNotTaken) {
  observer::Snapshot s;
  s.namespaces["left"] = container("left", {record(2, "p0", "topo:attachment/left/p0", 7)});
  auto far = record(3, "eth0", "topo-peer:left/p0", 2);  // a mark anyone inside could set
  far.group = ownership::kLinkGroup;
  s.namespaces["right"] = container("right", {far});
  s.namespaces["right"].addrs = {{3, "10.77.0.1/30", false}};
  Observed o = observer::decode(s);
  for (const auto& r : o.owned) {
    EXPECT_NE(r.key(), "address right/eth0/10.77.0.1/30");
    if (r.key() == "link left/p0") {
      EXPECT_EQ(r.attr(attr::peer_ns), "") << "no pair confirmed";
    }
  }
}

// Remaking the pair takes the far end's addresses and settings with it:
// they are made again too.
TEST_F(P2p, ARemadePairRemakesWhatLivesOnItsFarEnd) {
  auto desired = render(kPair);
  Observed observed;
  for (const auto& r : desired) observed.owned.push_back(r);
  for (auto& r : observed.owned)
    if (r.key() == "link left/p0") r.attrs[attr::peer] = "old0";  // forces a replacement
  Plan plan = make_plan(desired, observed).plan;
  bool far_address = false, far_sysctl = false;
  for (const auto& a : plan.actions) {
    far_address |= a.type == ActionType::Create && a.after().key() == "address right/eth0/10.77.0.2/30";
    far_sysctl |= a.type == ActionType::Create && a.after().key() == "sysctl right/net.ipv6.conf.eth0.accept_ra";
  }
  EXPECT_TRUE(far_address);
  EXPECT_TRUE(far_sysctl);
}

}  // namespace
}  // namespace topo
