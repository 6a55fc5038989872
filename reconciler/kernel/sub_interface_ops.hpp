#pragma once
// What the macvlan and ipvlan link kinds (link_kinds/macvlan.cpp,
// ipvlan.cpp) share: sub-interfaces of a host link (attr parent), created
// from the host namespace directly inside the container's namespace under
// their final name, then marked and brought up. mtu, mac and state change in
// place; parent and mode force a replacement (the sub-interface provider).
#include <string>

#include "reconciler/kernel/link_create.hpp"
#include "reconciler/kernel/link_kinds/link_kind.hpp"

namespace topo::kops {

// A link of the kind with its mode (attr link_mode) set, not yet named or placed.
using AllocSubInterface = nl::Link (*)(const Resource& desired, const std::string& op);

// The create request: the link from `alloc`, off its parent, into the container's namespace.
CreateRequest fill_sub_interface(SocketPool& s, const Resource& desired, const std::string& key,
                                 AllocSubInterface alloc);

// Checked before anything changes: the kernel supports the link kind
// (`config`: its kernel option, for the message), the parent exists in the
// host namespace, and the MTU does not exceed the parent's. One message each.
void preflight_sub_interface(SocketPool& s, const Resource& desired, const std::string& config, Preflight& out);

// The parent, named from the host's links (topo makes sub-interfaces only
// off those), and the mode.
void decode_sub_interface(const std::string& ns, const observer::LinkRecord& l, const observer::HostView& host,
                          Resource& out);

std::string sub_interface_clash(const Resource& desired);

// Whether this kernel can make links of `kind` ("ipvlan", "macvlan"): asks
// it to make one, with no parent, in a throwaway namespace of a throwaway
// thread. "Unknown device type" (EOPNOTSUPP) means no; the kernel refusing
// the parentless link (EINVAL) means yes. Nothing is ever created.
bool link_kind_supported(const std::string& kind);

}  // namespace topo::kops
