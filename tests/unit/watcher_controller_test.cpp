// The controller's pass against the fake kernel: the last good manifests stay
// in force, drift repairs are told from manifest changes, errors keep their
// file:line, and the status and metrics files are written.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "reconciler/watcher/controller.hpp"
#include "reconciler/watcher/status.hpp"
#include "tests/prom_check.hpp"
#include "tests/unit/fake_kernel.hpp"

namespace topo::watcher {
namespace {

namespace fs = std::filesystem;

// Forwards to one FakeKernel, so that every pass (which opens a kernel of its
// own, as the product does) sees the same in-memory state.
class Proxy : public Kernel {
 public:
  Proxy(topo::testing::FakeKernel& k, int& opened) : k_(k) { ++opened; }
  Observed observe() override { return k_.observe(); }
  void create(const Resource& r) override { k_.create(r); }
  void update(const Resource& a, const Resource& b) override { k_.update(a, b); }
  void remove(const Resource& r) override { k_.remove(r); }

 private:
  topo::testing::FakeKernel& k_;
};

constexpr const char* kOne = R"(version: 1
networks:
  - name: n1
    subnet: 10.40.0.0/24
containers:
  - name: c1
attachments:
  - container: c1
    network: n1
)";

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

class ControllerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::temp_directory_path() / ("topo-controller-test-" + std::to_string(::getpid()) + "-" +
                                         ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(root_);
    fs::create_directories(root_ / "manifests" / "sub");
    fs::permissions(root_ / "manifests", fs::perms(0755));
    fs::permissions(root_ / "manifests" / "sub", fs::perms(0755));
    config_.path = (root_ / "manifests").string();
    config_.state_dir = (root_ / "state").string();
    config_.metrics_file = (root_ / "topo.prom").string();
    // /tmp is world-writable: the trust rule's walk up to / stops at the test's root.
    fs::permissions(root_, fs::perms(0755));
    config_.trust_ancestors_up_to = root_.string();
  }
  void TearDown() override { fs::remove_all(root_); }

  void write(const std::string& name, const std::string& body, unsigned mode = 0644) {
    fs::path p = root_ / "manifests" / name;
    std::ofstream(p) << body;
    ::chmod(p.c_str(), mode);
  }
  Controller make() {
    return Controller(config_, [this] { return std::make_unique<Proxy>(kernel_, opened_); });
  }
  std::string read(const fs::path& p) {
    std::ifstream in(p);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
  }
  static std::string joined(const std::vector<std::string>& lines) {
    std::string s;
    for (const auto& l : lines) s += l + "\n";
    return s;
  }

  fs::path root_;
  ControllerConfig config_;
  topo::testing::FakeKernel kernel_;
  int opened_ = 0;
};

TEST_F(ControllerTest, ConvergesThenFindsNothingToDo) {
  write("sub/one.yaml", kOne);
  Controller c = make();
  const WatchStatus& s1 = c.run_pass();
  ASSERT_TRUE(s1.last_pass_ok) << joined(s1.error);
  EXPECT_GT(s1.last_changes, 0u);
  EXPECT_EQ(s1.last_drift_repaired, 0u);
  EXPECT_FALSE(kernel_.live.empty());
  EXPECT_EQ(c.managed_namespaces(), std::vector<std::string>{"c1"});

  const WatchStatus& s2 = c.run_pass();
  EXPECT_TRUE(s2.last_pass_ok);
  EXPECT_EQ(s2.last_changes, 0u);
  EXPECT_EQ(s2.passes, 2u);

  WatchStatus onfile = status_from_json(read(status_path(config_.state_dir)));
  EXPECT_EQ(onfile.passes, 2u);
  EXPECT_TRUE(onfile.last_pass_ok);
  auto prom = topo::testing::parse_prometheus_text(read(config_.metrics_file));
  EXPECT_TRUE(prom.errors.empty()) << joined(prom.errors);
  EXPECT_EQ(prom.samples["topo_watch_passes_total"], 2);
}

