// The hand parse of route, address and neighbour replies
// (kernel/read/rt_records.hpp) against messages built in memory: the records
// it gives, spelled out, and for routes and addresses the same records from
// libnl's own parse and route cache, which the observer used before.
#include <arpa/inet.h>

#include <cstdio>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <linux/neighbour.h>
#include <linux/rtnetlink.h>
#include <netlink/cache.h>
#include <netlink/errno.h>
#include <netlink/msg.h>
#include <netlink/route/addr.h>
#include <netlink/route/route.h>

#include "reconciler/kernel/nl_handles.hpp"
#include "reconciler/kernel/nl_text.hpp"
#include "reconciler/kernel/read/rt_records.hpp"

namespace topo::observer {
namespace {

struct Ip {
  int family;
  unsigned char bytes[16];
  int len;
};

Ip ip(const char* text) {
  Ip a{};
  a.family = std::string(text).find(':') == std::string::npos ? AF_INET : AF_INET6;
  a.len = a.family == AF_INET ? 4 : 16;
  EXPECT_EQ(inet_pton(a.family, text, a.bytes), 1) << text;
  return a;
}

struct Hop {
  int oif;
  const char* via;  // nullptr: no gateway
  unsigned flags = 0;  // rtnh_flags
};

struct RouteMsg {
  int family = AF_INET;
  unsigned table = RT_TABLE_MAIN;
  bool table_attr = true;  // RTA_TABLE besides rtm_table, as kernels send
  int protocol = RTPROT_STATIC;
  const char* dst = nullptr;  // nullptr: default route
  int dst_len = 0;
  int oif = 0;
  const char* via = nullptr;
  std::vector<Hop> multipath;
  int priority = -1;  // -1: none sent
  unsigned flags = 0;  // rtm_flags: a single nexthop's RTNH_F_*
};

nl::Msg route_msg(const RouteMsg& m) {
  nl::Msg msg(nlmsg_alloc_simple(RTM_NEWROUTE, NLM_F_MULTI));
  rtmsg rtm{};
  rtm.rtm_family = static_cast<unsigned char>(m.family);
  rtm.rtm_table = static_cast<unsigned char>(m.table < 256 ? m.table : RT_TABLE_UNSPEC);
  rtm.rtm_protocol = static_cast<unsigned char>(m.protocol);
  rtm.rtm_dst_len = static_cast<unsigned char>(m.dst_len);
  rtm.rtm_type = RTN_UNICAST;
  rtm.rtm_flags = m.flags;
  EXPECT_EQ(nlmsg_append(msg.get(), &rtm, sizeof rtm, NLMSG_ALIGNTO), 0);
  if (m.table_attr) nla_put_u32(msg.get(), RTA_TABLE, m.table);
  if (m.dst) {
    const Ip d = ip(m.dst);
    nla_put(msg.get(), RTA_DST, d.len, d.bytes);
  }
  if (m.priority >= 0) nla_put_u32(msg.get(), RTA_PRIORITY, static_cast<uint32_t>(m.priority));
  if (m.oif) nla_put_u32(msg.get(), RTA_OIF, static_cast<uint32_t>(m.oif));
  if (m.via) {
    const Ip g = ip(m.via);
    nla_put(msg.get(), RTA_GATEWAY, g.len, g.bytes);
  }
  if (!m.multipath.empty()) {
    nlattr* nest = nla_nest_start(msg.get(), RTA_MULTIPATH);
    for (const Hop& h : m.multipath) {
      auto* nh = static_cast<rtnexthop*>(nlmsg_reserve(msg.get(), sizeof(rtnexthop), NLMSG_ALIGNTO));
      nh->rtnh_flags = static_cast<unsigned char>(h.flags);
      nh->rtnh_hops = 0;
      nh->rtnh_ifindex = h.oif;
      if (h.via) {
        const Ip g = ip(h.via);
        nla_put(msg.get(), RTA_GATEWAY, g.len, g.bytes);
      }
      nh->rtnh_len = static_cast<unsigned short>(static_cast<char*>(nlmsg_tail(nlmsg_hdr(msg.get()))) -
                                                 reinterpret_cast<char*>(nh));
    }
    nla_nest_end(msg.get(), nest);
  }
  return msg;
}

// What extract.cpp made of libnl's route object before the hand parse.
RouteRecord libnl_record(rtnl_route* rt) {
  RouteRecord r;
  r.table = rtnl_route_get_table(rt);
  r.protocol = rtnl_route_get_protocol(rt);
  r.dst = nl::cidr_of(rtnl_route_get_dst(rt));
  if (rtnl_route_get_nnexthops(rt) > 0) {
    rtnl_nexthop* nh = rtnl_route_nexthop_n(rt, 0);
    r.oif = rtnl_route_nh_get_ifindex(nh);
    r.via = nl::address_of(rtnl_route_nh_get_gateway(nh));
    r.onlink = (rtnl_route_nh_get_flags(nh) & RTNH_F_ONLINK) != 0;
  }
  return r;
}

RouteRecord libnl_route(const nl::Msg& msg) {
  rtnl_route* raw = nullptr;
  EXPECT_EQ(rtnl_route_parse(nlmsg_hdr(msg.get()), &raw), 0);
  nl::Route rt(raw);
  return libnl_record(rt.get());
}

RouteRecord parsed_route(const nl::Msg& msg) {
  std::optional<ParsedRoute> p = parse_route(nlmsg_hdr(msg.get()));
  EXPECT_TRUE(p.has_value());
  return p ? p->record : RouteRecord{};
}

void expect_route(const RouteRecord& r, unsigned table, int protocol, const std::string& dst, int oif,
                  const std::string& via) {
  EXPECT_EQ(r.table, table);
  EXPECT_EQ(r.protocol, protocol);
  EXPECT_EQ(r.dst, dst);
  EXPECT_EQ(r.oif, oif);
  EXPECT_EQ(r.via, via);
}

void expect_same(const RouteRecord& a, const RouteRecord& b) {
  expect_route(a, b.table, b.protocol, b.dst, b.oif, b.via);
  EXPECT_EQ(a.onlink, b.onlink);
}

TEST(RtRecords, Ipv4DefaultViaGateway) {
  RouteMsg m;
  m.protocol = 116;
  m.oif = 2;
  m.via = "10.0.0.1";
  const nl::Msg msg = route_msg(m);
  expect_route(parsed_route(msg), RT_TABLE_MAIN, 116, "0.0.0.0/0", 2, "10.0.0.1");
  expect_same(parsed_route(msg), libnl_route(msg));
}

TEST(RtRecords, Ipv4PrefixWithoutGateway) {
  RouteMsg m;
  m.protocol = RTPROT_KERNEL;
  m.dst = "10.0.3.0";
  m.dst_len = 24;
  m.oif = 7;
  const nl::Msg msg = route_msg(m);
  expect_route(parsed_route(msg), RT_TABLE_MAIN, RTPROT_KERNEL, "10.0.3.0/24", 7, "");
  expect_same(parsed_route(msg), libnl_route(msg));
}

TEST(RtRecords, Ipv6DefaultAndPrefix) {
  RouteMsg def;
  def.family = AF_INET6;
  def.oif = 3;
  def.via = "fe80::1";
  def.priority = 1024;
  const nl::Msg d = route_msg(def);
  expect_route(parsed_route(d), RT_TABLE_MAIN, RTPROT_STATIC, "::/0", 3, "fe80::1");
  expect_same(parsed_route(d), libnl_route(d));

  RouteMsg net;
  net.family = AF_INET6;
  net.dst = "fd00:0:0:12::";
  net.dst_len = 64;
  net.oif = 4;
  net.via = "fd00::1";
  const nl::Msg n = route_msg(net);
  expect_route(parsed_route(n), RT_TABLE_MAIN, RTPROT_STATIC, "fd00:0:0:12::/64", 4, "fd00::1");
  expect_same(parsed_route(n), libnl_route(n));
}

TEST(RtRecords, MultipathTakesTheFirstHop) {
  RouteMsg m;
  m.dst = "192.168.5.0";
  m.dst_len = 24;
  m.multipath = {{5, "10.1.0.1"}, {6, "10.2.0.1"}};
  const nl::Msg msg = route_msg(m);
  expect_route(parsed_route(msg), RT_TABLE_MAIN, RTPROT_STATIC, "192.168.5.0/24", 5, "10.1.0.1");
  expect_same(parsed_route(msg), libnl_route(msg));

  RouteMsg v6;  // first hop without a gateway
  v6.family = AF_INET6;
  v6.multipath = {{8, nullptr}, {9, "fd00::9"}};
  const nl::Msg msg6 = route_msg(v6);
  expect_route(parsed_route(msg6), RT_TABLE_MAIN, RTPROT_STATIC, "::/0", 8, "");
  expect_same(parsed_route(msg6), libnl_route(msg6));
}

// flannel's `10.50.2.0/24 via 10.50.2.0 dev vx onlink`: a single nexthop's
// flags come in rtm_flags, among others (here RTNH_F_LINKDOWN).
TEST(RtRecords, OnlinkFromTheHeaderFlags) {
  RouteMsg m;
  m.dst = "10.50.2.0";
  m.dst_len = 24;
  m.oif = 6;
  m.via = "10.50.2.0";
  m.flags = RTNH_F_ONLINK | RTNH_F_LINKDOWN;
  const nl::Msg msg = route_msg(m);
  expect_route(parsed_route(msg), RT_TABLE_MAIN, RTPROT_STATIC, "10.50.2.0/24", 6, "10.50.2.0");
  EXPECT_TRUE(parsed_route(msg).onlink);
  expect_same(parsed_route(msg), libnl_route(msg));

  m.flags = RTNH_F_LINKDOWN;  // another flag alone is no onlink
  const nl::Msg off = route_msg(m);
  EXPECT_FALSE(parsed_route(off).onlink);
  expect_same(parsed_route(off), libnl_route(off));

  RouteMsg v6;
  v6.family = AF_INET6;
  v6.dst = "fd00:50:2::";
  v6.dst_len = 64;
  v6.oif = 6;
  v6.via = "fd00:50:2::";
  v6.flags = RTNH_F_ONLINK;
  const nl::Msg msg6 = route_msg(v6);
  EXPECT_TRUE(parsed_route(msg6).onlink);
  expect_same(parsed_route(msg6), libnl_route(msg6));
}

// With several hops, the first hop's own flags count, not the header's.
TEST(RtRecords, OnlinkOfTheFirstHop) {
  RouteMsg m;
  m.dst = "10.50.0.0";
  m.dst_len = 16;
  m.multipath = {{5, "10.50.2.0", RTNH_F_ONLINK}, {6, "10.50.3.0", 0}};
  const nl::Msg msg = route_msg(m);
  EXPECT_TRUE(parsed_route(msg).onlink);
  expect_same(parsed_route(msg), libnl_route(msg));

  m.multipath = {{5, "10.50.2.0", 0}, {6, "10.50.3.0", RTNH_F_ONLINK}};
  m.flags = RTNH_F_ONLINK;
  const nl::Msg second = route_msg(m);
  EXPECT_FALSE(parsed_route(second).onlink);
  expect_same(parsed_route(second), libnl_route(second));
}

TEST(RtRecords, TableFromTheAttributeOverTheHeader) {
  RouteMsg m;
  m.table = 1000;  // above 255: only RTA_TABLE can say it
  m.oif = 2;
  const nl::Msg msg = route_msg(m);
  EXPECT_EQ(parsed_route(msg).table, 1000u);
  expect_same(parsed_route(msg), libnl_route(msg));

  RouteMsg local;
  local.table = RT_TABLE_LOCAL;
  local.table_attr = false;
  local.dst = "127.0.0.1";
  local.dst_len = 32;
  local.oif = 1;
  const nl::Msg l = route_msg(local);
  EXPECT_EQ(parsed_route(l).table, static_cast<unsigned>(RT_TABLE_LOCAL));
  expect_same(parsed_route(l), libnl_route(l));
}

TEST(RtRecords, NoNexthopAtAll) {
  RouteMsg m;  // e.g. an unreachable route: neither device nor gateway
  m.dst = "10.9.0.0";
  m.dst_len = 16;
  const nl::Msg msg = route_msg(m);
  expect_route(parsed_route(msg), RT_TABLE_MAIN, RTPROT_STATIC, "10.9.0.0/16", 0, "");
  expect_same(parsed_route(msg), libnl_route(msg));
}

TEST(RtRecords, ShortMessageIsNoRoute) {
  nl::Msg msg(nlmsg_alloc_simple(RTM_NEWROUTE, 0));
  unsigned char half[4] = {AF_INET, 0, 0, 0};
  nlmsg_append(msg.get(), half, sizeof half, NLMSG_ALIGNTO);
  EXPECT_FALSE(parse_route(nlmsg_hdr(msg.get())).has_value());
}

// What libnl's route cache kept of several replies, against fold_routes.
std::vector<RouteRecord> libnl_cache(const std::vector<RouteMsg>& msgs) {
  nl_cache* raw = nullptr;
  EXPECT_EQ(nl_cache_alloc_name("route/route", &raw), 0);
  nl::Cache cache(raw);
  // A refill skips what the cache's hash table refuses (NLE_EXIST).
  for (const RouteMsg& m : msgs) {
    const int r = nl_cache_parse_and_add(cache.get(), route_msg(m).get());
    EXPECT_TRUE(r == 0 || r == -NLE_EXIST) << r;
  }
  std::vector<RouteRecord> out;
  for (nl_object* o = nl_cache_get_first(cache.get()); o; o = nl_cache_get_next(o))
    out.push_back(libnl_record(reinterpret_cast<rtnl_route*>(o)));
  return out;
}

std::vector<RouteRecord> folded(const std::vector<RouteMsg>& msgs) {
  std::vector<ParsedRoute> parsed;
  for (const RouteMsg& m : msgs) parsed.push_back(*parse_route(nlmsg_hdr(route_msg(m).get())));
  return fold_routes(std::move(parsed));
}

void expect_same_list(const std::vector<RouteRecord>& a, const std::vector<RouteRecord>& b) {
  ASSERT_EQ(a.size(), b.size());
  for (std::size_t i = 0; i < a.size(); ++i) {
    SCOPED_TRACE(i);
    expect_same(a[i], b[i]);
  }
}

TEST(RtRecords, SameIdentityKeepsTheFirstRoute) {
  RouteMsg a;
  a.dst = "10.5.0.0";
  a.dst_len = 16;
  a.oif = 2;
  a.via = "10.0.0.1";
  RouteMsg other;
  other.dst = "10.6.0.0";
  other.dst_len = 16;
  other.oif = 2;
  RouteMsg b = a;  // appended with the same metric
  b.via = "10.0.0.2";
  const std::vector<RouteMsg> msgs{a, other, b};
  const std::vector<RouteRecord> got = folded(msgs);
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[0].via, "10.0.0.1");
  EXPECT_EQ(got[1].dst, "10.6.0.0/16");
  expect_same_list(got, libnl_cache(msgs));
}

TEST(RtRecords, PriorityTellsIpv6RoutesApart) {
  RouteMsg a;
  a.family = AF_INET6;
  a.dst = "fd00:5::";
  a.dst_len = 64;
  a.oif = 2;
  a.via = "fd00::1";
  a.priority = 1024;
  RouteMsg b = a;
  b.via = "fd00::2";
  RouteMsg other_metric = a;
  other_metric.priority = 100;
  const std::vector<RouteMsg> msgs{a, b, other_metric};
  const std::vector<RouteRecord> got = folded(msgs);
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[0].via, "fd00::1");
  EXPECT_EQ(got[1].via, "fd00::1");
  expect_same_list(got, libnl_cache(msgs));
}

