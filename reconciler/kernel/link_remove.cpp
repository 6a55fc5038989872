// Removing any of topo's links, whatever its kind: checks the mark, then
// deletes. Deleting a veth's container end takes its host end with it.
#include <netlink/route/link.h>

#include "reconciler/kernel/errors.hpp"
#include "reconciler/kernel/link_util.hpp"
#include "reconciler/kernel/ops.hpp"
#include "reconciler/resources/ownership.hpp"

namespace topo::kops {
namespace {

// An unaliased link the observer took as topo's orphan: made by topo and
// killed before it was marked. Checked again here, as the observer did
// (decode.cpp): its group, or for a container's veth end, its host end's.
bool orphan(SocketPool& s, rtnl_link* link, const Resource& current) {
  if (current.attr(attr::mark) == attr::mark_stranded)
    return rtnl_link_get_group(link) == ownership::kLinkGroup &&
           starts_with(alias_of(link), ownership::kPeerAliasPrefix);
  if (current.attr(attr::mark) != attr::mark_missing) return false;
  if (rtnl_link_get_group(link) == ownership::kLinkGroup) return true;
  const char* type = rtnl_link_get_type(link);
  if (current.ns.empty() || !type || std::string(type) != "veth") return false;
  rtnl_link* raw = nullptr;
  if (rtnl_link_get_kernel(s.get(""), rtnl_link_get_link(link), nullptr, &raw) < 0) return false;
  nl::Link peer(raw);
  return rtnl_link_get_group(peer.get()) == ownership::kLinkGroup &&
         rtnl_link_get_link(peer.get()) == rtnl_link_get_ifindex(link);
}

}  // namespace

void remove_link(SocketPool& s, const Resource& current) {
  const std::string key = current.key();
  constexpr const char* op = "remove link";
  nl_sock* sock = nullptr;
  try {
    sock = s.get(current.ns);
  } catch (const KernelError& e) {
    if (e.err() == ENOENT) return;  // its namespace is gone, and the link with it
    throw;
  }
  nl::Link link = get_link(sock, current.name, op, key);
  if (!link) return;
  if (!starts_with(alias_of(link.get()), ownership::kAliasPrefix) && !orphan(s, link.get(), current))
    nl::throw_refusal(op, key, EPERM, "not marked as topo's");
  nl_msg* raw = nullptr;
  if (int r = rtnl_link_build_delete_request(link.get(), &raw); r < 0) nl::throw_nl(op, key, r);
  const nl::Ack ack = nl::request(sock, nl::Msg(raw));
  if (ack.err == ENOENT || ack.err == ENODEV) return;
  check(ack, op, key);
}

}  // namespace topo::kops
