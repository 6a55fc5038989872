// Addresses on topo's links. Owned through their link: an address on a
// marked link is topo's.
#include <linux/if_addr.h>

#include <netlink/route/addr.h>

#include "reconciler/kernel/errors.hpp"
#include "reconciler/kernel/link_util.hpp"
#include "reconciler/kernel/ops.hpp"
#include "reconciler/resources/ownership.hpp"

namespace topo::kops {
namespace {

nl::Addr build(nl_sock* sock, const Resource& r, const std::string& op, bool need_link) {
  const std::string key = r.key();
  const std::string dev = r.attr(attr::dev);
  if (dev.empty()) nl::throw_errno(op, key, EINVAL, "address without dev");
  nl::Address local = parse_ip(r.attr(attr::address), op, key);
  nl::Addr addr(rtnl_addr_alloc());
  if (!addr) nl::throw_errno(op, key, ENOMEM);
  nl::Link link = get_link(sock, dev, op, key);
  if (!link) {
    if (!need_link) return nullptr;
    nl::throw_errno(op, key, ENODEV, "no link named " + dev);
  }
  rtnl_addr_set_ifindex(addr.get(), rtnl_link_get_ifindex(link.get()));
  rtnl_addr_set_family(addr.get(), nl_addr_get_family(local.get()));
  if (int e = rtnl_addr_set_local(addr.get(), local.get()); e < 0) nl::throw_nl(op, key, e);
  rtnl_addr_set_prefixlen(addr.get(), static_cast<int>(nl_addr_get_prefixlen(local.get())));
  // Without DAD an IPv6 address is usable at once instead of "tentative".
  if (nl_addr_get_family(local.get()) == AF_INET6) rtnl_addr_set_flags(addr.get(), IFA_F_NODAD);
  return addr;
}

}  // namespace

void create_address(SocketPool& s, const Resource& desired) {
  constexpr const char* op = "create address";
  const std::string key = desired.key();
  nl_sock* sock = s.get(desired.ns);
  nl::Addr addr = build(sock, desired, op, true);
  nl_msg* raw = nullptr;
  if (int r = rtnl_addr_build_add_request(addr.get(), NLM_F_CREATE | NLM_F_EXCL, &raw); r < 0)
    nl::throw_nl(op, key, r);
  const nl::Ack ack = nl::request(sock, nl::Msg(raw));
  if (ack.err == EEXIST) {
    // The same address on the same device: what we meant, if the device is ours.
    nl::Link link = get_link(sock, desired.attr(attr::dev), op, key);
    if (link && starts_with(alias_of(link.get()), ownership::kAliasPrefix)) return;
    nl::throw_errno(op, key, EEXIST, "exists on a link topo does not own");
  }
  check(ack, op, key);
}

void remove_address(SocketPool& s, const Resource& current) {
  constexpr const char* op = "remove address";
  const std::string key = current.key();
  nl_sock* sock = nullptr;
  try {
    sock = s.get(current.ns);
  } catch (const KernelError& e) {
    if (e.err() == ENOENT) return;
    throw;
  }
  nl::Addr addr = build(sock, current, op, false);
  if (!addr) return;  // the link is gone, and its addresses with it
  nl_msg* raw = nullptr;
  if (int r = rtnl_addr_build_delete_request(addr.get(), 0, &raw); r < 0) nl::throw_nl(op, key, r);
  const nl::Ack ack = nl::request(sock, nl::Msg(raw));
  if (ack.err == EADDRNOTAVAIL || ack.err == ENOENT || ack.err == ENODEV) return;
  check(ack, op, key);
}

}  // namespace topo::kops
