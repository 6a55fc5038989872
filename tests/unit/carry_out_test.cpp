// Issue 13, point 6: a run of a plan leaves nothing half done. The new state
// is staged before the kernel is touched, so a state dir that cannot take it
// stops the run while nothing has changed (a full state dir once kept the
// namespace an apply had made); a failed run keeps the old state; a state
// that cannot be put in place at the end undoes the kernel too.
#include "reconciler/executor/carry_out.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "reconciler/planner/diff.hpp"
#include "tests/file_size_limit.hpp"
#include "tests/unit/fake_kernel.hpp"

namespace topo {
namespace {

namespace fs = std::filesystem;
using testing::res;

class CarryOutTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = (fs::temp_directory_path() / "topo-carry-XXXXXX").string();
    root_ = ::mkdtemp(tmpl.data());
    state_dir_ = (root_ / "state").string();
    State old;
    old.allocations["n/old/eth0"].ipv4 = IpAddress::parse("10.0.0.9");
    StateStore(state_dir_).save(old);
    old_text_ = slurp(state_file());
  }
  void TearDown() override { fs::remove_all(root_); }

  fs::path state_file() const { return fs::path(state_dir_) / "state.json"; }
  static std::string slurp(const fs::path& p) {
    std::ifstream in(p);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
  }
  // Everything in the state dir but the state file and the lock.
  std::vector<std::string> strays() const {
    std::vector<std::string> out;
    for (const auto& e : fs::directory_iterator(state_dir_)) {
      const std::string n = e.path().filename();
      if (n != "state.json" && n != "lock") out.push_back(n);
    }
    return out;
  }
  // A plan creating two namespaces, with an allocation to remember.
  // The plan borrows its desired resources: they live as long as the fixture.
  Plan two_namespaces(const Observed& before) {
    Plan plan = make_plan(two_, before).plan;
    plan.allocations["n/a/eth0"].ipv4 = IpAddress::parse("10.0.0.2");
    return plan;
  }

  fs::path root_;
  std::string state_dir_;
  std::string old_text_;
  const std::vector<Resource> two_{res(Kind::Namespace, "", "a"), res(Kind::Namespace, "", "b")};
};

TEST_F(CarryOutTest, AStateDirThatCannotTakeTheNewStateStopsTheRunBeforeTheKernel) {
  testing::FakeKernel kernel;
  Observed before = kernel.observe();
  Plan plan = two_namespaces(before);
  {
    // As a full disk would: the state file cannot grow past a few bytes.
    testing::FileSizeLimit limit(16);
    EXPECT_THROW(carry_out(CarryOut{plan, state_of(plan), before, {}, state_dir_, {}}, kernel), KernelError);
  }
  EXPECT_TRUE(kernel.calls.empty()) << "the kernel was touched before the state was known to fit";
  EXPECT_TRUE(kernel.live.empty());
  EXPECT_EQ(slurp(state_file()), old_text_);
  EXPECT_TRUE(strays().empty()) << "a partial temporary was left: " << strays().front();
}

TEST_F(CarryOutTest, AFailedRunKeepsTheOldStateAndLeavesNoTemporary) {
  testing::FakeKernel kernel;
  kernel.fail_calls = {1};  // the second namespace
  Observed before = kernel.observe();
  Plan plan = two_namespaces(before);
  ExecuteResult r = carry_out(CarryOut{plan, state_of(plan), before, {}, state_dir_, {}}, kernel);
  EXPECT_FALSE(r.ok);
  EXPECT_TRUE(r.rolled_back) << r.error;
  EXPECT_TRUE(kernel.live.empty());
  EXPECT_EQ(slurp(state_file()), old_text_) << "a rolled-back run must not remember its allocations";
  EXPECT_TRUE(strays().empty());
}

TEST_F(CarryOutTest, ASuccessfulRunPutsTheNewStateInPlace) {
  testing::FakeKernel kernel;
  Observed before = kernel.observe();
  Plan plan = two_namespaces(before);
  ExecuteResult r = carry_out(CarryOut{plan, state_of(plan), before, {}, state_dir_, {}}, kernel);
  ASSERT_TRUE(r.ok) << r.error;
  EXPECT_EQ(kernel.live.size(), 2u);
  State now = StateStore(state_dir_).load();
  EXPECT_EQ(now.allocations.size(), 1u);
  EXPECT_EQ(now.allocations.count("n/a/eth0"), 1u);
  EXPECT_TRUE(strays().empty());
}

// Pool subnets (issue 15): the run remembers its own stacks' choices, and
// keeps those of stacks it held apart; a network its stacks no longer have
// is forgotten.
TEST_F(CarryOutTest, PoolSubnetsOfOtherStacksStayRemembered) {
  State old;
  old.subnets["theirs"] = PoolChoice{*IpPrefix::parse("172.17.0.0/16"), "other"};
  old.subnets["gone"] = PoolChoice{*IpPrefix::parse("172.19.0.0/16"), "mine"};
  StateStore(state_dir_).save(old);
  Observed before;
  before.scope = std::set<std::string>{"mine"};
  Plan plan;
  plan.subnets["new"] = PoolChoice{*IpPrefix::parse("172.18.0.0/16"), "mine"};
  const State after = state_after(state_dir_, state_of(plan), before);
  EXPECT_EQ(after.subnets.size(), 2u);
  EXPECT_EQ(after.subnets.count("theirs"), 1u);
  EXPECT_EQ(after.subnets.count("new"), 1u);
  EXPECT_EQ(after.subnets.count("gone"), 0u);
}

// The last step (the rename of the staged state) failing after the kernel
// committed: everything is undone, as for a refused action.
TEST(ExecutorAfterCommit, AFailingLastStepUndoesEveryAction) {
  testing::FakeKernel kernel;
  const std::vector<Resource> wanted{res(Kind::Namespace, "", "a"), res(Kind::Namespace, "", "b")};
  Plan plan = make_plan(wanted, kernel.observe()).plan;
  ExecuteOptions eo;
  eo.after_commit = [] { throw KernelError("rename file", "/state/state.json", EIO, "Input/output error"); };
  ExecuteResult r = execute(plan, kernel, eo);
  EXPECT_FALSE(r.ok);
  EXPECT_TRUE(r.rolled_back);
  EXPECT_NE(r.error.find("state.json"), std::string::npos) << r.error;
  EXPECT_TRUE(kernel.live.empty()) << "the kernel kept what a failed run made";
}

}  // namespace
}  // namespace topo
