// VXLAN links (overlay networks) in the host namespace: created with their
// tunnel settings and as a port of the network's bridge, marked like bridges.
// Id, port, local address and learning are create-only here: the provider
// asks for a replacement when they change.
#include <netlink/route/link.h>
#include <netlink/route/link/vxlan.h>

#include "reconciler/kernel/errors.hpp"
#include "reconciler/kernel/link_util.hpp"
#include "reconciler/kernel/ops.hpp"
#include "reconciler/resources/ownership.hpp"
#include "reconciler/resources/stack_marks.hpp"

namespace topo::kops {
namespace {

constexpr const char* kCreate = "create link";
constexpr const char* kUpdate = "update link";

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

void delete_by_name(nl_sock* sock, const std::string& name) {
  nl::Link gone(rtnl_link_alloc());
  rtnl_link_set_name(gone.get(), name.c_str());
  nl_msg* del = nullptr;
  if (rtnl_link_build_delete_request(gone.get(), &del) >= 0) nl::request(sock, nl::Msg(del));
}

}  // namespace

void create_vxlan(SocketPool& s, const Resource& desired) {
  const std::string key = desired.key();
  nl_sock* sock = s.get(desired.ns);
  nl::Link link(rtnl_link_alloc());
  if (!link) nl::throw_errno(kCreate, key, ENOMEM);
  rtnl_link_set_name(link.get(), desired.name.c_str());
  set_tunnel(link.get(), desired, key);
  fill_link_changes(link.get(), nullptr, with_default_state(desired), kCreate, key);
  mark_created(link.get());
  set_master(sock, link.get(), nullptr, desired, kCreate, key);
  nl_msg* raw = nullptr;
  if (int r = rtnl_link_build_add_request(link.get(), NLM_F_CREATE | NLM_F_EXCL, &raw); r < 0)
    nl::throw_nl(kCreate, key, r);
  const nl::Ack ack = nl::request(sock, nl::Msg(raw));

  if (ack.err == EEXIST) {
    // Fine only if it is the very device we meant; then converge what can be.
    nl::Link existing = get_link(sock, desired.name, kCreate, key);
    const char* type = existing ? rtnl_link_get_type(existing.get()) : nullptr;
    if (!existing || alias_of(existing.get()) != ownership::link_mark(desired) || !type || std::string(type) != "vxlan")
      nl::throw_errno(kCreate, key, EEXIST, "a link with this name exists and is not this topo VXLAN device");
    Resource unknown;
    update_vxlan(s, unknown, desired);
    return;
  }
  // EEXIST under another name: the kernel allows one device per (vni, port,
  // local) in a namespace; its message says so.
  check(ack, kCreate, key);

  // The kernel ignores IFLA_IFALIAS on create: mark in a second request, and
  // take the device away again if that fails (unmarked, it would look foreign).
  try {
    nl::Link changes(rtnl_link_alloc());
    rtnl_link_set_ifalias(changes.get(), ownership::link_mark(desired).c_str());
    check(nl::request(sock, link_change(desired.name, changes.get(), kCreate, key)), kCreate, key);
  } catch (...) {
    delete_by_name(sock, desired.name);
    throw;
  }
}

void update_vxlan(SocketPool& s, const Resource& current, const Resource& desired) {
  const std::string key = desired.key();
  nl_sock* sock = s.get(desired.ns);
  const Resource* cur = current.attrs.empty() ? nullptr : &current;
  nl::Link changes(rtnl_link_alloc());
  bool any = fill_link_changes(changes.get(), cur, desired, kUpdate, key);
  any |= set_master(sock, changes.get(), cur, desired, kUpdate, key);
  if (!any) return;
  check(nl::request(sock, link_change(desired.name, changes.get(), kUpdate, key)), kUpdate, key);
}

}  // namespace topo::kops
