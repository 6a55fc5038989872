// Loader (issue 15): networks without a subnet, which take one from the
// address pools when planning, and a bridge's default_gateway.
#include "providers/bridge/bridge_settings.hpp"
#include "tests/unit/loader_test_util.hpp"

namespace topo::testing {
namespace {

TEST_F(LoaderTest, BridgeAndOverlayNetworksWithoutASubnetTakeOneFromThePools) {
  const LoadResult r = load_text(R"(networks:
  - name: plain
  - {name: inner, internal: true}
  - {name: over, driver: overlay, vni: 7}
  - {name: fixed, subnet: 10.0.0.0/24}
containers: [{name: c1}]
attachments: [{container: c1, network: plain}]
)");
  ASSERT_TRUE(r.ok()) << dump(r);
  for (const char* name : {"plain", "inner", "over"}) {
    const Network* n = r.desired.network(name);
    ASSERT_NE(n, nullptr);
    EXPECT_TRUE(n->subnet_from_pools) << name;
    EXPECT_TRUE(n->subnets.empty()) << name << ": the pipeline fills it";
  }
  EXPECT_FALSE(r.desired.network("fixed")->subnet_from_pools);
}

TEST_F(LoaderTest, GatewayOrIpRangeWithoutSubnetIsStillAnError) {
  const LoadResult r = load_text("networks:\n  - name: n\n    gateway: 10.0.0.1\n");
  expect_single_error(r, "a.yaml:3:14", "gateway and ip_range need \"subnet\" next to them");
}

TEST_F(LoaderTest, AStaticAddressOnAPoolNetworkIsRefused) {
  const LoadResult r = load_text(R"(networks: [{name: n}]
containers: [{name: c1}]
attachments:
  - container: c1
    network: n
    ipv4: 172.17.0.9
)");
  expect_single_error(r, "a.yaml:6:11",
                      "attachment of \"c1\" to \"n\": ipv4 172.17.0.9 needs the subnet of network \"n\" written: "
                      "without one, the network takes its subnet from the address pools when planning");
}

TEST_F(LoaderTest, ADefaultRouteInRoutesClashesOnAPoolNetworkToo) {
  // The pools give IPv4 subnets: the attachment carries the IPv4 default route.
  const LoadResult r = load_text(R"(networks: [{name: n}]
containers:
  - name: c1
    routes: [{dst: 0.0.0.0/0, via: 10.9.0.1}, {dst: "::/0", via: "fd00::1"}]
attachments: [{container: c1, network: n}]
)");
  expect_single_error(r, "a.yaml:4:20",
                      "container \"c1\": route dst 0.0.0.0/0 is the IPv4 default route, which its attachment to "
                      "network \"n\" at a.yaml:5:15 already carries");
}

TEST_F(LoaderTest, AnOverlaySpanningNodesNeedsASubnetWritten) {
  const LoadResult r = load_text(R"(hosts: [{name: a, address: 10.99.0.1}, {name: b, address: 10.99.0.2}]
networks:
  - {name: one, driver: overlay, vni: 1}
  - {name: local, driver: overlay, vni: 2}
containers: [{name: c1, node: a}, {name: c2, node: b}, {name: c3, node: a}]
attachments:
  - {container: c1, network: one}
  - {container: c2, network: one}
  - {container: c3, network: local}
)");
  expect_single_error(r, "a.yaml:3:5",
                      "network \"one\": the overlay spans nodes a, b, so it needs a subnet written");
}

TEST_F(LoaderTest, DefaultGatewayIsReadAsTheBridgesRouter) {
  const LoadResult r = load_text(R"(networks:
  - {name: n, subnet: 10.0.0.0/24, default_gateway: 10.0.0.254}
)");
  ASSERT_TRUE(r.ok()) << dump(r);
  const auto* s = r.desired.network("n")->settings_as<BridgeSettings>();
  ASSERT_NE(s, nullptr);
  ASSERT_TRUE(s->default_gateway);
  EXPECT_EQ(s->default_gateway->str(), "10.0.0.254");
}

TEST_F(LoaderTest, DefaultGatewayMustBeARouterInsideTheSubnet) {
  const LoadResult r = load_text(R"(networks:
  - {name: outside, subnet: 10.0.0.0/24, default_gateway: 10.0.1.254}
  - {name: itself, subnet: 10.0.2.0/24, default_gateway: 10.0.2.1}
  - {name: netaddr, subnet: 10.0.3.0/24, default_gateway: 10.0.3.0}
  - {name: bcast, subnet: 10.0.4.0/24, default_gateway: 10.0.4.255}
  - {name: inner, subnet: 10.0.5.0/24, internal: true, default_gateway: 10.0.5.254}
  - {name: pooled, default_gateway: 172.17.0.254}
  - {name: garbage, subnet: 10.0.6.0/24, default_gateway: "1.2.3"}
  - {name: v6, subnet: 10.0.7.0/24, default_gateway: "fd00::1"}
  - {name: mine, subnet: 10.0.8.0/24, gateway: 10.0.8.9, default_gateway: 10.0.8.9}
)");
  ASSERT_EQ(r.errors.size(), 9u) << dump(r);
  expect_error(r, "a.yaml:2:59", "network \"outside\": default_gateway 10.0.1.254 is outside subnet 10.0.0.0/24");
  expect_error(r, "a.yaml:3:58", "network \"itself\": default_gateway 10.0.2.1 is the network's gateway 10.0.2.1");
  expect_error(r, "a.yaml:4:59", "default_gateway 10.0.3.0 is the network address of 10.0.3.0/24");
  expect_error(r, "a.yaml:5:57", "default_gateway 10.0.4.255 is the broadcast address of 10.0.4.0/24");
  expect_error(r, "a.yaml:6:73", "default_gateway 10.0.5.254 contradicts internal: true");
  expect_error(r, "a.yaml:7:37", "default_gateway 172.17.0.254 needs the network's subnet written next to it");
  expect_error(r, "a.yaml:8:59", "default_gateway 1.2.3 is not an IP address");
  expect_error(r, "a.yaml:9:54", "default_gateway fd00::1: the network has no IPv6 subnet");
  expect_error(r, "a.yaml:10:75", "default_gateway 10.0.8.9 is the network's gateway 10.0.8.9");
}

TEST_F(LoaderTest, DefaultGatewayIsABridgeNetworksKey) {
  const LoadResult r = load_text(R"(networks:
  - {name: o, driver: overlay, vni: 5, subnet: 10.0.0.0/24, default_gateway: 10.0.0.254}
)");
  expect_single_error(r, "a.yaml:2:78", "\"default_gateway\" applies to bridge networks only, not to driver overlay");
}

TEST_F(LoaderTest, AContainerMayHoldTheDefaultGatewayAddress) {
  // The router itself may be one of the containers on the bridge.
  const LoadResult r = load_text(R"(networks:
  - {name: n, subnet: 10.0.0.0/24, default_gateway: 10.0.0.254}
containers: [{name: router}]
attachments: [{container: router, network: n, ipv4: 10.0.0.254}]
)");
  EXPECT_TRUE(r.ok()) << dump(r);
}

}  // namespace
}  // namespace topo::testing

namespace topo::testing {
namespace {

// p2p opts in to the pools too; its link carries no default route, so a
// container's own default route next to it is no clash.
TEST_F(LoaderTest, AP2pNetworkWithoutASubnetTakesOneFromThePools) {
  const LoadResult r = load_text(R"(networks: [{name: l, driver: p2p}]
containers:
  - name: a
    routes: [{dst: 0.0.0.0/0, via: 172.17.0.2}]
  - name: b
attachments:
  - {container: a, network: l}
  - {container: b, network: l}
)");
  ASSERT_TRUE(r.ok()) << dump(r);
  EXPECT_TRUE(r.desired.network("l")->subnet_from_pools);
}

}  // namespace
}  // namespace topo::testing
