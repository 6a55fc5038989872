// driver: p2p (issue 15): the `ip netns add` + `ip link add ... type veth
// peer ...` walkthrough as a manifest. Two containers on one veth pair, no
// bridge on the host, idempotent, repaired, and gone with destroy.
#include "tests/kernel/e2e_support.hpp"

namespace topo::e2e {
namespace {

constexpr const char* kPair = R"(version: 1
networks:
  - name: wire
    driver: p2p
    subnet: 10.61.0.0/30
containers:
  - name: red
  - name: blue
attachments:
  - container: red
    network: wire
    interface: veth-red
  - container: blue
    network: wire
    interface: veth-blue
)";

// Every link of the sandbox's host namespace but lo.
std::string host_links() {
  CmdResult r = sh("ip -br link | awk '$1 != \"lo\" {print $1}'");
  return r.out;
}

TEST_F(E2ETest, P2pContainersPingEachOtherOverOnePairWithNoBridge) {
  dir_.write("p2p.yaml", kPair);
  CmdResult a = apply();
  ASSERT_EQ(a.exit_code, 0) << a.describe();
  const std::string red = ipv4_of("red", "veth-red"), blue = ipv4_of("blue", "veth-blue");
  ASSERT_FALSE(red.empty());
  ASSERT_FALSE(blue.empty());
  EXPECT_TRUE(ping("red", blue)) << "red -> blue";
  EXPECT_TRUE(ping("blue", red)) << "blue -> red";
  EXPECT_EQ(host_links(), "") << "nothing of the pair in the host namespace";
  // Each end is the other's peer, in the other's namespace.
  CmdResult peer = run({"ip", "-n", "red", "-d", "link", "show", "veth-red"});
  EXPECT_NE(peer.out.find("veth"), std::string::npos) << peer.out;
  EXPECT_EQ(run({"ip", "-n", "red", "route", "show", "default"}).out, "") << "no default route through it";

  CmdResult again = plan({"--detailed-exitcode"});
  EXPECT_EQ(again.exit_code, 0) << "not idempotent\n" << again.describe();
}

TEST_F(E2ETest, P2pFarEndAddressRemovedByHandIsRepaired) {
  dir_.write("p2p.yaml", kPair);
  ASSERT_EQ(apply().exit_code, 0);
  const std::string blue = ipv4_of("blue", "veth-blue");
  ASSERT_EQ(run({"ip", "-n", "blue", "addr", "flush", "dev", "veth-blue"}).exit_code, 0);
  CmdResult p = plan({"--detailed-exitcode"});
  EXPECT_EQ(p.exit_code, 2) << p.describe();
  EXPECT_NE(p.out.find("+ address blue:veth-blue " + blue), std::string::npos) << p.out;
  ASSERT_EQ(apply().exit_code, 0);
  EXPECT_TRUE(ping("red", blue));
  EXPECT_EQ(plan({"--detailed-exitcode"}).exit_code, 0);
}

TEST_F(E2ETest, P2pPairDeletedByHandIsMadeAgainWithBothEndsAddresses) {
  dir_.write("p2p.yaml", kPair);
  ASSERT_EQ(apply().exit_code, 0);
  const std::string red = ipv4_of("red", "veth-red"), blue = ipv4_of("blue", "veth-blue");
  ASSERT_EQ(run({"ip", "-n", "blue", "link", "del", "veth-blue"}).exit_code, 0);  // takes veth-red along
  CmdResult a = apply();
  ASSERT_EQ(a.exit_code, 0) << a.describe();
  EXPECT_TRUE(ping("red", blue));
  EXPECT_TRUE(ping("blue", red));
  EXPECT_EQ(plan({"--detailed-exitcode"}).exit_code, 0);
}

TEST_F(E2ETest, P2pDestroyLeavesNothing) {
  dir_.write("p2p.yaml", kPair);
  ASSERT_EQ(apply().exit_code, 0);
  CmdResult d = destroy({"--auto-approve"});
  ASSERT_EQ(d.exit_code, 0) << d.describe();
  EXPECT_EQ(run({"ip", "netns", "list"}).out, "");
  EXPECT_EQ(host_links(), "");
}

}  // namespace
}  // namespace topo::e2e
