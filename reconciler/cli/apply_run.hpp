#pragma once
// Carrying out a plan for `apply` and `destroy`: execute with rollback,
// remember allocations, read back to verify, and say what happened.
#include <string>
#include <vector>

#include "reconciler/cli/options.hpp"
#include "reconciler/kernel/kernel.hpp"
#include "reconciler/planner/plan.hpp"

namespace topo::cli {

// `apply FILE` with one argument that is a saved plan rather than manifests.
bool is_plan_file(const std::vector<std::string>& paths);
// Reads a saved plan; refuses it (UserError) when the kernel changed since.
Plan load_saved_plan(const std::string& path, Kernel& kernel, Observed& observed);

// Returns kExitOk or kExitError (after rolling back).
int run_plan(const Options& o, const Plan& plan, const Observed& before, Kernel& kernel, bool destroying);

}  // namespace topo::cli
