#pragma once
// The checks the controller runs: those of the model a pass put in force
// (this node's slice), laid out with that pass's allocations, as `topo
// verify` plans them; with --implied the topology's own promises too.
#include <string>
#include <vector>

#include "reconciler/ipam/ipam.hpp"
#include "reconciler/model/desired.hpp"
#include "reconciler/verify/planned_check.hpp"

namespace topo::watcher {

struct CheckPlanning {
  bool implied = false;
  std::string netns_dir = "/run/netns";
  std::string etc_netns_dir = "/etc/netns";
};

std::vector<verify::PlannedCheck> checks_in_force(const Desired& model, const Allocations& allocations,
                                                  const CheckPlanning& how);

// Equal for checks that would send the same probes and judge them alike: a
// pass whose checks differ from the last asks for a run at once.
std::string checks_fingerprint(const std::vector<verify::PlannedCheck>& checks);

}  // namespace topo::watcher
