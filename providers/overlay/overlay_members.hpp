#pragma once
// The members of overlay networks that live on other nodes. Their addresses
// are static (the loader insists once an overlay spans several nodes) and
// their MACs derive from them exactly as IPAM derives the local ones, so every
// node computes the same allocations for everybody without talking.
#include "reconciler/ipam/ipam.hpp"
#include "reconciler/model/desired.hpp"

namespace topo {

// The allocation a node other than the attachment's own computes for it.
// Static addresses only: nothing is allocated.
Allocation static_allocation(const Attachment& att);

// `local` (this node's allocations) plus, for every overlay network of the
// slice, the static allocations of its attachments on other nodes. Members of
// bridge networks on other nodes are not added: that is another segment.
Allocations with_remote_members(const Desired& slice, const Allocations& local);

}  // namespace topo
