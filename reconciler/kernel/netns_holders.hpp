#pragma once
// Who else holds a network namespace. Unmounting a namespace topo made only
// destroys it when nothing else holds it; a process started in it (`ip netns
// exec c1 sleep ...`) keeps it, and with it every link inside, alive: a veth
// would stay a port of its bridge with its address, unseen by topo once the
// entry is gone. So before an unmount, the namespaces that processes or
// other mounts hold are found, and their links are removed explicitly.
#include <set>
#include <string>

namespace topo::netns {

// nsfs inodes of the network namespaces that processes (other than this
// one) are in, and that are bind-mounted anywhere outside `netns_dir`.
// Read once per call: /proc/<pid>/ns/net of every process, and mountinfo.
// (An open fd on a namespace is not seen here; host ends of veths that
// outlive their namespace are observed as stranded and removed then.)
std::set<unsigned long> held_namespaces(const std::string& netns_dir);

}  // namespace topo::netns
