#include "reconciler/watcher/event_scope.hpp"

#include "reconciler/planner/focus.hpp"
#include "reconciler/resources/mode_attrs.hpp"
#include "reconciler/resources/ownership.hpp"

namespace topo::watcher {

namespace {

Wake full() { return Wake{true, {}}; }
Wake focus(const std::string& container) { return Wake{false, {container}}; }

bool starts_with(const std::string& s, const char* prefix) { return s.rfind(prefix, 0) == 0; }

// A link notification that shows what `want` asks for (mtu, state): the
// kernel telling of a carrier or operstate change, or of a port that came
// or went on a bridge, long after the change itself. It needs no pass.
bool shows_as_wanted(const KernelEvent& e, const Resource& want, const char* mark) {
  return !e.deleted && starts_with(e.alias, mark) && std::to_string(e.mtu) == want.attr(attr::mtu) &&
         (want.attr(attr::state) != "up" || e.up);
}

// Any of topo's marks: an object's, a veth host end's, a namespace's `lo`.
bool marked(const KernelEvent& e) {
  for (const char* prefix : {ownership::kAliasPrefix, ownership::kPeerAliasPrefix, ownership::kNamespaceAliasPrefix})
    if (starts_with(e.alias, prefix)) return true;
  return e.group == ownership::kLinkGroup;
}

}  // namespace

std::string describe(const Wake& w) {
  if (w.full) return "a full pass";
  if (w.containers.empty()) return "no pass";
  std::string out;
  for (const auto& c : w.containers) out += (out.empty() ? "" : ", ") + c;
  return "a pass over " + out;
}

std::string describe(const KernelEvent& e) {
  using What = KernelEvent::What;
  const std::string dev = e.name.empty() ? "ifindex " + std::to_string(e.ifindex) : e.name;
  switch (e.what) {
    case What::Link:
      return "link " + dev + " (mtu " + std::to_string(e.mtu) + (e.up ? ", up" : ", down") +
             (e.master ? ", master " + std::to_string(e.master) : "") + (e.alias.empty() ? "" : ", " + e.alias) + ")";
    case What::Address: return "address on " + dev;
    case What::Route: return "route via " + dev;
    case What::Fdb: return "fdb entry on " + dev;
    case What::Neighbour: return "neighbour entry on " + dev;
    case What::Netconf: return "forwarding switch";
    case What::Unknown: break;
  }
  return "unreadable message";
}

EventScope::EventScope(const std::vector<Resource>& desired) : ready_(true) {
  for (const Resource& r : desired) {
    const std::string c = container_of(r);
    if (r.kind == Kind::Namespace) containers_.insert(r.name);
    if (r.kind != Kind::Link) continue;
    if (const std::string p = r.attr(attr::parent); !p.empty()) parents_.insert(p);
    if (!r.ns.empty()) {
      container_links_[r.ns][r.name] = &r;
      if (r.attr(attr::peer_ns).empty() && !r.attr(attr::peer).empty()) host_ends_[r.attr(attr::peer)] = {r.ns, &r};
    } else if (!c.empty()) {
      host_ends_[r.name] = {c, nullptr};
    } else {
      shared_links_[r.name] = &r;
    }
  }
}

Wake EventScope::in_namespace(const std::string& ns, const KernelEvent& e) const {
  if (!ready_) return full();
  if (e.what == KernelEvent::What::Fdb) return {};  // topo makes no forwarding entries in a container
  if (e.what == KernelEvent::What::Neighbour) {
    // topo's neighbour entries are only on its VXLAN devices; the event names
    // its device by an index of the container's, so any VXLAN device wanted
    // there makes it worth a look.
    auto wanted = container_links_.find(ns);
    if (wanted == container_links_.end()) return {};
    for (const auto& [name, link] : wanted->second)
      if (link->attr(attr::type) == "vxlan") return focus(ns);
    return {};
  }
  if (e.what == KernelEvent::What::Link && !marked(e) && !e.name.empty()) {
    // Someone else's link in the container: not topo's to repair, unless it
    // takes a name topo wants there.
    auto wanted = container_links_.find(ns);
    if (wanted == container_links_.end() || !wanted->second.count(e.name)) return {};
  }
  if (e.what == KernelEvent::What::Link) {
    auto wanted = container_links_.find(ns);
    if (wanted != container_links_.end())
      if (auto link = wanted->second.find(e.name);
          link != wanted->second.end() && shows_as_wanted(e, *link->second, ownership::kAliasPrefix))
        return {};
  }
  return focus(ns);
}

Wake EventScope::in_host(const KernelEvent& e, const IndexToName& name_of) const {
  if (!ready_) return full();
  using What = KernelEvent::What;
  if (e.what == What::Netconf || e.what == What::Unknown) return full();
  const std::string name = e.what == What::Link && !e.name.empty() ? e.name : (e.ifindex ? name_of(e.ifindex) : "");
  if (e.what == What::Fdb || e.what == What::Neighbour) {
    // topo's forwarding and neighbour entries are on its VXLAN devices; what
    // bridges learn (a MAC seen on a port, whenever a container sends) and
    // permanent entries on others' links are not topo's.
    auto shared = shared_links_.find(name);
    return shared != shared_links_.end() && shared->second->attr(attr::type) == "vxlan" ? full() : Wake{};
  }
  if (auto end = host_ends_.find(name); end != host_ends_.end()) {
    const Resource* pair = end->second.pair;
    // The host end as the pair wants it: up, the pair's mtu, a port of the
    // pair's bridge.
    if (e.what == What::Link && pair && shows_as_wanted(e, *pair, ownership::kPeerAliasPrefix) &&
        (pair->attr(attr::master).empty() ? e.master == 0
                                          : e.master != 0 && name_of(e.master) == pair->attr(attr::master)))
      return {};
    return focus(end->second.container);
  }
  if (auto shared = shared_links_.find(name); shared != shared_links_.end()) {
    if (e.what != What::Link) return full();  // a gateway address, a route or an FDB entry on it
    return shows_as_wanted(e, *shared->second, ownership::kAliasPrefix) ? Wake{} : full();
  }
  if (e.what == What::Link) {
    if (parents_.count(name)) return e.deleted ? full() : Wake{};
    // One of topo's (an orphan, a stranded host end) that the model does not want.
    if (marked(e)) return full();
  }
  return {};  // someone else's object
}

Wake EventScope::netns_entry(const std::string& name) const {
  if (!ready_) return full();
  if (containers_.count(name)) return focus(name);
  // topo's marks dir for bind-mounted entries.
  if (!name.empty() && name.front() == '.') return full();
  return {};
}

Wake EventScope::etc_files(const std::string& container) const {
  if (!ready_) return full();
  if (containers_.count(container)) return focus(container);
  return container.empty() || container.front() == '.' ? full() : Wake{};
}

}  // namespace topo::watcher
