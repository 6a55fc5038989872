#pragma once
// The ids the host namespace gives other namespaces (RTM_GETNSID): what a
// socket listening to every namespace (NETLINK_LISTEN_ALL_NSID) is told each
// message came from. Only namespaces with an id are heard, so one without is
// given one (RTM_NEWNSID, the kernel choosing the number), as the kernel
// itself does for a veth's peer. An id dies with its namespace.
#include "reconciler/fsutil/fd.hpp"

namespace topo::watcher {

// A route socket in the calling thread's namespace, for the requests below.
Fd netns_id_socket();  // throws std::runtime_error

// The id of the namespace `ns_fd` refers to, assigned when it has none;
// -1 when the kernel refuses both (the namespace is then not heard).
int netns_id(int sock, int ns_fd);

}  // namespace topo::watcher
