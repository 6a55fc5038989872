// VXLAN devices (overlay networks), in the host namespace: created with
// their tunnel settings and as a port of the network's bridge. Id, port,
// local address and learning are create-only here: the overlay provider
// asks for a replacement when they change; mtu, mac, state and the master
// change in place.
#include <arpa/inet.h>
#include <linux/if_link.h>

#include <netlink/attr.h>
#include <netlink/route/link.h>
#include <netlink/route/link/vxlan.h>

#include "reconciler/kernel/errors.hpp"
#include "reconciler/kernel/link_create.hpp"
#include "reconciler/kernel/link_util.hpp"
#include "reconciler/kernel/nl_text.hpp"

namespace topo::kops {
namespace {

constexpr const char* kCreate = "create link";

unsigned number(const Resource& r, const char* key, const std::string& op) {
  try {
    return static_cast<unsigned>(std::stoul(r.attr(key)));
  } catch (const std::exception&) {
    nl::throw_errno(op, r.key(), EINVAL, std::string("bad ") + key + " '" + r.attr(key) + "'");
  }
}

void set_tunnel(rtnl_link* link, const Resource& d, const std::string& key) {
  if (int r = rtnl_link_set_type(link, "vxlan"); r < 0) nl::throw_nl(kCreate, key, r);
  if (int r = rtnl_link_vxlan_set_id(link, number(d, attr::vni, kCreate)); r < 0) nl::throw_nl(kCreate, key, r);
  if (int r = rtnl_link_vxlan_set_port(link, number(d, attr::port, kCreate)); r < 0) nl::throw_nl(kCreate, key, r);
  if (!d.attr(attr::local).empty()) {
    nl::Address local = parse_ip(d.attr(attr::local), kCreate, key);
    if (int r = rtnl_link_vxlan_set_local(link, local.get()); r < 0) nl::throw_nl(kCreate, key, r);
  }
  if (int r = rtnl_link_vxlan_set_learning(link, d.attr(attr::learning) == "on" ? 1 : 0); r < 0)
    nl::throw_nl(kCreate, key, r);
}

// Sets the master change when it differs (always when current is null).
bool set_master(nl_sock* sock, rtnl_link* changes, const Resource* current, const Resource& desired,
                const std::string& op, const std::string& key) {
  const std::string m = desired.attr(attr::master);
  if (current && current->attr(attr::master) == m) return false;
  if (!current && m.empty()) return false;
  rtnl_link_set_master(changes, m.empty() ? 0 : link_index(sock, m, op, key));
  return true;
}

CreateRequest fill(SocketPool& s, const Resource& desired, const std::string& key) {
  CreateRequest req{nl::Link(rtnl_link_alloc()), s.get(desired.ns), {}};
  if (!req.link) nl::throw_errno(kCreate, key, ENOMEM);
  rtnl_link_set_name(req.link.get(), desired.name.c_str());
  set_tunnel(req.link.get(), desired, key);
  fill_link_changes(req.link.get(), nullptr, with_default_state(desired), kCreate, key);
  set_master(req.via, req.link.get(), nullptr, desired, kCreate, key);
  return req;
}

std::string clash(const Resource&) { return "a link with this name exists and is not this topo VXLAN device"; }

void update(SocketPool& s, const Resource* current, const Resource& desired, const std::string& op) {
  const std::string key = desired.key();
  nl_sock* sock = s.get(desired.ns);
  nl::Link changes(rtnl_link_alloc());
  bool any = fill_link_changes(changes.get(), current, desired, op, key);
  any |= set_master(sock, changes.get(), current, desired, op, key);
  if (!any) return;
  check(nl::request(sock, link_change(desired.name, changes.get(), op, key)), op, key);
}

// As libnl's getters read them before: an absent id or port is 0, an
// absent learning flag "off", the local address IPv4's if both are there.
void extract(const LinkAttrs& l, observer::LinkRecord& r) {
  r.attrs[attr::vni] = std::to_string(l.u32(IFLA_VXLAN_ID).value_or(0));
  r.attrs[attr::port] = std::to_string(ntohs(l.u16(IFLA_VXLAN_PORT).value_or(0)));
  const nlattr* local = l.data(IFLA_VXLAN_LOCAL);
  const int family = local ? AF_INET : AF_INET6;
  if (!local) local = l.data(IFLA_VXLAN_LOCAL6);
  if (local) {
    const std::string a = nl::address_text(family, nla_data(local), static_cast<unsigned>(nla_len(local)));
    if (!a.empty()) r.attrs[attr::local] = a;
  }
  r.attrs[attr::learning] = l.u8(IFLA_VXLAN_LEARNING).value_or(0) > 0 ? "on" : "off";
}

}  // namespace

const LinkKind vxlan_kind = {
    .type = "vxlan",
    .fill = fill,
    .clash = clash,
    .update = update,
    .extract = extract,
};

}  // namespace topo::kops
