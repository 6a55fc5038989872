#pragma once
// An attachment as the view shows it: its addresses, MAC and host veth as the
// providers use them. Shared by the network view (members) and the container
// view (interfaces).
#include <string>

#include "reconciler/ipam/ipam.hpp"
#include "reconciler/model/desired.hpp"
#include "reconciler/view/topology_view.hpp"

namespace topo::view {

// What IPAM gave the model's attachments, plus what a node computes for the
// ones it does not allocate (overlay members on other nodes, static
// addresses of containers elsewhere), so each appears as its own node has it.
class MemberAllocations {
 public:
  MemberAllocations(const Desired& desired, const Allocations& allocations);
  // The attachment's allocation; for one this node did not allocate, its
  // static address and the MAC derived from it, or nothing when its address
  // is allocated on another node (its MAC then derives from what that node chose).
  Allocation of(const Attachment& att) const;
  // Everything known, keyed as IPAM keys it (the providers' RenderContext).
  const Allocations& all() const { return everyone_; }

 private:
  Allocations everyone_;
};

// The network as this node plans it (its subnets chosen from the pools), or
// as the whole model has it when this node has no member on it.
const Network* network_named(const Desired& desired, const std::string& name);

MemberView member_of(const Attachment& att, const Network* net, const Container* container,
                     const MemberAllocations& allocations);

}  // namespace topo::view
