#pragma once
// topo's nftables state behind the Kernel interface. The kernel has no
// per-intent objects to create or delete one by one, so create/update/remove
// of Firewall resources only change a pending set in memory; commit() then
// replaces all of topo's tables in ONE transaction (delete table, add table,
// chains, rules), so the kernel never holds a half-written ruleset and a
// failed commit changes nothing.
//
// Ownership: only tables named "topo" in the families topo uses (inet,
// bridge) and carrying topo's mark in their userdata are read, replaced or
// deleted. A "topo" table without the mark is reported as foreign.
#include <map>
#include <set>
#include <string>

#include "reconciler/kernel_interface/kernel.hpp"

namespace topo::firewall {

class NftFirewall {
 public:
  // Appends the Firewall resources rebuilt from the rules' labels (and a
  // foreign key for an unmarked "topo" table) and remembers them as what the
  // kernel holds.
  void observe(Observed& out);
  void create(const Resource& d);
  void update(const Resource& c, const Resource& d);
  void remove(const Resource& c);
  // Writes the pending set when it differs from what the kernel holds.
  void commit();

 private:
  void ensure_observed();
  std::map<std::string, Resource> pending_, committed_;  // by name
  std::set<int> owned_families_;                         // NFPROTO_* of our tables in the kernel
  bool observed_ = false;
};

}  // namespace topo::firewall
