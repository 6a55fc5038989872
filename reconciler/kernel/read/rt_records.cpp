#include "reconciler/kernel/read/rt_records.hpp"

#include <sys/socket.h>

#include <algorithm>
#include <cstring>
#include <numeric>

#include <linux/if_addr.h>
#include <linux/neighbour.h>
#include <linux/rtnetlink.h>

#include "reconciler/kernel/nl_text.hpp"
#include "reconciler/kernel/read/rt_attrs.hpp"

namespace topo::observer {
namespace {

// The attributes after a message's family header; empty when it is short.
struct Attrs {
  const rtattr* first = nullptr;
  int len = 0;
};

template <typename Header>
const Header* header_of(const nlmsghdr* h, Attrs& attrs) {
  if (h->nlmsg_len < NLMSG_LENGTH(sizeof(Header))) return nullptr;
  const auto* hdr = static_cast<const Header*>(NLMSG_DATA(h));
  const int offset = NLMSG_ALIGN(sizeof(Header));
  attrs.first = reinterpret_cast<const rtattr*>(reinterpret_cast<const char*>(hdr) + offset);
  attrs.len = static_cast<int>(h->nlmsg_len - NLMSG_LENGTH(offset));
  if (attrs.len < 0) attrs.len = 0;
  return hdr;
}

using rta::payload_len;
using rta::type_of;
using rta::u32_of;

std::string prefix_text(int family, const void* bytes, unsigned len, unsigned prefixlen) {
  std::string text = nl::address_text(family, bytes, len);
  if (text.empty()) return text;
  text += '/';
  text += std::to_string(prefixlen);
  return text;
}

// The first hop of an RTA_MULTIPATH payload: its device, gateway and flags.
struct FirstHop {
  int hops = 0;
  int oif = 0;
  unsigned flags = 0;  // RTNH_F_*
  const rtattr* gateway = nullptr;
};

FirstHop first_hop(const rtattr* multipath) {
  FirstHop out;
  auto left = static_cast<int>(payload_len(multipath));
  const auto* nh = static_cast<const rtnexthop*>(RTA_DATA(multipath));
  // A hop shorter than its header would never advance: stop there.
  while (left >= static_cast<int>(sizeof *nh) && nh->rtnh_len >= sizeof *nh && left >= nh->rtnh_len) {
    if (out.hops++ == 0) {
      out.oif = nh->rtnh_ifindex;
      out.flags = nh->rtnh_flags;
      int len = nh->rtnh_len - static_cast<int>(sizeof *nh);
      for (const rtattr* a = RTNH_DATA(nh); RTA_OK(a, len); a = RTA_NEXT(a, len))
        if (type_of(a) == RTA_GATEWAY) out.gateway = a;
    }
    left -= RTNH_ALIGN(nh->rtnh_len);
    nh = RTNH_NEXT(nh);
  }
  return out;
}

}  // namespace

std::optional<ParsedRoute> parse_route(const nlmsghdr* h) {
  Attrs attrs;
  const rtmsg* rtm = header_of<rtmsg>(h, attrs);
  if (!rtm) return std::nullopt;
  const rtattr *dst = nullptr, *gateway = nullptr, *multipath = nullptr;
  ParsedRoute p;
  RouteRecord& r = p.record;
  r.table = rtm->rtm_table;
  r.protocol = rtm->rtm_protocol;
  int len = attrs.len;
  for (const rtattr* a = attrs.first; RTA_OK(a, len); a = RTA_NEXT(a, len)) {
    switch (type_of(a)) {
      case RTA_TABLE: r.table = u32_of(a); break;
      case RTA_DST: dst = a; break;
      case RTA_OIF: r.oif = static_cast<int>(u32_of(a)); break;
      case RTA_GATEWAY: gateway = a; break;
      case RTA_MULTIPATH: multipath = a; break;
      case RTA_PRIORITY:
        p.id.has_priority = true;
        p.id.priority = u32_of(a);
        break;
      default: break;
    }
  }
  const int family = rtm->rtm_family;
  // No destination, or an empty one, is a default route (nl_text.hpp cidr_of).
  if (!dst || payload_len(dst) == 0)
    r.dst = family == AF_INET6 ? "::/0" : "0.0.0.0/0";
  else
    r.dst = prefix_text(family, RTA_DATA(dst), payload_len(dst), rtm->rtm_dst_len);
  // libnl's first nexthop: the first of RTA_MULTIPATH when there is one,
  // else the one the top-level attributes make. A single nexthop's flags
  // come in rtm_flags (IPv4 and IPv6 alike), a hop's in its rtnexthop.
  unsigned hop_flags = rtm->rtm_flags;
  if (multipath) {
    if (const FirstHop first = first_hop(multipath); first.hops > 0) {
      r.oif = first.oif;
      gateway = first.gateway;
      hop_flags = first.flags;
    }
  }
  r.onlink = (hop_flags & RTNH_F_ONLINK) != 0;
  if (gateway) r.via = nl::address_text(family, RTA_DATA(gateway), payload_len(gateway));

  p.id.family = rtm->rtm_family;
  p.id.tos = rtm->rtm_tos;
  p.id.table = r.table;
  p.id.dst_len = rtm->rtm_dst_len;
  if (dst) {
    p.id.dst_size = static_cast<uint8_t>(std::min<unsigned>(payload_len(dst), p.id.dst.size()));
    std::memcpy(p.id.dst.data(), RTA_DATA(dst), p.id.dst_size);
  }
  return p;
}

std::vector<RouteRecord> fold_routes(std::vector<ParsedRoute> routes) {
  // Arrival order within each identity: the first of each run is kept.
  std::vector<std::size_t> order(routes.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return routes[a].id < routes[b].id; });
  std::vector<bool> kept(routes.size(), true);
  for (std::size_t i = 1; i < order.size(); ++i)
    if (routes[order[i]].id == routes[order[i - 1]].id) kept[order[i]] = false;
  std::vector<RouteRecord> out;
  out.reserve(routes.size());
  for (std::size_t i = 0; i < routes.size(); ++i)
    if (kept[i]) out.push_back(std::move(routes[i].record));
  return out;
}

