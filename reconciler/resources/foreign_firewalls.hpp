#pragma once
// Other firewalls on the host that drop what topo forwards. Netfilter runs
// every base chain registered on a hook, and a drop in any of them is final:
// whatever topo's own table accepts, a forward chain of iptables (Docker sets
// `iptables -P FORWARD DROP`) or of firewalld that drops by default stops the
// containers' outbound traffic and published ports. topo never changes
// another program's tables; it reads them to warn, with the rule to add.
// Pure: the kernel layer reads the chains (kernel/firewall/foreign_forward.*).
#include <set>
#include <string>
#include <vector>

#include "reconciler/resources/resource.hpp"

namespace topo::firewall {

// A forward-hook base chain of a table topo does not own.
struct ForeignForwardChain {
  std::string family;  // ip | ip6 | inet
  std::string table, chain;
  bool legacy = false;       // iptables-legacy (x_tables), not nftables
  bool policy_drop = false;  // its policy is drop
  // "drop" or "reject" when its last rule drops every packet that reaches it
  // (firewalld ends its chains so, with an accept policy); "" otherwise.
  std::string final_verdict;
  // What its unconditional-but-for-one-match accept rules let through, as
  // "group:N" (meta iifgroup / -m devgroup), "name:IFNAME" (iifname / -i) or
  // "prefix:TEXT" (iifname "br-*" / -i br-+):
  // accepts_in for the input interface, accepts_out for the output one. A
  // bridge both get through is not blocked by this chain.
  std::set<std::string> accepts_in, accepts_out;
  bool drops_by_default() const { return policy_drop || !final_verdict.empty(); }
};

// The warnings for `chains` given the desired resources: one per chain that
// drops by default, when some bridge network of the desired state needs the
// host to forward (not internal), naming the bridges and the rules that let
// topo's links through. IPv6-only chains count only for IPv6 networks.
std::vector<std::string> forward_blocker_warnings(const std::vector<ForeignForwardChain>& chains,
                                                  const std::vector<Resource>& desired);

}  // namespace topo::firewall