nl::Msg addr_msg(int family, int ifindex, int prefixlen, const char* local, const char* address) {
  nl::Msg msg(nlmsg_alloc_simple(RTM_NEWADDR, NLM_F_MULTI));
  nlmsg_set_proto(msg.get(), NETLINK_ROUTE);  // what nl_msg_parse finds libnl's parser by
  ifaddrmsg ifa{};
  ifa.ifa_family = static_cast<unsigned char>(family);
  ifa.ifa_prefixlen = static_cast<unsigned char>(prefixlen);
  ifa.ifa_index = static_cast<unsigned>(ifindex);
  nlmsg_append(msg.get(), &ifa, sizeof ifa, NLMSG_ALIGNTO);
  if (address) {
    const Ip a = ip(address);
    nla_put(msg.get(), IFA_ADDRESS, a.len, a.bytes);
  }
  if (local) {
    const Ip a = ip(local);
    nla_put(msg.get(), IFA_LOCAL, a.len, a.bytes);
  }
  return msg;
}

// What extract.cpp made of libnl's address object, when it made a record.
std::optional<AddrRecord> libnl_addr(const nl::Msg& msg) {
  std::optional<AddrRecord> out;
  nl_msg_parse(msg.get(), [](nl_object* o, void* arg) {
    auto* a = reinterpret_cast<rtnl_addr*>(o);
    nl_addr* local = rtnl_addr_get_local(a);
    const std::string text = nl::address_of(local);
    if (text.empty()) return;
    AddrRecord r;
    r.ifindex = rtnl_addr_get_ifindex(a);
    r.cidr = text + "/" + std::to_string(rtnl_addr_get_prefixlen(a));
    if (nl_addr_get_family(local) == AF_INET6) {
      const auto* b = static_cast<const unsigned char*>(nl_addr_get_binary_addr(local));
      r.link_local = b[0] == 0xfe && (b[1] & 0xc0) == 0x80;
    }
    *static_cast<std::optional<AddrRecord>*>(arg) = r;
  }, &out);
  return out;
}

