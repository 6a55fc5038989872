#pragma once
// The graph as one JSON document for programs:
//   {"format_version": 1, "node": null (every host) | "NAME", "live": false,
//    "clusters": [{"id", "kind": "host"|"network", "label"}],
//    "nodes": [{"id", "kind": "host"|"network"|"container"|"interface", "cluster": null | "ID", ...}],
//    "edges": [{"kind": "attachment"|"join"|"link"|"port"|"parent"|"tunnel"|"host_mode", "from", "to", ...}]}
// Each node and edge carries its facts as `topo inspect -o json` writes them
// (view/view_json.hpp: name, driver, subnets[{subnet, gateway, ip_range}],
// options, mode, interface, ipv4, ipv4_prefix, ipv6, mac, host_port,
// container_port, protocol, ...; null for what is not there), and tunnels
// their network, vni, port, local and remote. With --live ("live": true)
// every element topo makes something for has "state": ok|missing|drift|extra;
// hosts and parent interfaces, which are not topo's, have none. Pure.
#include <string>

#include "reconciler/graph/graph.hpp"

namespace topo::graph {

inline constexpr int kGraphFormatVersion = 1;

std::string format_json(const Graph& g);

}  // namespace topo::graph
