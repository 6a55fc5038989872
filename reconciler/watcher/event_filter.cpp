#include "reconciler/watcher/event_filter.hpp"

#include <linux/neighbour.h>
#include <linux/netconf.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <sys/socket.h>

namespace topo::watcher {

namespace {

bool relevant(const nlmsghdr* h) {
  const void* body = NLMSG_DATA(h);
  size_t body_len = h->nlmsg_len - NLMSG_HDRLEN;
  switch (h->nlmsg_type) {
    case RTM_NEWNEIGH:
    case RTM_DELNEIGH: {
      if (body_len < sizeof(ndmsg)) return true;
      return static_cast<const ndmsg*>(body)->ndm_family == AF_BRIDGE;
    }
    case RTM_NEWADDR:
    case RTM_DELADDR: {
      if (body_len < sizeof(ifaddrmsg)) return true;
      auto* a = static_cast<const ifaddrmsg*>(body);
      return !(a->ifa_family == AF_INET6 && a->ifa_scope == RT_SCOPE_LINK);
    }
    case RTM_NEWROUTE:
    case RTM_DELROUTE: {
      if (body_len < sizeof(rtmsg)) return true;
      auto* r = static_cast<const rtmsg*>(body);
      return r->rtm_protocol != RTPROT_KERNEL && r->rtm_protocol != RTPROT_RA && r->rtm_table != RT_TABLE_LOCAL;
    }
    case RTM_NEWNETCONF:
    case RTM_DELNETCONF: {
      // The switches topo sets for the whole namespace (net.ipv4.ip_forward,
      // net.ipv6.conf.all.forwarding) are announced for the pseudo-devices
      // "all" and "default"; a new link's own netconf comes with its link event.
      if (body_len < sizeof(netconfmsg)) return true;
      const size_t off = NLMSG_ALIGN(sizeof(netconfmsg));
      auto* a = reinterpret_cast<const rtattr*>(static_cast<const char*>(body) + off);
      int left = static_cast<int>(body_len) - static_cast<int>(off);
      for (; RTA_OK(a, left); a = RTA_NEXT(a, left)) {
        if (a->rta_type != NETCONFA_IFINDEX || RTA_PAYLOAD(a) < sizeof(int32_t)) continue;
        const int32_t index = *static_cast<const int32_t*>(RTA_DATA(a));
        return index == NETCONFA_IFINDEX_ALL || index == NETCONFA_IFINDEX_DEFAULT;
      }
      return true;
    }
    default:
      return true;  // links and anything unexpected
  }
}

}  // namespace

bool relevant_rtnl_batch(const void* buf, size_t len) {
  auto* h = static_cast<const nlmsghdr*>(buf);
  int remaining = static_cast<int>(len);
  if (!NLMSG_OK(h, remaining)) return len > 0;
  for (; NLMSG_OK(h, remaining); h = NLMSG_NEXT(h, remaining)) {
    if (h->nlmsg_type == NLMSG_ERROR || h->nlmsg_type == NLMSG_OVERRUN) return true;
    if (h->nlmsg_type == NLMSG_NOOP || h->nlmsg_type == NLMSG_DONE) continue;
    if (relevant(h)) return true;
  }
  return false;
}

}  // namespace topo::watcher
