#pragma once
// The desired model: what the manifests ask for, with every default filled in
// and every cross-reference checked by the loader. Pure data; no kernel.
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "reconciler/model/cluster_facts.hpp"
#include "reconciler/model/driver_settings.hpp"
#include "reconciler/model/ip.hpp"
#include "reconciler/model/source_location.hpp"

namespace topo {

// The stack an object belongs to when neither its document's `stack:` nor
// --stack names one, and the stack of every object made before stacks existed
// (its marks carry no stack).
inline constexpr const char* kDefaultStack = "default";
// Stack names are spelled like other names: ^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$
bool valid_stack_name(const std::string& name);

// A network's driver, by the name manifests give it ("bridge", "overlay").
// The model keeps no list of drivers: providers/registry.cpp does, so a new
// driver adds nothing here. The constants below only name the built-in ones
// for code and tests that mean one of them; a name must outlive every Driver
// holding it (a literal, or a provider's own constant).
class Driver {
 public:
  constexpr Driver() = default;
  constexpr explicit Driver(std::string_view name) : name_(name) {}
  constexpr std::string_view name() const { return name_; }
  friend constexpr bool operator==(Driver a, Driver b) { return a.name_ == b.name_; }
  friend constexpr bool operator<(Driver a, Driver b) { return a.name_ < b.name_; }

  static const Driver Bridge, Macvlan, Ipvlan, Overlay;

 private:
  std::string_view name_ = "bridge";  // the driver of a network that names none
};
inline constexpr Driver Driver::Bridge{"bridge"};
inline constexpr Driver Driver::Macvlan{"macvlan"};
inline constexpr Driver Driver::Ipvlan{"ipvlan"};
inline constexpr Driver Driver::Overlay{"overlay"};
std::string to_string(Driver d);

struct SubnetSpec {
  IpPrefix subnet;                   // network address, no host bits
  std::optional<IpAddress> gateway;  // filled: first host address of subnet
  std::optional<IpPrefix> ip_range;  // allocation pool; defaults to subnet
  SourceLocation where;
};

// The keys every driver shares; the driver's own (a bridge's name, a VXLAN
// id, a parent interface) are in `settings`, whose type lives with the
// driver's provider (providers/<driver>/*_settings.hpp).
struct Network {
  std::string name;
  std::string stack = kDefaultStack;
  Driver driver = Driver::Bridge;
  std::vector<SubnetSpec> subnets;  // shorthand subnet/gateway/ip_range lands here too
  // No subnet written, and the driver takes one from the address pools
  // (DriverSettings::takes_pool_subnet): `subnets` stays empty until the
  // pipeline, which sees the kernel and the state dir, fills it
  // (ipam/pool_subnets.hpp). Still true once filled.
  bool subnet_from_pools = false;
  int mtu = 1500;                   // default: the driver's (overlay 1450)
  bool internal = false;
  // Shared, never changed once made: copies of the model stay cheap values.
  std::shared_ptr<const DriverSettings> settings;
  SourceLocation where;

  // The driver's own settings as their type, nullptr when they are another's.
  template <typename T>
  const T* settings_as() const {
    return dynamic_cast<const T*>(settings.get());
  }
  // The questions other code asks of any network (driver_settings.hpp);
  // a network built without settings answers with the defaults.
  const DriverSettings& driver_settings() const {
    static const DriverSettings none;
    return settings ? *settings : none;
  }
};

enum class NetworkMode { Default, Host, None, Container };

struct PortMapping {
  std::string host_ip;  // empty: all host addresses
  // 0: left out ("80", "127.0.0.1::80"); topo chooses one from the ephemeral
  // range and keeps it while the container exists (ipam/host_ports.hpp).
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

// An extra_hosts entry, "NAME:IP": a hosts line for a name outside the model.
struct ExtraHost {
  std::string name;
  IpAddress ip;
  bool operator==(const ExtraHost&) const = default;
};

// A links entry, "NAME[:ALIAS]": the target container, known here as alias.
struct ContainerLink {
  std::string target;
  std::string alias;  // the target's name when not given
  bool operator==(const ContainerLink&) const = default;
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
  std::vector<ExtraHost> extra_hosts;
  std::vector<ContainerLink> links;
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

// A `checks` entry: reachability the user expects, probed for real by
// `topo verify` from inside `from`'s namespace (manifest.md "checks").
enum class CheckProtocol { Icmp, Tcp, Udp };
std::string to_string(CheckProtocol p);

struct Check {
  std::string stack = kDefaultStack;
  std::string from;                  // a container
  std::string to;                    // a container, or "" (to_address, or a resolve check)
  std::optional<IpAddress> to_address;  // `to` written as an address
  int port = 0;                      // 0: none (ICMP)
  CheckProtocol protocol = CheckProtocol::Icmp;  // filled: tcp with a port, else icmp
  std::string resolve;               // a name that must resolve inside `from`; "" for the others
  bool expect_reachable = true;
  int timeout_ms = 2000;
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
  std::vector<Check> checks;            // file order
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
  // Cluster mode (--etcd): what etcd says about the other nodes; null
  // without it. Set on the slice by model/cluster_slice.hpp.
  std::shared_ptr<const ClusterFacts> facts;
};

}  // namespace topo