std::optional<AddrRecord> parse_addr(const nlmsghdr* h) {
  Attrs attrs;
  const ifaddrmsg* ifa = header_of<ifaddrmsg>(h, attrs);
  if (!ifa) return std::nullopt;
  const rtattr *local = nullptr, *address = nullptr;
  int len = attrs.len;
  for (const rtattr* a = attrs.first; RTA_OK(a, len); a = RTA_NEXT(a, len)) {
    if (type_of(a) == IFA_LOCAL) local = a;
    if (type_of(a) == IFA_ADDRESS) address = a;
  }
  // IPv4 sends both (IFA_ADDRESS is the peer's on a point-to-point link),
  // IPv6 only IFA_ADDRESS. The kernel leaves out an IPv4 address of all
  // zeros, which libnl read as 0.0.0.0.
  static constexpr unsigned char kZeros[4] = {};
  const rtattr* own = local ? local : address;
  const void* bytes = own ? RTA_DATA(own) : kZeros;
  const unsigned size = own ? payload_len(own) : sizeof kZeros;
  if (!own && ifa->ifa_family != AF_INET) return std::nullopt;
  AddrRecord r;
  r.ifindex = static_cast<int>(ifa->ifa_index);
  r.cidr = prefix_text(ifa->ifa_family, bytes, size, ifa->ifa_prefixlen);
  if (r.cidr.empty()) return std::nullopt;
  if (ifa->ifa_family == AF_INET6) {
    const auto* b = static_cast<const unsigned char*>(bytes);
    r.link_local = b[0] == 0xfe && (b[1] & 0xc0) == 0x80;
  }
  return r;
}

std::optional<NeighRecord> parse_neigh(const nlmsghdr* h) {
  Attrs attrs;
  const ndmsg* ndm = header_of<ndmsg>(h, attrs);
  if (!ndm || (ndm->ndm_family != AF_INET && ndm->ndm_family != AF_INET6)) return std::nullopt;
  NeighRecord r;
  r.ifindex = ndm->ndm_ifindex;
  r.state = ndm->ndm_state;
  r.flags = ndm->ndm_flags;
  int len = attrs.len;
  for (const rtattr* a = attrs.first; RTA_OK(a, len); a = RTA_NEXT(a, len)) {
    if (type_of(a) == NDA_DST) r.ip = nl::address_text(ndm->ndm_family, RTA_DATA(a), payload_len(a));
    if (type_of(a) == NDA_LLADDR) r.mac = nl::mac_text(RTA_DATA(a), payload_len(a));
  }
  if (r.ip.empty()) return std::nullopt;
  return r;
}

}  // namespace topo::observer