void expect_addr(const std::optional<AddrRecord>& a, int ifindex, const std::string& cidr, bool link_local) {
  SCOPED_TRACE(cidr);
  ASSERT_TRUE(a.has_value());
  EXPECT_EQ(a->ifindex, ifindex);
  EXPECT_EQ(a->cidr, cidr);
  EXPECT_EQ(a->link_local, link_local);
}

TEST(RtRecords, Ipv4AddressIsTheLocalOne) {
  const nl::Msg msg = addr_msg(AF_INET, 4, 24, "10.0.0.5", "10.0.0.5");
  expect_addr(parse_addr(nlmsg_hdr(msg.get())), 4, "10.0.0.5/24", false);
  { SCOPED_TRACE("libnl"); expect_addr(libnl_addr(msg), 4, "10.0.0.5/24", false); }
  // Point to point: IFA_ADDRESS is the peer's.
  const nl::Msg p2p = addr_msg(AF_INET, 4, 32, "10.0.0.5", "10.0.0.6");
  expect_addr(parse_addr(nlmsg_hdr(p2p.get())), 4, "10.0.0.5/32", false);
  { SCOPED_TRACE("libnl"); expect_addr(libnl_addr(p2p), 4, "10.0.0.5/32", false); }
}

TEST(RtRecords, Ipv6AddressesAndLinkLocal) {
  const nl::Msg ll = addr_msg(AF_INET6, 9, 64, nullptr, "fe80::a8c1:abff:fe12:3456");
  expect_addr(parse_addr(nlmsg_hdr(ll.get())), 9, "fe80::a8c1:abff:fe12:3456/64", true);
  { SCOPED_TRACE("libnl"); expect_addr(libnl_addr(ll), 9, "fe80::a8c1:abff:fe12:3456/64", true); }
  const nl::Msg global = addr_msg(AF_INET6, 9, 64, nullptr, "fd00::5");
  expect_addr(parse_addr(nlmsg_hdr(global.get())), 9, "fd00::5/64", false);
  { SCOPED_TRACE("libnl"); expect_addr(libnl_addr(global), 9, "fd00::5/64", false); }
}

