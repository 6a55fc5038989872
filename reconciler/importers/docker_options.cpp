#include "reconciler/importers/docker_options.hpp"

#include <cstdlib>

#include "reconciler/importers/names.hpp"

namespace topo::importers {
namespace {

bool parse_bool(const std::string& v, std::optional<bool>& out) {
  if (v == "true" || v == "True" || v == "1")
    out = true;
  else if (v == "false" || v == "False" || v == "0")
    out = false;
  else
    return false;
  return true;
}

}  // namespace

OptionUse apply_docker_option(const std::string& key, const std::string& value, OutNetwork& n, std::string& error) {
  if (key == "com.docker.network.bridge.name") {
    if (!valid_ifname(value)) {
      error = "\"" + value + "\" is not an interface name (1-15 bytes)";
      return OptionUse::Invalid;
    }
    n.bridge = value;
  } else if (key == "com.docker.network.driver.mtu") {
    char* end = nullptr;
    const long mtu = std::strtol(value.c_str(), &end, 10);
    if (value.empty() || *end != '\0' || mtu < 68 || mtu > 65535) {
      error = "\"" + value + "\" is not an MTU from 68 to 65535";
      return OptionUse::Invalid;
    }
    n.mtu = static_cast<int>(mtu);
  } else if (key == "com.docker.network.bridge.enable_icc" || key == "com.docker.network.bridge.enable_ip_masquerade") {
    std::optional<bool>& target = key == "com.docker.network.bridge.enable_icc" ? n.icc : n.masquerade;
    if (!parse_bool(value, target)) {
      error = "\"" + value + "\" is not true or false";
      return OptionUse::Invalid;
    }
  } else if (key == "parent") {
    n.parent = value;
  } else if (key == "macvlan_mode" || key == "ipvlan_mode") {
    n.mode = value;
  } else if (key == "com.docker.network.bridge.default_bridge" ||
             (key == "com.docker.network.bridge.host_binding_ipv4" && value == "0.0.0.0")) {
    // The default bridge's marker, and publishing on every address (what topo does).
    return OptionUse::Ignored;
  } else {
    return OptionUse::Unknown;
  }
  return OptionUse::Carried;
}

bool drop_sub_interface_options(OutNetwork& n) {
  const bool any = !n.parent.empty() || !n.mode.empty();
  n.parent.clear();
  n.mode.clear();
  return any;
}

}  // namespace topo::importers
