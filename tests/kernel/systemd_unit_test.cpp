// systemd/topo.service: `systemd-analyze verify` passes, the service is
// Type=notify with reload, restart and watchdog, and its hardening leaves the
// controller able to work (no directive that gives it a mount namespace of
// its own, see the comment in the unit).
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

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
  CmdResult r = run({"systemd-analyze", "verify", verify_copy().string()});
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
            l.find(" watch /etc/topo") != std::string::npos;
  EXPECT_TRUE(exec) << "ExecStart= does not run <prefix>/bin/topo watch /etc/topo";
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
                                "BindPaths=", "BindReadOnlyPaths="})
    for (const auto& l : d) EXPECT_NE(l.rfind(forbidden, 0), 0u) << l;
}

}  // namespace
}  // namespace topo::e2e
