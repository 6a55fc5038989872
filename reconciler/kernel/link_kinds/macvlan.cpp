// macvlan sub-interfaces: their own MAC on the parent's LAN; modes bridge,
// private, vepa, passthru. The rest is shared with ipvlan (sub_interface_ops).
#include <linux/if_link.h>

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
      rtnl_link_macvlan_mode2str(static_cast<int>(l.u32(IFLA_MACVLAN_MODE).value_or(0)), buf, len);
    },
};

}  // namespace

// constinit: made while compiling, so no other static can see it unset.
constinit const LinkKind macvlan_kind = sub_interface_kind<kModes>("macvlan");

}  // namespace topo::kops
