#include "reconciler/resources/stacks.hpp"

#include <map>

namespace topo {

void inherit_namespace_stacks(std::vector<Resource>& resources) {
  std::map<std::string, std::string> ns_stack;
  for (const Resource& r : resources)
    if (r.kind == Kind::Namespace && !r.stack.empty()) ns_stack[r.name] = r.stack;
  for (Resource& r : resources) {
    if (!r.stack.empty() || r.ns.empty()) continue;
    if (auto it = ns_stack.find(r.ns); it != ns_stack.end()) r.stack = it->second;
  }
}

void scope_to_stacks(Observed& observed, const std::set<std::string>& stacks) {
  observed.scope = stacks;
  // Kept in place: a second vector of every resource was the apply's
  // largest allocation at 10 000 containers.
  std::vector<Resource>& owned = observed.owned;
  std::size_t kept = 0;
  for (std::size_t i = 0; i < owned.size(); ++i) {
    Resource& r = owned[i];
    if (r.stack.empty() || stacks.count(r.stack)) {
      if (kept != i) owned[kept] = std::move(r);
      ++kept;
    } else {
      observed.held[r.key()] = r.stack;
      observed.held_resources.push_back(std::move(r));
    }
  }
  owned.erase(owned.begin() + static_cast<std::ptrdiff_t>(kept), owned.end());
  if (observed.held.empty()) return;
  for (const Resource& r : observed.owned)
    if (r.stack.empty() && r.attr(attr::mark) != attr::mark_stranded) observed.keep.insert(r.key());
}

std::set<std::string> observed_stacks(const Observed& observed) {
  std::set<std::string> out;
  for (const auto& r : observed.owned)
    if (!r.stack.empty()) out.insert(r.stack);
  for (const auto& [key, stack] : observed.held) out.insert(stack);
  return out;
}

}  // namespace topo
