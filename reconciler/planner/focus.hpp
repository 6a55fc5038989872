#pragma once
// Which desired and observed resources a focused pass compares: those about
// some containers only. A kernel event in one container's namespace (or on
// the host end of its veth) concerns that container's objects; comparing
// just those makes a repair cost the same at 10 000 containers as at 10.
// What all containers share (bridges, overlays, the firewall, host-wide
// settings) is never in a focus: a change there takes a full pass. Pure.
#include <map>
#include <set>
#include <string>
#include <vector>

#include "reconciler/kernel_interface/kernel.hpp"
#include "reconciler/resources/resource.hpp"

namespace topo {

// The container a resource is about: its namespace, or for an object of the
// host namespace the container its origin or its link names (the host end's
// settings of a veth). "" for what is shared, and always for firewall state,
// VXLAN forwarding entries and neighbour entries of the host namespace.
std::string container_of(const Resource& r);

struct FocusScope {
  std::set<std::string> containers;  // the asked ones plus those their p2p pairs join
  Focus read;                        // what the kernel is asked to read
};

// The desired resources of the model in force by container, made once per
// full pass so that a focus costs what its containers hold, not what the
// host does.
class FocusIndex {
 public:
  explicit FocusIndex(std::vector<Resource> desired);
  const std::vector<Resource>& all() const { return all_; }
  // The resources back, without a copy (at 10 000 containers a copy was
  // 30 MB); the index is empty afterwards.
  std::vector<Resource> release() &&;
  // The scope of a focus on `containers`: a p2p pair spans two containers,
  // so both are in.
  FocusScope scope(std::set<std::string> containers) const;
  // The desired resources about these containers.
  std::vector<Resource> resources(const std::set<std::string>& containers) const;

 private:
  std::vector<Resource> all_;
  std::map<std::string, std::vector<size_t>> by_container_;  // indexes into all_
  std::map<std::string, std::set<std::string>> joined_;      // p2p pairs: container -> the other ends
  std::map<std::string, std::set<std::string>> host_links_;  // container -> host links about it
};

// Keeps of an observation (its owned and held objects) those about these
// containers.
void keep_focus(Observed& observed, const std::set<std::string>& containers);

}  // namespace topo
