// Bridge + veth + addresses + routes: created, observed back as desired,
// updated in place, removed; foreign objects stay foreign.
#include "kernel_support.hpp"
#include "reconciler/kernel/netlink_kernel.hpp"

namespace topo::test {
namespace {

// What a desired resource would say: without the attributes only the
// observer reports (the host end's MAC the kernel picked).
std::map<std::string, std::string> as_desired(const Resource& observed) {
  auto attrs = observed.attrs;
  attrs.erase(attr::peer_mac);
  return attrs;
}

class KernelTopology : public KernelTest {
 protected:
  void SetUp() override {
    KernelTest::SetUp();
    k = make_netlink_kernel({netns_dir()});
  }
  void TearDown() override {
    k.reset();
    KernelTest::TearDown();
  }

  // One network with one container, dual stack, with a default route each way.
  std::vector<Resource> wanted() const {
    return {
        ns_res("web"),
        bridge_res("br-net1", "1400", "02:42:ac:0a:00:01"),
        veth_res("web", "eth0", "vethweb0", "br-net1", "1400", "02:42:ac:0a:00:02"),
        addr_res("", "br-net1", "172.10.0.1/24"),
        addr_res("", "br-net1", "fd00:10::1/64"),
        addr_res("web", "eth0", "172.10.0.2/24"),
        addr_res("web", "eth0", "fd00:10::2/64"),
        route_res("web", "default", "eth0", "172.10.0.1"),
        route_res("web", "default6", "eth0", "fd00:10::1"),
        route_res("web", "10.99.0.0/16", "eth0", "172.10.0.1"),
    };
  }

  void create_all() {
    for (const auto& r : wanted()) ASSERT_NO_THROW(k->create(r)) << r.key();
  }

