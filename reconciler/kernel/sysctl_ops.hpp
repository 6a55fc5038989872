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
// Writes the value; on a kernel without IPv6 (ipv6.disable=1) a net.ipv6
// setting has nothing to protect and is skipped.
void write_sysctl(SocketPool& s, const Resource& desired);
// "net.ipv6.conf.<ifname>.<setting>" of a setting the kernel also reports
// over netlink (dumps.hpp dump_ipv6_conf): the interface (its '/' back to
// '.') and the setting's DEVCONF_* index. Nothing for any other key, and for
// the "all" and "default" pseudo-interfaces.
struct Ipv6DevconfKey {
  std::string ifname;
  int index = 0;
};
std::optional<Ipv6DevconfKey> ipv6_devconf_key(const std::string& key);
// A net.ipv6 key in a namespace whose kernel has no net.ipv6 tree at all.
bool ipv6_absent(SocketPool& s, const std::string& ns, const std::string& key);

}  // namespace topo::kops
