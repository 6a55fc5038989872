// A container removed while a process still holds its namespace (issue 12,
// contract "Removing a container removes its links and addresses even while
// a process still holds its namespace"): nothing of it stays on a network,
// its address is free again, and adding it back works at once.
#include <signal.h>

#include "tests/kernel/e2e_support.hpp"

namespace topo::e2e {
namespace {

std::string manifest(bool with_c1) {
  std::string y = "version: 1\nnetworks:\n  - {name: held, subnet: 172.23.0.0/24}\ncontainers:\n  - name: c2\n";
  if (with_c1) y += "  - name: c1\n";
  y += "attachments:\n  - {container: c2, network: held}\n";
  if (with_c1) y += "  - {container: c1, network: held, ipv4: 172.23.0.10}\n";
  return y;
}

// Ports of the bridge, by name.
std::vector<std::string> bridge_ports(const std::string& bridge) {
  std::vector<std::string> out;
  for (const auto& l : ip_json({"link", "show", "master", bridge})) out.push_back(l.value("ifname", ""));
  return out;
}

class E2EHeldNamespace : public E2ETest {
 protected:
  void TearDown() override {
    if (holder_ > 0) ::kill(holder_, SIGKILL);
    E2ETest::TearDown();
  }
  pid_t holder_ = -1;
};

TEST_F(E2EHeldNamespace, RemovedContainerLeavesNothingOnTheNetwork) {
  dir_.write("m.yaml", manifest(true));
  ASSERT_EQ(apply().exit_code, 0);
  ASSERT_EQ(bridge_ports("br-held").size(), 2u);
  // A process in c1's namespace, as `ip netns exec c1 sleep` leaves one.
  CmdResult started = sh("ip netns exec c1 sleep 120 >/dev/null 2>&1 & echo $!");
  ASSERT_EQ(started.exit_code, 0) << started.describe();
  holder_ = std::stoi(started.out);

  dir_.write("m.yaml", manifest(false));
  CmdResult r = apply();
  ASSERT_EQ(r.exit_code, 0) << r.describe();
  EXPECT_EQ(bridge_ports("br-held").size(), 1u) << "c1's veth stayed on the bridge\n" << kernel_snapshot();
  CmdResult addr = sh("ip -o addr show to 172.23.0.10 ; ip netns exec c2 ping -c1 -W1 172.23.0.10");
  EXPECT_EQ(addr.out.find("172.23.0.10/"), std::string::npos) << addr.describe();
  EXPECT_NE(addr.exit_code, 0) << "c1's address still answers\n" << addr.describe();
  EXPECT_EQ(last_line(plan().out), "No changes.");

  // Back again while the old namespace is still held: a new one, wired anew.
  dir_.write("m.yaml", manifest(true));
  r = apply();
  ASSERT_EQ(r.exit_code, 0) << r.describe();
  EXPECT_EQ(bridge_ports("br-held").size(), 2u);
  EXPECT_TRUE(ping("c2", "172.23.0.10")) << kernel_snapshot() << sh("ip -n c2 neigh; ip -n c1 -s link").out;
  EXPECT_EQ(last_line(plan().out), "No changes.");
}

}  // namespace
}  // namespace topo::e2e
