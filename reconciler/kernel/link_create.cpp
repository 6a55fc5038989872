#include "reconciler/kernel/link_create.hpp"

#include <optional>

#include <netlink/route/link.h>

#include "reconciler/kernel/errors.hpp"
#include "reconciler/kernel/link_util.hpp"
#include "reconciler/kernel/request.hpp"
#include "reconciler/resources/ownership.hpp"
#include "reconciler/resources/stack_marks.hpp"

namespace topo::kops {
namespace {

constexpr const char* kCreate = "create link";

// Where a pair's other end lives: the host namespace unless the kind says.
std::string peer_ns_of(const LinkKind& kind, const Resource& desired) {
  return kind.peer_ns ? kind.peer_ns(desired) : std::string();
}

// The link that holds the name is the one intended: this kind, our mark,
// and for a pair the other end's mark too.
bool existing_is_ours(SocketPool& s, const LinkKind& kind, const Resource& desired) {
  const std::string key = desired.key();
  nl::Link link = get_link(s.get(desired.ns), desired.name, kCreate, key);
  const char* type = link ? rtnl_link_get_type(link.get()) : nullptr;
  if (!link || !type || kind.type != std::string(type) || alias_of(link.get()) != ownership::link_mark(desired))
    return false;
  if (!kind.peer_name) return true;
  nl::Link peer = get_link(s.get(peer_ns_of(kind, desired)), kind.peer_name(desired), kCreate, key);
  return peer && alias_of(peer.get()) == kind.peer_alias(desired);
}

// The kernel ignores IFLA_IFALIAS when it creates a link, so the mark is a
// second request; a pair's two ends are marked in one round trip over the
// two sockets.
void mark(SocketPool& s, const LinkKind& kind, const Resource& desired, nl_sock* own) {
  const std::string key = desired.key();
  std::optional<nl::Batch> peer;
  if (kind.peer_name) {
    peer.emplace(s.get(peer_ns_of(kind, desired)));
    const bool peer_up = kind.peer_up_with_mark && kind.peer_up_with_mark(desired);
    peer->add(mark_request(kind.peer_name(desired), kind.peer_alias(desired), peer_up, kCreate, key));
  }
  nl::Batch link(own);
  const bool up = kind.up_with_mark && desired.attr(attr::state) != "down";
  link.add(mark_request(desired.name, ownership::link_mark(desired), up, kCreate, key));
  if (peer) return finish(*peer, link, kCreate, key);
  for (const auto& a : link.wait()) check(a, kCreate, key);
}

// The stand-in name of a link just made becomes its own; a clash there is
// the same as at a create (the stand-in goes).
void rename_made(nl_sock* own, const std::string& stand_in, const LinkKind& kind, const Resource& desired) {
  const std::string key = desired.key();
  nl::Link made = get_link(own, stand_in, kCreate, key);
  nl::Link change(rtnl_link_alloc());
  if (!made || !change) nl::throw_errno(kCreate, key, ENOMEM, "rename " + stand_in);
  rtnl_link_set_name(change.get(), desired.name.c_str());
  nl_msg* raw = nullptr;
  if (int r = rtnl_link_build_change_request(made.get(), change.get(), 0, &raw); r < 0) {
    delete_by_name(own, stand_in);
    nl::throw_nl(kCreate, key, r);
  }
  const nl::Ack ack = nl::request(own, nl::Msg(raw));
  if (ack.err) delete_by_name(own, stand_in);
  if (ack.err == EEXIST) nl::throw_errno(kCreate, key, EEXIST, kind.clash(desired));
  check(ack, kCreate, key);
}

}  // namespace

void delete_by_name(nl_sock* sock, const std::string& name) {
  nl::Link gone(rtnl_link_alloc());
  if (!gone) return;
  rtnl_link_set_name(gone.get(), name.c_str());
  nl_msg* raw = nullptr;
  if (rtnl_link_build_delete_request(gone.get(), &raw) >= 0) nl::request(sock, nl::Msg(raw));
}

void create_link(SocketPool& s, const LinkKind& kind, const Resource& desired) {
  const std::string key = desired.key();
  CreateRequest req = kind.fill(s, desired, key);
  nl_sock* own = s.get(desired.ns);  // where the link lives once made
  mark_created(req.link.get());
  nl_msg* raw = nullptr;
  if (int r = rtnl_link_build_add_request(req.link.get(), NLM_F_CREATE | NLM_F_EXCL, &raw); r < 0)
    nl::throw_nl(kCreate, key, r);
  const nl::Ack ack = nl::request(req.via, nl::Msg(raw));

  if (ack.err == EEXIST) {
    // EEXIST may come from the container's namespace (the name is taken
    // there). Fine only if it is the very link we meant; then converge it.
    if (!existing_is_ours(s, kind, desired)) nl::throw_errno(kCreate, key, EEXIST, kind.clash(desired));
    return kind.update(s, nullptr, desired, kCreate);
  }
  // EEXIST under another name, e.g. a second VXLAN device for one (vni,
  // port, local): the kernel's message says so.
  check(ack, kCreate, key);
  if (!req.final_name.empty()) rename_made(own, rtnl_link_get_name(req.link.get()), kind, desired);

  try {
    if (kind.before_up) kind.before_up(s, desired);
    mark(s, kind, desired, own);
  } catch (...) {
    delete_by_name(own, desired.name);  // unmarked, it would look foreign (a veth's host end goes with it)
    throw;
  }
}

}  // namespace topo::kops
