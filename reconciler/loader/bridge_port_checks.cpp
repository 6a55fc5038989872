// A Linux bridge takes at most kMaxBridgePorts ports (model/kernel_limits.hpp).
// Every attachment to a bridge or overlay network is one port of its bridge
// on its container's node, and a port the network adds itself (an overlay's
// VXLAN device: model/driver_settings.hpp) is one more. Past
// the limit the kernel refuses the next veth with "Exchange full", mid-apply:
// refused here, naming the network, the count and the limit.
#include "reconciler/loader/semantic_checks.hpp"
#include "reconciler/model/kernel_limits.hpp"

namespace topo::loader {

void check_bridge_ports(const RawModel& m, const NameIndex& names, Diagnostics& diag) {
  struct Count {
    const RawNetwork* net = nullptr;  // the first network seen on this bridge
    int ports = 0;
    const RawAttachment* first_over = nullptr;  // the attachment that takes the bridge past the limit
  };
  // (node, bridge kernel name): each node builds its own bridge.
  std::map<std::pair<std::string, std::string>, Count> bridges;
  for (const RawAttachment& raw : m.attachments) {
    auto n = names.networks.find(raw.a.network);
    if (n == names.networks.end()) continue;
    const std::string bridge = n->second->net.driver_settings().host_bridge();
    if (bridge.empty()) continue;
    auto c = names.containers.find(raw.a.container);
    const std::string node = c == names.containers.end() ? "" : c->second->c.node;
    Count& count = bridges[{node, bridge}];
    if (!count.net) {
      count.net = n->second;
      count.ports = static_cast<int>(n->second->net.driver_settings().own_bridge_ports().size());
    }
    if (++count.ports == kMaxBridgePorts + 1) count.first_over = &raw;
  }
  for (const auto& [where, count] : bridges) {
    if (count.ports <= kMaxBridgePorts) continue;
    const auto& [node, bridge] = where;
    const Network& net = count.net->net;
    const std::vector<std::string> own = net.driver_settings().own_bridge_ports();
    std::string with;  // " (with its VXLAN device)"
    for (const std::string& port : own) with += (with.empty() ? " (with " : " and ") + port;
    if (!with.empty()) with += ")";
    const int attachments = count.ports - static_cast<int>(own.size());
    diag.error(count.net->where.object,
               "network " + quoted(net.name) + ": " + std::to_string(attachments) + " attachments" +
                   (node.empty() ? "" : " on node " + quoted(node)) + " make " + std::to_string(count.ports) +
                   " ports of bridge " + quoted(bridge) + with +
                   ", but a Linux bridge takes at most " + std::to_string(kMaxBridgePorts) +
                   " (the kernel refuses the next one with \"Exchange full\"; the first one over is at " +
                   count.first_over->where.object.str() + "); spread the containers over several networks");
  }
}

}  // namespace topo::loader
