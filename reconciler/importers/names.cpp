#include "reconciler/importers/names.hpp"

#include <cstdint>
#include <cstdio>
#include <map>

#include "providers/bridge/bridge_settings.hpp"
#include "reconciler/model/desired.hpp"

namespace topo::importers {
namespace {

bool name_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '-';
}

std::string hashed_bridge(const std::string& network) {
  std::uint64_t h = 14695981039346656037ull;  // FNV-1a: stable across runs and machines
  for (unsigned char c : network) h = (h ^ c) * 1099511628211ull;
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(h));
  return "br-" + std::string(hex, 12);
}

bool has_bridge(const OutNetwork& n) { return n.driver.empty() || n.driver == "bridge"; }

}  // namespace

bool valid_object_name(const std::string& name) { return valid_stack_name(name); }

bool valid_ifname(const std::string& name) {
  if (name.empty() || name.size() > 15 || name.front() == '.' || name.front() == '_' || name.front() == '-')
    return false;
  for (char c : name)
    if (!name_char(c)) return false;
  return true;
}

bool valid_domain(const std::string& name) {
  if (name.empty() || name.size() > 253 || name.front() == '.' || name.front() == '-' || name.back() == '-')
    return false;
  for (char c : name)
    if (!name_char(c)) return false;
  return true;
}

bool valid_mac(const std::string& mac) {
  if (mac.size() != 17) return false;
  for (std::size_t i = 0; i < mac.size(); ++i) {
    const char c = mac[i];
    const bool hex = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    if (i % 3 == 2 ? c != ':' : !hex) return false;
  }
  return true;
}

void give_bridges_distinct_names(OutManifest& m) {
  std::map<std::string, int> users;
  for (const OutNetwork& n : m.networks)
    if (has_bridge(n)) ++users[n.bridge.empty() ? default_bridge_name(n.name) : n.bridge];
  for (OutNetwork& n : m.networks)
    if (has_bridge(n) && n.bridge.empty() && users[default_bridge_name(n.name)] > 1) n.bridge = hashed_bridge(n.name);
}

}  // namespace topo::importers
