#pragma once
// What each firewall intent means as nftables rules, as plain data: which
// chain, what it matches, what it does. Pure (no libnftnl), so the meaning of
// an intent is testable without a kernel; nft_build turns a RuleSpec into
// expressions.
#include <optional>
#include <string>
#include <vector>

#include "reconciler/model/ip.hpp"
#include "reconciler/resources/resource.hpp"

namespace topo::firewall {

enum class Family { Inet, Bridge };
const char* family_name(Family f);  // "inet" | "bridge"

// The chains of topo's tables. Policies are always accept: topo only adds
// drops and NAT; what other tables decide still stands.
enum class Chain {
  Prerouting,     // inet, nat, dstnat priority: published ports from outside and from containers
  Output,         // inet, nat, output: published ports from the host itself
  Postrouting,    // inet, nat, srcnat: masquerade, hairpin
  Forward,        // inet, filter: isolation, internal networks, direct routing into the bridges
  Input,          // inet, filter: what containers may send to the host itself (not its loopback)
  BridgeForward,  // bridge, filter: icc off (frames between ports of one bridge never reach inet hooks)
};
Family family_of(Chain c);
const char* chain_name(Chain c);

struct RuleSpec {
  Chain chain = Chain::Forward;
  int stage = 0;  // order within a chain: lower first (drops of internal networks before the DNAT accept)
  std::string iif, oif;          // interface names; empty = any
  bool iif_neq = false, oif_neq = false;
  std::optional<unsigned> iifgroup, oifgroup;  // device group (meta iifgroup/oifgroup) equals
  bool iifgroup_neq = false;     // iifgroup: differs instead
  std::optional<IpPrefix> saddr, daddr;  // same family; implies an nfproto match
  bool daddr_neq = false;        // daddr: outside the prefix instead of in it
  bool daddr_local = false;      // fib daddr type local
  std::string l4proto;           // tcp | udp; with dport
  int dport = 0;
  bool ct_dnat = false;          // ct status dnat
  bool ct_not_dnat = false;      // not ct status dnat: not to a published port
  bool ct_not_reply = false;     // ct state neither established nor related: a new (or invalid) connection
  enum class Verdict { Accept, Drop, Masquerade, Dnat } verdict = Verdict::Accept;
  IpAddress to_addr;             // Dnat
  int to_port = 0;
  std::string label;             // userdata comment, set by rules_of
};

// The rules of one Firewall resource, labelled with encode_label. Throws
// std::invalid_argument naming the resource when its attributes are unusable.
std::vector<RuleSpec> rules_of(const Resource& r);
// The table family a Firewall resource lives in.
Family family_of(const Resource& r);

// Every rule of a set of resources, in chain order (stable within a stage).
std::vector<RuleSpec> ruleset_of(const std::vector<Resource>& resources);

}  // namespace topo::firewall
