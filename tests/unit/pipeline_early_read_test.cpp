// pipeline.hpp EarlyRead: plan and apply read the kernel on another thread
// while the manifests load. What the user sees must not change: a manifest
// error wins over a kernel failure, a kernel failure of a good manifest is
// still that failure, and the plan is the one a read in prepare() gives.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "reconciler/pipeline/pipeline.hpp"
#include "tests/unit/fake_kernel.hpp"
#include "tests/unit/loader_test_util.hpp"

namespace topo::testing {
namespace {

using PipelineEarlyRead = LoaderTest;

// Counts reads and the thread they ran on; fails them when asked.
class CountingKernel : public FakeKernel {
 public:
  std::atomic<int> reads{0};
  std::atomic<bool> fail{false};
  std::thread::id reader;
  Observed observe() override {
    ++reads;
    reader = std::this_thread::get_id();
    if (fail) throw KernelError("dump links", "host namespace", EPERM, "Operation not permitted");
    return FakeKernel::observe();
  }
};

const char* kManifest = "networks:\n  - name: web\n    subnet: 10.9.0.0/24\ncontainers:\n  - name: a\n"
                        "attachments:\n  - container: a\n    network: web\n";

PlanInputs inputs_for(const std::string& file, const std::string& state_dir) {
  PlanInputs in;
  in.paths = {file};
  in.state_dir = state_dir;
  return in;
}

TEST_F(PipelineEarlyRead, TheKernelIsReadOnceOnAnotherThreadAndThePlanIsTheSame) {
  const std::string file = write("m.yaml", kManifest);
  CountingKernel early;
  const Prepared p = prepare(inputs_for(file, path("state1")), early);
  EXPECT_EQ(early.reads, 1);
  EXPECT_NE(early.reader, std::this_thread::get_id());

  CountingKernel inline_read;
  const Prepared q = prepare(load_for_node({file}, ""), path("state2"), inline_read);
  EXPECT_EQ(inline_read.reads, 1);
  ASSERT_EQ(p.diff.plan.actions.size(), q.diff.plan.actions.size());
  for (std::size_t i = 0; i < p.diff.plan.actions.size(); ++i)
    EXPECT_EQ(p.diff.plan.actions[i].subject().key(), q.diff.plan.actions[i].subject().key()) << i;
  EXPECT_FALSE(p.diff.plan.actions.empty());
}

TEST_F(PipelineEarlyRead, AManifestErrorWinsOverAKernelFailure) {
  const std::string file = write("m.yaml", "networks:\n  - name: web\n    mtu: lots\n");
  CountingKernel kernel;
  kernel.fail = true;
  try {
    prepare(inputs_for(file, path("state")), kernel);
    FAIL() << "an invalid manifest was planned";
  } catch (const UserError& e) {
    ASSERT_FALSE(e.lines.empty());
    EXPECT_NE(e.lines[0].find("mtu"), std::string::npos) << e.lines[0];
  }
  EXPECT_EQ(kernel.reads, 1) << "the read ran (and was waited for) though its result was not needed";
}

TEST_F(PipelineEarlyRead, AKernelFailureOfAGoodManifestIsThatFailure) {
  const std::string file = write("m.yaml", kManifest);
  CountingKernel kernel;
  kernel.fail = true;
  EXPECT_THROW(prepare(inputs_for(file, path("state")), kernel), KernelError);
}

}  // namespace
}  // namespace topo::testing
