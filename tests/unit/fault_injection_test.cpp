// The fault-injection test hook (reconciler/executor/fault_injection.hpp)
// counts operations as the e2e crash and rollback tests assume.
#include "reconciler/executor/fault_injection.hpp"

#include <gtest/gtest.h>

#include "tests/unit/fake_kernel.hpp"

namespace topo {
namespace {

Resource link(const std::string& name) {
  Resource r;
  r.kind = Kind::Namespace;
  r.name = name;
  return r;
}

TEST(FaultInjection, OffByDefaultInTests) {
  // The unit tests run without TOPO_FAULT_*: nothing is wrapped.
  EXPECT_FALSE(fault_config_from_env().active());
  auto fake = std::make_unique<testing::FakeKernel>();
  Kernel* raw = fake.get();
  EXPECT_EQ(with_faults(std::move(fake), fault_config_from_env()).get(), raw);
}

TEST(FaultInjection, TheDecoratorForwardsWhatPlanningAsks) {
  auto fake = std::make_unique<testing::FakeKernel>();
  testing::FakeKernel& inner = *fake;
  FaultConfig c;
  c.fail_op = 5;
  auto k = with_faults(std::move(fake), c);
  ASSERT_NE(k.get(), &inner);
  inner.create(link("seen"));
  EXPECT_EQ(k->observe().owned.size(), 1u);
  EXPECT_EQ(k->host_resolv_conf(), inner.host_resolv_conf());
}

TEST(FaultInjection, FailsExactlyTheNthOperationAndNoOther) {
  testing::FakeKernel fake;
  FaultConfig c;
  c.fail_op = 2;
  auto k = make_fault_injecting_kernel(fake, c);
  k->create(link("a"));
  try {
    k->create(link("b"));
    FAIL() << "operation 2 should have thrown";
  } catch (const KernelError& e) {
    EXPECT_EQ(e.err(), EIO);
    EXPECT_NE(std::string(e.what()).find("injected"), std::string::npos) << e.what();
  }
  EXPECT_EQ(fake.live.count(link("b").key()), 0u) << "the failed operation must not reach the kernel";
  k->remove(link("a"));  // operation 3: runs (this is what the rollback does)
  k->commit();
  EXPECT_TRUE(fake.live.empty());
}

TEST(FaultInjection, ExitsWithStatus137AfterNOperations) {
  auto body = [] {
    testing::FakeKernel fake;
    FaultConfig c;
    c.exit_after_ops = 2;
    auto k = make_fault_injecting_kernel(fake, c);
    k->create(link("a"));
    k->create(link("b"));  // completes, then the process dies
    std::_Exit(0);         // not reached
  };
  EXPECT_EXIT(body(), ::testing::ExitedWithCode(137), "");
}

}  // namespace
}  // namespace topo
