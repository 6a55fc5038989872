#pragma once
// The netns-dir entry of every container, by network mode:
//   default, none      a namespace topo creates and owns; lo comes up with it
//   default + netns    an adopted namespace: the entry is a bind mount of it
//   host               the entry is a bind mount of topo's own namespace
//   container:<name>   the entry is a bind mount of that container's entry
// Only the first kind is topo's to delete; the others lose just their entry.
// The container's extra routes and sysctls come with it (container_extras.hpp).
#include <vector>

#include "reconciler/model/desired.hpp"
#include "reconciler/resources/resource.hpp"

namespace topo {

void render_container_namespace(const Container& c, std::vector<Resource>& out);

// The Namespace resource's attr::mode for a container ("" for an own one).
std::string namespace_mode(const Container& c);

}  // namespace topo
