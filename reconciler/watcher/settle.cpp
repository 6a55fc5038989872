#include "reconciler/watcher/settle.hpp"


namespace topo::watcher {

std::size_t hold_back_destruction(Plan& plan) {
  const std::size_t before = plan.actions.size();
  std::erase_if(plan.actions, [](const Action& a) {
    return a.type == ActionType::Delete || a.type == ActionType::Replace;
  });
  return before - plan.actions.size();
}

void SettleGate::seen(const std::string& fingerprint, TimePoint now) {
  if (fingerprint_ && *fingerprint_ == fingerprint) return;
  // The first sight counts as a change: a controller that starts amid a
  // rewrite must not trust what it reads either.
  fingerprint_ = fingerprint;
  changed_at_ = now;
}

}  // namespace topo::watcher
