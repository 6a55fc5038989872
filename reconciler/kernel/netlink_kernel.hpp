#pragma once
// The product's Kernel: libnl-route over rtnetlink, one socket per namespace.
#include <memory>
#include <string>

#include "reconciler/kernel/kernel.hpp"

namespace topo {

struct KernelConfig {
  std::string netns_dir = "/run/netns";
};

std::unique_ptr<Kernel> make_netlink_kernel(const KernelConfig& config);

}  // namespace topo
