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
  if (r.kind == Kind::Namespace) return r.name;
  if (!r.ns.empty()) return r.ns;
  const std::string link = r.attr(attr::link);  // "<ns>/<ifname>" of the link a setting lives on
  if (const auto slash = link.find('/'); slash != std::string::npos && slash > 0) return link.substr(0, slash);
  return container_in_origin(r.origin);
}

FocusScope focus_scope(const std::vector<Resource>& desired, std::set<std::string> containers) {
  // A p2p pair is one resource in its first end's namespace naming the
  // other's: focus on either end takes both.
  for (bool grew = true; grew;) {
    grew = false;
    for (const Resource& r : desired) {
      const std::string far = r.kind == Kind::Link ? r.attr(attr::peer_ns) : "";
      if (far.empty() || r.ns.empty()) continue;
      if (containers.count(r.ns) != containers.count(far)) {
        containers.insert(r.ns);
        containers.insert(far);
        grew = true;
      }
    }
  }
  FocusScope scope;
  scope.containers = std::move(containers);
  scope.read.namespaces = scope.containers;
  for (const Resource& r : desired) {
    if (r.kind != Kind::Link || !scope.containers.count(container_of(r))) continue;
    if (r.ns.empty()) scope.read.host_links.insert(r.name);
    // A veth's host end (a p2p pair's far end is in a focused namespace).
    else if (r.attr(attr::peer_ns).empty() && !r.attr(attr::peer).empty())
      scope.read.host_links.insert(r.attr(attr::peer));
  }
  return scope;
}

std::vector<Resource> in_focus(const std::vector<Resource>& resources, const std::set<std::string>& containers) {
  std::vector<Resource> out;
  for (const Resource& r : resources)
    if (containers.count(container_of(r))) out.push_back(r);
  return out;
}

void keep_focus(Observed& observed, const std::set<std::string>& containers) {
  auto outside = [&](const Resource& r) { return !containers.count(container_of(r)); };
  std::erase_if(observed.owned, outside);
  std::erase_if(observed.held_resources, outside);
}

}  // namespace topo
