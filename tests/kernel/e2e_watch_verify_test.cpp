// The controller runs the manifests' checks (issue 18): after a pass that
// changed something and every --verify-interval, off the event loop; the
// results show in `topo status -o json` and the metrics file; a change to the
// checks alone is run at once; SIGTERM stops the controller promptly even
// while a probe waits out a 30 s timeout.
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <sstream>

#include "tests/kernel/e2e_support.hpp"
#include "tests/kernel/watch_process.hpp"
#include "tests/prom_check.hpp"

namespace topo::e2e {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

constexpr milliseconds kSoon = seconds(15);  // a loaded 2-core machine; normally a second or two

const char* kTopology = R"(version: 1
networks:
  - {name: wvnet, subnet: 10.86.0.0/24}
containers:
  - name: wva
  - name: wvb
attachments:
  - {container: wva, network: wvnet, ipv4: 10.86.0.10}
  - {container: wvb, network: wvnet, ipv4: 10.86.0.20}
)";

nlohmann::json checks_status() {
  CmdResult r = topo({"status", "-o", "json"});
  try {
    return nlohmann::json::parse(r.out).at("checks");
  } catch (...) {
    return nullptr;
  }
}

// Whether the last run recorded is this tally.
bool checks_are(uint64_t passed, uint64_t failed) {
  const nlohmann::json c = checks_status();
  return !c.is_null() && c["last_run_unix_ms"].get<int64_t>() > 0 && c["passed"] == passed && c["failed"] == failed;
}

std::string read(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

class E2EWatchVerify : public E2ETest {
 protected:
  void SetUp() override {
    ::umask(022);          // the watcher refuses manifests writable by group or others
    dir_.move_under("/run");  // ... and below a directory others may write (/tmp)
    E2ETest::SetUp();
    metrics_ = dir_.path() + "/../topo-verify-metrics-" + std::to_string(::getpid()) + ".prom";
  }
  void TearDown() override {
    ::unlink(metrics_.c_str());
    E2ETest::TearDown();
  }
  std::unique_ptr<WatchProcess> start() {
    return std::make_unique<WatchProcess>(std::vector<std::string>{"--log-level", "debug", "watch", dir_.path(),
                                                                   "--debounce", "100", "--settle", "0",
                                                                   "--verify-interval", "1", "--metrics-file",
                                                                   metrics_});
  }
  std::string metrics_;
};

TEST_F(E2EWatchVerify, ChecksRunAfterPassesAndShowInStatusAndMetrics) {
  // wva reaches wvb; nobody has 10.86.0.99.
  dir_.write("m.yaml", std::string(kTopology) + R"(checks:
  - {from: wva, to: wvb}
  - {from: wva, to: 10.86.0.99, expect: reachable, timeout: 1}
)");
  auto w = start();
  ASSERT_TRUE(eventually([] { return checks_are(1, 1); }, kSoon))
      << checks_status().dump(2) << "\n" << w->log();
  const nlohmann::json c = checks_status();
  EXPECT_EQ(c["enabled"], true);
  EXPECT_EQ(c["interval_seconds"], 1);
  bool named = false;
  for (const auto& l : c["checks"])
    if (l["passed"] == false) named = l["from"] == "wva" && l["target"].get<std::string>().find("10.86.0.99") == 0 &&
                                      l["source"].get<std::string>().find("m.yaml:12:") != std::string::npos;
  EXPECT_TRUE(named) << "the failing check with its place\n" << c.dump(2);
  // The text says it too.
  CmdResult text = topo({"status"});
  EXPECT_NE(text.out.find("Checks:     1 passed, 1 failed ("), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("FAIL  wva -> 10.86.0.99"), std::string::npos) << text.out;

  ASSERT_TRUE(eventually([&] { return read(metrics_).find("topo_checks_failed 1\n") != std::string::npos; }, kSoon))
      << read(metrics_);
  const std::string prom_text = read(metrics_);
  auto prom = topo::testing::parse_prometheus_text(prom_text);
  EXPECT_TRUE(prom.errors.empty()) << ::testing::PrintToString(prom.errors) << "\n" << prom_text;
  EXPECT_EQ(prom.samples["topo_checks_passed"], 1) << prom_text;
  EXPECT_GT(prom.samples["topo_checks_last_run_timestamp_seconds"], 1.7e9) << prom_text;
  EXPECT_NE(prom_text.find("topo_check_passed{from=\"wva\",target=\"10.86.0.99"), std::string::npos) << prom_text;

  // The manifest fixed: only the checks change, nothing on the kernel; the
  // next pass runs them at once.
  dir_.write("m.yaml", std::string(kTopology) + R"(checks:
  - {from: wva, to: wvb}
  - {from: wva, to: 10.86.0.99, expect: unreachable, timeout: 1}
)");
  ASSERT_TRUE(eventually([] { return checks_are(2, 0); }, kSoon)) << checks_status().dump(2) << "\n" << w->log();
  ASSERT_TRUE(eventually([&] { return read(metrics_).find("topo_checks_failed 0\n") != std::string::npos; }, kSoon))
      << read(metrics_);
  EXPECT_TRUE(w->running()) << w->log();
  w->signal(SIGTERM);
  EXPECT_EQ(w->wait_exit(kSoon), 0) << w->log();
}

TEST_F(E2EWatchVerify, SigtermStopsTheControllerWhileAProbeWaits) {
  // wvb ignores echo requests: the probe waits out its 30 s.
  dir_.write("m.yaml", std::string(kTopology) + R"(checks:
  - {from: wva, to: wvb, timeout: 30}
)");
  auto w = start();
  ASSERT_TRUE(eventually([] { return link_exists("wvb", "eth0"); }, kSoon)) << w->log();
  CmdResult quiet = run({"ip", "netns", "exec", "wvb", "sysctl", "-qw", "net.ipv4.icmp_echo_ignore_all=1"});
  ASSERT_EQ(quiet.exit_code, 0) << quiet.describe();
  // A run under way: a probe child of the controller (topo __probe) alive
  // for longer than an answered probe ever is.
  std::string probe_pid;
  ASSERT_TRUE(eventually(
      [&] {
        CmdResult r = sh("pgrep -P " + std::to_string(w->pid()) + " -f '[_]_probe.*10.86.0.20'");
        if (r.exit_code != 0) return false;
        probe_pid = r.out.substr(0, r.out.find('\n'));
        ::usleep(1'500'000);
        return ::kill(std::stoi(probe_pid), 0) == 0;
      },
      kSoon))
      << "no probe under way\n" << w->log();
  const auto before = std::chrono::steady_clock::now();
  w->signal(SIGTERM);
  EXPECT_EQ(w->wait_exit(seconds(5)), 0) << "SIGTERM waited for the probe\n" << w->log();
  EXPECT_LT(std::chrono::steady_clock::now() - before, seconds(5));
  // No probe is left behind.
  EXPECT_NE(::kill(std::stoi(probe_pid), 0), 0) << "probe " << probe_pid << " outlived the controller";
}

}  // namespace
}  // namespace topo::e2e
