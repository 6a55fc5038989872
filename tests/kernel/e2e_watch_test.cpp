// `topo watch`, the controller (issue 7 "Done when"): new manifests and hand
// drift are converged within seconds, a git-sync style symlink swap is
// followed, a broken manifest leaves the network alone with its file:line in
// the log and `topo status`, SIGTERM exits 0 leaving the network up,
// NOTIFY_SOCKET gets READY=1, and the metrics file is Prometheus text.
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include <cctype>
#include <filesystem>
#include <fstream>

#include "tests/kernel/e2e_support.hpp"
#include "tests/kernel/watch_process.hpp"
#include "tests/prom_check.hpp"

namespace topo::e2e {
namespace {

namespace fs = std::filesystem;
using std::chrono::milliseconds;
using std::chrono::seconds;

// Generous for a loaded 2-core machine; the watcher normally takes well under a second.
constexpr milliseconds kSoon = seconds(8);

std::string net(const std::string& name, const std::string& subnet, const std::vector<std::string>& containers) {
  std::string y = "version: 1\nnetworks:\n  - name: " + name + "\n    subnet: " + subnet + "\ncontainers:\n";
  for (const auto& c : containers) y += "  - name: " + c + "\n";
  y += "attachments:\n";
  for (const auto& c : containers) y += "  - container: " + c + "\n    network: " + name + "\n";
  return y;
}

nlohmann::json status_json() {
  CmdResult r = topo({"status", "-o", "json"});
  try {
    return nlohmann::json::parse(r.out);
  } catch (...) {
    return nullptr;
  }
}

uint64_t passes() {
  auto j = status_json();
  return j.is_null() ? 0 : j["totals"]["passes"].get<uint64_t>();
}

// A NOTIFY_SOCKET of the test's own, as systemd passes to a Type=notify
// service; every datagram received is kept, in order.
class NotifySocket {
 public:
  explicit NotifySocket(const std::string& path) : path_(path) {
    fd_ = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    if (fd_ < 0 || path.size() >= sizeof addr.sun_path) return;
    std::strcpy(addr.sun_path, path.c_str());
    ::unlink(path.c_str());
    if (::bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
      error_ = std::strerror(errno);
      return;
    }
    timeval tv{0, 200'000};
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    bound_ = true;
  }
  ~NotifySocket() {
    if (fd_ >= 0) ::close(fd_);
    ::unlink(path_.c_str());
  }
  bool bound() const { return bound_; }
  const std::string& error() const { return error_; }
  const std::string& path() const { return path_; }
  // Waits up to 200 ms for one more message.
  void receive() {
    char buf[4096];
    ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
    if (n > 0) messages_.emplace_back(buf, static_cast<size_t>(n));
  }
  const std::vector<std::string>& messages() const { return messages_; }
  std::string all() const {
    std::string out;
    for (const auto& m : messages_) out += "[" + m + "]\n";
    return out;
  }

 private:
  int fd_ = -1;
  std::string path_, error_;
  bool bound_ = false;
  std::vector<std::string> messages_;
};

class E2EWatch : public E2ETest {
 protected:
  void SetUp() override {
    ::umask(022);  // the watcher refuses manifests writable by group or others
    // ... and below a directory others may write (/tmp): /run is root's, 0755.
    dir_.move_under("/run");
    E2ETest::SetUp();
  }
  std::unique_ptr<WatchProcess> start(const std::string& path, std::vector<std::string> extra = {},
                                      const std::vector<std::string>& env = {}) {
    std::vector<std::string> args{"--log-level", "debug", "watch", path, "--debounce", "100"};
    args.insert(args.end(), extra.begin(), extra.end());
    auto w = std::make_unique<WatchProcess>(args, env);
    return w;
  }
  // Waits for the first pass to be on record.
  void wait_first_pass(WatchProcess& w) {
    ASSERT_TRUE(eventually([] { return passes() >= 1; }, kSoon)) << "no pass on record\n" << w.log();
  }
};

TEST_F(E2EWatch, NewManifestIsAppliedAndHandDeletedVethRestored) {
  auto w = start(dir_.path());
  wait_first_pass(*w);

  dir_.write("w1.yaml", net("wnet1", "10.61.0.0/24", {"wa1", "wa2"}));
  ASSERT_TRUE(eventually([] { return link_exists("wa1", "eth0") && link_exists("wa2", "eth0"); }, kSoon))
      << "the new manifest was not applied\n" << w->log() << kernel_snapshot();
  std::string wa2 = ipv4_of("wa2", "eth0");
  ASSERT_TRUE(eventually([&] { return ping("wa1", wa2); }, kSoon)) << kernel_snapshot();

  std::string host_end = link_with_alias("topo-peer:wa1/eth0");
  ASSERT_FALSE(host_end.empty());
  CmdResult del = run({"ip", "link", "del", host_end});
  ASSERT_EQ(del.exit_code, 0) << del.describe();
  ASSERT_TRUE(eventually([] { return link_exists("wa1", "eth0"); }, kSoon))
      << "the hand-deleted veth was not restored\n" << w->log();
  EXPECT_TRUE(eventually([&] { return ping("wa1", wa2); }, kSoon));
  ASSERT_TRUE(eventually([] { return status_json()["totals"]["drift_repairs"].get<int>() >= 1; }, kSoon))
      << status_json().dump(2);

  EXPECT_TRUE(w->running()) << w->log();
  w->signal(SIGTERM);
  EXPECT_EQ(w->wait_exit(kSoon), 0) << w->log();
}

TEST_F(E2EWatch, SymlinkSwapOfThePathIsPickedUp) {
  // git-sync's layout: PATH is a symlink to a worktree, replaced by rename.
  fs::path root = dir_.path();
  // E2ETest's teardown destroys everything topo manages, given a valid dir_;
  // the tree below is hidden from it.
  dir_.write("empty.yaml", "version: 1\n");
  fs::create_directories(root / ".worktrees" / "rev1");
  fs::create_directories(root / ".worktrees" / "rev2");
  std::ofstream(root / ".worktrees" / "rev1" / "t.yaml") << net("swapa", "10.62.0.0/24", {"sw1"});
  std::ofstream(root / ".worktrees" / "rev2" / "t.yaml") << net("swapb", "10.63.0.0/24", {"sw1"});
  fs::path link = root / ".current";
  fs::create_symlink(".worktrees/rev1", link);

  auto w = start(link.string());
  ASSERT_TRUE(eventually([] { return !link_with_alias("topo:network/swapa").empty(); }, kSoon))
      << w->log() << kernel_snapshot();

  fs::create_symlink(".worktrees/rev2", root / ".current.tmp");
  fs::rename(root / ".current.tmp", link);
  ASSERT_TRUE(eventually(
      [] { return !link_with_alias("topo:network/swapb").empty() && link_with_alias("topo:network/swapa").empty(); },
      kSoon))
      << "the swap was not followed\n" << w->log() << kernel_snapshot();

  // And the new target is watched: an edit inside it is applied too.
  std::ofstream(root / ".worktrees" / "rev2" / "t.yaml") << net("swapb", "10.63.0.0/24", {"sw1", "sw2"});
  EXPECT_TRUE(eventually([] { return link_exists("sw2", "eth0"); }, kSoon)) << w->log();

  w->signal(SIGTERM);
  EXPECT_EQ(w->wait_exit(kSoon), 0) << w->log();
}

TEST_F(E2EWatch, NewSubdirectoryIsWatched) {
  auto w = start(dir_.path());
  wait_first_pass(*w);
  fs::create_directories(fs::path(dir_.path()) / "team" / "a");
  std::ofstream(fs::path(dir_.path()) / "team" / "a" / "n.yaml") << net("subd", "10.64.0.0/24", {"sd1"});
  EXPECT_TRUE(eventually([] { return link_exists("sd1", "eth0"); }, kSoon)) << w->log();
  w->signal(SIGTERM);
  EXPECT_EQ(w->wait_exit(kSoon), 0) << w->log();
}

TEST_F(E2EWatch, BrokenManifestLeavesTheNetworkAndShowsFileLineUntilFixed) {
  dir_.write("b.yaml", net("broken", "10.65.0.0/24", {"bk1"}));
  auto w = start(dir_.path());
  ASSERT_TRUE(eventually([] { return link_exists("bk1", "eth0"); }, kSoon)) << w->log();
  ASSERT_TRUE(eventually([] { return status_json()["last_pass"]["ok"] == true; }, kSoon)) << w->log();
  std::string healthy = kernel_snapshot();

  // Line 4: the subnet is not a CIDR.
  dir_.write("b.yaml", "version: 1\nnetworks:\n  - name: broken\n    subnet: 10.65.0.0/99\ncontainers:\n"
                       "  - name: bk1\n  - name: bk2\nattachments:\n  - container: bk1\n    network: broken\n");
  ASSERT_TRUE(eventually([] { return status_json()["manifest_error"] == true; }, kSoon)) << w->log();
  CmdResult st = topo({"status"});
  EXPECT_EQ(st.exit_code, 1) << st.describe();
  EXPECT_NE(st.out.find("b.yaml:4:"), std::string::npos) << "no file:line in topo status\n" << st.describe();
  EXPECT_NE(w->log().find("b.yaml:4:"), std::string::npos) << "no file:line in the log\n" << w->log();
  EXPECT_TRUE(w->running()) << w->log();
  EXPECT_EQ(kernel_snapshot(), healthy) << "the broken manifest changed the network";
  EXPECT_FALSE(link_exists("bk2", "eth0"));

  dir_.write("b.yaml", net("broken", "10.65.0.0/24", {"bk1", "bk2"}));
  ASSERT_TRUE(eventually([] { return link_exists("bk2", "eth0"); }, kSoon)) << "fixing did not converge\n"
                                                                           << w->log();
  ASSERT_TRUE(eventually([] { return status_json()["error"].empty(); }, kSoon)) << status_json().dump(2);
  EXPECT_EQ(topo({"status"}).exit_code, 0);
  w->signal(SIGTERM);
  EXPECT_EQ(w->wait_exit(kSoon), 0) << w->log();
}

TEST_F(E2EWatch, SigtermExitsZeroAndLeavesTheNetworkUp) {
  dir_.write("t.yaml", net("termnet", "10.66.0.0/24", {"tm1", "tm2"}));
  auto w = start(dir_.path());
  ASSERT_TRUE(eventually([] { return link_exists("tm2", "eth0"); }, kSoon)) << w->log();
  std::string tm2 = ipv4_of("tm2", "eth0");
  ASSERT_TRUE(eventually([&] { return ping("tm1", tm2); }, kSoon));
  std::string before = kernel_snapshot();

  auto t0 = std::chrono::steady_clock::now();
  w->signal(SIGTERM);
  EXPECT_EQ(w->wait_exit(seconds(5)), 0) << w->log();
  EXPECT_LT(std::chrono::steady_clock::now() - t0, seconds(5));
  EXPECT_EQ(kernel_snapshot(), before) << "stopping the controller changed the network";
  EXPECT_TRUE(ping("tm1", tm2));
}

// The mappings named `name` in /proc/PID/smaps, in address order: size and VmFlags.
struct Mapping {
  unsigned long kib = 0;
  std::string flags;
};
std::vector<Mapping> mappings_named(pid_t pid, const std::string& name) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/smaps");
  std::vector<Mapping> out;
  std::string line;
  bool inside = false;
  while (std::getline(in, line)) {
    // A mapping's first line: "start-end perms offset dev inode [name]".
    const auto dash = line.find('-');
    if (!line.empty() && std::isxdigit(static_cast<unsigned char>(line[0])) && dash < line.find(' ')) {
      inside = line.size() >= name.size() && line.compare(line.size() - name.size(), name.size(), name) == 0;
      if (inside)
        out.push_back({(std::stoul(line.substr(dash + 1, line.find(' ') - dash - 1), nullptr, 16) -
                        std::stoul(line.substr(0, dash), nullptr, 16)) / 1024, ""});
    }
    if (inside && line.rfind("VmFlags:", 0) == 0) out.back().flags = line + " ";
  }
  return out;
}

// process/malloc_tuning.hpp: page faults were a third of a plan's time on a
// virtual machine; topo grows its heap at once and asks for huge pages on
// it, and the controller, which gives freed memory back after a full pass,
// asks again for the heap's new top.
TEST_F(E2EWatch, TheControllersHeapTopAsksForHugePagesAfterAFullPass) {
  // Written first: the fixture's cleanup destroys what the directory names.
  dir_.write("h.yaml", net("hugenet", "10.67.0.0/24", {"hp1"}));
#if defined(__SANITIZE_ADDRESS__)
  GTEST_SKIP() << "built with AddressSanitizer: topo's allocator is ASan's, with no brk heap to tune; "
                  "this test runs in scripts/test.sh's build";
#endif
  auto w = start(dir_.path());
  ASSERT_TRUE(eventually([] { return link_exists("hp1", "eth0"); }, kSoon)) << w->log();
  wait_first_pass(*w);
  const std::vector<Mapping> heap = mappings_named(w->pid(), "[heap]");
  ASSERT_FALSE(heap.empty()) << "no [heap] in /proc/" << w->pid() << "/smaps";
  unsigned long kib = 0;
  for (const Mapping& m : heap) kib += m.kib;
  EXPECT_NE(heap.back().flags.find(" hg "), std::string::npos)
      << "no MADV_HUGEPAGE on the heap's top: " << heap.back().flags;
  EXPECT_GE(kib, 24u * 1024) << "the heap was not grown";
  w->signal(SIGTERM);
  EXPECT_EQ(w->wait_exit(kSoon), 0) << w->log();
}

TEST_F(E2EWatch, SighupReconcilesAtOnceAndAnIdleWatcherStaysIdle) {
  dir_.write("h.yaml", net("hupnet", "10.67.0.0/24", {"hp1"}));
  auto w = start(dir_.path(), {"--resync", "600"});
  ASSERT_TRUE(eventually([] { return link_exists("hp1", "eth0"); }, kSoon)) << w->log();
  // Let the pass's own echoes (IPv6 autoconfiguration, DAD) settle.
  std::this_thread::sleep_for(seconds(3));
  uint64_t settled = passes();
  std::this_thread::sleep_for(seconds(3));
  uint64_t idle = passes();
  EXPECT_LE(idle - settled, 1u) << "an idle watcher kept running passes\n" << w->log();
  EXPECT_LE(settled, 6u) << "too many passes for one apply\n" << w->log();

  w->signal(SIGHUP);
  EXPECT_TRUE(eventually([&] { return passes() > idle; }, kSoon)) << "SIGHUP did not reconcile\n" << w->log();
  EXPECT_TRUE(w->running());
  w->signal(SIGINT);
  EXPECT_EQ(w->wait_exit(kSoon), 0) << w->log();
}

TEST_F(E2EWatch, NotifySocketGetsReadyAndWatchdogAndMetricsParse) {
  NotifySocket sock(dir_.path() + "/../topo-notify-" + std::to_string(::getpid()));
  ASSERT_TRUE(sock.bound()) << sock.path() << ": " << sock.error();

  dir_.write("n.yaml", net("notifynet", "10.68.0.0/24", {"nt1"}));
  std::string metrics = dir_.path() + "/../topo-metrics-" + std::to_string(::getpid()) + ".prom";
  auto w = start(dir_.path(), {"--metrics-file", metrics},
                 {"NOTIFY_SOCKET=" + sock.path(), "WATCHDOG_USEC=400000"});

  eventually(
      [&] {
        sock.receive();
        const std::string all = sock.all();
        return all.find("READY=1") != std::string::npos && all.find("WATCHDOG=1") != std::string::npos;
      },
      kSoon);
  const std::string received = sock.all();
  EXPECT_NE(received.find("READY=1"), std::string::npos) << received << w->log();
  EXPECT_NE(received.find("STATUS="), std::string::npos) << received;
  EXPECT_NE(received.find("WATCHDOG=1"), std::string::npos) << "no watchdog ping\n" << received;
  EXPECT_TRUE(link_exists("nt1", "eth0")) << "READY=1 came before the first pass";

  std::ifstream in(metrics);
  std::stringstream text;
  text << in.rdbuf();
  auto prom = topo::testing::parse_prometheus_text(text.str());
  EXPECT_TRUE(prom.errors.empty()) << ::testing::PrintToString(prom.errors) << "\n" << text.str();
  EXPECT_GE(prom.samples["topo_watch_passes_total"], 1) << text.str();
  EXPECT_GE(prom.samples["topo_watch_changes_total"], 1) << text.str();
  EXPECT_EQ(prom.samples["topo_watch_last_pass_success"], 1) << text.str();
  EXPECT_TRUE(prom.types.count("topo_watch_last_pass_duration_seconds")) << text.str();

  w->signal(SIGTERM);
  EXPECT_EQ(w->wait_exit(kSoon), 0) << w->log();
  ::unlink(metrics.c_str());
}

// Issue 19: READY=1 waits for a converged pass; meanwhile STATUS= says why
// not, and once the bound runs out (here 1.5 s, TOPO_TEST_READY_BOUND_MS;
// 60 s by default) READY=1 comes anyway, saying it is not converged.
TEST_F(E2EWatch, NotReadyUntilConvergedThenReadyAnywayWhenTheBoundRunsOut) {
  NotifySocket sock(dir_.path() + "/../topo-notify-ready-" + std::to_string(::getpid()));
  ASSERT_TRUE(sock.bound()) << sock.path() << ": " << sock.error();

  dir_.write("n.yaml", "version: 1\nnetworks:\n  - name: broken\n    subnet: 10.69.0.0/99\n");
  auto w = start(dir_.path(), {}, {"NOTIFY_SOCKET=" + sock.path(), "TOPO_TEST_READY_BOUND_MS=1500"});
  const bool ready = eventually(
      [&] {
        sock.receive();
        return sock.all().find("READY=1") != std::string::npos;
      },
      kSoon);
  ASSERT_TRUE(ready) << sock.all() << w->log();
  const std::vector<std::string>& messages = sock.messages();
  // Before READY=1 (the last message), a status that says why not.
  bool said_why = false;
  for (size_t i = 0; i + 1 < messages.size(); ++i)
    said_why |= messages[i].find("STATUS=not converged yet: manifest error: ") != std::string::npos &&
                messages[i].find("; next pass in ") != std::string::npos;
  EXPECT_TRUE(said_why) << sock.all();
  const std::string& last = messages.back();
  EXPECT_NE(last.find("READY=1"), std::string::npos) << sock.all();
  EXPECT_NE(last.find("STATUS=started without converging within 2 s: manifest error: "), std::string::npos)
      << sock.all();
  w->signal(SIGTERM);
  EXPECT_EQ(w->wait_exit(kSoon), 0) << w->log();
  // The fixture's destroy loads the manifests.
  dir_.write("n.yaml", "version: 1\nnetworks:\n  - name: fixed\n    subnet: 10.69.0.0/24\n");
}

// Issue 8, concurrency: a hand-run `topo apply` next to the controller. Both
// take the state lock per pass, so they take turns: every apply finishes
// cleanly, the watcher keeps running and ends its passes cleanly, and the
// result is one converged network, whoever applied which change.
TEST_F(E2EWatch, AnApplyWhileTheControllerRunsIsSafe) {
  dir_.write("n.yaml", net("conc", "10.66.0.0/24", {"cc0"}));
  auto w = start(dir_.path());
  ASSERT_TRUE(eventually([] { return link_exists("cc0", "eth0"); }, kSoon)) << w->log();

  std::vector<std::string> names{"cc0"};
  for (int round = 1; round <= 6; ++round) {
    names.push_back("cc" + std::to_string(round));
    // The watcher sees the edit and starts its own pass while the apply runs;
    // a hand-made drift on top wakes it through netlink as well.
    dir_.write("n.yaml", net("conc", "10.66.0.0/24", names));
    if (round % 2 == 0) {
      std::string host_end = link_with_alias("topo-peer:cc0/eth0");
      if (!host_end.empty()) run({"ip", "link", "del", host_end});
    }
    CmdResult a = apply();
    ASSERT_EQ(a.exit_code, 0) << "round " << round << "\n" << a.describe() << w->log();
  }
  ASSERT_TRUE(eventually([this] { return last_line(plan().out) == "No changes."; }, kSoon))
      << plan().describe() << w->log();
  for (const auto& n : names) EXPECT_TRUE(link_exists(n, "eth0")) << n;
  EXPECT_TRUE(ping("cc1", ipv4_of("cc6", "eth0"))) << kernel_snapshot();

  // The controller is still up, and its last pass was clean.
  EXPECT_TRUE(w->running()) << w->log();
  ASSERT_TRUE(eventually([] { return status_json()["last_pass"]["ok"] == true; }, kSoon))
      << status_json().dump(2) << w->log();
  w->signal(SIGTERM);
  EXPECT_EQ(w->wait_exit(kSoon), 0) << w->log();
}

// A hand edit of a container's hosts file is drift: repaired at once (the
// resync is an hour away), not at the next resync.
TEST_F(E2EWatch, AHandEditedHostsFileIsRepairedWithoutWaitingForTheResync) {
  dir_.write("n.yaml", net("etcw", "10.67.0.0/24", {"ew1", "ew2"}));
  auto w = start(dir_.path(), {"--resync", "3600"});
  const fs::path hosts = "/etc/netns/ew1/hosts";
  auto has_peer = [&] {
    std::ifstream in(hosts);
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    return text.find("ew2") != std::string::npos;
  };
  ASSERT_TRUE(eventually(has_peer, kSoon)) << w->log();
  const uint64_t before = passes();
  std::ofstream(hosts, std::ios::trunc) << "127.0.0.1 localhost\n";  // edited in place
  ASSERT_FALSE(has_peer());
  EXPECT_TRUE(eventually(has_peer, kSoon)) << "the edit was not repaired\n" << w->log();
  EXPECT_GT(passes(), before);
  fs::remove(hosts);  // deleted
  EXPECT_TRUE(eventually(has_peer, kSoon)) << "the deleted file was not restored\n" << w->log();
  w->signal(SIGTERM);
  EXPECT_EQ(w->wait_exit(kSoon), 0) << w->log();
}

TEST_F(E2EWatch, ManifestWritableByOthersIsRefused) {
  std::string f = dir_.write("o.yaml", net("opennet", "10.69.0.0/24", {"op1"}));
  ::chmod(f.c_str(), 0666);
  auto w = start(dir_.path());
  ASSERT_TRUE(eventually([] { return passes() >= 1; }, kSoon)) << w->log();
  CmdResult st = topo({"status"});
  EXPECT_NE(st.out.find("writable by group or others"), std::string::npos) << st.describe();
  EXPECT_FALSE(link_exists("op1", "eth0"));
  ::chmod(f.c_str(), 0644);
  EXPECT_TRUE(eventually([] { return link_exists("op1", "eth0"); }, kSoon)) << "chmod go-w was not picked up\n"
                                                                          << w->log();
  w->signal(SIGTERM);
  EXPECT_EQ(w->wait_exit(kSoon), 0) << w->log();
}

}  // namespace
}  // namespace topo::e2e
