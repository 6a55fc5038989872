#include "reconciler/pipeline/reconcile_pass.hpp"

#include "reconciler/executor/carry_out.hpp"
#include "reconciler/output/plan_format.hpp"
#include "reconciler/pipeline/focused_pass.hpp"
#include "reconciler/pipeline/pipeline.hpp"
#include "reconciler/planner/focus.hpp"
#include "reconciler/pipeline/read_back.hpp"
#include "reconciler/state/state_store.hpp"

namespace topo {

namespace {

// The containers a plan's actions are about, when they all are about some
// container; none when any touches what containers share (planner/focus.hpp).
std::optional<std::set<std::string>> touched_containers(const Plan& plan) {
  std::set<std::string> out;
  for (const Action& a : plan.actions) {
    const std::string c = container_of(a.subject());
    if (c.empty()) return std::nullopt;
    out.insert(c);
  }
  return out;
}

// After a plan that touched only some containers, those are read again (a
// focused read); after any other, everything.
ReadBack read_back(PassResult& result, Kernel& kernel) {
  if (const auto touched = touched_containers(result.plan); touched && !touched->empty()) {
    // The index borrows the pass's resources and gives them back, whatever
    // happens: the plan points at them (planner/plan.hpp).
    FocusIndex index(std::move(result.desired));
    FocusScope scope;
    std::vector<Resource> wanted;
    try {
      scope = index.scope(*touched);
      wanted = index.resources(scope.containers);
    } catch (...) {
      result.desired = std::move(index).release();
      throw;
    }
    result.desired = std::move(index).release();
    Observed now = observe_focus_scope(kernel, scope, wanted, result.plan.stacks);
    return ReadBack{std::move(now), std::move(wanted)};
  }
  Observed now = observe_stacks(kernel, result.plan.stacks);
  std::vector<Resource> settings = kernel.observe_settings(result.desired);
  now.owned.reserve(now.owned.size() + settings.size());
  for (auto& r : settings) now.owned.push_back(std::move(r));
  return ReadBack{std::move(now), std::nullopt};
}

}  // namespace

PassResult reconcile_pass(Desired desired, const std::string& state_dir, Kernel& kernel,
                          const PassHooks& hooks, const std::set<std::string>& stacks,
                          const std::vector<AddressPool>& pools, EarlyRead* early) {
  PassResult result;
  try {
    Prepared p = prepare(std::move(desired), state_dir, kernel, stacks, pools, early);
    if (hooks.on_prepared) hooks.on_prepared(p.desired, p.allocations);
    result.plan = std::move(p.diff.plan);
    result.desired = std::move(p.resources);
    // The model and its allocations are in the resources and the plan now:
    // not held through the run (at 10 000 containers, memory).
    p.desired = Desired{};
    p.allocations = Allocations{};
    if (hooks.restrict) hooks.restrict(result.plan);
    // Remembers exactly the allocations and pool subnets then in force.
    run_and_read_back(result,
                      CarryOut{result.plan, state_of(result.plan), p.observed, result.desired, state_dir, hooks.on_action, hooks.on_action_done},
                      kernel, hooks, [&] { return read_back(result, kernel); });
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
                       const std::function<ReadBack()>& reread) {
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
    const ReadBack back = reread();
    const Plan left = make_plan(back.wanted ? *back.wanted : result.desired, back.now).plan;
    for (const auto& a : left.actions) result.leftovers.push_back(to_string(a.type) + " " + describe(a.subject()));
  } catch (const std::exception& e) {
    result.leftovers.push_back(std::string("read-back failed: ") + e.what());
  }
}

}  // namespace topo
