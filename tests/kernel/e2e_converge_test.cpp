// Done-when 3 and 4: apply is idempotent, and drift made by hand is planned
// and repaired.
#include "tests/kernel/e2e_support.hpp"

namespace topo::e2e {
namespace {

constexpr const char* kIdempotent = R"(version: 1
networks:
  - name: idem
    subnet: 10.31.0.0/24
containers:
  - name: idem1
  - name: idem2
attachments:
  - container: idem1
    network: idem
  - container: idem2
    network: idem
    ipv4: 10.31.0.50
)";

TEST_F(E2ETest, ApplyThenPlanFindsNothingToDo) {
  dir_.write("idem.yaml", kIdempotent);

  CmdResult first = plan({"--detailed-exitcode"});
  EXPECT_EQ(first.exit_code, 2) << "a plan against an empty host has changes\n" << first.describe();
  EXPECT_EQ(last_line(first.out).rfind("Plan: ", 0), 0u) << first.describe();

  CmdResult a = apply({"--detailed-exitcode"});
  ASSERT_EQ(a.exit_code, 2) << "apply --detailed-exitcode made changes: 2\n" << a.describe();

  CmdResult p = plan({"--detailed-exitcode"});
  EXPECT_EQ(p.exit_code, 0) << p.describe();
  EXPECT_EQ(last_line(p.out), "No changes.") << p.describe();

  CmdResult again = apply({"--detailed-exitcode"});
  EXPECT_EQ(again.exit_code, 0) << "a second apply found something to do\n" << again.describe();

  std::string before = kernel_snapshot();
  CmdResult third = apply();
  EXPECT_EQ(third.exit_code, 0) << third.describe();
  EXPECT_EQ(kernel_snapshot(), before) << "a no-op apply changed the kernel";
}

constexpr const char* kRepair = R"(version: 1
networks:
  - name: repair
    subnet: 10.32.0.0/24
containers:
  - name: rp1
  - name: rp2
attachments:
  - container: rp1
    network: repair
  - container: rp2
    network: repair
)";

TEST_F(E2ETest, HostVethDeletedByHandIsPlannedAndRepaired) {
  dir_.write("repair.yaml", kRepair);
  CmdResult a = apply();
  ASSERT_EQ(a.exit_code, 0) << a.describe();
  std::string rp2 = ipv4_of("rp2", "eth0");
  ASSERT_FALSE(rp2.empty()) << kernel_snapshot();
  ASSERT_TRUE(ping("rp1", rp2));
  std::string healthy = kernel_snapshot();

  std::string host_end = link_with_alias("topo-peer:rp1/eth0");
  ASSERT_FALSE(host_end.empty()) << kernel_snapshot();
  CmdResult del = run({"ip", "link", "del", host_end});
  ASSERT_EQ(del.exit_code, 0) << del.describe();
  // Deleting one end of a veth takes the other with it.
  ASSERT_FALSE(link_exists("rp1", "eth0"));
  EXPECT_TRUE(no_reply("rp1", rp2));

  CmdResult p = plan({"--detailed-exitcode"});
  EXPECT_EQ(p.exit_code, 2) << p.describe();
  EXPECT_NE(p.out.find("eth0"), std::string::npos) << "the plan does not mention the lost link\n"
                                                   << p.describe();
  EXPECT_NE(p.out.find("rp1"), std::string::npos) << p.describe();
  EXPECT_EQ(last_line(p.out).rfind("Plan: ", 0), 0u) << p.describe();
  // Nothing of rp2 needs touching.
  for (const char* unrelated : {"rp2/", "rp2:", "namespace rp2"})
    EXPECT_EQ(p.out.find(unrelated), std::string::npos) << "plan touches rp2\n" << p.describe();

  CmdResult fix = apply();
  ASSERT_EQ(fix.exit_code, 0) << fix.describe();
  EXPECT_TRUE(link_exists("rp1", "eth0"));
  EXPECT_FALSE(link_with_alias("topo-peer:rp1/eth0").empty());
  EXPECT_TRUE(ping("rp1", rp2)) << "connectivity not restored\n" << kernel_snapshot();
  EXPECT_EQ(ipv4_of("rp1", "eth0").empty(), false);

  CmdResult after = plan({"--detailed-exitcode"});
  EXPECT_EQ(after.exit_code, 0) << after.describe();
  EXPECT_EQ(last_line(after.out), "No changes.") << after.describe();
}

TEST_F(E2ETest, AddressRemovedFromBridgeByHandIsRepaired) {
  dir_.write("repair.yaml", R"(version: 1
networks:
  - name: repairgw
    subnet: 10.33.0.0/24
containers:
  - name: rg1
attachments:
  - container: rg1
    network: repairgw
)");
  CmdResult a = apply();
  ASSERT_EQ(a.exit_code, 0) << a.describe();
  ASSERT_TRUE(ping("rg1", "10.33.0.1"));

  CmdResult del = run({"ip", "addr", "del", "10.33.0.1/24", "dev", "br-repairgw"});
  ASSERT_EQ(del.exit_code, 0) << del.describe();

  CmdResult p = plan({"--detailed-exitcode"});
  EXPECT_EQ(p.exit_code, 2) << p.describe();
  EXPECT_NE(p.out.find("10.33.0.1"), std::string::npos) << p.describe();

  CmdResult fix = apply();
  ASSERT_EQ(fix.exit_code, 0) << fix.describe();
  EXPECT_TRUE(ping("rg1", "10.33.0.1")) << kernel_snapshot();
}

}  // namespace
}  // namespace topo::e2e
