#pragma once
// Removals inside a container namespace, held back in case the namespace
// itself goes next. Deleting a link costs the kernel a grace period (tens of
// milliseconds each on a small VM: 100 veths took 3 s), while removing a
// namespace takes everything in it at once, in one batched teardown. So a
// destroy's many "remove link/address/route in c1" become free when "remove
// namespace c1" follows; anything else flushes them, in order, before it
// runs, so every other sequence of calls behaves exactly as without the queue.
//
// Pure bookkeeping: the caller does the kernel work for what it hands back.
#include <string>
#include <vector>

#include "reconciler/resources/resource.hpp"

namespace topo {

class DeferredRemovals {
 public:
  // Whether `r` may wait: what its namespace's removal takes along
  // (planner/dependencies.hpp). When true, it is queued and the caller does
  // nothing now.
  bool defer(const Resource& r);
  // Everything queued, in the order it came, to be removed for real now
  // (before a create, an update, a commit or a read of the kernel).
  std::vector<Resource> flush();
  // The queued removals in namespace `ns`, taken off the queue: its removal
  // is about to take them along.
  std::vector<Resource> take(const std::string& ns);
  bool empty() const { return queue_.empty(); }

 private:
  std::vector<Resource> queue_;
};

// Host-side names of the veths among `links` (their `peer` attribute, unless
// the peer is in another container, a p2p pair's): they
// vanish a little after their namespace, which the kernel tears down
// asynchronously.
std::vector<std::string> veth_host_ends(const std::vector<Resource>& links);

}  // namespace topo
