// Namespaces: created like `ip netns add`, marked, observed, removed.
#include <sys/stat.h>

#include "kernel_support.hpp"
#include "reconciler/kernel/netlink_kernel.hpp"
#include "reconciler/kernel/netns.hpp"
#include "reconciler/resources/ownership.hpp"

namespace topo::test {
namespace {

class KernelNamespace : public KernelTest {};

TEST_F(KernelNamespace, GuardSeesAPrivateNamespace) {
  EXPECT_TRUE(in_private_netns());
  EXPECT_NE(sh_out("readlink /proc/self/ns/net"), "net:[4026531833]\n");
}

TEST_F(KernelNamespace, CreateObserveRemove) {
  auto k = make_netlink_kernel({netns_dir()});
  k->create(ns_res("web"));

  // Usable by iproute2 exactly like its own namespaces.
  EXPECT_EQ(sh("ip netns exec web true"), 0);
  EXPECT_NE(sh_out("ip netns exec web ip link show lo").find("UP"), std::string::npos);
  EXPECT_NE(sh_out("ip -n web -d link show lo").find("alias topo-ns:web"), std::string::npos);

  const Observed o = k->observe();
  const Resource* ns = find(o, ns_res("web").key());
  ASSERT_NE(ns, nullptr);
  EXPECT_EQ(*ns, ns_res("web"));
  EXPECT_EQ(ns->origin, "container/web");
  EXPECT_TRUE(o.foreign.empty()) << *o.foreign.begin();

  k->remove(ns_res("web"));
  struct stat st {};
  EXPECT_NE(::stat((netns_dir() + "/web").c_str(), &st), 0);
  EXPECT_EQ(find(k->observe(), ns_res("web").key()), nullptr);
}

TEST_F(KernelNamespace, LinksDieWithTheirNamespace) {
  auto k = make_netlink_kernel({netns_dir()});
  k->create(ns_res("web"));
  k->create(bridge_res("br0"));
  k->create(veth_res("web", "eth0", "vweb0", "br0"));
  ASSERT_EQ(sh("ip link show vweb0"), 0);
  k->remove(ns_res("web"));
  k->commit();  // the end of a run: sockets into removed namespaces are closed by then
  // The kernel object must not keep the namespace alive through its socket.
  // Namespace teardown is asynchronous in the kernel: give it a moment.
  bool gone = false;
  for (int i = 0; i < 50 && !gone; ++i) gone = sh("ip link show vweb0 || { sleep 0.1; false; }") != 0;
  EXPECT_TRUE(gone) << "host end survived its namespace";
}

TEST_F(KernelNamespace, CreateTwiceIsFineWhenOurs) {
  auto k = make_netlink_kernel({netns_dir()});
  k->create(ns_res("web"));
  EXPECT_NO_THROW(k->create(ns_res("web")));
}

TEST_F(KernelNamespace, ForeignNamespaceIsNotTakenOverNorLookedInto) {
  ASSERT_EQ(sh("ip netns add other && ip netns exec other ip link add dummyish type bridge"), 0);
  auto k = make_netlink_kernel({netns_dir()});
  const Observed o = k->observe();
  EXPECT_EQ(o.foreign.count(ns_res("other").key()), 1u);
  EXPECT_EQ(find(o, ns_res("other").key()), nullptr);
  for (const auto& r : o.owned) EXPECT_NE(r.ns, "other") << r.key();

  try {
    k->create(ns_res("other"));
    FAIL() << "took over a foreign namespace";
  } catch (const KernelError& e) {
    EXPECT_EQ(e.err(), EEXIST) << e.what();
  }
  try {
    k->remove(ns_res("other"));
    FAIL() << "removed a foreign namespace";
  } catch (const KernelError& e) {
    EXPECT_EQ(e.err(), EPERM) << e.what();
  }
  EXPECT_EQ(sh("ip netns exec other true"), 0);
}

TEST_F(KernelNamespace, StaleFileIsForeign) {
  ASSERT_EQ(sh("mkdir -p " + netns_dir() + " && touch " + netns_dir() + "/stale"), 0);
  auto k = make_netlink_kernel({netns_dir()});
  const Observed o = k->observe();
  EXPECT_EQ(o.foreign.count(ns_res("stale").key()), 1u);
}

TEST_F(KernelNamespace, RemoveMissingIsFine) {
  auto k = make_netlink_kernel({netns_dir()});
  EXPECT_NO_THROW(k->remove(ns_res("nothere")));
}

TEST_F(KernelNamespace, OpenRejectsNonNetns) {
  EXPECT_NO_THROW(netns::open("/proc/self/ns/net"));
  try {
    netns::open("/proc/self/ns/mnt");
    FAIL() << "a mount namespace was accepted";
  } catch (const KernelError& e) {
    EXPECT_EQ(e.err(), EINVAL);
  }
}

}  // namespace
}  // namespace topo::test

namespace topo::test {
namespace {

// A namespace deleted behind topo's back must really go: the kernel object's
// cached socket must not keep it (and its veth pairs) alive.
TEST_F(KernelNamespace, HandDeletedNamespaceIsNotKeptAlive) {
  auto k = make_netlink_kernel({netns_dir()});
  k->create(ns_res("web"));
  k->create(veth_res("web", "eth0", "vweb0", ""));
  ASSERT_NE(find(k->observe(), veth_res("web", "eth0", "", "").key()), nullptr);
  ASSERT_EQ(sh("ip netns del web"), 0);
  const Observed o = k->observe();
  EXPECT_EQ(find(o, ns_res("web").key()), nullptr);
  EXPECT_EQ(find(o, veth_res("web", "eth0", "", "").key()), nullptr);
  bool gone = false;
  for (int i = 0; i < 50 && !gone; ++i) gone = sh("ip link show vweb0 || { sleep 0.1; false; }") != 0;
  EXPECT_TRUE(gone) << "the deleted namespace is kept alive";
  // And it can be made again under the same name.
  EXPECT_NO_THROW(k->create(ns_res("web")));
  EXPECT_NO_THROW(k->create(veth_res("web", "eth0", "vweb0", "")));
}

}  // namespace
}  // namespace topo::test
