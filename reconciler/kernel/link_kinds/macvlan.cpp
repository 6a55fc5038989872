// macvlan sub-interfaces: their own MAC on the parent's LAN. Modes bridge,
// private, vepa, passthru. The rest is shared with ipvlan (sub_interface_ops).
#include <netlink/route/link.h>
#include <netlink/route/link/macvlan.h>

#include "reconciler/kernel/errors.hpp"
#include "reconciler/kernel/link_util.hpp"
#include "reconciler/kernel/sub_interface_ops.hpp"
#include "reconciler/resources/mode_attrs.hpp"

namespace topo::kops {
namespace {

nl::Link alloc(const Resource& r, const std::string& op) {
  const std::string key = r.key(), mode = r.attr(attr::link_mode);
  nl::Link link(rtnl_link_macvlan_alloc());
  if (!link) nl::throw_errno(op, key, ENOMEM);
  if (mode.empty()) return link;
  const int m = rtnl_link_macvlan_str2mode(mode.c_str());
  if (m < 0) nl::throw_errno(op, key, EINVAL, "unknown macvlan mode '" + mode + "'");
  if (int e = rtnl_link_macvlan_set_mode(link.get(), static_cast<uint32_t>(m)); e < 0) nl::throw_nl(op, key, e);
  return link;
}

CreateRequest fill(SocketPool& s, const Resource& desired, const std::string& key) {
  return fill_sub_interface(s, desired, key, alloc);
}

void preflight(SocketPool& s, const Resource& desired, Preflight& out) {
  preflight_sub_interface(s, desired, "MACVLAN", out);
}

// The parent's ifindex (IFLA_LINK, in the host namespace when the link sits
// in another one) and the mode by name.
void extract(rtnl_link* l, observer::LinkRecord& r) {
  r.parent = rtnl_link_get_link(l);
  char buf[32] = "";
  rtnl_link_macvlan_mode2str(static_cast<int>(rtnl_link_macvlan_get_mode(l)), buf, sizeof buf);
  r.sub_mode = buf;
}

}  // namespace

const LinkKind macvlan_kind = {
    .type = "macvlan",
    .fill = fill,
    .up_with_mark = true,
    .peer_name = nullptr,
    .peer_alias = nullptr,
    .clash = sub_interface_clash,
    .update = update_common,
    .preflight = preflight,
    .extract = extract,
    .decode = decode_sub_interface,
};

}  // namespace topo::kops
