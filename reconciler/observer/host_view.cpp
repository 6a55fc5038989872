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
  // Only topo's own host ends: an alias is anyone's to set, and a forged one
  // on a stranger's link must not pass for the pair of a container.
  for (const auto& l : host.links)
    if (l.group == ownership::kLinkGroup && l.alias.compare(0, prefix.size(), prefix) == 0)
      v.peer_of[l.alias.substr(prefix.size())] = &l;
  return v;
}

bool same_pair(const LinkRecord& host_end, const LinkRecord& container_end) {
  return host_end.type == "veth" && container_end.type == "veth" && host_end.parent == container_end.index &&
         container_end.parent == host_end.index;
}

}  // namespace topo::observer
