// Issue 3, done-when 5: dual-stack networks, IPv4 and IPv6 usable at once.
#include "tests/kernel/e2e_support.hpp"

namespace topo::e2e {
namespace {

class E2EDualStack : public E2ETest {};

std::vector<std::string> ipv6_global(const std::string& ns, const std::string& ifname) {
  std::vector<std::string> out;
  std::vector<std::string> args{"-6", "addr", "show", "dev", ifname};
  if (!ns.empty()) args.insert(args.begin(), {"-n", ns});
  for (const auto& l : ip_json(args))
    for (const auto& a : l.value("addr_info", nlohmann::json::array()))
      if (a.value("scope", "") == "global") {
        out.push_back(a.value("local", ""));
        EXPECT_FALSE(a.value("tentative", false)) << "address still doing DAD: " << a.dump();
      }
  return out;
}

TEST_F(E2EDualStack, BridgeContainersPingOverBothFamilies) {
  dir_.write("t.yaml", R"(version: 1
networks:
  - name: ds
    subnets:
      - {subnet: 172.33.0.0/24}
      - {subnet: "fd00:33::/64"}
containers:
  - name: d1
  - name: d2
attachments:
  - {container: d1, network: ds}
  - {container: d2, network: ds, ipv6: "fd00:33::100"}
)");
  CmdResult a = apply();
  ASSERT_EQ(a.exit_code, 0) << a.describe();
  auto gw6 = ipv6_global("", "br-ds");
  EXPECT_NE(std::find(gw6.begin(), gw6.end(), "fd00:33::1"), gw6.end()) << "no IPv6 gateway on the bridge";
  auto d1 = ipv6_global("d1", "eth0"), d2 = ipv6_global("d2", "eth0");
  ASSERT_EQ(d1.size(), 1u) << kernel_snapshot();
  ASSERT_EQ(d2.size(), 1u);
  EXPECT_EQ(d2[0], "fd00:33::100");
  auto r6 = ip_json({"-n", "d1", "-6", "route", "show", "default"});
  ASSERT_EQ(r6.size(), 1u) << r6.dump();
  EXPECT_EQ(r6[0].value("gateway", ""), "fd00:33::1");
  // At once: no waiting for duplicate address detection.
  EXPECT_TRUE(ping("d1", d2[0])) << kernel_snapshot();
  EXPECT_TRUE(ping("d2", d1[0]));
  EXPECT_TRUE(ping("d1", "fd00:33::1"));
  EXPECT_TRUE(ping("d1", ipv4_of("d2", "eth0")));
  EXPECT_EQ(plan({"--detailed-exitcode"}).exit_code, 0);
}

TEST_F(E2EDualStack, MacvlanContainersPingOverBothFamilies) {
  ASSERT_EQ(sh("ip link add dsup0 type veth peer name dsup0p && ip link set dsup0 up && ip link set dsup0p up")
                .exit_code, 0);
  dir_.write("t.yaml", R"(version: 1
networks:
  - name: lan
    driver: macvlan
    parent: dsup0
    subnets:
      - {subnet: 192.168.71.0/24}
      - {subnet: "fd00:71::/64"}
containers:
  - name: m1
  - name: m2
attachments:
  - {container: m1, network: lan}
  - {container: m2, network: lan}
)");
  CmdResult a = apply();
  EXPECT_EQ(a.exit_code, 0) << a.describe();
  auto m1 = ipv6_global("m1", "eth0"), m2 = ipv6_global("m2", "eth0");
  EXPECT_EQ(m1.size(), 1u) << kernel_snapshot();
  EXPECT_EQ(m2.size(), 1u);
  if (!m1.empty() && !m2.empty()) {
    EXPECT_TRUE(ping("m1", m2[0])) << kernel_snapshot();
    EXPECT_TRUE(ping("m2", m1[0]));
  }
  EXPECT_TRUE(ping("m1", ipv4_of("m2", "eth0")));
  EXPECT_EQ(destroy().exit_code, 0);
  sh("ip link del dsup0");
}

}  // namespace
}  // namespace topo::e2e
