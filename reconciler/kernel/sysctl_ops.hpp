#pragma once
// Sysctls, per namespace, through /proc/sys (never the sysctl tool). The
// /proc/sys/net tree shows the network namespace of the thread that opens
// the file, so the thread enters the namespace for the open and comes back.
#include <optional>
#include <string>

#include "reconciler/kernel/socket_pool.hpp"
#include "reconciler/resources/resource.hpp"

namespace topo::kops {

// "net.ipv4.ip_forward" -> "/proc/sys/net/ipv4/ip_forward". Throws
// KernelError (EINVAL) for a key that could leave /proc/sys/net.
std::string sysctl_path(const std::string& key);

// The current value (trailing newline stripped), or nothing when the kernel
// has no such setting.
std::optional<std::string> read_sysctl(SocketPool& s, const std::string& ns, const std::string& key);
void write_sysctl(SocketPool& s, const Resource& desired);

}  // namespace topo::kops
