#pragma once
// File resources (per-container hosts and resolv.conf) behind the Kernel
// interface: written atomically and without following symlinks, only into
// directories topo owns (see etc_files.hpp).
#include <string>

#include "reconciler/resources/resource.hpp"

namespace topo::kops {

// Create and update are the same: the whole content is written anew.
void write_file(const std::string& etc_netns_dir, const Resource& desired);
// Removes the file; the container's directory goes with its last file.
void remove_file(const std::string& etc_netns_dir, const Resource& current);

}  // namespace topo::kops

namespace topo {
// The host's resolv.conf (a symlink is followed: it is the host's own
// configuration, only read). "" when it does not exist.
std::string read_host_resolv_conf(const std::string& path);
}  // namespace topo
