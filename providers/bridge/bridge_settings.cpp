#include "providers/bridge/bridge_settings.hpp"

namespace topo {

std::string default_bridge_name(const std::string& network_name) { return ("br-" + network_name).substr(0, 15); }

const std::vector<std::string>& bridge_option_keys() {
  static const std::vector<std::string> keys{"bridge", "icc", "masquerade", "isolated"};
  return keys;
}

BridgeOptions read_bridge_options(const Network& net, const KeyReader& keys) {
  BridgeOptions o;
  o.bridge = keys.has("bridge") ? keys.str("bridge") : default_bridge_name(net.name);
  if (keys.has("icc")) o.icc = keys.boolean("icc");
  o.masquerade = keys.has("masquerade") ? keys.boolean("masquerade") : !net.internal;
  if (keys.has("isolated")) o.isolated = keys.boolean("isolated");
  return o;
}

void check_bridge_options(const Network& net, const BridgeOptions& options, const KeyReport& report) {
  // "lo" is the loopback of every namespace, the host's included.
  if (report.has("bridge") && options.bridge == "lo")
    report.error("bridge", "bridge \"lo\" is the host's loopback interface; a bridge needs a name of its own");
  if (net.internal && report.has("masquerade") && options.masquerade)
    report.error("masquerade", "an internal network has no way out; masquerade: true contradicts internal: true");
}

DriverClaim bridge_claim(const std::string& bridge) {
  return {"bridge " + bridge, "bridge name \"" + bridge + "\"", "bridge", "; set \"bridge\" to tell them apart"};
}

std::vector<DriverClaim> BridgeSettings::claims() const { return {bridge_claim(bridge)}; }

std::shared_ptr<const DriverSettings> read_bridge_settings(const Network& net, const KeyReader& keys) {
  auto s = std::make_shared<BridgeSettings>();
  static_cast<BridgeOptions&>(*s) = read_bridge_options(net, keys);
  if (keys.has("routed")) s->routed = keys.boolean("routed");
  return s;
}

void check_bridge_settings(const Network& net, const KeyReport& report) {
  const auto* s = net.settings_as<BridgeSettings>();
  if (!s) return;
  check_bridge_options(net, *s, report);
  if (report.has("routed") && s->routed && net.internal)
    report.error("routed", "an internal network has no way in or out; routed: true contradicts internal: true");
}

}  // namespace topo
