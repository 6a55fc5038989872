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

// The host ends of veth pairs carry the state and master of the container
// end they belong to.
struct HostView {
  ByIndex by_index;
  std::map<std::string, const LinkRecord*> peer_of;  // "<ns>/<ifname>" -> host end
};

HostView host_view(const NamespaceDump& host);

// Whether a host end and a container end are one veth pair: each names the
// other's index as its peer (across namespaces, as the kernel reports it).
// A mark (alias) alone is anyone's to set; this is not.
bool same_pair(const LinkRecord& host_end, const LinkRecord& container_end);

}  // namespace topo::observer
