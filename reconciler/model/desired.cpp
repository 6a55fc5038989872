#include "reconciler/model/desired.hpp"

#include <cctype>

#include <algorithm>

namespace topo {

bool valid_stack_name(const std::string& name) {
  if (name.empty() || name.size() > 63 || !std::isalnum(static_cast<unsigned char>(name[0]))) return false;
  for (unsigned char c : name)
    if (!std::isalnum(c) && c != '_' && c != '.' && c != '-') return false;
  return true;
}

std::string to_string(Driver d) { return std::string(d.name()); }

std::string to_string(CheckProtocol p) {
  switch (p) {
    case CheckProtocol::Tcp: return "tcp";
    case CheckProtocol::Udp: return "udp";
    case CheckProtocol::Icmp: break;
  }
  return "icmp";
}

namespace {

// Both lists are kept sorted by name by the loader, so lookups are binary searches.
template <typename T>
const T* find_by_name(const std::vector<T>& items, const std::string& name) {
  auto it = std::lower_bound(items.begin(), items.end(), name,
                             [](const T& item, const std::string& n) { return item.name < n; });
  if (it != items.end() && it->name == name) return &*it;
  // Callers may build a Desired by hand without sorting; stay correct for them.
  auto lin = std::find_if(items.begin(), items.end(), [&](const T& item) { return item.name == name; });
  return lin == items.end() ? nullptr : &*lin;
}

}  // namespace

const Network* Desired::network(const std::string& name) const { return find_by_name(networks, name); }
const Container* Desired::container(const std::string& name) const { return find_by_name(containers, name); }

}  // namespace topo
