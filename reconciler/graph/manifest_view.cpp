#include "reconciler/graph/manifest_view.hpp"

#include "reconciler/ipam/ipam.hpp"
#include "reconciler/ipam/pool_subnets.hpp"
#include "reconciler/pipeline/pipeline.hpp"

namespace topo::graph {

view::TopologyView manifest_view(Desired whole, const std::vector<AddressPool>& pools, const std::string& netns_dir) {
  // Nothing remembered, nothing observed: the choices a fresh host makes.
  if (auto pooled = assign_pool_subnets(whole, {}, Observed{}, pools); !pooled.errors.empty())
    throw UserError(pooled.errors);
  IpamResult ipam = allocate(whole, {}, {});
  if (!ipam.errors.empty()) throw UserError(ipam.errors);
  return view::view_of(whole, ipam.allocations, netns_dir);
}

}  // namespace topo::graph
