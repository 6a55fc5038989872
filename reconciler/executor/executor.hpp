#pragma once
// Runs a plan against the kernel, in order, keeping an undo journal: when a
// step fails, what was done is undone in reverse, so a failed apply leaves
// the kernel as it found it. Pure logic over the Kernel interface.
#include <functional>
#include <string>
#include <vector>

#include "reconciler/kernel_interface/kernel.hpp"
#include "reconciler/planner/plan.hpp"

namespace topo {

struct ExecuteResult {
  bool ok = true;
  size_t steps_done = 0;           // actions completed before the failure (or all)
  std::string error;               // the failing step and the kernel's reason
  bool rolled_back = false;        // every completed step was undone
  std::vector<std::string> rollback_errors;  // undo steps that failed too
};

struct ExecuteOptions {
  // Called before each action, e.g. for progress logs.
  std::function<void(const Action&)> on_action;
  // Called after each action that succeeded, with how long it took.
  std::function<void(const Action&, double seconds)> on_action_done;
  // The last step of a successful run, after Kernel::commit(): putting the
  // staged state file in place (executor/carry_out.hpp). A throw fails the run
  // like a refused action: everything done is undone.
  std::function<void()> after_commit;
};

ExecuteResult execute(const Plan& plan, Kernel& kernel, const ExecuteOptions& options = {});

}  // namespace topo
