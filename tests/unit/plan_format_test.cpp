#include "reconciler/output/plan_format.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace topo {

namespace {

Plan sample_plan() {
  Plan p;
  Action create;
  create.type = ActionType::Create;
  Resource bridge;
  bridge.kind = Kind::Link;
  bridge.name = "br-net";
  bridge.attrs = {{attr::type, "bridge"}, {attr::mtu, "1500"}};
  bridge.origin = "network/net";
  create.set_after(bridge);
  Action update;
  update.type = ActionType::Update;
  update.set_before(bridge);
  bridge.attrs[attr::mtu] = "9000";
  update.set_after(bridge);
  update.changes = {{"mtu", "1500", "9000"}};
  Action del;
  del.type = ActionType::Delete;
  Resource old;
  old.kind = Kind::Namespace;
  old.name = "old";
  del.set_before(old);
  p.actions = {del, create, update};
  p.observed_digest = "0123456789abcdef";
  p.allocations["net/c/eth0"].ipv4 = IpAddress::parse("10.0.0.2");
  p.allocations["net/c/eth0"].mac = "02:42:0a:00:00:02";
  return p;
}

}  // namespace

TEST(PlanFormat, TextIsOneLinePerActionAndASummary) {
  std::string text = format_plan_text(sample_plan(), false);
  EXPECT_EQ(text,
            "  - namespace old\n"
            "  + link br-net (bridge, mtu 1500)\n"
            "  ~ link br-net: mtu 1500 -> 9000\n"
            "\n"
            "Plan: 1 to add, 1 to change, 1 to destroy.\n");
  EXPECT_EQ(format_plan_text(Plan{}, false), "No changes.\n");
  EXPECT_EQ(text.find('\033'), std::string::npos);
  EXPECT_NE(format_plan_text(sample_plan(), true).find('\033'), std::string::npos);
}

TEST(PlanFormat, JsonHasActionsAndSummary) {
  auto j = nlohmann::json::parse(format_plan_json(sample_plan()));
  EXPECT_EQ(j["summary"]["add"], 1);
  EXPECT_EQ(j["summary"]["change"], 1);
  EXPECT_EQ(j["summary"]["destroy"], 1);
  ASSERT_EQ(j["actions"].size(), 3u);
  EXPECT_EQ(j["actions"][2]["changes"][0]["to"], "9000");
}

TEST(PlanFormat, PlanFileRoundTrips) {
  Plan p = sample_plan();
  Plan back = plan_from_file(plan_to_file(p));
  EXPECT_EQ(back.observed_digest, p.observed_digest);
  ASSERT_EQ(back.actions.size(), 3u);
  EXPECT_EQ(back.actions[2].after(), p.actions[2].after());
  EXPECT_EQ(back.actions[2].changes[0].from, "1500");
  EXPECT_EQ(back.allocations["net/c/eth0"].ipv4->str(), "10.0.0.2");
  EXPECT_EQ(format_plan_text(back, false), format_plan_text(p, false));
}

TEST(PlanFormat, MalformedPlanFileIsRefused) {
  EXPECT_THROW(plan_from_file("{}"), std::runtime_error);
  EXPECT_THROW(plan_from_file("not json"), std::runtime_error);
}

}  // namespace topo
