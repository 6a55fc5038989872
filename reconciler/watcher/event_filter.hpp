#pragma once
// What rtnetlink notifications say, as far as the controller needs it to
// choose a pass: which object changed (a link with its name, mtu, state and
// mark; the device of an address, route, bridge FDB entry or permanent
// neighbour entry; the namespace-wide forwarding switches). The chatter that
// can never concern topo is dropped here: ARP/ND cache state changes (a ping
// flips them every few seconds), IPv6 link-local addresses, the kernel's own routes
// (added by itself seconds after a veth comes up), a new link's own
// netconf and bridge ports' STP state. Pure.
#include <cstddef>
#include <string>
#include <vector>

namespace topo::watcher {

struct KernelEvent {
  enum class What {
    Link,
    Address,
    Route,
    Fdb,      // a bridge-family neighbour (VXLAN forwarding entries are topo's)
    // An ARP/ND entry made permanent (or changed while so), or any removed
    // (a removal does not tell what the entry was).
    Neighbour,
    Netconf,  // forwarding switched for the whole namespace
    Unknown,  // malformed or unexpected: a spare pass is cheap, a missed one is not
  };
  What what = What::Unknown;
  bool deleted = false;
  int ifindex = 0;  // the link's own, or the device of an address, route or entry (0: none)
  // Links only.
  std::string name, alias;
  unsigned mtu = 0, group = 0;
  bool up = false;
  int master = 0;  // IFLA_MASTER: the bridge it is a port of (0: none)
};

// A buffer of one recv() from a subscribed socket: one or more messages.
std::vector<KernelEvent> rtnl_events(const void* buf, size_t len);

// Whether an nftables notification buffer concerns the table named `table`
// (any family), or cannot be read; the generation messages every
// transaction ends with concern none.
bool nft_batch_concerns(const void* buf, size_t len, const std::string& table);

}  // namespace topo::watcher
