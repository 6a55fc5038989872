#include "reconciler/watcher/settle.hpp"

#include <algorithm>
#include <set>
#include <tuple>

namespace topo::watcher {

namespace {

bool remakes_namespace(const Container& a, const Container& b) {
  return std::tie(a.network_mode, a.mode_target, a.netns, a.stack) !=
         std::tie(b.network_mode, b.mode_target, b.netns, b.stack);
}

}  // namespace

bool drops_objects(const Desired& in_force, const Desired& next) {
  for (const Network& n : in_force.networks)
    if (!next.network(n.name)) return true;
  for (const Container& c : in_force.containers) {
    const Container* now = next.container(c.name);
    if (!now) return true;
    if (remakes_namespace(c, *now)) return true;
  }
  std::set<std::pair<std::string, std::string>> attached;
  for (const Attachment& a : next.attachments) attached.emplace(a.container, a.interface);
  for (const Attachment& a : in_force.attachments)
    if (!attached.count({a.container, a.interface})) return true;
  return false;
}


Desired held_back(const Desired& in_force, const Desired& next) {
  Desired out = next;
  for (const Network& n : in_force.networks)
    if (!next.network(n.name)) out.networks.push_back(n);
  for (const Container& c : in_force.containers) {
    auto it = std::find_if(out.containers.begin(), out.containers.end(),
                           [&](const Container& o) { return o.name == c.name; });
    if (it == out.containers.end()) out.containers.push_back(c);
    else if (remakes_namespace(c, *it)) *it = c;
  }
  std::set<std::pair<std::string, std::string>> attached;
  for (const Attachment& a : next.attachments) attached.emplace(a.container, a.interface);
  for (const Attachment& a : in_force.attachments)
    if (!attached.count({a.container, a.interface})) out.attachments.push_back(a);
  out.stacks.insert(in_force.stacks.begin(), in_force.stacks.end());
  // The model's order (desired.hpp): by name, attachments by (container, interface).
  auto by_name = [](const auto& x, const auto& y) { return x.name < y.name; };
  std::sort(out.networks.begin(), out.networks.end(), by_name);
  std::sort(out.containers.begin(), out.containers.end(), by_name);
  std::sort(out.attachments.begin(), out.attachments.end(), [](const Attachment& x, const Attachment& y) {
    return std::tie(x.container, x.interface) < std::tie(y.container, y.interface);
  });
  return out;
}

void SettleGate::seen(const std::string& fingerprint, TimePoint now) {
  if (fingerprint_ && *fingerprint_ == fingerprint) return;
  // The first sight counts as a change: a controller that starts amid a
  // rewrite must not trust what it reads either.
  fingerprint_ = fingerprint;
  changed_at_ = now;
}

}  // namespace topo::watcher
