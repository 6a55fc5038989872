// Issue 8, hostile input through the real binary: names that would escape
// /run/netns or /etc/netns (/, .., NUL, over-long) are refused by `topo
// validate` and `topo apply` (exit 1) and nothing reaches the kernel; and after
// the state dir is lost, `destroy` still removes everything topo made (found
// by its marks) and nothing else.
#include <algorithm>
#include <cstdlib>

#include "tests/kernel/reliability_support.hpp"

namespace topo::e2e {
namespace {

struct Hostile {
  const char* what;
  std::string name;  // YAML scalar, written as is
};

std::vector<Hostile> hostile_names() {
  return {
      {"slash", "\"a/b\""},
      {"dot-dot", "\"..\""},
      {"dot-dot-slash", "\"../../etc\""},
      {"absolute", "\"/etc/passwd\""},
      {"NUL", "\"web\\0x\""},
      {"over-long", std::string(64, 'a')},
      {"way over-long", std::string(5000, 'a')},
      {"dot", "\".\""},
      {"newline", "\"a\\nb\""},
  };
}

TEST_F(E2ETest, NamesThatWouldEscapeTheirDirectoriesAreRefusedAndNothingChanges) {
  const std::string before = kernel_snapshot();
  for (const Hostile& h : hostile_names()) {
    for (const char* where : {"container", "network"}) {
      std::string yaml = std::string(where) == "container"
                             ? "version: 1\nnetworks:\n  - {name: hn, subnet: 10.130.0.0/24}\ncontainers:\n  - name: " +
                                   h.name + "\nattachments:\n  - {container: " + h.name + ", network: hn}\n"
                             : "version: 1\nnetworks:\n  - {name: " + h.name +
                                   ", subnet: 10.130.0.0/24}\ncontainers:\n  - name: hc\n";
      dir_.write("h.yaml", yaml);
      CmdResult v = topo({"validate", dir_.path()});
      EXPECT_EQ(v.exit_code, 1) << h.what << " " << where << " name accepted by validate\n" << v.describe();
      EXPECT_NE(v.all().find("h.yaml:"), std::string::npos) << "the error must cite file:line:col\n" << v.describe();
      CmdResult a = apply();
      EXPECT_EQ(a.exit_code, 1) << h.what << " " << where << " name accepted by apply\n" << a.describe();
      EXPECT_EQ(kernel_snapshot(), before) << h.what << " " << where << ": apply changed the kernel";
    }
  }
  // Nothing may have been written outside the sandbox's directories either.
  EXPECT_TRUE(netns_list().empty());
  EXPECT_EQ(sh("ls -A /etc/netns").out, "");
  dir_.write("h.yaml", "version: 1\n");  // so TearDown's destroy has a manifest
}

TEST_F(E2ETest, AfterTheStateDirIsLostDestroyRemovesWhatTopoMadeAndNothingElse) {
  const char* state = std::getenv("TOPO_STATE_DIR");
  ASSERT_NE(state, nullptr);
  // Foreign objects topo must not touch, one with a name of topo's style.
  ASSERT_EQ(sh("ip link add br-foreign type bridge && ip netns add foreignns && "
               "ip link add fv0 type veth peer name fv1 && ip link set fv1 netns foreignns")
                .exit_code,
            0);
  dir_.write("t.yaml", big_manifest(2, 6, 140));
  CmdResult a = apply();
  ASSERT_EQ(a.exit_code, 0) << a.describe();
  ASSERT_FALSE(topo_leftovers().empty());

  ASSERT_EQ(sh(std::string("rm -rf ") + state + "/* " + state + "/.[!.]*").exit_code, 0);
  CmdResult d = destroy();
  EXPECT_EQ(d.exit_code, 0) << d.describe();
  auto left = topo_leftovers();
  // The foreign namespace is not topo's; everything else must be gone.
  left.erase(std::remove(left.begin(), left.end(), "namespace foreignns"), left.end());
  EXPECT_TRUE(left.empty()) << "left behind: " << (left.empty() ? "" : left.front());
  EXPECT_TRUE(link_exists("", "br-foreign")) << "destroy removed a foreign bridge";
  EXPECT_TRUE(link_exists("", "fv0")) << "destroy removed a foreign veth";
  EXPECT_TRUE(link_exists("foreignns", "fv1")) << "destroy touched a foreign namespace";
  sh("ip link del br-foreign; ip link del fv0; ip netns del foreignns");
}

}  // namespace
}  // namespace topo::e2e
