#pragma once
// What every attachment gets inside its container, whatever the driver: one
// address per family (from the first subnet of that family) and, on the
// attachment that carries it, the default route of each family.
#include <vector>

#include "providers/provider.hpp"

namespace topo {

struct IpConfigOptions {
  // Route via the subnet's gateway (bridge, macvlan, ipvlan l2). False: the
  // default route just points at the device (ipvlan l3/l3s, where the parent
  // routes and neighbour discovery does not reach an outside gateway).
  bool via_gateway = true;
};

void render_ip_config(const Attachment& att, const Network& net, const Allocation& alloc,
                      const IpConfigOptions& opts, std::vector<Resource>& out);

// The allocation of an attachment (empty when IPAM had none).
const Allocation& allocation_of(const Attachment& att, const RenderContext& ctx);

}  // namespace topo
