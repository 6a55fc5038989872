// Every firewall rule builds into libnftnl expressions with its label
// readable back (what each rule means: tests/unit/firewall_rules_test.cpp).
#include <gtest/gtest.h>

#include "reconciler/kernel/firewall/nft_build.hpp"
#include "reconciler/resources/firewall.hpp"
#include "reconciler/resources/firewall_rules.hpp"
#include "tests/unit/firewall_intents.hpp"

namespace topo::firewall {
namespace {

using test_support::fw;

TEST(FirewallRules, EveryRuleBuildsAndKeepsItsLabel) {
  auto set = ruleset_of({fw("masquerade n", {{"intent", "masquerade"}, {"bridge", "br-n"}, {"subnets", "10.1.0.0/24,fd00::/64"}}),
                         fw("table inet topo", {{"intent", "table"}, {"family", "inet"}}),
                         fw("routed a", {{"intent", "routed"}, {"bridge", "br-a"}})});
  ASSERT_EQ(set.size(), 6u);  // two masquerades, the DNAT accept, the two guards and routed's accept
  for (const auto& spec : set) {
    nft::Rule rule = build_rule(spec);
    EXPECT_EQ(rule_label(rule.get()), spec.label);
  }
}

}  // namespace
}  // namespace topo::firewall
