// The overlay provider: bridge, VXLAN device and static forwarding entries
// from the manifests alone, as one node of three renders them.
#include "providers/overlay/overlay_provider.hpp"

#include <gtest/gtest.h>

#include "providers/overlay/overlay_members.hpp"
#include "reconciler/model/slice.hpp"
#include "reconciler/planner/diff.hpp"
#include "tests/unit/model_builders.hpp"

namespace topo {
using namespace topo::testing;

namespace {

// Three hosts, overlay "ov" with a1 (a), b1 and b2 (b), c1 (c); b2 has a static MAC.
Desired cluster() {
  Desired d;
  d.hosts = {host("a", "10.99.0.1"), host("b", "10.99.0.2"), host("c", "10.99.0.3")};
  Network ov = bridge_network("ov", "10.50.0.0/24");
  make_overlay(ov, 42);
  ov.mtu = 1450;
  d.networks = {ov};
  d.containers = {on("a1", "a"), on("b1", "b"), on("b2", "b"), on("c1", "c")};
  d.attachments = {attach("a1", "ov", "10.50.0.11"), attach("b1", "ov", "10.50.0.21"),
                   attach("b2", "ov", "10.50.0.22"), attach("c1", "ov", "10.50.0.31")};
  d.attachments[2].mac = "02:AA:00:00:00:22";
  return d;
}

struct Rendered {
  std::vector<Resource> list;
  const Resource* find(const std::string& key) const {
    for (const auto& r : list)
      if (r.key() == key) return &r;
    return nullptr;
  }
  std::vector<std::string> fdb() const {
    std::vector<std::string> out;
    for (const auto& r : list)
      if (r.kind == Kind::Fdb) out.push_back(r.name);
    return out;
  }
};

Rendered render_node(const Desired& whole, const std::string& node) {
  NodeSelection sel = select_node(whole, node);
  EXPECT_EQ(sel.error, "");
  // This node's own allocation, as IPAM would make it (static address).
  Allocations local;
  for (const auto& a : sel.desired.attachments) local[attachment_key(a)] = static_allocation(a);
  Rendered r;
  r.list = render_all(sel.desired, local).resources;
  return r;
}

}  // namespace

TEST(OverlayProvider, VxlanNameIsStableShortAndPerNetwork) {
  EXPECT_EQ(vxlan_name("ov"), vxlan_name("ov"));
  EXPECT_NE(vxlan_name("ov"), vxlan_name("ov2"));
  EXPECT_LE(vxlan_name("a-very-long-network-name-indeed").size(), 15u);
  EXPECT_EQ(vxlan_name("ov").rfind("vx-", 0), 0u);
}

TEST(OverlayProvider, NodeRendersBridgeVxlanAndItsAttachments) {
  Rendered r = render_node(cluster(), "a");
  const Resource* br = r.find("link /br-ov");
  ASSERT_NE(br, nullptr);
  EXPECT_EQ(br->attr(attr::type), "bridge");
  EXPECT_EQ(br->attr(attr::mtu), "1450");
  EXPECT_NE(r.find("address /br-ov/10.50.0.1/24"), nullptr);

  const Resource* vx = r.find("link /" + vxlan_name("ov"));
  ASSERT_NE(vx, nullptr);
  EXPECT_EQ(vx->attr(attr::type), "vxlan");
  EXPECT_EQ(vx->attr(attr::vni), "42");
  EXPECT_EQ(vx->attr(attr::port), "4789");
  EXPECT_EQ(vx->attr(attr::local), "10.99.0.1");
  EXPECT_EQ(vx->attr(attr::learning), "off");
  EXPECT_EQ(vx->attr(attr::master), "br-ov");
  EXPECT_EQ(vx->attr(attr::mtu), "1450");
  EXPECT_EQ(vx->origin, "network/ov");
  EXPECT_TRUE(vx->replace_on.count(attr::vni));
  EXPECT_TRUE(vx->replace_on.count(attr::port));
  EXPECT_TRUE(vx->replace_on.count(attr::local));

  // Only a's container gets a namespace and a veth here.
  EXPECT_NE(r.find("namespace /a1"), nullptr);
  EXPECT_EQ(r.find("namespace /b1"), nullptr);
  const Resource* veth = r.find("link a1/eth0");
  ASSERT_NE(veth, nullptr);
  EXPECT_EQ(veth->attr(attr::master), "br-ov");
  EXPECT_EQ(veth->attr(attr::mtu), "1450");
  EXPECT_EQ(veth->attr(attr::mac), "02:42:0a:32:00:0b");
  EXPECT_NE(r.find("address a1/eth0/10.50.0.11/24"), nullptr);
  EXPECT_EQ(r.find("link b1/eth0"), nullptr);
}

TEST(OverlayProvider, ForwardingEntriesFloodToOtherNodesAndPinRemoteMacs) {
  Rendered r = render_node(cluster(), "a");
  const std::string vx = vxlan_name("ov");
  EXPECT_EQ(r.fdb(), (std::vector<std::string>{
                         vx + "/00:00:00:00:00:00/10.99.0.2",
                         vx + "/00:00:00:00:00:00/10.99.0.3",
                         vx + "/02:42:0a:32:00:15/10.99.0.2",  // b1, derived from 10.50.0.21
                         vx + "/02:aa:00:00:00:22/10.99.0.2",  // b2, static MAC, lower case
                         vx + "/02:42:0a:32:00:1f/10.99.0.3",  // c1
                     }));
  const Resource* e = r.find("fdb /" + vx + "/02:42:0a:32:00:15/10.99.0.2");
  ASSERT_NE(e, nullptr);
  EXPECT_EQ(e->attr(attr::dev), vx);
  EXPECT_EQ(e->attr(attr::mac), "02:42:0a:32:00:15");
  EXPECT_EQ(e->attr(attr::dst), "10.99.0.2");
  EXPECT_EQ(e->origin, "attachment/b1/eth0");
}

TEST(OverlayProvider, EveryNodeComputesTheSameMacForAContainer) {
  // b1's own veth MAC on b equals the MAC a and c program towards b.
  Rendered on_b = render_node(cluster(), "b");
  const Resource* veth = on_b.find("link b1/eth0");
  ASSERT_NE(veth, nullptr);
  const std::string mac = veth->attr(attr::mac);
  const std::string vx = vxlan_name("ov");
  for (const char* node : {"a", "c"}) {
    Rendered r = render_node(cluster(), node);
    EXPECT_NE(r.find("fdb /" + vx + "/" + mac + "/10.99.0.2"), nullptr) << "on " << node;
  }
  // And b has none towards itself.
  for (const auto& name : on_b.fdb()) EXPECT_EQ(name.find("10.99.0.2"), std::string::npos) << name;
}

TEST(OverlayProvider, RemovedContainerTakesItsEntriesAway) {
  Desired d = cluster();
  d.containers.erase(d.containers.begin() + 2);    // b2
  d.attachments.erase(d.attachments.begin() + 2);
  Rendered r = render_node(d, "a");
  for (const auto& name : r.fdb()) EXPECT_EQ(name.find("02:aa:00:00:00:22"), std::string::npos) << name;
  // b still has b1, so the flooding entry towards b stays.
  EXPECT_NE(r.find("fdb /" + vxlan_name("ov") + "/00:00:00:00:00:00/10.99.0.2"), nullptr);
}

TEST(OverlayProvider, SingleHostOverlayHasNoPeers) {
  Desired d;
  Network ov = bridge_network("ov", "10.50.0.0/24");
  make_overlay(ov, 7);
  d.networks = {ov};
  d.containers = {container("c1")};
  d.attachments = {attach("c1", "ov", "10.50.0.5")};
  Allocations local{{attachment_key(d.attachments[0]), static_allocation(d.attachments[0])}};
  Rendered r;
  r.list = render_all(d, local).resources;
  const Resource* vx = r.find("link /" + vxlan_name("ov"));
  ASSERT_NE(vx, nullptr);
  EXPECT_EQ(vx->attr(attr::local), "");
  EXPECT_TRUE(r.fdb().empty());
}

TEST(OverlayMembers, RemoteMembersOfOverlaysOnlyNeverBridges) {
  Desired d = cluster();
  d.networks.push_back(bridge_network("lan", "172.20.0.0/24"));
  d.containers.push_back(on("c2", "c"));
  d.attachments.push_back(attach("c2", "lan", "172.20.0.5"));
  d.containers.push_back(on("a2", "a"));
  d.attachments.push_back(attach("a2", "lan", "172.20.0.6"));
  NodeSelection sel = select_node(d, "a");
  ASSERT_EQ(sel.error, "");
  Allocations all = with_remote_members(sel.desired, {});
  EXPECT_TRUE(all.count("ov/b1/eth0"));
  EXPECT_TRUE(all.count("ov/c1/eth0"));
  EXPECT_FALSE(all.count("lan/c2/eth0"));  // another host's bridge: another segment
  EXPECT_FALSE(all.count("ov/a1/eth0"));   // local ones come from IPAM, not from here
  EXPECT_EQ(all.at("ov/b1/eth0").ipv4->str(), "10.50.0.21");
}

// A VXLAN device remade (here: the node's address changed) takes its
// forwarding entries with it, so the plan makes them again too.
TEST(OverlayDiff, ReplacedVxlanDeviceRemakesItsForwardingEntries) {
  Rendered r = render_node(cluster(), "a");
  Observed live;
  for (const auto& res : r.list) {
    Resource o = res;
    o.replace_on.clear();
    if (o.kind == Kind::Link && o.attr(attr::type) == "vxlan") o.attrs[attr::local] = "10.99.0.100";
    live.owned.push_back(o);
  }
  DiffResult d = make_plan(r.list, live);
  int fdb_creates = 0;
  bool replaced = false;
  for (const auto& a : d.plan.actions) {
    if (a.type == ActionType::Replace && a.after().name == vxlan_name("ov")) replaced = a.forced_by == attr::local;
    if (a.type == ActionType::Create && a.after().kind == Kind::Fdb) ++fdb_creates;
  }
  EXPECT_TRUE(replaced);
  EXPECT_EQ(fdb_creates, 5);
}

}  // namespace topo
