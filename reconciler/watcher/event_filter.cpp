#include "reconciler/watcher/event_filter.hpp"

#include <linux/if_link.h>
#include <linux/neighbour.h>
#include <linux/netconf.h>
#include <linux/netfilter/nf_tables.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <sys/socket.h>

#include <cstring>

namespace topo::watcher {

namespace {

// The attributes after a fixed-size family header.
struct Attrs {
  const rtattr* first;
  int len;
};

Attrs attrs_after(const nlmsghdr* h, size_t header) {
  const size_t off = NLMSG_ALIGN(header);
  const int body = static_cast<int>(h->nlmsg_len) - static_cast<int>(NLMSG_HDRLEN);
  return {reinterpret_cast<const rtattr*>(static_cast<const char*>(NLMSG_DATA(h)) + off),
          body - static_cast<int>(off)};
}

std::string text_of(const rtattr* a) {
  const auto* p = static_cast<const char*>(RTA_DATA(a));
  return std::string(p, strnlen(p, RTA_PAYLOAD(a)));
}

bool u32_of(const rtattr* a, unsigned& out) {
  if (RTA_PAYLOAD(a) < sizeof(uint32_t)) return false;
  uint32_t v;
  std::memcpy(&v, RTA_DATA(a), sizeof v);
  out = v;
  return true;
}

bool body_fits(const nlmsghdr* h, size_t size) { return h->nlmsg_len >= NLMSG_LENGTH(size); }

// Appends what one message says; nothing for chatter.
void decode(const nlmsghdr* h, std::vector<KernelEvent>& out) {
  KernelEvent e;
  switch (h->nlmsg_type) {
    case RTM_NEWLINK:
    case RTM_DELLINK: {
      if (!body_fits(h, sizeof(ifinfomsg))) break;
      const auto* i = static_cast<const ifinfomsg*>(NLMSG_DATA(h));
      // A bridge port's own state (STP, flags), told again whenever a
      // port's carrier changes: the link's own notification comes apart.
      if (i->ifi_family == AF_BRIDGE) return;
      e.what = KernelEvent::What::Link;
      e.deleted = h->nlmsg_type == RTM_DELLINK;
      e.ifindex = i->ifi_index;
      e.up = (i->ifi_flags & IFF_UP) != 0;
      Attrs as = attrs_after(h, sizeof(ifinfomsg));
      for (const rtattr* a = as.first; RTA_OK(a, as.len); a = RTA_NEXT(a, as.len)) {
        switch (a->rta_type) {
          case IFLA_IFNAME: e.name = text_of(a); break;
          case IFLA_IFALIAS: e.alias = text_of(a); break;
          case IFLA_MTU: u32_of(a, e.mtu); break;
          case IFLA_GROUP: u32_of(a, e.group); break;
          case IFLA_MASTER: {
            unsigned m = 0;
            if (u32_of(a, m)) e.master = static_cast<int>(m);
            break;
          }
          default: break;
        }
      }
      break;
    }
    case RTM_NEWNEIGH:
    case RTM_DELNEIGH: {
      if (!body_fits(h, sizeof(ndmsg))) break;
      const auto* n = static_cast<const ndmsg*>(NLMSG_DATA(h));
      e.deleted = h->nlmsg_type == RTM_DELNEIGH;
      e.ifindex = n->ndm_ifindex;
      if (n->ndm_family == AF_BRIDGE) {
        e.what = KernelEvent::What::Fdb;
        break;
      }
      // ARP/ND: the kernel's cache states are chatter. A permanent entry is
      // someone's on purpose (topo's on its VXLAN devices), and a removal
      // is told as "FAILED" whatever the entry was, so every removal counts.
      if (n->ndm_flags & NTF_PROXY) return;
      if (!(n->ndm_state & NUD_PERMANENT) && !e.deleted) return;
      e.what = KernelEvent::What::Neighbour;
      break;
    }
    case RTM_NEWADDR:
    case RTM_DELADDR: {
      if (!body_fits(h, sizeof(ifaddrmsg))) break;
      const auto* a = static_cast<const ifaddrmsg*>(NLMSG_DATA(h));
      if (a->ifa_family == AF_INET6 && a->ifa_scope == RT_SCOPE_LINK) return;
      e.what = KernelEvent::What::Address;
      e.deleted = h->nlmsg_type == RTM_DELADDR;
      e.ifindex = static_cast<int>(a->ifa_index);
      break;
    }
    case RTM_NEWROUTE:
    case RTM_DELROUTE: {
      if (!body_fits(h, sizeof(rtmsg))) break;
      const auto* r = static_cast<const rtmsg*>(NLMSG_DATA(h));
      if (r->rtm_protocol == RTPROT_KERNEL || r->rtm_protocol == RTPROT_RA || r->rtm_table == RT_TABLE_LOCAL) return;
      e.what = KernelEvent::What::Route;
      e.deleted = h->nlmsg_type == RTM_DELROUTE;
      Attrs as = attrs_after(h, sizeof(rtmsg));
      for (const rtattr* a = as.first; RTA_OK(a, as.len); a = RTA_NEXT(a, as.len)) {
        unsigned oif = 0;
        if (a->rta_type == RTA_OIF && u32_of(a, oif)) e.ifindex = static_cast<int>(oif);
      }
      break;
    }
    case RTM_NEWNETCONF:
    case RTM_DELNETCONF: {
      // The switches topo sets for the whole namespace (net.ipv4.ip_forward,
      // net.ipv6.conf.all.forwarding) are announced for the pseudo-devices
      // "all" and "default"; a new link's own netconf comes with its link event.
      if (!body_fits(h, sizeof(netconfmsg))) break;
      Attrs as = attrs_after(h, sizeof(netconfmsg));
      for (const rtattr* a = as.first; RTA_OK(a, as.len); a = RTA_NEXT(a, as.len)) {
        if (a->rta_type != NETCONFA_IFINDEX || RTA_PAYLOAD(a) < sizeof(int32_t)) continue;
        int32_t index;
        std::memcpy(&index, RTA_DATA(a), sizeof index);
        if (index != NETCONFA_IFINDEX_ALL && index != NETCONFA_IFINDEX_DEFAULT) return;
        e.what = KernelEvent::What::Netconf;
        break;
      }
      break;
    }
    default:
      break;  // Unknown
  }
  out.push_back(std::move(e));
}

}  // namespace

std::vector<KernelEvent> rtnl_events(const void* buf, size_t len) {
  std::vector<KernelEvent> out;
  auto* h = static_cast<const nlmsghdr*>(buf);
  int remaining = static_cast<int>(len);
  if (!NLMSG_OK(h, remaining)) {
    if (len > 0) out.emplace_back();
    return out;
  }
  for (; NLMSG_OK(h, remaining); h = NLMSG_NEXT(h, remaining)) {
    if (h->nlmsg_type == NLMSG_NOOP || h->nlmsg_type == NLMSG_DONE) continue;
    if (h->nlmsg_type == NLMSG_ERROR || h->nlmsg_type == NLMSG_OVERRUN) {
      out.emplace_back();
      continue;
    }
    decode(h, out);
  }
  return out;
}

bool nft_batch_concerns(const void* buf, size_t len, const std::string& table) {
  auto* h = static_cast<const nlmsghdr*>(buf);
  int remaining = static_cast<int>(len);
  if (!NLMSG_OK(h, remaining)) return len > 0;
  for (; NLMSG_OK(h, remaining); h = NLMSG_NEXT(h, remaining)) {
    if (NFNL_SUBSYS_ID(h->nlmsg_type) != NFNL_SUBSYS_NFTABLES) continue;
    if (NFNL_MSG_TYPE(h->nlmsg_type) == NFT_MSG_NEWGEN) continue;
    if (!body_fits(h, sizeof(nfgenmsg))) return true;
    // Every object's first attribute type names its table (NFTA_TABLE_NAME,
    // NFTA_CHAIN_TABLE, NFTA_RULE_TABLE, NFTA_SET_TABLE, ...: all 1).
    Attrs as = attrs_after(h, sizeof(nfgenmsg));
    bool named = false;
    for (const rtattr* a = as.first; RTA_OK(a, as.len); a = RTA_NEXT(a, as.len)) {
      if ((a->rta_type & NLA_TYPE_MASK) != 1) continue;
      named = true;
      if (text_of(a) == table) return true;
    }
    if (!named) return true;
  }
  return false;
}

}  // namespace topo::watcher
