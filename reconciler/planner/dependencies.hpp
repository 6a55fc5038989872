#pragma once
// What depends on what, written once: the order in which a plan makes and
// removes objects, and what an object takes with it when it goes or is made
// anew. The diff orders and cascades by it (diff.cpp); the netlink kernel
// holds removals back by it (kernel/deferred_removals.hpp).
#include <string>
#include <vector>

#include "reconciler/resources/resource.hpp"

namespace topo {

// Dependency rank: namespace < container: joiner < master link < port link
// < address < route < fdb < neighbour < sysctl < file < firewall.
// Creates run in ascending rank, deletes in descending; ties by ns, then name.
int dependency_rank(const Resource& r);
bool dependency_less(const Resource& a, const Resource& b);

// The key (Resource::key) of the object `r` lives on, "" when none: an
// address, route, forwarding or neighbour entry lives on its link, an
// interface's sysctl on its link, a container: joiner's entry on its target's
// namespace entry.
// When that object is made anew, what lives on it is gone (or, for a
// joiner, bound to the old namespace) and must be made again.
std::string lives_on(const Resource& r);

// The keys of what is made anew when `r` is: itself, and for a veth pair
// its other end, which is no resource of its own but has what lives on it
// (a p2p pair's far end has its addresses and settings).
std::vector<std::string> made_anew_with(const Resource& r);

// Whether removing the container namespace `r` is in takes `r` along: its
// links and what lives on them. Settings and files outlive it.
bool goes_with_namespace(const Resource& r);

}  // namespace topo
