#pragma once
// Carrying out a plan as `apply`, `destroy` and the controller do, so that a
// failure anywhere leaves nothing half done (README "What apply promises"):
//
// 1. the state the run will leave (its allocations) is staged in the state
//    dir first: a state dir that cannot take it (full, read-only) fails the
//    run here, before the kernel is touched;
// 2. the plan runs with its undo journal (executor.hpp);
// 3. the staged state is put in place as the run's last step (a rename,
//    which needs no space); should that fail, the kernel is undone too;
// 4. after any failure the kernel is restored to what was observed before
//    (restore.hpp) and the staged state is discarded, so the old one stays.
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "reconciler/executor/executor.hpp"
#include "reconciler/ipam/ipam.hpp"
#include "reconciler/kernel_interface/kernel.hpp"
#include "reconciler/planner/plan.hpp"
#include "reconciler/state/state_store.hpp"

namespace topo {

// What the state dir is to remember once a plan has run: `now` (the plan's
// allocations and pool subnets; none after a destroy), the allocations of
// containers of stacks the run held apart (`before.held_resources`), and the
// pool subnets of networks of stacks outside the run's scope.
State state_after(const std::string& state_dir, const State& now, const Observed& before);
// What a plan leaves to remember: its allocations and pool subnets.
State state_of(const Plan& plan);

struct CarryOut {
  const Plan& plan;
  // Step 1's `now`; none: the state dir is left as it is (a focused pass,
  // whose plan allocates nothing and sees too little to write it whole).
  std::optional<State> remember;
  const Observed& before;                // what the plan was made against
  const std::vector<Resource>& settings_scope;  // restore.hpp: the desired resources whose settings were read
  std::string state_dir;
  std::function<void(const Action&)> on_action;
  std::function<void(const Action&, double seconds)> on_action_done{};
};

// Throws (KernelError, std::runtime_error) only from step 1, when nothing has
// changed; every later failure is in the result (ok false, rolled_back, the
// rollback's errors).
ExecuteResult carry_out(const CarryOut& run, Kernel& kernel);

// What the caller says along the way: the plan is shown (on_plan), then
// approved or not (approve; unset: approved). Neither is asked about an
// empty plan's approval.
struct RunHooks {
  std::function<void(const Plan&)> on_plan;
  std::function<bool(const Plan&)> approve;
};

struct RunResult {
  bool ok = true;          // the plan is in force (an empty plan included)
  bool cancelled = false;  // approve said no: nothing was changed
  // Set once the plan began to run on the kernel: whether it failed there
  // and how the rollback went.
  std::optional<ExecuteResult> execution;
  std::vector<std::string> errors;  // as the user should read them; empty when ok or cancelled
};

// The one way a plan is run, by `apply` (manifests or a saved plan),
// `destroy` and the controller's pass: shown, approved, carried out. Never
// throws: a state dir that cannot be staged is an error that changed nothing.
RunResult run_plan(const CarryOut& run, Kernel& kernel, const RunHooks& hooks = {});

// What to tell the user when execute() failed: the step, and whether the
// rollback restored the kernel.
std::vector<std::string> execution_error_lines(const ExecuteResult& r);

}  // namespace topo
