// Issue 16: the controller under events. A drift inside one container is
// repaired by a pass over that container alone (nothing else is read); an
// event from an object topo neither owns nor wants causes no pass; lost
// notifications (a socket overrun, forced here with a tiny receive buffer)
// lead to a full resync that converges the host.
#include <signal.h>
#include <sys/stat.h>

#include "tests/kernel/e2e_support.hpp"
#include "tests/kernel/watch_process.hpp"

namespace topo::e2e {
namespace {

using std::chrono::seconds;

const char* kManifest = R"(version: 1
networks:
  - {name: evt, subnet: 172.30.11.0/24}
containers:
  - name: e1
  - name: e2
attachments:
  - {container: e1, network: evt, ipv4: 172.30.11.10}
  - {container: e2, network: evt, ipv4: 172.30.11.11}
)";

nlohmann::json status() { return nlohmann::json::parse(topo({"status", "-o", "json"}).out); }

int total(const char* what) {
  try {
    return status()["totals"][what].get<int>();
  } catch (...) {
    return -1;
  }
}


bool has_default_route(const std::string& ns) {
  return sh("ip -n " + ns + " -4 route show default").out.find("via 172.30.11.1") != std::string::npos;
}

bool gateway_present() { return sh("ip -4 -o addr show dev br-evt").out.find("172.30.11.1/24") != std::string::npos; }

// Passes stop coming: the count holds for a while (the debounce is 20 ms).
int settled_passes() {
  int before = total("passes");
  for (int i = 0; i < 50; ++i) {
    ::usleep(400 * 1000);
    const int now = total("passes");
    if (now == before) return now;
    before = now;
  }
  return before;
}

class E2EWatchEvents : public E2ETest {
 protected:
  void SetUp() override {
    ::umask(022);
    dir_.move_under("/run");  // the watcher's trust rule refuses /tmp
    E2ETest::SetUp();
    if (HasFatalFailure()) return;
    dir_.write("m.yaml", kManifest);
  }
  void TearDown() override {
    sh("ip link del fbr 2>/dev/null; ip link del fva 2>/dev/null; ip netns del stranger 2>/dev/null; "
       "nft delete table inet other 2>/dev/null; rm -rf /etc/netns/stranger");
    E2ETest::TearDown();
  }
  std::vector<std::string> watch_args() const {
    // A resync far beyond the test's patience: only events can cause a pass.
    return {"--log-level", "debug", "watch", dir_.path(), "--debounce", "100", "--resync", "600"};
  }
};

TEST_F(E2EWatchEvents, AVethDeletedInAContainerIsRepairedByAPassOverThatContainerOnly) {
  WatchProcess w(watch_args());
  ASSERT_TRUE(eventually([] { return watch_last_pass_ok() && has_default_route("e1"); }, seconds(15))) << w.log();
  const int passes = settled_passes(), full = total("full_passes");
  ASSERT_GE(full, 1);

  ASSERT_EQ(sh("ip -n e1 link del eth0").exit_code, 0);
  EXPECT_TRUE(eventually([&] { return has_default_route("e1") && watch_last_pass_ok() && total("passes") > passes; },
                         seconds(10)))
      << "e1's veth was not remade\n" << w.log() << kernel_snapshot();
  settled_passes();
  EXPECT_EQ(total("full_passes"), full) << "the repair read everything\n" << w.log();
  EXPECT_FALSE(status()["last_pass"]["full"].get<bool>());
  EXPECT_TRUE(ping("e1", "172.30.11.11")) << kernel_snapshot();
  // The new host end got its settings too (they live on the pair).
  const std::string host_end = sh("ip -o link show master br-evt | awk -F'[:@ ]+' '{print $2}'").out;
  for (const std::string& name : {std::string("accept_ra"), std::string("autoconf")}) {
    std::string all = sh("for l in $(ip -o link show master br-evt | awk -F'[:@ ]+' '{print $2}'); do "
                         "cat /proc/sys/net/ipv6/conf/$l/" + name + "; done").out;
    EXPECT_EQ(all, "0\n0\n") << name << " of the host ends:\n" << host_end;
  }
  CmdResult p = plan();
  EXPECT_EQ(last_line(p.out), "No changes.") << p.describe();
  w.signal(SIGTERM);
  EXPECT_EQ(w.wait_exit(seconds(10)), 0) << w.log();
}

// A p2p pair is one resource in its first end's namespace: an event in the
// other end's namespace takes both into the focused pass.
TEST_F(E2EWatchEvents, AP2pPairDeletedFromItsFarEndIsRemadeByAFocusedPass) {
  dir_.write("m.yaml", R"(version: 1
networks:
  - {name: wire, driver: p2p, subnet: 10.61.0.0/30}
containers:
  - name: red
  - name: blue
attachments:
  - {container: red, network: wire, interface: veth-red}
  - {container: blue, network: wire, interface: veth-blue}
)");
  WatchProcess w(watch_args());
  ASSERT_TRUE(eventually([] { return watch_last_pass_ok() && link_exists("red", "veth-red"); }, seconds(15))) << w.log();
  const int passes = settled_passes(), full = total("full_passes");
  ASSERT_EQ(sh("ip -n red link del veth-red").exit_code, 0);  // the far end: the resource is blue's
  EXPECT_TRUE(eventually([&] { return ping("red", "10.61.0.1") && total("passes") > passes && watch_last_pass_ok(); },
                         seconds(10)))
      << w.log() << kernel_snapshot();
  settled_passes();
  EXPECT_EQ(total("full_passes"), full) << w.log();
  CmdResult p = plan();
  EXPECT_EQ(last_line(p.out), "No changes.") << p.describe();
  w.signal(SIGTERM);
  EXPECT_EQ(w.wait_exit(seconds(10)), 0) << w.log();
}

TEST_F(E2EWatchEvents, ObjectsTopoNeitherOwnsNorWantsCauseNoPass) {
  WatchProcess w(watch_args());
  ASSERT_TRUE(eventually([] { return watch_last_pass_ok() && has_default_route("e2"); }, seconds(15))) << w.log();
  const int passes = settled_passes();

  CmdResult foreign = sh(
      "ip link add fbr type bridge && ip addr add 192.0.2.1/24 dev fbr && ip link set fbr up && "
      "ip route add 198.51.100.0/24 dev fbr && ip link add fva type veth peer name fvb && "
      "ip link set fva master fbr && ip link set fva up && "
      "ip netns add stranger && ip -n stranger link set lo up && "
      "nft add table inet other && nft add chain inet other c && mkdir -p /etc/netns/stranger && "
      "echo x > /etc/netns/stranger/hosts && ip -n e2 link add tap9 type bridge");
  ASSERT_EQ(foreign.exit_code, 0) << foreign.describe();
  ::usleep(1500 * 1000);
  EXPECT_EQ(total("passes"), passes) << "someone else's objects caused a pass\n" << w.log();

  // The controller is listening all the same: topo's own route deleted is a pass.
  ASSERT_EQ(sh("ip -n e2 route del default").exit_code, 0);
  EXPECT_TRUE(eventually([&] { return has_default_route("e2") && total("passes") > passes; }, seconds(10)))
      << w.log();
  ASSERT_EQ(sh("ip -n e2 link del tap9").exit_code, 0);
  w.signal(SIGTERM);
  EXPECT_EQ(w.wait_exit(seconds(10)), 0) << w.log();
}

TEST_F(E2EWatchEvents, LostNotificationsLeadToAFullResyncThatConverges) {
  // A receive buffer of the kernel's minimum (a few messages) on every subscription.
  WatchProcess w(watch_args(), {"TOPO_TEST_EVENT_RCVBUF=1"});
  ASSERT_TRUE(eventually([] { return watch_last_pass_ok() && has_default_route("e1"); }, seconds(15))) << w.log();
  settled_passes();
  const int full = total("full_passes");

  // While the controller cannot read: the bridge's gateway address goes
  // (drift only a full pass repairs: nothing but its lost event names it),
  // then a burst of someone else's events overruns the host subscription.
  ASSERT_EQ(::kill(w.pid(), SIGSTOP), 0);
  CmdResult drift = sh("ip addr del 172.30.11.1/24 dev br-evt && ip link add fbr type bridge && "
                       "for i in $(seq 1 200); do echo \"addr add 192.0.2.$i/32 dev fbr\"; done | ip -batch -");
  ::kill(w.pid(), SIGCONT);
  ASSERT_EQ(drift.exit_code, 0) << drift.describe();

  EXPECT_TRUE(eventually([] { return gateway_present() && watch_last_pass_ok(); }, seconds(10)))
      << "the gateway address was not restored\n" << w.log() << kernel_snapshot();
  EXPECT_NE(w.log().find("netlink events were lost (ENOBUFS); running a full resync"), std::string::npos) << w.log();
  EXPECT_GT(total("full_passes"), full) << w.log();
  EXPECT_TRUE(ping("e1", "172.30.11.1")) << kernel_snapshot();
  CmdResult p = plan();
  EXPECT_EQ(last_line(p.out), "No changes.") << p.describe();
  w.signal(SIGTERM);
  EXPECT_EQ(w.wait_exit(seconds(10)), 0) << w.log();
}

}  // namespace
}  // namespace topo::e2e

