#include "reconciler/pipeline/reconcile_pass.hpp"

#include "reconciler/executor/carry_out.hpp"
#include "reconciler/output/plan_format.hpp"
#include "reconciler/pipeline/pipeline.hpp"
#include "reconciler/state/state_store.hpp"

namespace topo {

PassResult reconcile_pass(const Desired& desired, const std::string& state_dir, Kernel& kernel,
                          const PassHooks& hooks, const std::set<std::string>& stacks,
                          const std::vector<AddressPool>& pools) {
  PassResult result;
  try {
    Prepared p = prepare(desired, state_dir, kernel, stacks, pools);
    result.plan = std::move(p.diff.plan);
    result.desired = std::move(p.resources);
    if (hooks.restrict) hooks.restrict(result.plan);
    // Remembers exactly the allocations and pool subnets then in force.
    RunResult run = run_plan(
        CarryOut{result.plan, state_of(result.plan), p.observed, result.desired, state_dir, hooks.on_action}, kernel,
        RunHooks{hooks.on_plan, hooks.approve});
    result.execution = std::move(run.execution);
    if (!run.ok) {
      result.ok = false;
      result.errors = std::move(run.errors);  // none when approve said no: the hook said why
      return result;
    }
    if (result.plan.empty()) return result;
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
    // Thrown while preparing, before the kernel is touched.
    result.ok = false;
    result.errors = e.lines;
  } catch (const std::exception& e) {
    result.ok = false;
    result.errors = {std::string("Error: ") + e.what(), "nothing was changed."};
  }
  return result;
}

}  // namespace topo
