// macvlan sub-interfaces: their own MAC on the parent's LAN; modes bridge,
// private, vepa, passthru. The rest is shared with ipvlan (sub_interface_ops).
#include <linux/if_link.h>

#include <netlink/attr.h>
#include <netlink/route/link.h>
#include <netlink/route/link/macvlan.h>

#include "reconciler/kernel/sub_interface_ops.hpp"

namespace topo::kops {
namespace {

constexpr SubInterfaceModes kModes = {
    .config = "MACVLAN",
    .alloc = rtnl_link_macvlan_alloc,
    .str2mode = rtnl_link_macvlan_str2mode,
    .set_mode = [](rtnl_link* l, int m) { return rtnl_link_macvlan_set_mode(l, static_cast<uint32_t>(m)); },
    // An absent mode is 0, spelled "0x0", as libnl's getter gave it.
    .mode_name = [](const LinkAttrs& l, char* buf, size_t len) {
      auto* mode = const_cast<nlattr*>(l.data(IFLA_MACVLAN_MODE));
      rtnl_link_macvlan_mode2str(mode && nla_len(mode) >= 4 ? static_cast<int>(nla_get_u32(mode)) : 0, buf, len);
    },
};

}  // namespace

// constinit: made while compiling, so no other static can see it unset.
constinit const LinkKind macvlan_kind = sub_interface_kind<kModes>("macvlan");

}  // namespace topo::kops
