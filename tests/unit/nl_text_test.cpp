// libnl addresses as the text records hold (kernel/nl_text.hpp).
#include <sys/socket.h>

#include <gtest/gtest.h>
#include <netlink/addr.h>

#include "reconciler/kernel/nl_handles.hpp"
#include "reconciler/kernel/nl_text.hpp"

namespace topo::nl {
namespace {

TEST(NlText, MacIsSixBytesInLowerCaseHex) {
  unsigned char mac[6] = {0x0a, 0x1b, 0xc2, 0xd3, 0xe4, 0xff};
  Address a(nl_addr_build(AF_LLC, mac, sizeof mac));
  EXPECT_EQ(mac_of(a.get()), "0a:1b:c2:d3:e4:ff");
  unsigned char zeros[6] = {};
  Address z(nl_addr_build(AF_LLC, zeros, sizeof zeros));
  EXPECT_EQ(mac_of(z.get()), "00:00:00:00:00:00");
  Address shorter(nl_addr_build(AF_LLC, mac, 4));
  EXPECT_EQ(mac_of(shorter.get()), "");
  EXPECT_EQ(mac_of(nullptr), "");
}

TEST(NlText, AddressTextOnlyForWholeIpv4AndIpv6) {
  const unsigned char v4[4] = {10, 0, 0, 1};
  EXPECT_EQ(address_text(AF_INET, v4, 4), "10.0.0.1");
  EXPECT_EQ(address_text(AF_INET, v4, 3), "");
  EXPECT_EQ(address_text(AF_INET6, v4, 4), "");
  unsigned char v6[16] = {0xfe, 0x80};
  v6[15] = 1;
  EXPECT_EQ(address_text(AF_INET6, v6, 16), "fe80::1");
}

}  // namespace
}  // namespace topo::nl
