// Bridges, in the host namespace: nothing of their own beyond the common
// attributes (mtu, mac, state), all of which change in place.
#include <netlink/route/link.h>

#include "reconciler/kernel/errors.hpp"
#include "reconciler/kernel/link_create.hpp"
#include "reconciler/kernel/link_util.hpp"

namespace topo::kops {
namespace {

CreateRequest fill(SocketPool& s, const Resource& desired, const std::string& key) {
  CreateRequest req{nl::Link(rtnl_link_alloc()), s.get(desired.ns), {}};
  if (!req.link) nl::throw_errno("create link", key, ENOMEM);
  if (int r = rtnl_link_set_type(req.link.get(), "bridge"); r < 0) nl::throw_nl("create link", key, r);
  rtnl_link_set_name(req.link.get(), desired.name.c_str());
  fill_link_changes(req.link.get(), nullptr, with_default_state(desired), "create link", key);
  return req;
}

std::string clash(const Resource&) { return "a link with this name exists and is not this topo bridge"; }

}  // namespace

const LinkKind bridge_kind = {
    .type = "bridge",
    .fill = fill,
    .clash = clash,
    .update = update_common,
};

}  // namespace topo::kops
