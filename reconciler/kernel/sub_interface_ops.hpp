#pragma once
// macvlan and ipvlan links (Link type "macvlan" / "ipvlan"): sub-interfaces
// of a host link (attr parent), created from the host namespace directly
// inside the container's namespace under their final name, then marked.
#include <string>
#include <vector>

#include "reconciler/kernel/socket_pool.hpp"
#include "reconciler/resources/resource.hpp"

namespace topo::kops {

void create_sub_interface(SocketPool& s, const Resource& desired);
// mtu, mac, state in place; parent and mode force a replacement (provider).
void update_sub_interface(SocketPool& s, const Resource& current, const Resource& desired);

// What the desired sub-interfaces need, checked before anything changes:
// the kernel supports the link kind, the parent exists in the host
// namespace, and the MTU does not exceed the parent's. One message each.
std::vector<std::string> preflight_sub_interfaces(SocketPool& s, const std::vector<Resource>& desired);

// Whether this kernel can make links of `kind` ("ipvlan", "macvlan"): asks
// it to make one, with no parent, in a throwaway namespace of a throwaway
// thread. "Unknown device type" (EOPNOTSUPP) means no; the kernel refusing
// the parentless link (EINVAL) means yes. Nothing is ever created.
bool link_kind_supported(const std::string& kind);

}  // namespace topo::kops
