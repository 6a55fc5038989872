#pragma once
// A pass over some containers only (planner/focus.hpp), against the desired
// resources the last full pass rendered: nothing is loaded, allocated or
// rendered, only the focus is read from the kernel and compared, so a drift
// repair costs the same whatever the number of containers. The state dir is
// not written (nothing is allocated). The controller runs one when kernel
// events concern only some containers and the model in force is unchanged;
// anything else takes a full pass (reconcile_pass.hpp).
#include <set>
#include <string>
#include <vector>

#include "reconciler/pipeline/reconcile_pass.hpp"
#include "reconciler/planner/focus.hpp"

namespace topo {

// `rendered`: the desired resources of the last full pass, by container;
// `stacks`: those it acted on. Never throws; problems come back as lines, as
// from a full pass. The result's `desired` is the focus's.
PassResult focused_pass(const FocusIndex& rendered, const std::set<std::string>& containers,
                        const std::set<std::string>& stacks, Kernel& kernel, const PassHooks& hooks = {});

// What observe_stacks() and prepare() make of a full read, for a focus:
// its objects and the settings of `wanted` (the focus's desired resources).
Observed observe_focus_scope(Kernel& kernel, const FocusScope& scope, const std::vector<Resource>& wanted,
                             const std::set<std::string>& stacks);

}  // namespace topo
