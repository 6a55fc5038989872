// The pure choices of the registry (reconciler/cluster/choice.*): the next
// free subnet of a length in a range, the next free address in a subnet.
#include <gtest/gtest.h>

#include "reconciler/cluster/choice.hpp"
#include "reconciler/cluster/error.hpp"

namespace topo::cluster {
namespace {

IpPrefix P(const char* s) { return *IpPrefix::parse(s); }
IpAddress A(const char* s) { return *IpAddress::parse(s); }

TEST(ClusterChoice, SubnetsInAddressOrderFromTheFirst) {
  EXPECT_EQ(first_free_subnet(P("10.50.0.0/16"), 24, {}), P("10.50.0.0/24"));
  EXPECT_EQ(first_free_subnet(P("10.50.0.0/16"), 24, {P("10.50.0.0/24")}), P("10.50.1.0/24"));
  // A hole is filled first; taken prefixes of other lengths count by overlap.
  EXPECT_EQ(first_free_subnet(P("10.50.0.0/16"), 24, {P("10.50.0.0/24"), P("10.50.2.0/24")}), P("10.50.1.0/24"));
  EXPECT_EQ(first_free_subnet(P("10.50.0.0/16"), 24, {P("10.50.0.0/23"), P("10.50.2.128/25")}), P("10.50.3.0/24"));
  EXPECT_EQ(first_free_subnet(P("10.50.0.0/16"), 24, {P("10.0.0.0/8")}), std::nullopt);
  // Host bits in the range are ignored; other families are.
  EXPECT_EQ(first_free_subnet(P("10.50.7.9/16"), 24, {P("fd00::/8")}), P("10.50.0.0/24"));
  // The last subnet too.
  std::vector<IpPrefix> taken;
  for (int i = 0; i < 255; ++i) taken.push_back(*IpPrefix::parse("10.50." + std::to_string(i) + ".0/24"));
  EXPECT_EQ(first_free_subnet(P("10.50.0.0/16"), 24, taken), P("10.50.255.0/24"));
  taken.push_back(P("10.50.255.0/24"));
  EXPECT_EQ(first_free_subnet(P("10.50.0.0/16"), 24, taken), std::nullopt);
}

TEST(ClusterChoice, SubnetFullRangesAndEdges) {
  EXPECT_EQ(first_free_subnet(P("10.0.0.0/30"), 31, {P("10.0.0.0/31")}), P("10.0.0.2/31"));
  EXPECT_EQ(first_free_subnet(P("10.0.0.0/30"), 31, {P("10.0.0.0/31"), P("10.0.0.2/31")}), std::nullopt);
  EXPECT_EQ(first_free_subnet(P("10.0.0.0/24"), 24, {}), P("10.0.0.0/24"));
  EXPECT_EQ(first_free_subnet(P("255.255.255.0/24"), 25, {P("255.255.255.0/25")}), P("255.255.255.128/25"));
  EXPECT_EQ(first_free_subnet(P("255.255.255.0/24"), 25, {P("255.255.255.128/25"), P("255.255.255.0/25")}),
            std::nullopt);
  EXPECT_THROW(first_free_subnet(P("10.0.0.0/16"), 8, {}), ClusterError);
  EXPECT_THROW(first_free_subnet(P("10.0.0.0/16"), 33, {}), ClusterError);
}

TEST(ClusterChoice, SubnetsIpv6) {
  EXPECT_EQ(first_free_subnet(P("fd00:50::/48"), 64, {}), P("fd00:50::/64"));
  EXPECT_EQ(first_free_subnet(P("fd00:50::/48"), 64, {P("fd00:50::/64"), P("fd00:50:0:1::/64")}),
            P("fd00:50:0:2::/64"));
  // Walks past a big taken block at once (2^15 /64s).
  EXPECT_EQ(first_free_subnet(P("fd00:50::/48"), 64, {P("fd00:50::/49")}), P("fd00:50:0:8000::/64"));
  EXPECT_EQ(first_free_subnet(P("fd00:50::/48"), 64, {P("fd00::/16")}), std::nullopt);
  EXPECT_EQ(first_free_subnet(P("ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffc/126"), 127,
                              {P("ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffc/127")}),
            P("ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffe/127"));
  EXPECT_EQ(first_free_subnet(P("::/0"), 1, {P("::/1")}), P("8000::/1"));
  EXPECT_EQ(first_free_subnet(P("::/0"), 0, {P("fd00::1/128")}), std::nullopt);
  EXPECT_EQ(first_free_subnet(P("::/0"), 0, {}), P("::/0"));
}

TEST(ClusterChoice, AddressesSkipNetworkGatewayBroadcastAndTaken) {
  auto gw = std::optional<IpAddress>(A("10.50.3.1"));
  EXPECT_EQ(first_free_address(P("10.50.3.0/24"), gw, {}), A("10.50.3.2"));
  EXPECT_EQ(first_free_address(P("10.50.3.0/24"), std::nullopt, {}), A("10.50.3.1"));
  EXPECT_EQ(first_free_address(P("10.50.3.0/24"), gw, {A("10.50.3.2"), A("10.50.3.4")}), A("10.50.3.3"));
  std::vector<IpAddress> taken;
  for (int i = 2; i < 254; ++i) taken.push_back(*IpAddress::parse("10.50.3." + std::to_string(i)));
  EXPECT_EQ(first_free_address(P("10.50.3.0/24"), gw, taken), A("10.50.3.254"));
  taken.push_back(A("10.50.3.254"));
  EXPECT_EQ(first_free_address(P("10.50.3.0/24"), gw, taken), std::nullopt) << "never .255, the broadcast";
  // /30: two hosts; /31 and /32: every address.
  EXPECT_EQ(first_free_address(P("10.0.0.0/30"), A("10.0.0.1"), {}), A("10.0.0.2"));
  EXPECT_EQ(first_free_address(P("10.0.0.0/30"), A("10.0.0.1"), {A("10.0.0.2")}), std::nullopt);
  EXPECT_EQ(first_free_address(P("10.0.0.0/31"), std::nullopt, {A("10.0.0.0")}), A("10.0.0.1"));
  EXPECT_EQ(first_free_address(P("10.0.0.7/32"), std::nullopt, {}), A("10.0.0.7"));
  EXPECT_EQ(first_free_address(P("10.0.0.7/32"), A("10.0.0.7"), {}), std::nullopt);
}

TEST(ClusterChoice, AddressesIpv6) {
  EXPECT_EQ(first_free_address(P("fd00:50::/64"), A("fd00:50::1"), {}), A("fd00:50::2"));
  EXPECT_EQ(first_free_address(P("fd00:50::/64"), std::nullopt, {A("fd00:50::1"), A("10.0.0.2")}), A("fd00:50::2"));
  // The last address of an IPv6 subnet is a host's (no broadcast).
  EXPECT_EQ(first_free_address(P("fd00::/126"), A("fd00::1"), {A("fd00::2")}), A("fd00::3"));
  EXPECT_EQ(first_free_address(P("fd00::/126"), A("fd00::1"), {A("fd00::2"), A("fd00::3")}), std::nullopt);
  EXPECT_EQ(first_free_address(P("ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffc/126"), std::nullopt,
                               {A("ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffd"), A("ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffe")}),
            A("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"));
}

}  // namespace
}  // namespace topo::cluster
