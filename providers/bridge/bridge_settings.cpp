#include "providers/bridge/bridge_settings.hpp"

namespace topo {

std::string default_bridge_name(const std::string& network_name) { return ("br-" + network_name).substr(0, 15); }

const std::vector<std::string>& bridge_option_keys() {
  static const std::vector<std::string> keys{"bridge", "icc", "masquerade", "isolated"};
  return keys;
}

namespace {

const char* yes_no(bool b) { return b ? "true" : "false"; }

}  // namespace

std::vector<std::pair<std::string, std::string>> bridge_option_values(const BridgeOptions& o) {
  return {{"bridge", o.bridge},
          {"icc", yes_no(o.icc)},
          {"masquerade", yes_no(o.masquerade)},
          {"isolated", yes_no(o.isolated)}};
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

std::vector<std::pair<std::string, std::string>> BridgeSettings::options() const {
  auto out = bridge_option_values(*this);
  out.emplace_back("routed", routed ? "true" : "false");
  if (default_gateway) out.emplace_back("default_gateway", default_gateway->str());
  return out;
}

namespace {

bool is_v4_broadcast(const IpPrefix& subnet, const IpAddress& a) {
  return subnet.addr.is_v4() && subnet.len < 31 && a == subnet.network().plus(subnet.size() - 1);
}

// A router on the bridge, reachable from every container: an address of the
// subnet the containers' addresses come from (the first of its family), that
// no container and not the bridge itself can hold.
void check_default_gateway(const Network& net, const BridgeSettings& s, const KeyReport& report) {
  const std::string written = "default_gateway " + s.default_gateway_text;
  if (!s.default_gateway) {
    report.error("default_gateway", written + " is not an IP address");
    return;
  }
  const IpAddress& via = *s.default_gateway;
  if (net.internal) {
    report.error("default_gateway", "an internal network gives its containers no default route; " + written +
                                        " contradicts internal: true");
    return;
  }
  if (net.subnet_from_pools) {
    report.error("default_gateway", written + " needs the network's subnet written next to it: without one, the " +
                                        "subnet is taken from the address pools when planning, and may not hold it");
    return;
  }
  const SubnetSpec* home = nullptr;
  for (const SubnetSpec& sub : net.subnets)
    if (sub.subnet.addr.family == via.family) {
      home = &sub;
      break;
    }
  if (!home) {
    report.error("default_gateway", written + ": the network has no IPv" + std::to_string(via.family) + " subnet");
    return;
  }
  const IpPrefix& subnet = home->subnet;
  const IpAddress gateway = home->gateway ? *home->gateway : subnet.network().plus(1);
  if (!subnet.contains(via))
    report.error("default_gateway", written + " is outside subnet " + subnet.str() +
                                        ", where the containers' addresses come from; a router on the bridge has " +
                                        "an address inside it");
  else if (via == subnet.network())
    report.error("default_gateway", written + " is the network address of " + subnet.str());
  else if (is_v4_broadcast(subnet, via))
    report.error("default_gateway", written + " is the broadcast address of " + subnet.str());
  else if (via == gateway)
    report.error("default_gateway", written + " is the network's gateway " + gateway.str() +
                                        ", which the containers route via anyway; leave default_gateway out, or " +
                                        "give the address of another router on the bridge");
}

}  // namespace

std::shared_ptr<const DriverSettings> read_bridge_settings(const Network& net, const KeyReader& keys) {
  auto s = std::make_shared<BridgeSettings>();
  static_cast<BridgeOptions&>(*s) = read_bridge_options(net, keys);
  if (keys.has("routed")) s->routed = keys.boolean("routed");
  if (keys.has("default_gateway")) {
    s->default_gateway_text = keys.str("default_gateway");
    s->default_gateway = IpAddress::parse(s->default_gateway_text);
  }
  return s;
}

void check_bridge_settings(const Network& net, const KeyReport& report) {
  const auto* s = net.settings_as<BridgeSettings>();
  if (!s) return;
  check_bridge_options(net, *s, report);
  if (report.has("routed") && s->routed && net.internal)
    report.error("routed", "an internal network has no way in or out; routed: true contradicts internal: true");
  if (report.has("default_gateway")) check_default_gateway(net, *s, report);
}

}  // namespace topo
