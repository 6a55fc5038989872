#include <gtest/gtest.h>
#include <linux/neighbour.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>
#include <linux/netfilter/nfnetlink.h>
#include <net/if.h>
#include <linux/netconf.h>
#include <linux/rtnetlink.h>
#include <sys/socket.h>

#include <cstring>
#include <string>
#include <vector>

#include "reconciler/watcher/event_filter.hpp"

namespace topo::watcher {
namespace {

// Whether a buffer holds anything worth a look.
bool relevant_rtnl_batch(const void* buf, size_t len) { return !rtnl_events(buf, len).empty(); }

// One rtnetlink message: header, family body, optional int32 attribute.
template <typename Body>
std::vector<char> message(uint16_t type, const Body& body, int attr_type = -1, int32_t attr_value = 0) {
  const size_t body_len = NLMSG_ALIGN(sizeof(Body));
  const size_t attr_len = attr_type < 0 ? 0 : RTA_SPACE(sizeof(int32_t));
  std::vector<char> buf(NLMSG_SPACE(body_len + attr_len), 0);
  auto* h = reinterpret_cast<nlmsghdr*>(buf.data());
  h->nlmsg_len = static_cast<uint32_t>(NLMSG_LENGTH(body_len + attr_len));
  h->nlmsg_type = type;
  std::memcpy(NLMSG_DATA(h), &body, sizeof(Body));
  if (attr_type >= 0) {
    auto* a = reinterpret_cast<rtattr*>(static_cast<char*>(NLMSG_DATA(h)) + body_len);
    a->rta_type = static_cast<unsigned short>(attr_type);
    a->rta_len = static_cast<unsigned short>(RTA_LENGTH(sizeof(int32_t)));
    std::memcpy(RTA_DATA(a), &attr_value, sizeof attr_value);
  }
  return buf;
}

TEST(EventFilter, ForwardingSwitchedForTheWholeNamespaceWakesThePass) {
  netconfmsg m{};
  m.ncm_family = AF_INET;
  auto all = message(RTM_NEWNETCONF, m, NETCONFA_IFINDEX, NETCONFA_IFINDEX_ALL);
  EXPECT_TRUE(relevant_rtnl_batch(all.data(), all.size()));
  auto dflt = message(RTM_NEWNETCONF, m, NETCONFA_IFINDEX, NETCONFA_IFINDEX_DEFAULT);
  EXPECT_TRUE(relevant_rtnl_batch(dflt.data(), dflt.size()));
}

TEST(EventFilter, ANewLinksOwnNetconfIsChatter) {
  netconfmsg m{};
  m.ncm_family = AF_INET6;
  auto dev = message(RTM_NEWNETCONF, m, NETCONFA_IFINDEX, 7);
  EXPECT_FALSE(relevant_rtnl_batch(dev.data(), dev.size()));
}

TEST(EventFilter, NeighbourStateIsChatterButBridgeFdbIsNot) {
  ndmsg n{};
  n.ndm_family = AF_INET;
  auto arp = message(RTM_NEWNEIGH, n);
  EXPECT_FALSE(relevant_rtnl_batch(arp.data(), arp.size()));
  n.ndm_family = AF_BRIDGE;
  auto fdb = message(RTM_NEWNEIGH, n);
  EXPECT_TRUE(relevant_rtnl_batch(fdb.data(), fdb.size()));
}

// A permanent ARP/ND entry is someone's on purpose (topo's on its VXLAN
// devices); the kernel tells a removal as FAILED whatever the entry was, so
// every removal counts, but no other cache state does.
TEST(EventFilter, PermanentNeighboursAndRemovalsAreNotChatter) {
  ndmsg n{};
  n.ndm_family = AF_INET;
  n.ndm_ifindex = 6;
  n.ndm_state = NUD_PERMANENT;
  auto added = message(RTM_NEWNEIGH, n);
  auto events = rtnl_events(added.data(), added.size());
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].what, KernelEvent::What::Neighbour);
  EXPECT_EQ(events[0].ifindex, 6);
  EXPECT_FALSE(events[0].deleted);

  n.ndm_state = NUD_FAILED;
  auto removed = message(RTM_DELNEIGH, n);
  events = rtnl_events(removed.data(), removed.size());
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].what, KernelEvent::What::Neighbour);
  EXPECT_TRUE(events[0].deleted);

  auto failed = message(RTM_NEWNEIGH, n);  // the same removal's first message, or an ARP that went unanswered
  EXPECT_FALSE(relevant_rtnl_batch(failed.data(), failed.size()));
  n.ndm_family = AF_INET6;
  n.ndm_state = NUD_STALE;
  auto stale = message(RTM_NEWNEIGH, n);
  EXPECT_FALSE(relevant_rtnl_batch(stale.data(), stale.size()));
  n.ndm_state = NUD_PERMANENT;
  n.ndm_flags = NTF_PROXY;  // a proxy entry: another table, never topo's
  auto proxy = message(RTM_NEWNEIGH, n);
  EXPECT_FALSE(relevant_rtnl_batch(proxy.data(), proxy.size()));
}

