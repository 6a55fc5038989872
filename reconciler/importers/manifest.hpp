#pragma once
// The manifest an importer builds, in the contract's own terms
// (spec/manifest.md): only the keys an import can fill, each left empty
// when the source did not say, so the written manifest keeps topo's
// defaults instead of spelling them out.
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace topo::importers {

struct OutSubnet {
  std::string subnet, gateway, ip_range;
};

struct OutNetwork {
  std::string name;
  std::string driver;              // "" = bridge, the default
  std::vector<OutSubnet> subnets;  // one: written as the shorthand; several: `subnets`
  std::optional<int> mtu;
  std::optional<bool> internal, icc, masquerade;
  std::string bridge, parent, mode;
};

// A scalar whose YAML type matters: a sysctl value may be a number or text.
struct OutValue {
  std::string text;
  bool is_string = true;  // false: written plain (a number or boolean as the source had it)
};

struct OutContainer {
  std::string name;
  std::string network_mode;  // "" = default
  std::string hostname;
  std::vector<std::string> dns, dns_search;
  std::vector<std::string> ports;        // in the contract's string form ("127.0.0.1:8080:80/udp")
  std::vector<std::string> extra_hosts;  // "name:ip"
  std::vector<std::string> links;        // "container[:alias]"
  std::vector<std::pair<std::string, OutValue>> sysctls;
};

struct OutAttachment {
  std::string container, network;
  std::string interface;  // "" = the default (eth0 with one attachment)
  std::string ipv4, ipv6, mac;
  std::vector<std::string> aliases;
};

struct OutManifest {
  std::string stack;  // "" = not written: the --stack flag, else `default`, decides
  std::vector<OutNetwork> networks;
  std::vector<OutContainer> containers;
  std::vector<OutAttachment> attachments;

  OutContainer* container(const std::string& name) {
    for (OutContainer& c : containers)
      if (c.name == name) return &c;
    return nullptr;
  }
  const OutNetwork* network(const std::string& name) const {
    for (const OutNetwork& n : networks)
      if (n.name == name) return &n;
    return nullptr;
  }
};

// A published port as the contract writes it: [HOST_IP:][HOST_PORT]:CONTAINER_PORT[/PROTO],
// an IPv6 host address in brackets; only the container port when nothing else is set.
std::string port_string(const std::string& host_ip, std::optional<int> host_port, int container_port,
                        const std::string& protocol);

}  // namespace topo::importers
