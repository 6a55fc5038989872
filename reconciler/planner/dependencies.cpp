#include "reconciler/planner/dependencies.hpp"

#include <tuple>

#include "reconciler/resources/mode_attrs.hpp"

namespace topo {

int dependency_rank(const Resource& r) {
  switch (r.kind) {
    // A container:<name> entry is a bind of another entry: made after it,
    // removed before it.
    case Kind::Namespace: return ns_mode::is_joiner(r.attr(attr::mode)) ? 1 : 0;
    case Kind::Link: return r.attr(attr::type) == "bridge" ? 1 : 2;
    case Kind::Address: return 3;
    case Kind::Route: return 4;
    case Kind::Fdb: return 5;
    // On its link, after the link's addresses (an IPv6 entry needs the
    // link's IPv6 to be there), like a forwarding entry.
    case Kind::Neighbour: return 6;
    case Kind::Sysctl: return 7;
    case Kind::File: return 8;
    case Kind::Firewall: return 9;
  }
  return 10;
}

bool dependency_less(const Resource& a, const Resource& b) {
  return std::forward_as_tuple(dependency_rank(a), a.ns, a.name) <
         std::forward_as_tuple(dependency_rank(b), b.ns, b.name);
}

std::string lives_on(const Resource& r) {
  switch (r.kind) {
    case Kind::Address:
    case Kind::Route:
    case Kind::Fdb:
    case Kind::Neighbour:
      return Resource{Kind::Link, r.ns, r.attr(attr::dev), {}, {}, {}}.key();
    case Kind::Sysctl:
      // attr::link is "ns/name" for an interface's setting, absent for a
      // namespace-wide one.
      return r.attr(attr::link).empty() ? "" : to_string(Kind::Link) + " " + r.attr(attr::link);
    case Kind::Namespace: {
      const std::string mode = r.attr(attr::mode);
      if (!ns_mode::is_joiner(mode)) return "";
      return Resource{Kind::Namespace, "", mode.substr(std::string(ns_mode::container_prefix).size()), {}, {}, {}}.key();
    }
    default:
      return "";
  }
}

std::vector<std::string> made_anew_with(const Resource& r) {
  std::vector<std::string> out{r.key()};
  if (r.kind == Kind::Link && r.attr(attr::type) == "veth" && !r.attr(attr::peer).empty())
    out.push_back(Resource{Kind::Link, r.attr(attr::peer_ns), r.attr(attr::peer), {}, {}, {}}.key());
  return out;
}

bool goes_with_namespace(const Resource& r) {
  if (r.ns.empty()) return false;
  return r.kind == Kind::Link || r.kind == Kind::Address || r.kind == Kind::Route || r.kind == Kind::Fdb ||
         r.kind == Kind::Neighbour;
}

}  // namespace topo
