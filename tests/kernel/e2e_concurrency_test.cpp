// Issue 8, concurrency: topo takes an exclusive lock on <state dir>/lock for
// apply and destroy. A second apply waits for it (--lock-wait) or fails with
// a clear message and changes nothing; two applies at once both finish and
// neither corrupts the state.
#include <cstdlib>

#include "tests/kernel/reliability_support.hpp"

namespace topo::e2e {
namespace {

std::string state_dir() {
  const char* d = std::getenv("TOPO_STATE_DIR");
  return d ? d : "";
}

TEST_F(E2ETest, ASecondApplyFailsClearlyWhenTheLockIsHeldAndWaitsWhenAsked) {
  ASSERT_FALSE(state_dir().empty()) << "the sandbox exports TOPO_STATE_DIR";
  dir_.write("t.yaml", big_manifest(1, 2, 120));
  const std::string before = kernel_snapshot();
  // Another holder of the lock for 3 seconds (flock(1) on the same file).
  CmdResult held = sh("flock " + state_dir() + "/lock sleep 3 >/dev/null 2>&1 & sleep 0.5; echo started");
  ASSERT_EQ(held.exit_code, 0) << held.describe();

  CmdResult refused = topo({"--lock-wait", "0", "apply", dir_.path()});
  EXPECT_EQ(refused.exit_code, 1) << refused.describe();
  EXPECT_NE(refused.err.find("another topo holds the lock"), std::string::npos) << refused.describe();
  EXPECT_EQ(kernel_snapshot(), before) << "an apply that did not get the lock changed the kernel";

  CmdResult waited = topo({"--lock-wait", "30", "apply", dir_.path()});
  EXPECT_EQ(waited.exit_code, 0) << waited.describe();
  EXPECT_EQ(last_line(plan().out), "No changes.");
}

TEST_F(E2ETest, TwoAppliesAtOnceBothFinishAndTheStateStaysWhole) {
  dir_.write("t.yaml", big_manifest(2, 12, 122));
  std::string cmd = std::string(TOPO_BINARY) + " --lock-wait 120 apply " + dir_.path();
  CmdResult both = sh(cmd + " >" + dir_.path() + "/c1.log 2>&1 & a=$!; " + cmd + " >" + dir_.path() + "/c2.log 2>&1 & b=$!; " +
                      "wait $a; ra=$?; wait $b; rb=$?; echo $ra $rb; cat " + dir_.path() + "/c1.log " + dir_.path() + "/c2.log; "
                      "rm -f " + dir_.path() + "/c1.log " + dir_.path() + "/c2.log");
  EXPECT_EQ(both.out.substr(0, 4), "0 0\n") << "both applies must succeed, one after the other\n" << both.describe();
  CmdResult p = plan();
  EXPECT_EQ(last_line(p.out), "No changes.") << p.describe();
  // The state file is whole JSON (written atomically, under the lock).
  CmdResult json = sh("python3 -m json.tool " + state_dir() + "/state.json >/dev/null && echo ok");
  EXPECT_EQ(json.out, "ok\n") << json.describe() << sh("ls -la " + state_dir()).out;
}

}  // namespace
}  // namespace topo::e2e
