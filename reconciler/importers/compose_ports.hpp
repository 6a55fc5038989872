#pragma once
// A compose service's `ports` in every form the Compose specification has:
// "80", "8080:80", "127.0.0.1:8080:80", "[::1]:8080:80", "8080:80/udp",
// "127.0.0.1::80", ranges "8000-8001:80-81" (expanded, one port each: the
// contract has no ranges), and the long form {target, published, host_ip,
// protocol, mode}. What does not parse is an error naming file:line and key.
#include <string>
#include <vector>

#include "reconciler/importers/yaml_input.hpp"

namespace topo::importers {

// Beyond this many ports one entry is not expanded but noted.
inline constexpr int kMaxExpandedPorts = 1024;
// Every port of every protocol once: more is a mistake (or an alias bomb).
inline constexpr std::size_t kMaxPortsPerService = 3 * 65535;

// The contract's strings for one `ports` list, in order.
std::vector<std::string> compose_ports(const YamlInput& in, const YamlNode& ports, const std::string& key);

}  // namespace topo::importers
