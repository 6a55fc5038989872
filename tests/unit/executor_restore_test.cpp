#include "reconciler/executor/restore.hpp"

#include <gtest/gtest.h>

#include "reconciler/planner/diff.hpp"
#include "tests/unit/fake_kernel.hpp"

namespace topo {
using testing::FakeKernel;
using testing::res;

namespace {

// Like Linux: deleting an address also drops the routes through its subnet,
// and undoing the delete brings the address back, not the route.
class RouteDroppingKernel : public FakeKernel {
 public:
  void remove(const Resource& r) override {
    FakeKernel::remove(r);
    if (r.kind == Kind::Address) live.erase(res(Kind::Route, r.ns, "default").key());
  }
};

struct World {
  RouteDroppingKernel kernel;
  Observed before;
  std::vector<Resource> desired;
  World() {
    for (const auto& r : {res(Kind::Namespace, "", "c"), res(Kind::Link, "c", "eth0", {{"type", "veth"}}),
                          res(Kind::Address, "c", "eth0/10.0.0.2/24", {{"dev", "eth0"}, {"address", "10.0.0.2/24"}}),
                          res(Kind::Route, "c", "default", {{"dev", "eth0"}, {"via", "10.0.0.1"}})})
      kernel.live[r.key()] = r;
    before = kernel.observe();
    // The address moves; the plan's last step (a new link) will fail.
    desired = {res(Kind::Namespace, "", "c"), res(Kind::Link, "c", "eth0", {{"type", "veth"}}),
               res(Kind::Address, "c", "eth0/10.0.0.3/24", {{"dev", "eth0"}, {"address", "10.0.0.3/24"}}),
               res(Kind::Route, "c", "default", {{"dev", "eth0"}, {"via", "10.0.0.1"}}),
               res(Kind::Link, "c", "eth1", {{"type", "veth"}})};
  }
};

}  // namespace

TEST(ExecutorRestore, PutsBackWhatTheKernelDroppedOnItsOwnAfterTheUndo) {
  World w;
  Plan plan = make_plan(w.desired, w.before).plan;
  w.kernel.fail_calls = {static_cast<int>(plan.actions.size()) - 1};
  ExecuteResult r = execute(plan, w.kernel);
  ASSERT_FALSE(r.ok);
  // The undo alone leaves the route missing: this is the bug being fixed.
  ASSERT_EQ(w.kernel.live.count(res(Kind::Route, "c", "default").key()), 0u);
  restore_after_failure(w.before, {}, w.kernel, r);
  EXPECT_TRUE(r.rolled_back) << (r.rollback_errors.empty() ? "" : r.rollback_errors.front());
  EXPECT_EQ(w.kernel.observe().owned, w.before.owned);
}

TEST(ExecutorRestore, SaysSoWhenTheKernelRefusesTheRestore) {
  World w;
  Plan plan = make_plan(w.desired, w.before).plan;
  ExecuteResult r = execute(plan, w.kernel);  // completes; now break it by hand
  ASSERT_TRUE(r.ok);
  r.ok = false;
  r.rolled_back = true;
  w.kernel.live.erase(res(Kind::Route, "c", "default").key());
  w.kernel.fail_calls.clear();
  for (int i = 0; i < 50; ++i) w.kernel.fail_calls.insert(static_cast<int>(w.kernel.calls.size()) + i);
  restore_after_failure(w.before, {}, w.kernel, r);
  EXPECT_FALSE(r.rolled_back);
  ASSERT_FALSE(r.rollback_errors.empty());
  EXPECT_NE(r.rollback_errors.front().find("restore: "), std::string::npos) << r.rollback_errors.front();
}

}  // namespace topo
