#pragma once
// Reads the forward-hook base chains of tables topo does not own, in the
// calling thread's network namespace, for resources/foreign_firewalls.hpp:
// every nftables table (iptables-nft, firewalld, hand-written rulesets) and,
// when the legacy x_tables filter table is loaded, its FORWARD policy. Read
// only: nothing here changes another program's tables.
#include <cstddef>
#include <string>
#include <vector>

#include "reconciler/resources/foreign_firewalls.hpp"

namespace topo::firewall {

class NftSocket;

std::vector<ForeignForwardChain> read_foreign_forward_chains(NftSocket& s);

// The legacy iptables part alone (libiptc), for an IPv4 FORWARD chain of
// the "filter" table; empty when that table is not loaded.
std::vector<ForeignForwardChain> read_legacy_forward_chains();

// An x_tables devgroup match (iptables' `-m devgroup`, which iptables-nft
// sends as an xt compat expression too) on exactly one side with a full
// mask: "in:group:N" or "out:group:N"; "" for anything else.
std::string devgroup_side(const void* info, size_t len);

}  // namespace topo::firewall
