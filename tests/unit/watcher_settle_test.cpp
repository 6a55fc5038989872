// Removals wait until the manifests are still (watcher/settle.hpp).
#include "reconciler/watcher/settle.hpp"

#include <gtest/gtest.h>

namespace topo::watcher {
namespace {

Action action(ActionType t, const std::string& name) {
  Action a;
  a.type = t;
  Resource r;
  r.kind = Kind::Namespace;
  r.name = name;
  if (t == ActionType::Delete) a.set_before(r);
  else a.set_after(r);
  if (t == ActionType::Replace) a.set_before(r);
  return a;
}

TEST(Settle, OnlyRemovalsAndReplacementsAreHeldBack) {
  Plan p;
  p.actions = {action(ActionType::Delete, "gone"), action(ActionType::Create, "new"),
               action(ActionType::Replace, "remade"), action(ActionType::Update, "changed")};
  EXPECT_EQ(hold_back_destruction(p), 2u);
  ASSERT_EQ(p.actions.size(), 2u);
  EXPECT_EQ(p.actions[0].after().name, "new");
  EXPECT_EQ(p.actions[1].after().name, "changed");
  EXPECT_EQ(hold_back_destruction(p), 0u);
}

TEST(Settle, TheGateOpensOnlyAfterTheManifestsWereStillForTheSettleTime) {
  SettleGate gate(Millis(3000));
  const TimePoint t0{};
  gate.seen("v1", t0);
  EXPECT_FALSE(gate.settled(t0 + Millis(2999)));
  EXPECT_TRUE(gate.settled(t0 + Millis(3000)));
  gate.seen("v2", t0 + Millis(5000));  // rewritten
  EXPECT_FALSE(gate.settled(t0 + Millis(7000)));
  gate.seen("v2", t0 + Millis(7000));  // the same again: still counts from the change
  EXPECT_TRUE(gate.settled(t0 + Millis(8000)));
  EXPECT_EQ(gate.settles_at(), t0 + Millis(8000));
}

}  // namespace
}  // namespace topo::watcher
