#pragma once
// The firewall of bridge networks, rendered as readable intents (Firewall
// resources) plus the host forwarding switches, route_localnet for ports on
// 127.x or every address, and hairpin mode on the bridge port of each
// container that publishes ports (Sysctl resources). Host ports the
// manifests leave out come chosen in the allocations. Pure: the
// model and the allocations in, resources out; the nftables rules behind each
// intent are made by reconciler/kernel/firewall/. Networks and containers of
// a stack other than the default are named STACK/NAME in intents.
//
//   table inet topo                      topo's nat + forward chains
//   table bridge topo                    only when a network has icc: false
//   masquerade <network>                 source NAT of the subnets leaving the bridge
//   publish <host>:<port>/<proto>        DNAT to a container (outside, host itself, hairpin)
//   isolate <network>                    no forwarding between its bridge and any other of topo's
//   internal <network>                   nothing forwarded in or out of the bridge
//   icc-off <network> <container>/<if>   the container's bridge port talks only to the host
#include <vector>

#include "reconciler/ipam/ipam.hpp"
#include "reconciler/model/desired.hpp"
#include "reconciler/resources/resource.hpp"

namespace topo {

void render_firewall(const Desired& desired, const Allocations& allocations, std::vector<Resource>& out);

}  // namespace topo
