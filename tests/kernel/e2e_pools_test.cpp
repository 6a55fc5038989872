// Issue 15: networks without a subnet take one from the address pools
// (172.17.0.0/16, 172.18.0.0/16, ... as Docker does), skipping the host's own
// routes, and keep it across re-applies and a lost state dir; and a bridge's
// default_gateway routes its containers via a router on the bridge.
#include <algorithm>
#include <cstdlib>
#include <filesystem>

#include "tests/kernel/e2e_support.hpp"

namespace topo::e2e {
namespace {

const char* kOne = R"(version: 1
networks:
  - name: net1               # no subnet: from the pools
containers:
  - name: c1
attachments:
  - {container: c1, network: net1}
)";

// kOne and a second network whose name sorts first: it must not take net1's subnet.
const char* kTwo = R"(version: 1
networks:
  - name: net1
  - name: aaa
containers:
  - name: c1
  - name: c2
attachments:
  - {container: c1, network: net1}
  - {container: c2, network: aaa}
)";

class E2EPools : public E2ETest {
 protected:
  void TearDown() override {
    E2ETest::TearDown();
    // A route a test added stands in for the host's own network.
    if (!host_route_.empty()) sh("ip route del " + host_route_ + " dev lo 2>/dev/null");
  }
  void add_host_route(const std::string& cidr) {
    host_route_ = cidr;
    CmdResult r = sh("ip route add " + cidr + " dev lo");
    ASSERT_EQ(r.exit_code, 0) << r.describe();
  }
  std::string host_route_;
};

bool has(const std::vector<std::string>& v, const std::string& x) {
  return std::find(v.begin(), v.end(), x) != v.end();
}

TEST_F(E2EPools, OnAnEmptyHostTheFirstNetworkGets172_17AndTheNext172_18) {
  dir_.write("topology.yaml", kOne);
  CmdResult p = plan();
  ASSERT_EQ(p.exit_code, 0) << p.describe();
  // The plan shows the choice: on the bridge's address line, and as a note.
  EXPECT_NE(p.out.find("+ address br-net1 172.17.0.1/16"), std::string::npos) << p.describe();
  EXPECT_NE(p.out.find("Note: network net1: subnet 172.17.0.0/16 taken from the address pools"), std::string::npos)
      << p.describe();
  CmdResult pj = plan({"-o", "json"});
  ASSERT_EQ(pj.exit_code, 0) << pj.describe();
  EXPECT_EQ(nlohmann::json::parse(pj.out).at("subnets").value("net1", ""), "172.17.0.0/16") << pj.out;

  CmdResult a = apply();
  ASSERT_EQ(a.exit_code, 0) << a.describe();
  EXPECT_TRUE(has(ipv4_addrs("", "br-net1"), "172.17.0.1/16")) << kernel_snapshot();
  EXPECT_TRUE(has(ipv4_addrs("c1", "eth0"), "172.17.0.2/16")) << kernel_snapshot();
  auto routes = ip_json({"-n", "c1", "-4", "route", "show", "default"});
  ASSERT_EQ(routes.size(), 1u) << routes.dump();
  EXPECT_EQ(routes[0].value("gateway", ""), "172.17.0.1");
  EXPECT_TRUE(ping("c1", "172.17.0.1")) << kernel_snapshot();

  // A second network, whose name sorts first, takes the next one.
  dir_.write("topology.yaml", kTwo);
  a = apply();
  ASSERT_EQ(a.exit_code, 0) << a.describe();
  EXPECT_TRUE(has(ipv4_addrs("", "br-net1"), "172.17.0.1/16")) << kernel_snapshot();
  EXPECT_TRUE(has(ipv4_addrs("", "br-aaa"), "172.18.0.1/16")) << kernel_snapshot();
  EXPECT_TRUE(has(ipv4_addrs("c2", "eth0"), "172.18.0.2/16")) << kernel_snapshot();
  CmdResult again = plan();
  ASSERT_EQ(again.exit_code, 0) << again.describe();
  EXPECT_EQ(last_line(again.out), "No changes.") << again.describe();
}

