// Neighbour entries and onlink routes in plans (pure): where they come in
// the order, what a changed MAC or a missing onlink flag plans, and how the
// plan text spells them.
#include <gtest/gtest.h>

#include <algorithm>

#include "reconciler/output/plan_format.hpp"
#include "reconciler/planner/dependencies.hpp"
#include "reconciler/planner/diff.hpp"
#include "reconciler/planner/focus.hpp"
#include "tests/unit/owned_plan.hpp"

namespace topo {
namespace {

Resource vxlan(const std::string& name) {
  return Resource{Kind::Link, "", name, {{attr::type, "vxlan"}, {attr::vni, "1"}, {attr::learning, "off"}}, {},
                  "cluster/default"};
}

Resource address(const std::string& dev, const std::string& cidr) {
  return Resource{Kind::Address, "", dev + "/" + cidr, {{attr::dev, dev}, {attr::address, cidr}}, {}, "cluster/default"};
}

Resource neighbour(const std::string& dev, const std::string& ip, const std::string& mac) {
  return Resource{Kind::Neighbour, "", dev + "/" + ip, {{attr::dev, dev}, {attr::ip, ip}, {attr::mac, mac}}, {},
                  "cluster/default"};
}

Resource onlink_route(const std::string& dev, const std::string& cidr, const std::string& via) {
  return Resource{Kind::Route,           "", cidr, {{attr::dev, dev}, {attr::via, via}, {attr::onlink, "on"}}, {},
                  "cluster/default"};
}

Resource fdb(const std::string& dev, const std::string& mac, const std::string& dst) {
  return Resource{Kind::Fdb, "", dev + "/" + mac + "/" + dst, {{attr::dev, dev}, {attr::mac, mac}, {attr::dst, dst}},
                  {}, "cluster/default"};
}

// flannel's three objects per remote node, on one VXLAN device.
std::vector<Resource> remote_node() {
  return {neighbour("vx-1", "10.50.2.0", "0a:58:0a:32:02:00"), fdb("vx-1", "0a:58:0a:32:02:00", "192.168.0.12"),
          onlink_route("vx-1", "10.50.2.0/24", "10.50.2.0"), address("vx-1", "10.50.1.0/32"), vxlan("vx-1")};
}

std::vector<std::string> keys(const Plan& p) {
  std::vector<std::string> out;
  for (const auto& a : p.actions) out.push_back(to_string(a.type) + " " + a.subject().key());
  return out;
}

}  // namespace

TEST(NeighbourPlan, MadeAfterItsLinkAndAddressesAndRemovedBeforeThem) {
  const auto made = testing::make_owned_plan(remote_node(), Observed{});
  EXPECT_EQ(keys(made.plan), (std::vector<std::string>{
                                 "create link /vx-1",
                                 "create address /vx-1/10.50.1.0/32",
                                 "create route /10.50.2.0/24",
                                 "create fdb /vx-1/0a:58:0a:32:02:00/192.168.0.12",
                                 "create neighbour /vx-1/10.50.2.0",
                             }));
  Observed all;
  all.owned = remote_node();
  const auto gone = testing::make_owned_plan({}, all);
  EXPECT_EQ(keys(gone.plan), (std::vector<std::string>{
                                 "delete neighbour /vx-1/10.50.2.0",
                                 "delete fdb /vx-1/0a:58:0a:32:02:00/192.168.0.12",
                                 "delete route /10.50.2.0/24",
                                 "delete address /vx-1/10.50.1.0/32",
                                 "delete link /vx-1",
                             }));
  const Resource n = neighbour("vx-1", "10.50.2.0", "0a:58:0a:32:02:00");
  EXPECT_EQ(lives_on(n), "link /vx-1");
  EXPECT_EQ(container_of(n), "") << "a host neighbour is on a device all containers share";
  Resource in_c1 = n;
  in_c1.ns = "c1";
  EXPECT_TRUE(goes_with_namespace(in_c1));
  EXPECT_EQ(container_of(in_c1), "c1");
}

TEST(NeighbourPlan, ANewMacIsAnUpdateInPlaceAndARemadeLinkRemakesTheEntry) {
  Observed o;
  o.owned = remote_node();
  std::vector<Resource> desired = remote_node();
  desired[0].attrs[attr::mac] = "0a:58:0a:32:02:01";
  auto d = make_plan(desired, o);
  ASSERT_EQ(keys(d.plan), (std::vector<std::string>{"update neighbour /vx-1/10.50.2.0"}));
  EXPECT_EQ(format_plan_text(d.plan, false),
            "  ~ neighbour 10.50.2.0 dev vx-1: mac 0a:58:0a:32:02:00 -> 0a:58:0a:32:02:01\n"
            "\nPlan: 0 to add, 1 to change, 0 to destroy.\n");

  // A replaced device takes its entries along: they are made again.
  desired = remote_node();
  desired[4].attrs[attr::vni] = "2";
  desired[4].replace_on = {attr::vni};
  d = make_plan(desired, o);
  const auto k = keys(d.plan);
  EXPECT_NE(std::find(k.begin(), k.end(), "create neighbour /vx-1/10.50.2.0"), k.end());
}

TEST(NeighbourPlan, AMissingOnlinkFlagIsDrift) {
  Observed o;
  o.owned = remote_node();
  o.owned[2].attrs.erase(attr::onlink);  // the kernel's route lacks the flag
  auto d = testing::make_owned_plan(remote_node(), o);
  ASSERT_EQ(keys(d.plan), (std::vector<std::string>{"update route /10.50.2.0/24"}));
  EXPECT_EQ(format_plan_text(d.plan, false),
            "  ~ route 10.50.2.0/24 via 10.50.2.0 dev vx-1 onlink: onlink (none) -> on\n"
            "\nPlan: 0 to add, 1 to change, 0 to destroy.\n");
  o.owned = remote_node();
  EXPECT_TRUE(testing::make_owned_plan(remote_node(), o).plan.empty());
}

TEST(NeighbourPlan, TextOfACreateAndADelete) {
  Plan p;
  Action create;
  create.type = ActionType::Create;
  create.set_after(neighbour("vx-1", "10.50.2.0", "0a:58:0a:32:02:00"));
  Action del;
  del.type = ActionType::Delete;
  Resource gone = neighbour("vx0", "fd00:50:3::", "0a:58:0a:32:03:00");
  gone.ns = "c1";
  del.set_before(gone);
  Action route;
  route.type = ActionType::Create;
  route.set_after(onlink_route("vx-1", "10.50.2.0/24", "10.50.2.0"));
  p.actions = {del, create, route};
  EXPECT_EQ(format_plan_text(p, false),
            "  - neighbour fd00:50:3:: dev c1:vx0 (lladdr 0a:58:0a:32:03:00)\n"
            "  + neighbour 10.50.2.0 dev vx-1 (lladdr 0a:58:0a:32:02:00)\n"
            "  + route 10.50.2.0/24 via 10.50.2.0 dev vx-1 onlink\n"
            "\nPlan: 2 to add, 0 to change, 1 to destroy.\n");
  // A saved plan reads back with its kind.
  const Plan back = plan_from_file(plan_to_file(p));
  ASSERT_EQ(back.actions.size(), 3u);
  EXPECT_EQ(back.actions[1].after(), p.actions[1].after());
  EXPECT_EQ(back.actions[0].before(), p.actions[0].before());
}

}  // namespace topo
