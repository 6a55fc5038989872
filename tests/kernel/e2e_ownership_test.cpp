// Done-when 5: topo removes what it manages and nothing else.
#include <algorithm>

#include "tests/kernel/e2e_support.hpp"

namespace topo::e2e {
namespace {

bool has(const std::vector<std::string>& v, const std::string& x) {
  return std::find(v.begin(), v.end(), x) != v.end();
}

bool any_alias_starts(const std::vector<std::string>& aliases, const std::string& needle) {
  return std::any_of(aliases.begin(), aliases.end(),
                     [&](const std::string& a) { return a.find(needle) != std::string::npos; });
}

std::string two_containers(bool with_second) {
  std::string y = R"(version: 1
networks:
  - name: own
    subnet: 10.41.0.0/24
containers:
  - name: own1
)";
  if (with_second) y += "  - name: own2\n";
  y += R"(attachments:
  - container: own1
    network: own
)";
  if (with_second) y += "  - container: own2\n    network: own\n";
  return y;
}

TEST_F(E2ETest, ContainerRemovedFromManifestsIsRemoved) {
  dir_.write("own.yaml", two_containers(true));
  CmdResult a = apply();
  ASSERT_EQ(a.exit_code, 0) << a.describe();
  ASSERT_TRUE(has(netns_list(), "own2"));
  ASSERT_FALSE(link_with_alias("topo-peer:own2/eth0").empty()) << kernel_snapshot();

  dir_.write("own.yaml", two_containers(false));
  CmdResult p = plan({"--detailed-exitcode"});
  EXPECT_EQ(p.exit_code, 2) << p.describe();
  EXPECT_NE(p.out.find("own2"), std::string::npos) << p.describe();
  CmdResult b = apply();
  ASSERT_EQ(b.exit_code, 0) << b.describe();

  EXPECT_FALSE(has(netns_list(), "own2")) << kernel_snapshot();
  EXPECT_TRUE(link_with_alias("topo-peer:own2/eth0").empty()) << kernel_snapshot();
  EXPECT_FALSE(any_alias_starts(topo_aliases(), "own2")) << kernel_snapshot();
  // The one that stays is untouched and still works.
  EXPECT_TRUE(has(netns_list(), "own1"));
  EXPECT_TRUE(ping("own1", "10.41.0.1")) << kernel_snapshot();
  CmdResult again = plan({"--detailed-exitcode"});
  EXPECT_EQ(again.exit_code, 0) << again.describe();
}

// Foreign objects of every kind, some with names that look like topo's.
class ForeignObjects : public E2ETest {
 protected:
  void SetUp() override {
    E2ETest::SetUp();
    if (HasFatalFailure()) return;
    for (const char* cmd : {
             "ip link add brx type bridge",
             "ip link add br-fgn2 type bridge",  // looks like a network's bridge, not in the manifests
             "ip addr add 10.42.9.1/24 dev brx",
             "ip link add vfx0 type veth peer name vfx1",
             "ip link set vfx0 master brx",
             "ip link set brx up",
             "ip netns add foreign",
             "ip netns add fgn9",  // looks like a container's namespace, not in the manifests
             "ip link add vfx2 type veth peer name eth0 netns foreign",
         }) {
      CmdResult r = sh(cmd);
      ASSERT_EQ(r.exit_code, 0) << r.describe();
    }
  }
  void TearDown() override {
    E2ETest::TearDown();
    for (const char* cmd : {"ip link del brx", "ip link del br-fgn2", "ip link del vfx0", "ip link del vfx2",
                            "ip netns del foreign", "ip netns del fgn9"})
      sh(cmd + std::string(" 2>/dev/null"));
  }
  static std::string foreign_snapshot() {
    std::string s;
    for (const char* cmd : {"ip -br link show brx", "ip -br link show br-fgn2", "ip -br addr show brx",
                            "ip -br link show vfx0", "ip -br link show vfx1", "ip -br link show vfx2",
                            "ip -n foreign -br link show eth0", "ip -n fgn9 -br link"}) {
      CmdResult r = sh(cmd);
      s += std::string(cmd) + " -> " + std::to_string(r.exit_code) + "\n" + r.out;
    }
    auto ns = netns_list();
    s += "foreign netns: " + std::to_string(has(ns, "foreign")) + " fgn9: " + std::to_string(has(ns, "fgn9"));
    return s;
  }
};

TEST_F(ForeignObjects, SurviveApplyAndDestroy) {
  dir_.write("fgn.yaml", R"(version: 1
networks:
  - name: fgn
    subnet: 10.42.0.0/24
containers:
  - name: fgn1
attachments:
  - container: fgn1
    network: fgn
)");
  std::string before = foreign_snapshot();
  ASSERT_NE(before.find("foreign netns: 1 fgn9: 1"), std::string::npos) << before;

  CmdResult a = apply();
  ASSERT_EQ(a.exit_code, 0) << a.describe();
  EXPECT_EQ(foreign_snapshot(), before);
  CmdResult p = plan({"--detailed-exitcode"});
  EXPECT_EQ(p.exit_code, 0) << "foreign objects must not show up as changes\n" << p.describe();

  CmdResult d = destroy();
  ASSERT_EQ(d.exit_code, 0) << d.describe();
  EXPECT_EQ(foreign_snapshot(), before);
  // And nothing of topo's is left: no marked links, no managed namespace, no topo routes.
  EXPECT_TRUE(topo_aliases().empty()) << kernel_snapshot();
  EXPECT_FALSE(has(netns_list(), "fgn1"));
  EXPECT_FALSE(link_exists("", "br-fgn"));
  CmdResult routes = run({"ip", "-4", "route", "show", "table", "all", "proto", "116"});
  EXPECT_EQ(routes.out, "") << routes.describe();
}

TEST_F(ForeignObjects, BridgeNameTakenByForeignBridgeIsAConflict) {
  // br-fgn2 exists and is not topo's: the network that wants it must not take it over.
  dir_.write("fgn2.yaml", R"(version: 1
networks:
  - name: fgn2
    subnet: 10.43.0.0/24
containers:
  - name: fgn3
attachments:
  - container: fgn3
    network: fgn2
)");
  std::string before = kernel_snapshot();
  CmdResult a = apply();
  EXPECT_EQ(a.exit_code, 1) << a.describe();
  EXPECT_NE(a.all().find("br-fgn2"), std::string::npos) << "the message must name the object\n" << a.describe();
  std::string lower = a.all();
  std::transform(lower.begin(), lower.end(), lower.begin(), ::tolower);
  EXPECT_NE(lower.find("conflict"), std::string::npos) << a.describe();
  EXPECT_EQ(kernel_snapshot(), before) << "a conflicting apply changed the kernel";

  CmdResult p = plan();
  EXPECT_EQ(p.exit_code, 1) << "plan must report the conflict too\n" << p.describe();
}

TEST_F(ForeignObjects, NamespaceNameTakenByForeignNamespaceIsAConflict) {
  dir_.write("fgn9.yaml", R"(version: 1
networks:
  - name: fgn9net
    subnet: 10.44.0.0/24
containers:
  - name: fgn9
attachments:
  - container: fgn9
    network: fgn9net
)");
  std::string before = kernel_snapshot();
  CmdResult a = apply();
  EXPECT_EQ(a.exit_code, 1) << a.describe();
  EXPECT_NE(a.all().find("fgn9"), std::string::npos) << a.describe();
  EXPECT_EQ(kernel_snapshot(), before) << "a conflicting apply changed the kernel";
}

}  // namespace
}  // namespace topo::e2e
