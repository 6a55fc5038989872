#pragma once
// Plain records of what the dumps returned, so that turning kernel objects
// into resources (decode.hpp) is a pure function tests can feed by hand.
#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace topo::observer {

struct LinkRecord {
  int index = 0;
  std::string name;
  std::string type;   // rtnl_link_get_type: "bridge", "veth", "" for lo/physical
  std::string alias;  // IFLA_IFALIAS
  std::string mac;    // lower case, "" when none
  unsigned mtu = 0;
  bool up = false;    // IFF_UP
  unsigned group = 0; // IFLA_GROUP
  int master = 0;     // ifindex of the master in the same namespace, 0 = none
  // The kind's own attributes, read by its extract hook
  // (kernel/link_kinds/) and spelled as the Link resource spells them (vxlan:
  // attr::vni, port, local, learning; macvlan/ipvlan: attr::link_mode): the
  // decoder copies them as they are, so a new kind needs nothing here.
  std::map<std::string, std::string> attrs{};
  // IFLA_LINK, set by the kinds that have one. veth: the peer's ifindex, in
  // the namespace across the pair; a sub-interface: its parent's, in the host
  // namespace when the link sits in another one.
  int parent = 0;
  std::string attr(const std::string& key) const {
    auto it = attrs.find(key);
    return it == attrs.end() ? std::string() : it->second;
  }
};

struct AddrRecord {
  int ifindex = 0;
  std::string cidr;  // local address / prefix length
  bool link_local = false;  // IPv6 fe80::/10
};

struct RouteRecord {
  unsigned table = 0;
  int protocol = 0;
  std::string dst;  // CIDR; "0.0.0.0/0" or "::/0" for default
  int oif = 0;      // first nexthop's device
  std::string via;  // first nexthop's gateway, "" when none
  bool onlink = false;  // first nexthop's RTNH_F_ONLINK: its gateway taken as on the link
};

// One forwarding entry of a bridge-family neighbour dump (`bridge fdb`).
struct FdbRecord {
  int ifindex = 0;
  std::string mac;    // lower case
  std::string dst;    // NDA_DST: remote tunnel endpoint, "" when none
  unsigned state = 0; // NUD_*
  unsigned flags = 0; // NTF_*
};

// One entry of the ARP or NDP table (`ip neigh`). The dump keeps only
// permanent ones (kernel/read/dumps.hpp): the kernel's own cache is not read.
struct NeighRecord {
  int ifindex = 0;
  std::string ip;     // NDA_DST, canonical text
  std::string mac;    // NDA_LLADDR, lower case; "" when none
  unsigned state = 0; // NUD_*
  unsigned flags = 0; // NTF_*
};

// Per-interface IPv6 settings (what /proc/sys/net/ipv6/conf/<if>/ shows) by
// interface name, indexed as DEVCONF_* of <linux/ipv6.h>.
using Ipv6Conf = std::map<std::string, std::vector<int32_t>>;

struct NamespaceDump {
  std::vector<LinkRecord> links;
  // From the same link dump (each link's IFLA_AF_SPEC carries them): kept
  // for the settings read that follows a full read (Observer::take_ipv6_conf).
  Ipv6Conf ipv6_conf;
  // Only filled for namespaces topo owns: unowned ones are not looked into.
  std::vector<AddrRecord> addrs;
  std::vector<RouteRecord> routes;
  // Only read where topo owns a VXLAN device.
  std::vector<FdbRecord> fdb;
  std::vector<NeighRecord> neigh;
};

struct Snapshot {
  // netns-dir entries that are topo's bind mounts of namespaces it does not
  // own (host, container:, adopted: modes): name -> observed mode.
  std::map<std::string, std::string> shared;
  // Their stacks (from the same marks); absent: the default stack.
  std::map<std::string, std::string> shared_stacks;
  NamespaceDump host;
  // Every entry of the netns dir; unopenable entries have no links at all.
  std::map<std::string, NamespaceDump> namespaces;
  // Entries that are topo's placeholder files with no namespace bound on
  // them: a create killed half way (netns.hpp). Orphans of topo's.
  std::set<std::string> placeholders;
};

}  // namespace topo::observer
