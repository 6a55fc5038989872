#pragma once
// The topology as a user looks at it: each network with its members and
// their addresses, each container with its interfaces, ports, names and
// routes, each host. Made from the model and what IPAM chose (the addresses,
// MACs and host ports the kernel has or will have), never from the kernel:
// pure, so `inspect`, `graph` and `verify` show and probe the same thing and
// tests drive it without a kernel. Strings are as the contract spells them.
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "reconciler/ipam/ipam.hpp"
#include "reconciler/model/desired.hpp"

namespace topo::view {

// One container's interface on one network.
struct MemberView {
  std::string container;
  std::string network;
  std::string interface;    // inside the container: eth0, eth1, ...
  std::string ipv4, ipv6;   // "" when none; no prefix length
  int ipv4_prefix = 0, ipv6_prefix = 0;
  std::string mac;          // "" when the driver gives none of its own (ipvlan: the parent's)
  std::string host_veth;    // host end of the veth pair, "" for drivers without one
  std::vector<std::string> aliases;
  bool default_route = false;  // the container's default route leaves here
  std::string node;         // multi-host: the container's node
};

struct SubnetView {
  std::string subnet;   // "172.18.0.0/16"
  std::string gateway;  // "" when the driver has none (p2p)
  std::string ip_range; // "" when the whole subnet
};

struct NetworkView {
  std::string name;
  std::string stack;
  std::string driver;
  std::vector<SubnetView> subnets;
  bool subnet_from_pools = false;
  bool internal = false;
  int mtu = 0;
  // The driver's own keys with their values, defaults filled in, in manifest
  // order (DriverSettings::options): {"bridge", "br-x"}, {"icc", "true"}.
  std::vector<std::pair<std::string, std::string>> options;
  std::string host_bridge;   // "" when the network makes none
  // What verify --implied checks (DriverSettings::members_reach_each_other,
  // isolated): asked of the driver, not read from its option names.
  bool members_reach_each_other = true;
  bool isolated = false;
  std::string parent;        // macvlan/ipvlan parent, "" otherwise
  std::vector<MemberView> members;  // by container, then interface
};

struct PortView {
  std::string protocol;    // tcp | udp
  std::string host_ip;     // "" = every host address
  int host_port = 0;       // the one in force: written, or chosen by topo (0 until chosen)
  bool host_port_chosen = false;  // topo chose it (the manifest left it out)
  int container_port = 0;
};

struct RouteView {
  std::string destination;  // "default" or a prefix
  std::string via;          // "" when on-link
  std::string interface;
};

// One address line of the container's hosts file (the fixed localhost block
// left out), as providers/files/files_provider.hpp writes it.
struct HostsEntry {
  std::string address;
  std::vector<std::string> names;
  std::string part;  // where in the file: "this container", "extra_hosts", "links", "network NAME"
};

struct ContainerView {
  std::string name;
  std::string stack;
  std::string mode;          // default | host | none | container
  std::string mode_target;   // the container whose namespace it joins (mode container)
  std::string netns;         // namespace path: netns_dir/name, the adopted path, or that of mode_target
  bool adopted = false;      // netns was given by the manifest (topo never removes it)
  std::string node;
  std::string hostname;
  std::vector<MemberView> interfaces;  // by interface name
  std::vector<RouteView> routes;       // default route(s) and the manifest's routes
  std::vector<PortView> ports;
  std::vector<std::string> dns, dns_search;
  std::vector<HostsEntry> hosts;       // what its hosts file holds, in file order (localhost lines left out)
  std::vector<std::pair<std::string, std::string>> links;  // target, alias
};

struct HostView {
  std::string name;
  std::string address;
};

struct TopologyView {
  std::string node;  // the host this view is from ("" = single host)
  std::vector<HostView> hosts;
  std::vector<NetworkView> networks;      // by name
  std::vector<ContainerView> containers;  // by name

  const NetworkView* network(const std::string& name) const;
  const ContainerView* container(const std::string& name) const;
};

// `desired` as prepare() left it (subnets filled), `allocations` from the
// same pass. Containers of other nodes appear with what the whole model says.
TopologyView view_of(const Desired& desired, const Allocations& allocations, const std::string& netns_dir);

}  // namespace topo::view
