#pragma once
// The view's parts as JSON, field names as the view's own (topology_view.hpp),
// typed: numbers as numbers, booleans as booleans, a driver option as the
// schema types its key, null for what is not there (an empty string in the
// view). Keys in the view's order. `inspect` prints these; other JSON
// outputs that show the same things use them so the names agree.
#include <nlohmann/json.hpp>

#include "reconciler/view/topology_view.hpp"

namespace topo::view {

using ViewJson = nlohmann::ordered_json;

ViewJson to_json(const MemberView& m);
ViewJson to_json(const SubnetView& s);
ViewJson to_json(const NetworkView& n);
ViewJson to_json(const PortView& p);
ViewJson to_json(const RouteView& r);
ViewJson to_json(const HostsEntry& h);
ViewJson to_json(const ContainerView& c);
ViewJson to_json(const HostView& h);

// A driver's options as one object: {"bridge": "br-x", "icc": true, "vni": 42}.
ViewJson options_json(const std::vector<std::pair<std::string, std::string>>& options);

}  // namespace topo::view
