#include "reconciler/cli/apply_run.hpp"

#include <spdlog/spdlog.h>
#include <unistd.h>

#include <fstream>
#include <iostream>
#include <sstream>

#include "reconciler/cli/confirm.hpp"
#include "reconciler/cli/terminal.hpp"
#include "reconciler/executor/carry_out.hpp"
#include "reconciler/cli/action_progress.hpp"
#include "reconciler/output/plan_format.hpp"
#include "reconciler/pipeline/pipeline.hpp"
#include "reconciler/pipeline/reconcile_pass.hpp"
#include "reconciler/planner/diff.hpp"

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
  std::cout << format_plan_text(plan, use_colour(o));
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
  if (o.output != "json") std::cout << outcome.verify_text;
  for (const auto& w : outcome.warnings) spdlog::warn("after {}, still differs: {}", command, w);
  if (!outcome.ok) return kExitError;
  return o.detailed_exitcode && plan && !plan->empty() ? kExitChanges : kExitOk;
}

int run_and_report(const Options& o, const Plan& plan, const Observed& before, Kernel& kernel, bool destroying) {
  const std::string command = destroying ? "destroy" : "apply";
  // Remembers exactly the allocations and pool subnets then in force (none after destroy).
  CarryOut run{plan, destroying ? State{} : state_of(plan), before, {}, o.state_dir, {}};
  ActionProgress progress(command);
  progress.plan_size(plan.actions.size());
  run.on_action = [&](const Action& a) { progress.started(a); };
  run.on_action_done = [&](const Action& a, double seconds) { progress.done(a, seconds); };
  RunResult r = run_plan(run, kernel,
                         RunHooks{[&](const Plan& p) { show_plan(o, p); },
                                  [&](const Plan& p) { return ask(o, p, command); }});
  progress.finish();
  RunOutcome outcome;
  outcome.ok = r.ok;
  outcome.cancelled = r.cancelled;
  outcome.execution = std::move(r.execution);
  outcome.error_lines = std::move(r.errors);
  return report_run(o, command, &plan, outcome);
}

}  // namespace topo::cli
