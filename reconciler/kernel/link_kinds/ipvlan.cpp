// ipvlan sub-interfaces: the parent's MAC; modes l2, l3, l3s. Many kernels
// lack the module (CONFIG_IPVLAN): the preflight says so before anything
// changes. The rest is shared with macvlan (sub_interface_ops).
#include <linux/if_link.h>

#include <netlink/route/link.h>
#include <netlink/route/link/ipvlan.h>

#include "reconciler/kernel/sub_interface_ops.hpp"

namespace topo::kops {
namespace {

constexpr SubInterfaceModes kModes = {
    .config = "IPVLAN",
    .alloc = rtnl_link_ipvlan_alloc,
    .str2mode = rtnl_link_ipvlan_str2mode,
    .set_mode = [](rtnl_link* l, int m) { return rtnl_link_ipvlan_set_mode(l, static_cast<uint16_t>(m)); },
    .mode_name = [](const LinkAttrs& l, char* buf, size_t len) {
      if (const auto mode = l.u16(IFLA_IPVLAN_MODE)) rtnl_link_ipvlan_mode2str(*mode, buf, len);
    },
};

}  // namespace

// constinit: made while compiling, so no other static can see it unset.
constinit const LinkKind ipvlan_kind = sub_interface_kind<kModes>("ipvlan");

}  // namespace topo::kops
