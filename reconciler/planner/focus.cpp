#include "reconciler/planner/focus.hpp"

#include <algorithm>

namespace topo {

namespace {

// "attachment/<container>/<ifname>" or "container/<container>" -> the container.
std::string container_in_origin(const std::string& origin) {
  for (const std::string prefix : {"attachment/", "container/"}) {
    if (origin.compare(0, prefix.size(), prefix) != 0) continue;
    const std::string rest = origin.substr(prefix.size());
    return rest.substr(0, rest.find('/'));
  }
  return "";
}

}  // namespace

std::string container_of(const Resource& r) {
  if (r.kind == Kind::Firewall || r.kind == Kind::Fdb) return "";
  // A host neighbour entry is on a VXLAN device all containers share; one in
  // a container's namespace is that container's, like its other objects.
  if (r.kind == Kind::Neighbour && r.ns.empty()) return "";
  if (r.kind == Kind::Namespace) return r.name;
  if (!r.ns.empty()) return r.ns;
  const std::string link = r.attr(attr::link);  // "<ns>/<ifname>" of the link a setting lives on
  if (const auto slash = link.find('/'); slash != std::string::npos && slash > 0) return link.substr(0, slash);
  return container_in_origin(r.origin);
}

std::vector<Resource> FocusIndex::release() && {
  by_container_.clear();
  joined_.clear();
  host_links_.clear();
  return std::move(all_);
}

FocusIndex::FocusIndex(std::vector<Resource> desired) : all_(std::move(desired)) {
  for (size_t i = 0; i < all_.size(); ++i) {
    const Resource& r = all_[i];
    const std::string c = container_of(r);
    if (c.empty()) continue;
    by_container_[c].push_back(i);
    if (r.kind != Kind::Link) continue;
    // A p2p pair is one resource in its first end's namespace naming the other's.
    if (const std::string far = r.attr(attr::peer_ns); !far.empty() && !r.ns.empty()) {
      joined_[r.ns].insert(far);
      joined_[far].insert(r.ns);
    }
    if (r.ns.empty()) host_links_[c].insert(r.name);
    // A veth's host end (a p2p pair's far end is in a focused namespace).
    else if (r.attr(attr::peer_ns).empty() && !r.attr(attr::peer).empty()) host_links_[c].insert(r.attr(attr::peer));
  }
}

FocusScope FocusIndex::scope(std::set<std::string> containers) const {
  std::vector<std::string> todo(containers.begin(), containers.end());
  while (!todo.empty()) {
    const std::string c = todo.back();
    todo.pop_back();
    auto j = joined_.find(c);
    if (j == joined_.end()) continue;
    for (const std::string& other : j->second)
      if (containers.insert(other).second) todo.push_back(other);
  }
  FocusScope scope;
  scope.containers = std::move(containers);
  scope.read.namespaces = scope.containers;
  for (const std::string& c : scope.containers)
    if (auto h = host_links_.find(c); h != host_links_.end())
      scope.read.host_links.insert(h->second.begin(), h->second.end());
  return scope;
}

std::vector<Resource> FocusIndex::resources(const std::set<std::string>& containers) const {
  std::vector<Resource> out;
  for (const std::string& c : containers)
    if (auto it = by_container_.find(c); it != by_container_.end())
      for (size_t i : it->second) out.push_back(all_[i]);
  return out;
}

void keep_focus(Observed& observed, const std::set<std::string>& containers) {
  auto outside = [&](const Resource& r) { return !containers.count(container_of(r)); };
  std::erase_if(observed.owned, outside);
  std::erase_if(observed.held_resources, outside);
}

}  // namespace topo
