#include "reconciler/ipam/ipam.hpp"

#include <gtest/gtest.h>

#include "tests/unit/model_builders.hpp"

namespace topo {
using namespace topo::testing;

namespace {

Desired two_containers() {
  Desired d;
  d.networks.push_back(bridge_network("net", "172.10.0.0/24"));
  d.containers = {container("a"), container("b")};
  d.attachments = {attach("a", "net"), attach("b", "net")};
  return d;
}

std::string v4(const IpamResult& r, const std::string& key) {
  auto it = r.allocations.find(key);
  return it == r.allocations.end() || !it->second.ipv4 ? "" : it->second.ipv4->str();
}

Resource live_address(const std::string& ns, const std::string& cidr) {
  Resource r;
  r.kind = Kind::Address;
  r.ns = ns;
  r.name = "eth0/" + cidr;
  r.attrs = {{attr::dev, "eth0"}, {attr::address, cidr}};
  return r;
}

}  // namespace

TEST(Ipam, AllocatesLowestFreeSkippingGatewayAndStatics) {
  Desired d = two_containers();
  d.attachments[1].ipv4 = IpAddress::parse("172.10.0.2");
  auto r = allocate(d, {}, {});
  ASSERT_TRUE(r.errors.empty());
  EXPECT_EQ(v4(r, "net/a/eth0"), "172.10.0.3");
  EXPECT_EQ(v4(r, "net/b/eth0"), "172.10.0.2");
  EXPECT_EQ(r.allocations["net/a/eth0"].mac, "02:42:ac:0a:00:03");
}

TEST(Ipam, RememberedAddressesStayWhenContainersAreAdded) {
  Desired d = two_containers();
  Allocations remembered;
  remembered["net/b/eth0"].ipv4 = IpAddress::parse("172.10.0.2");
  remembered["net/a/eth0"].ipv4 = IpAddress::parse("172.10.0.3");
  d.containers.insert(d.containers.begin(), container("0first"));
  d.attachments.insert(d.attachments.begin(), attach("0first", "net"));
  auto r = allocate(d, remembered, {});
  EXPECT_EQ(v4(r, "net/a/eth0"), "172.10.0.3");
  EXPECT_EQ(v4(r, "net/b/eth0"), "172.10.0.2");
  EXPECT_EQ(v4(r, "net/0first/eth0"), "172.10.0.4");
}

TEST(Ipam, RecoversFromTheKernelWhenTheStateIsLost) {
  Desired d = two_containers();
  auto r = allocate(d, {}, {live_address("b", "172.10.0.2/24"), live_address("a", "172.10.0.9/24")});
  EXPECT_EQ(v4(r, "net/a/eth0"), "172.10.0.9");
  EXPECT_EQ(v4(r, "net/b/eth0"), "172.10.0.2");
}

// manifest.md "attachments": a static address that another attachment holds
// is an error naming both; it never moves the other one (it used to: a got
// 172.10.0.3 and its container silently changed address).
TEST(Ipam, StaticAddressHeldByARememberedAllocationIsAnErrorNamingBoth) {
  Desired d = two_containers();
  d.attachments[0].where = {"m.yaml", 7, 5};
  d.attachments[1].where = {"m.yaml", 9, 5};
  Allocations remembered;
  remembered["net/a/eth0"].ipv4 = IpAddress::parse("172.10.0.2");
  d.attachments[1].ipv4 = IpAddress::parse("172.10.0.2");
  auto r = allocate(d, remembered, {});
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_EQ(r.errors[0],
            "m.yaml:9:5: attachment of b to net: ipv4 172.10.0.2 is already held by the attachment of a to net at "
            "m.yaml:7:5, which was allocated it earlier and keeps it; choose another address, or remove that "
            "attachment first");
}

TEST(Ipam, StaticAddressHeldInTheKernelIsAnErrorNamingBoth) {
  Desired d = two_containers();
  d.networks[0].subnets.push_back(SubnetSpec{*IpPrefix::parse("fd00::/64"), IpAddress::parse("fd00::1"), {}, {}});
  d.attachments[0].where = {"m.yaml", 7, 5};
  d.attachments[1].where = {"m.yaml", 9, 5};
  d.attachments[1].ipv6 = IpAddress::parse("fd00::2");
  auto r = allocate(d, {}, {live_address("a", "172.10.0.2/24"), live_address("a", "fd00::2/64")});
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_NE(r.errors[0].find("m.yaml:9:5: attachment of b to net: ipv6 fd00::2 is already held by the attachment of a "
                             "to net at m.yaml:7:5"),
            std::string::npos)
      << r.errors[0];
}

// The holder itself turning static elsewhere frees its old address for others.
TEST(Ipam, StaticAddressFreedByItsHolderIsNoClash) {
  Desired d = two_containers();
  Allocations remembered;
  remembered["net/a/eth0"].ipv4 = IpAddress::parse("172.10.0.2");
  d.attachments[0].ipv4 = IpAddress::parse("172.10.0.9");
  d.attachments[1].ipv4 = IpAddress::parse("172.10.0.2");
  auto r = allocate(d, remembered, {live_address("a", "172.10.0.2/24")});
  ASSERT_TRUE(r.errors.empty()) << r.errors[0];
  EXPECT_EQ(v4(r, "net/a/eth0"), "172.10.0.9");
  EXPECT_EQ(v4(r, "net/b/eth0"), "172.10.0.2");
}

TEST(Ipam, RememberedAddressOutsideANewRangeIsReplaced) {
  Desired d = two_containers();
  d.networks[0].subnets[0].ip_range = IpPrefix::parse("172.10.0.128/25");
  Allocations remembered;
  remembered["net/a/eth0"].ipv4 = IpAddress::parse("172.10.0.2");
  auto r = allocate(d, remembered, {});
  EXPECT_EQ(v4(r, "net/a/eth0"), "172.10.0.128");
  EXPECT_EQ(v4(r, "net/b/eth0"), "172.10.0.129");
}

TEST(Ipam, ExhaustedPoolIsAnErrorNamingTheAttachment) {
  Desired d = two_containers();
  d.networks[0] = bridge_network("net", "172.10.0.0/30");  // .1 gateway, .2 the only host address
  auto r = allocate(d, {}, {});
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_NE(r.errors[0].find("attachment of b to net"), std::string::npos) << r.errors[0];
  EXPECT_NE(r.errors[0].find("no free IPv4 address"), std::string::npos);
}

TEST(Ipam, Ipv6ComesFromTheIpv6Subnet) {
  Desired d = two_containers();
  SubnetSpec s6;
  s6.subnet = *IpPrefix::parse("fd00:10::/64");
  s6.gateway = IpAddress::parse("fd00:10::1");
  d.networks[0].subnets.push_back(s6);
  auto r = allocate(d, {}, {});
  ASSERT_TRUE(r.allocations["net/a/eth0"].ipv6);
  EXPECT_EQ(r.allocations["net/a/eth0"].ipv6->str(), "fd00:10::2");
  EXPECT_EQ(r.allocations["net/b/eth0"].ipv6->str(), "fd00:10::3");
}

TEST(Ipam, StaticMacIsKeptLowerCased) {
  Desired d = two_containers();
  d.attachments[0].mac = "02:AA:BB:CC:DD:EE";
  auto r = allocate(d, {}, {});
  EXPECT_EQ(r.allocations["net/a/eth0"].mac, "02:aa:bb:cc:dd:ee");
}

}  // namespace topo

namespace topo {

// Issue 13 point 7: b's static MAC is the one topo derives for a's
// allocated address (02:42 + 172.10.0.2): only known once a is allocated,
// so refused here, naming both, where the loader could not see it.
TEST(Ipam, AStaticMacEqualToAnAllocatedAddresssMacIsRefused) {
  Desired d = two_containers();
  d.attachments[1].mac = "02:42:AC:0A:00:02";
  d.attachments[1].ipv4 = IpAddress::parse("172.10.0.9");
  auto r = allocate(d, {}, {});
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_NE(r.errors[0].find("attachment of b to net: mac 02:42:ac:0a:00:02 is also the MAC of the attachment of a "
                             "to net at  on network net (derived from its address 172.10.0.2)"),
            std::string::npos)
      << r.errors[0];
  // On another network it is no clash.
  d.networks.push_back(bridge_network("other", "172.11.0.0/24"));
  d.attachments[1].network = "other";
  d.attachments[1].ipv4 = IpAddress::parse("172.11.0.9");
  EXPECT_TRUE(allocate(d, {}, {}).errors.empty());
}

}  // namespace topo
