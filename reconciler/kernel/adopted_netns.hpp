#pragma once
// Preflight of adopted namespaces (`netns: PATH`), before anything changes:
// the namespace topo itself runs in and another container's namespace are
// refused (manifest.md, the `netns` row). Compared by what the path resolves
// to (the nsfs device and inode), never by the string: /proc/<topo's pid>,
// a symlink or a bind mount of it are all the host's namespace.
#include <string>
#include <vector>

#include "reconciler/resources/resource.hpp"

namespace topo::kops {

// One line per refused adoption; `netns_dir` holds the containers' entries.
std::vector<std::string> preflight_adopted_namespaces(const std::vector<Resource>& desired,
                                                      const std::string& netns_dir);

}  // namespace topo::kops
