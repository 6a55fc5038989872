// Done-when 7: a kernel refusal in the middle of an apply leaves the kernel as
// it was before, and says it rolled back.
//
// Each refusal passes manifest validation but not the kernel (6.1 here):
// - a bridge named "all" or "default": EINVAL (the names of the
//   /proc/sys/net/*/conf/{all,default} entries);
// - an all-zero MAC on a veth: EADDRNOTAVAIL (not a valid unicast address).
// Each comes after other actions (namespaces, a bridge) have succeeded. If the
// loader learns to reject one, the test says so: pick another refusal.
#include <algorithm>

#include "tests/kernel/e2e_support.hpp"

namespace topo::e2e {
namespace {

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), ::tolower);
  return s;
}

void expect_refused_and_rolled_back(const CmdResult& a, const std::string& before) {
  EXPECT_EQ(a.exit_code, 1) << a.describe();
  EXPECT_NE(lower(a.all()).find("roll"), std::string::npos) << "the message must say it rolled back\n"
                                                            << a.describe();
  EXPECT_EQ(kernel_snapshot(), before) << "the failed apply left the kernel changed\n" << a.describe();
}

constexpr const char* kGood = R"(version: 1
networks:
  - name: rbgood
    subnet: 10.61.0.0/24
containers:
  - name: rbg1
attachments:
  - container: rbg1
    network: rbgood
)";

// The same, with a new MTU: an update in place that runs (bridge "br-rbgood"
// sorts before "default") before the refused create, so it must be undone too.
constexpr const char* kGoodNewMtu = R"(version: 1
networks:
  - name: rbgood
    subnet: 10.61.0.0/24
    mtu: 1400
containers:
  - name: rbg1
attachments:
  - container: rbg1
    network: rbgood
)";

// A new network whose bridge name the kernel refuses, with a container on it.
constexpr const char* kBadBridge = R"(version: 1
networks:
  - name: rbnew
    subnet: 10.62.0.0/24
    bridge: default
containers:
  - name: rbn1
attachments:
  - container: rbn1
    network: rbnew
)";

void expect_loader_accepts(const std::string& dir) {
  CmdResult v = topo({"validate", dir});
  ASSERT_EQ(v.exit_code, 0) << "this test needs a manifest the loader accepts and the kernel refuses\n"
                            << v.describe();
}

TEST_F(E2ETest, BridgeNameRefusedByKernelRollsBack) {
  dir_.write("all.yaml", R"(version: 1
networks:
  - name: rbfirst
    subnet: 10.63.0.0/24
  - name: rbsecond
    subnet: 10.64.0.0/24
    bridge: all
containers:
  - name: rba1
attachments:
  - container: rba1
    network: rbfirst
)");
  expect_loader_accepts(dir_.path());
  if (HasFatalFailure()) return;
  std::string before = kernel_snapshot();
  CmdResult a = apply();
  expect_refused_and_rolled_back(a, before);
  EXPECT_NE(a.all().find("all"), std::string::npos) << "the message must name the object\n" << a.describe();
}

TEST_F(E2ETest, RefusalNextToManagedObjectsRollsBackToThem) {
  dir_.write("good.yaml", kGood);
  CmdResult good = apply();
  ASSERT_EQ(good.exit_code, 0) << good.describe();
  std::string before = kernel_snapshot();

  dir_.write("good.yaml", kGoodNewMtu);
  dir_.write("bad.yaml", kBadBridge);
  expect_loader_accepts(dir_.path());
  if (HasFatalFailure()) return;
  CmdResult a = apply();
  expect_refused_and_rolled_back(a, before);
  EXPECT_EQ(link_json("", "br-rbgood").value("mtu", 0), 1500) << "the MTU update was not undone";
  EXPECT_TRUE(ping("rbg1", "10.61.0.1")) << "the managed container lost its network";

  dir_.remove("bad.yaml");
  dir_.write("good.yaml", kGood);
  CmdResult p = plan({"--detailed-exitcode"});
  EXPECT_EQ(p.exit_code, 0) << "state and kernel disagree after the rollback\n" << p.describe();
}

// A container interface the kernel refuses (it was a zero MAC, which the
// loader now refuses itself, issue 12): the veth create fails mid-apply.
TEST_F(E2ETest, VethRefusedByKernelRollsBack) {
  dir_.write("mac.yaml", R"(version: 1
networks:
  - name: rbmac
    subnet: 10.65.0.0/24
containers:
  - name: rbm1
  - name: rbm2
attachments:
  - container: rbm1
    network: rbmac
  - container: rbm2
    network: rbmac
    interface: default
)");
  expect_loader_accepts(dir_.path());
  if (HasFatalFailure()) return;
  std::string before = kernel_snapshot();
  CmdResult a = apply();
  expect_refused_and_rolled_back(a, before);
  EXPECT_NE(a.all().find("rbm2"), std::string::npos) << "the message must name the object\n" << a.describe();
}

TEST_F(E2ETest, ZeroMacIsRefusedByValidateAndApplyChangesNothing) {
  dir_.write("mac.yaml", R"(version: 1
networks:
  - {name: rbmac, subnet: 10.65.0.0/24}
containers:
  - name: rbm2
attachments:
  - {container: rbm2, network: rbmac, mac: "00:00:00:00:00:00"}
)");
  CmdResult v = topo({"validate", dir_.path()});
  EXPECT_EQ(v.exit_code, 1) << v.describe();
  EXPECT_NE(v.all().find("mac.yaml:7:44: "), std::string::npos) << v.describe();
  const std::string before = kernel_snapshot();
  CmdResult a = apply();
  EXPECT_EQ(a.exit_code, 1) << a.describe();
  EXPECT_EQ(kernel_snapshot(), before);
  dir_.write("mac.yaml", "version: 1\n");  // so TearDown's destroy has a manifest
}

}  // namespace
}  // namespace topo::e2e
