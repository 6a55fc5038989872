#include "reconciler/planner/carry_out.hpp"

#include <set>

#include "reconciler/executor/restore.hpp"

namespace topo {

State state_after(const std::string& state_dir, const Allocations& now, const Observed& before) {
  State state;
  state.allocations = now;
  std::set<std::string> others;
  for (const Resource& r : before.held_resources)
    if (r.kind == Kind::Namespace) others.insert(r.name);
  if (!others.empty()) {
    // Keys are "<network>/<container>/<interface>".
    for (const auto& [key, a] : StateStore(state_dir).load().allocations) {
      const auto first = key.find('/'), second = key.find('/', first + 1);
      if (first != std::string::npos && second != std::string::npos &&
          others.count(key.substr(first + 1, second - first - 1)))
        state.allocations.emplace(key, a);
    }
  }
  return state;
}

ExecuteResult carry_out(const CarryOut& run, Kernel& kernel) {
  fsutil::StagedFile staged = StateStore(run.state_dir).stage(state_after(run.state_dir, run.remember, run.before));
  ExecuteOptions eo;
  eo.on_action = run.on_action;
  eo.after_commit = [&staged] { staged.commit(); };
  ExecuteResult r = execute(run.plan, kernel, eo);
  // On failure `staged` is dropped uncommitted: its temporary goes, the old
  // state file stays as it was.
  if (!r.ok) restore_after_failure(run.before, run.settings_scope, kernel, r);
  return r;
}

}  // namespace topo
