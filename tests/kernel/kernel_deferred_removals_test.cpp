// Removals inside a namespace wait for the namespace's own removal, which
// takes them along (deferred_removals.hpp); any other call flushes them first.
#include "kernel_support.hpp"
#include "reconciler/kernel/deferred_removals.hpp"
#include "reconciler/kernel/netlink_kernel.hpp"

namespace topo::test {
namespace {

class KernelDeferredRemovals : public KernelTest {};

TEST(DeferredRemovals, OnlyThingsInsideANamespaceWaitAndNamespacesTakeTheirOwn) {
  DeferredRemovals q;
  EXPECT_FALSE(q.defer(bridge_res("br0")));         // host: at once
  EXPECT_FALSE(q.defer(ns_res("a")));               // the namespace itself: at once
  EXPECT_TRUE(q.defer(addr_res("a", "eth0", "10.1.0.2/24")));
  EXPECT_TRUE(q.defer(veth_res("a", "eth0", "vetha", "")));
  EXPECT_TRUE(q.defer(veth_res("b", "eth0", "vethb", "")));
  auto taken = q.take("a");
  ASSERT_EQ(taken.size(), 2u);
  EXPECT_EQ(veth_host_ends(taken), std::vector<std::string>{"vetha"});
  auto rest = q.flush();
  ASSERT_EQ(rest.size(), 1u);
  EXPECT_EQ(rest[0].ns, "b");
  EXPECT_TRUE(q.empty());
}

TEST_F(KernelDeferredRemovals, ANamespaceRemovalTakesItsLinksAndTheHostEndsAreGoneAfterCommit) {
  auto k = make_netlink_kernel({netns_dir()});
  k->create(bridge_res("br-dr"));
  k->create(ns_res("dr1"));
  k->create(veth_res("dr1", "eth0", "vethdr1", "br-dr"));
  k->create(addr_res("dr1", "eth0", "10.77.0.2/24"));
  ASSERT_EQ(sh("ip link show vethdr1 >/dev/null"), 0);

  k->remove(addr_res("dr1", "eth0", "10.77.0.2/24"));
  k->remove(veth_res("dr1", "eth0", "vethdr1", "br-dr"));
  // Not done yet: the namespace's removal will take them along.
  EXPECT_EQ(sh("ip -n dr1 link show eth0 >/dev/null 2>&1"), 0);
  k->remove(ns_res("dr1"));
  k->commit();
  EXPECT_NE(sh("ip link show vethdr1 >/dev/null 2>&1"), 0) << "the host end outlived commit()";
  EXPECT_NE(sh("ip netns list | grep -q dr1"), 0);
  k->remove(bridge_res("br-dr"));
}

TEST_F(KernelDeferredRemovals, AnyOtherCallFlushesThemInOrder) {
  auto k = make_netlink_kernel({netns_dir()});
  k->create(ns_res("dr2"));
  k->create(veth_res("dr2", "eth0", "vethdr2", ""));
  k->create(addr_res("dr2", "eth0", "10.78.0.2/24"));
  k->remove(addr_res("dr2", "eth0", "10.78.0.2/24"));
  k->create(addr_res("dr2", "eth0", "10.78.0.3/24"));  // a new address after the old one went
  const std::string addrs = sh_out("ip -n dr2 -4 -o addr show dev eth0");
  EXPECT_EQ(addrs.find("10.78.0.2/24"), std::string::npos) << addrs;
  EXPECT_NE(addrs.find("10.78.0.3/24"), std::string::npos) << addrs;
  k->remove(veth_res("dr2", "eth0", "vethdr2", ""));
  k->commit();  // the namespace stays: the link is really deleted
  EXPECT_NE(sh("ip -n dr2 link show eth0 >/dev/null 2>&1"), 0);
  EXPECT_NE(sh("ip link show vethdr2 >/dev/null 2>&1"), 0);
  k->remove(ns_res("dr2"));
}

}  // namespace
}  // namespace topo::test
