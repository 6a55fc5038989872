#pragma once
// The desired model: what the manifests ask for, with every default filled in
// and every cross-reference checked by the loader. Pure data; no kernel.
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "reconciler/model/ip.hpp"
#include "reconciler/model/source_location.hpp"

namespace topo {

// The stack an object belongs to when neither its document's `stack:` nor
// --stack names one, and the stack of every object made before stacks existed
// (its marks carry no stack).
inline constexpr const char* kDefaultStack = "default";
// Stack names are spelled like other names: ^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$
bool valid_stack_name(const std::string& name);

enum class Driver { Bridge, Macvlan, Ipvlan, Overlay };
std::string to_string(Driver d);

struct SubnetSpec {
  IpPrefix subnet;                   // network address, no host bits
  std::optional<IpAddress> gateway;  // filled: first host address of subnet
  std::optional<IpPrefix> ip_range;  // allocation pool; defaults to subnet
  SourceLocation where;
};

struct Network {
  std::string name;
  std::string stack = kDefaultStack;
  Driver driver = Driver::Bridge;
  std::vector<SubnetSpec> subnets;  // shorthand subnet/gateway/ip_range lands here too
  int mtu = 1500;                   // overlay default 1450
  bool internal = false;
  std::string bridge;               // kernel bridge name; default "br-" + name cut to 15 bytes
  bool icc = true;
  bool masquerade = true;           // default: !internal
  bool isolated = true;
  // bridge: hosts beyond this one may open connections to any container
  // address by routing the subnet via the host (off: published ports only).
  bool routed = false;
  std::string parent;               // macvlan/ipvlan
  std::string mode;                 // macvlan/ipvlan mode, filled with the default
  std::optional<std::uint32_t> vni; // overlay
  int port = 4789;                  // overlay
  SourceLocation where;
};

enum class NetworkMode { Default, Host, None, Container };

struct PortMapping {
  std::string host_ip;  // empty: all host addresses
  int host_port = 0;
  int container_port = 0;
  std::string protocol = "tcp";
  SourceLocation where;
};

struct StaticRoute {
  IpPrefix dst;
  IpAddress via;
  SourceLocation where;
};

struct Container {
  std::string name;
  std::string stack = kDefaultStack;
  NetworkMode network_mode = NetworkMode::Default;
  std::string mode_target;           // container:<name> target, resolved through chains to the
                                     // container that holds the namespace (the loader does it)
  std::string netns;                 // adopted namespace path; empty: managed by topo
  std::string node;
  std::string hostname;              // default: name
  std::vector<std::string> dns;
  std::vector<std::string> dns_search;
  std::vector<PortMapping> ports;
  std::vector<std::string> extra_hosts;
  std::vector<std::string> links;
  std::map<std::string, std::string> sysctls;
  std::vector<StaticRoute> routes;
  SourceLocation where;
};

struct Attachment {
  std::string stack = kDefaultStack;  // its document's; must be its container's and its network's
  std::string container;
  std::string network;
  std::string interface;             // filled: eth0 for a single attachment
  std::optional<IpAddress> ipv4;     // static; allocation happens in IPAM, not here
  std::optional<IpAddress> ipv6;
  std::string mac;                   // static; empty: derived later
  std::vector<std::string> aliases;
  bool default_route = false;        // resolved by the loader
  SourceLocation where;
};

struct Host {
  std::string name;
  IpAddress address;
  SourceLocation where;
};

struct Desired {
  std::vector<Host> hosts;
  std::vector<Network> networks;      // sorted by name
  std::vector<Container> containers;  // sorted by name
  std::vector<Attachment> attachments;  // sorted by (container, interface)
  // Every stack the manifests' documents name (or default to), including
  // those of documents that declare nothing: what plan, apply and destroy act on.
  std::set<std::string> stacks;

  const Network* network(const std::string& name) const;
  const Container* container(const std::string& name) const;

  // Multi-host: the node this model is one host's slice of ("" = the whole
  // model, single host), and the whole model it was cut from. Providers that
  // need the members on other nodes (overlay forwarding, hosts files) read
  // whole(); everything else sees only the slice. See model/slice.hpp.
  std::string node;
  std::shared_ptr<const Desired> cluster;
  const Desired& whole() const { return cluster ? *cluster : *this; }
};

}  // namespace topo
