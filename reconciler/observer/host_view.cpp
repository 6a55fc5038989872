#include "reconciler/observer/host_view.hpp"

#include "reconciler/resources/ownership.hpp"

namespace topo::observer {

ByIndex index_links(const NamespaceDump& dump) {
  ByIndex by;
  for (const auto& l : dump.links) by[l.index] = &l;
  return by;
}

std::string name_of(const ByIndex& by, int index) {
  auto it = by.find(index);
  return it == by.end() ? std::string() : it->second->name;
}

HostView host_view(const NamespaceDump& host) {
  HostView v{index_links(host), {}};
  const std::string prefix = ownership::kPeerAliasPrefix;
  for (const auto& l : host.links)
    if (l.alias.compare(0, prefix.size(), prefix) == 0) v.peer_of[l.alias.substr(prefix.size())] = &l;
  return v;
}

}  // namespace topo::observer
