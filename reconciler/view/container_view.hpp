#pragma once
// One container as the view shows it: where its namespace is, its
// interfaces, the routes and files the providers give it, its ports with the
// host ports in force.
#include <string>

#include "providers/provider.hpp"
#include "reconciler/model/desired.hpp"
#include "reconciler/view/members.hpp"
#include "reconciler/view/topology_view.hpp"

namespace topo::view {

// `ctx`: the model and allocations.all(), shared by every container of a
// view (the hosts files' index is made once).
ContainerView container_view_of(const Container& c, const RenderContext& ctx, const MemberAllocations& allocations,
                                const std::string& netns_dir);

// "default", "host", "none", "container": as network_mode is written, without
// a container's name.
std::string mode_name(NetworkMode mode);

}  // namespace topo::view
