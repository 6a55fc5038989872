#pragma once
// Which rtnetlink notifications are worth a pass. Events only wake the loop,
// so the filter just drops the chatter that can never concern topo: ARP/ND
// neighbour state changes (a ping flips them every few seconds), IPv6
// link-local addresses and the kernel's own routes, which the kernel adds by
// itself seconds after a veth comes up. Bridge FDB entries (AF_BRIDGE
// neighbours), links, other addresses and routes all count.
#include <cstddef>

namespace topo::watcher {

// A buffer of one recv() from a subscribed socket: one or more messages.
// True if any message in it is relevant; a malformed buffer counts as
// relevant (a spare pass is cheap, a missed one is not).
bool relevant_rtnl_batch(const void* buf, size_t len);

}  // namespace topo::watcher
