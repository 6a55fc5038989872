#include "reconciler/executor/carry_out.hpp"

#include <set>

#include "reconciler/executor/restore.hpp"

namespace topo {

State state_of(const Plan& plan) { return State{plan.allocations, plan.subnets}; }

State state_after(const std::string& state_dir, const State& now, const Observed& before) {
  State state = now;
  std::set<std::string> others;
  for (const Resource& r : before.held_resources)
    if (r.kind == Kind::Namespace) others.insert(r.name);
  // Other stacks' pool subnets stay remembered for them; an unscoped run
  // (no stacks) acts on everything, so it keeps none it did not choose.
  const bool keep_subnets = before.scope.has_value();
  if (others.empty() && !keep_subnets) return state;
  const State old = StateStore(state_dir).load();
  if (keep_subnets)
    for (const auto& [network, choice] : old.subnets)
      if (!before.scope->count(choice.stack)) state.subnets.emplace(network, choice);
  // Keys are "<network>/<container>/<interface>".
  for (const auto& [key, a] : old.allocations) {
    const auto first = key.find('/'), second = key.find('/', first + 1);
    if (first != std::string::npos && second != std::string::npos &&
        others.count(key.substr(first + 1, second - first - 1)))
      state.allocations.emplace(key, a);
  }
  return state;
}

ExecuteResult carry_out(const CarryOut& run, Kernel& kernel) {
  std::optional<fsutil::StagedFile> staged;
  if (run.remember) staged.emplace(StateStore(run.state_dir).stage(state_after(run.state_dir, *run.remember, run.before)));
  ExecuteOptions eo;
  eo.on_action = run.on_action;
  eo.on_action_done = run.on_action_done;
  if (staged) eo.after_commit = [&staged] { staged->commit(); };
  ExecuteResult r = execute(run.plan, kernel, eo);
  // On failure `staged` is dropped uncommitted: its temporary goes, the old
  // state file stays as it was.
  if (!r.ok) restore_after_failure(run.before, run.settings_scope, kernel, r);
  return r;
}

RunResult run_plan(const CarryOut& run, Kernel& kernel, const RunHooks& hooks) {
  RunResult result;
  if (hooks.on_plan) hooks.on_plan(run.plan);
  if (run.plan.empty()) return result;
  if (hooks.approve && !hooks.approve(run.plan)) {
    result.ok = false;
    result.cancelled = true;
    return result;
  }
  try {
    result.execution = carry_out(run, kernel);
  } catch (const std::exception& e) {
    // Staging the state failed: the kernel was not touched.
    result.ok = false;
    result.errors = {std::string("Error: ") + e.what(), "nothing was changed."};
    return result;
  }
  if (!result.execution->ok) {
    result.ok = false;
    result.errors = execution_error_lines(*result.execution);
  }
  return result;
}

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

}  // namespace topo
