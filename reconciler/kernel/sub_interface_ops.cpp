#include "reconciler/kernel/sub_interface_ops.hpp"

#include <net/if.h>
#include <sched.h>

#include <map>
#include <thread>

#include <netlink/route/link.h>
#include <netlink/route/link/ipvlan.h>
#include <netlink/route/link/macvlan.h>

#include "reconciler/kernel/errors.hpp"
#include "reconciler/kernel/link_util.hpp"
#include "reconciler/kernel/netns.hpp"
#include "reconciler/resources/mode_attrs.hpp"
#include "reconciler/resources/ownership.hpp"
#include "reconciler/resources/stack_marks.hpp"

namespace topo::kops {
namespace {

constexpr const char* kCreate = "create link";

bool is_sub_interface(const Resource& r) {
  return r.kind == Kind::Link && (r.attr(attr::type) == "macvlan" || r.attr(attr::type) == "ipvlan");
}

// A link of the kind with its mode set, not yet named or placed.
nl::Link alloc_kind(const Resource& r, const std::string& op) {
  const std::string key = r.key(), type = r.attr(attr::type), mode = r.attr(attr::link_mode);
  nl::Link link(type == "ipvlan" ? rtnl_link_ipvlan_alloc() : rtnl_link_macvlan_alloc());
  if (!link) nl::throw_errno(op, key, ENOMEM);
  if (mode.empty()) return link;
  const int m = type == "ipvlan" ? rtnl_link_ipvlan_str2mode(mode.c_str()) : rtnl_link_macvlan_str2mode(mode.c_str());
  if (m < 0) nl::throw_errno(op, key, EINVAL, "unknown " + type + " mode '" + mode + "'");
  const int r2 = type == "ipvlan" ? rtnl_link_ipvlan_set_mode(link.get(), static_cast<uint16_t>(m))
                                  : rtnl_link_macvlan_set_mode(link.get(), static_cast<uint32_t>(m));
  if (r2 < 0) nl::throw_nl(op, key, r2);
  return link;
}

// The existing link is the one intended: ours, same kind.
bool is_ours(nl_sock* cont, const Resource& desired) {
  nl::Link c = get_link(cont, desired.name, kCreate, desired.key());
  const char* type = c ? rtnl_link_get_type(c.get()) : nullptr;
  return c && type && desired.attr(attr::type) == type && alias_of(c.get()) == ownership::link_mark(desired);
}

void delete_by_name(nl_sock* sock, const std::string& name) {
  nl::Link gone(rtnl_link_alloc());
  rtnl_link_set_name(gone.get(), name.c_str());
  nl_msg* raw = nullptr;
  if (rtnl_link_build_delete_request(gone.get(), &raw) >= 0) nl::request(sock, nl::Msg(raw));
}

// Runs on a thread of its own in a fresh, empty namespace that dies with it.
int probe_in_scratch_namespace(const std::string& kind) {
  if (::unshare(CLONE_NEWNET) != 0) return -errno;
  try {
    nl::Socket sock = open_route_socket();
    nl::Link link(rtnl_link_alloc());
    if (int r = rtnl_link_set_type(link.get(), kind.c_str()); r < 0) return r;
    nl_msg* raw = nullptr;
    if (int r = rtnl_link_build_add_request(link.get(), NLM_F_CREATE | NLM_F_EXCL, &raw); r < 0) return r;
    const nl::Ack ack = nl::request(sock.get(), nl::Msg(raw));
    if (ack.err == 0) {  // a kernel that takes it without a parent: still supported
      return 0;
    }
    return ack.err == EOPNOTSUPP ? -EOPNOTSUPP : 0;
  } catch (const KernelError& e) {
    return -e.err();
  }
}

}  // namespace

bool link_kind_supported(const std::string& kind) {
  static std::map<std::string, bool> known;  // the kernel does not change under us
  if (auto it = known.find(kind); it != known.end()) return it->second;
  int result = 0;
  std::thread([&] { result = probe_in_scratch_namespace(kind); }).join();
  if (result != 0 && result != -EOPNOTSUPP)
    nl::throw_errno("probe link kind", kind, -result, "cannot tell whether the kernel supports it");
  return known[kind] = result == 0;
}

std::vector<std::string> preflight_sub_interfaces(SocketPool& s, const std::vector<Resource>& desired) {
  std::vector<std::string> problems;
  std::map<std::string, int> reported;  // one message per missing kind or parent
  for (const Resource& r : desired) {
    if (!is_sub_interface(r)) continue;
    const std::string type = r.attr(attr::type), parent = r.attr(attr::parent);
    const std::string what = r.key() + " (for " + r.origin + ")";
    if (!link_kind_supported(type)) {
      if (!reported["kind " + type]++)
        problems.push_back(what + ": this kernel has no " + type + " support (CONFIG_" +
                           (type == "ipvlan" ? std::string("IPVLAN") : std::string("MACVLAN")) +
                           "; module " + type + " not available); the " + type +
                           " driver needs a kernel that has it");
      continue;
    }
    nl::Link p = parent.empty() ? nullptr : get_link(s.get(""), parent, "check parent", what);
    if (!p) {
      if (!reported["parent " + parent]++)
        problems.push_back(what + ": parent interface " + (parent.empty() ? "(none)" : "'" + parent + "'") +
                           " does not exist in the host namespace");
      continue;
    }
    const unsigned parent_mtu = rtnl_link_get_mtu(p.get());
    const std::string mtu = r.attr(attr::mtu);
    if (!mtu.empty() && std::stoul(mtu) > parent_mtu)
      problems.push_back(what + ": mtu " + mtu + " exceeds the mtu " + std::to_string(parent_mtu) +
                         " of parent '" + parent + "'; lower the network's mtu or raise the parent's");
  }
  return problems;
}

void create_sub_interface(SocketPool& s, const Resource& desired) {
  const std::string key = desired.key();
  if (desired.ns.empty()) nl::throw_errno(kCreate, key, EINVAL, "a sub-interface belongs in a container namespace");
  nl_sock* host = s.get("");
  nl_sock* cont = s.get(desired.ns);
  const int parent = link_index(host, desired.attr(attr::parent), kCreate, key);

  // Made from the host namespace, where the parent is, straight into the
  // container's namespace under its final name.
  Fd target = netns::open(s.path(desired.ns));
  nl::Link link = alloc_kind(desired, kCreate);
  rtnl_link_set_name(link.get(), desired.name.c_str());
  rtnl_link_set_link(link.get(), parent);
  rtnl_link_set_ns_fd(link.get(), target.get());
  Resource attrs = desired;
  attrs.attrs.erase(attr::state);  // up together with the mark, once it is ours
  fill_link_changes(link.get(), nullptr, attrs, kCreate, key);
  mark_created(link.get());
  nl_msg* raw = nullptr;
  if (int r = rtnl_link_build_add_request(link.get(), NLM_F_CREATE | NLM_F_EXCL, &raw); r < 0)
    nl::throw_nl(kCreate, key, r);
  const nl::Ack ack = nl::request(host, nl::Msg(raw));
  if (ack.err == EEXIST) {
    // EEXIST may come from the container namespace (the name is taken there).
    if (!is_ours(cont, desired))
      nl::throw_errno(kCreate, key, EEXIST, "a link named " + desired.name + " exists and is not this topo " +
                                               desired.attr(attr::type));
    Resource current;  // converge every in-place attribute
    return update_sub_interface(s, current, desired);
  }
  check(ack, kCreate, key);

  // The kernel ignores IFLA_IFALIAS on create: mark (and bring up) now.
  try {
    nl::Link changes(rtnl_link_alloc());
    rtnl_link_set_ifalias(changes.get(), ownership::link_mark(desired).c_str());
    if (desired.attr(attr::state) != "down") rtnl_link_set_flags(changes.get(), IFF_UP);
    check(nl::request(cont, link_change(desired.name, changes.get(), kCreate, key)), kCreate, key);
  } catch (...) {
    delete_by_name(cont, desired.name);  // unmarked it would look foreign
    throw;
  }
}

void update_sub_interface(SocketPool& s, const Resource& current, const Resource& desired) {
  const std::string key = desired.key();
  nl::Link changes(rtnl_link_alloc());
  if (!fill_link_changes(changes.get(), current.attrs.empty() ? nullptr : &current, desired, "update link", key))
    return;
  check(nl::request(s.get(desired.ns), link_change(desired.name, changes.get(), "update link", key)),
        "update link", key);
}

}  // namespace topo::kops
