#pragma once
// `topo inspect network|container NAME`: one object of the view in full, as
// text for people (aligned key: value lines, then a table per list) and as
// one JSON document for programs:
//   {"format_version": 1, "network": {...}}    view_json.hpp's to_json(NetworkView)
//   {"format_version": 1, "container": {...}}  view_json.hpp's to_json(ContainerView)
// README "topo inspect" documents every field. Pure.
#include <string>

#include "reconciler/view/topology_view.hpp"

namespace topo::view {

// The version of inspect's JSON shape: raised when a field changes meaning or
// goes away (new fields do not raise it).
inline constexpr int kInspectFormatVersion = 1;

std::string format_network_text(const NetworkView& n);
std::string format_network_json(const NetworkView& n);
std::string format_container_text(const ContainerView& c);
std::string format_container_json(const ContainerView& c);

// What `inspect` says when NAME is none of the view's: the names there are.
// `kind`: "network" or "container".
std::string unknown_name_message(const TopologyView& v, const std::string& kind, const std::string& name);

}  // namespace topo::view