TEST_F(ControllerTest, DriftRepairsAreCountedApartFromManifestChanges) {
  write("one.yaml", kOne);
  Controller c = make();
  ASSERT_TRUE(c.run_pass().last_pass_ok);
  // Someone deletes the container's route by hand.
  std::string route;
  for (const auto& [key, r] : kernel_.live)
    if (r.kind == Kind::Route) route = key;
  ASSERT_FALSE(route.empty());
  kernel_.live.erase(route);
  const WatchStatus& s = c.run_pass();
  EXPECT_TRUE(s.last_pass_ok);
  EXPECT_EQ(s.last_changes, 1u);
  EXPECT_EQ(s.last_drift_repaired, 1u);

  // A manifest change is a change, not a repair.
  write("one.yaml", kTwo);
  const WatchStatus& s2 = c.run_pass();
  EXPECT_TRUE(s2.last_pass_ok) << joined(s2.error);
  EXPECT_GT(s2.last_changes, 0u);
  EXPECT_EQ(s2.last_drift_repaired, 0u);
  EXPECT_EQ(s2.drift_repairs, 1u);
}

TEST_F(ControllerTest, BrokenManifestKeepsTheLastGoodInForceUntilFixed) {
  write("one.yaml", kOne);
  Controller c = make();
  ASSERT_TRUE(c.run_pass().last_pass_ok);
  auto healthy = kernel_.live;

  write("one.yaml", std::string(kTwo) + "    ipv4: not-an-address\n");
  const WatchStatus& bad = c.run_pass();
  EXPECT_FALSE(bad.last_pass_ok);
  EXPECT_TRUE(bad.manifest_error);
  std::string err = joined(bad.error);
  EXPECT_NE(err.find("one.yaml:13:"), std::string::npos) << "no file:line in\n" << err;
  EXPECT_NE(err.find("last good ones stay in force"), std::string::npos) << err;
  EXPECT_EQ(kernel_.live.size(), healthy.size()) << "the broken manifest changed the kernel";

  // Drift is still repaired from the last good manifests meanwhile.
  std::string route;
  for (const auto& [key, r] : kernel_.live)
    if (r.kind == Kind::Route) route = key;
  kernel_.live.erase(route);
  const WatchStatus& still = c.run_pass();
  EXPECT_FALSE(still.last_pass_ok);
  EXPECT_EQ(still.last_drift_repaired, 1u);
  EXPECT_EQ(kernel_.live.size(), healthy.size());

  WatchStatus onfile = status_from_json(read(status_path(config_.state_dir)));
  EXPECT_NE(joined(onfile.error).find("one.yaml:13:"), std::string::npos);

  write("one.yaml", kTwo);
  const WatchStatus& fixed = c.run_pass();
  EXPECT_TRUE(fixed.last_pass_ok) << joined(fixed.error);
  EXPECT_TRUE(fixed.error.empty());
  EXPECT_FALSE(fixed.manifest_error);
  EXPECT_GT(kernel_.live.size(), healthy.size());
  EXPECT_EQ(fixed.failures, 2u);
}

// A file caught truncated (editors, `cat >`) declares nothing: never taken as
// "remove everything"; the last good set stays in force (issue 12).
TEST_F(ControllerTest, ATruncatedManifestKeepsTheLastGoodInForce) {
  write("one.yaml", kOne);
  Controller c = make();
  ASSERT_TRUE(c.run_pass().last_pass_ok);
  auto healthy = kernel_.live;
  write("one.yaml", "");
  const WatchStatus& bad = c.run_pass();
  EXPECT_FALSE(bad.last_pass_ok);
  EXPECT_TRUE(bad.manifest_error);
  EXPECT_NE(joined(bad.error).find("the manifests declare nothing"), std::string::npos) << joined(bad.error);
  EXPECT_EQ(kernel_.live.size(), healthy.size()) << "the empty manifest changed the kernel";
  EXPECT_EQ(c.managed_namespaces(), std::vector<std::string>{"c1"});
}

TEST_F(ControllerTest, NothingIsAppliedBeforeTheManifestsEverLoad) {
  write("one.yaml", "version: 1\nnetworks: 7\n");
  Controller c = make();
  const WatchStatus& s = c.run_pass();
  EXPECT_FALSE(s.last_pass_ok);
  EXPECT_NE(joined(s.error).find("nothing is applied until they load"), std::string::npos) << joined(s.error);
  EXPECT_EQ(opened_, 0) << "the kernel was opened without a model";
  EXPECT_TRUE(fs::exists(status_path(config_.state_dir))) << "the status must be readable even then";
}

