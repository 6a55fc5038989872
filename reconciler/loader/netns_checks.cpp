// The static half of the `netns` rule (manifest.md): an adopted namespace is
// neither the one topo runs in nor another container's. What the loader can
// tell from the path alone; the kernel's preflight compares what the paths
// resolve to (kernel/adopted_netns.cpp).
#include <filesystem>
#include <regex>

#include "reconciler/loader/semantic_checks.hpp"

// <filesystem> brings std::quoted, which ADL would pick for quoted(std::string):
// every call here names topo::loader::quoted.
namespace topo::loader {
namespace {

// The /proc paths that always name the namespace of the process reading them,
// i.e. topo's own (the host's): adopting it would wire the host itself.
bool names_own_namespace(const std::filesystem::path& p) {
  static const std::regex own("^/proc/(self|thread-self|self/task/[0-9]+)/ns/net$");
  return std::regex_match(p.string(), own);
}

}  // namespace

void check_adopted_namespaces(const RawModel& m, const NameIndex& names, Diagnostics& diag) {
  static const std::filesystem::path kDefaultNetnsDir = "/run/netns";
  std::map<std::string, const RawContainer*> seen;
  for (const RawContainer& raw : m.containers) {
    if (raw.c.netns.empty()) continue;
    const std::string what = "container " + topo::loader::quoted(raw.c.name) + ": netns " + raw.c.netns;
    const SourceLocation& at = raw.where.at("netns");
    // "/proc//self/./ns/net" is the same file: compare the normal form.
    const std::filesystem::path normal = std::filesystem::path(raw.c.netns).lexically_normal();
    if (names_own_namespace(normal)) {
      diag.error(at, what + " is the network namespace topo itself runs in (the host's); use network_mode: host "
                            "to share it");
      continue;
    }
    if (normal.parent_path() == kDefaultNetnsDir) {
      const std::string other = normal.filename().string();
      if (other != raw.c.name && names.containers.count(other)) {
        diag.error(at, what + " is the namespace of container " + topo::loader::quoted(other) +
                           "; use network_mode: container:" + other + " to share it");
        continue;
      }
    }
    auto [it, inserted] = seen.emplace(normal.string(), &raw);
    if (!inserted)
      diag.error(at, what + " is already adopted by container " + topo::loader::quoted(it->second->c.name) + " at " +
                         it->second->where.at("netns").str() + "; use network_mode: container:" +
                         it->second->c.name + " to share it");
  }
}

}  // namespace topo::loader
