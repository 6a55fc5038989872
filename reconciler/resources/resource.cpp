#include "reconciler/resources/resource.hpp"

#include <tuple>

#include "reconciler/resources/mode_attrs.hpp"

namespace topo {

std::string to_string(Kind k) {
  switch (k) {
    case Kind::Namespace: return "namespace";
    case Kind::Link: return "link";
    case Kind::Address: return "address";
    case Kind::Route: return "route";
    case Kind::Fdb: return "fdb";
    case Kind::Sysctl: return "sysctl";
    case Kind::File: return "file";
    case Kind::Firewall: return "firewall";
  }
  return "?";
}

std::string Resource::key() const { return to_string(kind) + " " + ns + "/" + name; }

std::string Resource::attr(const std::string& k) const {
  auto it = attrs.find(k);
  return it == attrs.end() ? std::string() : it->second;
}

int dependency_rank(const Resource& r) {
  switch (r.kind) {
    // A container:<name> entry is a bind of another entry: made after it,
    // removed before it.
    case Kind::Namespace: return ns_mode::is_joiner(r.attr(attr::mode)) ? 1 : 0;
    case Kind::Link: return r.attr(attr::type) == "bridge" ? 1 : 2;
    case Kind::Address: return 3;
    case Kind::Route: return 4;
    case Kind::Fdb: return 5;
    case Kind::Sysctl: return 6;
    case Kind::File: return 7;
    case Kind::Firewall: return 8;
  }
  return 9;
}

bool dependency_less(const Resource& a, const Resource& b) {
  return std::forward_as_tuple(dependency_rank(a), a.ns, a.name) <
         std::forward_as_tuple(dependency_rank(b), b.ns, b.name);
}

}  // namespace topo
