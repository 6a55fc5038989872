#include "reconciler/pipeline/focused_pass.hpp"

#include <map>

#include "reconciler/planner/diff.hpp"
#include "reconciler/pipeline/read_back.hpp"
#include "reconciler/resources/stacks.hpp"

namespace topo {

Observed observe_focus_scope(Kernel& kernel, const FocusScope& scope, const std::vector<Resource>& wanted,
                             const std::set<std::string>& stacks) {
  Observed observed = kernel.observe_focus(scope.read);
  inherit_namespace_stacks(observed.owned);
  scope_to_stacks(observed, stacks);
  keep_focus(observed, scope.containers);
  // Settings are read only where wanted; they belong to whoever wants them
  // (each comes back as a copy of the desired one, its stack included).
  for (auto& r : kernel.observe_settings(wanted)) observed.owned.push_back(std::move(r));
  return observed;
}

PassResult focused_pass(const FocusIndex& rendered, const std::set<std::string>& containers,
                        const std::set<std::string>& stacks, Kernel& kernel, const PassHooks& hooks) {
  PassResult result;
  try {
    const FocusScope scope = rendered.scope(containers);
    result.desired = rendered.resources(scope.containers);
    const Observed before = observe_focus_scope(kernel, scope, result.desired, stacks);
    DiffResult diff = make_plan(result.desired, before);
    if (!diff.conflicts.empty()) {
      result.ok = false;
      for (const auto& c : diff.conflicts) result.errors.push_back("conflict: " + c);
      result.errors.push_back("nothing was changed.");
      return result;
    }
    result.plan = std::move(diff.plan);
    result.plan.stacks = stacks;
    if (hooks.restrict) hooks.restrict(result.plan);
    run_and_read_back(result, CarryOut{result.plan, std::nullopt, before, result.desired, "", hooks.on_action, hooks.on_action_done}, kernel,
                      hooks, [&] { return ReadBack{observe_focus_scope(kernel, scope, result.desired, stacks), std::nullopt}; });
  } catch (const std::exception& e) {
    result.ok = false;
    result.errors = {std::string("Error: ") + e.what(), "nothing was changed."};
  }
  return result;
}

}  // namespace topo
