#include "reconciler/output/outcome_format.hpp"
#include "reconciler/output/format_version.hpp"

#include <nlohmann/json.hpp>

#include "reconciler/output/plan_format.hpp"

namespace topo {

namespace {

using nlohmann::json;

json message(const std::string& text) { return json{{"message", text}}; }

// Lines as printed for people, as error entries: the text mode's "Error: "
// label is dropped, and so is the closing "nothing was changed." (the
// document says that in its fields: ok, applied, rolled_back).
json line_entries(const std::vector<std::string>& lines) {
  static const std::string kLabel = "Error: ";
  json out = json::array();
  for (const auto& line : lines) {
    if (line == "nothing was changed.") continue;
    out.push_back(message(line.rfind(kLabel, 0) == 0 ? line.substr(kLabel.size()) : line));
  }
  return out;
}

json located(const LoadError& e) {
  json j = message(e.message);
  j["file"] = e.where.file;
  if (e.where.line > 0) {
    j["line"] = e.where.line;
    j["column"] = e.where.column;
  }
  return j;
}

bool is_run_command(const std::string& command) { return command == "apply" || command == "destroy"; }

}  // namespace

std::string format_run_text(const std::string& verb, const Plan& plan, const RunOutcome& outcome) {
  if (outcome.ok) {
    if (plan.empty()) return "";
    return verb + " complete: " + std::to_string(plan.to_add()) + " added, " + std::to_string(plan.to_change()) +
           " changed, " + std::to_string(plan.to_destroy()) + " destroyed.\n";
  }
  if (outcome.cancelled) return verb + " cancelled: nothing was changed.\n";
  if (!outcome.execution) return verb + " failed: nothing was changed.\n";
  if (outcome.execution->rolled_back) return verb + " failed and was rolled back: nothing was changed.\n";
  return verb + " failed and its rollback is incomplete: some changes remain; run `topo plan` to see them.\n";
}

std::string format_run_json(const std::string& command, const Plan* plan, const RunOutcome& outcome) {
  json j;
  j["format_version"] = kJsonFormatVersion;
  j["command"] = command;
  j["ok"] = outcome.ok;
  j["applied"] = outcome.ok;
  const bool ran_and_failed = !outcome.ok && outcome.execution.has_value();
  j["rolled_back"] = ran_and_failed;
  j["errors"] = json::array();
  if (ran_and_failed) {
    const ExecuteResult& r = *outcome.execution;
    j["errors"].push_back(message(r.error));
    j["rollback"] = {{"complete", r.rolled_back},
                     {"actions_undone", r.steps_done},
                     {"errors", r.rollback_errors}};
  } else if (outcome.cancelled) {
    j["errors"].push_back(message(command + " cancelled: the question before destroying was not answered yes"));
  } else if (!outcome.ok) {
    j["errors"] = line_entries(outcome.error_lines);
  }
  // The plan's (another firewall in the way), then what still differed after the run.
  std::vector<std::string> warnings = plan ? plan->warnings : std::vector<std::string>{};
  warnings.insert(warnings.end(), outcome.warnings.begin(), outcome.warnings.end());
  j["warnings"] = warnings;
  if (plan) j["plan"] = json::parse(format_plan_json(*plan));
  if (!outcome.verify_json.empty()) j["verify"] = json::parse(outcome.verify_json);
  return j.dump(2) + "\n";
}

std::string format_error_json(const std::string& command, const std::vector<std::string>& lines,
                              const std::vector<LoadError>& diagnostics) {
  json j;
  j["format_version"] = kJsonFormatVersion;
  j["command"] = command;
  j["ok"] = false;
  if (is_run_command(command)) {
    j["applied"] = false;
    j["rolled_back"] = false;
  }
  if (command == "validate") j["valid"] = false;
  j["errors"] = json::array();
  if (!diagnostics.empty()) {
    for (const auto& d : diagnostics) j["errors"].push_back(located(d));
  } else {
    j["errors"] = line_entries(lines);
  }
  return j.dump(2) + "\n";
}

}  // namespace topo
