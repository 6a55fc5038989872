// Deletions wait until the manifests are still (watcher/settle.hpp).
#include "reconciler/watcher/settle.hpp"

#include <gtest/gtest.h>

#include "tests/unit/model_builders.hpp"

namespace topo::watcher {
namespace {

using namespace topo::testing;

Desired model(std::vector<std::string> containers) {
  Desired d;
  d.networks = {bridge_network("n", "10.0.0.0/24")};
  for (const auto& c : containers) {
    d.containers.push_back(container(c));
    d.attachments.push_back(attach(c, "n"));
  }
  return d;
}

TEST(Settle, AddingDropsNothingRemovingDoes) {
  EXPECT_FALSE(drops_objects(model({"a"}), model({"a", "b"})));
  EXPECT_TRUE(drops_objects(model({"a", "b"}), model({"a"})));
  EXPECT_TRUE(drops_objects(model({"a"}), Desired{})) << "a truncated file";
}

TEST(Settle, ANamespaceMadeAnewCountsAsDropped) {
  Desired before = model({"a"}), after = model({"a"});
  after.containers[0].netns = "/proc/42/ns/net";
  EXPECT_TRUE(drops_objects(before, after));
  Desired moved = model({"a"});
  moved.containers[0].stack = "other";
  EXPECT_TRUE(drops_objects(before, moved));
}

TEST(Settle, AnAttachmentGoneCountsAsDropped) {
  Desired before = model({"a"}), after = model({"a"});
  after.attachments.clear();
  EXPECT_TRUE(drops_objects(before, after));
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

namespace topo::watcher {
namespace {

using namespace topo::testing;

// While the manifests settle, additions go ahead and nothing is removed:
// applying the old model instead removed what a hand-run apply of the new
// one had made (found by E2EWatch.AnApplyWhileTheControllerRunsIsSafe).
TEST(Settle, HeldBackKeepsWhatIsDroppedAndAddsWhatIsNew) {
  Desired in_force;
  in_force.networks = {bridge_network("n", "10.0.0.0/24")};
  in_force.containers = {container("a"), container("b")};
  in_force.attachments = {attach("a", "n"), attach("b", "n")};
  Desired next;
  next.networks = {bridge_network("n", "10.0.0.0/24")};
  next.containers = {container("a"), container("c")};
  next.attachments = {attach("a", "n"), attach("c", "n")};
  Desired merged = held_back(in_force, next);
  ASSERT_EQ(merged.containers.size(), 3u);
  EXPECT_EQ(merged.containers[1].name, "b");
  EXPECT_EQ(merged.attachments.size(), 3u);
  EXPECT_FALSE(drops_objects(in_force, merged));
  EXPECT_FALSE(drops_objects(merged, held_back(merged, next))) << "stable while unsettled";
}

}  // namespace
}  // namespace topo::watcher
