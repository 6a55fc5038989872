// The read-back after a pass (issue 16): a plan that touched only some
// containers' objects reads those again, not the whole host; any other
// reads everything.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "reconciler/pipeline/reconcile_pass.hpp"
#include "tests/unit/fake_kernel.hpp"
#include "tests/unit/loader_test_util.hpp"

namespace topo {
using namespace topo::testing;

namespace {

class CountingKernel : public FakeKernel {
 public:
  int full = 0, focused = 0;
  std::set<std::string> last_focus;
  Observed observe() override {
    ++full;
    return FakeKernel::observe();
  }
  void create(const Resource& r) override {
    if (drop_routes && r.kind == Kind::Route) return;  // accepted, and not there
    FakeKernel::create(r);
  }
  bool drop_routes = false;
  Observed observe_focus(const Focus& f) override {
    ++focused;
    last_focus = f.namespaces;
    return FakeKernel::observe();  // more than the focus: the caller keeps only the focus
  }
};

constexpr const char* kTwo = R"(version: 1
networks:
  - name: n1
    subnet: 10.40.0.0/24
containers:
  - name: c1
  - name: c2
attachments:
  - container: c1
    network: n1
  - container: c2
    network: n1
)";

class ReadBack : public LoaderTest {
 protected:
  void SetUp() override {
    LoaderTest::SetUp();
    state_ = std::filesystem::temp_directory_path() / ("topo-read-back-test-" + std::to_string(::getpid()));
    std::filesystem::remove_all(state_);
  }
  void TearDown() override {
    std::filesystem::remove_all(state_);
    LoaderTest::TearDown();
  }
  std::filesystem::path state_;
};

TEST_F(ReadBack, APlanAboutOneContainerReadsThatContainerAgainNotTheHost) {
  LoadResult loaded = load_text(kTwo);
  ASSERT_TRUE(loaded.ok()) << dump(loaded);
  CountingKernel k;
  PassResult first = reconcile_pass(loaded.desired, state_.string(), k);
  ASSERT_TRUE(first.ok) << (first.errors.empty() ? "" : first.errors.front());
  EXPECT_EQ(k.full, 2) << "the first pass makes the bridge too: everything is read back";
  EXPECT_EQ(k.focused, 0);

  std::string route;
  for (const auto& [key, r] : k.live)
    if (r.kind == Kind::Route && r.ns == "c1") route = key;
  ASSERT_FALSE(route.empty());
  k.live.erase(route);
  k.full = 0;
  PassResult repair = reconcile_pass(loaded.desired, state_.string(), k);
  ASSERT_TRUE(repair.ok);
  EXPECT_EQ(repair.changes(), 1u);
  EXPECT_EQ(k.full, 1) << "only the plan's own read";
  EXPECT_EQ(k.focused, 1);
  EXPECT_EQ(k.last_focus, std::set<std::string>{"c1"});
  EXPECT_TRUE(repair.leftovers.empty());

  // The kernel accepts the route and does not keep it: the focused read-back says so.
  k.live.erase(route);
  k.drop_routes = true;
  PassResult again = reconcile_pass(loaded.desired, state_.string(), k);
  ASSERT_TRUE(again.ok);
  EXPECT_EQ(k.focused, 2);
  ASSERT_EQ(again.leftovers.size(), 1u);
  EXPECT_NE(again.leftovers.front().find("route c1:default"), std::string::npos) << again.leftovers.front();
}

}  // namespace
}  // namespace topo
