#pragma once
// Which pass a kernel event asks for, judged against the desired resources
// of the model in force: none (an object topo neither owns nor wants), a
// focused pass over the containers it concerns (pipeline/focused_pass.hpp),
// or a full pass (what all containers share changed: a bridge, an overlay,
// the firewall, the forwarding switches; or events were lost). Pure.
#include <functional>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "reconciler/resources/resource.hpp"
#include "reconciler/watcher/event_filter.hpp"

namespace topo::watcher {

// What the pending events ask for, merged until the next pass.
struct Wake {
  bool full = false;
  std::set<std::string> containers;
  bool any() const { return full || !containers.empty(); }
  void merge(const Wake& o) {
    full |= o.full;
    containers.insert(o.containers.begin(), o.containers.end());
  }
};

// For the debug log: "a full pass", "a pass over c1, c2", "no pass".
std::string describe(const Wake& w);
std::string describe(const KernelEvent& e);

// The name of a host link by index, as it is now ("" when there is none):
// addresses, routes, FDB and neighbour entries name their device only by index.
using IndexToName = std::function<std::string(int)>;

class EventScope {
 public:
  EventScope() = default;  // no model yet: every event asks for a full pass
  // Keeps pointers into `desired`, which must outlive it (the controller's
  // converged resources, replaced together with the scope).
  explicit EventScope(const std::vector<Resource>& desired);

  // An event from inside container `ns`'s namespace.
  Wake in_namespace(const std::string& ns, const KernelEvent& e) const;
  // An event from the host namespace.
  Wake in_host(const KernelEvent& e, const IndexToName& name_of) const;
  // An entry of the netns dir appeared or went.
  Wake netns_entry(const std::string& name) const;
  // A per-container directory or file under the etc-netns dir changed.
  Wake etc_files(const std::string& container) const;

 private:
  bool ready_ = false;
  std::set<std::string> containers_;
  // Links topo wants in each container's namespace: ns -> name -> link.
  std::map<std::string, std::map<std::string, const Resource*>> container_links_;
  // Host links about one container (veth host ends): name -> its container
  // and the container end's resource, which carries the pair's mtu, state
  // and master.
  struct HostEnd {
    std::string container;
    const Resource* pair = nullptr;  // none: a host link of the container's own
  };
  std::map<std::string, HostEnd> host_ends_;
  // Host links all share (bridges, VXLAN devices): name -> the desired link.
  std::map<std::string, const Resource*> shared_links_;
  // Host links topo's links are made on (macvlan, ipvlan, trunk parents).
  std::set<std::string> parents_;
};

}  // namespace topo::watcher