TEST_F(ControllerTest, ManifestsWritableByOthersAreRefusedUnlessAllowed) {
  write("one.yaml", kOne, 0666);
  Controller c = make();
  const WatchStatus& s = c.run_pass();
  EXPECT_FALSE(s.last_pass_ok);
  std::string err = joined(s.error);
  EXPECT_NE(err.find("one.yaml: writable by group or others (mode 0666)"), std::string::npos) << err;
  EXPECT_TRUE(kernel_.live.empty());

  fs::permissions(root_ / "manifests" / "one.yaml", fs::perms(0644));
  fs::permissions(root_ / "manifests" / "sub", fs::perms(0775));
  EXPECT_NE(joined(c.run_pass().error).find("sub: writable by group"), std::string::npos);

  config_.allow_writable = true;
  Controller lenient = make();
  EXPECT_TRUE(lenient.run_pass().last_pass_ok);
}

TEST_F(ControllerTest, KernelRefusalIsAFailedPassThatRollsBack) {
  write("one.yaml", kOne);
  kernel_.fail_calls = {1};
  Controller c = make();
  const WatchStatus& s = c.run_pass();
  EXPECT_FALSE(s.last_pass_ok);
  EXPECT_FALSE(s.manifest_error);
  EXPECT_NE(joined(s.error).find("Rolled back"), std::string::npos) << joined(s.error);
  EXPECT_TRUE(kernel_.live.empty());
  EXPECT_EQ(s.last_changes, 0u);
}

// Focused passes (issue 16): a kernel event names containers, and only
// their objects are read and repaired, against what the last full pass
// rendered.
std::string key_of(const topo::testing::FakeKernel& k, Kind kind, const std::string& ns, const std::string& name) {
  for (const auto& [key, r] : k.live)
    if (r.kind == kind && r.ns == ns && r.name == name) return key;
  return "";
}

TEST_F(ControllerTest, AFocusedPassRepairsOnlyTheContainersItIsAbout) {
  write("two.yaml", kTwo);
  Controller c = make();
  EXPECT_FALSE(c.can_focus()) << "no model has been converged yet";
  ASSERT_TRUE(c.run_pass().last_pass_ok);
  ASSERT_TRUE(c.can_focus());
  const auto healthy = kernel_.live;
  const std::string r1 = key_of(kernel_, Kind::Route, "c1", "default");
  const std::string r2 = key_of(kernel_, Kind::Route, "c2", "default");
  const std::string gw = key_of(kernel_, Kind::Address, "", "br-n1/10.40.0.1/24");
  ASSERT_FALSE(r1.empty());
  ASSERT_FALSE(r2.empty());
  ASSERT_FALSE(gw.empty());
  kernel_.live.erase(r1);
  kernel_.live.erase(r2);
  kernel_.live.erase(gw);

  const WatchStatus& s = c.run_focused_pass({"c1"});
  ASSERT_TRUE(s.last_pass_ok) << joined(s.error);
  EXPECT_FALSE(s.last_pass_full);
  EXPECT_EQ(s.last_focus_containers, 1u);
  EXPECT_EQ(s.last_changes, 1u);
  EXPECT_EQ(s.last_drift_repaired, 1u);
  EXPECT_TRUE(kernel_.live.count(r1)) << "c1's route was not repaired";
  EXPECT_FALSE(kernel_.live.count(r2)) << "a pass about c1 touched c2";
  EXPECT_FALSE(kernel_.live.count(gw)) << "a pass about c1 touched the bridge all containers share";

  // The full pass (a resync) repairs the rest.
  const WatchStatus& full = c.run_pass();
  EXPECT_TRUE(full.last_pass_full);
  EXPECT_EQ(full.last_changes, 2u);
  EXPECT_EQ(kernel_.live, healthy);
  EXPECT_EQ(full.full_passes, 2u);
  EXPECT_EQ(full.passes, 3u);
}

TEST_F(ControllerTest, AFocusedPassOnAContainerTheModelDoesNotHaveChangesNothing) {
  write("one.yaml", kOne);
  Controller c = make();
  ASSERT_TRUE(c.run_pass().last_pass_ok);
  const auto healthy = kernel_.live;
  const WatchStatus& s = c.run_focused_pass({"stranger"});
  EXPECT_TRUE(s.last_pass_ok) << joined(s.error);
  EXPECT_EQ(s.last_changes, 0u);
  EXPECT_EQ(kernel_.live, healthy);
}

