#include "reconciler/kernel/deferred_removals.hpp"

#include <algorithm>

#include "reconciler/planner/dependencies.hpp"

namespace topo {

bool DeferredRemovals::defer(const Resource& r) {
  if (!goes_with_namespace(r)) return false;
  queue_.push_back(r);
  return true;
}

std::vector<Resource> DeferredRemovals::flush() {
  std::vector<Resource> out;
  out.swap(queue_);
  return out;
}

std::vector<Resource> DeferredRemovals::take(const std::string& ns) {
  std::vector<Resource> taken;
  std::erase_if(queue_, [&](const Resource& r) {
    if (r.ns != ns) return false;
    taken.push_back(r);
    return true;
  });
  return taken;
}

std::vector<std::string> veth_host_ends(const std::vector<Resource>& links) {
  std::vector<std::string> out;
  for (const auto& r : links)
    if (r.kind == Kind::Link && r.attr(attr::type) == "veth" && !r.attr(attr::peer).empty() &&
        r.attr(attr::peer_ns).empty())
      out.push_back(r.attr(attr::peer));
  return out;
}

}  // namespace topo
