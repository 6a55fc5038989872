#include "reconciler/kernel/read/observer.hpp"

#include <algorithm>
#include <exception>
#include <vector>
#include <set>

#include <netlink/route/addr.h>
#include <netlink/route/link.h>
#include <netlink/route/route.h>
#include <linux/rtnetlink.h>
#include <linux/neighbour.h>

#include "reconciler/kernel/errors.hpp"
#include "reconciler/kernel/netns.hpp"
#include "reconciler/kernel/nl_handles.hpp"
#include "reconciler/kernel/read/dumps.hpp"
#include "reconciler/kernel/read/parallel_reads.hpp"
#include "reconciler/kernel/shared_netns.hpp"
#include "reconciler/observer/decode.hpp"
#include "reconciler/resources/mode_attrs.hpp"
#include "reconciler/resources/ownership.hpp"

namespace topo::observer {

std::set<std::string> Observer::read_shared(Snapshot& snap) {
  // Bind-mount entries (host, container:, adopted: modes): only an adopted
  // namespace that still is what it was is looked into (shared_netns.hpp).
  snap.shared = shared_ns::observe(sockets_.netns_dir());
  snap.shared_stacks = shared_ns::read_mark_stacks(sockets_.netns_dir());
  std::set<std::string> adopted;
  for (const auto& [name, mode] : snap.shared)
    if (ns_mode::is_adopted(mode) && mode.find(ns_mode::stale_suffix) == std::string::npos) adopted.insert(name);
  return adopted;
}

// Addresses and routes are read only where topo may own something: the
// host and namespaces carrying topo's mark (or adopted ones).
void Observer::dump_namespace(const std::string& ns, bool adopted, NamespaceDump& dump) {
  // Namespaces are read by several threads (observe()): the counts are shared.
  auto count = [&](int DumpCounts::*type) {
    std::lock_guard lock(counts_mu_);
    ++(counts_.*type);
    ++counts_.per_namespace[ns];
  };
  nl_sock* sock = sockets_.get(ns);
  dump.links = dump_links(sock, ns, &dump.ipv6_conf);
  count(&DumpCounts::links);
  if (!ns.empty() && !namespace_owned(ns, dump) && !adopted) {
    dump.ipv6_conf.clear();
    return;
  }
  dump.addrs = dump_addrs(sock, ns);
  dump.routes = dump_routes(sock, ns);
  count(&DumpCounts::addrs);
  count(&DumpCounts::routes);
  if (!owns_vxlan(dump)) return;
  dump.fdb = dump_fdb(sock, ns);
  count(&DumpCounts::fdb);
  dump.neigh = dump_neigh(sock, ns);
  count(&DumpCounts::neigh);
}

void Observer::read_entry(const std::string& name, bool adopted, Snapshot& snap) {
  bool placeholder = false;
  read_entry(name, adopted, snap.namespaces[name], placeholder);
  if (placeholder) snap.placeholders.insert(name);
}

void Observer::read_entry(const std::string& name, bool adopted, NamespaceDump& dump, bool& placeholder) {
  try {
    dump_namespace(name, adopted, dump);
  } catch (const KernelError& e) {
    // A stale file or a mount of something else: not topo's, so it stays
    // foreign (no links, no mark). Anything else is a real failure.
    if (e.err() != EINVAL && e.err() != ENOENT) throw;
    dump = {};
    placeholder = netns::is_placeholder(sockets_.netns_dir(), name);
  }
}

std::optional<Ipv6Conf> Observer::take_ipv6_conf(const std::string& ns) {
  auto it = ipv6_conf_.find(ns);
  if (it == ipv6_conf_.end()) return std::nullopt;
  std::optional<Ipv6Conf> out(std::move(it->second));
  ipv6_conf_.erase(it);
  return out;
}

Observed Observer::observe() {
  ipv6_conf_.clear();
  Snapshot snap;
  const std::set<std::string> adopted = read_shared(snap);
  dump_namespace("", false, snap.host);
  // The entries are read by whichever thread takes each next
  // (parallel_reads.hpp), each into its own slot; the slots are taken in
  // entry order afterwards, so the outcome does not depend on timing.
  struct Slot {
    const std::string* name = nullptr;
    NamespaceDump* dump = nullptr;
    bool placeholder = false;
    std::exception_ptr error;
  };
  const std::vector<std::string> names = netns::list(sockets_.netns_dir());
  std::vector<Slot> slots;
  for (const std::string& name : names) {
    if (name.front() == '.') continue;  // topo's marks dir; never a container name
    if (snap.shared.count(name) && !adopted.count(name)) continue;
    Slot& slot = slots.emplace_back();
    slot.name = &name;
    slot.dump = &snap.namespaces[name];
  }
  parallel_reads(slots.size(), [&](std::size_t i) {
    Slot& slot = slots[i];
    try {
      read_entry(*slot.name, adopted.count(*slot.name) > 0, *slot.dump, slot.placeholder);
    } catch (...) {
      slot.error = std::current_exception();
    }
  });
  std::set<std::string> owned = adopted;
  for (const Slot& slot : slots) {
    // The first failure in entry order, as a sequential read would meet it.
    if (slot.error) std::rethrow_exception(slot.error);
    if (slot.placeholder) snap.placeholders.insert(*slot.name);
    if (namespace_owned(*slot.name, *slot.dump)) owned.insert(*slot.name);
  }
  // Only namespaces topo acts in keep theirs (dump_namespace); a namespace
  // that could not be read has no entry, so the settings read dumps it again.
  ipv6_conf_.emplace("", std::move(snap.host.ipv6_conf));
  for (const Slot& slot : slots)
    if (owned.count(*slot.name) && !slot.dump->links.empty())
      ipv6_conf_.emplace(*slot.name, std::move(slot.dump->ipv6_conf));
  // Keep sockets only where topo will act; holding one in a foreign or
  // deleted namespace would keep it alive.
  sockets_.retain(owned);
  return decode(snap);
}

Observed Observer::observe_focus(const Focus& focus) {
  ipv6_conf_.clear();
  Snapshot snap;
  std::set<std::string> adopted = read_shared(snap);
  // Only the focus's entries: the others are neither read nor decoded.
  std::erase_if(snap.shared, [&](const auto& e) { return !focus.namespaces.count(e.first); });
  std::erase_if(adopted, [&](const std::string& n) { return !focus.namespaces.count(n); });
  std::set<std::string> owned = adopted;
  std::set<int> wanted_indexes;  // host ends of the focused namespaces' veths, parents of their sub-interfaces
  for (const std::string& name : focus.namespaces) {
    if (snap.shared.count(name) && !adopted.count(name)) continue;
    // A missing entry is absent from the snapshot, as from a full read.
    if (!netns::entry_exists(sockets_.netns_dir(), name)) continue;
    read_entry(name, adopted.count(name) > 0, snap);
    const NamespaceDump& dump = snap.namespaces[name];
    if (namespace_owned(name, dump)) owned.insert(name);
    // A container's link with a parent names a host index (snapshot.hpp): a
    // veth's host end, or a macvlan's or ipvlan's parent, without which the
    // link decodes with no parent and reads as one to replace.
    for (const LinkRecord& l : dump.links)
      if (l.parent) wanted_indexes.insert(l.parent);
  }
  // The host: the links named, the host links found above, and their masters
  // (decoding names a veth's bridge). Nothing else of the host is read.
  nl_sock* host = sockets_.get("");
  std::map<int, LinkRecord> links;
  auto fetch = [&](int index, const std::string& name) {
    if (index && links.count(index)) return;
    if (std::optional<LinkRecord> l = get_link(host, "", index, name)) links.emplace(l->index, std::move(*l));
  };
  for (const std::string& name : focus.host_links) fetch(0, name);
  for (int index : wanted_indexes) fetch(index, "");
  std::set<int> masters;
  for (const auto& [index, l] : links)
    if (l.master) masters.insert(l.master);
  for (int index : masters) fetch(index, "");
  counts_.per_namespace[""] += static_cast<int>(links.size());
  for (auto& [index, l] : links) snap.host.links.push_back(std::move(l));
  sockets_.retain(owned);
  return decode(snap);
}

}  // namespace topo::observer
