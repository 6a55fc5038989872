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

std::shared_ptr<const DriverSettings> read_overlay_settings(const Network& net, const KeyReader& keys) {
  auto s = std::make_shared<OverlaySettings>();
  static_cast<BridgeOptions&>(*s) = read_bridge_options(net, keys);
  if (keys.has("vni")) s->vni = static_cast<std::uint32_t>(keys.integer("vni"));
  if (keys.has("port")) s->port = static_cast<int>(keys.integer("port"));
  return s;
}

void check_overlay_settings(const Network& net, const KeyReport& report) {
  const auto* s = net.settings_as<OverlaySettings>();
  if (!s) return;
  if (!s->vni) report.error("driver overlay needs \"vni\" (1-16777215)");
  check_bridge_options(net, *s, report);
}

}  // namespace topo
