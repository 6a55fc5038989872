#include "reconciler/planner/pipeline.hpp"

#include "providers/provider.hpp"
#include "reconciler/loader/loader.hpp"
#include "reconciler/model/slice.hpp"
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

void refuse_empty_set(const Desired& whole, const std::vector<std::string>& paths) {
  if (!whole.hosts.empty() || !whole.networks.empty() || !whole.containers.empty() || !whole.attachments.empty())
    return;
  std::string where;
  for (const auto& p : paths) where += (where.empty() ? "" : ", ") + p;
  throw UserError({(where.empty() ? std::string("(no path)") : where) +
                       ": the manifests declare nothing (no networks, containers, attachments or hosts); "
                       "converging to them would remove everything topo manages. To remove it on purpose, "
                       "run `topo destroy`.",
                   "nothing was changed."});
}

Desired load_to_converge(const std::vector<std::string>& paths) {
  Desired d = load_or_throw(paths);
  refuse_empty_set(d, paths);
  return d;
}

Desired select_node_or_throw(Desired whole, const std::string& node) {
  NodeSelection sel = select_node(std::move(whole), node);
  if (!sel.error.empty()) throw UserError({sel.error, "nothing was changed."});
  return std::move(sel.desired);
}

Desired load_for_node(const std::vector<std::string>& paths, const std::string& node) {
  return select_node_or_throw(load_to_converge(paths), node);
}

Prepared prepare(const PlanInputs& inputs, Kernel& kernel, bool destroying) {
  return prepare(destroying ? Desired{} : load_for_node(inputs.paths, inputs.node), inputs.state_dir, kernel);
}

Prepared prepare(Desired desired, const std::string& state_dir, Kernel& kernel) {
  Prepared p;
  p.desired = std::move(desired);
  p.observed = kernel.observe();
  State state = StateStore(state_dir).load();
  auto ipam = allocate(p.desired, state.allocations, p.observed.owned);
  if (!ipam.errors.empty()) throw UserError(ipam.errors);
  p.allocations = std::move(ipam.allocations);
  auto rendered = render_all(p.desired, p.allocations, kernel.host_resolv_conf());
  if (!rendered.errors.empty()) throw UserError(rendered.errors);
  p.resources = std::move(rendered.resources);
  for (auto& r : kernel.observe_settings(p.resources)) p.observed.owned.push_back(std::move(r));
  if (auto problems = kernel.preflight(p.resources); !problems.empty()) {
    problems.push_back(std::to_string(problems.size()) + " problem(s); nothing was changed.");
    throw UserError(problems);
  }
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
