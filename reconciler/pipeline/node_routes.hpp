#pragma once
// Cluster mode's host-gw routes carry no mark of their stack (they leave by
// the underlay link, which is not topo's, and a route has nowhere else to
// keep one): the observer reads them as shared (stack ""). The network they
// route to knows: a route into the whole subnet of a routed overlay of the
// model is that network's. Pure.
#include "reconciler/model/desired.hpp"
#include "reconciler/resources/resource.hpp"

namespace topo {

// Gives each host-gw route in `observed` (before it is scoped to stacks)
// the stack and origin of the model's routed overlay it leads into. Routes
// into no network of the model stay shared: removed when no other stack
// holds anything, else kept.
void claim_node_routes(Observed& observed, const Desired& desired);

}  // namespace topo
