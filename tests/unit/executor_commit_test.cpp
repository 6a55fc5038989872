// The executor's commit hook: state written as a whole (topo's nftables
// tables) is committed once after the last action; a failed commit rolls back
// every action, and a rollback ends with a commit of the undone state.
#include <gtest/gtest.h>

#include "reconciler/executor/executor.hpp"
#include "reconciler/planner/diff.hpp"
#include "tests/unit/fake_kernel.hpp"
#include "tests/unit/owned_plan.hpp"

namespace topo {
namespace {

// Firewall resources collect in `pending`; commit() publishes them to `live`.
class TransactionalKernel : public testing::FakeKernel {
 public:
  std::map<std::string, Resource> pending;
  int commits = 0;
  bool fail_commit = false;

  Observed observe() override {
    Observed o = FakeKernel::observe();
    for (const auto& [k, r] : committed) o.owned.push_back(r);
    pending = committed;
    return o;
  }
  void create(const Resource& r) override {
    if (r.kind != Kind::Firewall) return FakeKernel::create(r);
    calls.push_back("stage " + r.key());
    pending[r.key()] = r;
  }
  void update(const Resource& f, const Resource& t) override {
    if (t.kind != Kind::Firewall) return FakeKernel::update(f, t);
    pending[t.key()] = t;
  }
  void remove(const Resource& r) override {
    if (r.kind != Kind::Firewall) return FakeKernel::remove(r);
    pending.erase(r.key());
  }
  void commit() override {
    if (pending == committed) return;
    ++commits;
    if (fail_commit) throw KernelError("commit", "nftables transaction", EPERM, "Operation not permitted");
    committed = pending;
  }
  std::map<std::string, Resource> committed;
};

Resource res(Kind k, const std::string& name) {
  Resource r;
  r.kind = k;
  r.name = name;
  r.attrs = {{"x", "1"}};
  return r;
}

std::vector<Resource> desired() {
  return {res(Kind::Namespace, "c1"), res(Kind::Firewall, "table inet topo"), res(Kind::Firewall, "masquerade n")};
}

TEST(ExecutorCommit, CommitsOnceAfterTheLastAction) {
  TransactionalKernel k;
  auto plan = testing::make_owned_plan(desired(), k.observe()).plan;
  auto r = execute(plan, k);
  ASSERT_TRUE(r.ok) << r.error;
  EXPECT_EQ(k.commits, 1);
  EXPECT_EQ(k.committed.size(), 2u);
  EXPECT_TRUE(testing::make_owned_plan(desired(), k.observe()).plan.empty());
}

TEST(ExecutorCommit, AFailedCommitRollsBackEveryAction) {
  TransactionalKernel k;
  auto plan = testing::make_owned_plan(desired(), k.observe()).plan;
  k.fail_commit = true;
  auto r = execute(plan, k);
  EXPECT_FALSE(r.ok);
  EXPECT_TRUE(r.rolled_back) << ::testing::PrintToString(r.rollback_errors);
  EXPECT_NE(r.error.find("commit"), std::string::npos) << r.error;
  EXPECT_TRUE(k.live.empty()) << "the namespace must be removed again";
  EXPECT_TRUE(k.committed.empty());
  EXPECT_TRUE(k.pending.empty()) << "the staged firewall must be undone";
}

TEST(ExecutorCommit, AFailedActionLeavesTheCommittedStateAlone) {
  TransactionalKernel k;
  k.committed["firewall /old"] = res(Kind::Firewall, "old");
  auto plan = testing::make_owned_plan(desired(), k.observe()).plan;
  // The namespace create is the first mutating call of the fake kernel.
  k.fail_calls = {0};
  auto r = execute(plan, k);
  EXPECT_FALSE(r.ok);
  EXPECT_TRUE(r.rolled_back);
  EXPECT_EQ(k.commits, 0) << "nothing to write: the undone state is what the kernel holds";
  EXPECT_EQ(k.committed.size(), 1u);
}

}  // namespace
}  // namespace topo
