// Loader: semantic rules on networks (addresses, drivers, clashes).
#include "tests/unit/loader_test_util.hpp"

namespace topo::testing {
namespace {

TEST_F(LoaderTest, DuplicateNetworkAcrossFilesCitesBoth) {
  write("m/a.yaml", "networks:\n  - name: x\n    subnet: 10.0.0.0/24\n");
  write("m/b.yaml", "version: 1\nnetworks:\n  - name: x\n    subnet: 10.0.1.0/24\n");
  const LoadResult r = load({"m"});
  expect_single_error(r, "m/b.yaml:3:5", "network \"x\" is defined twice: first at m/a.yaml:2:5");
}

TEST_F(LoaderTest, BadCidrSyntax) {
  const LoadResult r = load_text("networks:\n  - name: n\n    subnet: 10.0.0.0/33\n");
  expect_single_error(r, "a.yaml:3:13", "network \"n\": subnet \"10.0.0.0/33\" is not a CIDR prefix");
}

TEST_F(LoaderTest, BadGatewaySyntax) {
  const LoadResult r = load_text("networks:\n  - name: n\n    subnet: 10.0.0.0/24\n    gateway: 10.0.0.256\n");
  expect_single_error(r, "a.yaml:4:14", "gateway \"10.0.0.256\" is not an IP address");
}

TEST_F(LoaderTest, SubnetWithHostBits) {
  const LoadResult r = load_text("networks:\n  - name: n\n    subnet: 10.0.0.5/24\n");
  expect_single_error(r, "a.yaml:3:13", "subnet 10.0.0.5/24 has host bits set; did you mean 10.0.0.0/24?");
}

TEST_F(LoaderTest, GatewayOutsideSubnet) {
  const LoadResult r = load_text("networks:\n  - name: n\n    subnet: 10.0.0.0/24\n    gateway: 10.0.1.1\n");
  expect_single_error(r, "a.yaml:4:14", "network \"n\": gateway 10.0.1.1 is outside subnet 10.0.0.0/24");
}

TEST_F(LoaderTest, GatewayIsNetworkOrBroadcastAddress) {
  const LoadResult r = load_text(R"(networks:
  - name: n
    subnets:
      - {subnet: 10.0.0.0/24, gateway: 10.0.0.0}
      - {subnet: 10.0.1.0/24, gateway: 10.0.1.255}
)");
  ASSERT_EQ(r.errors.size(), 2u) << dump(r);
  expect_error(r, "a.yaml:4:40", "gateway 10.0.0.0 is the network address of 10.0.0.0/24");
  expect_error(r, "a.yaml:5:40", "gateway 10.0.1.255 is the broadcast address of 10.0.1.0/24");
}

TEST_F(LoaderTest, IpRangeOutsideSubnet) {
  const LoadResult r = load_text("networks:\n  - name: n\n    subnet: 10.0.0.0/24\n    ip_range: 10.0.0.0/16\n");
  expect_single_error(r, "a.yaml:4:15", "ip_range 10.0.0.0/16 is not inside subnet 10.0.0.0/24");
}

TEST_F(LoaderTest, ShorthandAndSubnetsAreExclusive) {
  const LoadResult r = load_text(
      "networks:\n  - name: n\n    subnet: 10.0.0.0/24\n    subnets:\n      - subnet: fd00::/64\n");
  expect_single_error(r, "a.yaml:5:7", "\"subnets\" and the shorthand subnet/gateway/ip_range are exclusive");
}

// A macvlan's subnet is its parent's LAN: the address pools know nothing of it.
// (A bridge or overlay network without one takes one from the pools: loader_pools_test.cpp.)
TEST_F(LoaderTest, SubInterfaceNetworkNeedsASubnet) {
  const LoadResult r = load_text("networks:\n  - name: n\n    driver: macvlan\n    parent: eth0\n");
  expect_single_error(r, "a.yaml:2:5", "network \"n\": driver macvlan needs a subnet (\"subnet\" or \"subnets\")");
}

TEST_F(LoaderTest, OverlappingSubnetsAcrossNetworks) {
  const LoadResult r = load_text(
      "networks:\n  - name: a\n    subnet: 10.0.0.0/16\n  - name: b\n    subnet: 10.0.5.0/24\n");
  expect_single_error(r, "a.yaml:5:13", "network \"b\": subnet 10.0.5.0/24 overlaps 10.0.0.0/16, subnet of network \"a\" at");
}

TEST_F(LoaderTest, SameBridgeNameTwice) {
  const LoadResult r = load_text(R"(networks:
  - name: a
    subnet: 10.0.0.0/24
    bridge: br0
  - name: b
    subnet: 10.0.1.0/24
    bridge: br0
)");
  expect_single_error(r, "a.yaml:7:13", "network \"b\": bridge name \"br0\" is already used by network \"a\" at " );
}

TEST_F(LoaderTest, DefaultBridgeNamesThatCollideAfterCutting) {
  const LoadResult r = load_text(R"(networks:
  - name: frontend-app-1
    subnet: 10.0.0.0/24
  - name: frontend-app-2
    subnet: 10.0.1.0/24
)");
  expect_single_error(r, "a.yaml:4:5", "bridge name \"br-frontend-app\" is already used by network \"frontend-app-1\"");
}

TEST_F(LoaderTest, MacvlanNeedsParentOverlayNeedsVni) {
  const LoadResult r = load_text(R"(networks:
  - name: m
    driver: macvlan
    subnet: 10.0.0.0/24
  - name: o
    driver: overlay
    subnet: 10.0.1.0/24
)");
  ASSERT_EQ(r.errors.size(), 2u) << dump(r);
  expect_error(r, "a.yaml:2:5", "driver macvlan needs \"parent\"");
  expect_error(r, "a.yaml:5:5", "driver overlay needs \"vni\"");
}

TEST_F(LoaderTest, ModeMustFitTheDriver) {
  const LoadResult r = load_text(R"(networks:
  - name: m
    driver: macvlan
    parent: eth0
    mode: l3
    subnet: 10.0.0.0/24
  - name: i
    driver: ipvlan
    parent: eth0
    mode: vepa
    subnet: 10.0.1.0/24
)");
  ASSERT_EQ(r.errors.size(), 2u) << dump(r);
  expect_error(r, "a.yaml:5:11", "mode \"l3\" is not a macvlan mode");
  expect_error(r, "a.yaml:10:11", "mode \"vepa\" is not an ipvlan mode");
}

TEST_F(LoaderTest, KeysOfOtherDrivers) {
  const LoadResult r = load_text("networks:\n  - name: n\n    subnet: 10.0.0.0/24\n    vni: 5\n    parent: eth0\n");
  ASSERT_EQ(r.errors.size(), 2u) << dump(r);
  expect_error(r, "a.yaml:4:10", "\"vni\" applies to overlay networks only, not to driver bridge");
  expect_error(r, "a.yaml:5:13", "\"parent\" applies to macvlan and ipvlan networks only");
}

TEST_F(LoaderTest, InternalWithMasquerade) {
  const LoadResult r = load_text(
      "networks:\n  - name: n\n    subnet: 10.0.0.0/24\n    internal: true\n    masquerade: true\n");
  expect_single_error(r, "a.yaml:5:17", "masquerade: true contradicts internal: true");
}

TEST_F(LoaderTest, RoutedIsForBridgesThatAreNotInternal) {
  LoadResult r = load_text("networks:\n  - name: n\n    subnet: 10.0.0.0/24\n    internal: true\n    routed: true\n");
  expect_single_error(r, "a.yaml:5:13", "routed: true contradicts internal: true");
  r = load_text("networks:\n  - {name: o, driver: overlay, vni: 4, subnet: 10.0.0.0/24, routed: true}\n");
  expect_single_error(r, "a.yaml:2:69", "\"routed\" applies to bridge networks only, not to driver overlay");
  r = load_text("networks:\n  - name: n\n    subnet: 10.0.0.0/24\n    routed: true\n");
  EXPECT_TRUE(r.errors.empty()) << dump(r);
}

TEST_F(LoaderTest, SameVniTwice) {
  const LoadResult r = load_text(R"(networks:
  - {name: a, driver: overlay, vni: 42, subnet: 10.0.0.0/24}
  - {name: b, driver: overlay, vni: 42, subnet: 10.0.1.0/24}
)");
  expect_single_error(r, "a.yaml:3:37", "vni 42 is already used by network \"a\"");
}

TEST_F(LoaderTest, DuplicateHostsAndAddresses) {
  const LoadResult r = load_text(R"(hosts:
  - {name: h1, address: 192.0.2.1}
  - {name: h1, address: 192.0.2.2}
  - {name: h2, address: 192.0.2.1}
)");
  ASSERT_EQ(r.errors.size(), 2u) << dump(r);
  expect_error(r, "a.yaml:3:5", "host \"h1\" is defined twice: first at a.yaml:2:5");
  expect_error(r, "a.yaml:4:25", "address 192.0.2.1 is already the address of host \"h1\"");
}

TEST_F(LoaderTest, BridgeOrParentLoIsRefused) {
  const LoadResult r = load_text(R"(networks:
  - {name: a, subnet: 10.0.0.0/24, bridge: lo}
  - {name: b, driver: macvlan, parent: lo, subnet: 10.0.1.0/24}
)");
  ASSERT_EQ(r.errors.size(), 2u) << dump(r);
  expect_error(r, "a.yaml:2:44", "network \"a\": bridge \"lo\" is the host's loopback interface");
  expect_error(r, "a.yaml:3:40", "network \"b\": parent \"lo\" is the host's loopback interface");
}

// Below 1280 the kernel takes IPv6 off the links: the addresses would vanish.
TEST_F(LoaderTest, MtuBelow1280WithIpv6IsRefused) {
  const LoadResult r = load_text(R"(networks:
  - name: a
    mtu: 1279
    subnets: [{subnet: 10.0.0.0/24}, {subnet: "fd00::/64"}]
  - {name: b, mtu: 1000, subnet: 10.0.1.0/24}
  - {name: c, mtu: 1280, subnet: "fd00:1::/64"}
)");
  expect_single_error(r, "a.yaml:3:10", "network \"a\": mtu 1279 is below 1280, the least IPv6 needs, and the network has the IPv6 subnet fd00::/64");
}

// manifest.md "Subnets that are refused", for every driver; a subnet that
// merely contains such a range overlaps it too.
TEST_F(LoaderTest, LoopbackMulticastThisNetworkAndLinkLocalSubnetsAreRefused) {
  const LoadResult r = load_text(R"(networks:
  - {name: a, subnet: 127.0.0.0/24}
  - {name: b, subnet: 224.0.0.0/24}
  - {name: c, subnet: 0.0.0.0/24}
  - {name: d, subnet: 169.254.0.0/24}
  - {name: e, driver: macvlan, parent: eth0, subnet: 120.0.0.0/5}
  - {name: f, driver: ipvlan, parent: eth0, subnet: "fe80::/64"}
  - {name: g, driver: overlay, vni: 7, subnet: "ff02::/64"}
  - {name: h, subnets: [{subnet: 10.0.0.0/24}, {subnet: "::/64"}]}
  - {name: i, subnet: 239.255.0.0/16}
  - {name: ok, subnets: [{subnet: 10.1.0.0/24}, {subnet: "fd00::/64"}]}
)");
  // e's also overlaps a's: reported as between any two networks.
  ASSERT_EQ(r.errors.size(), 10u) << dump(r);
  expect_error(r, "a.yaml:2:23", "network \"a\": subnet 127.0.0.0/24 overlaps 127.0.0.0/8, which is loopback");
  expect_error(r, "a.yaml:3:23", "subnet 224.0.0.0/24 overlaps 224.0.0.0/4, which is multicast");
  expect_error(r, "a.yaml:4:23", "subnet 0.0.0.0/24 overlaps 0.0.0.0/8, which is reserved");
  expect_error(r, "a.yaml:5:23", "subnet 169.254.0.0/24 overlaps 169.254.0.0/16, which is link-local");
  expect_error(r, "a.yaml:6:54", "network \"e\": subnet 120.0.0.0/5 overlaps 127.0.0.0/8, which is loopback");
  expect_error(r, "a.yaml:7:53", "subnet fe80::/64 overlaps fe80::/10, which is link-local");
  expect_error(r, "a.yaml:8:48", "subnet ff02::/64 overlaps ff00::/8, which is multicast");
  expect_error(r, "a.yaml:9:57", "subnet ::/64 overlaps ::1/128, which is loopback");
  expect_error(r, "a.yaml:10:23", "subnet 239.255.0.0/16 overlaps 224.0.0.0/4");
}

}  // namespace
}  // namespace topo::testing
