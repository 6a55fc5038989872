#include <gtest/gtest.h>

#include "reconciler/resources/firewall.hpp"
#include "reconciler/resources/foreign_firewalls.hpp"
#include "reconciler/resources/ownership.hpp"

namespace topo::firewall {
namespace {

Resource bridge(const std::string& name) {
  Resource r;
  r.kind = Kind::Link;
  r.name = name;
  r.attrs[attr::type] = "bridge";
  return r;
}

Resource address(const std::string& dev, const std::string& cidr) {
  Resource r;
  r.kind = Kind::Address;
  r.name = dev + "/" + cidr;
  r.attrs[attr::dev] = dev;
  r.attrs[attr::address] = cidr;
  return r;
}

Resource internal(const std::string& br) {
  Resource r;
  r.kind = Kind::Firewall;
  r.name = "internal " + br;
  r.attrs[fattr::intent] = "internal";
  r.attrs[fattr::bridge] = br;
  return r;
}

ForeignForwardChain chain(const std::string& family, const std::string& table, const std::string& name) {
  ForeignForwardChain c;
  c.family = family;
  c.table = table;
  c.chain = name;
  return c;
}

TEST(ForeignFirewalls, IptablesForwardDropIsWarnedWithTheIptablesRules) {
  auto c = chain("ip", "filter", "FORWARD");
  c.policy_drop = true;
  auto w = forward_blocker_warnings({c}, {bridge("br-a"), address("br-a", "10.1.0.1/24")});
  ASSERT_EQ(w.size(), 1u);
  EXPECT_NE(w[0].find("table ip filter, chain FORWARD (hook forward) has policy drop"), std::string::npos) << w[0];
  EXPECT_NE(w[0].find("br-a"), std::string::npos);
  const std::string group = std::to_string(ownership::kLinkGroup);
  EXPECT_NE(w[0].find("iptables -I FORWARD -m devgroup --src-group " + group + " -j ACCEPT"), std::string::npos)
      << w[0];
  EXPECT_NE(w[0].find("--dst-group " + group), std::string::npos);
}

TEST(ForeignFirewalls, FirewalldStyleFinalRejectIsWarnedWithNftRules) {
  auto c = chain("inet", "firewalld", "filter_FORWARD");
  c.final_verdict = "reject";
  auto w = forward_blocker_warnings({c}, {bridge("br-a")});
  ASSERT_EQ(w.size(), 1u);
  EXPECT_NE(w[0].find("ends with an unconditional reject"), std::string::npos) << w[0];
  EXPECT_NE(w[0].find("nft insert rule inet firewalld filter_FORWARD meta iifgroup"), std::string::npos) << w[0];
}

TEST(ForeignFirewalls, AcceptingChainsAndInternalNetworksAreNotWarned) {
  auto open = chain("ip", "filter", "FORWARD");
  EXPECT_TRUE(forward_blocker_warnings({open}, {bridge("br-a")}).empty());
  auto drop = chain("ip", "filter", "FORWARD");
  drop.policy_drop = true;
  // An internal network routes nothing through the host.
  EXPECT_TRUE(forward_blocker_warnings({drop}, {bridge("br-i"), internal("br-i")}).empty());
  // No bridge network at all: nothing is forwarded.
  EXPECT_TRUE(forward_blocker_warnings({drop}, {}).empty());
}

TEST(ForeignFirewalls, AnIp6ChainCountsOnlyForIpv6Networks) {
  auto c = chain("ip6", "filter", "FORWARD");
  c.policy_drop = true;
  EXPECT_TRUE(forward_blocker_warnings({c}, {bridge("br-a"), address("br-a", "10.1.0.1/24")}).empty());
  auto w = forward_blocker_warnings({c}, {bridge("br-a"), address("br-a", "fd00::1/64")});
  ASSERT_EQ(w.size(), 1u);
  EXPECT_NE(w[0].find("ip6tables -I FORWARD"), std::string::npos) << w[0];
}

TEST(ForeignFirewalls, LegacyIptablesIsNamedAsSuch) {
  auto c = chain("ip", "filter", "FORWARD");
  c.legacy = true;
  c.policy_drop = true;
  auto w = forward_blocker_warnings({c}, {bridge("br-a")});
  ASSERT_EQ(w.size(), 1u);
  EXPECT_NE(w[0].find("iptables-legacy table ip filter"), std::string::npos) << w[0];
  EXPECT_NE(w[0].find("iptables-legacy -I FORWARD"), std::string::npos) << w[0];
}

}  // namespace
}  // namespace topo::firewall

namespace topo::firewall {
namespace {

TEST(ForeignFirewalls, AChainThatAcceptsTopoLinksBothWaysIsNotWarned) {
  ForeignForwardChain c;
  c.family = "ip";
  c.table = "filter";
  c.chain = "FORWARD";
  c.policy_drop = true;
  const std::string group = "group:" + std::to_string(ownership::kLinkGroup);
  c.accepts_in = {group};
  Resource br;
  br.kind = Kind::Link;
  br.name = "br-a";
  br.attrs[attr::type] = "bridge";
  // Only one way: still blocked.
  EXPECT_EQ(forward_blocker_warnings({c}, {br}).size(), 1u);
  c.accepts_out = {group};
  EXPECT_TRUE(forward_blocker_warnings({c}, {br}).empty());
  // Docker's way, by interface name, works as well, for that bridge only.
  c.accepts_in = {"name:br-a"};
  c.accepts_out = {"name:br-a"};
  Resource other = br;
  other.name = "br-b";
  auto w = forward_blocker_warnings({c}, {br, other});
  ASSERT_EQ(w.size(), 1u);
  EXPECT_NE(w[0].find("for br-b "), std::string::npos) << w[0];
}

}  // namespace
}  // namespace topo::firewall

namespace topo::firewall {
namespace {

TEST(ForeignFirewalls, AWildcardAcceptOfTheBridgesLetsThemThrough) {
  ForeignForwardChain c;
  c.family = "inet";
  c.table = "mine";
  c.chain = "fwd";
  c.policy_drop = true;
  c.accepts_in = {"prefix:br-"};
  c.accepts_out = {"prefix:br-"};
  Resource br;
  br.kind = Kind::Link;
  br.name = "br-a";
  br.attrs[attr::type] = "bridge";
  EXPECT_TRUE(forward_blocker_warnings({c}, {br}).empty());
  br.name = "lan0";  // a bridge named otherwise is still blocked
  EXPECT_EQ(forward_blocker_warnings({c}, {br}).size(), 1u);
}

}  // namespace
}  // namespace topo::firewall
