// Veth pairs: the resource is the container end (ns, name); the host end
// (attr peer) lives in the host namespace, marked with the peer alias and
// enslaved to attr master.
#include <net/if.h>

#include <netlink/route/link.h>
#include <netlink/route/link/veth.h>

#include "reconciler/kernel/errors.hpp"
#include "reconciler/kernel/link_util.hpp"
#include "reconciler/kernel/netns.hpp"
#include "reconciler/kernel/ops.hpp"
#include "reconciler/resources/ownership.hpp"
#include "reconciler/resources/stack_marks.hpp"

namespace topo::kops {
namespace {

constexpr const char* kCreate = "create link";
constexpr const char* kUpdate = "update link";

std::string peer_mark_of(const Resource& r) { return ownership::kPeerAliasPrefix + r.ns + "/" + r.name; }

std::string peer_name(const Resource& r, const std::string& op) {
  const std::string p = r.attr(attr::peer);
  if (p.empty()) nl::throw_errno(op, r.key(), EINVAL, "veth without a peer name");
  if (r.ns.empty()) nl::throw_errno(op, r.key(), EINVAL, "veth container end must be in a namespace");
  return p;
}

// Waits for both batches even if the first fails, so no ack is left unread.
void finish(nl::Batch& host, nl::Batch& cont, const std::string& op, const std::string& key) {
  const auto host_acks = host.wait();
  const auto cont_acks = cont.wait();
  for (const auto& a : host_acks) check(a, op, key);
  for (const auto& a : cont_acks) check(a, op, key);
}

// The existing pair is the one intended: both ends carry our marks.
bool is_ours(nl_sock* host, nl_sock* cont, const Resource& desired, const std::string& peer) {
  const std::string key = desired.key();
  nl::Link c = get_link(cont, desired.name, kCreate, key);
  nl::Link h = get_link(host, peer, kCreate, key);
  const char* type = c ? rtnl_link_get_type(c.get()) : nullptr;
  return c && h && type && std::string(type) == "veth" && alias_of(c.get()) == ownership::link_mark(desired) &&
         alias_of(h.get()) == peer_mark_of(desired);
}

void delete_by_name(nl_sock* sock, const std::string& name) {
  nl::Link gone(rtnl_link_alloc());
  rtnl_link_set_name(gone.get(), name.c_str());
  nl_msg* raw = nullptr;
  if (rtnl_link_build_delete_request(gone.get(), &raw) >= 0) nl::request(sock, nl::Msg(raw));
}

}  // namespace

void create_veth(SocketPool& s, const Resource& desired) {
  const std::string key = desired.key();
  const std::string peer = peer_name(desired, kCreate);
  nl_sock* host = s.get("");
  nl_sock* cont = s.get(desired.ns);
  const std::string master = desired.attr(attr::master);
  const int master_index = master.empty() ? 0 : link_index(host, master, kCreate, key);

  // One request makes the pair: the host end here, the container end
  // directly inside the target namespace under its final name.
  Fd target = netns::open(s.path(desired.ns));
  nl::Link host_end(rtnl_link_veth_alloc());
  if (!host_end) nl::throw_errno(kCreate, key, ENOMEM);
  nl::Link cont_end(rtnl_link_veth_get_peer(host_end.get()));  // takes a reference
  rtnl_link_set_name(host_end.get(), peer.c_str());
  rtnl_link_set_name(cont_end.get(), desired.name.c_str());
  rtnl_link_set_ns_fd(cont_end.get(), target.get());
  // The container end cannot be brought up in the create request (the kernel
  // opens it before it knows its peer: ENOTCONN); that is done with its mark.
  Resource cont_attrs = desired;
  cont_attrs.attrs.erase(attr::state);
  fill_link_changes(cont_end.get(), nullptr, cont_attrs, kCreate, key);
  mark_created(cont_end.get());
  // The host end takes mtu and state; its mac only when an undo remakes a
  // pair that was observed (peer_mac), so the rollback is exact.
  Resource host_attrs;
  host_attrs.attrs[attr::mtu] = desired.attr(attr::mtu);
  if (const std::string m = desired.attr(attr::peer_mac); !m.empty()) host_attrs.attrs[attr::mac] = m;
  host_attrs.attrs[attr::state] = with_default_state(desired).attr(attr::state);
  fill_link_changes(host_end.get(), nullptr, host_attrs, kCreate, key);
  mark_created(host_end.get());
  if (master_index) rtnl_link_set_master(host_end.get(), master_index);

  nl_msg* raw = nullptr;
  if (int r = rtnl_link_build_add_request(host_end.get(), NLM_F_CREATE | NLM_F_EXCL, &raw); r < 0)
    nl::throw_nl(kCreate, key, r);
  const nl::Ack ack = nl::request(host, nl::Msg(raw));
  if (ack.err == EEXIST) {
    if (!is_ours(host, cont, desired, peer))
      nl::throw_errno(kCreate, key, EEXIST, "a link named " + desired.name + " or " + peer + " exists and is not this topo veth");
    Resource current;  // converge every attribute
    update_veth(s, current, desired);
    return;
  }
  check(ack, kCreate, key);

  // The kernel ignores IFLA_IFALIAS on create: mark both ends now, in one
  // round trip over the two sockets.
  try {
    nl::Batch hb(host), cb(cont);
    nl::Link hc(rtnl_link_alloc()), cc(rtnl_link_alloc());
    rtnl_link_set_ifalias(hc.get(), peer_mark_of(desired).c_str());
    rtnl_link_set_ifalias(cc.get(), ownership::link_mark(desired).c_str());
    if (desired.attr(attr::state) != "down") rtnl_link_set_flags(cc.get(), IFF_UP);
    hb.add(link_change(peer, hc.get(), kCreate, key));
    cb.add(link_change(desired.name, cc.get(), kCreate, key));
    finish(hb, cb, kCreate, key);
  } catch (...) {
    delete_by_name(cont, desired.name);  // takes the host end with it
    throw;
  }
}

void update_veth(SocketPool& s, const Resource& current, const Resource& desired) {
  const std::string key = desired.key();
  const std::string peer = peer_name(desired, kUpdate);
  nl_sock* host = s.get("");
  nl_sock* cont = s.get(desired.ns);

  nl::Link cc(rtnl_link_alloc()), hc(rtnl_link_alloc());
  const bool cont_changes = fill_link_changes(cc.get(), &current, desired, kUpdate, key);
  Resource host_cur, host_want;
  host_cur.attrs = {{attr::mtu, current.attr(attr::mtu)}, {attr::state, current.attr(attr::state)}};
  host_want.attrs = {{attr::mtu, desired.attr(attr::mtu)}, {attr::state, desired.attr(attr::state)}};
  bool host_changes = fill_link_changes(hc.get(), &host_cur, host_want, kUpdate, key);
  if (desired.attr(attr::master) != current.attr(attr::master) || current.attrs.empty()) {
    const std::string m = desired.attr(attr::master);
    rtnl_link_set_master(hc.get(), m.empty() ? 0 : link_index(host, m, kUpdate, key));
    host_changes = true;
  }

  nl::Batch hb(host), cb(cont);
  if (host_changes) hb.add(link_change(peer, hc.get(), kUpdate, key));
  if (cont_changes) cb.add(link_change(desired.name, cc.get(), kUpdate, key));
  finish(hb, cb, kUpdate, key);
}

void remove_veth(SocketPool& s, const Resource& current) {
  // Deleting the container end takes the host end with it.
  remove_link(s, current);
}

}  // namespace topo::kops
