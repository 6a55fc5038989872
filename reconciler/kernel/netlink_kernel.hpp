#pragma once
// The product's Kernel: libnl-route over rtnetlink, one socket per namespace.
#include <memory>
#include <string>

#include "reconciler/kernel_interface/kernel.hpp"

namespace topo {

struct KernelConfig {
  std::string netns_dir = "/run/netns";
  // Per-container hosts and resolv.conf go to <etc_netns_dir>/<container>/,
  // where `ip netns exec` mounts them over /etc.
  std::string etc_netns_dir = "/etc/netns";
  // Copied for containers without dns settings.
  std::string host_resolv_conf = "/etc/resolv.conf";
};

std::unique_ptr<Kernel> make_netlink_kernel(const KernelConfig& config);

}  // namespace topo
