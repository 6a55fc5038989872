// 802.1q trunks (issue 15): a macvlan or ipvlan parent IFACE.VID that does
// not exist is rendered as a vlan link off IFACE, once for every network on
// it; one that exists is the user's and is left to them.
#include <gtest/gtest.h>

#include "reconciler/ipam/ipam.hpp"
#include "reconciler/output/plan_format.hpp"
#include "reconciler/resources/mode_attrs.hpp"
#include "tests/unit/render_test_util.hpp"

namespace topo {
using namespace topo::testing;

namespace {

using Trunk = RenderTest;

constexpr const char* kTwoNetworksOnOneTrunk = R"(version: 1
networks:
  - {name: lan-a, driver: macvlan, parent: eth0.10, subnet: 192.168.10.0/25}
  - {name: lan-b, driver: ipvlan, parent: eth0.10, subnet: 192.168.10.128/25}
  - {name: plain, driver: macvlan, parent: eth1, subnet: 192.168.20.0/24}
  - {name: dotted, driver: macvlan, parent: br.lan, subnet: 192.168.30.0/24}
containers:
  - name: a
  - name: b
attachments:
  - {container: a, network: lan-a}
  - {container: b, network: lan-b}
)";

TEST_F(Trunk, AParentNamedIfaceDotVidIsMadeOnceOffItsBase) {
  auto rs = render(kTwoNetworksOnOneTrunk);
  const Resource* trunk = find(rs, "link /eth0.10");
  ASSERT_NE(trunk, nullptr) << keys(rs);
  EXPECT_EQ(trunk->attr(attr::type), "vlan");
  EXPECT_EQ(trunk->attr(attr::parent), "eth0");
  EXPECT_EQ(trunk->attr(attr::vlan_id), "10");
  EXPECT_EQ(trunk->origin, "network/lan-a") << "the first network on it by name makes it";
  EXPECT_TRUE(trunk->replace_on.count(attr::vlan_id));
  int host_links = 0;
  for (const auto& r : rs) host_links += r.kind == Kind::Link && r.ns.empty();
  EXPECT_EQ(host_links, 1) << "one trunk, and nothing for eth1 or br.lan\n" << keys(rs);
  Action create;
  create.set_after(*trunk);
  Plan plan;
  plan.actions.push_back(create);
  EXPECT_NE(format_plan_text(plan, false).find("+ link eth0.10 (vlan, parent eth0, vlan 10)"), std::string::npos)
      << format_plan_text(plan, false);
}

TEST_F(Trunk, AnExistingTrunkIsTheUsersAndIsNotRendered) {
  LoadResult r = load_text(kTwoNetworksOnOneTrunk);
  ASSERT_TRUE(r.ok()) << dump(r);
  auto ipam = allocate(r.desired, {}, {});
  auto out = render_all(r.desired, ipam.allocations, "", {"eth0.10"});
  for (const auto& res : out.resources) EXPECT_NE(res.key(), "link /eth0.10");
}

TEST_F(Trunk, VidsOutsideTheRangeAreNoTrunk) {
  for (const char* parent : {"eth0.0", "eth0.4095", "eth0.", "eth0.1a"}) {
    auto rs = render(std::string(R"(version: 1
networks:
  - {name: lan, driver: macvlan, parent: ")") + parent + R"(", subnet: 192.168.10.0/24}
)");
    for (const auto& res : rs) EXPECT_FALSE(res.kind == Kind::Link && res.ns.empty()) << parent << ": " << res.key();
  }
}

}  // namespace
}  // namespace topo
