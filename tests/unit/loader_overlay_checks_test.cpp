// Overlays spanning several nodes need static addresses on every attachment.
#include "providers/overlay/overlay_settings.hpp"
#include "tests/unit/loader_test_util.hpp"

namespace topo::testing {
namespace {

const char* kHostsAndNet =
    "hosts:\n"
    "  - {name: a, address: 10.99.0.1}\n"
    "  - {name: b, address: 10.99.0.2}\n"
    "networks:\n"
    "  - {name: ov, driver: overlay, vni: 42, subnet: 10.50.0.0/24}\n";

}  // namespace

TEST_F(LoaderTest, OverlaySpanningNodesNeedsStaticAddresses) {
  const LoadResult r = load_text(std::string(kHostsAndNet) +
                                 "containers:\n"
                                 "  - {name: c1, node: a}\n"
                                 "  - {name: c2, node: b}\n"
                                 "attachments:\n"
                                 "  - {container: c1, network: ov, ipv4: 10.50.0.11}\n"
                                 "  - container: c2\n"
                                 "    network: ov\n");
  expect_single_error(r, "a.yaml:11:5", "the overlay spans nodes a, b, so its attachments need a static ipv4");
}

TEST_F(LoaderTest, OverlayOnOneNodeMayAllocate) {
  const LoadResult r = load_text(std::string(kHostsAndNet) +
                                 "containers:\n"
                                 "  - {name: c1, node: a}\n"
                                 "  - {name: c2, node: a}\n"
                                 "attachments:\n"
                                 "  - {container: c1, network: ov}\n"
                                 "  - {container: c2, network: ov}\n");
  EXPECT_TRUE(r.ok()) << dump(r);
}

TEST_F(LoaderTest, OverlaySpanningNodesWithStaticAddressesLoads) {
  const LoadResult r = load_text(std::string(kHostsAndNet) +
                                 "containers:\n"
                                 "  - {name: c1, node: a}\n"
                                 "  - {name: c2, node: b}\n"
                                 "attachments:\n"
                                 "  - {container: c1, network: ov, ipv4: 10.50.0.11}\n"
                                 "  - {container: c2, network: ov, ipv4: 10.50.0.12}\n");
  ASSERT_TRUE(r.ok()) << dump(r);
  EXPECT_EQ(r.desired.networks.at(0).mtu, 1450);  // the overlay default leaves room for the VXLAN header
  ASSERT_NE(r.desired.networks.at(0).settings_as<OverlaySettings>(), nullptr);
  EXPECT_EQ(r.desired.networks.at(0).settings_as<OverlaySettings>()->port, 4789);
}

// Issue 13 point 7: a node's VXLAN endpoint must be an address other nodes
// can reach; "any", broadcast, multicast and loopback ones were accepted.
TEST_F(LoaderTest, UnusableUnderlayAddressesAreRefused) {
  const LoadResult r = load_text(
      "hosts:\n"
      "  - {name: a, address: 0.0.0.0}\n"
      "  - {name: b, address: 255.255.255.255}\n"
      "  - {name: c, address: \"::\"}\n"
      "  - {name: d, address: 239.1.1.1}\n"
      "  - {name: e, address: 127.0.0.2}\n"
      "  - {name: f, address: 10.99.0.6}\n");
  ASSERT_EQ(r.errors.size(), 5u) << dump(r);
  expect_error(r, "a.yaml:2:24", "host \"a\": address 0.0.0.0 is the unspecified address");
  expect_error(r, "a.yaml:3:24", "host \"b\": address 255.255.255.255 is the broadcast address");
  expect_error(r, "a.yaml:4:24", "host \"c\": address :: is the unspecified address");
  expect_error(r, "a.yaml:5:24", "host \"d\": address 239.1.1.1 is a multicast address");
  expect_error(r, "a.yaml:6:24", "host \"e\": address 127.0.0.2 is a loopback address");
}

// Issue 13 point 7: an IPv4 underlay on one node and IPv6 on another, both
// on one overlay, passed validate and failed in the kernel.
TEST_F(LoaderTest, OverlayOverIpv4AndIpv6UnderlaysIsRefused) {
  const LoadResult r = load_text(
      "hosts:\n"
      "  - {name: a, address: 10.99.0.1}\n"
      "  - {name: b, address: \"fd00:99::2\"}\n"
      "networks:\n"
      "  - {name: ov, driver: overlay, vni: 42, subnet: 10.50.0.0/24}\n"
      "containers:\n"
      "  - {name: c1, node: a}\n"
      "  - {name: c2, node: b}\n"
      "attachments:\n"
      "  - {container: c1, network: ov, ipv4: 10.50.0.11}\n"
      "  - {container: c2, network: ov, ipv4: 10.50.0.12}\n");
  expect_single_error(r, "a.yaml:3:24",
                      "host \"b\": underlay address fd00:99::2 is IPv6 but host \"a\" (a.yaml:2:24) has the IPv4 "
                      "address 10.99.0.1, and overlay network \"ov\" spans both");
}

// Nodes of different families that share no overlay are fine.
TEST_F(LoaderTest, MixedUnderlayFamiliesOnSeparateOverlaysLoad) {
  const LoadResult r = load_text(
      "hosts:\n"
      "  - {name: a, address: 10.99.0.1}\n"
      "  - {name: b, address: 10.99.0.2}\n"
      "  - {name: c, address: \"fd00:99::3\"}\n"
      "networks:\n"
      "  - {name: ov, driver: overlay, vni: 42, subnet: 10.50.0.0/24}\n"
      "  - {name: ov6, driver: overlay, vni: 43, subnet: 10.51.0.0/24}\n"
      "containers:\n"
      "  - {name: c1, node: a}\n"
      "  - {name: c2, node: b}\n"
      "  - {name: c3, node: c}\n"
      "attachments:\n"
      "  - {container: c1, network: ov, ipv4: 10.50.0.11}\n"
      "  - {container: c2, network: ov, ipv4: 10.50.0.12}\n"
      "  - {container: c3, network: ov6}\n");
  EXPECT_TRUE(r.ok()) << dump(r);
}

}  // namespace topo::testing


