#include <gtest/gtest.h>
#include <linux/neighbour.h>
#include <linux/netconf.h>
#include <linux/rtnetlink.h>
#include <sys/socket.h>

#include <cstring>
#include <vector>

#include "reconciler/watcher/event_filter.hpp"

namespace topo::watcher {
namespace {

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

}  // namespace
}  // namespace topo::watcher