// A message of `type` with a family body and attributes given as bytes.
template <typename Body>
std::vector<char> with_attrs(uint16_t type, const Body& body, const std::vector<std::pair<int, std::string>>& attrs) {
  std::vector<char> buf(NLMSG_SPACE(NLMSG_ALIGN(sizeof(Body))), 0);
  std::memcpy(buf.data() + NLMSG_HDRLEN, &body, sizeof(Body));
  for (const auto& [t, v] : attrs) {
    const size_t at = buf.size();
    buf.resize(at + RTA_SPACE(v.size()), 0);
    auto* a = reinterpret_cast<rtattr*>(buf.data() + at);
    a->rta_type = static_cast<unsigned short>(t);
    a->rta_len = static_cast<unsigned short>(RTA_LENGTH(v.size()));
    std::memcpy(RTA_DATA(a), v.data(), v.size());
  }
  auto* h = reinterpret_cast<nlmsghdr*>(buf.data());
  h->nlmsg_len = static_cast<uint32_t>(buf.size());
  h->nlmsg_type = type;
  return buf;
}

std::string u32(uint32_t v) { return std::string(reinterpret_cast<const char*>(&v), sizeof v); }
std::string cstr(const std::string& s) { return s + '\0'; }

TEST(EventFilter, ALinkNotificationSaysWhichLinkAndHowItIs) {
  ifinfomsg i{};
  i.ifi_index = 12;
  i.ifi_flags = IFF_UP;
  auto msg = with_attrs(RTM_DELLINK, i,
                        {{IFLA_IFNAME, cstr("veth1a2b")}, {IFLA_MTU, u32(1450)}, {IFLA_IFALIAS, cstr("topo-peer:c1/eth0")},
                         {IFLA_GROUP, u32(7)}});
  auto events = rtnl_events(msg.data(), msg.size());
  ASSERT_EQ(events.size(), 1u);
  const KernelEvent& e = events.front();
  EXPECT_EQ(e.what, KernelEvent::What::Link);
  EXPECT_TRUE(e.deleted);
  EXPECT_EQ(e.ifindex, 12);
  EXPECT_EQ(e.name, "veth1a2b");
  EXPECT_EQ(e.alias, "topo-peer:c1/eth0");
  EXPECT_EQ(e.mtu, 1450u);
  EXPECT_EQ(e.group, 7u);
  EXPECT_TRUE(e.up);
}

TEST(EventFilter, ABridgePortsStateIsChatter) {
  ifinfomsg i{};
  i.ifi_family = AF_BRIDGE;
  i.ifi_index = 12;
  auto port = with_attrs(RTM_NEWLINK, i, {{IFLA_IFNAME, cstr("veth1a2b")}, {IFLA_MASTER, u32(4)}});
  EXPECT_TRUE(rtnl_events(port.data(), port.size()).empty());
  i.ifi_family = AF_UNSPEC;
  auto link = with_attrs(RTM_NEWLINK, i, {{IFLA_IFNAME, cstr("veth1a2b")}, {IFLA_MASTER, u32(4)}});
  EXPECT_EQ(rtnl_events(link.data(), link.size()).size(), 1u);
}

TEST(EventFilter, AnAddressOrRouteNamesItsDevice) {
  ifaddrmsg a{};
  a.ifa_family = AF_INET;
  a.ifa_index = 5;
  auto addr = with_attrs(RTM_NEWADDR, a, {});
  auto events = rtnl_events(addr.data(), addr.size());
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].what, KernelEvent::What::Address);
  EXPECT_EQ(events[0].ifindex, 5);
  rtmsg r{};
  r.rtm_family = AF_INET;
  r.rtm_table = RT_TABLE_MAIN;
  r.rtm_protocol = RTPROT_STATIC;
  auto route = with_attrs(RTM_DELROUTE, r, {{RTA_OIF, u32(9)}});
  events = rtnl_events(route.data(), route.size());
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].what, KernelEvent::What::Route);
  EXPECT_TRUE(events[0].deleted);
  EXPECT_EQ(events[0].ifindex, 9);
  r.rtm_protocol = RTPROT_KERNEL;
  auto kernels = with_attrs(RTM_NEWROUTE, r, {{RTA_OIF, u32(9)}});
  EXPECT_TRUE(rtnl_events(kernels.data(), kernels.size()).empty()) << "the kernel's own route is chatter";
}

TEST(EventFilter, OnlyNftablesChangesToTopoTableCount) {
  nfgenmsg g{};
  g.nfgen_family = NFPROTO_INET;
  auto rule_of = [&](const std::string& table) {
    return with_attrs(static_cast<uint16_t>((NFNL_SUBSYS_NFTABLES << 8) | NFT_MSG_NEWRULE), g,
                      {{NFTA_RULE_TABLE, cstr(table)}, {NFTA_RULE_CHAIN, cstr("forward")}});
  };
  auto ours = rule_of("topo");
  EXPECT_TRUE(nft_batch_concerns(ours.data(), ours.size(), "topo"));
  auto theirs = rule_of("docker");
  EXPECT_FALSE(nft_batch_concerns(theirs.data(), theirs.size(), "topo"));
  auto gen = with_attrs(static_cast<uint16_t>((NFNL_SUBSYS_NFTABLES << 8) | NFT_MSG_NEWGEN), g, {{1, u32(42)}});
  EXPECT_FALSE(nft_batch_concerns(gen.data(), gen.size(), "topo")) << "every transaction ends with one";
  std::vector<char> both = theirs;
  both.insert(both.end(), ours.begin(), ours.end());
  EXPECT_TRUE(nft_batch_concerns(both.data(), both.size(), "topo"));
}

}  // namespace
}  // namespace topo::watcher