// One socket hears every namespace by the id the host gives it
// (NETLINK_LISTEN_ALL_NSID). A namespace with no veth has no id of its own
// (the kernel makes one only for a link's peer): the controller gives it
// one, so drift there is heard too, and repaired by a focused pass.
namespace topo::e2e {
namespace {

TEST_F(E2EWatchEvents, DriftInANamespaceWithoutAVethIsHeardToo) {
  dir_.write("m.yaml", R"(version: 1
containers:
  - {name: lonely, network_mode: none}
)");
  const bool had_id_before = sh("ip netns list").out.find("lonely (id:") != std::string::npos;
  WatchProcess w(watch_args());
  auto lo_up = [] { return sh("ip -n lonely -o link show lo").out.find(",UP") != std::string::npos; };
  ASSERT_TRUE(eventually([&] { return watch_last_pass_ok() && lo_up(); }, seconds(15))) << w.log();
  EXPECT_FALSE(had_id_before);
  EXPECT_NE(sh("ip netns list").out.find("lonely (id:"), std::string::npos)
      << "the controller gave the namespace no id\n" << sh("ip netns list").out;
  const int passes = settled_passes(), full = total("full_passes");

  ASSERT_EQ(sh("ip -n lonely link set lo down").exit_code, 0);
  EXPECT_TRUE(eventually([&] { return lo_up() && total("passes") > passes; }, seconds(10)))
      << "lo was not brought back up\n" << w.log() << kernel_snapshot();
  settled_passes();
  EXPECT_EQ(total("full_passes"), full) << "the repair was a full pass (the resync is 600 s away)\n" << w.log();
  w.signal(SIGTERM);
  EXPECT_EQ(w.wait_exit(seconds(10)), 0) << w.log();
}

}  // namespace
}  // namespace topo::e2e

