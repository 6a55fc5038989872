// Issue 13 point 8: repairs that waited for the periodic resync. Forwarding
// switched off by someone else is announced by the kernel as a netconf event;
// a managed namespace deleted with `ip netns del` while a process holds it
// left its veth's host end behind, and every pass failed with "File exists".
#include <signal.h>
#include <sys/stat.h>

#include "tests/kernel/e2e_support.hpp"
#include "tests/kernel/watch_process.hpp"

namespace topo::e2e {
namespace {

using std::chrono::seconds;

const char* kManifest = R"(version: 1
networks:
  - {name: rep, subnet: 172.30.9.0/24}
containers:
  - name: r1
  - name: r2
attachments:
  - {container: r1, network: rep, ipv4: 172.30.9.10}
  - {container: r2, network: rep, ipv4: 172.30.9.11}
)";

std::string forwarding() { return sh("cat /proc/sys/net/ipv4/ip_forward").out; }

bool last_pass_ok() {
  try {
    auto j = nlohmann::json::parse(topo({"status", "-o", "json"}).out);
    return j["last_pass"]["ok"].get<bool>() && j["totals"]["passes"].get<int>() >= 1;
  } catch (...) {
    return false;
  }
}

// Links in the namespace process `pid` is in, by name.
std::string links_of(pid_t pid) {
  return sh("nsenter -t " + std::to_string(pid) + " -n ip -o link show | awk -F': ' '{print $2}'").out;
}

class E2EWatchRepairs : public E2ETest {
 protected:
  void SetUp() override {
    ::umask(022);
    dir_.move_under("/run");  // the watcher's trust rule refuses /tmp
    E2ETest::SetUp();
    if (HasFatalFailure()) return;
    dir_.write("m.yaml", kManifest);
  }
  void TearDown() override {
    if (holder_ > 0) ::kill(holder_, SIGKILL);
    E2ETest::TearDown();
  }
  // `ip netns exec r1 sleep` in the background, then `ip netns del r1`:
  // the namespace lives on, unnamed, with r1's end of the veth.
  void strand_r1() {
    CmdResult started = sh("ip netns exec r1 sleep 120 >/dev/null 2>&1 & echo $!");
    ASSERT_EQ(started.exit_code, 0) << started.describe();
    holder_ = std::stoi(started.out);
    ASSERT_TRUE(eventually([&] { return links_of(holder_).find("eth0") != std::string::npos; }, seconds(5)));
    CmdResult del = sh("ip netns del r1");
    ASSERT_EQ(del.exit_code, 0) << del.describe();
  }
  // r1 is back in a namespace of its own, on the network; the held one was emptied.
  void expect_r1_made_anew() {
    EXPECT_TRUE(ping("r2", "172.30.9.10")) << kernel_snapshot();
    EXPECT_EQ(links_of(holder_).find("eth0"), std::string::npos)
        << "the held namespace still has r1's old veth:\n" << links_of(holder_);
    CmdResult p = plan();
    EXPECT_EQ(last_line(p.out), "No changes.") << p.describe();
  }
  pid_t holder_ = -1;
};

TEST_F(E2EWatchRepairs, ForwardingSwitchedOffIsRepairedWithoutWaitingForTheResync) {
  // A resync far beyond the test's patience: only the event can repair it.
  WatchProcess w({"--log-level", "debug", "watch", dir_.path(), "--debounce", "100", "--resync", "600"});
  ASSERT_TRUE(eventually([] { return last_pass_ok() && forwarding() == "1\n"; }, seconds(15))) << w.log();
  CmdResult off = sh("echo 0 > /proc/sys/net/ipv4/ip_forward");
  ASSERT_EQ(off.exit_code, 0) << off.describe();
  EXPECT_TRUE(eventually([] { return forwarding() == "1\n"; }, seconds(10)))
      << "net.ipv4.ip_forward stayed 0\n" << w.log();
  w.signal(SIGTERM);
  EXPECT_EQ(w.wait_exit(seconds(10)), 0) << w.log();
}

TEST_F(E2EWatchRepairs, ANamespaceDeletedByHandWhileHeldIsMadeAnewByApply) {
  CmdResult a = apply();
  ASSERT_EQ(a.exit_code, 0) << a.describe();
  strand_r1();
  if (HasFatalFailure()) return;
  CmdResult again = apply();
  ASSERT_EQ(again.exit_code, 0) << again.describe();
  expect_r1_made_anew();
}

TEST_F(E2EWatchRepairs, ANamespaceDeletedByHandWhileHeldIsMadeAnewByTheController) {
  WatchProcess w({"--log-level", "debug", "watch", dir_.path(), "--debounce", "100", "--resync", "600"});
  ASSERT_TRUE(eventually([] { return last_pass_ok() && link_exists("r1", "eth0"); }, seconds(15))) << w.log();
  strand_r1();
  if (HasFatalFailure()) return;
  EXPECT_TRUE(eventually([] { return link_exists("r1", "eth0") && last_pass_ok(); }, seconds(10)))
      << w.log() << kernel_snapshot();
  expect_r1_made_anew();
  w.signal(SIGTERM);
  EXPECT_EQ(w.wait_exit(seconds(10)), 0) << w.log();
}

}  // namespace
}  // namespace topo::e2e
