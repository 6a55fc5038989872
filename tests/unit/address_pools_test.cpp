// Address pools (issue 15): which subnet a network without one gets, given
// what is taken, and the --address-pools form. Pure.
#include "reconciler/ipam/address_pools.hpp"

#include <gtest/gtest.h>

namespace topo {
namespace {

std::vector<IpPrefix> prefixes(const std::vector<std::string>& texts) {
  std::vector<IpPrefix> out;
  for (const auto& t : texts) out.push_back(*IpPrefix::parse(t));
  return out;
}

std::string first_free(const std::vector<std::string>& taken,
                       const std::vector<AddressPool>& pools = default_address_pools()) {
  const auto p = first_free_subnet(pools, prefixes(taken));
  return p ? p->str() : "none";
}

TEST(AddressPools, DefaultsAreDockers) {
  const auto& pools = default_address_pools();
  ASSERT_EQ(pools.size(), 16u);
  EXPECT_EQ(describe(pools.front()), "172.17.0.0/16 as /16");
  EXPECT_EQ(describe(pools[14]), "172.31.0.0/16 as /16");
  EXPECT_EQ(describe(pools.back()), "192.168.0.0/16 as /20");
}

TEST(AddressPools, NothingTakenGivesTheFirst) { EXPECT_EQ(first_free({}), "172.17.0.0/16"); }

TEST(AddressPools, ATakenSubnetIsSkipped) {
  EXPECT_EQ(first_free({"172.17.0.0/16"}), "172.18.0.0/16");
  EXPECT_EQ(first_free({"172.17.0.0/16", "172.18.0.0/16"}), "172.19.0.0/16");
}

TEST(AddressPools, AnySmallerPrefixInsideACandidateTakesItWhole) {
  // A host route or another network's /24 inside 172.17/16.
  EXPECT_EQ(first_free({"172.17.200.0/24"}), "172.18.0.0/16");
  // An address with host bits, as a bridge's gateway address reads.
  EXPECT_EQ(first_free({"172.17.0.1/16"}), "172.18.0.0/16");
}

TEST(AddressPools, ALargerPrefixSkipsEveryCandidateInside) {
  // 172.16.0.0/12 holds all of 172.17-172.31: the /20s of 192.168 are next.
  EXPECT_EQ(first_free({"172.16.0.0/12"}), "192.168.0.0/20");
  EXPECT_EQ(first_free({"172.16.0.0/12", "192.168.0.0/20"}), "192.168.16.0/20");
  EXPECT_EQ(first_free({"172.16.0.0/12", "192.168.0.0/19"}), "192.168.32.0/20");
}

TEST(AddressPools, OtherFamiliesAndUnrelatedPrefixesDoNotCount) {
  EXPECT_EQ(first_free({"fd00::/8", "10.0.0.0/8", "192.168.1.0/24"}), "172.17.0.0/16");
}

TEST(AddressPools, AllTakenGivesNone) {
  EXPECT_EQ(first_free({"172.16.0.0/12", "192.168.0.0/16"}), "none");
  EXPECT_EQ(first_free({"0.0.0.0/0"}), "none");
}

TEST(AddressPools, ManyTakenSubnetsAreWalkedPastQuickly) {
  // Every /24 of 10.0.0.0/8 but the last taken, in reverse order: found
  // without testing 2^16 candidates against 2^16 prefixes each.
  std::vector<IpPrefix> taken;
  for (int a = 255; a >= 0; --a)
    for (int b = 255; b >= 0; --b)
      if (a != 255 || b != 255)
        taken.push_back(*IpPrefix::parse("10." + std::to_string(a) + "." + std::to_string(b) + ".0/24"));
  const auto p = first_free_subnet({{*IpPrefix::parse("10.0.0.0/8"), 24}}, taken);
  ASSERT_TRUE(p);
  EXPECT_EQ(p->str(), "10.255.255.0/24");
}

TEST(AddressPools, ParsesDockersForm) {
  const ParsedPools one = parse_address_pools({"base=10.10.0.0/16,size=24"});
  ASSERT_EQ(one.error, "");
  ASSERT_EQ(one.pools.size(), 1u);
  EXPECT_EQ(describe(one.pools[0]), "10.10.0.0/16 as /24");
  EXPECT_EQ(first_free({"10.10.0.0/24"}, one.pools), "10.10.1.0/24");
}

TEST(AddressPools, SeveralPoolsBySemicolonOrRepeatedItems) {
  const ParsedPools p =
      parse_address_pools({" base=10.10.0.0/16, size=24 ; base=10.20.0.0/16,size=20;", "size=28,base=10.30.0.0/24"});
  ASSERT_EQ(p.error, "");
  ASSERT_EQ(p.pools.size(), 3u);
  EXPECT_EQ(describe(p.pools), "10.10.0.0/16 as /24, 10.20.0.0/16 as /20, 10.30.0.0/24 as /28");
  EXPECT_EQ(first_free({"10.10.0.0/16"}, p.pools), "10.20.0.0/20");
}

TEST(AddressPools, RefusesWhatIsNoPool) {
  auto error = [](const std::string& text) { return parse_address_pools({text}).error; };
  EXPECT_NE(error("10.10.0.0/16").find("is not base=CIDR or size=N"), std::string::npos) << error("10.10.0.0/16");
  EXPECT_NE(error("base=10.10.0.0/16").find("no size=N"), std::string::npos);
  EXPECT_NE(error("size=24").find("no base=CIDR"), std::string::npos);
  EXPECT_NE(error("base=10.10.0.0,size=24").find("is not a CIDR prefix"), std::string::npos);
  EXPECT_NE(error("base=10.10.0.0/16,size=x").find("is not a prefix length"), std::string::npos);
  EXPECT_NE(error("base=10.10.1.0/16,size=24").find("has host bits set; did you mean 10.10.0.0/16?"),
            std::string::npos);
  EXPECT_NE(error("base=10.10.0.0/16,size=8").find("must be between the base's prefix length (16) and 30"),
            std::string::npos);
  EXPECT_NE(error("base=10.10.0.0/16,size=31").find("and 30"), std::string::npos);
  EXPECT_NE(error("base=fd00::/48,size=64").find("is IPv6"), std::string::npos);
  EXPECT_NE(error("base=127.0.0.0/8,size=16").find("which is loopback"), std::string::npos);
  EXPECT_NE(error("base=169.254.0.0/16,size=24").find("link-local"), std::string::npos);
  // The whole list is refused, and the message names the pool and the form.
  const ParsedPools bad = parse_address_pools({"base=10.10.0.0/16,size=24;base=x"});
  EXPECT_TRUE(bad.pools.empty());
  EXPECT_NE(bad.error.find("address pool \"base=x\""), std::string::npos) << bad.error;
  EXPECT_NE(bad.error.find("base=CIDR,size=N"), std::string::npos);
}

TEST(AddressPools, EmptyItemsAreNoPools) {
  const ParsedPools p = parse_address_pools({"", " ; "});
  EXPECT_EQ(p.error, "");
  EXPECT_TRUE(p.pools.empty());
}

}  // namespace
}  // namespace topo
