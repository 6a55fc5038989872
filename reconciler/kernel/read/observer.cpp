#include "reconciler/kernel/read/observer.hpp"

#include <algorithm>
#include <set>

#include <netlink/route/addr.h>
#include <netlink/route/link.h>
#include <netlink/route/route.h>
#include <linux/rtnetlink.h>
#include <linux/neighbour.h>

#include "reconciler/kernel/errors.hpp"
#include "reconciler/kernel/netns.hpp"
#include "reconciler/kernel/nl_handles.hpp"
#include "reconciler/kernel/read/extract.hpp"
#include "reconciler/kernel/shared_netns.hpp"
#include "reconciler/observer/decode.hpp"
#include "reconciler/resources/mode_attrs.hpp"
#include "reconciler/resources/ownership.hpp"

namespace topo::observer {
namespace {

std::string where(const std::string& ns) { return ns.empty() ? "host namespace" : "netns " + ns; }

// A dump interrupted by a concurrent change (NLE_DUMP_INTR) is consistent
// only when repeated; a few tries, then the error (retryable) goes up.
template <typename Alloc>
nl::Cache dump(Alloc&& alloc, const char* what, const std::string& ns) {
  int r = 0;
  for (int attempt = 0; attempt < 3; ++attempt) {
    nl_cache* raw = nullptr;
    r = alloc(&raw);
    if (r >= 0) return nl::Cache(raw);
    if (nl::to_errno(r) != EINTR && nl::to_errno(r) != EBUSY) break;
  }
  nl::throw_nl(what, where(ns), r);
}

std::vector<LinkRecord> dump_links(nl_sock* sock, const std::string& ns) {
  nl::Cache cache = dump([&](nl_cache** c) { return rtnl_link_alloc_cache(sock, AF_UNSPEC, c); }, "dump links", ns);
  return extract_links(cache.get());
}

std::vector<AddrRecord> dump_addrs(nl_sock* sock, const std::string& ns) {
  nl::Cache cache = dump([&](nl_cache** c) { return rtnl_addr_alloc_cache(sock, c); }, "dump addresses", ns);
  return extract_addrs(cache.get());
}

std::vector<RouteRecord> dump_routes(nl_sock* sock, const std::string& ns) {
  nl::Cache cache = dump([&](nl_cache** c) { return rtnl_route_alloc_cache(sock, AF_UNSPEC, 0, c); },
                         "dump routes", ns);
  return extract_routes(cache.get());
}

struct FdbDump {
  unsigned seq = 0;
  std::vector<FdbRecord> out;
};

void collect_fdb(nl_object* o, void* arg) { static_cast<FdbDump*>(arg)->out.push_back(extract_fdb(o)); }

int on_fdb_msg(nl_msg* msg, void* arg) {
  auto* d = static_cast<FdbDump*>(arg);
  if (nlmsg_hdr(msg)->nlmsg_seq != d->seq) return NL_SKIP;  // a stray reply to something else
  nl_msg_parse(msg, collect_fdb, arg);
  return NL_OK;
}

// The bridge-family neighbour table (what `bridge fdb show` lists). Parsed
// message by message rather than through a libnl cache, which would fold the
// several all-zeros entries of a VXLAN device (one per destination) into one.
std::vector<FdbRecord> dump_fdb(nl_sock* sock, const std::string& ns) {
  int r = 0;
  for (int attempt = 0; attempt < 3; ++attempt) {
    ndmsg req{};
    req.ndm_family = AF_BRIDGE;
    nl_msg* raw = nlmsg_alloc_simple(RTM_GETNEIGH, NLM_F_DUMP);
    if (!raw) nl::throw_errno("dump fdb", where(ns), ENOMEM);
    nl::Msg msg(raw);
    if ((r = nlmsg_append(raw, &req, sizeof req, NLMSG_ALIGNTO)) < 0) break;
    if ((r = nl_send_auto(sock, raw)) < 0) break;
    FdbDump d;
    d.seq = nlmsg_hdr(raw)->nlmsg_seq;
    nl_cb* sock_cb = nl_socket_get_cb(sock);  // takes a reference
    nl::Callbacks cb(nl_cb_clone(sock_cb));
    nl_cb_put(sock_cb);
    if (!cb) nl::throw_errno("dump fdb", where(ns), ENOMEM);
    nl_cb_set(cb.get(), NL_CB_VALID, NL_CB_CUSTOM, on_fdb_msg, &d);
    r = nl_recvmsgs(sock, cb.get());
    if (r >= 0) return std::move(d.out);
    if (nl::to_errno(r) != EINTR && nl::to_errno(r) != EBUSY) break;
  }
  nl::throw_nl("dump fdb", where(ns), r);
}

bool owns_vxlan(const NamespaceDump& dump) {
  return std::any_of(dump.links.begin(), dump.links.end(), [](const LinkRecord& l) {
    return l.type == "vxlan" && l.alias.rfind(ownership::kAliasPrefix, 0) == 0;
  });
}

}  // namespace

Observed Observer::observe() {
  Snapshot snap;
  // Addresses and routes are read only where topo may own something: the
  // host and namespaces carrying topo's mark.
  // Bind-mount entries (host, container:, adopted: modes): only an adopted
  // namespace that still is what it was is looked into (shared_netns.hpp).
  snap.shared = shared_ns::observe(sockets_.netns_dir());
  snap.shared_stacks = shared_ns::read_mark_stacks(sockets_.netns_dir());
  std::set<std::string> adopted;
  for (const auto& [name, mode] : snap.shared)
    if (ns_mode::is_adopted(mode) && mode.find(ns_mode::stale_suffix) == std::string::npos) adopted.insert(name);
  auto dump_ns = [&](const std::string& ns, NamespaceDump& dump) {
    nl_sock* sock = sockets_.get(ns);
    dump.links = dump_links(sock, ns);
    ++counts_.links;
    ++counts_.per_namespace[ns];
    if (!ns.empty() && !namespace_owned(ns, dump) && !adopted.count(ns)) return;
    dump.addrs = dump_addrs(sock, ns);
    dump.routes = dump_routes(sock, ns);
    ++counts_.addrs;
    ++counts_.routes;
    counts_.per_namespace[ns] += 2;
    if (!owns_vxlan(dump)) return;
    dump.fdb = dump_fdb(sock, ns);
    ++counts_.fdb;
    ++counts_.per_namespace[ns];
  };

  dump_ns("", snap.host);
  std::set<std::string> owned = adopted;
  for (const std::string& name : netns::list(sockets_.netns_dir())) {
    if (name.front() == '.') continue;  // topo's marks dir; never a container name
    if (snap.shared.count(name) && !adopted.count(name)) continue;
    NamespaceDump& dump = snap.namespaces[name];
    try {
      dump_ns(name, dump);
    } catch (const KernelError& e) {
      // A stale file or a mount of something else: not topo's, so it stays
      // foreign (no links, no mark). Anything else is a real failure.
      if (e.err() != EINVAL && e.err() != ENOENT) throw;
      dump = {};
      if (netns::is_placeholder(sockets_.netns_dir(), name)) snap.placeholders.insert(name);
    }
    if (namespace_owned(name, dump)) owned.insert(name);
  }
  // Keep sockets only where topo will act; holding one in a foreign or
  // deleted namespace would keep it alive.
  sockets_.retain(owned);
  return decode(snap);
}

}  // namespace topo::observer
