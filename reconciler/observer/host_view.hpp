#pragma once
// Links of a dump by index, and the host namespace as decoding sees it:
// where the host ends of veth pairs and the parents of sub-interfaces are.
// Pure; used by decode.cpp and by the link kinds' decode hooks.
#include <map>
#include <string>

#include "reconciler/observer/snapshot.hpp"

namespace topo::observer {

using ByIndex = std::map<int, const LinkRecord*>;

ByIndex index_links(const NamespaceDump& dump);
// The name of the link with `index`; "" when there is none.
std::string name_of(const ByIndex& by, int index);

// The far end of a p2p pair: in another container's namespace.
struct FarPeer {
  std::string ns;
  const LinkRecord* end = nullptr;
};

// The host ends of veth pairs carry the state and master of the container
// end they belong to; a p2p pair's far end its name, namespace and MAC.
struct HostView {
  ByIndex by_index;
  std::map<std::string, const LinkRecord*> peer_of;  // "<ns>/<ifname>" -> host end
  // "<ns>/<ifname>" of the pair's first end -> its far end, only for pairs
  // whose two ends point at each other (add_far_peers).
  std::map<std::string, FarPeer> far_peer_of{};
  // Whether `l` in namespace `ns` is the far end of one of those pairs.
  bool is_far_peer(const std::string& ns, const LinkRecord& l) const;
};

HostView host_view(const NamespaceDump& host);

// The far ends of p2p pairs in the namespaces topo owns (`owned`: name ->
// dump), each checked against the end its mark names.
void add_far_peers(HostView& view, const std::map<std::string, const NamespaceDump*>& owned);

// Whether a host end and a container end are one veth pair: each names the
// other's index as its peer (across namespaces, as the kernel reports it).
// A mark (alias) alone is anyone's to set; this is not.
bool same_pair(const LinkRecord& host_end, const LinkRecord& container_end);

}  // namespace topo::observer
