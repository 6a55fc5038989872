#pragma once
// From dump records to resources: what topo owns (by its marks) and the
// names of what it does not. Pure.
#include <optional>
#include <string>

#include "reconciler/observer/snapshot.hpp"
#include "reconciler/resources/resource.hpp"

namespace topo::observer {

// A namespace is topo's when its `lo` carries the namespace mark, which
// also names its stack.
bool namespace_owned(const std::string& name, const NamespaceDump& dump);
std::optional<std::string> namespace_stack(const std::string& name, const NamespaceDump& dump);

// The whole observation, `owned` sorted by key.
Observed decode(const Snapshot& snap);

// Route name as the resource model spells it: "default", "default6" or the CIDR.
std::string route_name(const std::string& dst_cidr);

}  // namespace topo::observer
