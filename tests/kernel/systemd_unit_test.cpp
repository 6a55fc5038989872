// systemd/topo.service: `systemd-analyze verify` passes, the service is
// Type=notify with reload, restart and watchdog, reads /etc/default/topo, and
// its hardening leaves the controller able to work (no directive that gives
// it a mount namespace of its own, see the comment in the unit) while
// `systemd-analyze security` rates its exposure no worse than README states.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "tests/kernel/e2e_support.hpp"

namespace topo::e2e {
namespace {

namespace fs = std::filesystem;

// The build configures two copies from systemd/topo.service.in: the installed
// one runs <prefix>/bin/topo, this one the build's binary, so that verify can
// check the ExecStart= command exists.
fs::path verify_copy() { return fs::path(TOPO_BINARY).parent_path() / "unit-verify" / "topo.service"; }
fs::path install_copy() { return fs::path(TOPO_BINARY).parent_path() / "topo.service"; }

std::string read(const fs::path& p) {
  std::ifstream in(p);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Active (uncommented) lines "Key=value".
std::vector<std::string> directives(const std::string& unit) {
  std::vector<std::string> out;
  std::istringstream in(unit);
  std::string line;
  while (std::getline(in, line))
    if (!line.empty() && line[0] != '#' && line[0] != '[' && line.find('=') != std::string::npos) out.push_back(line);
  return out;
}

bool has(const std::vector<std::string>& d, const std::string& line) {
  return std::find(d.begin(), d.end(), line) != d.end();
}

TEST(SystemdUnit, SystemdAnalyzeVerifyPasses) {
  ASSERT_TRUE(fs::exists(verify_copy())) << verify_copy() << " was not configured by cmake";
  CmdResult which = sh("command -v systemd-analyze");
  ASSERT_EQ(which.exit_code, 0)
      << "CANNOT VERIFY THE UNIT: systemd-analyze is not installed (the `systemd` package; scripts/setup.sh installs it)";
  // --man=no: Documentation= names man:topo(1), which the package installs
  // and a build tree does not have.
  CmdResult r = run({"systemd-analyze", "verify", "--man=no", verify_copy().string()});
  EXPECT_EQ(r.exit_code, 0) << r.describe();
  // verify reports problems on stderr but may still exit 0 for some of them.
  EXPECT_EQ(r.err.find("topo.service"), std::string::npos) << r.describe();
}

TEST(SystemdUnit, NotifyServiceWithReloadRestartAndWatchdog) {
  auto d = directives(read(install_copy()));
  ASSERT_FALSE(d.empty()) << install_copy();
  EXPECT_TRUE(has(d, "Type=notify"));
  bool exec = false;
  for (const auto& l : d)
    exec |= l.rfind("ExecStart=/", 0) == 0 && l.find("/bin/topo ") != std::string::npos &&
            l.find(" watch ${TOPO_MANIFESTS} $TOPO_WATCH_ARGS") != std::string::npos;
  EXPECT_TRUE(exec) << "ExecStart= does not run <prefix>/bin/topo watch ${TOPO_MANIFESTS} $TOPO_WATCH_ARGS";
  EXPECT_TRUE(has(d, "Environment=TOPO_MANIFESTS=/etc/topo"));
  // Read after Environment=, so that it overrides it; `-`: it may be absent.
  bool envfile = false;
  for (const auto& l : d) envfile |= l.rfind("EnvironmentFile=-/", 0) == 0 && l.find("/default/topo") != std::string::npos;
  EXPECT_TRUE(envfile) << "no EnvironmentFile=-<etc>/default/topo";
  // READY=1 comes within 60 s (watcher/readiness.hpp), before this runs out.
  EXPECT_TRUE(has(d, "TimeoutStartSec=90s"));
  EXPECT_TRUE(has(d, "ExecReload=/bin/kill -HUP $MAINPID"));
  EXPECT_TRUE(has(d, "Restart=on-failure"));
  bool watchdog = false;
  for (const auto& l : d) watchdog |= l.rfind("WatchdogSec=", 0) == 0;
  EXPECT_TRUE(watchdog);
}

TEST(SystemdUnit, HardenedWithoutLosingTheHostsMountsAndNetwork) {
  auto d = directives(read(install_copy()));
  EXPECT_TRUE(has(d, "CapabilityBoundingSet=CAP_NET_ADMIN CAP_SYS_ADMIN CAP_NET_RAW"));
  EXPECT_TRUE(has(d, "NoNewPrivileges=yes"));
  // mnt for the checks' probe children only (they bind a container's etc files).
  EXPECT_TRUE(has(d, "RestrictNamespaces=net mnt"));
  // Each of these gives the service its own mount namespace, whose mounts do
  // not propagate to the host: the namespaces topo bind-mounts in /run/netns
  // would be invisible to `ip netns` and die with the service.
  for (const char* forbidden : {"ProtectSystem=", "ProtectHome=", "PrivateTmp=", "PrivateMounts=", "PrivateNetwork=",
                                "ReadWritePaths=", "ReadOnlyPaths=", "InaccessiblePaths=", "ProtectKernelModules=",
                                "ProtectKernelTunables=", "ProtectKernelLogs=", "ProtectControlGroups=",
                                "ProtectProc=", "PrivateDevices=", "MountFlags=", "TemporaryFileSystem=",
                                "BindPaths=", "BindReadOnlyPaths=", "PrivateIPC=", "ProcSubset=",
                                "DynamicUser=", "RootDirectory=", "RootImage=", "PrivateUsers=", "IPAddressDeny="})
    for (const auto& l : d) EXPECT_NE(l.rfind(forbidden, 0), 0u) << l;
}

// README "The controller" states this figure; a change that raises it must
// say why there, a change that lowers it lowers both.
constexpr double kMaxExposure = 4.3;

TEST(SystemdUnit, SecurityExposureStaysAsLowAsStated) {
  auto d = directives(read(install_copy()));
  EXPECT_TRUE(has(d, "SystemCallFilter=@system-service @mount"));
  EXPECT_TRUE(has(d, "SystemCallFilter=~@privileged @resources"));
  EXPECT_TRUE(has(d, "ProtectClock=yes"));
  EXPECT_TRUE(has(d, "ProtectHostname=yes"));
  ASSERT_EQ(sh("command -v systemd-analyze").exit_code, 0)
      << "CANNOT RATE THE UNIT: systemd-analyze is not installed (the `systemd` package; scripts/setup.sh installs it)";
  // --offline: rates the file itself; no running systemd is asked (none
  // runs in the sandbox, nor may the machine's be).
  CmdResult r = run({"systemd-analyze", "security", "--offline=true", "--no-pager", verify_copy().string()});
  const std::string marker = "Overall exposure level for topo.service: ";
  const auto at = r.out.find(marker);
  ASSERT_NE(at, std::string::npos) << r.describe();
  const double exposure = std::stod(r.out.substr(at + marker.size()));
  EXPECT_LE(exposure, kMaxExposure) << r.out;
}

}  // namespace
}  // namespace topo::e2e
