// The meaning of each firewall intent as rules: pure, no kernel and no
// libnftnl (tests/kernel/kernel_firewall_rules_test.cpp builds them).
#include <gtest/gtest.h>

#include "reconciler/resources/firewall.hpp"
#include "reconciler/resources/firewall_rules.hpp"
#include "tests/unit/firewall_intents.hpp"

namespace topo::firewall {
namespace {

using test_support::fw;

TEST(FirewallRules, PublishIsDnatFromOutsideAndHostPlusHairpinMasquerade) {
  auto rules = rules_of(fw("publish 0.0.0.0:8080/tcp", {{"intent", "publish"}, {"host", "0.0.0.0"}, {"host_port", "8080"},
                                                         {"protocol", "tcp"}, {"to", "172.10.0.5:80"},
                                                         {"container", "web"}, {"subnet", "172.10.0.0/24"}}));
  ASSERT_EQ(rules.size(), 4u);
  EXPECT_EQ(rules[0].chain, Chain::Prerouting);
  EXPECT_TRUE(rules[0].daddr_local);
  // Never 127.x from outside (moby#45610): only the host's own connections.
  ASSERT_TRUE(rules[0].daddr);
  EXPECT_EQ(rules[0].daddr->str(), "127.0.0.0/8");
  EXPECT_TRUE(rules[0].daddr_neq);
  EXPECT_FALSE(rules[1].daddr);
  EXPECT_EQ(rules[0].dport, 8080);
  EXPECT_EQ(rules[0].verdict, RuleSpec::Verdict::Dnat);
  EXPECT_EQ(rules[0].to_addr.str(), "172.10.0.5");
  EXPECT_EQ(rules[0].to_port, 80);
  EXPECT_EQ(rules[1].chain, Chain::Output);
  EXPECT_EQ(rules[2].chain, Chain::Postrouting);
  EXPECT_TRUE(rules[2].ct_dnat);
  EXPECT_EQ(rules[2].verdict, RuleSpec::Verdict::Masquerade);
  auto label = decode_label(rules[2].label);
  ASSERT_TRUE(label);
  EXPECT_EQ(label->index, 2);
  EXPECT_EQ(label->count, 4);
  // 127.0.0.1 is one of every host address: the host's connections to it
  // leave with a loopback source and take the bridge's address.
  EXPECT_EQ(rules[3].chain, Chain::Postrouting);
  ASSERT_TRUE(rules[3].saddr);
  EXPECT_EQ(rules[3].saddr->str(), "127.0.0.0/8");
  EXPECT_EQ(rules[3].daddr->str(), "172.10.0.5/32");
  EXPECT_EQ(rules[3].verdict, RuleSpec::Verdict::Masquerade);
}

TEST(FirewallRules, SpecificHostAddressMatchesOnlyIt) {
  auto rules = rules_of(fw("publish 10.0.0.1:53/udp", {{"intent", "publish"}, {"host", "10.0.0.1"}, {"host_port", "53"},
                                                        {"protocol", "udp"}, {"to", "172.10.0.5:53"},
                                                        {"container", "dns"}, {"subnet", "172.10.0.0/24"}}));
  ASSERT_FALSE(rules.empty());
  EXPECT_FALSE(rules[0].daddr_local);
  ASSERT_TRUE(rules[0].daddr);
  EXPECT_EQ(rules[0].daddr->str(), "10.0.0.1/32");
  EXPECT_EQ(rules[0].l4proto, "udp");
}

// On 127.x only the host's own connections come, with a loopback source
// the container cannot answer: one more rule gives them the bridge's address.
TEST(FirewallRules, LoopbackPublishingMasqueradesLoopbackSources) {
  auto rules = rules_of(fw("publish 127.0.0.1:8080/tcp", {{"intent", "publish"}, {"host", "127.0.0.1"},
                                                          {"host_port", "8080"}, {"protocol", "tcp"},
                                                          {"to", "172.10.0.5:80"}, {"container", "web"},
                                                          {"subnet", "172.10.0.0/24"}}));
  // Only the host's own connections are translated (output), never a packet
  // for 127.x arriving from outside (prerouting): see the red-team test in
  // e2e_firewall_test.cpp.
  ASSERT_EQ(rules.size(), 2u);
  EXPECT_EQ(rules[0].chain, Chain::Output);
  for (const auto& r : rules) EXPECT_NE(r.chain, Chain::Prerouting);
  const RuleSpec& m = rules[1];
  EXPECT_EQ(m.chain, Chain::Postrouting);
  ASSERT_TRUE(m.saddr && m.daddr);
  EXPECT_EQ(m.saddr->str(), "127.0.0.0/8");
  EXPECT_EQ(m.daddr->str(), "172.10.0.5/32");
  EXPECT_EQ(m.dport, 80);
  EXPECT_EQ(m.verdict, RuleSpec::Verdict::Masquerade);
  // Any other host address gets no such rule.
  EXPECT_EQ(rules_of(fw("publish 10.0.0.1:8080/tcp", {{"intent", "publish"}, {"host", "10.0.0.1"},
                                                       {"host_port", "8080"}, {"protocol", "tcp"},
                                                       {"to", "172.10.0.5:80"}, {"container", "web"},
                                                       {"subnet", "172.10.0.0/24"}}))
                .size(),
            3u);
}

TEST(FirewallRules, InternalDropsComeBeforeTheDnatAcceptAndIsolationAfter) {
  auto set = ruleset_of({fw("isolate a", {{"intent", "isolate"}, {"bridge", "br-a"}}),
                         fw("table inet topo", {{"intent", "table"}, {"family", "inet"}}),
                         fw("internal v", {{"intent", "internal"}, {"bridge", "br-v"}})});
  std::vector<std::string> order;
  for (const auto& r : set) order.push_back(decode_label(r.label)->resource.name);
  // Forward, then the input chain's loopback guard (the table's third rule).
  EXPECT_EQ(order, (std::vector<std::string>{"internal v", "internal v", "table inet topo", "isolate a", "isolate a",
                                             "table inet topo", "table inet topo"}));
}

// Issue 13 points 2 and 3: what the inet table holds whatever the networks.
TEST(FirewallRules, TheInetTableGuardsTheHostsLoopbackAndUnpublishedContainerPorts) {
  auto rules = rules_of(fw("table inet topo", {{"intent", "table"}, {"family", "inet"}}));
  ASSERT_EQ(rules.size(), 3u);
  // Published ports pass everything after.
  EXPECT_EQ(rules[0].chain, Chain::Forward);
  EXPECT_TRUE(rules[0].ct_dnat);
  EXPECT_EQ(rules[0].verdict, RuleSpec::Verdict::Accept);
  // From any of topo's bridges to 127/8 on the host: dropped unless DNATed.
  const RuleSpec& lo = rules[1];
  EXPECT_EQ(lo.chain, Chain::Input);
  EXPECT_EQ(lo.iifgroup, 0x746f706fu);
  EXPECT_FALSE(lo.iifgroup_neq);
  EXPECT_EQ(lo.daddr->str(), "127.0.0.0/8");
  EXPECT_TRUE(lo.ct_not_dnat);
  EXPECT_EQ(lo.verdict, RuleSpec::Verdict::Drop);
  // Into topo's bridges from elsewhere: new connections dropped unless DNATed.
  const RuleSpec& direct = rules[2];
  EXPECT_EQ(direct.chain, Chain::Forward);
  EXPECT_EQ(direct.oifgroup, 0x746f706fu);
  EXPECT_EQ(direct.iifgroup, 0x746f706fu);
  EXPECT_TRUE(direct.iifgroup_neq);
  EXPECT_TRUE(direct.ct_not_reply);
  EXPECT_TRUE(direct.ct_not_dnat);
  EXPECT_EQ(direct.verdict, RuleSpec::Verdict::Drop);
  EXPECT_TRUE(rules_of(fw("table bridge topo", {{"intent", "table"}, {"family", "bridge"}})).empty());
}

// One intent per isolated network, against every bridge in topo's link
// group (any stack's), both ways: O(networks) rules, not O(networks²).
TEST(FirewallRules, IsolationDropsBothWaysAgainstTopoBridges) {
  auto rules = rules_of(fw("isolate a", {{"intent", "isolate"}, {"bridge", "br-a"}}));
  ASSERT_EQ(rules.size(), 2u);
  EXPECT_EQ(rules[0].iif, "br-a");
  EXPECT_FALSE(rules[0].iif_neq);
  EXPECT_EQ(rules[0].oif, "br-a");
  EXPECT_TRUE(rules[0].oif_neq);
  EXPECT_EQ(rules[0].oifgroup, 0x746f706fu);
  EXPECT_FALSE(rules[0].iifgroup);
  EXPECT_EQ(rules[1].oif, "br-a");
  EXPECT_FALSE(rules[1].oif_neq);
  EXPECT_TRUE(rules[1].iif_neq);
  EXPECT_EQ(rules[1].iifgroup, 0x746f706fu);
  for (const auto& r : rules) EXPECT_EQ(r.verdict, RuleSpec::Verdict::Drop);
}

// routed: true lets new connections from beyond the host into the bridge,
// ahead of the guard, and only from links that are not topo's.
TEST(FirewallRules, RoutedAcceptsFromOutsideTopoAheadOfTheGuard) {
  auto set = ruleset_of({fw("table inet topo", {{"intent", "table"}, {"family", "inet"}}),
                         fw("routed a", {{"intent", "routed"}, {"bridge", "br-a"}}),
                         fw("isolate a", {{"intent", "isolate"}, {"bridge", "br-a"}})});
  std::vector<std::string> order;
  for (const auto& r : set) order.push_back(decode_label(r.label)->resource.name);
  // The table's accept of published ports and routed's accept (stage 1), then
  // the drops (stage 2): the table's guard, isolation; then the input chain.
  EXPECT_EQ(order, (std::vector<std::string>{"table inet topo", "routed a", "table inet topo", "isolate a",
                                             "isolate a", "table inet topo"}));
  auto rules = rules_of(fw("routed a", {{"intent", "routed"}, {"bridge", "br-a"}}));
  ASSERT_EQ(rules.size(), 1u);
  EXPECT_EQ(rules[0].chain, Chain::Forward);
  EXPECT_EQ(rules[0].oif, "br-a");
  EXPECT_EQ(rules[0].iifgroup, 0x746f706fu);
  EXPECT_TRUE(rules[0].iifgroup_neq);
  EXPECT_EQ(rules[0].verdict, RuleSpec::Verdict::Accept);
}

TEST(FirewallRules, IccOffLivesInTheBridgeTable) {
  auto r = fw("icc-off q q1/eth0", {{"intent", "icc-off"}, {"bridge", "br-q"}, {"port", "veth01234567"}});
  EXPECT_EQ(family_of(r), Family::Bridge);
  auto rules = rules_of(r);
  ASSERT_EQ(rules.size(), 1u);
  EXPECT_EQ(rules[0].chain, Chain::BridgeForward);
  EXPECT_EQ(rules[0].iif, "veth01234567");
}

TEST(FirewallRules, UnusableAttributesAreRefusedNamingTheIntent) {
  try {
    rules_of(fw("masquerade x", {{"intent", "masquerade"}, {"bridge", "br-x"}, {"subnets", "nonsense"}}));
    FAIL() << "accepted a bad subnet";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("masquerade x"), std::string::npos) << e.what();
  }
}

// Cluster mode: a routed overlay's share reaches the other nodes' shares
// before isolation and the routing guard drop it, over its VXLAN device...
TEST(FirewallRules, TunnelThroughTheVxlanDeviceIsAcceptedBothWays) {
  auto rules = rules_of(fw("tunnel ov", {{"intent", "tunnel"}, {"bridge", "br-ov"}, {"device", "vx-1"}}));
  ASSERT_EQ(rules.size(), 2u);
  EXPECT_EQ(rules[0].iif, "br-ov");
  EXPECT_EQ(rules[0].oif, "vx-1");
  EXPECT_EQ(rules[1].iif, "vx-1");
  EXPECT_EQ(rules[1].oif, "br-ov");
  for (const auto& r : rules) {
    EXPECT_EQ(r.verdict, RuleSpec::Verdict::Accept);
    EXPECT_EQ(r.chain, Chain::Forward);
    EXPECT_LT(r.stage, 2);  // before isolation and the guard
  }
}

// ... or, host-gw, from and to the whole subnet through the underlay.
TEST(FirewallRules, HostGwTunnelAcceptsTheWholeSubnetOnly) {
  auto rules = rules_of(fw("tunnel ov", {{"intent", "tunnel"}, {"bridge", "br-ov"}, {"peers", "10.50.0.0/16"}}));
  ASSERT_EQ(rules.size(), 2u);
  EXPECT_EQ(rules[0].iif, "br-ov");
  EXPECT_EQ(rules[0].daddr->str(), "10.50.0.0/16");
  EXPECT_EQ(rules[1].oif, "br-ov");
  EXPECT_EQ(rules[1].saddr->str(), "10.50.0.0/16");
}

// Only what leaves the whole subnet is translated.
TEST(FirewallRules, MasqueradeSkipsTheExceptedSubnet) {
  auto rules = rules_of(fw("masquerade ov", {{"intent", "masquerade"}, {"bridge", "br-ov"},
                                             {"subnets", "10.50.1.0/24"}, {"except", "10.50.0.0/16"}}));
  ASSERT_EQ(rules.size(), 1u);
  ASSERT_TRUE(rules[0].daddr);
  EXPECT_EQ(rules[0].daddr->str(), "10.50.0.0/16");
  EXPECT_TRUE(rules[0].daddr_neq);
}

}  // namespace
}  // namespace topo::firewall
