#include "reconciler/kernel/adopted_netns.hpp"

#include <sys/stat.h>

#include <algorithm>
#include <map>
#include <set>
#include <optional>
#include <utility>

#include "reconciler/kernel/netns.hpp"
#include "reconciler/resources/mode_attrs.hpp"

namespace topo::kops {
namespace {

using Identity = std::pair<dev_t, ino_t>;

// What a path resolves to; nothing when it cannot be stat'ed (a missing path
// is left to the bind, which says so in its own words).
std::optional<Identity> identity(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return std::nullopt;
  return Identity{st.st_dev, st.st_ino};
}

std::string adopted_path(const Resource& r) {
  const std::string mode = r.attr(attr::mode);
  return ns_mode::is_adopted(mode) ? mode.substr(std::string(ns_mode::adopted_prefix).size()) : "";
}

}  // namespace

std::vector<std::string> preflight_adopted_namespaces(const std::vector<Resource>& desired,
                                                      const std::string& netns_dir) {
  std::vector<std::string> problems;
  // Read at plan time, by this process: the namespace every change would land in.
  const std::optional<Identity> own = identity("/proc/self/ns/net");
  std::map<Identity, const Resource*> adopted;  // first adopter of each namespace
  std::set<std::string> joiners;
  for (const Resource& r : desired)
    if (r.kind == Kind::Namespace && ns_mode::is_joiner(r.attr(attr::mode))) joiners.insert(r.name);

  for (const Resource& r : desired) {
    if (r.kind != Kind::Namespace) continue;
    const std::string path = adopted_path(r);
    if (path.empty()) continue;
    const std::optional<Identity> id = identity(path);
    if (!id) continue;
    const std::string what = "container " + r.name + ": netns " + path;
    if (own && *id == *own) {
      problems.push_back(what + " is the network namespace topo itself runs in (the host's); adopting it would "
                                "put the container's interfaces and routes on the host. Use network_mode: host "
                                "to share it");
      continue;
    }
    auto [first, fresh] = adopted.emplace(*id, &r);
    if (!fresh) {
      problems.push_back(what + " is the namespace container " + first->second->name + " already adopts (netns " +
                         adopted_path(*first->second) + "); use network_mode: container:" + first->second->name +
                         " to share it");
      continue;
    }
    // Another container's entry: topo's own namespaces and bind entries.
    // Joiners are left out, as their entries bind their target's namespace
    // (and this container's joiners bind this one).
    for (const Resource& other : desired) {
      if (other.kind != Kind::Namespace || other.name == r.name) continue;
      const std::string mode = other.attr(attr::mode);
      if (ns_mode::is_joiner(mode) || ns_mode::is_adopted(mode)) continue;
      const std::string entry = netns_dir + "/" + other.name;
      if (identity(entry) != id) continue;
      problems.push_back(what + " is the namespace of container " + other.name + " (" + entry +
                         "); use network_mode: container:" + other.name + " to share it");
      break;
    }
    // Any other entry of the netns dir: another stack's container, or a
    // namespace someone named with `ip netns add`. Its own entry and the
    // joiners of the manifests bind it legitimately.
    for (const std::string& name : netns::list(netns_dir)) {
      if (name.empty() || name[0] == '.' || name == r.name || joiners.count(name)) continue;
      if (std::any_of(desired.begin(), desired.end(),
                      [&](const Resource& o) { return o.kind == Kind::Namespace && o.name == name; }))
        continue;  // a container of these manifests: checked above
      if (identity(netns_dir + "/" + name) != id) continue;
      problems.push_back(what + " is the namespace of " + netns_dir + "/" + name +
                         " (another stack's container, or a namespace topo does not manage); adopting it would "
                         "put links into it that its owner does not expect");
      break;
    }
  }
  return problems;
}

}  // namespace topo::kops
