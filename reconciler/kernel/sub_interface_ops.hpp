#pragma once
// What the macvlan and ipvlan link kinds (link_kinds/macvlan.cpp,
// ipvlan.cpp) share: sub-interfaces of a host link (attr parent), created
// from the host namespace directly inside the container's namespace under
// their final name, then marked and brought up. mtu, mac and state change in
// place; parent and mode force a replacement (the sub-interface provider).
#include <cstddef>
#include <string>

#include "reconciler/kernel/link_create.hpp"
#include "reconciler/kernel/link_kinds/link_kind.hpp"
#include "reconciler/kernel/link_util.hpp"

namespace topo::kops {

// What tells macvlan and ipvlan apart, given by each kind's file.
struct SubInterfaceModes {
  const char* config;  // the kernel option, for the preflight's message
  rtnl_link* (*alloc)();
  int (*str2mode)(const char* name);  // < 0: no such mode
  int (*set_mode)(rtnl_link* link, int mode);
  void (*mode_name)(const LinkAttrs& link, char* buf, size_t len);  // "" when unknown
};

// The create request: a link of the kind with its mode (attr link_mode),
// off its parent, made from the host namespace into the container's.
CreateRequest fill_sub_interface(SocketPool& s, const Resource& desired, const std::string& key,
                                 const SubInterfaceModes& m);

// Checked before anything changes: the kernel supports the link kind, the
// parent exists in the host namespace, and the MTU does not exceed the
// parent's. One message each.
void preflight_sub_interface(SocketPool& s, const Resource& desired, const SubInterfaceModes& m, Preflight& out);

// The parent's ifindex (IFLA_LINK, in the host namespace when the link
// sits in another one; the decoder names it) and the mode by name.
void extract_sub_interface(const LinkAttrs& link, const SubInterfaceModes& m, observer::LinkRecord& out);

std::string sub_interface_clash(const Resource& desired);

// A sub-interface kind's table entry: the hooks above, bound to its modes.
template <const SubInterfaceModes& M>
constexpr LinkKind sub_interface_kind(const char* type) {
  return {
      .type = type,
      .fill = [](SocketPool& s, const Resource& d, const std::string& key) { return fill_sub_interface(s, d, key, M); },
      .up_with_mark = true,
      .clash = sub_interface_clash,
      .update = update_common,
      .preflight = [](SocketPool& s, const Resource& d, Preflight& out) { preflight_sub_interface(s, d, M, out); },
      .extract = [](const LinkAttrs& link, observer::LinkRecord& out) { extract_sub_interface(link, M, out); },
  };
}

// Whether this kernel can make links of `kind` ("ipvlan", "macvlan"): asks
// it to make one, with no parent, in a throwaway namespace of a throwaway
// thread. "Unknown device type" (EOPNOTSUPP) means no; the kernel refusing
// the parentless link (EINVAL) means yes. Nothing is ever created.
bool link_kind_supported(const std::string& kind);

}  // namespace topo::kops
