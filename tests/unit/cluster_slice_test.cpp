// Cluster mode's slice (model/cluster_slice.hpp) and the routed overlay it
// renders (providers/overlay/overlay_shares.hpp): what etcd says becomes the
// model, and each node routes to the other nodes' shares that are up.
#include "reconciler/model/cluster_slice.hpp"

#include <gtest/gtest.h>

#include "providers/firewall/firewall_provider.hpp"
#include "providers/overlay/overlay_members.hpp"
#include "providers/overlay/overlay_provider.hpp"
#include "providers/overlay/overlay_shares.hpp"
#include "providers/provider.hpp"
#include "tests/unit/model_builders.hpp"

namespace topo {
using namespace topo::testing;

namespace {

IpAddress ip(const char* s) { return *IpAddress::parse(s); }
IpPrefix cidr(const char* s) { return *IpPrefix::parse(s); }

// Overlay "ov" 10.50.0.0/16 with a share of /24 per node; a1 on a, b1 on b,
// c1 on c; no hosts declared (cluster mode).
Desired manifests(OverlaySettings::Backend backend = OverlaySettings::Backend::Vxlan) {
  Desired d;
  Network ov = bridge_network("ov", "10.50.0.0/16");
  make_overlay(ov, 42);
  auto s = std::make_shared<OverlaySettings>(*ov.settings_as<OverlaySettings>());
  s->subnet_per_node = 24;
  s->backend = backend;
  ov.settings = s;
  ov.mtu = 1450;
  d.networks = {ov};
  d.containers = {on("a1", "a"), on("b1", "b"), on("c1", "c")};
  d.attachments = {attach("a1", "ov"), attach("b1", "ov"), attach("c1", "ov")};
  return d;
}

// a and b up, c down (its share kept); everybody's addresses claimed.
std::shared_ptr<const ClusterFacts> facts(const std::string& self = "a") {
  auto f = std::make_shared<ClusterFacts>();
  f->self = self;
  f->nodes = {{"a", ip("10.99.0.1")}, {"b", ip("10.99.0.2")}};
  f->shares = {{"ov", cidr("10.50.0.0/24"), "a", ip("10.99.0.1"), vtep_mac("ov", "a")},
               {"ov", cidr("10.50.1.0/24"), "b", ip("10.99.0.2"), vtep_mac("ov", "b")},
               {"ov", cidr("10.50.2.0/24"), "c", ip("10.99.0.3"), vtep_mac("ov", "c")}};
  f->members = {{"ov", "a1", "a", ip("10.50.0.2"), ""},
                {"ov", "b1", "b", ip("10.50.1.2"), ""},
                {"ov", "c1", "c", ip("10.50.2.2"), ""}};
  return f;
}

std::vector<Resource> render(const Desired& slice) {
  Allocations local;
  for (const auto& a : slice.attachments) local[attachment_key(a)] = static_allocation(a);
  RenderResult r = render_all(slice, local);
  EXPECT_TRUE(r.errors.empty());
  return r.resources;
}

const Resource* find(const std::vector<Resource>& rs, Kind kind, const std::string& name) {
  for (const auto& r : rs)
    if (r.kind == kind && r.ns.empty() && r.name == name) return &r;
  return nullptr;
}

}  // namespace

TEST(ClusterSlice, HostsAreTheLiveNodesAndMembersTakeTheirClaimedAddresses) {
  NodeSelection sel = select_cluster_node(manifests(), facts());
  ASSERT_EQ(sel.error, "");
  const Desired& whole = sel.desired.whole();
  ASSERT_EQ(whole.hosts.size(), 2u);  // c is down
  EXPECT_EQ(whole.hosts[1].name, "b");
  EXPECT_EQ(whole.hosts[1].address.str(), "10.99.0.2");
  ASSERT_EQ(sel.desired.attachments.size(), 1u);
  EXPECT_EQ(sel.desired.attachments[0].ipv4->str(), "10.50.0.2");
  EXPECT_EQ(whole.attachments[1].ipv4->str(), "10.50.1.2");  // b1, for hosts files
  ASSERT_TRUE(sel.desired.facts);
}

TEST(ClusterSlice, TheNodesShareReplacesTheSubnetWithItsFirstAddressAsGateway) {
  NodeSelection sel = select_cluster_node(manifests(), facts("b"));
  ASSERT_EQ(sel.error, "");
  ASSERT_EQ(sel.desired.networks.size(), 1u);
  const SubnetSpec& s = sel.desired.networks[0].subnets.at(0);
  EXPECT_EQ(s.subnet.str(), "10.50.1.0/24");
  EXPECT_EQ(s.gateway->str(), "10.50.1.1");
  EXPECT_FALSE(s.ip_range);
  // The whole model keeps the network's whole subnet.
  EXPECT_EQ(sel.desired.whole().networks[0].subnets[0].subnet.str(), "10.50.0.0/16");
}

TEST(ClusterSlice, ANodeWithoutAShareIsAnError) {
  auto f = std::make_shared<ClusterFacts>(*facts());
  f->shares.erase(f->shares.begin());  // a's
  NodeSelection sel = select_cluster_node(manifests(), f);
  EXPECT_NE(sel.error.find("network ov: node a holds no share of it in etcd"), std::string::npos) << sel.error;
}

TEST(ClusterSlice, AMemberOfThisNodeWithoutAnAddressFromEtcdWaits) {
  auto f = std::make_shared<ClusterFacts>(*facts());
  f->members.erase(f->members.begin());  // a1's: etcd was away when it was added
  NodeSelection sel = select_cluster_node(manifests(), f);
  EXPECT_NE(sel.error.find("etcd has no address yet for a1 on ov"), std::string::npos) << sel.error;
  // Another node's member without one is only left out of a's forwarding.
  f = std::make_shared<ClusterFacts>(*facts());
  f->members.erase(f->members.begin() + 1);  // b1's
  EXPECT_EQ(select_cluster_node(manifests(), f).error, "");
}

TEST(ClusterSlice, AClaimOfAnotherNodeIsNotTheMembersAddress) {
  auto f = std::make_shared<ClusterFacts>(*facts());
  f->members[1].node = "c";  // b1 was on c before it moved to b
  NodeSelection sel = select_cluster_node(manifests(), f);
  ASSERT_EQ(sel.error, "");
  EXPECT_FALSE(sel.desired.whole().attachments[1].ipv4);
}

// Anyone who may write under the prefix (or a node with other manifests)
// could route anything: only shares and claims that fit the manifests count.
TEST(ClusterSlice, SharesAndClaimsThatDoNotFitTheNetworkAreIgnored) {
  auto f = std::make_shared<ClusterFacts>(*facts());
  f->shares.push_back({"ov", cidr("0.0.0.0/0"), "b", ip("10.99.0.2"), "0e:00:00:00:00:01"});        // a default route
  f->shares.push_back({"ov", cidr("10.99.0.254/32"), "b", ip("10.99.0.2"), "0e:00:00:00:00:01"});   // etcd itself
  f->shares.push_back({"ov", cidr("10.50.0.128/25"), "b", ip("10.99.0.2"), "0e:00:00:00:00:01"});   // half of a's
  f->shares.push_back({"ov", cidr("10.50.0.0/24"), "b", ip("10.99.0.2"), "0e:00:00:00:00:01"});     // a's own, again
  f->members.push_back({"ov", "b2", "b", ip("10.50.0.9"), ""});                                   // in a's share
  f->members.push_back({"ov", "b3", "b", ip("192.168.0.9"), ""});                                 // outside
  NodeSelection sel = select_cluster_node(manifests(), f);
  ASSERT_EQ(sel.error, "");
  EXPECT_EQ(sel.ignored.size(), 6u);
  const auto rs = render(sel.desired);
  EXPECT_FALSE(find(rs, Kind::Route, "0.0.0.0/0"));
  EXPECT_FALSE(find(rs, Kind::Route, "10.99.0.254/32"));
  EXPECT_FALSE(find(rs, Kind::Route, "10.50.0.128/25"));
  EXPECT_TRUE(find(rs, Kind::Route, "10.50.1.0/24"));  // b's real share
  EXPECT_EQ(sel.desired.networks[0].subnets[0].subnet.str(), "10.50.0.0/24") << "a keeps its own";
}

TEST(ClusterSlice, AStaticAddressOutsideTheNodesShareIsAnError) {
  Desired d = manifests();
  d.attachments[0].ipv4 = ip("10.50.7.7");  // a1, while a holds 10.50.0.0/24
  NodeSelection sel = select_cluster_node(d, facts());
  EXPECT_NE(sel.error.find("the static address 10.50.7.7 is outside node a's share 10.50.0.0/24"), std::string::npos)
      << sel.error;
}

TEST(ClusterSlice, ANodesVxlanMacIsWhatItsOwnKeySays) {
  auto f = std::make_shared<ClusterFacts>(*facts());
  f->nodes[1].vtep_macs["ov"] = "0e:00:00:00:00:bb";  // b's key; the share's value says another
  NodeSelection sel = select_cluster_node(manifests(), f);
  ASSERT_EQ(sel.error, "");
  const auto rs = render(sel.desired);
  EXPECT_TRUE(find(rs, Kind::Fdb, vxlan_name("ov") + "/0e:00:00:00:00:bb/10.99.0.2"));
}

TEST(ClusterShares, VxlanRoutesNeighboursAndFdbGoToEachLiveRemoteShare) {
  NodeSelection sel = select_cluster_node(manifests(), facts());
  ASSERT_EQ(sel.error, "");
  const auto rs = render(sel.desired);
  const Resource* vx = find(rs, Kind::Link, vxlan_name("ov"));
  ASSERT_TRUE(vx);
  EXPECT_EQ(vx->attr(attr::master), "");  // routed, not a bridge port
  EXPECT_EQ(vx->attr(attr::mac), vtep_mac("ov", "a"));
  EXPECT_EQ(vx->attr(attr::local), "10.99.0.1");
  const Resource* route = find(rs, Kind::Route, "10.50.1.0/24");
  ASSERT_TRUE(route);
  EXPECT_EQ(route->attr(attr::dev), vxlan_name("ov"));
  EXPECT_EQ(route->attr(attr::via), "10.50.1.0");
  EXPECT_EQ(route->attr(attr::onlink), "on");
  const Resource* neigh = find(rs, Kind::Neighbour, vxlan_name("ov") + "/10.50.1.0");
  ASSERT_TRUE(neigh);
  EXPECT_EQ(neigh->attr(attr::mac), vtep_mac("ov", "b"));
  EXPECT_TRUE(find(rs, Kind::Fdb, vxlan_name("ov") + "/" + vtep_mac("ov", "b") + "/10.99.0.2"));
  // c is down: nothing towards it; no route to a's own share.
  EXPECT_FALSE(find(rs, Kind::Route, "10.50.2.0/24"));
  EXPECT_FALSE(find(rs, Kind::Route, "10.50.0.0/24"));
  int fdb = 0;
  for (const auto& r : rs) fdb += r.kind == Kind::Fdb;
  EXPECT_EQ(fdb, 1);  // no flooding entries, no per-container entries: routed
  // The gateway on the node's bridge is its share's first address.
  bool gateway = false;
  for (const auto& r : rs) gateway |= r.kind == Kind::Address && r.ns.empty() && r.attr(attr::address) == "10.50.0.1/24";
  EXPECT_TRUE(gateway);
}

TEST(ClusterShares, HostGwRoutesEachLiveRemoteShareViaItsNode) {
  NodeSelection sel = select_cluster_node(manifests(OverlaySettings::Backend::HostGw), facts());
  ASSERT_EQ(sel.error, "");
  const auto rs = render(sel.desired);
  EXPECT_FALSE(find(rs, Kind::Link, vxlan_name("ov")));
  const Resource* route = find(rs, Kind::Route, "10.50.1.0/24");
  ASSERT_TRUE(route);
  EXPECT_EQ(route->attr(attr::via), "10.99.0.2");
  EXPECT_EQ(route->attr(attr::dev), "");
  EXPECT_FALSE(find(rs, Kind::Route, "10.50.2.0/24"));
}

TEST(ClusterShares, OnlyWhatLeavesTheWholeSubnetIsMasqueraded) {
  NodeSelection sel = select_cluster_node(manifests(), facts());
  ASSERT_EQ(sel.error, "");
  const auto rs = render(sel.desired);
  const Resource* m = nullptr;
  for (const auto& r : rs)
    if (r.kind == Kind::Firewall && r.attr("intent") == "masquerade") m = &r;
  ASSERT_TRUE(m);
  EXPECT_EQ(m->attr("subnets"), "10.50.0.0/24");
  EXPECT_EQ(m->attr("except"), "10.50.0.0/16");
}

TEST(ClusterShares, VtepMacIsStableUnicastLocalAndPerNode) {
  EXPECT_EQ(vtep_mac("ov", "a"), vtep_mac("ov", "a"));
  EXPECT_NE(vtep_mac("ov", "a"), vtep_mac("ov", "b"));
  EXPECT_NE(vtep_mac("ov", "a"), vtep_mac("ov2", "a"));
  EXPECT_EQ(vtep_mac("ov", "a").substr(0, 3), "0e:");
  EXPECT_EQ(vtep_mac("ov", "a").size(), 17u);
}

TEST(ClusterL2, ForwardingEntriesComeFromClaimsOfLiveNodes) {
  // The same members on an L2 overlay (no subnet_per_node): flooding to each
  // live node, a MAC entry per remote member with an address.
  Desired d = manifests();
  auto s = std::make_shared<OverlaySettings>(*d.networks[0].settings_as<OverlaySettings>());
  s->subnet_per_node.reset();
  d.networks[0].settings = s;
  auto f = std::make_shared<ClusterFacts>(*facts());
  f->shares.clear();
  f->members = {{"ov", "a1", "a", ip("10.50.0.2"), ""}, {"ov", "b1", "b", ip("10.50.0.3"), ""}};
  NodeSelection sel = select_cluster_node(d, f);
  ASSERT_EQ(sel.error, "");
  Allocations local;
  for (const auto& a : sel.desired.attachments) local[attachment_key(a)] = static_allocation(a);
  RenderResult r = render_all(sel.desired, local);
  ASSERT_TRUE(r.errors.empty());
  std::vector<std::string> fdb;
  for (const auto& x : r.resources)
    if (x.kind == Kind::Fdb) fdb.push_back(x.name);
  const std::string dev = vxlan_name("ov");
  EXPECT_EQ(fdb, (std::vector<std::string>{dev + "/00:00:00:00:00:00/10.99.0.2", dev + "/02:42:0a:32:00:03/10.99.0.2"}));
}

}  // namespace topo