// The kernel leaves out an IPv4 address of all zeros (inet_fill_ifaddr):
// libnl read that as 0.0.0.0, and so does the hand parse; an IPv6 one is
// no address at all.
TEST(RtRecords, AddressWithoutAttributes) {
  const nl::Msg v4 = addr_msg(AF_INET, 4, 8, nullptr, nullptr);
  expect_addr(parse_addr(nlmsg_hdr(v4.get())), 4, "0.0.0.0/8", false);
  { SCOPED_TRACE("libnl"); expect_addr(libnl_addr(v4), 4, "0.0.0.0/8", false); }
  const nl::Msg v6 = addr_msg(AF_INET6, 4, 64, nullptr, nullptr);
  EXPECT_FALSE(parse_addr(nlmsg_hdr(v6.get())).has_value());
  EXPECT_FALSE(libnl_addr(v6).has_value());
}

nl::Msg neigh_msg(int family, int ifindex, unsigned state, unsigned flags, const char* dst, const char* mac) {
  nl::Msg msg(nlmsg_alloc_simple(RTM_NEWNEIGH, NLM_F_MULTI));
  ndmsg ndm{};
  ndm.ndm_family = static_cast<unsigned char>(family);
  ndm.ndm_ifindex = ifindex;
  ndm.ndm_state = static_cast<uint16_t>(state);
  ndm.ndm_flags = static_cast<uint8_t>(flags);
  nlmsg_append(msg.get(), &ndm, sizeof ndm, NLMSG_ALIGNTO);
  if (dst) {
    const Ip a = ip(dst);
    nla_put(msg.get(), NDA_DST, a.len, a.bytes);
  }
  if (mac) {
    unsigned char b[6];
    EXPECT_EQ(std::sscanf(mac, "%hhx:%hhx:%hhx:%hhx:%hhx:%hhx", &b[0], &b[1], &b[2], &b[3], &b[4], &b[5]), 6);
    nla_put(msg.get(), NDA_LLADDR, sizeof b, b);
  }
  return msg;
}

