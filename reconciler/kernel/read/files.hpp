#pragma once
// Reads back the per-container files topo writes under the etc-netns dir
// (/etc/netns/<container>/hosts, resolv.conf) as File resources, so a hand
// edit shows as drift. Only directories carrying topo's marker are read; the
// managed file names of any other entry are reported as foreign, so a
// container whose name clashes with someone else's /etc/netns/<name> is a
// conflict, not a takeover.
#include <set>
#include <string>

#include "reconciler/resources/resource.hpp"

namespace topo::observer {

// `only`: these containers' directories (a focused read); null: every one.
void observe_files(const std::string& etc_netns_dir, Observed& out, const std::set<std::string>* only = nullptr);

}  // namespace topo::observer
