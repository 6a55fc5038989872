#include "reconciler/cli/verify_command.hpp"

#include <iostream>

#include "reconciler/cli/commands.hpp"
#include "reconciler/cli/progress_line.hpp"
#include "reconciler/cli/terminal.hpp"
#include "reconciler/probe/run_checks.hpp"
#include "reconciler/verify/check_plan.hpp"
#include "reconciler/verify/check_results.hpp"
#include "reconciler/view/topology_view.hpp"

namespace topo::cli {

std::vector<verify::CheckOutcome> run_checks(const Options& o, Kernel& kernel) {
  Prepared p = prepare_read_only(o, kernel);
  const view::TopologyView v = view::view_of(p.desired, p.allocations, o.netns_dir);
  std::vector<verify::PlannedCheck> planned = verify::plan_checks(p.desired.checks, v, o.etc_netns_dir);
  if (o.implied)
    for (auto& c : verify::implied_checks(v, o.etc_netns_dir)) planned.push_back(std::move(c));
  ProgressLine progress("verify");
  progress.start(planned.size());
  auto outcomes = probe::run_checks(std::move(planned), -1, [&progress](const verify::PlannedCheck& c) {
    progress.done_one(c.from + " -> " + c.target);
  });
  progress.finish();
  return outcomes;
}

std::string format_checks(const Options& o, const std::vector<verify::CheckOutcome>& outcomes) {
  if (o.output == "json") return verify::format_json(outcomes);
  if (o.output == "tap") return verify::format_tap(outcomes);
  return verify::format_text(outcomes, use_colour(o));
}

bool all_passed(const std::vector<verify::CheckOutcome>& outcomes) { return verify::tally(outcomes).failed == 0; }

int cmd_verify(const Options& o) {
  auto kernel = open_kernel(o);
  const auto outcomes = run_checks(o, *kernel);
  if (outcomes.empty() && o.output == "text")
    std::cerr << "verify: the manifests have no checks; add `checks:` entries, or --implied for what the "
                 "topology itself promises\n";
  std::cout << format_checks(o, outcomes);
  return all_passed(outcomes) ? kExitOk : kExitError;
}

}  // namespace topo::cli
