#include "reconciler/cli/apply_run.hpp"

#include <spdlog/spdlog.h>

#include <fstream>
#include <iostream>
#include <sstream>

#include "reconciler/planner/pipeline.hpp"
#include "reconciler/diff/diff.hpp"
#include "reconciler/executor/executor.hpp"
#include "reconciler/executor/restore.hpp"
#include "reconciler/planner/plan_format.hpp"
#include "reconciler/planner/reconcile_pass.hpp"
#include "reconciler/state/state_store.hpp"

namespace topo::cli {

namespace {

bool ends_with(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

std::string read_all(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw topo::UserError({path + ": cannot read"});
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace

bool is_plan_file(const std::vector<std::string>& paths) {
  if (paths.size() != 1) return false;
  const std::string& p = paths.front();
  if (ends_with(p, ".yaml") || ends_with(p, ".yml")) return false;
  std::ifstream in(p);
  char c = 0;
  while (in.get(c) && std::isspace(static_cast<unsigned char>(c))) {
  }
  return in && c == '{';
}

Plan load_saved_plan(const std::string& path, Kernel& kernel, Observed& observed) {
  Plan plan;
  try {
    plan = plan_from_file(read_all(path));
  } catch (const std::runtime_error& e) {
    throw topo::UserError({path + ": " + e.what()});
  }
  // Scoped as when it was made: the same objects are acted on and held apart.
  observed = plan.stacks.empty() ? kernel.observe() : observe_stacks(kernel, plan.stacks);
  std::string now = digest(observed);
  if (now != plan.observed_digest)
    throw topo::UserError({path + ": the live state has changed since this plan was made; run `topo plan --out` again",
                     "nothing was changed."});
  return plan;
}

int run_plan(const Options& o, const Plan& plan, const Observed& before, Kernel& kernel, bool destroying) {
  if (plan.empty()) return kExitOk;
  ExecuteOptions eo;
  eo.on_action = [](const Action& a) { spdlog::debug("{} {}", to_string(a.type), describe(a.subject())); };
  ExecuteResult r = execute(plan, kernel, eo);
  if (!r.ok) {
    restore_after_failure(before, {}, kernel, r);
    for (const auto& line : execution_error_lines(r)) std::cerr << line << "\n";
    return kExitError;
  }
  // Remember exactly the allocations now in force (none after destroy).
  remember_allocations(o.state_dir, destroying ? Allocations{} : plan.allocations, before);

  std::string verb = destroying ? "Destroy" : "Apply";
  std::cerr << verb << " complete: " << plan.to_add() << " added, " << plan.to_change() << " changed, "
            << plan.to_destroy() << " destroyed.\n";
  return kExitOk;
}

}  // namespace topo::cli
