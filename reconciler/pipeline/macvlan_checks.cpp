#include "reconciler/pipeline/macvlan_checks.hpp"

#include <map>

#include "reconciler/resources/mode_attrs.hpp"

namespace topo {
namespace {

bool is_macvlan(const Resource& r) { return r.kind == Kind::Link && r.attr(attr::type) == "macvlan"; }

}  // namespace

std::vector<std::string> macvlan_mac_conflicts(const std::vector<Resource>& desired, const Observed& observed) {
  std::map<std::pair<std::string, std::string>, const Resource*> held;  // (parent, mac)
  for (const Resource& h : observed.held_resources)
    if (is_macvlan(h) && !h.attr(attr::mac).empty()) held.emplace(std::pair{h.attr(attr::parent), h.attr(attr::mac)}, &h);
  std::vector<std::string> out;
  if (held.empty()) return out;
  for (const Resource& d : desired) {
    if (!is_macvlan(d)) continue;
    auto it = held.find({d.attr(attr::parent), d.attr(attr::mac)});
    if (it == held.end()) continue;
    const Resource& h = *it->second;
    out.push_back("link " + d.ns + ":" + d.name + " (for " + d.origin + "): mac " + d.attr(attr::mac) +
                  " on parent " + d.attr(attr::parent) + " is already used by " + h.ns + ":" + h.name + " (" +
                  h.origin + ") in stack " + h.stack +
                  "; one parent is one L2 segment: choose another mac (or address, which it is derived from)");
  }
  return out;
}

}  // namespace topo
