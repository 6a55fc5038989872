// Issue 18, done-when 1: every example in examples/ has `checks`, and `topo
// verify` passes on each after apply: the single-host ones here, the overlay
// on three simulated hosts, cluster mode with a real etcd, and macvlan and
// the trunk with a router at the far end of their parent (on the second
// kernel, which has ipvlan and 802.1q).
#include <filesystem>
#include <fstream>
#include <sstream>

#include "reconciler/kernel/sub_interface_ops.hpp"
#include "tests/kernel/cluster_mode_support.hpp"
#include "tests/kernel/e2e_support.hpp"
#include "tests/kernel/multihost_support.hpp"

namespace topo::e2e {
namespace {

// The example's files copied into `dir` (TearDown destroys what is applied from there).
void copy_example(const std::string& name, ManifestDir& dir) {
  const std::filesystem::path root = std::filesystem::path(TOPO_EXAMPLES) / name;
  ASSERT_TRUE(std::filesystem::is_directory(root)) << root << " is missing";
  bool checks = false;
  for (const auto& e : std::filesystem::directory_iterator(root)) {
    std::ifstream in(e.path());
    std::stringstream text;
    text << in.rdbuf();
    checks |= text.str().find("\nchecks:") != std::string::npos;
    dir.write(e.path().filename().string(), text.str());
  }
  ASSERT_TRUE(checks) << root << " has no checks";
}

// Every example folder is named by one of the tests below.
TEST(E2EExamplesList, EveryExampleIsVerifiedBySomeTest) {
  const std::set<std::string> covered = {"quickstart", "two-networks", "dual-stack", "firewall", "names",
                                         "ports",      "modes",        "p2p",        "pools",    "overlay",
                                         "cluster",    "macvlan",      "trunk"};
  for (const auto& e : std::filesystem::directory_iterator(TOPO_EXAMPLES))
    EXPECT_TRUE(covered.count(e.path().filename().string())) << e.path() << " is verified by no test";
}

class E2EExamples : public E2ETest, public ::testing::WithParamInterface<std::string> {};

TEST_P(E2EExamples, VerifyPassesAfterApply) {
  copy_example(GetParam(), dir_);
  if (HasFatalFailure()) return;
  CmdResult a = apply({"--auto-approve"});
  ASSERT_EQ(a.exit_code, 0) << a.describe();
  CmdResult v = topo({"verify", dir_.path()});
  EXPECT_EQ(v.exit_code, 0) << v.describe();
  EXPECT_NE(v.out.find(" passed, 0 failed"), std::string::npos) << v.describe();
  EXPECT_EQ(v.out.find(" 0 passed"), std::string::npos) << "no check ran\n" << v.out;
}

INSTANTIATE_TEST_SUITE_P(SingleHost, E2EExamples,
                         ::testing::Values("quickstart", "two-networks", "dual-stack", "firewall", "names", "ports",
                                           "modes", "p2p", "pools"),
                         [](const auto& info) {
                           std::string n = info.param;
                           for (char& c : n)
                             if (c == '-') c = '_';
                           return n;
                         });

class E2EExamplesOverlay : public MultiHostTest {};

TEST_F(E2EExamplesOverlay, VerifyPassesOnEveryHost) {
  copy_example("overlay", dir_);
  if (HasFatalFailure()) return;
  apply_everywhere();
  for (const char* h : {"a", "b", "c"}) {
    CmdResult v = cluster_->host(h).topo({"verify", dir_.path(), "--node", h});
    EXPECT_EQ(v.exit_code, 0) << h << ": " << v.describe();
    EXPECT_NE(v.out.find(" passed, 0 failed"), std::string::npos) << v.describe();
  }
}

class E2EExamplesCluster : public ClusterModeTest {};

TEST_F(E2EExamplesCluster, VerifyPassesOnEveryNode) {
  copy_example("cluster", dir_);
  if (HasFatalFailure()) return;
  // The first nodes learn of the later ones on their second apply.
  for (int round = 0; round < 2; ++round)
    for (const char* h : {"a", "b", "c"}) ASSERT_EQ(apply_on(h, {"--auto-approve"}).exit_code, 0) << h;
  for (const char* h : {"a", "b", "c"}) {
    CmdResult v = topo_on(h, "verify");
    EXPECT_EQ(v.exit_code, 0) << h << ": " << v.describe();
    EXPECT_NE(v.out.find(" passed, 0 failed"), std::string::npos) << v.describe();
  }
}

// The parents the examples name (eth0, eth1) as veths whose far ends are in
// a "LAN" namespace holding the router's addresses.
class E2EExamplesLan : public E2ETest {
 protected:
  void TearDown() override {
    E2ETest::TearDown();
    sh("ip link del eth0 2>/dev/null; ip link del eth1 2>/dev/null; ip netns del lan 2>/dev/null");
  }
  void lan(const std::string& router_setup) {
    CmdResult r = sh("set -e; ip netns add lan; ip link add eth0 type veth peer name up0 netns lan; "
                     "ip link add eth1 type veth peer name up1 netns lan; ip link set eth0 up; ip link set eth1 up; "
                     "ip -n lan link set up0 up; ip -n lan link set up1 up; " + router_setup);
    ASSERT_EQ(r.exit_code, 0) << r.describe();
  }
  bool runnable(const char* kind, const char* what) {
    if (kops::link_kind_supported(kind)) return true;
    if (std::getenv("TOPO_IN_VM")) ADD_FAILURE() << "the second-kernel VM's kernel has no " << what;
    return false;
  }
};

TEST_F(E2EExamplesLan, MacvlanVerifyPassesWithARouterOnTheLan) {
  copy_example("macvlan", dir_);
  if (HasFatalFailure()) return;
  if (!runnable("ipvlan", "ipvlan support"))
    GTEST_SKIP() << "NOT RUN HERE: examples/macvlan has an ipvlan network and this kernel has no ipvlan. It runs "
                    "on Debian's stock kernel under qemu: scripts/test-vm.sh -R E2EExamplesLan";
  lan("ip -n lan addr add 192.168.1.1/24 dev up0");
  CmdResult a = apply({"--auto-approve"});
  ASSERT_EQ(a.exit_code, 0) << a.describe();
  CmdResult v = topo({"verify", dir_.path()});
  EXPECT_EQ(v.exit_code, 0) << v.describe();
}

TEST_F(E2EExamplesLan, TrunkVerifyPassesWithARouterOnTheVlan) {
  copy_example("trunk", dir_);
  if (HasFatalFailure()) return;
  if (!runnable("vlan", "802.1q support"))
    GTEST_SKIP() << "NOT RUN HERE: examples/trunk needs 802.1q and this kernel has none. It runs on Debian's "
                    "stock kernel under qemu: scripts/test-vm.sh -R E2EExamplesLan";
  lan("ip -n lan link add link up0 name up0.50 type vlan id 50; ip -n lan link set up0.50 up; "
      "ip -n lan addr add 192.168.50.1/24 dev up0.50");
  CmdResult a = apply({"--auto-approve"});
  ASSERT_EQ(a.exit_code, 0) << a.describe();
  CmdResult v = topo({"verify", dir_.path()});
  EXPECT_EQ(v.exit_code, 0) << v.describe();
}

}  // namespace
}  // namespace topo::e2e
