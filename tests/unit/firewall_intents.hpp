#pragma once
// A firewall intent resource as the firewall provider renders one, for the
// rule tests of both tiers.
#include <map>
#include <string>

#include "reconciler/resources/resource.hpp"

namespace topo::firewall::test_support {

inline Resource fw(const std::string& name, std::map<std::string, std::string> attrs) {
  Resource r;
  r.kind = Kind::Firewall;
  r.name = name;
  r.attrs = std::move(attrs);
  r.attrs["rules"] = "all";
  return r;
}

}  // namespace topo::firewall::test_support
