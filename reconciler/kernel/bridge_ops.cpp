// Bridge links in the host namespace.
#include <netlink/route/link.h>

#include "reconciler/kernel/errors.hpp"
#include "reconciler/kernel/link_util.hpp"
#include "reconciler/kernel/ops.hpp"
#include "reconciler/resources/ownership.hpp"
#include "reconciler/resources/stack_marks.hpp"

namespace topo::kops {
namespace {

constexpr const char* kCreate = "create link";

void set_mark(nl_sock* sock, const Resource& desired, const std::string& key) {
  nl::Link changes(rtnl_link_alloc());
  rtnl_link_set_ifalias(changes.get(), ownership::link_mark(desired).c_str());
  check(nl::request(sock, link_change(desired.name, changes.get(), kCreate, key)), kCreate, key);
}

}  // namespace

void create_bridge(SocketPool& s, const Resource& desired) {
  const std::string key = desired.key();
  nl_sock* sock = s.get(desired.ns);
  nl::Link link(rtnl_link_alloc());
  if (int r = rtnl_link_set_type(link.get(), "bridge"); r < 0) nl::throw_nl(kCreate, key, r);
  rtnl_link_set_name(link.get(), desired.name.c_str());
  fill_link_changes(link.get(), nullptr, with_default_state(desired), kCreate, key);
  mark_created(link.get());
  nl_msg* raw = nullptr;
  if (int r = rtnl_link_build_add_request(link.get(), NLM_F_CREATE | NLM_F_EXCL, &raw); r < 0)
    nl::throw_nl(kCreate, key, r);
  const nl::Ack ack = nl::request(sock, nl::Msg(raw));

  if (ack.err == EEXIST) {
    // Fine only if it is the very bridge we meant; then converge it.
    nl::Link existing = get_link(sock, desired.name, kCreate, key);
    const char* type = existing ? rtnl_link_get_type(existing.get()) : nullptr;
    if (!existing || alias_of(existing.get()) != ownership::link_mark(desired) || !type || std::string(type) != "bridge")
      nl::throw_errno(kCreate, key, EEXIST, "a link with this name exists and is not this topo bridge");
    nl::Link changes(rtnl_link_alloc());
    if (fill_link_changes(changes.get(), nullptr, desired, kCreate, key))
      check(nl::request(sock, link_change(desired.name, changes.get(), kCreate, key)), kCreate, key);
    return;
  }
  check(ack, kCreate, key);

  // The kernel ignores IFLA_IFALIAS when it creates a link, so the mark is a
  // second request. Unmarked, the bridge would look foreign: undo on failure.
  try {
    set_mark(sock, desired, key);
  } catch (...) {
    nl::Link gone(rtnl_link_alloc());
    rtnl_link_set_name(gone.get(), desired.name.c_str());
    nl_msg* del = nullptr;
    if (rtnl_link_build_delete_request(gone.get(), &del) >= 0) nl::request(sock, nl::Msg(del));
    throw;
  }
}

void update_bridge(SocketPool& s, const Resource& current, const Resource& desired) {
  const std::string key = desired.key();
  nl::Link changes(rtnl_link_alloc());
  if (!fill_link_changes(changes.get(), &current, desired, "update link", key)) return;
  check(nl::request(s.get(desired.ns), link_change(desired.name, changes.get(), "update link", key)),
        "update link", key);
}

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
