#pragma once
// Cluster mode's routed overlays (subnet_per_node, manifest.md "Cluster mode
// (etcd)"), as flannel programs them. Each node's containers sit on its
// bridge in the node's share of the subnet; the shares of the other nodes
// that are up are routed:
//   - backend vxlan: one VXLAN device per network, not a bridge port, with a
//     MAC every node knows from etcd; per remote share a route via the
//     share's network address on that device (onlink), a permanent neighbour
//     entry giving that address the remote device's MAC, and an FDB entry
//     sending that MAC to the remote node's underlay address;
//   - backend host-gw: per remote share a plain route via the remote node's
//     underlay address (the nodes share an L2 segment).
// A share whose node is down (its registration expired) is not routed.
#include <string>
#include <vector>

#include "providers/overlay/overlay_settings.hpp"
#include "providers/provider.hpp"

namespace topo {

void render_node_shares(const Network& net, const OverlaySettings& settings, const RenderContext& ctx,
                        std::vector<Resource>& out);

// In a member's namespace: a route to the network's whole subnet via this
// node's gateway, so the other shares are reached through this attachment
// even when another one carries the default route (or none does: internal).
void render_share_routes(const Attachment& att, const Network& net, const RenderContext& ctx,
                         std::vector<Resource>& out);

// The MAC of `node`'s VXLAN device on `network` in cluster mode: locally
// administered, stable, derived from both names (registered in etcd too).
std::string vtep_mac(const std::string& network, const std::string& node);

}  // namespace topo
