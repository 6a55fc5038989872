// Namespace resources: a bind mount in the netns dir, marked by lo's alias.
#include <netlink/route/link.h>
#include <net/if.h>

#include "reconciler/kernel/errors.hpp"
#include "reconciler/kernel/link_util.hpp"
#include "reconciler/kernel/netns.hpp"
#include "reconciler/kernel/ops.hpp"
#include "reconciler/kernel/shared_netns.hpp"
#include "reconciler/resources/mode_attrs.hpp"
#include "reconciler/resources/ownership.hpp"
#include "reconciler/resources/stack_marks.hpp"

namespace topo::kops {
namespace {

// lo's mark names the container, in whichever stack.
bool marks_container(const std::string& alias, const std::string& name) {
  const std::string prefix = ownership::kNamespaceAliasPrefix;
  return alias.compare(0, prefix.size(), prefix) == 0 && ownership::split_stack(alias.substr(prefix.size())).rest == name;
}

// lo carries the mark and is brought up (unless desired says down).
void setup_lo(nl_sock* sock, const Resource& desired, bool set_mark, const std::string& op) {
  const std::string key = desired.key();
  nl::Link changes(rtnl_link_alloc());
  if (set_mark) rtnl_link_set_ifalias(changes.get(), ownership::namespace_mark(desired.name, desired.stack).c_str());
  if (desired.attr(attr::lo) == "down") rtnl_link_unset_flags(changes.get(), IFF_UP);
  else rtnl_link_set_flags(changes.get(), IFF_UP);
  check(nl::request(sock, link_change("lo", changes.get(), op, key)), op, key);
}

bool is_ours(SocketPool& s, const std::string& name, const std::string& op, const std::string& key) {
  nl::Link lo = get_link(s.get(name), "lo", op, key);
  return lo && marks_container(alias_of(lo.get()), name);
}

// Entries of host/container/adopted mode: a bind mount marked in the
// netns dir's .topo/ (see shared_netns.hpp).
bool is_shared(const Resource& r) { return !r.attr(attr::mode).empty(); }

void create_shared(SocketPool& s, const Resource& desired) {
  const std::string mode = desired.attr(attr::mode);
  try {
    shared_ns::bind(s.netns_dir(), desired.name, mode, desired.stack);
  } catch (const KernelError& e) {
    if (e.err() != EEXIST) throw;
    // Already there: fine only if it is our entry of the very same namespace.
    auto live = shared_ns::observe(s.netns_dir());
    auto it = live.find(desired.name);
    if (it == live.end() || it->second != mode)
      nl::throw_errno("create namespace", desired.key(), EEXIST, "exists and is not topo's entry for " + mode);
  }
}

void remove_shared(SocketPool& s, const Resource& current) {
  if (!shared_ns::read_marks(s.netns_dir()).count(current.name))
    nl::throw_refusal("remove namespace", current.key(), EPERM, "entry not marked as topo's");
  s.forget(current.name);
  shared_ns::unbind(s.netns_dir(), current.name);
}

}  // namespace

void create_namespace(SocketPool& s, const Resource& desired) {
  const std::string key = desired.key();
  if (is_shared(desired)) return create_shared(s, desired);
  try {
    // lo is marked inside the new namespace before it gets its name, so a
    // crash cannot leave a named namespace without topo's mark.
    netns::create(s.netns_dir(), desired.name,
                  [&] { setup_lo(open_route_socket().get(), desired, true, "create namespace"); });
  } catch (const KernelError& e) {
    if (e.err() != EEXIST) throw;
    // Already there: fine only if it is ours; then just converge lo.
    bool ours = false;
    try {
      ours = is_ours(s, desired.name, "create namespace", key);
    } catch (const KernelError&) {
    }
    if (!ours) nl::throw_errno("create namespace", key, EEXIST, "exists and is not topo's");
    setup_lo(s.get(desired.name), desired, false, "create namespace");
  }
}

void update_namespace(SocketPool& s, const Resource& current, const Resource& desired) {
  // Another kind of entry (own <-> bind mount, or a stale bind): made anew.
  if (is_shared(current) || is_shared(desired)) {
    if (current.attr(attr::mode) == desired.attr(attr::mode)) return;
    remove_namespace(s, current);
    return create_namespace(s, desired);
  }
  setup_lo(s.get(desired.name), desired, false, "update namespace");
}

void remove_namespace(SocketPool& s, const Resource& current) {
  const std::string key = current.key();
  if (is_shared(current)) return remove_shared(s, current);
  // A placeholder left by a crash before its namespace was bound.
  if (current.attr(attr::mark) == attr::mark_missing && netns::is_placeholder(s.netns_dir(), current.name)) {
    netns::remove(s.netns_dir(), current.name);
    return;
  }
  bool ours = false;
  try {
    ours = is_ours(s, current.name, "remove namespace", key);
  } catch (const KernelError& e) {
    if (e.err() == ENOENT) return;  // already gone
    throw;
  }
  if (!ours) nl::throw_refusal("remove namespace", key, EPERM, "not marked as topo's");
  // Our socket would keep the namespace (and its links) alive: the caller
  // closes it after the unmount (SocketPool::close_released).
  s.release(current.name);
  netns::remove(s.netns_dir(), current.name);
}

}  // namespace topo::kops
