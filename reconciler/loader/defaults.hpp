#pragma once
// Defaults of the manifest contract (manifest.md tables), and the step that
// turns a checked raw model into the Desired model with all of them filled.
#include <functional>
#include <string>
#include <vector>

#include "reconciler/loader/raw_model.hpp"

namespace topo::loader {

// A network's mtu and its driver's keys are defaulted as they are read
// (yaml_reader.cpp, through the driver's provider).

// The first host address of the subnet.
IpAddress default_gateway(const IpPrefix& subnet);
IpAddress effective_gateway(const SubnetSpec& s);

// Which of one container's attachments carries its default route: the one
// marked `default_route: true`, else the lowest interface name on a network
// that is not internal, unless declined with `default_route: false`. nullptr:
// none. The route checks need the answer before the model is built.
const RawAttachment* default_route_carrier(const std::vector<const RawAttachment*>& atts,
                                           const std::function<bool(const std::string& network)>& internal);

// Only meaningful once the semantic checks passed.
Desired build_desired(const RawModel& raw);

}  // namespace topo::loader
