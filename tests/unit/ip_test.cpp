#include "reconciler/model/ip.hpp"

#include <gtest/gtest.h>

namespace topo {

TEST(Ip, ParsesAndPrintsBothFamilies) {
  EXPECT_EQ(IpAddress::parse("172.10.0.1")->str(), "172.10.0.1");
  EXPECT_EQ(IpAddress::parse("fd00::1")->str(), "fd00::1");
  EXPECT_FALSE(IpAddress::parse("172.10.0.256"));
  EXPECT_FALSE(IpAddress::parse("nope"));
  EXPECT_FALSE(IpPrefix::parse("10.0.0.0"));
  EXPECT_FALSE(IpPrefix::parse("10.0.0.0/33"));
  EXPECT_FALSE(IpPrefix::parse("10.0.0.0/2x"));
  EXPECT_EQ(IpPrefix::parse("fd00::/64")->len, 64);
}

TEST(Ip, NetworkStrDropsTheHostBits) {
  EXPECT_EQ(IpPrefix::parse("10.50.1.7/16")->network_str(), "10.50.0.0/16");
  EXPECT_EQ(IpPrefix::parse("fd00::5/64")->network_str(), "fd00::/64");
  EXPECT_EQ(IpPrefix::parse("10.50.1.7/16")->str(), "10.50.1.7/16");
}

TEST(Ip, ContainmentAndArithmetic) {
  auto p = *IpPrefix::parse("172.10.0.0/24");
  EXPECT_TRUE(p.is_network());
  EXPECT_FALSE(IpPrefix::parse("172.10.0.1/24")->is_network());
  EXPECT_TRUE(p.contains(*IpAddress::parse("172.10.0.255")));
  EXPECT_FALSE(p.contains(*IpAddress::parse("172.10.1.0")));
  EXPECT_FALSE(p.contains(*IpAddress::parse("fd00::1")));
  EXPECT_TRUE(p.contains(*IpPrefix::parse("172.10.0.128/25")));
  EXPECT_FALSE(p.contains(*IpPrefix::parse("172.10.0.0/16")));
  EXPECT_EQ(IpAddress::parse("10.0.0.255")->plus(1).str(), "10.0.1.0");
  EXPECT_EQ(IpAddress::parse("fd00::ffff")->plus(1).str(), "fd00::1:0");
  EXPECT_EQ(p.size(), 256u);
}

}  // namespace topo

namespace topo {
namespace {

TEST(IpPrefixOverlap, EitherContainingTheOtherOverlapsAcrossNoFamily) {
  auto p = [](const char* t) { return *IpPrefix::parse(t); };
  EXPECT_TRUE(p("172.20.0.0/16").overlaps(p("172.20.0.0/24")));
  EXPECT_TRUE(p("172.20.0.0/24").overlaps(p("172.20.0.0/16")));
  EXPECT_FALSE(p("172.20.0.0/24").overlaps(p("172.21.0.0/24")));
  EXPECT_FALSE(p("0.0.0.0/0").overlaps(p("::/0")));
}

}  // namespace
}  // namespace topo
