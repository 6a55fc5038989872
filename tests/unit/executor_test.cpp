#include "reconciler/executor/executor.hpp"

#include <gtest/gtest.h>

#include "reconciler/planner/diff.hpp"
#include "tests/unit/fake_kernel.hpp"

namespace topo {
using testing::FakeKernel;
using testing::res;

namespace {

// Old world: namespace a with eth0. New world: namespace b with eth0, bridge mtu changed.
struct World {
  FakeKernel kernel;
  std::vector<Resource> desired;
  World() {
    for (const auto& r : {res(Kind::Namespace, "", "a"), res(Kind::Link, "a", "eth0", {{"type", "veth"}}),
                          res(Kind::Link, "", "br0", {{"type", "bridge"}, {"mtu", "1500"}})})
      kernel.live[r.key()] = r;
    desired = {res(Kind::Namespace, "", "b"), res(Kind::Link, "b", "eth0", {{"type", "veth"}}),
               res(Kind::Link, "", "br0", {{"type", "bridge"}, {"mtu", "9000"}}),
               res(Kind::Address, "b", "eth0/10.0.0.2/24", {{"dev", "eth0"}, {"address", "10.0.0.2/24"}})};
  }
};

}  // namespace

TEST(Executor, AppliesThePlanAndConverges) {
  World w;
  auto plan = make_plan(w.desired, w.kernel.observe()).plan;
  auto r = execute(plan, w.kernel);
  ASSERT_TRUE(r.ok) << r.error;
  EXPECT_TRUE(make_plan(w.desired, w.kernel.observe()).plan.empty());
}

// A refusal at every step in turn: each time the kernel ends as it began.
TEST(Executor, AFailureAtAnyStepRollsBackToTheStartingState) {
  World reference;
  auto before = reference.kernel.live;
  auto plan = make_plan(reference.desired, reference.kernel.observe()).plan;
  ASSERT_GE(plan.actions.size(), 5u);
  for (size_t step = 0; step < plan.actions.size(); ++step) {
    World w;
    w.kernel.fail_calls = {static_cast<int>(step)};
    auto r = execute(plan, w.kernel);
    EXPECT_FALSE(r.ok) << "step " << step;
    EXPECT_TRUE(r.rolled_back) << "step " << step;
    EXPECT_EQ(r.steps_done, step);
    EXPECT_NE(r.error.find("Operation not permitted"), std::string::npos) << r.error;
    EXPECT_EQ(w.kernel.live, before) << "step " << step;
  }
}

TEST(Executor, AFailingUndoIsReported) {
  World w;
  auto plan = make_plan(w.desired, w.kernel.observe()).plan;
  w.kernel.fail_calls = {2, 3};  // the third step fails, then the first undo fails too
  auto r = execute(plan, w.kernel);
  ASSERT_FALSE(r.ok);
  EXPECT_FALSE(r.rolled_back);
  ASSERT_EQ(r.rollback_errors.size(), 1u);
  EXPECT_NE(r.rollback_errors[0].find("undo of"), std::string::npos);
}

}  // namespace topo
