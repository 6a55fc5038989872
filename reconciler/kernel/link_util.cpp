#include "reconciler/kernel/link_util.hpp"

#include <net/if.h>

#include <linux/neighbour.h>
#include <netlink/errno.h>
#include <netlink/route/neighbour.h>

#include "reconciler/kernel/errors.hpp"
#include "reconciler/resources/ownership.hpp"

namespace topo::kops {

nl::Link get_link(nl_sock* sock, const std::string& name, const std::string& op,
                  const std::string& key) {
  rtnl_link* raw = nullptr;
  const int r = rtnl_link_get_kernel(sock, 0, name.c_str(), &raw);
  nl::Link link(raw);
  if (r < 0) {
    const int err = nl::to_errno(r);
    if (err == ENOENT || err == ENODEV) return nullptr;
    nl::throw_nl(op, key, r);
  }
  return link;
}

int link_index(nl_sock* sock, const std::string& name, const std::string& op,
               const std::string& key) {
  nl::Link link = get_link(sock, name, op, key);
  if (!link) nl::throw_errno(op, key, ENODEV, "no link named " + name);
  return rtnl_link_get_ifindex(link.get());
}

std::string alias_of(rtnl_link* link) {
  const char* a = link ? rtnl_link_get_ifalias(link) : nullptr;
  return a ? a : "";
}

bool starts_with(const std::string& s, const std::string& prefix) {
  return s.compare(0, prefix.size(), prefix) == 0;
}

nl::Address parse_mac(const std::string& text, const std::string& op, const std::string& key) {
  nl_addr* raw = nullptr;
  if (nl_addr_parse(text.c_str(), AF_LLC, &raw) < 0 || nl_addr_get_len(raw) != 6) {
    nl_addr_put(raw);
    nl::throw_errno(op, key, EINVAL, "bad MAC address '" + text + "'");
  }
  return nl::Address(raw);
}

nl::Address parse_ip(const std::string& text, const std::string& op, const std::string& key) {
  nl_addr* raw = nullptr;
  if (nl_addr_parse(text.c_str(), AF_UNSPEC, &raw) < 0) nl::throw_errno(op, key, EINVAL, "bad address '" + text + "'");
  nl::Address addr(raw);
  const int family = nl_addr_get_family(raw);
  if (family != AF_INET && family != AF_INET6) nl::throw_errno(op, key, EINVAL, "not an IP address '" + text + "'");
  return addr;
}

nl::Neigh permanent_neigh(const std::string& ip, const std::string& mac, int ifindex, bool bridge_family,
                          const std::string& op, const std::string& key) {
  nl::Neigh n(rtnl_neigh_alloc());
  if (!n) nl::throw_errno(op, key, ENOMEM);
  // The destination first: libnl takes the family from it and refuses a
  // destination of another family than the one already set, so the bridge
  // family is set afterwards.
  if (int e = rtnl_neigh_set_dst(n.get(), parse_ip(ip, op, key).get()); e < 0) nl::throw_nl(op, key, e);
  if (bridge_family) rtnl_neigh_set_family(n.get(), AF_BRIDGE);
  rtnl_neigh_set_ifindex(n.get(), ifindex);
  rtnl_neigh_set_lladdr(n.get(), parse_mac(mac, op, key).get());
  rtnl_neigh_set_state(n.get(), NUD_PERMANENT);
  return n;
}

nl::Ack neigh_request(nl_sock* sock, const nl::Neigh& n, bool remove, int flags, const std::string& op,
                      const std::string& key) {
  nl_msg* raw = nullptr;
  const int r = remove ? rtnl_neigh_build_delete_request(n.get(), flags, &raw)
                       : rtnl_neigh_build_add_request(n.get(), flags, &raw);
  if (r < 0) nl::throw_nl(op, key, r);
  return nl::request(sock, nl::Msg(raw));
}

nl::Link owned_link(nl_sock* sock, const std::string& name, const std::string& op, const std::string& key) {
  nl::Link dev = get_link(sock, name, op, key);
  if (dev && !starts_with(alias_of(dev.get()), ownership::kAliasPrefix))
    nl::throw_refusal(op, key, EPERM, "device " + name + " is not marked as topo's");
  return dev;
}

nl::Msg link_change(const std::string& name, rtnl_link* changes, const std::string& op,
                    const std::string& key) {
  nl::Link orig(rtnl_link_alloc());
  if (!orig) nl::throw_errno(op, key, ENOMEM);
  rtnl_link_set_name(orig.get(), name.c_str());
  rtnl_link_set_name(changes, name.c_str());
  nl_msg* raw = nullptr;
  if (int r = rtnl_link_build_change_request(orig.get(), changes, 0, &raw); r < 0) nl::throw_nl(op, key, r);
  return nl::Msg(raw);
}

nl::Msg mark_request(const std::string& name, const std::string& alias, bool bring_up, const std::string& op,
                     const std::string& key) {
  nl::Link changes(rtnl_link_alloc());
  if (!changes) nl::throw_errno(op, key, ENOMEM);
  rtnl_link_set_ifalias(changes.get(), alias.c_str());
  if (bring_up) rtnl_link_set_flags(changes.get(), IFF_UP);
  return link_change(name, changes.get(), op, key);
}

bool fill_link_changes(rtnl_link* changes, const Resource* current, const Resource& desired,
                       const std::string& op, const std::string& key) {
  auto differs = [&](const char* k) {
    return !desired.attr(k).empty() && (!current || current->attr(k) != desired.attr(k));
  };
  bool any = false;
  if (differs(attr::mtu)) {
    try {
      rtnl_link_set_mtu(changes, static_cast<unsigned>(std::stoul(desired.attr(attr::mtu))));
    } catch (const std::exception&) {
      nl::throw_errno(op, key, EINVAL, "bad mtu '" + desired.attr(attr::mtu) + "'");
    }
    any = true;
  }
  if (differs(attr::mac)) {
    rtnl_link_set_addr(changes, parse_mac(desired.attr(attr::mac), op, key).get());
    any = true;
  }
  if (differs(attr::state)) {
    if (desired.attr(attr::state) == "up") rtnl_link_set_flags(changes, IFF_UP);
    else rtnl_link_unset_flags(changes, IFF_UP);
    any = true;
  }
  return any;
}

void update_common(SocketPool& s, const Resource* current, const Resource& desired, const std::string& op) {
  const std::string key = desired.key();
  nl::Link changes(rtnl_link_alloc());
  if (!fill_link_changes(changes.get(), current, desired, op, key)) return;
  check(nl::request(s.get(desired.ns), link_change(desired.name, changes.get(), op, key)), op, key);
}

void mark_created(rtnl_link* link) { rtnl_link_set_group(link, ownership::kLinkGroup); }

Resource with_default_state(const Resource& desired) {
  Resource r = desired;
  if (r.attr(attr::state).empty()) r.attrs[attr::state] = "up";
  return r;
}

void check(const nl::Ack& ack, const std::string& op, const std::string& key) {
  if (ack.err != 0) nl::throw_errno(op, key, ack.err, ack.kernel_msg);
}

void finish(nl::Batch& first, nl::Batch& second, const std::string& op, const std::string& key) {
  const auto first_acks = first.wait();
  const auto second_acks = second.wait();
  for (const auto& a : first_acks) check(a, op, key);
  for (const auto& a : second_acks) check(a, op, key);
}

}  // namespace topo::kops
