// tests/sandbox.sh itself: what the command inside sees, exit codes, and a
// loud refusal when namespaces cannot be made.
#include "kernel_support.hpp"

namespace topo::test {
namespace {

const std::string kSandbox = std::string(TOPO_TEST_DATA) + "/sandbox.sh";

class KernelSandbox : public KernelTest {};

TEST_F(KernelSandbox, GivesAFreshEmptyNetwork) {
  std::string out;
  ASSERT_EQ(sh(kSandbox + " sh -c 'echo dir=$TOPO_NETNS_DIR; ls -A /run/netns /etc/netns | grep -vc : ; "
                          "ip -br link; test -d \"$TOPO_STATE_DIR\" && echo state=ok'",
               &out),
            0)
      << out;
  EXPECT_NE(out.find("dir=/run/netns"), std::string::npos) << out;
  EXPECT_NE(out.find("state=ok"), std::string::npos) << out;
  EXPECT_NE(out.find("lo "), std::string::npos) << out;
  EXPECT_NE(out.find("UP"), std::string::npos) << "lo not up: " << out;
}

TEST_F(KernelSandbox, InnerChangesDoNotLeak) {
  ASSERT_EQ(sh(kSandbox + " sh -c 'ip link add leak0 type bridge && ip netns add leakns'"), 0);
  EXPECT_NE(sh("ip link show leak0"), 0);
  EXPECT_NE(sh("ls " + netns_dir() + "/leakns"), 0);
}

TEST_F(KernelSandbox, PassesTheExitCodeAndCleansTheStateDir) {
  std::string out;
  EXPECT_EQ(sh(kSandbox + " sh -c 'echo $TOPO_STATE_DIR; touch $TOPO_STATE_DIR/x; exit 7'", &out), 7);
  while (!out.empty() && out.back() == '\n') out.pop_back();
  ASSERT_FALSE(out.empty());
  EXPECT_NE(sh("test -e '" + out + "'"), 0) << "state dir left behind: " << out;
}

TEST_F(KernelSandbox, FailsLoudlyWithoutPrivileges) {
  if (sh("command -v setpriv") != 0) GTEST_SKIP() << "setpriv(1) not installed: cannot drop privileges";
  std::string out;
  const int rc = sh("setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all --bounding-set=-all " +
                        kSandbox + " true",
                    &out);
  EXPECT_EQ(rc, 125) << out;
  EXPECT_NE(out.find("cannot create network+mount namespaces"), std::string::npos) << out;
}

}  // namespace
}  // namespace topo::test
