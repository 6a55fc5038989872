#include "reconciler/watcher/drift.hpp"

#include <map>

namespace topo::watcher {

size_t count_drift_repairs(const Plan& plan, const std::vector<Resource>& converged) {
  std::map<std::string, const Resource*> by_key;
  for (const auto& r : converged) by_key[r.key()] = &r;
  size_t repairs = 0;
  for (const auto& a : plan.actions) {
    if (a.type == ActionType::Delete) {
      repairs += by_key.count(a.before().key()) == 0;
    } else {
      auto it = by_key.find(a.after().key());
      repairs += it != by_key.end() && *it->second == a.after();
    }
  }
  return repairs;
}

}  // namespace topo::watcher
