#include "reconciler/executor/restore.hpp"

#include <exception>

#include "reconciler/planner/diff.hpp"
#include "reconciler/resources/stacks.hpp"

namespace topo {

void restore_after_failure(const Observed& before, const std::vector<Resource>& settings_scope, Kernel& kernel,
                           ExecuteResult& r) {
  try {
    Observed now = kernel.observe();
    // Only the stacks the failed plan acted on are put back; others were
    // never touched.
    if (before.scope) {
      inherit_namespace_stacks(now.owned);
      scope_to_stacks(now, *before.scope);
    }
    if (!settings_scope.empty())
      for (auto& s : kernel.observe_settings(settings_scope)) now.owned.push_back(std::move(s));
    DiffResult back = make_plan(before.owned, now);
    for (const auto& c : back.conflicts) r.rollback_errors.push_back("restore: " + c);
    if (back.conflicts.empty() && !back.plan.empty()) {
      ExecuteOptions eo;
      ExecuteResult again = execute(back.plan, kernel, eo);
      if (!again.ok) r.rollback_errors.push_back("restore: " + again.error);
      for (const auto& e : again.rollback_errors) r.rollback_errors.push_back("restore: " + e);
    }
  } catch (const std::exception& e) {
    r.rollback_errors.push_back(std::string("restore: ") + e.what());
  }
  r.rolled_back = r.rollback_errors.empty();
}

}  // namespace topo
