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

void add_far_peers(HostView& view, const std::map<std::string, const NamespaceDump*>& owned) {
  const std::string prefix = ownership::kPeerAliasPrefix;
  for (const auto& [ns, dump] : owned) {
    for (const auto& l : dump->links) {
      if (l.group != ownership::kLinkGroup || l.alias.compare(0, prefix.size(), prefix) != 0) continue;
      // The mark names the first end as "<ns>/<ifname>"; it must be there,
      // in another namespace, and be this end's pair.
      const std::string first = l.alias.substr(prefix.size());
      const auto slash = first.find('/');
      if (slash == std::string::npos) continue;
      auto other = owned.find(first.substr(0, slash));
      if (other == owned.end() || other->first == ns) continue;
      const std::string ifname = first.substr(slash + 1);
      for (const auto& c : other->second->links)
        if (c.name == ifname && same_pair(l, c)) view.far_peer_of[first] = FarPeer{ns, &l};
    }
  }
}

bool HostView::is_far_peer(const std::string& ns, const LinkRecord& l) const {
  const std::string prefix = ownership::kPeerAliasPrefix;
  if (l.alias.compare(0, prefix.size(), prefix) != 0) return false;
  auto it = far_peer_of.find(l.alias.substr(prefix.size()));
  return it != far_peer_of.end() && it->second.ns == ns && it->second.end == &l;
}

bool same_pair(const LinkRecord& host_end, const LinkRecord& container_end) {
  return host_end.type == "veth" && container_end.type == "veth" && host_end.parent == container_end.index &&
         container_end.parent == host_end.index;
}

}  // namespace topo::observer
