// The observer reads each namespace with one dump per object type, and only
// looks inside namespaces topo owns.
#include "kernel_support.hpp"
#include "reconciler/kernel/netlink_kernel.hpp"
#include "reconciler/kernel/read/observer.hpp"
#include "reconciler/kernel/socket_pool.hpp"

namespace topo::test {
namespace {

class KernelObserver : public KernelTest {};

TEST_F(KernelObserver, OneDumpPerTypePerNamespace) {
  {
    auto k = make_netlink_kernel({netns_dir()});
    for (const char* name : {"a", "b"}) {
      k->create(ns_res(name));
      k->create(veth_res(name, "eth0", std::string("v") + name, ""));
      k->create(veth_res(name, "eth1", std::string("w") + name, ""));
      k->create(addr_res(name, "eth0", "10.1.0.1/24"));
      k->create(addr_res(name, "eth1", "10.2.0.1/24"));
    }
    k->create(bridge_res("br0"));
  }
  ASSERT_EQ(sh("ip netns add foreign"), 0);

  SocketPool pool(netns_dir());
  observer::Observer obs(pool);
  const Observed o = obs.observe();
  ASSERT_EQ(o.owned.size(), 1u + 2 * (1 + 2 + 2)) << "bridge + per ns: namespace, 2 links, 2 addresses";

  const auto& c = obs.counts();
  EXPECT_EQ(c.links, 4);   // host, a, b, foreign (its lo tells it is not ours)
  EXPECT_EQ(c.addrs, 3);   // host, a, b
  EXPECT_EQ(c.routes, 3);
  EXPECT_EQ(c.per_namespace.at(""), 3);
  EXPECT_EQ(c.per_namespace.at("a"), 3);
  EXPECT_EQ(c.per_namespace.at("b"), 3);
  EXPECT_EQ(c.per_namespace.at("foreign"), 1);

  // A second pass costs the same again, not more.
  obs.reset_counts();
  obs.observe();
  EXPECT_EQ(obs.counts().links, 4);
  EXPECT_EQ(obs.counts().addrs, 3);
}

TEST_F(KernelObserver, IgnoresLoAndLinkLocalAndUnmarkedRoutes) {
  auto k = make_netlink_kernel({netns_dir()});
  k->create(ns_res("web"));
  k->create(veth_res("web", "eth0", "vweb", ""));
  k->create(addr_res("web", "eth0", "fd00::5/64"));
  const Observed o = k->observe();
  for (const auto& r : o.owned) {
    EXPECT_NE(r.name, "lo") << r.key();
    EXPECT_EQ(r.attr(attr::address).rfind("fe80", 0), std::string::npos) << r.key();
    EXPECT_NE(r.kind, Kind::Route) << r.key();  // only kernel routes (connected) exist
  }
  EXPECT_NE(find(o, addr_res("web", "eth0", "fd00::5/64").key()), nullptr);
}

}  // namespace
}  // namespace topo::test
