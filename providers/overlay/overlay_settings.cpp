#include "providers/overlay/overlay_settings.hpp"

namespace topo {

std::vector<DriverClaim> OverlaySettings::claims() const {
  std::vector<DriverClaim> out{bridge_claim(bridge)};
  // One id and port is one tunnel on the wire.
  if (vni)
    out.push_back({"vxlan " + std::to_string(*vni) + "/" + std::to_string(port), "vni " + std::to_string(*vni),
                   "vni", ""});
  return out;
}

std::vector<std::pair<std::string, std::string>> OverlaySettings::options() const {
  auto out = bridge_option_values(*this);
  if (vni) out.emplace_back("vni", std::to_string(*vni));
  out.emplace_back("port", std::to_string(port));
  if (subnet_per_node) {
    out.emplace_back("subnet_per_node", std::to_string(*subnet_per_node));
    // Only meaningful with shares (check_overlay_settings).
    out.emplace_back("backend", backend == Backend::HostGw ? "host-gw" : "vxlan");
  }
  return out;
}

std::shared_ptr<const DriverSettings> read_overlay_settings(const Network& net, const KeyReader& keys) {
  auto s = std::make_shared<OverlaySettings>();
  static_cast<BridgeOptions&>(*s) = read_bridge_options(net, keys);
  if (keys.has("vni")) s->vni = static_cast<std::uint32_t>(keys.integer("vni"));
  if (keys.has("port")) s->port = static_cast<int>(keys.integer("port"));
  if (keys.has("subnet_per_node")) s->subnet_per_node = static_cast<int>(keys.integer("subnet_per_node"));
  if (keys.str("backend") == "host-gw") s->backend = OverlaySettings::Backend::HostGw;
  return s;
}

void check_overlay_settings(const Network& net, const KeyReport& report) {
  const auto* s = net.settings_as<OverlaySettings>();
  if (!s) return;
  if (!s->vni) report.error("driver overlay needs \"vni\" (1-16777215)");
  check_bridge_options(net, *s, report);
  if (report.has("backend") && !s->subnet_per_node)
    report.error("backend", "\"backend\" chooses how per-node subnets are routed: it needs \"subnet_per_node\"");
  if (!s->subnet_per_node) return;
  // Each node's lease is a share of the one subnet written: room for more
  // than one node, and for a gateway and containers in each share.
  if (net.subnets.size() != 1 || report.has("subnets")) {
    report.error("subnet_per_node", "\"subnet_per_node\" divides one written \"subnet\" among the nodes; write exactly one");
    return;
  }
  const IpPrefix& whole = net.subnets.front().subnet;
  const int max_len = whole.addr.is_v4() ? 30 : 126;
  if (*s->subnet_per_node <= whole.len || *s->subnet_per_node > max_len)
    report.error("subnet_per_node", "\"subnet_per_node\" must be longer than the subnet's /" + std::to_string(whole.len) +
                                        " and at most /" + std::to_string(max_len) + " (a gateway and containers in each node's share)");
  if (report.has("gateway") || report.has("ip_range"))
    report.error("subnet_per_node", "with \"subnet_per_node\" each node's gateway and range are its share's: leave \"gateway\" and \"ip_range\" out");
}

}  // namespace topo
