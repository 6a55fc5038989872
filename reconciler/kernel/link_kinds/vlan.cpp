// 802.1q sub-interfaces (IFACE.VID), in the host namespace: the trunk a
// macvlan or ipvlan network's parent `eth0.10` names, made off its base
// interface with the VLAN id. The base and id are create-only (the
// sub-interface provider asks for a replacement); mtu, mac and state change
// in place.
#include <linux/if_link.h>

#include <netlink/route/link.h>
#include <netlink/route/link/vlan.h>

#include "reconciler/kernel/errors.hpp"
#include "reconciler/kernel/link_create.hpp"
#include "reconciler/kernel/link_util.hpp"
#include "reconciler/kernel/sub_interface_ops.hpp"
#include "reconciler/resources/mode_attrs.hpp"

namespace topo::kops {
namespace {

constexpr const char* kCreate = "create link";

CreateRequest fill(SocketPool& s, const Resource& desired, const std::string& key) {
  if (!desired.ns.empty()) nl::throw_errno(kCreate, key, EINVAL, "an 802.1q trunk belongs in the host namespace");
  nl_sock* host = s.get("");
  const int base = link_index(host, desired.attr(attr::parent), kCreate, key);
  unsigned id = 0;
  try {
    id = static_cast<unsigned>(std::stoul(desired.attr(attr::vlan_id)));
  } catch (const std::exception&) {
    nl::throw_errno(kCreate, key, EINVAL, "bad vlan id '" + desired.attr(attr::vlan_id) + "'");
  }
  CreateRequest req{nl::Link(rtnl_link_vlan_alloc()), host, {}};
  if (!req.link) nl::throw_errno(kCreate, key, ENOMEM);
  rtnl_link_set_name(req.link.get(), desired.name.c_str());
  rtnl_link_set_link(req.link.get(), base);
  if (int r = rtnl_link_vlan_set_id(req.link.get(), static_cast<uint16_t>(id)); r < 0) nl::throw_nl(kCreate, key, r);
  fill_link_changes(req.link.get(), nullptr, with_default_state(desired), kCreate, key);
  return req;
}

std::string clash(const Resource& desired) {
  return "a link named " + desired.name + " exists and is not this topo 802.1q trunk";
}

// The kernel has 802.1q, and the base interface exists.
void preflight(SocketPool& s, const Resource& desired, Preflight& out) {
  const std::string what = desired.key() + " (for " + desired.origin + ")";
  if (!link_kind_supported("vlan")) {
    if (out.first("kind vlan"))
      out.problems.push_back(what + ": this kernel has no 802.1q VLAN support (CONFIG_VLAN_8021Q; module 8021q not "
                                    "available); a parent named IFACE.VID is made as a VLAN of IFACE, which needs it");
    return;
  }
  const std::string base = desired.attr(attr::parent);
  if (!get_link(s.get(""), base, "check parent", what) && out.first("parent " + base))
    out.problems.push_back(what + ": interface '" + base + "' does not exist in the host namespace");
}

// The VLAN id, and the base interface's index (named by the decoder).
void extract(const LinkAttrs& l, observer::LinkRecord& r) {
  r.parent = l.link;
  if (const auto id = l.u16(IFLA_VLAN_ID); id && *id > 0) r.attrs[attr::vlan_id] = std::to_string(*id);
}

}  // namespace

const LinkKind vlan_kind = {
    .type = "vlan",
    .fill = fill,
    .clash = clash,
    .update = update_common,
    .preflight = preflight,
    .extract = extract,
};

}  // namespace topo::kops
