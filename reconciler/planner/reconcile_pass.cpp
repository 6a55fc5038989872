#include "reconciler/planner/reconcile_pass.hpp"

#include "reconciler/planner/carry_out.hpp"
#include "reconciler/planner/pipeline.hpp"
#include "reconciler/planner/plan_format.hpp"
#include "reconciler/state/state_store.hpp"

namespace topo {

std::vector<std::string> execution_error_lines(const ExecuteResult& r) {
  std::vector<std::string> lines{"Error: " + r.error};
  if (r.rolled_back) {
    lines.push_back("Rolled back the " + std::to_string(r.steps_done) + " action(s) already done; the kernel is as it was.");
  } else {
    lines.push_back("Rollback was incomplete; run `topo plan` to see what is left:");
    for (const auto& e : r.rollback_errors) lines.push_back("  " + e);
  }
  return lines;
}

PassResult reconcile_pass(const Desired& desired, const std::string& state_dir, Kernel& kernel,
                          const PassHooks& hooks, const std::set<std::string>& stacks) {
  PassResult result;
  try {
    Prepared p = prepare(desired, state_dir, kernel, stacks);
    result.plan = std::move(p.diff.plan);
    result.desired = std::move(p.resources);
    if (hooks.restrict) hooks.restrict(result.plan);
    if (hooks.on_plan) hooks.on_plan(result.plan);
    if (result.plan.empty()) return result;
    if (hooks.approve && !hooks.approve(result.plan)) {
      result.ok = false;
      result.errors = {};  // the hook said why
      return result;
    }

    // Remembers exactly the allocations then in force; a state dir that
    // cannot take them throws here, before the kernel is touched.
    result.execution = carry_out(
        CarryOut{result.plan, result.plan.allocations, p.observed, result.desired, state_dir, hooks.on_action}, kernel);
    if (!result.execution->ok) {
      result.ok = false;
      result.errors = execution_error_lines(*result.execution);
      return result;
    }
    // Read back: what the kernel accepted is not always what was asked for.
    // The plan is in force by now: a failed read-back is a warning, never
    // an error that would read as "nothing was changed".
    try {
      Observed now = observe_stacks(kernel, result.plan.stacks);
      for (auto& r : kernel.observe_settings(result.desired)) now.owned.push_back(std::move(r));
      Plan left = make_plan(result.desired, now).plan;
      for (const auto& a : left.actions) result.leftovers.push_back(to_string(a.type) + " " + describe(a.subject()));
    } catch (const std::exception& e) {
      result.leftovers.push_back(std::string("read-back failed: ") + e.what());
    }
  } catch (const UserError& e) {
    // Everything below is thrown before the kernel is touched (carry_out
    // throws only while staging the state).
    result.ok = false;
    result.errors = e.lines;
  } catch (const std::exception& e) {
    result.ok = false;
    result.errors = {std::string("Error: ") + e.what(), "nothing was changed."};
  }
  return result;
}

}  // namespace topo
