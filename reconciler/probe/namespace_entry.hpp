#pragma once
// Puts the calling process where `ip netns exec NAME` would: the container's
// hosts file and resolv.conf over /etc (in a mount namespace of its own, so
// nothing outside sees them), then its network namespace. For the probe
// child only: it changes the whole process.
#include <string>

namespace topo::probe {

// "" when entered, else what failed. `etc_dir` "": /etc stays the host's.
// `netns` "": the namespace stays the caller's.
std::string enter_namespaces(const std::string& netns, const std::string& etc_dir);

}  // namespace topo::probe
