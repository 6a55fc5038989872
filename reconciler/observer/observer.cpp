#include "reconciler/observer/observer.hpp"

#include <netlink/route/addr.h>
#include <netlink/route/link.h>
#include <netlink/route/route.h>

#include "reconciler/kernel/errors.hpp"
#include "reconciler/kernel/netns.hpp"
#include "reconciler/kernel/nl_handles.hpp"
#include "reconciler/observer/decode.hpp"
#include "reconciler/observer/extract.hpp"

namespace topo::observer {
namespace {

std::string where(const std::string& ns) { return ns.empty() ? "host namespace" : "netns " + ns; }

std::vector<LinkRecord> dump_links(nl_sock* sock, const std::string& ns) {
  nl_cache* raw = nullptr;
  if (int r = rtnl_link_alloc_cache(sock, AF_UNSPEC, &raw); r < 0) nl::throw_nl("dump links", where(ns), r);
  nl::Cache cache(raw);
  return extract_links(cache.get());
}

std::vector<AddrRecord> dump_addrs(nl_sock* sock, const std::string& ns) {
  nl_cache* raw = nullptr;
  if (int r = rtnl_addr_alloc_cache(sock, &raw); r < 0) nl::throw_nl("dump addresses", where(ns), r);
  nl::Cache cache(raw);
  return extract_addrs(cache.get());
}

std::vector<RouteRecord> dump_routes(nl_sock* sock, const std::string& ns) {
  nl_cache* raw = nullptr;
  if (int r = rtnl_route_alloc_cache(sock, AF_UNSPEC, 0, &raw); r < 0) nl::throw_nl("dump routes", where(ns), r);
  nl::Cache cache(raw);
  return extract_routes(cache.get());
}

}  // namespace

Observed Observer::observe() {
  Snapshot snap;
  // Addresses and routes are read only where topo may own something: the
  // host and namespaces carrying topo's mark.
  auto dump_ns = [&](const std::string& ns, NamespaceDump& dump) {
    nl_sock* sock = sockets_.get(ns);
    dump.links = dump_links(sock, ns);
    ++counts_.links;
    ++counts_.per_namespace[ns];
    if (!ns.empty() && !namespace_owned(ns, dump)) return;
    dump.addrs = dump_addrs(sock, ns);
    dump.routes = dump_routes(sock, ns);
    ++counts_.addrs;
    ++counts_.routes;
    counts_.per_namespace[ns] += 2;
  };

  dump_ns("", snap.host);
  for (const std::string& name : netns::list(sockets_.netns_dir())) {
    NamespaceDump& dump = snap.namespaces[name];
    try {
      dump_ns(name, dump);
    } catch (const KernelError& e) {
      // A stale file or a mount of something else: not topo's, so it stays
      // foreign (no links, no mark). Anything else is a real failure.
      if (e.err() != EINVAL && e.err() != ENOENT) throw;
      dump = {};
    }
  }
  return decode(snap);
}

}  // namespace topo::observer
