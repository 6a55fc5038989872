// Permanent neighbour (ARP/NDP) entries on topo's VXLAN devices: flannel's
// L3 VXLAN answers no ARP across the tunnel, so each remote node's VTEP
// address is given its MAC by hand (`ip neigh add ... nud permanent`).
// Only on a VXLAN device topo owns: that is where the observer reads them
// (kernel/read/dumps.hpp owns_vxlan), so an entry elsewhere would be made
// again on every pass; refusing it says so at once.
#include <linux/neighbour.h>
#include <linux/rtnetlink.h>
#include <netlink/route/link.h>
#include <netlink/route/neighbour.h>

#include "reconciler/kernel/errors.hpp"
#include "reconciler/kernel/link_util.hpp"
#include "reconciler/kernel/ops.hpp"
#include "reconciler/kernel/read/dumps.hpp"
#include "reconciler/resources/ownership.hpp"

namespace topo::kops {
namespace {

using nl::Neigh;

// The entry as a neighbour object on the device with index `ifindex`; the
// family (AF_INET or AF_INET6) is the address's.
Neigh entry(const Resource& r, int ifindex, const std::string& op, const std::string& key) {
  return permanent_neigh(r.attr(attr::ip), r.attr(attr::mac), ifindex, /*bridge_family=*/false, op, key);
}

// The device the entry hangs on, if it exists: one of topo's VXLAN devices,
// never anybody else's link.
nl::Link owned_vxlan(nl_sock* sock, const Resource& r, const std::string& op, const std::string& key) {
  nl::Link dev = owned_link(sock, r.attr(attr::dev), op, key);
  if (!dev) return dev;
  const char* type = rtnl_link_get_type(dev.get());
  if (!type || std::string(type) != "vxlan")
    nl::throw_refusal(op, key, EINVAL, "device " + r.attr(attr::dev) + " is no VXLAN device");
  return dev;
}

nl::Ack send(nl_sock* sock, const Neigh& n, int flags, const std::string& op, const std::string& key) {
  return neigh_request(sock, n, /*remove=*/false, flags, op, key);
}

}  // namespace

void create_neighbour(SocketPool& s, const Resource& desired) {
  constexpr const char* op = "create neighbour";
  const std::string key = desired.key();
  nl_sock* sock = s.get(desired.ns);
  nl::Link dev = owned_vxlan(sock, desired, op, key);
  if (!dev) nl::throw_errno(op, key, ENODEV, "no link named " + desired.attr(attr::dev));
  const int ifindex = rtnl_link_get_ifindex(dev.get());
  const Neigh n = entry(desired, ifindex, op, key);
  const nl::Ack ack = send(sock, n, NLM_F_CREATE | NLM_F_EXCL, op, key);
  if (ack.err != EEXIST) return check(ack, op, key);
  // Something is there already: judged by what it is. The dump holds only
  // permanent entries (someone's on purpose); another permanent MAC is not
  // ours to overwrite.
  for (const observer::NeighRecord& rec : observer::dump_neigh(sock, desired.ns)) {
    if (rec.ifindex != ifindex || rec.ip != desired.attr(attr::ip)) continue;
    if (rec.mac == desired.attr(attr::mac)) return;  // exactly the one wanted
    nl::throw_errno(op, key, EEXIST,
                    "a permanent entry " + rec.ip + " lladdr " + rec.mac + " is already on " + desired.attr(attr::dev));
  }
  // Not permanent: the kernel's own cache entry (an ARP attempt made before
  // the entry was there, now incomplete or failed), nobody's; the permanent
  // one takes its place.
  check(send(sock, n, NLM_F_CREATE | NLM_F_REPLACE, op, key), op, key);
}

void update_neighbour(SocketPool& s, const Resource&, const Resource& desired) {
  constexpr const char* op = "update neighbour";
  const std::string key = desired.key();
  nl_sock* sock = s.get(desired.ns);
  nl::Link dev = owned_vxlan(sock, desired, op, key);
  if (!dev) nl::throw_errno(op, key, ENODEV, "no link named " + desired.attr(attr::dev));
  // The identity is (device, address): a new MAC replaces the entry in place.
  const Neigh n = entry(desired, rtnl_link_get_ifindex(dev.get()), op, key);
  check(send(sock, n, NLM_F_CREATE | NLM_F_REPLACE, op, key), op, key);
}

void remove_neighbour(SocketPool& s, const Resource& current) {
  constexpr const char* op = "remove neighbour";
  const std::string key = current.key();
  nl_sock* sock = nullptr;
  try {
    sock = s.get(current.ns);
  } catch (const KernelError& e) {
    if (e.err() == ENOENT) return;  // gone with its namespace
    throw;
  }
  nl::Link dev = owned_vxlan(sock, current, op, key);
  if (!dev) return;  // gone with its device
  // The kernel matches on device and address only; the rest is ignored.
  const nl::Ack ack = neigh_request(sock, entry(current, rtnl_link_get_ifindex(dev.get()), op, key), /*remove=*/true,
                                    0, op, key);
  if (ack.err == ENOENT) return;
  check(ack, op, key);
}

}  // namespace topo::kops