TEST_F(E2EPools, AHostRouteOver172_17MakesThePoolSkipIt) {
  add_host_route("172.17.0.0/16");
  dir_.write("topology.yaml", kOne);
  CmdResult a = apply();
  ASSERT_EQ(a.exit_code, 0) << a.describe();
  EXPECT_TRUE(has(ipv4_addrs("", "br-net1"), "172.18.0.1/16")) << kernel_snapshot();
  EXPECT_TRUE(has(ipv4_addrs("c1", "eth0"), "172.18.0.2/16")) << kernel_snapshot();
  EXPECT_TRUE(ping("c1", "172.18.0.1")) << kernel_snapshot();

  // Sticky: the route going away frees 172.17, yet net1 stays where it is.
  CmdResult del = sh("ip route del 172.17.0.0/16 dev lo");
  ASSERT_EQ(del.exit_code, 0) << del.describe();
  host_route_.clear();
  CmdResult p = plan();
  ASSERT_EQ(p.exit_code, 0) << p.describe();
  EXPECT_EQ(last_line(p.out), "No changes.") << p.describe();
}

TEST_F(E2EPools, TheSubnetSurvivesADeletedStateDir) {
  // A state dir of this test's own, to delete.
  const std::string state = std::string(std::getenv("TOPO_STATE_DIR")) + "/pools-lost";
  add_host_route("172.17.0.0/16");  // so the choice is not the one a fresh pick would make
  dir_.write("topology.yaml", kOne);
  CmdResult a = apply({"--state-dir", state});
  ASSERT_EQ(a.exit_code, 0) << a.describe();
  ASSERT_TRUE(has(ipv4_addrs("", "br-net1"), "172.18.0.1/16")) << kernel_snapshot();
  CmdResult del = sh("ip route del 172.17.0.0/16 dev lo");
  ASSERT_EQ(del.exit_code, 0) << del.describe();
  host_route_.clear();

  std::filesystem::remove_all(state);
  CmdResult p = plan({"--state-dir", state});
  ASSERT_EQ(p.exit_code, 0) << p.describe();
  EXPECT_EQ(last_line(p.out), "No changes.") << "the subnet moved once the state dir was gone\n" << p.describe();
  CmdResult pj = plan({"--state-dir", state, "-o", "json"});
  EXPECT_EQ(nlohmann::json::parse(pj.out).at("subnets").value("net1", ""), "172.18.0.0/16") << pj.out;
  // And an apply then remembers it again.
  a = apply({"--state-dir", state});
  ASSERT_EQ(a.exit_code, 0) << a.describe();
  EXPECT_TRUE(has(ipv4_addrs("c1", "eth0"), "172.18.0.2/16")) << kernel_snapshot();
  std::filesystem::remove_all(state);
}

TEST_F(E2EPools, AddressPoolsFlagAndEnvironmentSetOtherPools) {
  dir_.write("topology.yaml", kOne);
  CmdResult p = topo({"plan", dir_.path(), "--address-pools", "base=10.200.0.0/16,size=24"});
  ASSERT_EQ(p.exit_code, 0) << p.describe();
  EXPECT_NE(p.out.find("+ address br-net1 10.200.0.1/24"), std::string::npos) << p.describe();

  CmdResult e = sh("TOPO_ADDRESS_POOLS='base=10.201.0.0/16,size=24;base=10.202.0.0/16,size=24' " +
                   std::string(TOPO_BINARY) + " plan " + dir_.path());
  ASSERT_EQ(e.exit_code, 0) << e.describe();
  EXPECT_NE(e.out.find("+ address br-net1 10.201.0.1/24"), std::string::npos) << e.describe();

  CmdResult bad = topo({"plan", dir_.path(), "--address-pools", "base=10.200.0.0/16"});
  EXPECT_EQ(bad.exit_code, 1) << bad.describe();
  EXPECT_NE(bad.err.find("no size=N"), std::string::npos) << bad.describe();

  // validate needs no kernel and no pools to accept a network without a subnet.
  CmdResult v = topo({"validate", dir_.path()});
  EXPECT_EQ(v.exit_code, 0) << v.describe();
}

// Another stack's network, applied from other manifests, is skipped too;
// and re-applying the first stack leaves both where they are.
TEST_F(E2EPools, ANetworkOfAnotherStackIsSkipped) {
  dir_.write("topology.yaml", std::string(kOne) + "stack: first\n");
  ManifestDir other;
  other.write("topology.yaml", R"(version: 1
stack: second
networks: [{name: net2}]
containers: [{name: c2}]
attachments: [{container: c2, network: net2}]
)");
  CmdResult a = apply();
  ASSERT_EQ(a.exit_code, 0) << a.describe();
  CmdResult b = topo({"apply", other.path()});
  EXPECT_EQ(b.exit_code, 0) << b.describe();
  EXPECT_TRUE(has(ipv4_addrs("", "br-net1"), "172.17.0.1/16")) << kernel_snapshot();
  EXPECT_TRUE(has(ipv4_addrs("", "br-net2"), "172.18.0.1/16")) << kernel_snapshot();
  CmdResult again = plan();
  EXPECT_EQ(last_line(again.out), "No changes.") << again.describe();
  CmdResult gone = topo({"destroy", other.path()});
  EXPECT_EQ(gone.exit_code, 0) << gone.describe();
}

