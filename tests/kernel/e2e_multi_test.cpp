// Issue 3, done-when 2: several attachments per container (the `docker
// network connect` case), plus extra routes and sysctls in the namespace.
#include "tests/kernel/e2e_support.hpp"

namespace topo::e2e {
namespace {

class E2EMulti : public E2ETest {};

const char* kTwoNetworks = R"(version: 1
networks:
  - {name: network01, subnet: 172.10.0.0/24}
  - {name: network02, subnet: 172.20.0.0/24}
containers:
  - name: c1
  - name: c2
attachments:
  - {container: c1, network: network01, interface: eth0}
  - {container: c2, network: network02, interface: eth0}
)";

TEST_F(E2EMulti, ContainersMeetOnlyOnceAttachedToEachOthersNetwork) {
  dir_.write("t.yaml", kTwoNetworks);
  CmdResult a = apply();
  ASSERT_EQ(a.exit_code, 0) << a.describe();
  const std::string c1 = ipv4_of("c1", "eth0"), c2 = ipv4_of("c2", "eth0");
  ASSERT_FALSE(c1.empty());
  ASSERT_FALSE(c2.empty());
  EXPECT_TRUE(no_reply("c1", c2)) << "separate networks must not reach each other";
  EXPECT_TRUE(no_reply("c2", c1));

  dir_.write("t.yaml", std::string(kTwoNetworks) +
                           "  - {container: c1, network: network02, interface: eth1}\n"
                           "  - {container: c2, network: network01, interface: eth1}\n");
  CmdResult connect = apply();
  ASSERT_EQ(connect.exit_code, 0) << connect.describe();
  EXPECT_EQ(ipv4_of("c1", "eth0"), c1) << "eth0's address changed when eth1 was added";
  EXPECT_EQ(ipv4_of("c2", "eth0"), c2) << "eth0's address changed when eth1 was added";
  EXPECT_FALSE(ipv4_of("c1", "eth1").empty()) << kernel_snapshot();
  EXPECT_TRUE(ping("c1", c2)) << kernel_snapshot();
  EXPECT_TRUE(ping("c2", c1));

  // One default route each, through the lowest interface name.
  auto routes = ip_json({"-n", "c1", "-4", "route", "show", "default"});
  ASSERT_EQ(routes.size(), 1u) << routes.dump();
  EXPECT_EQ(routes[0].value("dev", ""), "eth0");
  EXPECT_EQ(plan({"--detailed-exitcode"}).exit_code, 0);
}

TEST_F(E2EMulti, DefaultRouteFollowsTheMarkedAttachmentAndExtrasAreSet) {
  dir_.write("t.yaml", R"(version: 1
networks:
  - {name: front, subnet: 10.41.0.0/24}
  - {name: back, subnet: 10.42.0.0/24}
containers:
  - name: c1
    routes:
      - {dst: 192.168.99.0/24, via: 10.41.0.1}
    sysctls:
      net.ipv4.conf.all.rp_filter: "2"
attachments:
  - {container: c1, network: front, interface: eth0}
  - {container: c1, network: back, interface: eth1, default_route: true, mac: "02:00:00:00:42:01"}
)");
  CmdResult a = apply();
  ASSERT_EQ(a.exit_code, 0) << a.describe();
  auto def = ip_json({"-n", "c1", "-4", "route", "show", "default"});
  ASSERT_EQ(def.size(), 1u) << def.dump();
  EXPECT_EQ(def[0].value("dev", ""), "eth1");
  EXPECT_EQ(def[0].value("gateway", ""), "10.42.0.1");
  EXPECT_EQ(link_json("c1", "eth1").value("address", ""), "02:00:00:00:42:01");
  auto extra = ip_json({"-n", "c1", "route", "show", "192.168.99.0/24"});
  ASSERT_EQ(extra.size(), 1u) << extra.dump();
  EXPECT_EQ(extra[0].value("gateway", ""), "10.41.0.1");
  EXPECT_EQ(extra[0].value("protocol", ""), "116") << "marked like every topo route";
  CmdResult sysctl = sh("ip netns exec c1 cat /proc/sys/net/ipv4/conf/all/rp_filter");
  EXPECT_EQ(sysctl.out, "2\n") << sysctl.describe();
  EXPECT_EQ(plan({"--detailed-exitcode"}).exit_code, 0);
}

}  // namespace
}  // namespace topo::e2e
