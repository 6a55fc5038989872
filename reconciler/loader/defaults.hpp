#pragma once
// Defaults of the manifest contract (manifest.md tables), and the step that
// turns a checked raw model into the Desired model with all of them filled.
#include <functional>
#include <string>
#include <vector>

#include "reconciler/loader/raw_model.hpp"

namespace topo::loader {

// "br-" + name, cut to the kernel's 15-byte interface name limit.
std::string default_bridge_name(const std::string& network_name);
int default_mtu(Driver d);
std::string default_mode(Driver d);  // "" for drivers without modes
// The first host address of the subnet.
IpAddress default_gateway(const IpPrefix& subnet);
IpAddress effective_gateway(const SubnetSpec& s);
// The bridge a network owns ("" for macvlan/ipvlan).
std::string effective_bridge(const RawNetwork& n);

// Which of one container's attachments carries its default route: the one
// marked `default_route: true`, else the lowest interface name on a network
// that is not internal, unless declined with `default_route: false`. nullptr:
// none. The route checks need the answer before the model is built.
const RawAttachment* default_route_carrier(const std::vector<const RawAttachment*>& atts,
                                           const std::function<bool(const std::string& network)>& internal);

// Only meaningful once the semantic checks passed.
Desired build_desired(const RawModel& raw);

}  // namespace topo::loader
