// Bridges, in the host namespace: nothing of their own beyond the common
// attributes (mtu, mac, state), all of which change in place.
#include <sys/random.h>

#include <cstdio>

#include <netlink/route/link.h>

#include "reconciler/kernel/errors.hpp"
#include "reconciler/kernel/link_create.hpp"
#include "reconciler/kernel/link_util.hpp"

namespace topo::kops {
namespace {

// A bridge whose address was never set takes the lowest of its ports'
// (the kernel recalculates it as ports come and go): removing the container
// whose veth had it would change the gateway's MAC under every other
// member, and their ARP caches would point nowhere for up to a minute.
// Docker's bridges have their address set for the same reason. A random
// locally administered unicast address: unique on a shared L2 overlay too.
std::string own_bridge_mac(const std::string& op, const std::string& key) {
  unsigned char b[6];
  if (::getrandom(b, sizeof b, 0) != static_cast<ssize_t>(sizeof b)) nl::throw_errno(op, key, errno);
  b[0] = static_cast<unsigned char>((b[0] & 0xfe) | 0x02);
  char text[18];
  std::snprintf(text, sizeof text, "%02x:%02x:%02x:%02x:%02x:%02x", b[0], b[1], b[2], b[3], b[4], b[5]);
  return text;
}

CreateRequest fill(SocketPool& s, const Resource& desired, const std::string& key) {
  CreateRequest req{nl::Link(rtnl_link_alloc()), s.get(desired.ns), {}};
  if (!req.link) nl::throw_errno("create link", key, ENOMEM);
  if (int r = rtnl_link_set_type(req.link.get(), "bridge"); r < 0) nl::throw_nl("create link", key, r);
  rtnl_link_set_name(req.link.get(), desired.name.c_str());
  Resource wanted = with_default_state(desired);
  if (wanted.attr(attr::mac).empty()) wanted.attrs[attr::mac] = own_bridge_mac("create link", key);
  fill_link_changes(req.link.get(), nullptr, wanted, "create link", key);
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
