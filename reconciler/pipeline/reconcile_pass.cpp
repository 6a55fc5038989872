#include "reconciler/pipeline/reconcile_pass.hpp"

#include "reconciler/executor/carry_out.hpp"
#include "reconciler/output/plan_format.hpp"
#include "reconciler/pipeline/pipeline.hpp"
#include "reconciler/pipeline/read_back.hpp"
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
    run_and_read_back(result,
                      CarryOut{result.plan, state_of(result.plan), p.observed, result.desired, state_dir, hooks.on_action},
                      kernel, hooks, [&] {
                        Observed now = observe_stacks(kernel, result.plan.stacks);
                        for (auto& r : kernel.observe_settings(result.desired)) now.owned.push_back(std::move(r));
                        return now;
                      });
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

void run_and_read_back(PassResult& result, const CarryOut& run, Kernel& kernel, const PassHooks& hooks,
                       const std::function<Observed()>& reread) {
  RunResult ran = run_plan(run, kernel, RunHooks{hooks.on_plan, hooks.approve});
  result.execution = std::move(ran.execution);
  if (!ran.ok) {
    result.ok = false;
    result.errors = std::move(ran.errors);  // none when approve said no: the hook said why
    return;
  }
  if (result.plan.empty()) return;
  // The plan is in force by now: a failed read-back is a warning, never an
  // error that would read as "nothing was changed".
  try {
    const Plan left = make_plan(result.desired, reread()).plan;
    for (const auto& a : left.actions) result.leftovers.push_back(to_string(a.type) + " " + describe(a.subject()));
  } catch (const std::exception& e) {
    result.leftovers.push_back(std::string("read-back failed: ") + e.what());
  }
}

}  // namespace topo