// A namespace remade by the controller is a new namespace with a new id:
// drift in the new one is heard, not taken for someone else's.
namespace topo::e2e {
namespace {

TEST_F(E2EWatchEvents, ARemadeNamespaceIsHeardByItsNewId) {
  dir_.write("m.yaml", R"(version: 1
containers:
  - {name: lonely, network_mode: none}
)");
  WatchProcess w(watch_args());
  auto lo_up = [] { return sh("ip -n lonely -o link show lo").out.find(",UP") != std::string::npos; };
  ASSERT_TRUE(eventually([&] { return watch_last_pass_ok() && lo_up(); }, seconds(15))) << w.log();
  const std::string before = sh("ip netns list").out;
  settled_passes();

  ASSERT_EQ(sh("ip netns del lonely").exit_code, 0);
  ASSERT_TRUE(eventually([&] { return watch_last_pass_ok() && lo_up(); }, seconds(15)))
      << "the namespace was not made again\n" << w.log();
  const int passes = settled_passes();
  ASSERT_EQ(sh("ip -n lonely link set lo down").exit_code, 0);
  EXPECT_TRUE(eventually([&] { return lo_up() && total("passes") > passes; }, seconds(10)))
      << "drift in the remade namespace was not heard\nids before: " << before << "now: " << sh("ip netns list").out
      << w.log();
  w.signal(SIGTERM);
  EXPECT_EQ(w.wait_exit(seconds(10)), 0) << w.log();
}

}  // namespace
}  // namespace topo::e2e
