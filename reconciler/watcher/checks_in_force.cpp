#include "reconciler/watcher/checks_in_force.hpp"

#include "reconciler/verify/check_plan.hpp"
#include "reconciler/verify/probe_wire.hpp"
#include "reconciler/view/topology_view.hpp"

namespace topo::watcher {

std::vector<verify::PlannedCheck> checks_in_force(const Desired& model, const Allocations& allocations,
                                                  const CheckPlanning& how) {
  // No view is made for a model without checks: at 10 000 containers it
  // costs a good part of a pass.
  if (model.checks.empty() && !how.implied) return {};
  const view::TopologyView v = view::view_of(model, allocations, how.netns_dir);
  std::vector<verify::PlannedCheck> planned = verify::plan_checks(model.checks, v, how.etc_netns_dir);
  if (how.implied)
    for (auto& c : verify::implied_checks(v, how.etc_netns_dir)) planned.push_back(std::move(c));
  return planned;
}

std::string checks_fingerprint(const std::vector<verify::PlannedCheck>& checks) {
  std::string all;
  for (const auto& c : checks) {
    all += c.from + '\0' + c.target + '\0' + c.source + '\0' + (c.expect_reachable ? "1" : "0") + '\0' +
           c.cannot_run + '\0' + verify::probe_to_json(c.probe) + '\0';
    for (const auto& a : c.expected_addresses) all += a + ',';
    all += '\n';
  }
  return all;
}

}  // namespace topo::watcher
