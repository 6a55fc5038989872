// The live progress line (issue 19): on a terminal, apply, destroy and
// verify redraw "VERB: done/total (N%), elapsed, current" in place once they
// have run a second, and erase it before they print their result; off a
// terminal nothing of it appears. A pseudo-terminal comes from script(1); a
// slow kernel from the TOPO_FAULT_DELAY_MS test hook.
#include "tests/kernel/e2e_support.hpp"

namespace topo::e2e {
namespace {

const char* kManifest =
    "version: 1\nnetworks:\n  - {name: pr, subnet: 172.24.12.0/24}\ncontainers:\n  - name: r1\n  - name: r2\n"
    "attachments:\n  - {container: r1, network: pr}\n  - {container: r2, network: pr}\n"
    "checks:\n  - {from: r1, to: 172.24.12.99, expect: unreachable, timeout: 2}\n";

class E2EProgress : public E2ETest {
 protected:
  // `args` run by topo on a pseudo-terminal; what the terminal got.
  CmdResult on_terminal(const std::string& env, const std::string& args) {
    return sh("script -qfec \"env " + env + " " TOPO_BINARY " " + args + "\" /dev/null");
  }
};

TEST_F(E2EProgress, ApplyAndDestroyShowALiveLineOnATerminalOnly) {
  dir_.write("m.yaml", kManifest);
  // About 20 operations of 100 ms each: two seconds of apply. (Destroy has fewer,
  // some 10: 300 ms each keeps it well past the first second.)
  CmdResult r = on_terminal("TOPO_FAULT_DELAY_MS=100", "apply --auto-approve " + dir_.path());
  ASSERT_EQ(r.exit_code, 0) << r.describe();
  const auto line = r.out.find("\r\033[Kapply: ");
  ASSERT_NE(line, std::string::npos) << "no progress line\n" << r.out;
  EXPECT_NE(r.out.find(" s, create "), std::string::npos) << "the line names the object at work\n" << r.out;
  const auto erased = r.out.rfind("\r\033[K");
  const auto result = r.out.find("Apply complete");
  ASSERT_NE(result, std::string::npos) << r.out;
  EXPECT_LT(erased, result) << "the line is erased before the result is printed";
  EXPECT_EQ(r.out.find("apply: ", result), std::string::npos) << "nothing drawn after the result";

  r = on_terminal("TOPO_FAULT_DELAY_MS=300", "destroy --auto-approve " + dir_.path());
  ASSERT_EQ(r.exit_code, 0) << r.describe();
  EXPECT_NE(r.out.find("\r\033[Kdestroy: "), std::string::npos) << r.out;

  // Off a terminal: not a byte of it.
  CmdResult off = sh("TOPO_FAULT_DELAY_MS=100 " TOPO_BINARY " apply --auto-approve " + dir_.path());
  ASSERT_EQ(off.exit_code, 0) << off.describe();
  EXPECT_EQ(off.all().find("\033[K"), std::string::npos) << off.describe();
}

TEST_F(E2EProgress, AQuickRunDrawsNothing) {
  dir_.write("m.yaml", kManifest);
  CmdResult r = on_terminal("", "apply --auto-approve " + dir_.path());
  ASSERT_EQ(r.exit_code, 0) << r.describe();
  EXPECT_EQ(r.out.find("\033[K"), std::string::npos) << "under a second, no line\n" << r.out;
}

TEST_F(E2EProgress, VerifyShowsTheChecksUnderWay) {
  dir_.write("m.yaml", kManifest);
  ASSERT_EQ(apply().exit_code, 0);
  CmdResult r = on_terminal("", "verify " + dir_.path());
  ASSERT_EQ(r.exit_code, 0) << r.describe();
  EXPECT_NE(r.out.find("\r\033[Kverify: 0/1 (0%), 1."), std::string::npos) << r.out;
  EXPECT_LT(r.out.rfind("\r\033[K"), r.out.find("PASS")) << r.out;
  CmdResult off = topo({"verify", dir_.path()});
  EXPECT_EQ(off.exit_code, 0) << off.describe();
  EXPECT_EQ(off.all().find("\033[K"), std::string::npos) << off.describe();
}

}  // namespace
}  // namespace topo::e2e
