#pragma once
// RuleSpec -> libnftnl rule (expressions and the label in its userdata), and
// the fixed chains of topo's tables.
#include <string>
#include <vector>

#include "reconciler/kernel/firewall/nft_handles.hpp"
#include "reconciler/resources/firewall_rules.hpp"

namespace topo::firewall {

int nfproto(Family f);  // NFPROTO_INET | NFPROTO_BRIDGE

struct ChainSpec {
  Chain chain;
  const char* type;  // "nat" | "filter"
  int hook;          // NF_INET_*
  int priority;
};
// The base chains of a family's table, in creation order.
std::vector<ChainSpec> chains_of(Family f);

nft::Rule build_rule(const RuleSpec& spec);

// The comment label in a rule's userdata, "" when there is none.
std::string rule_label(const nftnl_rule* r);

}  // namespace topo::firewall
