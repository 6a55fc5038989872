// The route and address dumps (kernel/read/dumps.hpp) against a real kernel:
// the hand parse gives what libnl's caches gave on a plain socket (the
// observer's records before), and the route dump holds the main table only.
#include <net/if.h>

#include <vector>

#include <netlink/cache.h>
#include <netlink/route/addr.h>
#include <netlink/route/route.h>

#include "kernel_support.hpp"
#include "reconciler/kernel/nl_handles.hpp"
#include "reconciler/kernel/nl_text.hpp"
#include "reconciler/kernel/read/dumps.hpp"
#include "reconciler/kernel/socket_pool.hpp"

namespace topo::test {
namespace {

class KernelRouteAddrDump : public KernelTest {
 protected:
  void SetUp() override {
    KernelTest::SetUp();
    // A veth pair on the host with addresses and routes of every shape the
    // parse handles: via a gateway, without one, IPv6, multipath, another table.
    for (const char* cmd : {
             "ip link add t0 type veth peer name t1",
             "sysctl -qw net.ipv6.conf.t0.accept_dad=0 net.ipv6.conf.t1.accept_dad=0",
             "ip link set t0 up", "ip link set t1 up",
             "ip addr add 10.7.0.1/24 dev t0", "ip addr add 10.7.1.1 peer 10.7.1.2 dev t0",
             "ip addr add fd00:7::1/64 dev t0",
             "ip route add 10.6.0.0/16 via 10.7.0.2",
             "ip route add 10.4.0.0/16 nexthop via 10.7.0.2 dev t0 nexthop via 10.7.0.3 dev t0",
             "ip route add 10.5.0.0/16 dev t0 table 100",
             "ip -6 route add fd00:6::/64 via fd00:7::2",
             "ip -6 route add fd00:5::/64 dev t0 table 100",
         })
      ASSERT_EQ(sh(cmd), 0) << cmd;
  }
};

struct PlainSocket {
  nl::Socket sock{nl_socket_alloc()};
  PlainSocket() { EXPECT_EQ(nl_connect(sock.get(), NETLINK_ROUTE), 0); }
};

// What extract.cpp made of libnl's route cache, main table only.
std::vector<observer::RouteRecord> libnl_routes() {
  PlainSocket s;
  nl_cache* raw = nullptr;
  EXPECT_EQ(rtnl_route_alloc_cache(s.sock.get(), AF_UNSPEC, 0, &raw), 0);
  nl::Cache cache(raw);
  std::vector<observer::RouteRecord> out;
  for (nl_object* o = nl_cache_get_first(cache.get()); o; o = nl_cache_get_next(o)) {
    auto* rt = reinterpret_cast<rtnl_route*>(o);
    observer::RouteRecord r;
    r.table = rtnl_route_get_table(rt);
    if (r.table != RT_TABLE_MAIN) continue;
    r.protocol = rtnl_route_get_protocol(rt);
    r.dst = nl::cidr_of(rtnl_route_get_dst(rt));
    if (rtnl_route_get_nnexthops(rt) > 0) {
      rtnl_nexthop* nh = rtnl_route_nexthop_n(rt, 0);
      r.oif = rtnl_route_nh_get_ifindex(nh);
      r.via = nl::address_of(rtnl_route_nh_get_gateway(nh));
    }
    out.push_back(r);
  }
  return out;
}

// The same of libnl's address cache (a request strict checking refuses:
// hence the plain socket).
std::vector<observer::AddrRecord> libnl_addrs() {
  PlainSocket s;
  nl_cache* raw = nullptr;
  EXPECT_EQ(rtnl_addr_alloc_cache(s.sock.get(), &raw), 0);
  nl::Cache cache(raw);
  std::vector<observer::AddrRecord> out;
  for (nl_object* o = nl_cache_get_first(cache.get()); o; o = nl_cache_get_next(o)) {
    auto* a = reinterpret_cast<rtnl_addr*>(o);
    nl_addr* local = rtnl_addr_get_local(a);
    const std::string text = nl::address_of(local);
    if (text.empty()) continue;
    observer::AddrRecord r;
    r.ifindex = rtnl_addr_get_ifindex(a);
    r.cidr = text + "/" + std::to_string(rtnl_addr_get_prefixlen(a));
    if (nl_addr_get_family(local) == AF_INET6) {
      const auto* b = static_cast<const unsigned char*>(nl_addr_get_binary_addr(local));
      r.link_local = b[0] == 0xfe && (b[1] & 0xc0) == 0x80;
    }
    out.push_back(r);
  }
  return out;
}

std::string text(const observer::RouteRecord& r) {
  return std::to_string(r.table) + " " + std::to_string(r.protocol) + " " + r.dst + " dev " + std::to_string(r.oif) +
         " via " + r.via;
}

std::string text(const observer::AddrRecord& a) {
  return std::to_string(a.ifindex) + " " + a.cidr + (a.link_local ? " link-local" : "");
}

template <typename Record>
std::vector<std::string> texts(const std::vector<Record>& records) {
  std::vector<std::string> out;
  for (const auto& r : records) out.push_back(text(r));
  return out;
}

TEST_F(KernelRouteAddrDump, RoutesAreLibnlsMainTable) {
  SocketPool pool(netns_dir());
  const std::vector<observer::RouteRecord> got = observer::dump_routes(pool.get(""), "");
  EXPECT_EQ(texts(got), texts(libnl_routes()));
  const int t0 = static_cast<int>(if_nametoindex("t0"));
  auto has = [&](const std::string& line) {
    for (const auto& t : texts(got))
      if (t == line) return true;
    return false;
  };
  EXPECT_TRUE(has("254 3 10.6.0.0/16 dev " + std::to_string(t0) + " via 10.7.0.2"));
  EXPECT_TRUE(has("254 3 10.4.0.0/16 dev " + std::to_string(t0) + " via 10.7.0.2"));  // the first hop
  EXPECT_TRUE(has("254 3 fd00:6::/64 dev " + std::to_string(t0) + " via fd00:7::2"));
  EXPECT_TRUE(has("254 2 10.7.0.0/24 dev " + std::to_string(t0) + " via "));
  for (const auto& r : got) {
    EXPECT_EQ(r.table, static_cast<unsigned>(RT_TABLE_MAIN)) << text(r);
    EXPECT_NE(r.dst, "10.5.0.0/16");
    EXPECT_NE(r.dst, "fd00:5::/64");
  }
}

TEST_F(KernelRouteAddrDump, AddressesAreLibnls) {
  SocketPool pool(netns_dir());
  const std::vector<observer::AddrRecord> got = observer::dump_addrs(pool.get(""), "");
  EXPECT_EQ(texts(got), texts(libnl_addrs()));
  const std::string t0 = std::to_string(if_nametoindex("t0"));
  const std::vector<std::string> all = texts(got);
  auto has = [&](const std::string& line) { return std::find(all.begin(), all.end(), line) != all.end(); };
  EXPECT_TRUE(has(t0 + " 10.7.0.1/24"));
  EXPECT_TRUE(has(t0 + " 10.7.1.1/32"));  // the local end, not the peer
  EXPECT_TRUE(has(t0 + " fd00:7::1/64"));
  EXPECT_TRUE(has("1 127.0.0.1/8"));
  bool link_local = false;
  for (const auto& a : got) link_local |= a.link_local && a.ifindex == std::stoi(t0);
  EXPECT_TRUE(link_local) << "t0's fe80:: address";
}

}  // namespace
}  // namespace topo::test
