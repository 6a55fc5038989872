#include "reconciler/watcher/settle.hpp"

#include <set>
#include <tuple>

namespace topo::watcher {

bool drops_objects(const Desired& in_force, const Desired& next) {
  for (const Network& n : in_force.networks)
    if (!next.network(n.name)) return true;
  for (const Container& c : in_force.containers) {
    const Container* now = next.container(c.name);
    if (!now) return true;
    if (std::tie(c.network_mode, c.mode_target, c.netns, c.stack) !=
        std::tie(now->network_mode, now->mode_target, now->netns, now->stack))
      return true;
  }
  std::set<std::pair<std::string, std::string>> attached;
  for (const Attachment& a : next.attachments) attached.emplace(a.container, a.interface);
  for (const Attachment& a : in_force.attachments)
    if (!attached.count({a.container, a.interface})) return true;
  return false;
}

void SettleGate::seen(const std::string& fingerprint, TimePoint now) {
  if (fingerprint_ && *fingerprint_ == fingerprint) return;
  // The first sight counts as a change: a controller that starts amid a
  // rewrite must not trust what it reads either.
  fingerprint_ = fingerprint;
  changed_at_ = now;
}

}  // namespace topo::watcher
