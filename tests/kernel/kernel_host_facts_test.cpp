// What the observer and the kernel layer report about the host besides
// topo's objects (issue 13 point 7): every host link name (host veth names
// are chosen among the free ones), VXLAN devices and bridge ports that are
// not topo's, and bound UDP sockets (/proc/net/udp, fed by hand and read live).
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>

#include "reconciler/kernel/udp_sockets.hpp"
#include "reconciler/observer/decode.hpp"
#include "reconciler/resources/ownership.hpp"

namespace topo {
namespace {

observer::LinkRecord link(int index, std::string name, std::string type, std::string alias, int master = 0) {
  observer::LinkRecord l;
  l.index = index;
  l.name = std::move(name);
  l.type = std::move(type);
  l.alias = std::move(alias);
  l.mtu = 1500;
  l.up = true;
  l.master = master;
  return l;
}

TEST(HostFactsDecode, ForeignVxlansBridgePortsAndEveryHostLinkName) {
  observer::Snapshot snap;
  auto vx = link(2, "vxfoo", "vxlan", "");
  vx.attrs = {{attr::vni, "42"}, {attr::port, "4789"}, {attr::local, "10.0.0.1"}};
  auto ours = link(3, "br-n", "bridge", std::string(ownership::kAliasPrefix) + "network/n");
  ours.group = ownership::kLinkGroup;
  auto tap = link(4, "tap0", "tun", "", 3);            // someone else's port on topo's bridge
  auto peer = link(5, "veth1234abcd", "veth", std::string(ownership::kPeerAliasPrefix) + "c1/eth0", 3);
  peer.group = ownership::kLinkGroup;
  auto ours_vx = link(6, "vx-00000001", "vxlan", std::string(ownership::kAliasPrefix) + "network/ov");
  ours_vx.group = ownership::kLinkGroup;
  ours_vx.attrs = {{attr::vni, "7"}};
  snap.host.links = {link(1, "lo", "", ""), vx, ours, tap, peer, ours_vx};
  const Observed o = observer::decode(snap);

  EXPECT_EQ(o.host_links,
            (std::set<std::string>{"lo", "vxfoo", "br-n", "tap0", "veth1234abcd", "vx-00000001"}));
  ASSERT_EQ(o.foreign_vxlans.size(), 1u);  // topo's own is not foreign
  EXPECT_EQ(o.foreign_vxlans[0].name, "vxfoo");
  EXPECT_EQ(o.foreign_vxlans[0].vni, 42u);
  EXPECT_EQ(o.foreign_vxlans[0].port, 4789u);
  EXPECT_EQ(o.foreign_vxlans[0].local, "10.0.0.1");
  EXPECT_TRUE(o.foreign_vxlans[0].up);
  // topo's host veth end is its own port, not another's.
  ASSERT_EQ(o.foreign_bridge_ports.count("br-n"), 1u);
  EXPECT_EQ(o.foreign_bridge_ports.at("br-n"), std::vector<std::string>{"tap0"});
}

// Text as Linux 6.x prints it (x86: the address words are little-endian).
TEST(UdpSockets, ProcNetUdpIsParsed) {
  const std::string udp =
      "   sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref "
      "pointer drops\n"
      " 3281: 00000000:12B5 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 13157 2 "
      "00000000a6c7817e 0\n"
      "  117: 0100007F:0035 00000000:0000 07 00000000:00000000 00:00000000 00000000   101        0 2468 2 "
      "0000000000000000 0\n"
      "  garbage line\n";
  const auto v4 = kops::parse_proc_net_udp(udp, 4);
  ASSERT_EQ(v4.size(), 2u);
  EXPECT_EQ(v4[0].local, "0.0.0.0");
  EXPECT_EQ(v4[0].port, 4789u);
  EXPECT_EQ(v4[0].uid, 0u);
  EXPECT_EQ(v4[0].inode, 13157u);
  EXPECT_EQ(v4[1].port, 53u);
  EXPECT_EQ(v4[1].uid, 101u);
  if (htonl(1) != 1) EXPECT_EQ(v4[1].local, "127.0.0.1");  // little-endian hosts

  const std::string udp6 =
      "  sl  local_address                         remote_address                        st tx_queue rx_queue tr "
      "tm->when retrnsmt   uid  timeout inode ref pointer drops\n"
      "  500: 00000000000000000000000000000000:12B5 00000000000000000000000000000000:0000 07 00000000:00000000 "
      "00:00000000 00000000     0        0 4242 2 0000000000000000 0\n";
  const auto v6 = kops::parse_proc_net_udp(udp6, 6);
  ASSERT_EQ(v6.size(), 1u);
  EXPECT_EQ(v6[0].family, 6);
  EXPECT_EQ(v6[0].local, "::");
  EXPECT_EQ(v6[0].port, 4789u);
  EXPECT_EQ(v6[0].inode, 4242u);
}

// Issue 15: a host port topo chooses avoids listening TCP sockets; the
// same table layout, only state 0A (LISTEN) kept.
TEST(TcpListeners, OnlyListeningSocketsAreKept) {
  const std::string tcp =
      "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n"
      "   0: 00000000:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 555 1 0 100 0 0 10 0\n"
      "   1: 0100007F:8000 0100007F:9C40 01 00000000:00000000 00:00000000 00000000     0        0 556 1 0 20 4 30 10 -1\n";
  const auto v4 = kops::parse_proc_net_tcp_listeners(tcp, 4);
  ASSERT_EQ(v4.size(), 1u);
  EXPECT_EQ(v4[0].port, 8080u);
  EXPECT_EQ(v4[0].local, "0.0.0.0");
}

TEST(TcpListeners, TheEphemeralRangeIsReadAsTheKernelPrintsIt) {
  EXPECT_EQ(kops::parse_port_range("32768\t60999\n"), (std::pair{32768, 60999}));
  EXPECT_FALSE(kops::parse_port_range(""));
  EXPECT_FALSE(kops::parse_port_range("60999 32768"));
  EXPECT_FALSE(kops::parse_port_range("0 70000"));
  // Live: the sandbox's namespace has one.
  EXPECT_TRUE(kops::read_ephemeral_port_range());
}

// Live: a listening socket this process opens is read back; a bound one
// that does not listen is not.
TEST(TcpListeners, AListeningSocketIsReadBack) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  ASSERT_GE(fd, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(47892);
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a), 0);
  auto has = [](const std::vector<UdpSocket>& v) {
    return std::any_of(v.begin(), v.end(), [](const UdpSocket& s) { return s.port == 47892; });
  };
  EXPECT_FALSE(has(kops::read_tcp_listeners()));
  ASSERT_EQ(::listen(fd, 1), 0);
  EXPECT_TRUE(has(kops::read_tcp_listeners()));
  ::close(fd);
}

// Live, in the sandbox's namespace: a socket this process binds is listed
// with its address and port.
TEST(UdpSockets, ABoundSocketIsReadBack) {
  const int fd = ::socket(AF_INET, SOCK_DGRAM, 0);
  ASSERT_GE(fd, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(47891);
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a), 0);
  const auto sockets = kops::read_udp_sockets();
  ::close(fd);
  const bool found = std::any_of(sockets.begin(), sockets.end(), [](const UdpSocket& s) {
    return s.family == 4 && s.port == 47891 && s.local == "127.0.0.1" && s.uid == ::getuid();
  });
  EXPECT_TRUE(found) << sockets.size() << " socket(s) read";
}

}  // namespace
}  // namespace topo
