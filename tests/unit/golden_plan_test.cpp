// Golden plans, nmstate-style: each tests/golden/<case>/ holds manifest.yaml,
// optionally observed.json (what the kernel holds, as `topo show -o json`
// prints it) and plan.txt (the expected text plan). UPDATE_GOLDEN=1 rewrites
// plan.txt from the current output, for review in the diff.
#include <gtest/gtest.h>

#include <cstdlib>  // mkdtemp
#include <filesystem>

#include "reconciler/executor/executor.hpp"
#include "reconciler/output/plan_format.hpp"
#include "reconciler/pipeline/pipeline.hpp"
#include "tests/unit/fake_kernel.hpp"
#include "tests/unit/golden_file.hpp"

namespace topo {
namespace fs = std::filesystem;
using testing::FakeKernel;

namespace {

std::string empty_state_dir() {
  std::string tmpl = (fs::temp_directory_path() / "topo-golden-XXXXXX").string();
  return mkdtemp(tmpl.data());
}

FakeKernel kernel_with(const fs::path& observed) {
  FakeKernel k;
  if (fs::exists(observed))
    for (const auto& r : resources_from_json(testing::read_file_text(observed))) k.live[r.key()] = r;
  return k;
}

class GoldenPlan : public ::testing::TestWithParam<std::string> {};

}  // namespace

TEST_P(GoldenPlan, MatchesTheExpectedPlan) {
  fs::path dir = fs::path(TOPO_TEST_DATA) / "golden" / GetParam();
  FakeKernel kernel = kernel_with(dir / "observed.json");
  std::string state = empty_state_dir();
  Prepared p = prepare(PlanInputs{{(dir / "manifest.yaml").string()}, state}, kernel);
  std::string got = format_plan_text(p.diff.plan, false);
  testing::expect_matches_golden(got, dir / "plan.txt");
  fs::remove_all(state);
}

INSTANTIATE_TEST_SUITE_P(Cases, GoldenPlan, ::testing::Values("fresh", "drift"));

// Apply the fresh plan to a fake kernel; planning again finds nothing to do.
TEST(GoldenPlanIdempotence, ApplyThenPlanIsEmpty) {
  fs::path dir = fs::path(TOPO_TEST_DATA) / "golden" / "fresh";
  FakeKernel kernel;
  std::string state = empty_state_dir();
  PlanInputs in{{(dir / "manifest.yaml").string()}, state};
  auto first = prepare(in, kernel);
  ASSERT_FALSE(first.diff.plan.empty());
  ASSERT_TRUE(execute(first.diff.plan, kernel).ok);
  EXPECT_EQ(format_plan_text(prepare(in, kernel).diff.plan, false), "No changes.\n");
  fs::remove_all(state);
}

}  // namespace topo
