#pragma once
// Helpers shared by the per-kind operations: looking links up, parsing
// addresses, building change requests, judging acks.
#include <string>

#include "reconciler/kernel/nl_handles.hpp"
#include "reconciler/kernel/request.hpp"
#include "reconciler/kernel/socket_pool.hpp"
#include "reconciler/resources/resource.hpp"

namespace topo::kops {

// The link called `name` in the socket's namespace; null if there is none.
nl::Link get_link(nl_sock* sock, const std::string& name, const std::string& op,
                  const std::string& key);
// Interface index of `name`, or a KernelError (ENODEV).
int link_index(nl_sock* sock, const std::string& name, const std::string& op,
               const std::string& key);
std::string alias_of(rtnl_link* link);
bool starts_with(const std::string& s, const std::string& prefix);

// "aa:bb:..", "10.0.0.1", "10.0.0.0/24": a KernelError (EINVAL) if malformed.
nl::Address parse_mac(const std::string& text, const std::string& op, const std::string& key);
nl::Address parse_ip(const std::string& text, const std::string& op, const std::string& key);

// A permanent entry on the device `ifindex`: `ip` is at `mac`. With
// `bridge_family`, an FDB entry of a VXLAN device (`ip` is then the remote
// node's underlay address), else an ARP/NDP entry of the address's family.
// A request adding (NLM_F_* `flags`) or removing such an entry, sent; the ack.
nl::Ack neigh_request(nl_sock* sock, const nl::Neigh& n, bool remove, int flags, const std::string& op,
                      const std::string& key);
// The link `name` when it is topo's (its alias mark), null when there is
// none; someone else's is a refusal (EPERM): entries on it are never written.
nl::Link owned_link(nl_sock* sock, const std::string& name, const std::string& op, const std::string& key);

nl::Neigh permanent_neigh(const std::string& ip, const std::string& mac, int ifindex, bool bridge_family,
                          const std::string& op, const std::string& key);

// An RTM_NEWLINK request changing the existing link `name` (looked up by
// name in the kernel, so it can follow a create in the same batch).
nl::Msg link_change(const std::string& name, rtnl_link* changes, const std::string& op,
                    const std::string& key);
// A change request setting a link's mark (its alias), and IFF_UP when
// `bring_up`.
nl::Msg mark_request(const std::string& name, const std::string& alias, bool bring_up, const std::string& op,
                     const std::string& key);
// Sets the changes from desired attributes that differ from current ones
// (all of them when current is null). Returns whether anything was set.
bool fill_link_changes(rtnl_link* changes, const Resource* current, const Resource& desired,
                       const std::string& op, const std::string& key);

// The in-place update of a kind with nothing of its own to change: mtu,
// mac, state (current null: all of them that the resource sets).
void update_common(SocketPool& s, const Resource* current, const Resource& desired, const std::string& op);

// A link is created up unless the resource says otherwise.
Resource with_default_state(const Resource& desired);
// Puts topo's link group (ownership::kLinkGroup) in a create request: the
// one mark the kernel takes at creation, before the alias can be set.
void mark_created(rtnl_link* link);

// Throws the ack's error as a KernelError.
void check(const nl::Ack& ack, const std::string& op, const std::string& key);
// Waits for both batches even if the first fails, so no ack is left
// unread; then throws the first error, the first batch's before the second's.
void finish(nl::Batch& first, nl::Batch& second, const std::string& op, const std::string& key);

}  // namespace topo::kops