// p2p opts in too: no bridge and no gateway, so the kernel's witness of its
// subnet is its two ends' addresses, which must keep it without the state dir.
TEST_F(E2EPools, AP2pLinkWithoutASubnetGetsOneAndKeepsIt) {
  const std::string state = std::string(std::getenv("TOPO_STATE_DIR")) + "/pools-p2p";
  add_host_route("172.17.0.0/16");
  dir_.write("topology.yaml", R"(version: 1
networks: [{name: wire, driver: p2p}]
containers: [{name: red}, {name: blue}]
attachments:
  - {container: red, network: wire}
  - {container: blue, network: wire}
)");
  CmdResult a = apply({"--state-dir", state});
  ASSERT_EQ(a.exit_code, 0) << a.describe();
  const std::string red = ipv4_of("red", "eth0"), blue = ipv4_of("blue", "eth0");
  EXPECT_EQ(red.rfind("172.18.0.", 0), 0u) << kernel_snapshot();
  EXPECT_EQ(blue.rfind("172.18.0.", 0), 0u) << kernel_snapshot();
  EXPECT_TRUE(ping("red", blue)) << kernel_snapshot();
  CmdResult del = sh("ip route del 172.17.0.0/16 dev lo");
  ASSERT_EQ(del.exit_code, 0) << del.describe();
  host_route_.clear();
  std::filesystem::remove_all(state);
  CmdResult p = plan({"--state-dir", state});
  ASSERT_EQ(p.exit_code, 0) << p.describe();
  EXPECT_EQ(last_line(p.out), "No changes.") << p.describe();
  std::filesystem::remove_all(state);
}

// A router on the bridge (one of the containers, forwarding between two
// networks): c1's default route goes via it, not via topo's gateway, and c1
// reaches c2 on the other network through it. Isolation drops what would
// cross the host between the two bridges, so only the router's path works.
TEST_F(E2EPools, ContainersRouteViaTheDefaultGateway) {
  dir_.write("topology.yaml", R"(version: 1
networks:
  - {name: front, subnet: 10.77.1.0/24, default_gateway: 10.77.1.254}
  - {name: back, subnet: 10.77.2.0/24}
containers:
  - name: router
    sysctls: {net.ipv4.ip_forward: "1"}
  - name: c1
  - name: c2
    routes: [{dst: 10.77.1.0/24, via: 10.77.2.254}]
attachments:
  - {container: router, network: front, interface: eth0, ipv4: 10.77.1.254}
  - {container: router, network: back, interface: eth1, ipv4: 10.77.2.254, default_route: true}
  - {container: c1, network: front}
  - {container: c2, network: back, ipv4: 10.77.2.20}
)");
  CmdResult a = apply();
  ASSERT_EQ(a.exit_code, 0) << a.describe();
  // The bridge keeps topo's gateway; c1's default route is the router.
  EXPECT_TRUE(has(ipv4_addrs("", "br-front"), "10.77.1.1/24")) << kernel_snapshot();
  CmdResult routes = run({"ip", "-n", "c1", "route"});
  EXPECT_NE(routes.out.find("default via 10.77.1.254 dev eth0"), std::string::npos) << routes.describe();
  auto def = ip_json({"-n", "c1", "-4", "route", "show", "default"});
  ASSERT_EQ(def.size(), 1u) << def.dump();
  EXPECT_EQ(def[0].value("gateway", ""), "10.77.1.254");
  // The router itself keeps its own default route (via back's gateway).
  auto router_def = ip_json({"-n", "router", "-4", "route", "show", "default"});
  ASSERT_EQ(router_def.size(), 1u) << router_def.dump();
  EXPECT_EQ(router_def[0].value("gateway", ""), "10.77.2.1");

  EXPECT_TRUE(ping("c1", "10.77.2.254")) << "c1 cannot reach the router's other side\n" << kernel_snapshot();
  EXPECT_TRUE(ping("c1", "10.77.2.20")) << "c1 cannot reach c2 through the router\n" << kernel_snapshot();

  CmdResult again = plan();
  EXPECT_EQ(last_line(again.out), "No changes.") << again.describe();
}

}  // namespace
}  // namespace topo::e2e