  std::unique_ptr<Kernel> k;
};

TEST_F(KernelTopology, ObservedEqualsDesired) {
  create_all();
  const Observed o = k->observe();
  for (const auto& want : wanted()) {
    const Resource* got = find(o, want.key());
    ASSERT_NE(got, nullptr) << "missing " << want.key();
    EXPECT_EQ(as_desired(*got), want.attrs) << want.key();
  }
  EXPECT_EQ(find(o, veth_res("web", "eth0", "", "").key())->origin, "attachment/web/eth0");
  EXPECT_EQ(find(o, bridge_res("br-net1").key())->origin, "network/br-net1");
  // Nothing owned beyond what was asked for (the host end is not a resource).
  EXPECT_EQ(o.owned.size(), wanted().size());
  for (size_t i = 1; i < o.owned.size(); ++i) EXPECT_LT(o.owned[i - 1].key(), o.owned[i].key());

  // And it carries traffic.
  EXPECT_EQ(sh("ip netns exec web ping -c1 -W2 172.10.0.1"), 0) << sh_out("ip -n web addr; ip -n web route");
  EXPECT_EQ(sh("ip netns exec web ping -6 -c1 -W2 fd00:10::1"), 0);
}

// An undo that makes a deleted pair again gives the host end its old MAC,
// which the observer reports as peer_mac.
TEST_F(KernelTopology, AVethMadeWithAPeerMacGetsItOnTheHostEnd) {
  create_all();
  const Observed first = k->observe();
  const Resource* seen = find(first, veth_res("web", "eth0", "", "").key());
  ASSERT_NE(seen, nullptr);
  const std::string kernel_mac = seen->attr(attr::peer_mac);
  EXPECT_NE(sh_out("ip -o link show vethweb0").find(kernel_mac), std::string::npos) << kernel_mac;
  ASSERT_NO_THROW(k->remove(*seen));
  Resource again = *seen;
  again.attrs[attr::peer_mac] = "02:aa:bb:cc:dd:ee";
  ASSERT_NO_THROW(k->create(again));
  EXPECT_NE(sh_out("ip -o link show vethweb0").find("02:aa:bb:cc:dd:ee"), std::string::npos)
      << sh_out("ip -o link show vethweb0");
  const Observed second = k->observe();
  const Resource* back = find(second, again.key());
  ASSERT_NE(back, nullptr);
  EXPECT_EQ(back->attr(attr::peer_mac), "02:aa:bb:cc:dd:ee");
}

TEST_F(KernelTopology, MarksAreOnTheKernelObjects) {
  create_all();
  EXPECT_NE(sh_out("ip -d link show br-net1").find("alias topo:network/br-net1"), std::string::npos);
  EXPECT_NE(sh_out("ip -d link show vethweb0").find("alias topo-peer:web/eth0"), std::string::npos);
  EXPECT_NE(sh_out("ip -d link show vethweb0").find("master br-net1"), std::string::npos);
  EXPECT_NE(sh_out("ip -n web -d link show eth0").find("alias topo:attachment/web/eth0"), std::string::npos);
  EXPECT_NE(sh_out("ip -n web route show default").find("proto 116"), std::string::npos);
}

TEST_F(KernelTopology, CreateAgainIsIdempotent) {
  create_all();
  for (const auto& r : wanted()) EXPECT_NO_THROW(k->create(r)) << r.key();
}

TEST_F(KernelTopology, UpdateMtuInPlace) {
  create_all();
  const std::string br_index = sh_out("ip -o link show br-net1 | cut -d: -f1");
  const std::string eth_index = sh_out("ip -n web -o link show eth0 | cut -d: -f1");
  Observed before = k->observe();

  Resource br = bridge_res("br-net1", "1300", "02:42:ac:0a:00:01");
  k->update(*find(before, br.key()), br);
  Resource veth = veth_res("web", "eth0", "vethweb0", "br-net1", "1300", "02:42:ac:0a:00:02");
  k->update(*find(before, veth.key()), veth);

  const Observed after = k->observe();
  EXPECT_EQ(find(after, br.key())->attr(attr::mtu), "1300");
  EXPECT_EQ(find(after, veth.key())->attr(attr::mtu), "1300");
  EXPECT_NE(sh_out("ip link show vethweb0").find("mtu 1300"), std::string::npos) << "host end not changed";
  // In place: the same kernel objects.
  EXPECT_EQ(sh_out("ip -o link show br-net1 | cut -d: -f1"), br_index);
  EXPECT_EQ(sh_out("ip -n web -o link show eth0 | cut -d: -f1"), eth_index);
}

TEST_F(KernelTopology, UpdateStateMasterAndRoute) {
  create_all();
  ASSERT_NO_THROW(k->create(bridge_res("br-net2")));
  Observed before = k->observe();

  Resource route = route_res("web", "10.99.0.0/16", "eth0", "172.10.0.3");
  k->update(*find(before, route.key()), route);
  const Observed mid = k->observe();  // named: a pointer into a temporary would dangle
  const Resource* r = find(mid, route.key());
  ASSERT_NE(r, nullptr);
  EXPECT_EQ(r->attrs, route.attrs);

  Resource veth = veth_res("web", "eth0", "vethweb0", "br-net2", "1400", "02:42:ac:0a:00:02");
  veth.attrs[attr::state] = "down";
  k->update(*find(before, veth.key()), veth);
  const Observed after = k->observe();
  const Resource* v = find(after, veth.key());
  ASSERT_NE(v, nullptr);
  EXPECT_EQ(as_desired(*v), veth.attrs);
  // Both ends went down, not just the container end.
  EXPECT_EQ(sh_out("ip -o link show vethweb0").find("UP"), std::string::npos);
  // The kernel drops IPv4 routes through a link that goes down.
  EXPECT_EQ(find(after, route.key()), nullptr);
}

TEST_F(KernelTopology, RemoveInReverseOrderLeavesNothing) {
  create_all();
  auto all = wanted();
  for (auto it = all.rbegin(); it != all.rend(); ++it) ASSERT_NO_THROW(k->remove(*it)) << it->key();
  const Observed o = k->observe();
  EXPECT_TRUE(o.owned.empty()) << o.owned.front().key();
  EXPECT_NE(sh("ip link show vethweb0"), 0);
}

TEST_F(KernelTopology, RemoveOfMissingObjectsIsFine) {
  EXPECT_NO_THROW(k->remove(bridge_res("br-none")));
  EXPECT_NO_THROW(k->remove(veth_res("nons", "eth0", "vnone", "")));
  EXPECT_NO_THROW(k->remove(addr_res("", "br-none", "10.1.1.1/24")));
  EXPECT_NO_THROW(k->remove(route_res("", "10.77.0.0/16", "", "")));
  create_all();
  // Present namespace and link, absent address and route.
  EXPECT_NO_THROW(k->remove(addr_res("web", "eth0", "172.10.0.9/24")));
  EXPECT_NO_THROW(k->remove(route_res("web", "10.88.0.0/16", "eth0", "172.10.0.1")));
  EXPECT_NO_THROW(k->remove(veth_res("web", "eth9", "vnone", "")));
}

TEST_F(KernelTopology, ForeignLinkWithClashingNameIsForeignAndNotTakenOver) {
  ASSERT_EQ(sh("ip link add br-net1 type bridge && ip addr add 10.5.0.1/24 dev br-net1"), 0);
  const Observed o = k->observe();
  const std::string key = bridge_res("br-net1").key();
  EXPECT_EQ(o.foreign.count(key), 1u);
  EXPECT_EQ(find(o, key), nullptr);
  for (const auto& r : o.owned) EXPECT_NE(r.kind, Kind::Address) << r.key();

  try {
    k->create(bridge_res("br-net1"));
    FAIL() << "took over a foreign bridge";
  } catch (const KernelError& e) {
    EXPECT_EQ(e.err(), EEXIST) << e.what();
    EXPECT_EQ(e.object(), key);
    EXPECT_NE(std::string(e.what()).find("File exists"), std::string::npos) << e.what();
  }
  EXPECT_EQ(sh_out("ip -d link show br-net1").find("alias"), std::string::npos) << "mark was set on a foreign link";
  try {
    k->remove(bridge_res("br-net1"));
    FAIL() << "removed a foreign bridge";
  } catch (const KernelError& e) {
    EXPECT_EQ(e.err(), EPERM) << e.what();
  }
  EXPECT_EQ(sh("ip link show br-net1"), 0);
}

TEST_F(KernelTopology, ExistingAddressOnForeignLinkIsAnError) {
  ASSERT_EQ(sh("ip link add fbr type bridge && ip addr add 10.5.0.1/24 dev fbr"), 0);
  try {
    k->create(addr_res("", "fbr", "10.5.0.1/24"));
    FAIL() << "accepted an address on a foreign link as ours";
  } catch (const KernelError& e) {
    EXPECT_EQ(e.err(), EEXIST) << e.what();
  }
}

TEST_F(KernelTopology, ForeignVethPeerNameIsAnError) {
  ASSERT_NO_THROW(k->create(ns_res("web")));
  ASSERT_NO_THROW(k->create(bridge_res("br-net1")));
  ASSERT_EQ(sh("ip link add vethweb0 type bridge"), 0);
  try {
    k->create(veth_res("web", "eth0", "vethweb0", "br-net1"));
    FAIL() << "veth created over a foreign peer name";
  } catch (const KernelError& e) {
    EXPECT_EQ(e.err(), EEXIST) << e.what();
  }
  EXPECT_NE(sh("ip -n web link show eth0"), 0);
}

TEST_F(KernelTopology, ForeignRouteIsAnError) {
  create_all();
  ASSERT_EQ(sh("ip -n web route add 10.66.0.0/16 via 172.10.0.1"), 0);
  const Observed o = k->observe();
  EXPECT_EQ(o.foreign.count(route_res("web", "10.66.0.0/16", "", "").key()), 1u);
  try {
    k->create(route_res("web", "10.66.0.0/16", "eth0", "172.10.0.1"));
    FAIL() << "took over a foreign route";
  } catch (const KernelError& e) {
    EXPECT_EQ(e.err(), EEXIST) << e.what();
  }
  // Removing "our" route of that name must not remove the foreign one.
  EXPECT_NO_THROW(k->remove(route_res("web", "10.66.0.0/16", "eth0", "172.10.0.1")));
  EXPECT_NE(sh_out("ip -n web route show 10.66.0.0/16"), "");
}

TEST_F(KernelTopology, HandDeletedHostVethDisappears) {
  create_all();
  ASSERT_EQ(sh("ip link del vethweb0"), 0);
  const Observed o = k->observe();
  EXPECT_EQ(find(o, veth_res("web", "eth0", "", "").key()), nullptr);
  for (const auto& r : o.owned) EXPECT_FALSE(r.ns == "web" && r.kind != Kind::Namespace) << r.key();
  EXPECT_NE(find(o, ns_res("web").key()), nullptr);
  // And it can be made again.
  EXPECT_NO_THROW(k->create(wanted()[2]));
}

TEST_F(KernelTopology, HostEndDownShowsAsDown) {
  create_all();
  ASSERT_EQ(sh("ip link set vethweb0 down"), 0);
  const Observed now = k->observe();  // named: a pointer into a temporary would dangle
  const Resource* v = find(now, veth_res("web", "eth0", "", "").key());
  ASSERT_NE(v, nullptr);
  EXPECT_EQ(v->attr(attr::state), "down");
}

// Issue 16: a bridge port's host end never gets IPv6 of its own (no
// link-local address, no routes), which kept the kernel's walks of the
// host's IPv6 routing table from growing with every container; it comes up
// all the same and carries traffic.
TEST_F(KernelTopology, ABridgePortsHostEndHasNoIpv6OfItsOwn) {
  create_all();
  EXPECT_EQ(sh_out("cat /proc/sys/net/ipv6/conf/vethweb0/disable_ipv6"), "1\n");
  EXPECT_EQ(sh_out("ip -6 -o addr show dev vethweb0"), "") << "the host end got an IPv6 address";
  EXPECT_EQ(sh_out("ip -6 route show table all dev vethweb0"), "");
  EXPECT_NE(sh_out("ip -o link show vethweb0").find(",UP,"), std::string::npos) << sh_out("ip -o link show vethweb0");
  EXPECT_NE(sh_out("ip -o link show vethweb0").find("master br-net1"), std::string::npos);
  // The container end keeps its IPv6 (the bridge's members talk IPv6 over it).
  EXPECT_EQ(sh_out("ip netns exec web cat /proc/sys/net/ipv6/conf/eth0/disable_ipv6"), "0\n");
}

// A bridge keeps the address it was made with: it does not take a port's
// lower one, nor change when that port goes (which would leave the other
// members' ARP entries for the gateway pointing at a MAC no one has).
TEST_F(KernelTopology, ABridgeKeepsItsOwnMacAsPortsComeAndGo) {
  k->create(bridge_res("br0"));
  const std::string before = sh_out("cat /sys/class/net/br0/address");
  ASSERT_EQ(before.size(), 18u) << before;
  EXPECT_EQ(std::stoi(before.substr(0, 2), nullptr, 16) & 0x03, 0x02) << "locally administered unicast: " << before;
  ASSERT_EQ(sh("ip link add p1 address 02:00:00:00:00:01 type veth peer name p1b && ip link set p1 master br0 && "
               "ip link set p1 up && ip link add p2 address 02:00:00:00:00:02 type veth peer name p2b && "
               "ip link set p2 master br0 && ip link set p2 up"),
            0);
  EXPECT_EQ(sh_out("cat /sys/class/net/br0/address"), before) << "took a port's address";
  ASSERT_EQ(sh("ip link del p1"), 0);
  EXPECT_EQ(sh_out("cat /sys/class/net/br0/address"), before) << "changed when a port went";
  ASSERT_EQ(sh("ip link del p2"), 0);
}

TEST_F(KernelTopology, ErrorsNameOperationObjectAndErrno) {
  ASSERT_NO_THROW(k->create(ns_res("web")));
  try {
    k->create(addr_res("web", "eth7", "10.0.0.1/24"));
    FAIL() << "address on a missing link";
  } catch (const KernelError& e) {
    EXPECT_EQ(e.op(), "create address");
    EXPECT_EQ(e.object(), addr_res("web", "eth7", "10.0.0.1/24").key());
    EXPECT_EQ(e.err(), ENODEV);
    EXPECT_NE(std::string(e.what()).find("No such device"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace topo::test
