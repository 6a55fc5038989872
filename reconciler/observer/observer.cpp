#include "reconciler/observer/observer.hpp"

#include <set>

#include <netlink/route/addr.h>
#include <netlink/route/link.h>
#include <netlink/route/route.h>

#include "reconciler/kernel/errors.hpp"
#include "reconciler/kernel/netns.hpp"
#include "reconciler/kernel/nl_handles.hpp"
#include "reconciler/kernel/shared_netns.hpp"
#include "reconciler/resources/mode_attrs.hpp"
#include "reconciler/observer/decode.hpp"
#include "reconciler/observer/extract.hpp"

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

}  // namespace

Observed Observer::observe() {
  Snapshot snap;
  // Addresses and routes are read only where topo may own something: the
  // host and namespaces carrying topo's mark.
  // Bind-mount entries (host, container:, adopted: modes): only an adopted
  // namespace that still is what it was is looked into (shared_netns.hpp).
  snap.shared = shared_ns::observe(sockets_.netns_dir());
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
    }
    if (namespace_owned(name, dump)) owned.insert(name);
  }
  // Keep sockets only where topo will act; holding one in a foreign or
  // deleted namespace would keep it alive.
  sockets_.retain(owned);
  return decode(snap);
}

}  // namespace topo::observer
