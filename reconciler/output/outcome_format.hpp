#pragma once
// What a command says when it is done, beyond the plan itself:
// - the last line of `apply` and `destroy`, which tells a completed run from
//   a failed one that was rolled back (the plan above it reads the same);
// - under `-o json`, the one document `apply` and `destroy` print, made
//   after the run (never the plan alone, printed before: a rolled-back run
//   then read exactly like a successful one);
// - under `-o json`, the document every command prints on stdout when it
//   fails, so a program reading stdout always has something to parse.
// Pure formatting.
#include <optional>
#include <string>
#include <vector>

#include "reconciler/executor/executor.hpp"
#include "reconciler/loader/loader.hpp"
#include "reconciler/planner/plan.hpp"

namespace topo {

// How a run of `apply` or `destroy` ended.
struct RunOutcome {
  bool ok = false;  // the plan is in force (an empty plan included)
  // Set once the plan began to run on the kernel; with ok false it says how
  // the rollback went. Unset with ok false: nothing was changed.
  std::optional<ExecuteResult> execution;
  // The question before destroying was answered no: nothing was changed.
  bool cancelled = false;
  // Why it failed, as printed on stderr in text mode. JSON takes the
  // execution's own error and rollback errors instead, when it ran.
  std::vector<std::string> error_lines;
  // Still differing after the read-back of a successful run.
  std::vector<std::string> warnings;
  // apply --verify: the checks' report after a successful run, as text and
  // as the JSON document `topo verify -o json` prints ("" when not run).
  std::string verify_text, verify_json;
};

// `verb`: "Apply" or "Destroy". "" for a successful run of an empty plan
// (the plan said "No changes." already).
std::string format_run_text(const std::string& verb, const Plan& plan, const RunOutcome& outcome);

// {"command", "ok", "applied", "rolled_back", "rollback"?, "errors", "warnings", "plan"?}:
// `applied` the plan is in force; `rolled_back` a step failed after the
// kernel was touched and what was done was undone (`rollback.complete`
// false: not all of it; `rollback.errors` says what is left). `plan` is
// the plan's JSON (format_plan_json) when one was made.
std::string format_run_json(const std::string& command, const Plan* plan, const RunOutcome& outcome);

// Any command's failure before it changed anything:
// {"command", "ok": false, "errors": [{"message", "file"?, "line"?, "column"?}]},
// plus "applied": false and "rolled_back": false for apply and destroy and
// "valid": false for validate. With `diagnostics` (manifest errors) the
// errors are those, located; else one per line of `lines`, without the text
// mode's "Error: " label and its closing "nothing was changed." line (the
// document's fields say that). Lines of a run that failed before the
// kernel was touched (format_run_json) are listed the same way.
std::string format_error_json(const std::string& command, const std::vector<std::string>& lines,
                              const std::vector<LoadError>& diagnostics = {});

}  // namespace topo
