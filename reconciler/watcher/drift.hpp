#pragma once
// Which actions of a pass repaired drift (the kernel moved away from what an
// earlier pass had converged it to) rather than followed a manifest change.
#include <cstddef>
#include <vector>

#include "reconciler/planner/plan.hpp"

namespace topo::watcher {

// `converged`: the desired resources of the last successful pass. An action
// is a repair when it restores one of them exactly (create, update, replace)
// or removes an owned object that was not among them.
size_t count_drift_repairs(const Plan& plan, const std::vector<Resource>& converged);

}  // namespace topo::watcher
