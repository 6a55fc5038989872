// Issue 13 point 5: another firewall whose forward chain drops by default
// (iptables -P FORWARD DROP as Docker sets it, a firewalld-style inet table
// that ends in reject, legacy iptables) silently broke topo. plan, apply and
// status must warn, with the rules that fix it, and those rules must work.
#include <signal.h>

#include "tests/kernel/e2e_support.hpp"
#include "tests/kernel/watch_process.hpp"

namespace topo::e2e {
namespace {

const char* kManifest = R"(version: 1
stack: coexist
networks:
  - name: lan
    subnet: 172.30.7.0/24
containers:
  - name: c1
attachments:
  - {container: c1, network: lan, ipv4: 172.30.7.10}
)";

const char* kOutside = "10.98.0.2";

// The commands the warning says to run ("...; run: CMD; CMD").
std::string fix_from(const std::string& warning) {
  auto at = warning.find("run: ");
  return at == std::string::npos ? "" : warning.substr(at + 5);
}

class E2EFirewallCoexistence : public E2ETest {
 protected:
  void SetUp() override {
    E2ETest::SetUp();
    if (HasFatalFailure()) return;
    dir_.write("topology.yaml", kManifest);
    // A machine outside the host, reached only through masquerade.
    CmdResult r = add_outside_machine("outside7", "up7", "10.98.0.1", kOutside);
    ASSERT_EQ(r.exit_code, 0) << r.describe();
  }
  void TearDown() override {
    E2ETest::TearDown();
    remove_outside_machine("outside7", "up7");
    // The sandbox's namespace goes away with the test process; tests run by
    // hand in one sandbox must not see each other's firewalls.
    sh("nft delete table ip filter 2>/dev/null; nft delete table inet firewalld 2>/dev/null;"
       "iptables-legacy -P FORWARD ACCEPT 2>/dev/null; iptables-legacy -F FORWARD 2>/dev/null");
  }

