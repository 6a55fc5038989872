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
  ASSERT_TRUE(eventually([] { return watch_last_pass_ok() && forwarding() == "1\n"; }, seconds(15))) << w.log();
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
  ASSERT_TRUE(eventually([] { return watch_last_pass_ok() && link_exists("r1", "eth0"); }, seconds(15))) << w.log();
  strand_r1();
  if (HasFatalFailure()) return;
  EXPECT_TRUE(eventually([] { return link_exists("r1", "eth0") && watch_last_pass_ok(); }, seconds(10)))
      << w.log() << kernel_snapshot();
  expect_r1_made_anew();
  w.signal(SIGTERM);
  EXPECT_EQ(w.wait_exit(seconds(10)), 0) << w.log();
}

// A stranded veth belongs to its network's stack: another stack's apply (or
// controller) leaves it alone; its own stack's apply repairs it.
TEST_F(E2EWatchRepairs, AnotherStacksStrandedVethIsLeftToThatStack) {
  ManifestDir other;
  other.write("b.yaml", "version: 1\nstack: two\nnetworks:\n  - {name: back, subnet: 172.30.10.0/24}\n"
                        "containers:\n  - name: d1\nattachments:\n  - {container: d1, network: back}\n");
  ASSERT_EQ(apply().exit_code, 0);
  CmdResult b = topo({"apply", other.path()});
  ASSERT_EQ(b.exit_code, 0) << b.describe();
  CmdResult started = sh("ip netns exec d1 sleep 120 >/dev/null 2>&1 & echo $!");
  ASSERT_EQ(started.exit_code, 0);
  holder_ = std::stoi(started.out);
  ASSERT_TRUE(eventually([&] { return links_of(holder_).find("eth0") != std::string::npos; }, seconds(5)));
  ASSERT_EQ(sh("ip netns del d1").exit_code, 0);

  CmdResult p = plan();
  EXPECT_EQ(last_line(p.out), "No changes.") << "stack default's plan touches stack two's veth\n" << p.describe();
  CmdResult again = topo({"apply", other.path()});
  ASSERT_EQ(again.exit_code, 0) << again.describe();
  EXPECT_TRUE(link_exists("d1", "eth0"));
  EXPECT_EQ(links_of(holder_).find("eth0"), std::string::npos) << links_of(holder_);
  EXPECT_EQ(topo({"destroy", other.path(), "--auto-approve"}).exit_code, 0);
}

// Another topo with its own netns dir and state dir, on a stack of its own:
// its containers are not in this one's netns dir, yet their veths are not
// taken for stranded ones of this stack.
TEST_F(E2EWatchRepairs, AnotherInstallsVethsAreNotStranded) {
  ManifestDir other;
  other.write("b.yaml", "version: 1\nstack: two\nnetworks:\n  - {name: back, subnet: 172.30.10.0/24}\n"
                        "containers:\n  - name: d1\nattachments:\n  - {container: d1, network: back}\n");
  const std::string netns2 = "/run/netns-other", state2 = other.path() + "/state";
  ASSERT_EQ(sh("mkdir -p " + netns2 + " && mkdir -m 700 " + state2).exit_code, 0);
  const std::vector<std::string> dirs{"--netns-dir", netns2, "--state-dir", state2};
  std::vector<std::string> args{"apply", other.path()};
  args.insert(args.end(), dirs.begin(), dirs.end());
  CmdResult b = topo(args);
  ASSERT_EQ(b.exit_code, 0) << b.describe();
  ASSERT_EQ(apply().exit_code, 0);
  CmdResult p = plan();
  EXPECT_EQ(last_line(p.out), "No changes.") << p.describe();
  EXPECT_EQ(sh("ip netns exec d1 true 2>/dev/null || nsenter --net=" + netns2 + "/d1 ip -o link show eth0").exit_code,
            0) << "d1's veth is gone";
  args = {"destroy", other.path(), "--auto-approve"};
  args.insert(args.end(), dirs.begin(), dirs.end());
  EXPECT_EQ(topo(args).exit_code, 0);
  sh("rmdir " + netns2);
}

// A stranger's link with a forged mark never passes for a container's pair.
TEST_F(E2EWatchRepairs, AForgedPeerMarkChangesNothing) {
  ASSERT_EQ(apply().exit_code, 0);
  CmdResult forge = sh("ip link add forged0 type veth peer name forged1 && "
                       "ip link set forged0 alias topo-peer:r1/eth0 && ip link set forged1 alias topo-peer:r2/eth0");
  ASSERT_EQ(forge.exit_code, 0) << forge.describe();
  CmdResult p = plan();
  EXPECT_EQ(last_line(p.out), "No changes.") << p.describe();
  EXPECT_EQ(sh("ip link show forged0 >/dev/null && ip link show forged1 >/dev/null").exit_code, 0);
  sh("ip link del forged0");
}

}  // namespace
}  // namespace topo::e2e
