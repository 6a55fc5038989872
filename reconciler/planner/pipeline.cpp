#include "reconciler/planner/pipeline.hpp"

#include "providers/provider.hpp"
#include "reconciler/loader/loader.hpp"
#include "reconciler/state/state_store.hpp"

namespace topo {

Desired load_or_throw(const std::vector<std::string>& paths) {
  auto loaded = load_manifests(paths);
  if (!loaded.ok()) {
    std::vector<std::string> lines;
    for (const auto& e : loaded.errors) lines.push_back(e.str());
    lines.push_back(std::to_string(loaded.errors.size()) + " error(s); nothing was changed.");
    throw UserError(lines);
  }
  return std::move(loaded.desired);
}

Prepared prepare(const PlanInputs& inputs, Kernel& kernel, bool destroying) {
  Prepared p;
  if (!destroying) p.desired = load_or_throw(inputs.paths);
  p.observed = kernel.observe();
  State state = StateStore(inputs.state_dir).load();
  auto ipam = allocate(p.desired, state.allocations, p.observed.owned);
  if (!ipam.errors.empty()) throw UserError(ipam.errors);
  p.allocations = std::move(ipam.allocations);
  auto rendered = render_all(p.desired, p.allocations);
  if (!rendered.errors.empty()) throw UserError(rendered.errors);
  p.resources = std::move(rendered.resources);
  p.diff = make_plan(p.resources, p.observed);
  p.diff.plan.allocations = p.allocations;
  if (!p.diff.conflicts.empty()) {
    std::vector<std::string> lines;
    for (const auto& c : p.diff.conflicts) lines.push_back("conflict: " + c);
    lines.push_back("nothing was changed.");
    throw UserError(lines);
  }
  return p;
}

}  // namespace topo