TEST_F(ControllerTest, NoFocusWhileTheManifestsFailOrAfterAFailedPass) {
  write("one.yaml", kOne);
  Controller c = make();
  ASSERT_TRUE(c.run_pass().last_pass_ok);
  ASSERT_TRUE(c.can_focus());
  write("one.yaml", std::string(kTwo) + "    ipv4: not-an-address\n");
  EXPECT_FALSE(c.run_pass().last_pass_ok);
  EXPECT_FALSE(c.can_focus()) << "a focused pass would skip the manifests' error";
  // Asked anyway, it reads everything.
  EXPECT_TRUE(c.run_focused_pass({"c1"}).last_pass_full);

  write("one.yaml", kOne);
  ASSERT_TRUE(c.run_pass().last_pass_ok);
  ASSERT_TRUE(c.can_focus());
  // The kernel refuses the repair: the next pass is a full one.
  kernel_.live.erase(key_of(kernel_, Kind::Route, "c1", "default"));
  kernel_.fail_calls.insert(static_cast<int>(kernel_.calls.size()));
  EXPECT_FALSE(c.run_focused_pass({"c1"}).last_pass_ok);
  EXPECT_FALSE(c.can_focus());
}

TEST_F(ControllerTest, TheChecksOfTheModelInForceArePlannedAndAChangeToThemIsTold) {
  config_.verify_interval = Millis{60'000};
  write("two.yaml", std::string(kTwo) + "checks:\n  - {from: c1, to: c2}\n");
  Controller c = make();
  EXPECT_FALSE(c.checks_ready());
  ASSERT_TRUE(c.run_pass().last_pass_ok);
  ASSERT_TRUE(c.checks_ready());
  ASSERT_EQ(c.checks().size(), 1u);
  EXPECT_EQ(c.checks()[0].from, "c1");
  // Laid out with the pass's allocations: c2's address on n1.
  EXPECT_EQ(c.checks()[0].probe.address.rfind("10.40.0.", 0), 0u) << c.checks()[0].probe.address;
  EXPECT_TRUE(c.checks_changed()) << "the first checks in force are news";

  EXPECT_EQ(c.run_pass().last_changes, 0u);
  EXPECT_FALSE(c.checks_changed());

  // Only the checks change: nothing for the kernel, and still a run is asked for.
  write("two.yaml", std::string(kTwo) + "checks:\n  - {from: c1, to: c2, expect: unreachable}\n");
  EXPECT_EQ(c.run_pass().last_changes, 0u);
  EXPECT_TRUE(c.checks_changed());
  EXPECT_FALSE(c.checks()[0].expect_reachable);

  // The run's results go into the status file and the metrics.
  verify::CheckOutcome o;
  o.check = c.checks()[0];
  o.result.detail = "echo reply";
  o.passed = false;
  c.record_checks({o}, 0.25);
  WatchStatus onfile = status_from_json(read(status_path(config_.state_dir)));
  EXPECT_TRUE(onfile.checks.enabled);
  EXPECT_EQ(onfile.checks.failed, 1u);
  EXPECT_GT(onfile.checks.last_run_unix_ms, 0);
  auto prom = topo::testing::parse_prometheus_text(read(config_.metrics_file));
  EXPECT_TRUE(prom.errors.empty()) << joined(prom.errors);
  EXPECT_EQ(prom.samples["topo_checks_failed"], 1);
  EXPECT_EQ(prom.samples["topo_check_passed"], 0);
}

TEST_F(ControllerTest, WithoutAVerifyIntervalNoChecksArePlanned) {
  write("two.yaml", std::string(kTwo) + "checks:\n  - {from: c1, to: c2}\n");
  Controller c = make();
  ASSERT_TRUE(c.run_pass().last_pass_ok);
  EXPECT_FALSE(c.checks_ready());
  EXPECT_TRUE(c.checks().empty());
  EXPECT_FALSE(status_from_json(read(status_path(config_.state_dir))).checks.enabled);
  EXPECT_EQ(read(config_.metrics_file).find("topo_check"), std::string::npos);
}

}  // namespace
}  // namespace topo::watcher
