#pragma once
// Carrying out a plan for `apply` and `destroy`: show it, ask, carry it out
// with rollback (executor/carry_out.hpp), and say how it ended: in text, the
// errors on stderr and an outcome line on stdout; under -o json, one
// document made after the run (output/outcome_format.hpp).
#include <string>
#include <vector>

#include "reconciler/cli/options.hpp"
#include "reconciler/kernel_interface/kernel.hpp"
#include "reconciler/output/outcome_format.hpp"
#include "reconciler/planner/plan.hpp"

namespace topo::cli {

// `apply FILE` with one argument that is a saved plan rather than manifests.
bool is_plan_file(const std::vector<std::string>& paths);
// Reads a saved plan; refuses it (UserError) when the kernel changed since.
Plan load_saved_plan(const std::string& path, Kernel& kernel, Observed& observed);

// The plan as text on stdout, its warnings on stderr, before anything runs;
// nothing under -o json, whose one document comes after the run (report_run).
void show_plan(const Options& o, const Plan& plan);
// approved() (confirm.hpp); under -o json the plan the question is about
// goes to stderr first.
bool ask(const Options& o, const Plan& plan, const std::string& verb);

// Says how a run ended (see above) and returns the exit code: kExitError
// unless outcome.ok; with --detailed-exitcode, kExitChanges after changes.
// `plan`: the plan, when one was made.
int report_run(const Options& o, const std::string& command, const Plan* plan, const RunOutcome& outcome);

// A saved plan or a destroy: run_plan (executor/carry_out.hpp) with
// show_plan and ask, then report_run.
int run_and_report(const Options& o, const Plan& plan, const Observed& before, Kernel& kernel, bool destroying);

}  // namespace topo::cli
