#include "reconciler/cli/verify_command.hpp"

#include <iostream>

#include "reconciler/cli/commands.hpp"
#include "reconciler/cli/terminal.hpp"
#include "reconciler/probe/probe_runner.hpp"
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
  // Checks that cannot run send nothing; the others all at once.
  std::vector<std::size_t> sent;
  std::vector<verify::Probe> to_send;
  for (std::size_t i = 0; i < planned.size(); ++i)
    if (planned[i].cannot_run.empty()) {
      sent.push_back(i);
      to_send.push_back(planned[i].probe);
    }
  std::vector<verify::ProbeResult> results(planned.size());
  const std::vector<verify::ProbeResult> got = probe::run_probes(to_send);
  for (std::size_t k = 0; k < sent.size(); ++k) results[sent[k]] = got[k];
  std::vector<verify::CheckOutcome> out;
  for (std::size_t i = 0; i < planned.size(); ++i) out.push_back(verify::judge(std::move(planned[i]), results[i]));
  return out;
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
