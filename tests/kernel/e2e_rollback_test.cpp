// Done-when 7: a kernel refusal in the middle of an apply leaves the kernel as
// it was before, and says it rolled back.
//
// The refusals used pass manifest validation but not the kernel:
// - a multicast MAC on a veth: EADDRNOTAVAIL on creation (the kernel wants a
//   unicast address on an Ethernet device);
// - a bridge named "all": EINVAL (it would clash with /proc/sys/net/*/conf/all).
// Both come after other actions (namespaces, a bridge) have succeeded.
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

// A second network and two containers; the last attachment's MAC is multicast.
constexpr const char* kBadMac = R"(version: 1
networks:
  - name: rbnew
    subnet: 10.62.0.0/24
containers:
  - name: rbn1
  - name: rbn2
attachments:
  - container: rbn1
    network: rbnew
  - container: rbn2
    network: rbnew
    mac: "01:00:5e:00:00:42"
)";

TEST_F(E2ETest, MulticastMacRefusedOnFreshHostRollsBack) {
  dir_.write("bad.yaml", kBadMac);
  std::string before = kernel_snapshot();
  CmdResult v = topo({"validate", dir_.path()});
  ASSERT_EQ(v.exit_code, 0) << "this test needs a manifest the loader accepts and the kernel refuses\n"
                            << v.describe();
  CmdResult a = apply();
  expect_refused_and_rolled_back(a, before);
  EXPECT_NE(a.all().find("rbn2"), std::string::npos) << "the message must name the object\n" << a.describe();
}

TEST_F(E2ETest, MulticastMacRefusedNextToManagedObjectsRollsBackToThem) {
  dir_.write("good.yaml", kGood);
  CmdResult good = apply();
  ASSERT_EQ(good.exit_code, 0) << good.describe();
  std::string before = kernel_snapshot();

  dir_.write("bad.yaml", kBadMac);
  CmdResult a = apply();
  expect_refused_and_rolled_back(a, before);
  EXPECT_TRUE(ping("rbg1", "10.61.0.1")) << "the managed container lost its network";

  dir_.remove("bad.yaml");
  CmdResult p = plan({"--detailed-exitcode"});
  EXPECT_EQ(p.exit_code, 0) << "state and kernel disagree after the rollback\n" << p.describe();
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
  std::string before = kernel_snapshot();
  CmdResult v = topo({"validate", dir_.path()});
  ASSERT_EQ(v.exit_code, 0) << v.describe();
  CmdResult a = apply();
  expect_refused_and_rolled_back(a, before);
}

}  // namespace
}  // namespace topo::e2e
