#include "reconciler/resources/resource.hpp"

namespace topo {

std::string to_string(Kind k) {
  switch (k) {
    case Kind::Namespace: return "namespace";
    case Kind::Link: return "link";
    case Kind::Address: return "address";
    case Kind::Route: return "route";
    case Kind::Fdb: return "fdb";
    case Kind::Neighbour: return "neighbour";
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


}  // namespace topo