// manifest.md: subnet_per_node and backend, each node's share of an
// overlay's subnet in cluster mode.
namespace topo::testing {
namespace {

const char* kClusterNet = "networks:\n  - {name: ov, driver: overlay, vni: 42, ";

TEST_F(LoaderTest, SubnetPerNodeAndBackendAreRead) {
  const LoadResult r = load_text(std::string(kClusterNet) + "subnet: 10.60.0.0/16, subnet_per_node: 24, backend: host-gw}\n");
  ASSERT_TRUE(r.ok()) << dump(r);
  const auto* s = r.desired.networks.at(0).settings_as<OverlaySettings>();
  ASSERT_NE(s, nullptr);
  EXPECT_EQ(s->subnet_per_node, 24);
  EXPECT_EQ(s->backend, OverlaySettings::Backend::HostGw);
  const LoadResult v = load_text(std::string(kClusterNet) + "subnet: 10.60.0.0/16, subnet_per_node: 24}\n");
  ASSERT_TRUE(v.ok()) << dump(v);
  EXPECT_EQ(v.desired.networks.at(0).settings_as<OverlaySettings>()->backend, OverlaySettings::Backend::Vxlan);
}

TEST_F(LoaderTest, SubnetPerNodeMustFitTheSubnet) {
  expect_single_error(load_text(std::string(kClusterNet) + "subnet: 10.60.0.0/16, subnet_per_node: 16}\n"), "a.yaml:2:81",
                      "must be longer than the subnet's /16 and at most /30");
  expect_single_error(load_text(std::string(kClusterNet) + "subnet: 10.60.0.0/16, subnet_per_node: 31}\n"), "a.yaml:2:81",
                      "at most /30");
  EXPECT_TRUE(load_text(std::string(kClusterNet) + "subnet: 'fd00:60::/48', subnet_per_node: 64}\n").ok());
}

TEST_F(LoaderTest, SubnetPerNodeNeedsOneWrittenSubnetWithoutGatewayOrRange) {
  expect_single_error(load_text(std::string(kClusterNet) + "subnet_per_node: 24}\n"), "a.yaml:2:59", "write exactly one");
  expect_single_error(load_text(std::string(kClusterNet) + "subnet: 10.60.0.0/16, gateway: 10.60.0.1, subnet_per_node: 24}\n"),
                      "a.yaml:2:101", "leave \"gateway\" and \"ip_range\" out");
}

TEST_F(LoaderTest, BackendNeedsSubnetPerNode) {
  expect_single_error(load_text(std::string(kClusterNet) + "subnet: 10.60.0.0/16, backend: vxlan}\n"), "a.yaml:2:73",
                      "it needs \"subnet_per_node\"");
}

TEST_F(LoaderTest, SubnetPerNodeIsOnlyAnOverlaysKey) {
  const LoadResult r = load_text("networks:\n  - {name: b, subnet: 10.61.0.0/16, subnet_per_node: 24}\n");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(dump(r).find("subnet_per_node"), std::string::npos) << dump(r);
}

}  // namespace
}  // namespace topo::testing

namespace topo::testing {
namespace {

const char* kClusterManifest =
    "networks:\n"
    "  - {name: ov, driver: overlay, vni: 42, subnet: 10.50.0.0/16}\n"
    "containers:\n"
    "  - {name: c1, node: a}\n"
    "  - {name: c2, node: b}\n"
    "attachments:\n"
    "  - {container: c1, network: ov}\n"
    "  - {container: c2, network: ov}\n";

}  // namespace

TEST_F(LoaderTest, ClusterModeTakesNodesFromEtcdAndAddressesCanBeLeftOut) {
  write("a.yaml", kClusterManifest);
  LoadOptions cluster;
  cluster.cluster = true;
  const LoadResult r = load_manifests({path("a.yaml")}, cluster);
  EXPECT_TRUE(r.ok()) << dump(r);
  // The same without cluster mode: undeclared nodes, and no static addresses.
  const LoadResult single = load({"a.yaml"});
  EXPECT_FALSE(single.ok());
  EXPECT_NE(dump(single).find("node \"a\" is not declared (no hosts given)"), std::string::npos) << dump(single);
}

TEST_F(LoaderTest, ClusterModeNeedsANodeOnEveryContainer) {
  write("a.yaml",
        "networks:\n"
        "  - {name: ov, driver: overlay, vni: 42, subnet: 10.50.0.0/16}\n"
        "containers:\n"
        "  - {name: c1}\n");
  LoadOptions cluster;
  cluster.cluster = true;
  expect_single_error(load_manifests({path("a.yaml")}, cluster), "a.yaml:4:5",
                      "container \"c1\": needs \"node\" in cluster mode (--etcd)");
}

}  // namespace topo::testing
