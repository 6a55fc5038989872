// Issue 8, rollback under fault injection on the real kernel: a plan that
// creates, updates and deletes through every provider that has landed
// (namespaces, bridges, veths, addresses, routes, sysctls, the nftables
// firewall) fails at each of its kernel operations in turn (the
// TOPO_FAULT_FAIL_OP test hook); after every failed apply, the full dump of
// what topo manages equals the dump from before.
#include "tests/kernel/reliability_support.hpp"

namespace topo::e2e {
namespace {

// Before: two networks, four containers, a published port, a sysctl.
constexpr const char* kBefore = R"(version: 1
networks:
  - {name: fa, subnet: 10.81.0.0/24}
  - {name: fb, subnet: 10.82.0.0/24}
containers:
  - {name: f1, ports: ["18080:80"], sysctls: {net.ipv4.ip_forward: "1"}}
  - {name: f2}
  - {name: f3}
  - {name: gone}
attachments:
  - {container: f1, network: fa, interface: eth0}
  - {container: f2, network: fa}
  - {container: f3, network: fb}
  - {container: gone, network: fb}
)";

// After: one network more, one container fewer, an MTU and a sysctl
// changed, a port moved, a container moved to another network, internal on.
constexpr const char* kAfter = R"(version: 1
networks:
  - {name: fa, subnet: 10.81.0.0/24, mtu: 1400}
  - {name: fb, subnet: 10.82.0.0/24, internal: true}
  - {name: fc, subnet: 10.83.0.0/24, icc: false}
containers:
  - {name: f1, ports: ["18081:80"], sysctls: {net.ipv4.ip_forward: "0"}}
  - {name: f2}
  - {name: f3}
  - {name: f4, ports: ["18082:80"]}
attachments:
  - {container: f1, network: fa, interface: eth0}
  - {container: f1, network: fc, interface: eth1}
  - {container: f2, network: fc}
  - {container: f3, network: fb}
  - {container: f4, network: fc}
)";

// Deleting a container's address (f2:eth0 10.81.0.3/24) makes the kernel drop
// the default route through that subnet's gateway on its own, which no undo
// journal sees; the restore after the undo (executor/restore.hpp) puts it back.
TEST_F(E2ETest, AFailureAtEachStepLeavesWhatTopoManagesAsItWas) {
  dir_.write("t.yaml", kBefore);
  CmdResult first = apply();
  ASSERT_EQ(first.exit_code, 0) << first.describe();
  const std::string before = managed_dump(dir_.path());
  ASSERT_NE(before.find("inet"), std::string::npos) << "the firewall table is missing from the dump\n" << before;
  dir_.write("t.yaml", kAfter);
  CmdResult p = plan();
  ASSERT_EQ(p.exit_code, 0) << p.describe();

  int failed = 0;
  bool completed = false;
  for (int n = 1; n <= 500 && !completed; ++n) {
    CmdResult a = topo_env({"TOPO_FAULT_FAIL_OP=" + std::to_string(n)}, {"apply", dir_.path()});
    if (a.exit_code == 0) {
      completed = true;  // n is past the last operation: nothing was injected
      break;
    }
    ++failed;
    ASSERT_EQ(a.exit_code, 1) << "operation " << n << ": expected a clean failure\n" << a.describe();
    ASSERT_NE(a.all().find("injected failure"), std::string::npos) << a.describe();
    std::string after = managed_dump(dir_.path());
    ASSERT_EQ(after, before) << "a failure at operation " << n << " was not rolled back\n" << a.describe();
  }
  EXPECT_TRUE(completed) << "the apply never completed";
  EXPECT_GT(failed, 15) << "suspiciously few operations for this plan:\n" << p.out;
  CmdResult again = plan();
  EXPECT_EQ(last_line(again.out), "No changes.") << again.describe();
}

}  // namespace
}  // namespace topo::e2e
