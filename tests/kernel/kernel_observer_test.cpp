// The observer reads each namespace with one dump per object type, and only
// looks inside namespaces topo owns.
#include "kernel_support.hpp"
#include "reconciler/kernel/netlink_kernel.hpp"
#include "reconciler/kernel/read/observer.hpp"
#include "reconciler/kernel/socket_pool.hpp"
#include "reconciler/planner/focus.hpp"

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

// A focused read (issue 16) sees of its namespaces exactly what a full read
// sees, and reads no other namespace: no socket is opened there.
TEST_F(KernelObserver, AFocusedReadSeesItsNamespacesAsAFullReadDoes) {
  {
    auto k = make_netlink_kernel({netns_dir()});
    k->create(bridge_res("br0"));
    for (const char* name : {"a", "b", "c"}) {
      k->create(ns_res(name));
      k->create(veth_res(name, "eth0", std::string("v") + name, "br0"));
      k->create(addr_res(name, "eth0", "10.1.0.1/24"));
    }
  }
  SocketPool pool(netns_dir());
  observer::Observer obs(pool);
  const Observed full = obs.observe();
  obs.reset_counts();
  Focus f;
  f.namespaces = {"b", "gone"};  // one that does not exist is simply absent
  f.host_links = {"vb"};
  const Observed focused = obs.observe_focus(f);
  EXPECT_EQ(obs.counts().per_namespace.count("a"), 0u) << "a focused read dumped another namespace";
  EXPECT_EQ(obs.counts().per_namespace.count("c"), 0u);
  EXPECT_EQ(obs.counts().per_namespace.at("b"), 3);
  auto about_b = [](const Observed& o) {
    std::vector<std::string> out;
    for (const Resource& r : o.owned)
      if (container_of(r) == "b") out.push_back(r.key() + " " + r.attr(attr::master) + " " + r.attr(attr::peer) +
                                                " " + r.attr(attr::state));
    return out;
  };
  EXPECT_EQ(about_b(focused), about_b(full));
  EXPECT_EQ(about_b(focused).size(), 3u) << "namespace, veth (with its host end's master), address";
  for (const Resource& r : focused.owned) {
    EXPECT_NE(container_of(r), "a") << r.key();
    EXPECT_NE(r.name, "gone") << r.key();
  }
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
