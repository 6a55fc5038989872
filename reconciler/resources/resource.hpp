#pragma once
// Primitive resources: what providers render from the model and what the
// observer reads back from the kernel. The diff compares the two sets.
//
// A resource is identified by (kind, ns, name). Its attributes are strings so
// the diff, the plan output and the golden files need no per-kind code; the
// kernel layer reads them by the well-known keys below.
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace topo {

enum class Kind {
  Namespace,  // name = container name; ns always "" (lives in the netns dir)
  Link,       // name = ifname; attrs: type, mtu, mac, master, peer, state
  Address,    // name = "<ifname>/<cidr>"; attrs: dev, address
  Route,      // name = destination: "default" (IPv4), "default6" (IPv6) or a CIDR; attrs: dev, via, onlink
  Fdb,        // VXLAN forwarding entry (overlay): name = "<dev>/<mac>/<dst>"; attrs: dev, mac, dst
  // Permanent ARP/NDP entry on one of topo's VXLAN devices (cluster mode,
  // flannel's L3 VXLAN): name = "<dev>/<ip>"; attrs: dev, ip, mac.
  Neighbour,
  Sysctl,     // name = key, e.g. "net.ipv4.ip_forward"; attrs: value
  File,       // per-container file under /etc/netns/<container>/: ns = container, name = file name; attrs: content
  Firewall,   // nftables state topo owns; name = what it does, e.g. "publish c1 8080/tcp"
};
// Every kind, in declaration order (for parsing and exhaustive tests).
inline constexpr Kind kAllKinds[] = {Kind::Namespace, Kind::Link,   Kind::Address, Kind::Route,    Kind::Fdb,
                                     Kind::Neighbour, Kind::Sysctl, Kind::File,    Kind::Firewall};
std::string to_string(Kind k);

// Well-known attribute keys.
namespace attr {
inline constexpr const char* type = "type";      // Link: bridge | veth | vxlan | macvlan | ipvlan
inline constexpr const char* mtu = "mtu";        // Link: decimal
// Link, Fdb, Neighbour: aa:bb:cc:dd:ee:ff lower case (a Link's: absent = the kernel's choice).
inline constexpr const char* mac = "mac";
inline constexpr const char* master = "master";  // Link: bridge ifname in the host namespace (veth: of the peer)
inline constexpr const char* peer = "peer";      // Link veth: ifname of the peer end, in the host namespace
// Link veth of a p2p network: the container namespace the peer end is in
// (absent: the host namespace, a bridge veth's host end).
inline constexpr const char* peer_ns = "peer_ns";
inline constexpr const char* state = "state";    // Link: up | down
inline constexpr const char* dev = "dev";        // Address/Route/Fdb/Neighbour: ifname
inline constexpr const char* address = "address";  // Address: CIDR, e.g. 172.10.0.2/24
inline constexpr const char* via = "via";        // Route: gateway address
// Route: "on" when the gateway is taken as on the link even though no
// address of the link covers it (RTNH_F_ONLINK: flannel's `via 10.50.2.0 dev
// vx onlink`); absent = off.
inline constexpr const char* onlink = "onlink";
inline constexpr const char* lo = "lo";          // Namespace: state of loopback, up | down
inline constexpr const char* value = "value";    // Sysctl: the value as /proc/sys shows it
// Sysctl of one interface: "<ns>/<name>" of the Link resource it lives on. A
// link made anew comes with the kernel's defaults, so the diff writes its
// settings again (as it makes its addresses again).
inline constexpr const char* link = "link";
inline constexpr const char* content = "content";  // File: the whole text
// VXLAN links (overlay networks) and their forwarding entries.
inline constexpr const char* vni = "vni";            // Link vxlan: decimal VXLAN network identifier
inline constexpr const char* port = "port";          // Link vxlan: UDP destination port, decimal
inline constexpr const char* local = "local";        // Link vxlan: this node's underlay address ("" = any)
inline constexpr const char* learning = "learning";  // Link vxlan: on | off (topo programs the FDB: off)
inline constexpr const char* dst = "dst";            // Fdb: underlay address of the node behind `mac`
// Neighbour: the protocol address, IPv4 or IPv6, in canonical text (as
// inet_ntop spells it); its link-layer address is attr::mac, lower case.
inline constexpr const char* ip = "ip";
// Link veth: the peer end's MAC. Observed; desired only by a p2p pair,
// whose far end has a MAC of its own (a bridge veth's host end gets the
// kernel's). When an undo makes the pair again, the peer end gets it back.
inline constexpr const char* peer_mac = "peer_mac";
// Observed only: "missing" on an object topo made whose mark is not there
// (killed between the create and the mark: a link with topo's link group but
// no alias, a namespace placeholder with nothing bound on it). Never desired,
// so the diff replaces such an object when wanted and deletes it otherwise.
inline constexpr const char* mark = "mark";
inline constexpr const char* mark_missing = "missing";
// "stranded" on the host end of a veth whose container's netns entry is gone
// while the namespace lives on (`ip netns del` with a process still in it):
// unreachable by name, yet still a port of its bridge, and its name blocks
// the container's new pair. Garbage of whichever stack: always removed.
inline constexpr const char* mark_stranded = "stranded";
}  // namespace attr

struct Resource {
  Kind kind = Kind::Link;
  std::string ns;    // "" = the host namespace topo runs in; else a managed container namespace
  std::string name;  // identity within (kind, ns)
  std::map<std::string, std::string> attrs;
  // Attributes whose change cannot be made in place: the diff plans a
  // replacement. Set by providers on desired resources.
  std::set<std::string> replace_on;
  // The manifest object this comes from, e.g. "network/network01" or
  // "attachment/web/eth0". On observed resources, read from the owner mark.
  std::string origin;
  // The stack the object belongs to (model/desired.hpp kDefaultStack when
  // none was named). "" for what all stacks share: topo's nftables tables
  // and the host's forwarding switches, and orphans whose mark never landed.
  // Not part of the identity: two stacks wanting one kernel name conflict.
  std::string stack{};

  std::string key() const;  // "link ns/name", stable and unique
  std::string attr(const std::string& k) const;  // "" when absent
  bool operator==(const Resource& o) const {
    return kind == o.kind && ns == o.ns && name == o.name && attrs == o.attrs;
  }
};

// What the observer saw: resources topo owns (by their marks), and the
// identities of objects that exist but are not topo's, so that a clashing
// name is a conflict instead of a takeover.
struct Observed {
  std::vector<Resource> owned;
  std::set<std::string> foreign;  // Resource::key() of unowned objects with a name topo might want
  // Objects of stacks this run does not act on (see resources/stacks.hpp):
  // Resource::key() -> their stack. Never changed; a desired object with
  // one of these names is a conflict naming that stack.
  std::map<std::string, std::string> held{};
  // Their resources, for checks that need more than the name (subnets).
  std::vector<Resource> held_resources{};
  // Shared objects (stack "") that other stacks still use: compared when
  // wanted, never removed by this run.
  std::set<std::string> keep{};
  // The stacks this observation was scoped to (none: not scoped).
  std::optional<std::set<std::string>> scope{};
  // The host namespace's own networks, which topo did not make: addresses
  // and routes (not the default route) on links that are not topo's. A
  // bridge subnet over one of them would take that network from the host.
  struct HostNetwork {
    std::string cidr;  // e.g. 192.168.60.0/24
    std::string what;  // e.g. "route 192.168.60.0/24 dev eth0"
    std::string dev;   // the link it is on
  };
  std::vector<HostNetwork> host_networks{};
  // The name of every link of the host namespace, whoever made it: host ends
  // of veth pairs are chosen among the free ones (ipam/veth_names.hpp).
  std::set<std::string> host_links{};
  // VXLAN devices of the host namespace that topo does not own: one with the
  // VNI and port of an overlay topo wants makes the kernel refuse topo's.
  struct ForeignVxlan {
    std::string name;
    unsigned vni = 0;
    unsigned port = 0;   // UDP destination port
    std::string local;   // source address, "" when unset
    bool up = false;     // an up device holds its UDP socket
  };
  std::vector<ForeignVxlan> foreign_vxlans{};
  // Ports of each bridge of the host namespace that are not topo's links
  // (bridge name -> port names): they count towards the bridge's port limit.
  std::map<std::string, std::vector<std::string>> foreign_bridge_ports{};
};

}  // namespace topo
