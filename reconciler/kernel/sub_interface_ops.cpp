#include "reconciler/kernel/sub_interface_ops.hpp"

#include <sched.h>
#include <unistd.h>

#include <cstdio>
#include <map>
#include <thread>

#include <netlink/route/link.h>

#include "reconciler/kernel/errors.hpp"
#include "reconciler/kernel/link_util.hpp"
#include "reconciler/kernel/netns.hpp"
#include "reconciler/resources/mode_attrs.hpp"

namespace topo::kops {
namespace {

constexpr const char* kCreate = "create link";

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

// A link of the kind with its mode set, not yet named or placed.
nl::Link alloc_with_mode(const Resource& r, const SubInterfaceModes& m) {
  const std::string key = r.key(), type = r.attr(attr::type), mode = r.attr(attr::link_mode);
  nl::Link link(m.alloc());
  if (!link) nl::throw_errno(kCreate, key, ENOMEM);
  if (mode.empty()) return link;
  const int n = m.str2mode(mode.c_str());
  if (n < 0) nl::throw_errno(kCreate, key, EINVAL, "unknown " + type + " mode '" + mode + "'");
  if (int e = m.set_mode(link.get(), n); e < 0) nl::throw_nl(kCreate, key, e);
  return link;
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

void preflight_sub_interface(SocketPool& s, const Resource& r, const SubInterfaceModes& m, Preflight& out) {
  const std::string type = r.attr(attr::type), parent = r.attr(attr::parent);
  const std::string what = r.key() + " (for " + r.origin + ")";
  if (!link_kind_supported(type)) {
    if (out.first("kind " + type))
      out.problems.push_back(what + ": this kernel has no " + type + " support (CONFIG_" + m.config + "; module " +
                             type + " not available); the " + type + " driver needs a kernel that has it");
    return;
  }
  // A trunk the same plan makes (IFACE.VID) has its own preflight, and takes
  // its base's MTU.
  if (out.made_on_host.count(parent)) return;
  nl::Link p = parent.empty() ? nullptr : get_link(s.get(""), parent, "check parent", what);
  if (!p) {
    if (out.first("parent " + parent))
      out.problems.push_back(what + ": parent interface " + (parent.empty() ? "(none)" : "'" + parent + "'") +
                             " does not exist in the host namespace");
    return;
  }
  const unsigned parent_mtu = rtnl_link_get_mtu(p.get());
  const std::string mtu = r.attr(attr::mtu);
  if (!mtu.empty() && std::stoul(mtu) > parent_mtu)
    out.problems.push_back(what + ": mtu " + mtu + " exceeds the mtu " + std::to_string(parent_mtu) +
                           " of parent '" + parent + "'; lower the network's mtu or raise the parent's");
}

CreateRequest fill_sub_interface(SocketPool& s, const Resource& desired, const std::string& key,
                                 const SubInterfaceModes& m) {
  if (desired.ns.empty()) nl::throw_errno(kCreate, key, EINVAL, "a sub-interface belongs in a container namespace");
  nl_sock* host = s.get("");
  s.get(desired.ns);  // the namespace is reachable before anything is made in it
  const int parent = link_index(host, desired.attr(attr::parent), kCreate, key);

  // Made from the host namespace, where the parent is, straight into the
  // container's namespace under its final name.
  Fd target = netns::open(s.path(desired.ns));
  CreateRequest req{alloc_with_mode(desired, m), host, std::move(target)};
  if (get_link(host, desired.name, kCreate, key)) {
    // The host holds the name (a container's eth0 on the host's eth0): made
    // under a stand-in and renamed once inside (link_create.hpp). Eight hex
    // digits of this process and the parent keep it within IFNAMSIZ and
    // apart from another topo's.
    req.final_name = desired.name;
    char stand_in[16];
    std::snprintf(stand_in, sizeof stand_in, "tp%08x",
                  static_cast<unsigned>(::getpid()) * 2654435761u ^ static_cast<unsigned>(parent));
    rtnl_link_set_name(req.link.get(), stand_in);
  } else {
    rtnl_link_set_name(req.link.get(), desired.name.c_str());
  }
  rtnl_link_set_link(req.link.get(), parent);
  rtnl_link_set_ns_fd(req.link.get(), req.target.get());
  Resource attrs = desired;
  attrs.attrs.erase(attr::state);  // up together with the mark, once it is ours
  fill_link_changes(req.link.get(), nullptr, attrs, kCreate, key);
  return req;
}

std::string sub_interface_clash(const Resource& desired) {
  return "a link named " + desired.name + " exists and is not this topo " + desired.attr(attr::type);
}

void extract_sub_interface(const LinkAttrs& l, const SubInterfaceModes& m, observer::LinkRecord& r) {
  r.parent = l.link;
  char buf[32] = "";
  m.mode_name(l, buf, sizeof buf);
  r.attrs[attr::link_mode] = buf;
}

}  // namespace topo::kops
