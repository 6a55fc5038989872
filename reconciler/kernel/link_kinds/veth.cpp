// Veth pairs: the resource is the container end (ns, name); the other end
// (attr peer) lives in the host namespace, marked with the peer alias and
// enslaved to attr master, or for a p2p pair in another container's
// namespace (attr peer_ns). The peer is create-only (the providers ask for a
// replacement); mtu, state and master change on both ends in place, mac on
// the container end.
#include <net/if.h>

#include <algorithm>

#include <netlink/route/link.h>
#include <netlink/route/link/veth.h>

#include "reconciler/kernel/errors.hpp"
#include "reconciler/kernel/link_create.hpp"
#include "reconciler/kernel/link_util.hpp"
#include "reconciler/kernel/netns.hpp"
#include "reconciler/kernel/sysctl_ops.hpp"
#include "reconciler/resources/ownership.hpp"

namespace topo::kops {
namespace {

constexpr const char* kCreate = "create link";

std::string peer_alias(const Resource& r) { return ownership::kPeerAliasPrefix + r.ns + "/" + r.name; }

std::string peer_name(const Resource& r) { return r.attr(attr::peer); }

std::string peer_ns(const Resource& r) { return r.attr(attr::peer_ns); }

// A bridge port's host end carries frames, not addresses of its own. Made
// down, with IPv6 switched off before it first comes up, it never gets a
// link-local address nor the routes that go with one. Those made a host of
// thousands of containers slow: the kernel walks the host's whole IPv6
// routing table whenever a link changes state (fib6_ifdown), so every new
// pair cost more than the one before (N = 10 000 took 770 s, mostly there).
bool quiet_host_end(const Resource& r) { return r.attr(attr::peer_ns).empty() && !r.attr(attr::master).empty(); }

bool peer_up_with_mark(const Resource& r) {
  return quiet_host_end(r) && with_default_state(r).attr(attr::state) == "up";
}

void before_up(SocketPool& s, const Resource& r) {
  if (!quiet_host_end(r)) return;
  std::string name = r.attr(attr::peer);
  std::replace(name.begin(), name.end(), '.', '/');  // as in sysctl keys
  Resource off{Kind::Sysctl, "", "net.ipv6.conf." + name + ".disable_ipv6", {{attr::value, "1"}}, {}, r.origin};
  write_sysctl(s, off);  // skipped on a kernel without IPv6
}

// The host end's name, refused when the pair could not be made as asked.
std::string checked_peer(const Resource& r, const std::string& op) {
  const std::string p = r.attr(attr::peer);
  if (p.empty()) nl::throw_errno(op, r.key(), EINVAL, "veth without a peer name");
  if (r.ns.empty()) nl::throw_errno(op, r.key(), EINVAL, "veth container end must be in a namespace");
  return p;
}

// One request makes the pair: the peer end here (over the socket of its
// namespace), the container end directly inside the target namespace under
// its final name.
CreateRequest fill(SocketPool& s, const Resource& desired, const std::string& key) {
  const std::string peer = checked_peer(desired, kCreate);
  nl_sock* host = s.get(peer_ns(desired));
  s.get(desired.ns);  // the namespace is reachable before anything is made in it
  const std::string master = desired.attr(attr::master);
  const int master_index = master.empty() ? 0 : link_index(host, master, kCreate, key);

  CreateRequest req{nl::Link(rtnl_link_veth_alloc()), host, netns::open(s.path(desired.ns))};
  if (!req.link) nl::throw_errno(kCreate, key, ENOMEM);
  rtnl_link* host_end = req.link.get();
  nl::Link cont_end(rtnl_link_veth_get_peer(host_end));  // takes a reference
  rtnl_link_set_name(host_end, peer.c_str());
  rtnl_link_set_name(cont_end.get(), desired.name.c_str());
  rtnl_link_set_ns_fd(cont_end.get(), req.target.get());
  // The container end cannot be brought up in the create request (the kernel
  // opens it before it knows its peer: ENOTCONN); that is done with its mark.
  Resource cont_attrs = desired;
  cont_attrs.attrs.erase(attr::state);
  fill_link_changes(cont_end.get(), nullptr, cont_attrs, kCreate, key);
  mark_created(cont_end.get());  // the protocol marks the host end it sends
  // The host end takes mtu and state; its mac only when an undo remakes a
  // pair that was observed (peer_mac), so the rollback is exact.
  Resource host_attrs;
  host_attrs.attrs[attr::mtu] = desired.attr(attr::mtu);
  if (const std::string m = desired.attr(attr::peer_mac); !m.empty()) host_attrs.attrs[attr::mac] = m;
  host_attrs.attrs[attr::state] = quiet_host_end(desired) ? "down" : with_default_state(desired).attr(attr::state);
  fill_link_changes(host_end, nullptr, host_attrs, kCreate, key);
  if (master_index) rtnl_link_set_master(host_end, master_index);
  return req;
}

std::string clash(const Resource& desired) {
  return "a link named " + desired.name + " or " + desired.attr(attr::peer) + " exists and is not this topo veth";
}

void update(SocketPool& s, const Resource* current, const Resource& desired, const std::string& op) {
  const std::string key = desired.key();
  const std::string peer = checked_peer(desired, op);
  nl_sock* host = s.get(peer_ns(desired));
  nl_sock* cont = s.get(desired.ns);

  nl::Link cc(rtnl_link_alloc()), hc(rtnl_link_alloc());
  const bool cont_changes = fill_link_changes(cc.get(), current, desired, op, key);
  Resource host_cur, host_want;
  if (current) host_cur.attrs = {{attr::mtu, current->attr(attr::mtu)}, {attr::state, current->attr(attr::state)}};
  host_want.attrs = {{attr::mtu, desired.attr(attr::mtu)}, {attr::state, desired.attr(attr::state)}};
  bool host_changes = fill_link_changes(hc.get(), current ? &host_cur : nullptr, host_want, op, key);
  if (!current || desired.attr(attr::master) != current->attr(attr::master)) {
    const std::string m = desired.attr(attr::master);
    rtnl_link_set_master(hc.get(), m.empty() ? 0 : link_index(host, m, op, key));
    host_changes = true;
  }

  nl::Batch hb(host), cb(cont);
  if (host_changes) hb.add(link_change(peer, hc.get(), op, key));
  if (cont_changes) cb.add(link_change(desired.name, cc.get(), op, key));
  finish(hb, cb, op, key);
}

// The peer's ifindex, in the namespace across the pair.
void extract(const LinkAttrs& l, observer::LinkRecord& r) { r.parent = l.link; }

}  // namespace

const LinkKind veth_kind = {
    .type = "veth",
    .fill = fill,
    .up_with_mark = true,
    .peer_name = peer_name,
    .peer_alias = peer_alias,
    .peer_ns = peer_ns,
    .peer_up_with_mark = peer_up_with_mark,
    .before_up = before_up,
    .clash = clash,
    .update = update,
    .extract = extract,
};

}  // namespace topo::kops
