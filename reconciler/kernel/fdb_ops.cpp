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

}  // namespace

void create_fdb(SocketPool& s, const Resource& desired) {
  constexpr const char* op = "create fdb";
  const std::string key = desired.key();
  nl_sock* sock = s.get(desired.ns);
  nl::Link dev = owned_link(sock, desired.attr(attr::dev), op, key);
  if (!dev) nl::throw_errno(op, key, ENODEV, "no link named " + desired.attr(attr::dev));
  Neigh n = entry(desired, rtnl_link_get_ifindex(dev.get()), op, key);
  const nl::Ack ack = neigh_request(sock, n, /*remove=*/false, NLM_F_CREATE | NLM_F_APPEND, op, key);
  // The identity is (device, MAC, destination): an existing one is exactly it.
  if (ack.err == EEXIST) return;
  check(ack, op, key);
}

void remove_fdb(SocketPool& s, const Resource& current) {
  constexpr const char* op = "remove fdb";
  const std::string key = current.key();
  nl_sock* sock = s.get(current.ns);
  nl::Link dev = owned_link(sock, current.attr(attr::dev), op, key);
  if (!dev) return;  // gone with its device
  Neigh n = entry(current, rtnl_link_get_ifindex(dev.get()), op, key);
  const nl::Ack ack = neigh_request(sock, n, /*remove=*/true, 0, op, key);
  if (ack.err == ENOENT) return;
  check(ack, op, key);
}

}  // namespace topo::kops