// flannel's entry for a remote node's VTEP, and what the parse keeps of
// others: state and flags as they are (the dump and the decoder judge
// them), nothing for a bridge's FDB or an entry without an address.
TEST(RtRecords, NeighbourEntries) {
  const nl::Msg v4 = neigh_msg(AF_INET, 6, NUD_PERMANENT, 0, "10.50.2.0", "0A:58:0A:32:02:00");
  std::optional<NeighRecord> n = parse_neigh(nlmsg_hdr(v4.get()));
  ASSERT_TRUE(n.has_value());
  EXPECT_EQ(n->ifindex, 6);
  EXPECT_EQ(n->ip, "10.50.2.0");
  EXPECT_EQ(n->mac, "0a:58:0a:32:02:00");
  EXPECT_EQ(n->state, static_cast<unsigned>(NUD_PERMANENT));
  EXPECT_EQ(n->flags, 0u);

  const nl::Msg v6 = neigh_msg(AF_INET6, 7, NUD_STALE, NTF_ROUTER, "fd00:0050:0002::0", "02:00:00:00:00:07");
  n = parse_neigh(nlmsg_hdr(v6.get()));
  ASSERT_TRUE(n.has_value());
  EXPECT_EQ(n->ip, "fd00:50:2::") << "canonical text";
  EXPECT_EQ(n->state, static_cast<unsigned>(NUD_STALE));
  EXPECT_EQ(n->flags, static_cast<unsigned>(NTF_ROUTER));

  const nl::Msg incomplete = neigh_msg(AF_INET, 6, NUD_INCOMPLETE, 0, "10.50.9.9", nullptr);
  n = parse_neigh(nlmsg_hdr(incomplete.get()));
  ASSERT_TRUE(n.has_value());
  EXPECT_EQ(n->mac, "");

  const nl::Msg fdb = neigh_msg(AF_BRIDGE, 6, NUD_PERMANENT, NTF_SELF, "10.99.0.2", "00:00:00:00:00:00");
  EXPECT_FALSE(parse_neigh(nlmsg_hdr(fdb.get())).has_value());
  const nl::Msg no_dst = neigh_msg(AF_INET, 6, NUD_PERMANENT, 0, nullptr, "02:00:00:00:00:07");
  EXPECT_FALSE(parse_neigh(nlmsg_hdr(no_dst.get())).has_value());
  nl::Msg short_msg(nlmsg_alloc_simple(RTM_NEWNEIGH, 0));
  unsigned char half[4] = {AF_INET, 0, 0, 0};
  nlmsg_append(short_msg.get(), half, sizeof half, NLMSG_ALIGNTO);
  EXPECT_FALSE(parse_neigh(nlmsg_hdr(short_msg.get())).has_value());
}

}  // namespace
}  // namespace topo::observer
