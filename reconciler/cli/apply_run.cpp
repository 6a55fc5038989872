#include "reconciler/cli/apply_run.hpp"

#include <spdlog/spdlog.h>
#include <unistd.h>

#include <fstream>
#include <iostream>
#include <sstream>

#include "reconciler/cli/confirm.hpp"
#include "reconciler/diff/diff.hpp"
#include "reconciler/planner/carry_out.hpp"
#include "reconciler/planner/pipeline.hpp"
#include "reconciler/planner/plan_format.hpp"
#include "reconciler/planner/reconcile_pass.hpp"

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

void show_plan(const Options& o, const Plan& plan) {
  if (o.output == "json") return;  // the run's document holds the plan and its warnings
  std::cout << format_plan_text(plan, ::isatty(STDOUT_FILENO) != 0);
  for (const auto& w : plan.warnings) std::cerr << "Warning: " << w << "\n";
}

bool ask(const Options& o, const Plan& plan, const std::string& verb) {
  if (o.output == "json" && will_ask(o, plan)) std::cerr << format_plan_text(plan, false);
  return approved(o, plan, verb);
}

int report_run(const Options& o, const std::string& command, const Plan* plan, const RunOutcome& outcome) {
  for (const auto& line : outcome.error_lines) std::cerr << line << "\n";
  if (o.output == "json") {
    std::cout << format_run_json(command, plan, outcome);
  } else if (plan) {
    const std::string verb = command == "destroy" ? "Destroy" : "Apply";
    std::cout << format_run_text(verb, *plan, outcome);
  }
  for (const auto& w : outcome.warnings) spdlog::warn("after {}, still differs: {}", command, w);
  if (!outcome.ok) return kExitError;
  return o.detailed_exitcode && plan && !plan->empty() ? kExitChanges : kExitOk;
}

int run_plan(const Options& o, const Plan& plan, const Observed& before, Kernel& kernel, bool destroying) {
  const std::string command = destroying ? "destroy" : "apply";
  show_plan(o, plan);
  RunOutcome outcome;
  if (!ask(o, plan, command)) {
    outcome.cancelled = true;
    return report_run(o, command, &plan, outcome);
  }
  if (plan.empty()) {
    outcome.ok = true;
    return report_run(o, command, &plan, outcome);
  }
  try {
    CarryOut run{plan, destroying ? Allocations{} : plan.allocations, before, {}, o.state_dir, {}};
    run.on_action = [](const Action& a) { spdlog::debug("{} {}", to_string(a.type), describe(a.subject())); };
    // Remembers exactly the allocations then in force (none after destroy).
    outcome.execution = carry_out(run, kernel);
    outcome.ok = outcome.execution->ok;
    if (!outcome.ok) outcome.error_lines = execution_error_lines(*outcome.execution);
  } catch (const std::exception& e) {
    // Staging the state failed: the kernel was not touched.
    outcome.error_lines = {std::string("Error: ") + e.what(), "nothing was changed."};
  }
  return report_run(o, command, &plan, outcome);
}

}  // namespace topo::cli
