// Forwarding entries of topo's VXLAN devices (overlay networks): static,
// permanent, on the device itself (NTF_SELF), each sending one MAC to one
// remote node. Several all-zeros entries with different destinations make the
// flooding list, hence NLM_F_APPEND.
#include <linux/neighbour.h>
#include <linux/rtnetlink.h>
#include <netlink/route/neighbour.h>

#include "reconciler/kernel/errors.hpp"
#include "reconciler/kernel/link_util.hpp"
#include "reconciler/kernel/ops.hpp"
#include "reconciler/resources/ownership.hpp"

namespace topo::kops {
namespace {

using nl::Neigh;

// The entry as a neighbour object on the device with index `ifindex`.
Neigh entry(const Resource& r, int ifindex, const std::string& op, const std::string& key) {
  Neigh n = permanent_neigh(r.attr(attr::dst), r.attr(attr::mac), ifindex, /*bridge_family=*/true, op, key);
  rtnl_neigh_set_flags(n.get(), NTF_SELF);
  return n;
}

// The device the entry hangs on, if it exists; a device topo does not own
// is never written to.
nl::Link owned_device(nl_sock* sock, const Resource& r, const std::string& op, const std::string& key) {
  nl::Link dev = get_link(sock, r.attr(attr::dev), op, key);
  if (dev && !starts_with(alias_of(dev.get()), ownership::kAliasPrefix))
    nl::throw_refusal(op, key, EPERM, "device " + r.attr(attr::dev) + " is not marked as topo's");
  return dev;
}

}  // namespace

void create_fdb(SocketPool& s, const Resource& desired) {
  constexpr const char* op = "create fdb";
  const std::string key = desired.key();
  nl_sock* sock = s.get(desired.ns);
  nl::Link dev = owned_device(sock, desired, op, key);
  if (!dev) nl::throw_errno(op, key, ENODEV, "no link named " + desired.attr(attr::dev));
  Neigh n = entry(desired, rtnl_link_get_ifindex(dev.get()), op, key);
  nl_msg* raw = nullptr;
  if (int r = rtnl_neigh_build_add_request(n.get(), NLM_F_CREATE | NLM_F_APPEND, &raw); r < 0)
    nl::throw_nl(op, key, r);
  const nl::Ack ack = nl::request(sock, nl::Msg(raw));
  // The identity is (device, MAC, destination): an existing one is exactly it.
  if (ack.err == EEXIST) return;
  check(ack, op, key);
}

void remove_fdb(SocketPool& s, const Resource& current) {
  constexpr const char* op = "remove fdb";
  const std::string key = current.key();
  nl_sock* sock = s.get(current.ns);
  nl::Link dev = owned_device(sock, current, op, key);
  if (!dev) return;  // gone with its device
  Neigh n = entry(current, rtnl_link_get_ifindex(dev.get()), op, key);
  nl_msg* raw = nullptr;
  if (int r = rtnl_neigh_build_delete_request(n.get(), 0, &raw); r < 0) nl::throw_nl(op, key, r);
  const nl::Ack ack = nl::request(sock, nl::Msg(raw));
  if (ack.err == ENOENT) return;
  check(ack, op, key);
}

}  // namespace topo::kops