  // plan warns in text (stderr) and in JSON; apply warns too; the container
  // cannot get out; the warning's own fix lets it out and the warning goes.
  void expect_warned_and_fixed(const std::string& expected_start) {
    CmdResult p = plan();
    ASSERT_EQ(p.exit_code, 0) << p.describe();
    ASSERT_NE(p.err.find("Warning: " + expected_start), std::string::npos) << p.describe();
    EXPECT_NE(p.err.find("br-lan"), std::string::npos) << p.describe();

    CmdResult pj = plan({"-o", "json"});
    ASSERT_EQ(pj.exit_code, 0) << pj.describe();
    auto j = nlohmann::json::parse(pj.out);
    ASSERT_EQ(j["warnings"].size(), 1u) << pj.out;
    const std::string warning = j["warnings"][0].get<std::string>();
    EXPECT_EQ(warning.rfind(expected_start, 0), 0u) << warning;

    CmdResult a = apply();
    ASSERT_EQ(a.exit_code, 0) << a.describe();
    EXPECT_NE(a.err.find("Warning: " + expected_start), std::string::npos) << a.describe();
    EXPECT_TRUE(no_reply("c1", kOutside)) << "the other firewall should drop the container's traffic";

    const std::string fix = fix_from(warning);
    ASSERT_FALSE(fix.empty()) << warning;
    CmdResult f = sh(fix);
    ASSERT_EQ(f.exit_code, 0) << f.describe();
    EXPECT_TRUE(ping("c1", kOutside)) << "the warning's fix did not let the container out: " << fix;
    CmdResult again = plan({"-o", "json"});
    ASSERT_EQ(again.exit_code, 0) << again.describe();
    EXPECT_TRUE(nlohmann::json::parse(again.out)["warnings"].empty()) << again.out;
  }
};

TEST_F(E2EFirewallCoexistence, NothingIsWarnedWithoutAnotherFirewall) {
  CmdResult a = apply({"-o", "json"});
  ASSERT_EQ(a.exit_code, 0) << a.describe();
  EXPECT_EQ(a.err.find("Warning"), std::string::npos) << a.describe();
  EXPECT_TRUE(ping("c1", kOutside));
}

TEST_F(E2EFirewallCoexistence, IptablesForwardDropIsWarnedWithTheRulesThatFixIt) {
  CmdResult r = sh("iptables -P FORWARD DROP");
  ASSERT_EQ(r.exit_code, 0) << r.describe();
  expect_warned_and_fixed("nftables table ip filter, chain FORWARD (hook forward) has policy drop");
}

TEST_F(E2EFirewallCoexistence, AFirewalldStyleChainEndingInRejectIsWarned) {
  CmdResult r = sh("nft add table inet firewalld && nft add chain inet firewalld filter_FORWARD "
                   "'{ type filter hook forward priority filter + 10; policy accept; }' && "
                   "nft add rule inet firewalld filter_FORWARD ct state established,related accept && "
                   "nft add rule inet firewalld filter_FORWARD reject with icmpx admin-prohibited");
  ASSERT_EQ(r.exit_code, 0) << r.describe();
  expect_warned_and_fixed("nftables table inet firewalld, chain filter_FORWARD (hook forward) ends with an "
                          "unconditional reject");
}

TEST_F(E2EFirewallCoexistence, LegacyIptablesForwardDropIsWarned) {
  CmdResult r = sh("iptables-legacy -P FORWARD DROP");
  ASSERT_EQ(r.exit_code, 0) << r.describe();
  expect_warned_and_fixed("iptables-legacy table ip filter, chain FORWARD (hook forward) has policy drop");
}

TEST_F(E2EFirewallCoexistence, AChainThatDropsOnlySomeTrafficIsNotWarned) {
  CmdResult r = sh("nft add table inet firewalld && nft add chain inet firewalld partial "
                   "'{ type filter hook forward priority 0; policy accept; }' && "
                   "nft add rule inet firewalld partial iifname eth9 drop");
  ASSERT_EQ(r.exit_code, 0) << r.describe();
  CmdResult p = plan({"-o", "json"});
  ASSERT_EQ(p.exit_code, 0) << p.describe();
  EXPECT_TRUE(nlohmann::json::parse(p.out)["warnings"].empty()) << p.out;
}

TEST_F(E2EFirewallCoexistence, AChainThatAcceptsTheBridgesByWildcardIsNotWarned) {
  CmdResult r = sh("nft add table inet firewalld && nft add chain inet firewalld wild "
                   "'{ type filter hook forward priority 0; policy drop; }' && "
                   "nft add rule inet firewalld wild iifname 'br-*' accept && "
                   "nft add rule inet firewalld wild oifname 'br-*' accept");
  ASSERT_EQ(r.exit_code, 0) << r.describe();
  CmdResult p = plan({"-o", "json"});
  ASSERT_EQ(p.exit_code, 0) << p.describe();
  EXPECT_TRUE(nlohmann::json::parse(p.out)["warnings"].empty()) << p.out;
  ASSERT_EQ(apply().exit_code, 0);
  EXPECT_TRUE(ping("c1", kOutside)) << "the wildcard accepts do let the container out";
}

TEST_F(E2EFirewallCoexistence, TheControllersStatusShowsTheWarning) {
  CmdResult r = sh("iptables -P FORWARD DROP");
  ASSERT_EQ(r.exit_code, 0) << r.describe();
  dir_.move_under("/run");  // the watcher's trust rule refuses /tmp
  dir_.write("topology.yaml", kManifest);
  WatchProcess w({"watch", dir_.path(), "--debounce", "100"});
  bool seen = eventually([] {
    CmdResult s = topo({"status", "-o", "json"});
    auto j = nlohmann::json::parse(s.out);
    return j["warnings"].size() == 1 && j["last_pass"]["ok"].get<bool>();
  }, std::chrono::seconds(20));
  EXPECT_TRUE(seen) << w.log();
  CmdResult text = topo({"status"});
  EXPECT_NE(text.out.find("Warning:    nftables table ip filter, chain FORWARD"), std::string::npos) << text.describe();
  EXPECT_NE(w.log().find("has policy drop"), std::string::npos) << w.log();
  w.signal(SIGTERM);
  EXPECT_EQ(w.wait_exit(std::chrono::seconds(10)), 0) << w.log();
}

}  // namespace
}  // namespace topo::e2e
